"""CDS Hooks calls shaped as the specification's examples shape them (docs/specification: "Calling a CDS
Service", the `patient-view` hook), with FHIR R4 `Condition`s in a searchset Bundle as the prefetch."""

from typing import Any

SERVICE = "/cds-services/condition-education"
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED = "http://snomed.info/sct"
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
PATIENT = "1288992"
HOOK_INSTANCE = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"


def condition(
    *codes: tuple[str, str],
    status: str | None = "active",
    verification: str | None = "confirmed",
    patient: str = PATIENT,
) -> dict[str, Any]:
    """A FHIR R4 Condition coded with (system, code) pairs."""
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "id": "-".join(code.replace(".", "") for _, code in codes) or "uncoded",
        "code": {"coding": [{"system": system, "code": code} for system, code in codes]},
        "subject": {"reference": f"Patient/{patient}"},
        "recordedDate": "2026-11-02",
    }
    if status is not None:
        resource["clinicalStatus"] = {"coding": [{"system": CLINICAL, "code": status}]}
    if verification is not None:
        resource["verificationStatus"] = {"coding": [{"system": VERIFICATION, "code": verification}]}
    return resource


def bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [
            {"fullUrl": f"https://ehr.example/fhir/{r['resourceType']}/{r.get('id', 'x')}", "resource": r}
            for r in resources
        ],
    }


def patient_view(*conditions: dict[str, Any], prefetch: Any = "bundle") -> dict[str, Any]:
    """The specification's example call, with our prefetch key (`prefetch=None` leaves it out)."""
    call: dict[str, Any] = {
        "hookInstance": HOOK_INSTANCE,
        "fhirServer": "https://ehr.example/fhir",
        "hook": "patient-view",
        "fhirAuthorization": {
            "access_token": "some-opaque-fhir-access-token",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "user/Patient.read user/Condition.read",
            "subject": "cds-service4",
        },
        "context": {"userId": "Practitioner/example", "patientId": PATIENT, "encounterId": "89284"},
    }
    if prefetch == "bundle":
        call["prefetch"] = {"conditions": bundle(*conditions)}
    elif prefetch is not None:
        call["prefetch"] = prefetch
    return call
