"""`/v1/codes/icd10/{code}`: the conditions for an ICD-10-CM code, answered from the seeded code table."""

from typing import Annotated

from fastapi import APIRouter, Path
from sqlmodel import Session

from app.api.deps import DatabaseDep
from app.api.params import ICD10_PATTERN
from app.core.errors import NotFound
from app.models.codes import ICD10_SHAPE, ICD10_SYSTEM, parse_icd10
from app.models.public import CodeLookup
from app.queries.codes import conditions_for_code
from app.representation import presenters

router = APIRouter(prefix="/codes", tags=["codes"])


@router.get("/icd10/{code}", response_model=CodeLookup)
async def get_icd10_conditions(
    code: Annotated[
        str,
        Path(
            pattern=ICD10_PATTERN,
            description=f"An ICD-10-CM code: {ICD10_SHAPE}; either case, the dot optional.",
            examples=["M62.830"],
        ),
    ],
    db: DatabaseDep,
) -> CodeLookup:
    """Find the conditions for an ICD-10-CM code: exact matches first, else the nearest ancestor's."""
    wanted = parse_icd10(code)
    assert wanted is not None, "the path pattern admits only codes parse_icd10 reads"
    return await db.run(code_lookup, wanted)


def code_lookup(session: Session, wanted: str) -> CodeLookup:
    match = conditions_for_code(session, code=wanted)
    if match is None:
        raise NotFound(f"'{wanted}' is not in the ICD-10-CM code set this server holds.")
    return CodeLookup(
        system=ICD10_SYSTEM,
        code=presenters.code_ref(match.code),
        matched=presenters.code_ref(match.matched) if match.matched else None,
        exact=match.matched is not None and match.matched.code == match.code.code,
        conditions=[presenters.condition_summary(condition) for condition in match.conditions],
    )
