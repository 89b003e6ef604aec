"""MedlinePlus Connect's requests, with only the host changed, against the real server process: the feed a reader
shows leads to the lumbar muscle spasm page, for the ICD-10-CM code, its SNOMED CT code and a child code."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.infobutton.requests import ICD10_OID, SNOMED_OID, medlineplus_request, on_our_host, people_page, read_feed
from tests.servers import api_server

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(db_path: Path) -> Iterator[str]:
    with api_server(db_path) as base:
        yield base


@pytest.mark.parametrize(
    ("request_url", "title", "query"),
    [
        (medlineplus_request(ICD10_OID, "M62.830", "Muscle spasm of back"), "Lumbar muscle spasm", ""),
        (medlineplus_request(SNOMED_OID, "55300003", "Spasm of back muscles"), "Lumbar muscle spasm", ""),
        (medlineplus_request(ICD10_OID, "M62.838", "Other muscle spasm"), "Lumbar muscle spasm", ""),
        (
            medlineplus_request(ICD10_OID, "M62.830", "Espasmo muscular", language="es"),
            "Espasmo muscular lumbar",
            "?lang=es",
        ),
    ],
)
def test_a_medlineplus_connect_request_leads_to_the_page(server: str, request_url: str, title: str, query: str) -> None:
    with httpx.Client(timeout=10) as client:
        feed = read_feed(client.get(on_our_host(request_url, server)))
        assert [entry.title for entry in feed.entries] == [title]
        assert "display name" not in feed.feed.subtitle  # found by the code (or its ancestor), not by search
        assert people_page(feed.entries[0]) == f"{server}/conditions/lumbar-muscle-spasm{query}"
        page = client.get(people_page(feed.entries[0]))
        assert page.status_code == 200 and title in page.text  # the page for people, in the feed's language
