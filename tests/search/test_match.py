"""`/v1/conditions/match`: IDF-weighted symptom coverage, with the notice and red flags."""

import httpx
import pytest

pytestmark = pytest.mark.anyio


async def test_match_ranks_by_weighted_coverage_and_explains_itself(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/v1/conditions/match", params=[("symptom", "low-back-pain"), ("symptom", "muscle-tenderness")]
    )
    assert response.status_code == 200
    body = response.json()
    assert body["notice"].startswith("This is general information, not a diagnosis.")
    top = body["items"][0]
    assert top["score"] == 1.0
    assert {s["slug"] for s in top["matched"]} == {"low-back-pain", "muscle-tenderness"}
    assert not {s["slug"] for s in top["not_given"]} & {"low-back-pain", "muscle-tenderness"}
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True)
    assert "lumbar-muscle-spasm" in [item["condition"]["slug"] for item in body["items"] if item["score"] == 1.0]


async def test_a_rare_symptom_outweighs_a_common_one(client: httpx.AsyncClient) -> None:
    body = (
        await client.get("/v1/conditions/match", params=[("symptom", "low-back-pain"), ("symptom", "saddle-numbness")])
    ).json()
    by_slug = {item["condition"]["slug"]: item["score"] for item in body["items"]}
    # Cauda equina has the rare symptom; a page with only the common one scores less than half.
    assert body["items"][0]["condition"]["slug"] == "cauda-equina-syndrome"
    assert by_slug["nonspecific-low-back-pain"] < 0.5


async def test_red_flag_symptoms_name_the_emergency(client: httpx.AsyncClient) -> None:
    params = {"symptom": ["saddle-numbness", "bladder-or-bowel-dysfunction"]}
    body = (await client.get("/v1/conditions/match", params=params)).json()
    first = body["red_flags"][0]
    assert first["condition"]["slug"] == "cauda-equina-syndrome"
    assert {s["slug"] for s in first["symptoms"]} == {"saddle-numbness", "bladder-or-bowel-dysfunction"}


async def test_free_text_is_resolved_through_search(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/conditions/match", params={"symptom": "lower back pain"})).json()
    assert body["given"] == [
        {
            "query": "lower back pain",
            "symptom": {
                "slug": "low-back-pain",
                "name": "Low back pain",
                "href": "/v1/symptoms/low-back-pain",
                "hpo": "HP:0003419",
                "hpo_exact": True,
            },
            "resolved_by": "search",
        }
    ]


async def test_unresolvable_symptoms_are_404s_and_missing_ones_422s(client: httpx.AsyncClient) -> None:
    unknown = await client.get("/v1/conditions/match", params={"symptom": ["zzqx", "low-back-pain"]})
    assert unknown.status_code == 404
    assert unknown.json()["type"] == "/problems/unknown-reference"
    reason = "no symptom is named 'zzqx'"
    assert unknown.json()["errors"] == [{"name": "symptom", "location": "query", "reason": reason}]
    missing = await client.get("/v1/conditions/match")
    assert missing.status_code == 422 and missing.json()["errors"][0]["name"] == "symptom"
    empty = await client.get("/v1/conditions/match", params={"symptom": ""})
    assert empty.status_code == 422


@pytest.mark.parametrize(
    ("phrase", "slug"),
    [
        ("back pain", "low-back-pain"),  # not the rarer mid back pain
        ("pain in my back", "low-back-pain"),
        ("sore back", "low-back-pain"),
        ("lower back pain", "low-back-pain"),  # an alias, exactly
        ("lumbago", "low-back-pain"),
        ("upper back pain", "mid-back-pain"),  # an alias of the rarer term wins when it is exact
        ("neck pain", "neck-pain"),
        ("pins and needles", "numbness-or-tingling"),
        ("tingling", "numbness-or-tingling"),
        ("weak legs", "muscle-weakness"),
        ("trouble walking", "difficulty-walking"),
        ("leg pain", "radiating-leg-pain"),
        ("muscle spasm", "muscle-spasm"),
        ("headaches", "headache"),
    ],
)
async def test_lay_phrases_resolve_to_what_a_person_means(client: httpx.AsyncClient, phrase: str, slug: str) -> None:
    body = (await client.get("/v1/conditions/match", params={"symptom": phrase})).json()
    assert body["given"][0]["symptom"]["slug"] == slug
    assert body["given"][0]["resolved_by"] == "search"


@pytest.mark.parametrize("filler", ["a", "the", "and", "of", "in the", "my"])
async def test_filler_words_name_no_symptom(client: httpx.AsyncClient, filler: str) -> None:
    """Found from outside: "a" was read as saddle numbness, and the match listed 12 conditions as red flags."""
    response = await client.get("/v1/conditions/match", params={"symptom": filler})
    assert response.status_code == 404, response.text
    assert response.json()["type"] == "/problems/unknown-reference"
