"""CDS Hooks 2.0 on the wire: the discovery answer, the request an EHR posts when a chart opens (`patient-view`)
with its prefetched FHIR R4 `Condition`s, and the cards we answer.

Request models admit the extra fields FHIR and CDS Hooks allow (extensions, fields of later versions); what we
read is typed, so a body we cannot read is a 400 problem naming the field. Field names are the specification's
(camelCase), so the OpenAPI document shows the shapes an EHR's developers know.
"""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from app.models.code_systems import BY_FHIR_URI, CodeSystem

CDS_SERVICES_PATH = "/cds-services"  # `{baseUrl}/cds-services`, where the specification puts discovery
PATIENT_VIEW = "patient-view"
CONDITIONS_PREFETCH = "conditions"  # our prefetch key
CONDITIONS_PREFETCH_TEMPLATE = "Condition?patient={{context.patientId}}&clinical-status=active"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
# In FHIR's condition-clinical hierarchy `recurrence` and `relapse` are kinds of `active` (the condition is back),
# while `remission` and `resolved` are kinds of `inactive`: a patient with a relapse is one the card is for.
ACTIVE_CLINICAL_STATUSES = frozenset({"active", "recurrence", "relapse"})
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
# A diagnosis the record itself says is wrong gets no card, whatever its clinical status says.
DISCARDED_VERIFICATIONS = frozenset({"refuted", "entered-in-error"})
MAX_SUMMARY = 140  # characters the specification allows a card's summary


def is_cds_hooks_path(path: str) -> bool:
    return path == CDS_SERVICES_PATH or path.startswith(CDS_SERVICES_PATH + "/")


class FhirElement(BaseModel):
    # Strict: a value is read only as the type the OpenAPI document declares (`"300"` is no `expires_in`).
    model_config = ConfigDict(extra="allow", frozen=True, strict=True)


class Coding(FhirElement):
    system: str | None = None
    code: str | None = None
    display: str | None = None


class CodeableConcept(FhirElement):
    coding: list[Coding] = []
    text: str | None = None

    def has_code(self, system: str, codes: frozenset[str]) -> bool:
        return any(coding.system == system and coding.code in codes for coding in self.coding)


class Reference(FhirElement):
    reference: str | None = None


class FhirCondition(FhirElement):
    """The parts of a FHIR R4 `Condition` that decide whether, and for what, a card is shown."""

    resourceType: Literal["Condition"]
    id: str | None = None
    clinicalStatus: CodeableConcept | None = None
    verificationStatus: CodeableConcept | None = None
    code: CodeableConcept | None = None
    subject: Reference | None = None

    def is_active(self) -> bool:
        """Active by its clinical status; one without a status is not known to be active."""
        if self.verificationStatus is not None and self.verificationStatus.has_code(
            CONDITION_VERIFICATION, DISCARDED_VERIFICATIONS
        ):
            return False
        return self.clinicalStatus is not None and self.clinicalStatus.has_code(
            CONDITION_CLINICAL, ACTIVE_CLINICAL_STATUSES
        )

    def is_about(self, patient_id: str) -> bool:
        """False only when the subject names another patient: such a condition came into the prefetch by mistake,
        and guidance about someone else must not be shown beside this chart."""
        reference = self.subject.reference if self.subject is not None else None
        if reference is None or "Patient/" not in reference:
            return True
        return reference.rsplit("Patient/", 1)[1].split("/")[0] == patient_id

    def codings(self) -> list[tuple[CodeSystem, str]]:
        """The codes of systems we hold, as written (each system's `parse` gives the stored form)."""
        if self.code is None:
            return []
        return [
            (BY_FHIR_URI[coding.system], coding.code)
            for coding in self.code.coding
            if coding.system in BY_FHIR_URI and coding.code
        ]


class OtherResource(FhirElement):
    """Any other resource in the Bundle (an `OperationOutcome` of a partial search, an included `Patient`)."""

    resourceType: str = Field(json_schema_extra={"not": {"const": "Condition"}})


def _resource_kind(value: Any) -> str:
    kind = value.get("resourceType") if isinstance(value, dict) else getattr(value, "resourceType", None)
    return "condition" if kind == "Condition" else "other"


class BundleEntry(FhirElement):
    resource: (
        Annotated[
            Annotated[FhirCondition, Tag("condition")] | Annotated[OtherResource, Tag("other")],
            Discriminator(_resource_kind),
        ]
        | None
    ) = None


class Bundle(FhirElement):
    """A FHIR `searchset` Bundle: what the prefetch template's search returns."""

    resourceType: Literal["Bundle"]
    entry: list[BundleEntry] = []

    def conditions(self) -> list[FhirCondition]:
        return [entry.resource for entry in self.entry if isinstance(entry.resource, FhirCondition)]


class OperationOutcome(FhirElement):
    """What a CDS client sends in place of data it failed to fetch."""

    resourceType: Literal["OperationOutcome"]


class Prefetch(FhirElement):
    """The prefetched data, by prefetch key. A client sends `null` when it found nothing and leaves the key out
    when it could not fetch; either way we have no conditions to read."""

    conditions: Annotated[Bundle | OperationOutcome, Discriminator("resourceType")] | None = None

    def fetched_conditions(self) -> list[FhirCondition]:
        return self.conditions.conditions() if isinstance(self.conditions, Bundle) else []


class PatientViewContext(FhirElement):
    userId: str = Field(description="Who opened the chart, as `[ResourceType]/[id]`.", examples=["Practitioner/abc"])
    patientId: str = Field(description="The FHIR `Patient.id` of the chart.", examples=["1288992"])
    encounterId: str | None = Field(default=None, description="The FHIR `Encounter.id`, if any.")


class FhirAuthorization(FhirElement):
    """An access token to the EHR's FHIR server. We never call it, so the token is neither used nor kept."""

    access_token: str
    token_type: str
    expires_in: int
    scope: str
    subject: str


class PatientViewRequest(FhirElement):
    """A `patient-view` call, as the CDS Hooks specification shapes it."""

    hook: Literal["patient-view"]
    hookInstance: str = Field(
        min_length=1,
        description="The UUID of this call; it names the cards' `uuid`s.",
        examples=["d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"],
    )
    fhirServer: str | None = Field(default=None, description="The EHR's FHIR server; never called.")
    fhirAuthorization: FhirAuthorization | None = None
    context: PatientViewContext
    prefetch: Prefetch | None = None

    def active_conditions(self) -> list[FhirCondition]:
        """The prefetched conditions that are active and about the patient in context."""
        if self.prefetch is None:
            return []
        patient = self.context.patientId
        return [c for c in self.prefetch.fetched_conditions() if c.is_active() and c.is_about(patient)]


# What we answer.


class ResponseModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class CdsService(ResponseModel):
    hook: str = Field(examples=[PATIENT_VIEW])
    id: str = Field(description="The service is at `/cds-services/{id}`.", examples=["condition-education"])
    title: str
    description: str
    prefetch: dict[str, str] = Field(
        description="FHIR queries, by prefetch key, the client should send the answers to."
    )


class CdsServices(ResponseModel):
    """The discovery answer."""

    services: list[CdsService]


class CardSource(ResponseModel):
    label: str = Field(description="Who wrote what the card shows.")
    url: str | None = Field(default=None, description="Absolute URL about the source.")


class CardLink(ResponseModel):
    label: str
    url: str = Field(description="Absolute URL of the condition's page for people.")
    type: Literal["absolute"] = "absolute"


class Card(ResponseModel):
    uuid: str = Field(description="Stable for one hook call and condition (a UUID 5 of both).")
    summary: str = Field(max_length=MAX_SUMMARY)
    detail: str = Field(description="GitHub Flavored Markdown.")
    indicator: Literal["info", "warning", "critical"] = "info"
    source: CardSource
    links: list[CardLink]


class CdsResponse(ResponseModel):
    cards: list[Card]
