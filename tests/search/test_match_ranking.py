"""Matching's ranking over postings arrays, checked against the rule written out plainly: most covered
weight first, then fewest symptoms (fewer left unexplained), then the lower id."""

from hypothesis import given, settings
from hypothesis import strategies as st

from app.queries.match import _best
from app.queries.search_engine import Postings

libraries = st.lists(st.sets(st.integers(1, 6), min_size=1, max_size=4), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(libraries, st.sets(st.integers(1, 7), min_size=1, max_size=3), st.integers(1, 12))
def test_the_best_are_those_the_rule_puts_first(symptoms_of: list[set[int]], given_ids: set[int], limit: int) -> None:
    condition_ids = list(range(1, len(symptoms_of) + 1))
    pairs = [
        (symptom, condition) for condition, listed in zip(condition_ids, symptoms_of, strict=True) for symptom in listed
    ]
    postings = Postings.build(pairs, condition_ids)
    # Weights with ties (1.0 twice) and without, as idf gives.
    weights = {symptom: [1.0, 2.5, 1.0, 0.75, 3.0, 1.5, 2.0][symptom - 1] for symptom in given_ids}

    expected = sorted(
        (
            (sum(weights[s] for s in listed if s in weights), len(listed), condition)
            for condition, listed in zip(condition_ids, symptoms_of, strict=True)
            if listed & given_ids
        ),
        key=lambda row: (-row[0], row[1], row[2]),
    )[:limit]
    assert _best(postings, weights, limit=limit) == [(condition, covered) for covered, _, condition in expected]
