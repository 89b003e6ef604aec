"""`/v1/codes/icd10/{code}` and `?icd10=`: exact matches first, else the nearest coded ancestor's."""

import httpx
import pytest

pytestmark = pytest.mark.anyio


async def test_the_seed_page_code_finds_lumbar_muscle_spasm(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/codes/icd10/M62.830")).json()
    assert body["system"] == "ICD-10-CM"
    assert body["code"] == {"code": "M62.830", "description": "Muscle spasm of back"}
    assert body["matched"] == body["code"]
    assert body["exact"] is True
    assert [c["slug"] for c in body["conditions"]] == ["lumbar-muscle-spasm"]


@pytest.mark.parametrize("spelling", ["m62830", "M62830", "m62.830"])
async def test_codes_are_accepted_without_dot_or_in_lower_case(client: httpx.AsyncClient, spelling: str) -> None:
    body = (await client.get(f"/v1/codes/icd10/{spelling}")).json()
    assert body["code"]["code"] == "M62.830"


@pytest.mark.parametrize("spelling", [" m62.830 ", "M62..830", "M6", "M62.83000"])
async def test_what_the_documented_pattern_refuses_the_server_refuses(client: httpx.AsyncClient, spelling: str) -> None:
    response = await client.get(f"/v1/codes/icd10/{spelling}")
    assert response.status_code == 422
    assert "not shaped like an ICD-10-CM code" in response.json()["detail"]


async def test_a_well_shaped_code_the_release_lacks_is_a_404(client: httpx.AsyncClient) -> None:
    assert (await client.get("/v1/codes/icd10/QZZ.ZZZ")).status_code == 404
    unknown = await client.get("/v1/conditions", params={"icd10": "QZZ.ZZZ"})
    assert unknown.status_code == 404
    assert unknown.json()["type"] == "/problems/unknown-reference"
    assert unknown.json()["errors"][0]["name"] == "icd10"


@pytest.mark.parametrize(
    ("code", "matched", "slug"),
    [
        ("M62.838", "M62.83", "lumbar-muscle-spasm"),  # other muscle spasm: the sibling under M62.83
        ("S39.012D", "S39.012", "lumbar-strain"),  # a later encounter of the strain coded S39.012A
        ("M62.83", "M62.83", "lumbar-muscle-spasm"),  # a category: the conditions coded below it
    ],
)
async def test_the_nearest_ancestor_answers_when_no_condition_has_the_code(
    client: httpx.AsyncClient, code: str, matched: str, slug: str
) -> None:
    body = (await client.get(f"/v1/codes/icd10/{code}")).json()
    assert body["matched"]["code"] == matched
    assert body["exact"] is (code == matched)
    assert slug in [c["slug"] for c in body["conditions"]]


async def test_a_code_no_condition_carries_answers_with_no_match(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/codes/icd10/J45.909")).json()  # asthma: nothing in a spine library
    assert body["code"]["description"] == "Unspecified asthma, uncomplicated"
    assert (body["matched"], body["exact"], body["conditions"]) == (None, False, [])


async def test_malformed_and_unknown_codes_are_problems(client: httpx.AsyncClient) -> None:
    malformed = await client.get("/v1/codes/icd10/not-a-code")
    assert malformed.status_code == 422
    assert malformed.headers["content-type"] == "application/problem+json"
    assert malformed.json()["errors"][0] == {
        "name": "code",
        "location": "path",
        "reason": malformed.json()["errors"][0]["reason"],
    }
    unknown = await client.get("/v1/codes/icd10/M62.839")
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "'M62.839' is not in the ICD-10-CM code set this server holds."


async def test_the_condition_list_filters_by_code(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/conditions?icd10=M62.830")).json()
    assert [c["slug"] for c in body["items"]] == ["lumbar-muscle-spasm"]
    assert body["total"] == 1
    nearest = (await client.get("/v1/conditions?icd10=M62.838")).json()
    assert [c["slug"] for c in nearest["items"]] == ["lumbar-muscle-spasm"]
    empty = (await client.get("/v1/conditions?icd10=J45.909")).json()
    assert (empty["items"], empty["total"]) == ([], 0)
    bad = await client.get("/v1/conditions?icd10=zz")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["name"] == "icd10"


@pytest.mark.parametrize("spelling", ["M54..1", "M5.4.1", ".M541", "M541."])
async def test_a_dot_anywhere_but_after_the_category_is_malformed(client: httpx.AsyncClient, spelling: str) -> None:
    response = await client.get(f"/v1/codes/icd10/{spelling}")
    assert response.status_code == 422, response.text


def test_every_code_of_the_shipped_release_has_an_accepted_shape() -> None:
    """The shape check must not refuse a real code: QA0.012 (2026) has a letter where others have a digit."""
    from app.content.icd10 import load_code_set
    from app.models.codes import parse_icd10

    code_set = load_code_set()
    codes = [code for code in code_set.module.get_all_codes(True) if code[0].isalpha() and "-" not in code]
    assert len(codes) > 90_000
    refused = [code for code in codes if parse_icd10(code) != code]
    assert refused == []
    assert parse_icd10("qa0012") == "QA0.012"


async def test_a_qa0_code_is_looked_up(client: httpx.AsyncClient) -> None:
    """The release lists QA0 as its own parent: the ancestry walk must stop, not run into the time limit."""
    response = await client.get("/v1/codes/icd10/QA0.012")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["code"]["code"] == "QA0.012" and body["matched"] is None and body["conditions"] == []
