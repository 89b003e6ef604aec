"""How codes of each system are written and checked before any look-up."""

import pytest

from app.models.code_systems import BY_FHIR_URI, BY_LABEL, BY_OID, CodeSystem, parse_snomed


@pytest.mark.parametrize(
    "concept",
    ["138875005", "404684003", "279039007", "23056005", "22298006"],  # root, clinical finding, low back pain, ...
)
def test_published_snomed_concept_ids_pass(concept: str) -> None:
    assert parse_snomed(concept) == concept


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("279039008", "check digit"),
        ("279039107", "check digit"),
        ("0279039007", "leading zero"),
        ("12345", "too short"),
        ("1234567890123456789", "too long"),
        ("27903900x", "not digits"),
        ("123456017", "partition 01 (a description's id), not a concept's; its check digit is right"),
    ],
)
def test_malformed_snomed_ids_are_refused(written: str, why: str) -> None:
    assert parse_snomed(written) is None, why


def test_obo_ids_are_read_in_either_spelling() -> None:
    assert CodeSystem.MONDO.spec.parse("mondo_0024333") == "MONDO:0024333"
    assert CodeSystem.HPO.spec.parse(" HP:0003419 ") == "HP:0003419"
    assert CodeSystem.HPO.spec.parse("HP:003419") is None
    assert CodeSystem.HPO.spec.iri("HP:0003419") == "http://purl.obolibrary.org/obo/HP_0003419"


def test_every_name_of_a_system_leads_back_to_it() -> None:
    assert BY_OID["2.16.840.1.113883.6.90"] is CodeSystem.ICD10
    assert BY_OID["2.16.840.1.113883.6.96"] is CodeSystem.SNOMED
    assert BY_FHIR_URI["http://snomed.info/sct"] is CodeSystem.SNOMED
    assert {BY_LABEL[system.label] for system in CodeSystem} == set(CodeSystem)
