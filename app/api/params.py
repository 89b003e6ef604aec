"""Parameter shapes shared by routes, declared once so the OpenAPI document and the server enforce the same rule."""

import re
from collections.abc import Iterable
from typing import Annotated

from pydantic import StringConstraints

from app.core.errors import explain_pattern
from app.models.base import SLUG_PATTERN
from app.models.code_systems import CodeSystem
from app.models.codes import ICD10_SHAPE, ICD10_WRITTEN_PATTERN

SLUG_MAX_LENGTH = 120
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=SLUG_MAX_LENGTH)]
explain_pattern(SLUG_PATTERN, lambda value: f"'{value}' is not a slug (lowercase words joined by single hyphens)")
ICD10_PATTERN = explain_pattern(
    ICD10_WRITTEN_PATTERN, lambda value: f"'{value}' is not shaped like an ICD-10-CM code: {ICD10_SHAPE}"
)


def _code_pattern(system: CodeSystem) -> str:
    spec = system.spec
    return explain_pattern(
        spec.written_pattern, lambda value: f"'{value}' is not shaped like a {spec.label} id: {spec.shape}"
    )


CODE_PATTERNS = {
    CodeSystem.ICD10: ICD10_PATTERN,
    **{system: _code_pattern(system) for system in (CodeSystem.SNOMED, CodeSystem.MONDO, CodeSystem.HPO)},
}


def comma_list_pattern(names: Iterable[str]) -> str:
    """`^(a|b)(,(a|b))*$`: exactly the comma-separated lists of these names, so every match is valid. A value
    that does not match is explained by the names it got wrong."""
    known = tuple(names)
    choice = "|".join(re.escape(name) for name in known)

    def reason(value: str) -> str:
        wrong = sorted({name for name in value.split(",") if name not in known})[:5]
        listed = ", ".join(repr(name) for name in wrong)
        return f"unknown name(s) {listed}; give a comma-separated list (no spaces) of: {', '.join(known)}"

    return explain_pattern(f"^({choice})(,({choice}))*$", reason)


def comma_list(value: str, order: Iterable[str]) -> list[str]:
    """The names of a list the pattern admitted, once each, in `order`'s order (every spelling of the same
    request then gives the same bytes, and so the same ETag)."""
    names = set(value.split(","))
    return [name for name in order if name in names]
