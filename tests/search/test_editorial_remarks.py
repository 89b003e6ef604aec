"""Editors' words are not searched: a remark about a term or a page must neither make an entry match nor lift it
above the conditions a query is about (issue 12 §6)."""

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import yaml

from app.core.config import Settings
from app.main import create_app
from tests.conftest import build_database, sqlite_url

pytestmark = pytest.mark.anyio

# The two symptoms whose editor's note names the lumbar muscle spasm page ("listed as a symptom only because…").
NOTED_SYMPTOMS = {"symptom:pinched-nerve", "symptom:muscle-strain"}
PLANTED = "quixotic"  # a word no entry uses, planted in one place per case below


async def found(client: httpx.AsyncClient, query: str) -> list[str]:
    response = await client.get("/v1/search", params={"q": query, "limit": "50"})
    assert response.status_code == 200, response.text
    return [f"{item['type']}:{item['slug']}" for item in response.json()["items"]]


async def test_lumbr_spasm_puts_the_lumbar_conditions_before_any_term(client: httpx.AsyncClient) -> None:
    results = await found(client, "lumbr spasm")
    assert results[:2] == ["condition:lumbar-muscle-spasm", "condition:lumbar-strain"]
    assert not NOTED_SYMPTOMS & set(results)


@pytest.mark.parametrize("query", ["lumbar", "spasm", "lumbar spasm", "transcribed page"])
async def test_a_term_does_not_match_through_a_remark_about_a_page(client: httpx.AsyncClient, query: str) -> None:
    assert not NOTED_SYMPTOMS & set(await found(client, query))


def _edit_symptom(content: Path, slug: str, **fields: object) -> None:
    path = content / "vocabulary" / "symptoms.yaml"
    terms = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(term for term in terms if term["slug"] == slug).update(fields)
    path.write_text(yaml.safe_dump(terms, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _edit_page(content: Path, old: str, new: str) -> None:
    path = content / "conditions" / "lumbar-muscle-spasm.md"
    page = path.read_text(encoding="utf-8")
    assert page.count(old) == 1, f"the page no longer has {old!r}"
    path.write_text(page.replace(old, new), encoding="utf-8")


PLANTINGS: dict[str, tuple[str, Callable[[Path], None], bool]] = {
    # The control: the same word in a term's description is found, so the cases below can fail.
    "term description": (
        "symptom:swelling",
        lambda content: _edit_symptom(content, "swelling", description=f"Puffiness, {PLANTED} or not."),
        True,
    ),
    "term editor note": (
        "symptom:swelling",
        lambda content: _edit_symptom(content, "swelling", editor_notes=[f"Kept for {PLANTED} reasons."]),
        False,
    ),
    "condition editor note": (
        "condition:lumbar-muscle-spasm",
        lambda content: _edit_page(content, "editor_notes:\n", f"editor_notes:\n  - A {PLANTED} remark.\n"),
        False,
    ),
    "item note": (
        "condition:lumbar-muscle-spasm",
        lambda content: _edit_page(content, "Note: A strain is", f"Note: A {PLANTED} strain is"),
        False,
    ),
}


@pytest.mark.parametrize("place", PLANTINGS)
async def test_only_patient_text_is_searched(content_copy: Path, tmp_path: Path, place: str) -> None:
    entry, plant, searched = PLANTINGS[place]
    plant(content_copy)
    build_database(tmp_path / "planted.db", content_copy)
    app = create_app(Settings(database_url=sqlite_url(tmp_path / "planted.db"), export_dir=str(tmp_path / "x")))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        results = await found(client, PLANTED)
        detail = (await client.get("/v1/" + entry.replace(":", "s/"))).json()
    app.state.close()
    assert PLANTED in str(detail), "the planted words must still be served"
    assert (entry in results) is searched
