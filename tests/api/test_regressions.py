"""Bugs a review found, pinned so they stay fixed."""

import base64
import json

import httpx
import pytest

from app.api.negotiation import choose_encoding

pytestmark = pytest.mark.anyio


def forged(payload: str) -> str:
    return base64.urlsafe_b64encode(payload.encode("utf-8", "surrogatepass")).decode().rstrip("=")


@pytest.mark.parametrize(
    ("path", "parameter", "payload"),
    [
        ("/v1/search?q=pain&cursor=", "cursor", json.dumps({"offset": 2**63})),
        ("/v1/search?q=pain&cursor=", "cursor", json.dumps({"offset": -5})),
        ("/v1/conditions?cursor=", "cursor", '{"after":"\\ud800"}'),
        ("/v1/symptoms?cursor=", "cursor", '{"after":"\\ud800"}'),
        ("/v1/changes?since=", "since", json.dumps({"seq": 2**70})),
    ],
)
async def test_forged_cursors_are_422s_not_500s(
    client: httpx.AsyncClient, path: str, parameter: str, payload: str
) -> None:
    response = await client.get(path + forged(payload))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["name"] == parameter


async def test_the_next_link_does_not_carry_the_request_host(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/conditions?limit=2", headers={"Host": "evil.example"})
    assert response.headers["link"].startswith("</v1/conditions?")
    again = await client.get("/v1/conditions?limit=2")
    assert "evil.example" not in again.headers["link"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip;q=0.8", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("br;q=0.0", "identity"),
        ("gzip;q=abc", "identity"),
        ("BR", "br"),
        ("", "identity"),
    ],
)
def test_accept_encoding_quality_values(header: str, expected: str) -> None:
    assert choose_encoding(header) == expected


async def test_a_red_flag_alone_does_not_make_a_symptom_match(client: httpx.AsyncClient) -> None:
    """`fever` is only ever a red flag: the symptom filter finds no condition, the symptom page lists them."""
    symptom = (await client.get("/v1/symptoms/fever")).json()
    assert symptom["conditions"] and {use["section"] for use in symptom["conditions"]} == {"red-flag"}
    assert (await client.get("/v1/conditions", params={"symptom": "fever"})).json()["total"] == 0
