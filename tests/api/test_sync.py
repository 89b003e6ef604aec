"""Offline sync as a phone does it: export once, revalidate with 304s, then apply only the change feed."""

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.content.seed import seed
from app.core.config import Settings
from app.core.db import create_db_engine
from app.main import create_app
from tests.conftest import build_database, sqlite_url
from tests.factories import write_condition

pytestmark = pytest.mark.anyio

Library = dict[tuple[str, str], dict[str, Any]]
KINDS = (("condition", "conditions"), ("symptom", "symptoms"), ("cause", "causes"), ("treatment", "treatments"))


def as_library(export: dict[str, Any]) -> Library:
    return {(kind, item["slug"]): item for kind, key in KINDS for item in export[key]}


async def follow(client: httpx.AsyncClient, local: Library, cursor: str) -> tuple[str, int]:
    """Apply every change after `cursor` to `local`; returns the new cursor and how many requests it took."""
    requests = 0
    while True:
        page = (await client.get("/v1/changes", params={"since": cursor, "limit": "5"})).json()
        requests += 1
        for change in page["items"]:
            key = (change["type"], change["slug"])
            if change["action"] == "delete":
                local.pop(key, None)
            else:
                local[key] = (await client.get(change["href"])).json()
                requests += 1
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return cursor, requests


async def test_a_phone_syncs_from_zero_revalidates_and_follows_changes(content_copy: Path, tmp_path: Path) -> None:
    database = tmp_path / "sync.db"
    build_database(database, content_copy)
    app = create_app(Settings(database_url=sqlite_url(database)))
    writer = create_db_engine(sqlite_url(database))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://phone") as client:
        # 1. From zero: one request holds the whole library.
        first = await client.get("/v1/export")
        local, cursor, etag = as_library(first.json()), first.json()["cursor"], first.headers["etag"]
        assert len([k for k in local if k[0] == "condition"]) == len(list((content_copy / "conditions").glob("*.md")))

        # 2. Revalidation costs a 304 and no body.
        again = await client.get("/v1/export", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""

        # 3. Re-seeding unchanged content does not move the cursor.
        seed(writer, content_copy)
        unchanged = (await client.get("/v1/changes", params={"since": cursor})).json()
        assert unchanged["items"] == [] and unchanged["next_cursor"] == cursor

        # 4. Content edits: a changed summary, a renamed symptom, a new condition, then that condition deleted.
        lumbar = content_copy / "conditions" / "lumbar-muscle-spasm.md"
        lumbar.write_text(lumbar.read_text().replace("Sometimes, it may feel", "Sometimes it may feel"))
        symptoms = content_copy / "vocabulary" / "symptoms.yaml"
        symptoms.write_text(symptoms.read_text().replace("name: Neck pain\n", "name: Neck ache\n"))
        write_condition(content_copy, "transient-test-condition")
        seed(writer, content_copy)
        cursor, _ = await follow(client, local, cursor)
        assert ("condition", "transient-test-condition") in local
        (content_copy / "conditions" / "transient-test-condition.md").unlink()
        seed(writer, content_copy)

        stale = await client.get("/v1/export", headers={"If-None-Match": etag})
        assert stale.status_code == 200

        cursor, requests = await follow(client, local, cursor)
        server = (await client.get("/v1/export")).json()
        assert cursor == server["cursor"]
        assert ("condition", "transient-test-condition") not in local
        assert local == as_library(server)
        # Only what changed was fetched: far fewer requests than entries.
        assert requests < len(local) / 4
        necks = [
            item
            for (kind, _), item in local.items()
            if kind == "condition"
            for s in item["symptoms"]["items"]
            for term in s["terms"]
            if term["slug"] == "neck-pain"
        ]
        assert necks and all(
            term["name"] == "Neck ache"
            for item in necks
            for s in item["symptoms"]["items"]
            for term in s["terms"]
            if term["slug"] == "neck-pain"
        )
    writer.dispose()
    app.state.close()


async def test_changes_reject_a_foreign_cursor(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/changes", params={"since": "bm90LWEtY3Vyc29y"})  # an old opaque cursor
    assert response.status_code == 422
    assert response.json()["errors"][0]["name"] == "since"
    assert "not a cursor this API issued" in response.json()["detail"]


async def test_the_ndjson_export_streams_the_same_records(client: httpx.AsyncClient) -> None:
    whole = (await client.get("/v1/export")).json()
    response = await client.get("/v1/export", headers={"Accept": "application/x-ndjson"})
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert lines[0] == {"type": "cursor", "cursor": whole["cursor"]}
    streamed = {(line["type"], line["data"]["slug"]): line["data"] for line in lines[1:]}
    assert streamed == as_library(whole)


async def test_a_cursor_beyond_the_log_is_a_conflict_that_says_how_to_recover(client: httpx.AsyncClient) -> None:
    """Found from outside: a cursor from a replaced database answered "nothing changed" forever."""
    head = (await client.get("/v1/export")).json()["cursor"]
    assert (await client.get("/v1/changes", params={"since": head})).status_code == 200
    ahead = await client.get("/v1/changes", params={"since": str(int(head) + 1)})
    assert ahead.status_code == 409
    assert ahead.json()["type"] == "/problems/cursor-not-in-log"
    assert "/v1/export" in ahead.json()["detail"]


SPANISH_LUMBAR = Path("translations") / "es" / "conditions" / "lumbar-muscle-spasm.md"
SPANISH_SYMPTOMS = Path("translations") / "es" / "vocabulary" / "symptoms.yaml"


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def without_updated_at(library: Library) -> Library:
    return {key: {name: value for name, value in item.items() if name != "updated_at"} for key, item in library.items()}


async def test_editing_only_a_translation_is_a_change_in_its_language(
    db_path: Path, translated_content_copy: Path, tmp_path: Path
) -> None:
    """The log hashes every entry in every offered language: a Spanish-only edit is logged, moves the content
    version, and reaches the Spanish export; the English records stay as they were."""
    app = create_app(Settings(database_url=sqlite_url(db_path), export_dir=str(tmp_path / "exports")))
    writer = create_db_engine(sqlite_url(db_path))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://phone") as client:
        english = (await client.get("/v1/export")).json()
        spanish = await client.get("/v1/export", params={"lang": "es"})
        assert spanish.headers["content-language"] == "es"
        cursor, etag = spanish.json()["cursor"], spanish.headers["etag"]

        replace_in(
            translated_content_copy / SPANISH_LUMBAR,
            "Un espasmo muscular es por lo general",
            "Un espasmo muscular suele ser",
        )
        report = seed(writer, translated_content_copy)
        assert report.logged == [(("condition", "lumbar-muscle-spasm"), "upsert")]

        changes = await client.get("/v1/changes", params={"since": cursor, "lang": "es"})
        assert changes.headers["content-language"] == "es"
        assert [(item["type"], item["slug"], item["href"]) for item in changes.json()["items"]] == [
            ("condition", "lumbar-muscle-spasm", "/v1/conditions/lumbar-muscle-spasm?lang=es")
        ]
        edited = await client.get("/v1/export", params={"lang": "es"}, headers={"If-None-Match": etag})
        assert edited.status_code == 200 and edited.headers["etag"] != etag
        assert edited.json()["cursor"] == changes.json()["next_cursor"] != cursor
        after = as_library(edited.json())
        lumbar = after[("condition", "lumbar-muscle-spasm")]
        assert lumbar["description"].startswith("Un espasmo muscular suele ser")
        assert lumbar == (await client.get(changes.json()["items"][0]["href"])).json()
        before = as_library(spanish.json())
        assert [key for key in after if after[key] != before[key]] == [("condition", "lumbar-muscle-spasm")]

        # English readers see the same words; only the entry's `updated_at` (any language's change) moved.
        english_after = await client.get("/v1/export", headers={"Accept-Language": "en"})
        assert english_after.headers["content-language"] == "en"
        assert english_after.json()["cursor"] == edited.json()["cursor"]
        assert without_updated_at(as_library(english_after.json())) == without_updated_at(as_library(english))
    writer.dispose()
    app.state.close()


def spanish_neck_names(local: Library) -> set[str]:
    return {
        term["name"]
        for (kind, _), item in local.items()
        if kind == "condition"
        for section in ("symptoms", "red_flags")
        for listed in item[section]["items"]
        for term in listed["terms"]
        if term["slug"] == "neck-pain"
    }


async def test_a_spanish_phone_syncs_from_zero_and_follows_changes_in_spanish(
    translated_content_copy: Path, tmp_path: Path
) -> None:
    """The English sync, on a phone set to Spanish (Accept-Language on every request): the export and every
    entry the feed points to are in Spanish, an untranslated entry in English saying Spanish was asked for."""
    database = tmp_path / "sync-es.db"
    build_database(database, translated_content_copy)
    app = create_app(Settings(database_url=sqlite_url(database), export_dir=str(tmp_path / "exports")))
    writer = create_db_engine(sqlite_url(database))
    phone = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://phone", headers=phone) as client:
        first = await client.get("/v1/export")
        assert first.headers["content-language"] == "es"
        local, cursor, etag = as_library(first.json()), first.json()["cursor"], first.headers["etag"]
        assert etag != (await client.get("/v1/export", headers={"Accept-Language": "en"})).headers["etag"]
        lumbar = local[("condition", "lumbar-muscle-spasm")]
        assert (lumbar["name"], lumbar["language"], lumbar["language_unavailable"]) == (
            "Espasmo muscular lumbar",
            "es",
            None,
        )
        assert spanish_neck_names(local) == {"Dolor de cuello"}
        assert {item["language"] for item in local.values()} == {"es"}

        again = await client.get("/v1/export", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        seed(writer, translated_content_copy)
        unchanged = (await client.get("/v1/changes", params={"since": cursor})).json()
        assert unchanged["items"] == [] and unchanged["next_cursor"] == cursor

        # An English edit with no Spanish counterpart, a Spanish rename, a new (untranslated) condition.
        replace_in(
            translated_content_copy / "conditions" / "whiplash.md", "name: Whiplash\n", "name: Whiplash injury\n"
        )
        replace_in(translated_content_copy / SPANISH_SYMPTOMS, "name: Dolor de cuello\n", "name: Dolor cervical\n")
        write_condition(translated_content_copy, "transient-test-condition", symptoms=("neck-pain",))
        seed(writer, translated_content_copy)
        cursor, _ = await follow(client, local, cursor)
        added = local[("condition", "transient-test-condition")]
        assert (added["language"], added["language_unavailable"]) == ("en", "es")
        (translated_content_copy / "conditions" / "transient-test-condition.md").unlink()
        seed(writer, translated_content_copy)

        assert (await client.get("/v1/export", headers={"If-None-Match": etag})).status_code == 200
        cursor, requests = await follow(client, local, cursor)
        # `lang=` wins over the header: the same Spanish file.
        server = await client.get("/v1/export", params={"lang": "es"}, headers={"Accept-Language": "en"})
        assert server.headers["content-language"] == "es"
        assert cursor == server.json()["cursor"]
        assert ("condition", "transient-test-condition") not in local
        assert local == as_library(server.json())
        assert requests < len(local) / 2
        assert spanish_neck_names(local) == {"Dolor cervical"}
        whiplash = local[("condition", "whiplash")]
        assert whiplash["name"] == "Latigazo cervical"  # its translation's name, whatever the English one says
    writer.dispose()
    app.state.close()
