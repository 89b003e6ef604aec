"""Code look-ups: the conditions carrying a code of any system we hold; for ICD-10-CM, a code's ancestry and the
conditions filed under it or its nearest coded ancestor."""

from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import literal, select
from sqlmodel import Session, col
from sqlmodel import select as select_models

from app.models import Condition, ConditionCode, ConditionSymptom, Icd10Code, OntologyTerm, Symptom
from app.models.code_systems import CodeSystem, MappingMatch
from app.models.codes import ICD10_CODE_RE, ICD10_SYSTEM


class NamedCode(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def description(self) -> str: ...


@dataclass(frozen=True)
class CarriedCode:
    """A code known only from the conditions that carry it (SNOMED CT: no release may be redistributed), named
    with the editor's display."""

    code: str
    description: str


@dataclass(frozen=True)
class CodeMatch:
    code: NamedCode  # the code asked for
    matched: NamedCode | None  # the code, or nearest ancestor, under which conditions are coded; None if none
    conditions: list[Condition]
    # How each condition's code relates to the condition (by condition id): a `broader` code means more than
    # the page does (SNOMED CT's "Cramp" on lumbar muscle spasm).
    mappings: dict[int, MappingMatch] = field(default_factory=dict)

    def mapping(self, condition: Condition) -> MappingMatch:
        return self.mappings.get(condition.id or 0, MappingMatch.exact)

    def covered(self) -> list[Condition]:
        """The conditions that are about the code itself: found by the code, not by an ancestor, and not through
        a code broader than the page. What an EHR may push unasked (a CDS card)."""
        if self.matched is None or self.matched.code != self.code.code:
            return []
        return [condition for condition in self.conditions if self.mapping(condition) is not MappingMatch.broader]


# The closest mapping first, when a condition carries several codes under one ICD-10-CM level.
_CLOSEST_FIRST = (MappingMatch.exact, MappingMatch.narrower, MappingMatch.close, MappingMatch.broader)


def _closest(matches: list[MappingMatch]) -> MappingMatch:
    return min(matches, key=_CLOSEST_FIRST.index)


def conditions_for(session: Session, system: CodeSystem, code: str) -> CodeMatch | None:
    """The conditions for a code in its stored form (the system's `parse` gives it), or None when the code is
    unknown: not in the ICD-10-CM release, or, for the systems known only from content, carried by no condition.
    """
    if system is CodeSystem.ICD10:
        return conditions_for_code(session, code=code)
    if system is CodeSystem.MONDO:
        return _conditions_for_term(session, system, code)
    rows = _carriers(session, system, code)
    if not rows:
        return None
    named = CarriedCode(code=code, description=rows[0][0])
    conditions = [condition for _, _, condition in rows]
    return CodeMatch(named, named, conditions, {condition.id or 0: match for _, match, condition in rows})


def _carriers(session: Session, system: CodeSystem, code: str) -> list[tuple[str, MappingMatch, Condition]]:
    """(display, match, condition) for each condition carrying the code, by name."""
    statement = (
        select(col(ConditionCode.display), col(ConditionCode.match), Condition)
        .join(Condition, col(Condition.id) == col(ConditionCode.condition_id))
        .where(col(ConditionCode.system) == system.label, col(ConditionCode.code) == code)
        .order_by(col(Condition.name), col(Condition.slug))
    )
    return [(display, MappingMatch(match), condition) for display, match, condition in session.execute(statement)]


MAX_DEPTH = 10  # code, its subcategories, category, block, chapter: ICD-10-CM nests 7 deep at most


def ancestry(session: Session, *, code: str) -> list[Icd10Code]:
    """The code and its ancestors, nearest first (M62.830, M62.83, M62.8, M62, M60-M63, 13), in one query."""
    chain = (
        select(col(Icd10Code.code), col(Icd10Code.parent), literal(0).label("depth"))
        .where(col(Icd10Code.code) == code)
        .cte("chain", recursive=True)
    )
    # Bounded: the shipped release lists QA0 as its own parent, and a cycle must not loop until the time limit.
    step = (
        select(col(Icd10Code.code), col(Icd10Code.parent), (chain.c.depth + 1).label("depth"))
        .join(chain, col(Icd10Code.code) == chain.c.parent)
        .where(chain.c.depth < MAX_DEPTH, col(Icd10Code.code) != chain.c.code)
    )
    chain = chain.union_all(step)
    statement = select(Icd10Code).join(chain, col(Icd10Code.code) == chain.c.code).order_by(chain.c.depth)
    return list(session.execute(statement).scalars())


def conditions_for_code(session: Session, *, code: str) -> CodeMatch | None:
    """Conditions coded with `code` (or a code below it), else with a code below its nearest ancestor.

    Content carries billable leaf codes, so for M62.838 the answer is the conditions under M62.83 (such as
    M62.830), then under M62.8, up to the three-character category; blocks and chapters are too broad to
    count as an answer for one code. ICD-10-CM nests by prefix, so one query over the category serves.
    """
    chain = ancestry(session, code=code)
    if not chain:
        return None
    levels = [level for level in chain if ICD10_CODE_RE.match(level.code)]
    category = levels[-1].code
    statement = (
        select(col(ConditionCode.code), col(ConditionCode.match), Condition)
        .join(Condition, col(Condition.id) == col(ConditionCode.condition_id))
        .where(col(ConditionCode.system) == ICD10_SYSTEM, col(ConditionCode.code).startswith(category))
        .order_by(col(Condition.name), col(Condition.slug))
    )
    carried = [(coded, MappingMatch(match), condition) for coded, match, condition in session.execute(statement)]
    for level in levels:
        found = {condition.slug: condition for coded, _, condition in carried if coded.startswith(level.code)}
        if found:
            mappings: dict[int, list[MappingMatch]] = {}
            for coded, match, condition in carried:
                if coded.startswith(level.code):
                    mappings.setdefault(condition.id or 0, []).append(match)
            closest = {id: _closest(matches) for id, matches in mappings.items()}
            return CodeMatch(chain[0], level, list(found.values()), closest)
    return CodeMatch(code=chain[0], matched=None, conditions=[])


def _conditions_for_term(session: Session, system: CodeSystem, code: str) -> CodeMatch | None:
    """The conditions carrying a term of a release the database holds; None when the release does not."""
    term = session.get(OntologyTerm, (system.label, code))
    if term is None:
        return None
    named = CarriedCode(code=code, description=term.label)
    rows = _carriers(session, system, code)
    mappings = {condition.id or 0: match for _, match, condition in rows}
    return CodeMatch(named, named if rows else None, [condition for _, _, condition in rows], mappings)


@dataclass(frozen=True)
class PhenotypeMatch:
    term: CarriedCode  # the HPO term, named by the release
    symptoms: list[Symptom]  # the symptoms mapped to it
    conditions: list[Condition]  # the conditions that list any of them (as a symptom or a red flag)


def symptoms_for_hpo(session: Session, code: str) -> PhenotypeMatch | None:
    """The symptoms mapped to an HPO term and the conditions listing them; None when the release lacks it."""
    term = session.get(OntologyTerm, (CodeSystem.HPO.label, code))
    if term is None:
        return None
    symptoms = list(session.exec(select_models(Symptom).where(col(Symptom.hpo) == code).order_by(col(Symptom.slug))))
    conditions = list(
        session.execute(
            select(Condition)
            .join(ConditionSymptom, col(ConditionSymptom.condition_id) == col(Condition.id))
            .where(col(ConditionSymptom.symptom_id).in_([symptom.id for symptom in symptoms]))
            .distinct()
            .order_by(col(Condition.name), col(Condition.slug))
        ).scalars()
    )
    return PhenotypeMatch(CarriedCode(code=code, description=term.label), symptoms, conditions)
