"""Symptom matching: which conditions' symptoms best cover the ones given, rare symptoms weighing more.

Scores are added up over the precomputed symptom postings (app/queries/search_engine.py), whole arrays at a
time: at 100,000 conditions a common symptom is listed by tens of thousands of them.

A symptom's weight is its inverse document frequency, ln(1 + N / conditions listing it): "saddle numbness"
says more than "pain". A condition scores the share of the given weight it covers; ties go to the condition
with fewer symptoms left unexplained. Red flags are matched separately: any given symptom that is a red flag
of some condition names that condition, whatever the ranking.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Condition, ConditionSymptom, Symptom, SymptomSection
from app.queries import search_engine
from app.queries.references import Reference, UnknownReferences
from app.queries.search import WORD_RE, meaningful_words, query_words, search
from app.queries.search_engine import Postings

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


def _weights(postings: Postings, symptom_ids: list[int]) -> dict[int, float]:
    total = postings.total or 1
    return {sid: math.log(1 + total / max(len(postings.of(sid)), 1)) for sid in symptom_ids}


def _best(postings: Postings, weights: dict[int, float], *, limit: int) -> list[tuple[int, float]]:
    """The `limit` best (condition id, covered weight): most weight first, then fewest symptoms, then id.

    Each condition gets a bit mask of the given symptoms it lists; there are at most 2^k masks for k given
    symptoms, so conditions are taken a whole weight at a time, best weight first, and only the tied group
    that fills the page is ordered (by symptom count and id, partitioned rather than sorted)."""
    given = sorted(weights)
    size = len(postings.symptom_counts)
    masks = np.zeros(size, dtype=np.int64)
    for bit, symptom_id in enumerate(given):
        masks[postings.of(symptom_id)] |= 1 << bit
    present = np.flatnonzero(np.bincount(masks, minlength=1 << len(given)))
    by_weight: dict[float, list[int]] = defaultdict(list)
    for mask in present[present > 0].tolist():
        # Summed in one order, so equal sets of weights give equal floats.
        by_weight[sum(weights[s] for bit, s in enumerate(given) if mask >> bit & 1)].append(mask)
    best: list[tuple[int, float]] = []
    for weight in sorted(by_weight, reverse=True):
        tied_masks = by_weight[weight]
        if len(tied_masks) == 1:
            tied = np.flatnonzero(masks == tied_masks[0])
        else:
            tied = np.flatnonzero(np.isin(masks, tied_masks))
        keys = postings.symptom_counts[tied].astype(np.int64) * size + tied
        wanted = limit - len(best)
        if len(keys) > wanted:
            keys = np.partition(keys, wanted - 1)[:wanted]
        best += [(int(key % size), weight) for key in np.sort(keys)]
        if len(best) == limit:
            break
    return best


def rank_conditions(session: Session, symptom_ids: list[int], *, limit: int) -> list[RankedCondition]:
    postings = search_engine.current(session).postings
    weights = _weights(postings, symptom_ids)
    given_weight = sum(weights.values())
    best = _best(postings, weights, limit=limit)
    if not best:
        return []
    ids = [condition_id for condition_id, _ in best]
    # The links first, as plain ids; then each symptom once (they are shared by many of these conditions).
    links = session.exec(
        select(col(ConditionSymptom.condition_id), col(ConditionSymptom.symptom_id))
        .where(col(ConditionSymptom.condition_id).in_(ids), _IS_SYMPTOM)
        .order_by(col(ConditionSymptom.position), col(ConditionSymptom.term_position))
    ).all()
    symptoms = {s.id: s for s in session.exec(select(Symptom).where(col(Symptom.id).in_({sid for _, sid in links})))}
    symptoms_of: dict[int, list[Symptom]] = defaultdict(list)
    for condition_id, symptom_id in links:
        symptoms_of[condition_id].append(symptoms[symptom_id])
    given = set(symptom_ids)
    conditions = {c.id: c for c in session.exec(select(Condition).where(col(Condition.id).in_(ids)))}
    return [
        RankedCondition(
            condition=conditions[condition_id],
            score=round(weight / given_weight, 4) if given_weight else 0.0,
            matched=[s for s in symptoms_of[condition_id] if s.id in given],
            not_given=[s for s in symptoms_of[condition_id] if s.id not in given],
        )
        for condition_id, weight in best
    ]


def red_flags(session: Session, symptom_ids: list[int]) -> list[RedFlag]:
    """Conditions for which a given symptom is a red flag (a reason to seek urgent care)."""
    # Driven from the given symptoms' links (an index range each): joined the other way round, SQLite read
    # the conditions by name first, 26 ms at 100,000 conditions.
    links = session.exec(
        select(
            col(ConditionSymptom.condition_id), col(ConditionSymptom.symptom_id), col(ConditionSymptom.position)
        ).where(
            col(ConditionSymptom.section) == SymptomSection.red_flag, col(ConditionSymptom.symptom_id).in_(symptom_ids)
        )
    ).all()
    if not links:
        return []
    conditions = {
        c.id: c for c in session.exec(select(Condition).where(col(Condition.id).in_({c for c, _, _ in links})))
    }
    symptoms = {s.id: s for s in session.exec(select(Symptom).where(col(Symptom.id).in_({s for _, s, _ in links})))}
    flagged: dict[str, RedFlag] = {}
    for condition_id, symptom_id, _ in sorted(links, key=lambda link: (conditions[link[0]].name, link[2])):
        condition = conditions[condition_id]
        flagged.setdefault(condition.slug, RedFlag(condition, [])).symptoms.append(symptoms[symptom_id])
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
