"""Symptom matching: which conditions' symptoms best cover the ones given, rare symptoms weighing more.

A symptom's weight is its inverse document frequency, ln(1 + N / conditions listing it): "saddle numbness"
says more than "pain". A condition scores the share of the given weight it covers; ties go to the condition
with fewer symptoms left unexplained. Red flags are matched separately: any given symptom that is a red flag
of some condition names that condition, whatever the ranking.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from app.models import Condition, ConditionSymptom, Symptom, SymptomSection
from app.queries.references import Reference, UnknownReferences
from app.queries.search import WORD_RE, meaningful_words, query_words, search

SHORTLIST_FACTOR = 5  # candidates scored for the tie-break, per result asked for
_IS_SYMPTOM = col(ConditionSymptom.section) == SymptomSection.symptom


@dataclass(frozen=True)
class RankedCondition:
    condition: Condition
    score: float
    matched: list[Symptom]
    not_given: list[Symptom]


@dataclass(frozen=True)
class RedFlag:
    condition: Condition
    symptoms: list[Symptom]


def _weights(session: Session, symptom_ids: list[int]) -> dict[int, float]:
    total = session.exec(select(func.count()).select_from(Condition)).one() or 1
    listing = (
        # The primary key (condition, symptom, section) makes a plain count a count of conditions.
        select(col(ConditionSymptom.symptom_id), func.count())
        .where(
            col(ConditionSymptom.symptom_id).in_(symptom_ids), col(ConditionSymptom.section) == SymptomSection.symptom
        )
        .group_by(col(ConditionSymptom.symptom_id))
    )
    counts = dict(session.exec(listing).all())
    return {sid: math.log(1 + total / max(counts.get(sid, 0), 1)) for sid in symptom_ids}


def rank_conditions(session: Session, symptom_ids: list[int], *, limit: int) -> list[RankedCondition]:
    weights = _weights(session, symptom_ids)
    given_weight = sum(weights.values())
    is_symptom = col(ConditionSymptom.section) == SymptomSection.symptom
    covered = func.sum(case(weights, value=col(ConditionSymptom.symptom_id), else_=0.0)).label("covered")
    # Score from the link table alone (an index range per given symptom), for a shortlist; the tie-break
    # (fewer symptoms left unexplained) is computed for the shortlist only, not for every candidate.
    shortlist = session.exec(
        select(col(ConditionSymptom.condition_id), covered)
        .where(is_symptom, col(ConditionSymptom.symptom_id).in_(symptom_ids))
        .group_by(col(ConditionSymptom.condition_id))
        .order_by(covered.desc(), col(ConditionSymptom.condition_id))
        .limit(limit * SHORTLIST_FACTOR)
    ).all()
    if not shortlist:
        return []
    symptoms_of: dict[int, list[Symptom]] = defaultdict(list)
    rows = session.exec(
        select(col(ConditionSymptom.condition_id), Symptom)
        .join(Symptom, col(Symptom.id) == col(ConditionSymptom.symptom_id))
        .where(col(ConditionSymptom.condition_id).in_([cid for cid, _ in shortlist]), is_symptom)
        .order_by(col(ConditionSymptom.position), col(ConditionSymptom.term_position))
    )
    for condition_id, symptom in rows:
        symptoms_of[condition_id].append(symptom)
    given = set(symptom_ids)
    best = sorted(shortlist, key=lambda row: (-row[1], len(symptoms_of[row[0]]), row[0]))[:limit]
    conditions = {
        c.id: c for c in session.exec(select(Condition).where(col(Condition.id).in_([cid for cid, _ in best])))
    }
    return [
        RankedCondition(
            condition=conditions[condition_id],
            score=round(float(weight) / given_weight, 4) if given_weight else 0.0,
            matched=[s for s in symptoms_of[condition_id] if s.id in given],
            not_given=[s for s in symptoms_of[condition_id] if s.id not in given],
        )
        for condition_id, weight in best
    ]


def red_flags(session: Session, symptom_ids: list[int]) -> list[RedFlag]:
    """Conditions for which a given symptom is a red flag (a reason to seek urgent care)."""
    statement = (
        select(Condition, Symptom)
        .join(ConditionSymptom, col(ConditionSymptom.condition_id) == col(Condition.id))
        .join(Symptom, col(Symptom.id) == col(ConditionSymptom.symptom_id))
        .where(
            col(ConditionSymptom.section) == SymptomSection.red_flag, col(ConditionSymptom.symptom_id).in_(symptom_ids)
        )
        .order_by(col(Condition.name), col(ConditionSymptom.position))
    )
    flagged: dict[str, RedFlag] = {}
    for condition, symptom in session.exec(statement):
        flagged.setdefault(condition.slug, RedFlag(condition, [])).symptoms.append(symptom)
    # The condition for which most of the given symptoms are red flags comes first.
    return sorted(flagged.values(), key=lambda flag: -len(flag.symptoms))


@dataclass(frozen=True)
class Resolved:
    query: str
    symptom: Symptom
    resolved_by: str  # "slug" or "search"


CANDIDATES = 10  # symptoms a free-text value is weighed among


def _words(text: str) -> set[str]:
    return {word.lower() for word in WORD_RE.findall(text)}


def _covered(query: list[str], symptom: Symptom) -> int:
    """How many query words the symptom's name or aliases contain (`numb` in *numbness*, `legs` as *leg*)."""
    labels = _words(" ".join([symptom.name, *symptom.aliases]))
    return sum(any(label.startswith(word.rstrip("s") or word) for label in labels) for word in query)


def resolve_text(session: Session, value: str) -> Symptom | None:
    """The symptom free text names: an exact name or alias first; else, among the best search matches, the one
    whose name covers most of the words, then the more common one (listed by more conditions), then the best
    ranked. "back pain" is *Low back pain*, not the rarer *Mid back pain*."""
    if not meaningful_words(value):
        # "a" or "in the" names no symptom; a search for them would pick one anyway (once, saddle numbness,
        # a red flag: a match must never raise an alarm from filler words).
        return None
    wanted = " ".join(WORD_RE.findall(value.lower()))
    hits = search(session, value, kinds=["symptom"], limit=CANDIDATES, offset=0).hits
    if not hits:
        return None
    candidates = {s.slug: s for s in session.exec(select(Symptom).where(col(Symptom.slug).in_([h.slug for h in hits])))}
    for symptom in candidates.values():
        if wanted in {" ".join(WORD_RE.findall(label.lower())) for label in [symptom.name, *symptom.aliases]}:
            return symptom
    listing = session.exec(
        select(col(ConditionSymptom.symptom_id), func.count())
        .where(col(ConditionSymptom.symptom_id).in_([s.id for s in candidates.values()]), _IS_SYMPTOM)
        .group_by(col(ConditionSymptom.symptom_id))
    )
    common = dict(listing.all())
    query = query_words(value)
    ranked = max(
        hits,
        key=lambda hit: (_covered(query, candidates[hit.slug]), common.get(candidates[hit.slug].id or 0, 0), hit.score),
    )
    return candidates[ranked.slug]


def resolve_symptoms(session: Session, values: list[str]) -> list[Resolved]:
    """Read each value as a symptom slug, else as words that name a symptom (a search each: callers bound how
    many values they pass). Values that name nothing are reported together."""
    by_slug = {s.slug: s for s in session.exec(select(Symptom).where(col(Symptom.slug).in_(values)))}
    resolved: list[Resolved] = []
    unknown: list[Reference] = []
    for value in dict.fromkeys(values):
        symptom = by_slug.get(value)
        how = "slug"
        if symptom is None:
            symptom = resolve_text(session, value)
            how = "search"
        if symptom is None:
            unknown.append(Reference("symptom", value))
        elif all(r.symptom.id != symptom.id for r in resolved):
            resolved.append(Resolved(value, symptom, how))
    if unknown:
        raise UnknownReferences(unknown)
    return resolved
