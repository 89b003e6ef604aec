"""SNOMED CT, MONDO and HPO on the seeded library: look-ups, list filters, symptoms' HPO terms and lay words."""

import httpx
import pytest

from app.content import ontologies

pytestmark = pytest.mark.anyio

LUMBAR_PAGES = {"lumbar-muscle-spasm", "lumbar-strain", "nonspecific-low-back-pain"}


async def test_every_condition_carries_snomed_ct_and_mondo(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/conditions", params={"limit": 100, "expand": "codes"})).json()
    assert body["total"] == 16
    mondo = ontologies.mondo()
    for item in body["items"]:
        systems = [code["system"] for code in item["codes"]]
        assert systems.count("SNOMED CT") == 1 and systems.count("MONDO") == 1, item["slug"]
        for code in item["codes"]:
            # Anything short of an exact match says how it differs.
            assert code["match"] == "exact" or code["note"], (item["slug"], code)
            if code["system"] == "MONDO":
                assert code["display"] == mondo.terms[code["code"]].label
                assert code["url"] == f"http://purl.obolibrary.org/obo/{code['code'].replace(':', '_')}"


async def test_an_exact_mapping_is_the_only_one_json_ld_calls_the_same_thing(client: httpx.AsyncClient) -> None:
    sciatica = (await client.get("/v1/conditions/sciatica/jsonld")).json()["@graph"][0]["about"]
    assert sciatica["sameAs"] == ["http://purl.obolibrary.org/obo/MONDO_0024333"]
    strain = (await client.get("/v1/conditions/lumbar-strain/jsonld")).json()["@graph"][0]["about"]
    assert "sameAs" not in strain  # MONDO's "injury" is broader: two strains are not one thing


async def test_look_ups_say_how_each_condition_relates_to_the_code(client: httpx.AsyncClient) -> None:
    injury = (await client.get("/v1/codes/snomed/417746004")).json()
    assert {(c["slug"], c["match"]) for c in injury["conditions"]} == {
        ("cervical-muscle-strain", "broader"),
        ("lumbar-strain", "broader"),
    }
    sciatica = (await client.get("/v1/codes/icd10/M54.30")).json()
    assert [(c["slug"], c["match"]) for c in sciatica["conditions"]] == [("sciatica", "exact")]


async def test_ontology_look_ups_credit_the_release(client: httpx.AsyncClient) -> None:
    mondo = (await client.get("/v1/codes/mondo/MONDO:0024333")).json()
    assert mondo["attribution"] == (
        f"Mondo Disease Ontology release {ontologies.mondo().version}, CC BY 4.0, https://mondo.monarchinitiative.org"
    )
    hpo = (await client.get("/v1/codes/hpo/HP:0003419")).json()
    assert hpo["attribution"].startswith(f"Human Phenotype Ontology (HPO) release {ontologies.hpo().version}")
    assert (await client.get("/v1/codes/icd10/M54.30")).json()["attribution"] is None


async def test_the_hpo_term_for_low_back_pain_lists_the_conditions_with_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/codes/hpo/HP:0003419")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == {"code": "HP:0003419", "description": "Low back pain"}
    assert body["url"] == "http://purl.obolibrary.org/obo/HP_0003419"
    assert [symptom["slug"] for symptom in body["symptoms"]] == ["low-back-pain"]
    listing = (await client.get("/v1/symptoms/low-back-pain")).json()["conditions"]
    assert {c["slug"] for c in body["conditions"]} == {use["slug"] for use in listing}
    assert {c["slug"] for c in body["conditions"]} >= LUMBAR_PAGES


async def test_hpo_ids_are_read_in_either_spelling_and_checked_against_the_release(client: httpx.AsyncClient) -> None:
    assert (await client.get("/v1/codes/hpo/hp_0003419")).json()["code"]["code"] == "HP:0003419"
    # A current term no symptom maps to: named, with nothing under it.
    unused = (await client.get("/v1/codes/hpo/HP:0000118")).json()
    assert unused["code"]["description"] == "Phenotypic abnormality"
    assert unused["symptoms"] == [] and unused["conditions"] == []
    missing = await client.get("/v1/codes/hpo/HP:9999999")
    assert missing.status_code == 404
    assert "not a current term of the HPO release" in missing.json()["detail"]
    malformed = await client.get("/v1/codes/hpo/HP:12")
    assert malformed.status_code == 422
    assert "not shaped like a HPO id" in malformed.json()["detail"]


async def test_snomed_ct_look_ups_match_exactly_and_say_what_the_server_cannot_know(
    client: httpx.AsyncClient,
) -> None:
    body = (await client.get("/v1/codes/snomed/23056005")).json()
    assert body["system"] == "SNOMED CT" and body["exact"] is True
    assert [c["slug"] for c in body["conditions"]] == ["sciatica"]

    uncarried = await client.get("/v1/codes/snomed/22298006")  # myocardial infarction: valid, not ours
    assert uncarried.status_code == 404
    assert "holds no SNOMED CT release" in uncarried.json()["detail"]

    mistyped = await client.get("/v1/codes/snomed/23056006")
    assert mistyped.status_code == 404
    assert "Verhoeff check digit" in mistyped.json()["detail"]


async def test_mondo_look_ups_name_the_term_from_the_release(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/codes/mondo/MONDO:0024333")).json()
    assert body["code"] == {"code": "MONDO:0024333", "description": "sciatica"}
    assert [c["slug"] for c in body["conditions"]] == ["sciatica"]
    unused = (await client.get("/v1/codes/mondo/MONDO:0005148")).json()  # type 2 diabetes mellitus
    assert unused["matched"] is None and unused["conditions"] == []
    assert (await client.get("/v1/codes/mondo/MONDO:0000000")).status_code == 404


async def test_conditions_filter_by_snomed_and_mondo(client: httpx.AsyncClient) -> None:
    by_snomed = (await client.get("/v1/conditions", params={"snomed": "279039007"})).json()
    assert [item["slug"] for item in by_snomed["items"]] == ["nonspecific-low-back-pain"]
    by_mondo = (await client.get("/v1/conditions", params={"mondo": "MONDO:0021178"})).json()
    assert [item["slug"] for item in by_mondo["items"]] == ["cervical-muscle-strain", "lumbar-strain"]
    # A valid concept no condition carries is an empty list (there is no release to say more)...
    assert (await client.get("/v1/conditions", params={"snomed": "22298006"})).json()["total"] == 0
    # ...a mistyped one or an id the MONDO release lacks is a problem naming the parameter.
    for name, value in (("snomed", "22298007"), ("mondo", "MONDO:0000000")):
        response = await client.get("/v1/conditions", params={name: value})
        assert response.status_code == 404
        assert response.json()["errors"][0]["name"] == name


async def test_an_exact_hpo_match_brings_hpo_lay_words_attributed(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/symptoms/low-back-pain")).json()
    assert body["hpo"]["code"] == "HP:0003419" and body["hpo"]["match"] == "exact"
    assert body["lay_terms"] == {
        "terms": ["Lumbago"],
        "source": f"Human Phenotype Ontology (HPO) release {ontologies.hpo().version}, https://hpo.jax.org",
    }
    # A near match names the term and says how it differs, but brings no lay words ("Water retention").
    swelling = (await client.get("/v1/symptoms/swelling")).json()
    assert swelling["hpo"]["match"] == "close" and swelling["hpo"]["note"]
    assert swelling["lay_terms"] is None
    found = (await client.get("/v1/search", params={"q": "water retention", "type": "symptom"})).json()
    assert "swelling" not in [hit["slug"] for hit in found["items"]]


async def test_lumbago_finds_low_back_pain_and_the_lumbar_pages(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/search", params={"q": "lumbago", "limit": 20})).json()
    slugs = [hit["slug"] for hit in body["items"]]
    assert slugs[0] == "low-back-pain"
    assert set(slugs) >= LUMBAR_PAGES
    # A page found only by a listed symptom's other name shows its summary, not a list of names.
    spasm = next(hit for hit in body["items"] if hit["slug"] == "lumbar-muscle-spasm")
    assert spasm["snippet"].startswith("An involuntary contraction")
    suggested = (await client.get("/v1/search/suggest", params={"q": "lumbag"})).json()
    assert "low-back-pain" in [item["slug"] for item in suggested["items"]]
