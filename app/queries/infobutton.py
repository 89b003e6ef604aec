"""What an HL7 Infobutton knowledge request finds: the conditions for a code (ICD-10-CM with its ancestor
fallback, SNOMED CT exactly), else those that a search for the display name ranks best."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.core.locales import DEFAULT_LANGUAGE
from app.models import Condition, ConditionAlias
from app.models.code_systems import CodeSystem, MappingMatch
from app.queries import search
from app.queries.codes import conditions_for

MAX_CODED = 10  # an ancestor as broad as a category may cover many conditions; an EHR shows a handful
MAX_SEARCHED = 3  # a display name's search ranks the whole library: only the best few are about the code


class MatchedBy(StrEnum):
    code = "code"  # conditions carry the code itself
    ancestor = "ancestor"  # conditions carry a code under the code's nearest coded ICD-10-CM ancestor
    display_name = "display name"  # nothing carries the code; the display name's search found these
    nothing = "nothing"


@dataclass(frozen=True)
class Knowledge:
    conditions: list[Condition]
    aliases: dict[int, list[str]]  # condition id -> its other names, in order
    matched_by: MatchedBy
    matched_code: str | None  # the code (or ancestor) the conditions carry, when matched by code
    library_updated: datetime | None  # the latest change to any condition: the `updated` of an empty answer
    # Conditions whose code is broader than the condition (SNOMED CT's "Cramp" on lumbar muscle spasm): an
    # entry for such a code says so, since the page covers only part of what the code means.
    broader: frozenset[int] = frozenset()


def knowledge_for(
    session: Session, system: CodeSystem, code: str | None, display_name: str | None, language: str = DEFAULT_LANGUAGE
) -> Knowledge:
    """`code` is in the system's stored form, or None when it is not shaped like one of its codes; a display name is
    searched in `language`, the feed's."""
    found = conditions_for(session, system, code) if code is not None else None
    conditions: list[Condition] = []
    matched_by, matched_code = MatchedBy.nothing, None
    broader: frozenset[int] = frozenset()
    if found is not None and found.conditions and found.matched is not None:
        conditions = found.conditions[:MAX_CODED]
        broader = frozenset(c.id or 0 for c in conditions if found.mapping(c) is MappingMatch.broader)
        matched_code = found.matched.code
        matched_by = MatchedBy.code if matched_code == found.code.code else MatchedBy.ancestor
    elif display_name:
        # An EHR's display name is most often the code system's English one, whatever the reader's language.
        conditions = _searched(session, display_name, language) or (
            _searched(session, display_name, DEFAULT_LANGUAGE) if language != DEFAULT_LANGUAGE else []
        )
        matched_by = MatchedBy.display_name if conditions else MatchedBy.nothing
    return Knowledge(
        conditions=conditions,
        aliases=_aliases(session, [condition.id for condition in conditions if condition.id is not None]),
        matched_by=matched_by,
        matched_code=matched_code,
        broader=broader,
        library_updated=session.exec(select(func.max(col(Condition.updated_at)))).one(),
    )


def _searched(session: Session, words: str, language: str) -> list[Condition]:
    """The conditions the search ranks best for these words, in its order. Results the search reached only by
    correcting the words are no answer: a clinician's "Cólera" is not our "cola" (of cauda equina's Spanish
    name), nor anything else it is a few letters away from."""
    result = search.search(session, words, kinds=["condition"], limit=MAX_SEARCHED, offset=0, language=language)
    slugs = [hit.slug for hit in result.hits]
    if not slugs or result.did_you_mean is not None:
        return []
    rows = {row.slug: row for row in session.exec(select(Condition).where(col(Condition.slug).in_(slugs)))}
    return [rows[slug] for slug in slugs if slug in rows]


def _aliases(session: Session, ids: list[int]) -> dict[int, list[str]]:
    if not ids:
        return {}
    statement = (
        select(ConditionAlias)
        .where(col(ConditionAlias.condition_id).in_(ids))
        .order_by(col(ConditionAlias.condition_id), col(ConditionAlias.position))
    )
    names: dict[int, list[str]] = defaultdict(list)
    for alias in session.exec(statement):
        names[alias.condition_id].append(alias.name)
    return dict(names)
