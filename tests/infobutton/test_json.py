"""The JSON form: valid against the schema the OpenAPI document publishes (checked by jsonschema-rs, an outside
validator), and the same feed as the Atom XML, element for element."""

from typing import Any

import feedparser
import httpx
import jsonschema_rs
import pytest

from tests.infobutton.requests import ICD10_OID, SNOMED_OID, medlineplus_request, on_our_host, read_feed

pytestmark = pytest.mark.anyio


async def published_schema(client: httpx.AsyncClient) -> dict[str, Any]:
    document = (await client.get("/openapi.json")).json()
    operation = document["paths"]["/infobutton"]["get"]
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return {**response, "components": document["components"]}  # its $refs resolve within the document


@pytest.mark.parametrize(
    "url",
    [
        medlineplus_request(ICD10_OID, "M62.830"),
        medlineplus_request(ICD10_OID, "M62.838", language="es"),
        medlineplus_request(SNOMED_OID, "22298006", "Lumbar spasm"),
        medlineplus_request(ICD10_OID, "A00.0"),
    ],
)
async def test_the_json_form_is_valid_and_mirrors_the_feed(client: httpx.AsyncClient, url: str) -> None:
    as_xml = await client.get(on_our_host(url))
    as_json = await client.get(on_our_host(url) + "&knowledgeResponseType=application/json")
    assert as_json.headers["content-type"] == "application/json"
    body = as_json.json()
    jsonschema_rs.validator_for(await published_schema(client)).validate(body)

    feed, json_feed = read_feed(as_xml), body["feed"]
    assert json_feed["subtitle"]["_value"] == feed.feed.subtitle
    assert json_feed["updated"]["_value"] == feed.feed.updated
    assert json_feed["id"]["_value"] == feed.feed.id
    assert [(c["scheme"], c["term"]) for c in json_feed["category"]] == [(t.scheme, t.term) for t in feed.feed.tags]
    assert len(json_feed["entry"]) == len(feed.entries)
    for entry, parsed in zip(json_feed["entry"], feed.entries, strict=True):
        assert entry["title"]["_value"] == parsed.title
        assert [(link["href"], link["type"]) for link in entry["link"]] == [
            (each.href, each.type) for each in parsed.links
        ]
        assert entry["summary"]["_value"] == parsed.summary and entry["summary"]["type"] == "html"
        assert entry["updated"]["_value"] == parsed.updated and entry["id"]["_value"] == parsed.id


async def test_the_schema_refuses_what_is_not_the_feed(client: httpx.AsyncClient) -> None:
    """The check above can fail: the published schema is not just `object`."""
    validator = jsonschema_rs.validator_for(await published_schema(client))
    url = on_our_host(medlineplus_request(ICD10_OID, "M62.830")) + "&knowledgeResponseType=application/json"
    body = (await client.get(url)).json()
    del body["feed"]["entry"][0]["title"]
    assert not validator.is_valid(body)
    assert not validator.is_valid({"feed": {**body["feed"], "category": [{"scheme": "x"}]}})


def test_feedparser_is_a_judge_that_can_fail() -> None:
    assert feedparser.parse(b"<feed><entry>").bozo
