"""Drives the real server through the client openapi-python-client generated from its served document.

Run by tests/clients/test_python_client.py in the generator's own environment, with the generated package
(`conditions_client`) on PYTHONPATH. Every answer must parse into the typed model the document names; the
script exits non-zero on the first one that does not, and prints what it covered."""

import json
import sys

from conditions_client import Client
from conditions_client.api.conditions import get_condition, list_conditions, match_conditions
from conditions_client.api.search import search, suggest
from conditions_client.api.sync import export_library, list_changes
from conditions_client.models import (
    ChangePage,
    ConditionDetail,
    ConditionFields,
    ConditionPage,
    Export,
    MatchResult,
    Problem,
    SearchPage,
    SuggestionList,
)
from conditions_client.types import UNSET, Unset


def typed(value: object, kind: type) -> None:
    assert isinstance(value, kind), f"expected {kind.__name__}, got {type(value).__name__}: {value!r}"


def main(base_url: str) -> None:
    client = Client(base_url=base_url, raise_on_unexpected_status=True)
    covered: dict[str, object] = {}

    # The whole list, page by page, following next_cursor to its end; expand= adds typed fields to items.
    slugs: list[str] = []
    cursor: str | None = None
    while True:
        page = list_conditions.sync(client=client, limit=5, expand="codes", cursor=cursor or UNSET)
        typed(page, ConditionPage)
        assert isinstance(page, ConditionPage)
        for item in page.items:
            slugs.append(item.slug)
            assert not isinstance(item.codes, Unset), "expand=codes must reach the typed item"
        if not isinstance(page.next_cursor, str):
            break
        cursor = page.next_cursor
    assert len(slugs) == page.total and slugs == sorted(slugs), (len(slugs), page.total)
    covered["list"] = len(slugs)

    detail = get_condition.sync(slug="lumbar-muscle-spasm", client=client)
    typed(detail, ConditionDetail)
    assert isinstance(detail, ConditionDetail)
    assert detail.duration and detail.duration.min_days == 21 and detail.codes[0].code == "M62.830"
    covered["detail"] = detail.name

    partial = get_condition.sync(slug="lumbar-muscle-spasm", client=client, fields="name,symptoms,duration")
    typed(partial, ConditionFields)
    assert isinstance(partial, ConditionFields)
    assert partial.name == detail.name and isinstance(partial.slug, Unset)
    covered["fields"] = sorted(partial.to_dict())

    alias = get_condition.sync_detailed(slug="back-spasm", client=client)
    assert alias.status_code == 301 and alias.headers["location"] == "/v1/conditions/lumbar-muscle-spasm"
    covered["alias"] = alias.headers["location"]

    missing = get_condition.sync(slug="no-such-condition", client=client)
    typed(missing, Problem)
    assert isinstance(missing, Problem) and missing.status == 404

    found = search.sync(client=client, q="lumbar spasm")
    typed(found, SearchPage)
    assert isinstance(found, SearchPage) and found.items and found.notice
    covered["search"] = found.items[0].slug

    suggestions = suggest.sync(client=client, q="lum")
    typed(suggestions, SuggestionList)
    assert isinstance(suggestions, SuggestionList) and suggestions.items
    covered["suggest"] = suggestions.items[0].label

    matched = match_conditions.sync(client=client, symptom=["low-back-pain", "muscle spasm"])
    typed(matched, MatchResult)
    assert isinstance(matched, MatchResult) and matched.items and matched.notice
    covered["match"] = matched.items[0].condition.slug

    export = export_library.sync(client=client)
    typed(export, Export)
    assert isinstance(export, Export)
    assert sorted(c.slug for c in export.conditions) == slugs

    changes = list_changes.sync(client=client, since=export.cursor)
    typed(changes, ChangePage)
    assert isinstance(changes, ChangePage) and changes.items == [] and changes.next_cursor == export.cursor
    everything = list_changes.sync(client=client, limit=1000)
    assert isinstance(everything, ChangePage) and everything.items
    covered["changes"] = len(everything.items)

    sys.stdout.write(json.dumps(covered) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
