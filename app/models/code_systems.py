"""The code systems entries carry, how each is named in every standard we speak, and how its codes are written.

One home for the names: content files say `system: SNOMED CT`, the API's paths say `snomed`, HL7 Infobutton
requests say the OID `2.16.840.1.113883.6.96`, FHIR resources say `http://snomed.info/sct`, and schema.org's
`codingSystem` says `SNOMED CT`.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from stdnum import verhoeff

from app.models.codes import ICD10_SHAPE, ICD10_SYSTEM, ICD10_WRITTEN_PATTERN, parse_icd10


class CodeSystem(StrEnum):
    """The path name of each system (`/v1/codes/{system}/{code}`)."""

    ICD10 = "icd10"
    SNOMED = "snomed"
    MONDO = "mondo"
    HPO = "hpo"

    @property
    def spec(self) -> "SystemSpec":
        return SPECS[self]

    @property
    def label(self) -> str:
        return SPECS[self].label


SNOMED_SHAPE = "6 to 18 digits, not starting with 0, a concept's partition (00 or 10) and a Verhoeff check digit"
SNOMED_WRITTEN_PATTERN = r"^[1-9][0-9]{5,17}$"
# The two digits before the check digit: 00 is a concept in the international release, 10 one in an extension.
_SNOMED_CONCEPT_PARTITIONS = ("00", "10")


def parse_snomed(code: str) -> str | None:
    """A SNOMED CT concept id as written, or None: no release may be redistributed, so shape, partition and check
    digit are all we can verify."""
    written = code.strip()
    if not re.fullmatch(SNOMED_WRITTEN_PATTERN, written):
        return None
    if written[-3:-1] not in _SNOMED_CONCEPT_PARTITIONS or not verhoeff.is_valid(written):
        return None
    return written


MONDO_SHAPE = "MONDO: and seven digits (e.g. MONDO:0024333); MONDO_0024333 is read too"
MONDO_WRITTEN_PATTERN = r"^(?i:mondo)[:_][0-9]{7}$"
HPO_SHAPE = "HP: and seven digits (e.g. HP:0003419); HP_0003419 is read too"
HPO_WRITTEN_PATTERN = r"^(?i:hp)[:_][0-9]{7}$"


def _curie(prefix: str, pattern: str) -> Callable[[str], str | None]:
    def parse(code: str) -> str | None:
        written = code.strip()
        if not re.fullmatch(pattern, written):
            return None
        return f"{prefix}:{written[-7:]}"

    return parse


class MappingMatch(StrEnum):
    """How a code's concept relates to the entry carrying it, as SKOS mapping relations say: `broader` means the
    code means more than the entry (SNOMED CT's "Low back pain" on nonspecific low back pain)."""

    exact = "exact"
    close = "close"
    broader = "broader"
    narrower = "narrower"


@dataclass(frozen=True)
class SystemSpec:
    label: str  # as content files and schema.org's `codingSystem` write it
    oid: str | None  # HL7's OID, as Infobutton requests name systems
    fhir_uri: str  # FHIR's `Coding.system`
    shape: str  # in words, for error messages
    written_pattern: str  # what a client may write, declared on the API's parameters
    parse: Callable[[str], str | None]  # the stored form, or None when not shaped like a code
    iri_prefix: str | None = None  # an OBO term's IRI is this plus the id with `_` for `:`

    def iri(self, code: str) -> str | None:
        return f"{self.iri_prefix}{code.replace(':', '_')}" if self.iri_prefix else None


SPECS: dict[CodeSystem, SystemSpec] = {
    CodeSystem.ICD10: SystemSpec(
        label=ICD10_SYSTEM,
        oid="2.16.840.1.113883.6.90",
        fhir_uri="http://hl7.org/fhir/sid/icd-10-cm",
        shape=ICD10_SHAPE,
        written_pattern=ICD10_WRITTEN_PATTERN,
        parse=parse_icd10,
    ),
    CodeSystem.SNOMED: SystemSpec(
        label="SNOMED CT",
        oid="2.16.840.1.113883.6.96",
        fhir_uri="http://snomed.info/sct",
        shape=SNOMED_SHAPE,
        written_pattern=SNOMED_WRITTEN_PATTERN,
        parse=parse_snomed,
    ),
    CodeSystem.MONDO: SystemSpec(
        label="MONDO",
        oid=None,
        fhir_uri="http://purl.obolibrary.org/obo/mondo.owl",
        shape=MONDO_SHAPE,
        written_pattern=MONDO_WRITTEN_PATTERN,
        parse=_curie("MONDO", MONDO_WRITTEN_PATTERN),
        iri_prefix="http://purl.obolibrary.org/obo/",
    ),
    CodeSystem.HPO: SystemSpec(
        label="HPO",
        oid=None,
        fhir_uri="http://human-phenotype-ontology.org",
        shape=HPO_SHAPE,
        written_pattern=HPO_WRITTEN_PATTERN,
        parse=_curie("HP", HPO_WRITTEN_PATTERN),
        iri_prefix="http://purl.obolibrary.org/obo/",
    ),
}
BY_LABEL = {spec.label: system for system, spec in SPECS.items()}
BY_OID = {spec.oid: system for system, spec in SPECS.items() if spec.oid}
BY_FHIR_URI = {spec.fhir_uri: system for system, spec in SPECS.items()}
# Systems HL7 Infobutton requests name (MedlinePlus Connect takes them) whose codes no entry here carries: known,
# so that a request naming one is told which systems are served rather than that the OID means nothing.
UNSERVED_OIDS = {
    "2.16.840.1.113883.6.103": "ICD-9-CM (diagnoses)",
    "2.16.840.1.113883.6.104": "ICD-9-CM (procedures)",
    "2.16.840.1.113883.6.4": "ICD-10-PCS",
    "2.16.840.1.113883.6.88": "RxNorm",
    "2.16.840.1.113883.6.69": "NDC",
    "2.16.840.1.113883.6.1": "LOINC",
    "2.16.840.1.113883.6.12": "CPT-4",
    "2.16.840.1.113883.6.285": "HCPCS",
}


HPO = CodeSystem.HPO


def hpo_attribution(release: str) -> str:
    """How HPO's terms are credited, as its licence asks: by name and release."""
    return f"Human Phenotype Ontology (HPO) release {release}, https://hpo.jax.org"


def mondo_attribution(release: str) -> str:
    """MONDO's credit, as CC BY 4.0 asks."""
    return f"Mondo Disease Ontology release {release}, CC BY 4.0, https://mondo.monarchinitiative.org"
