"""Our CDS Hooks service as an EHR sees it: its entry in discovery, and a card for each condition of ours that an
open chart's active conditions are coded with (ICD-10-CM or SNOMED CT; exact codes only, see `_matched`)."""

import re
import uuid

from sqlmodel import Session

from app.models import Condition, ReviewStatus
from app.models.cds_hooks import (
    CDS_SERVICES_PATH,
    CONDITIONS_PREFETCH,
    CONDITIONS_PREFETCH_TEMPLATE,
    MAX_SUMMARY,
    PATIENT_VIEW,
    Card,
    CardLink,
    CardSource,
    CdsResponse,
    CdsService,
    FhirCondition,
)
from app.models.code_systems import CodeSystem
from app.queries.codes import conditions_for
from app.representation.presenters import page_href

CONDITION_EDUCATION = CdsService(
    hook=PATIENT_VIEW,
    id="condition-education",
    title="Condition information for patients",
    description="When a chart opens, a card for each active condition (coded in ICD-10-CM or SNOMED CT) that "
    "this library has a page for, linking the page to read or share with the patient.",
    prefetch={CONDITIONS_PREFETCH: CONDITIONS_PREFETCH_TEMPLATE},
)
SERVICES = {service.id: service for service in (CONDITION_EDUCATION,)}
CARDS_PER_CALL = 20  # a chart with many coded problems gets the first cards, not a wall of them
DRAFT_NOTE = "Draft: not yet reviewed by a clinician."


def service_url(base_url: str, service: CdsService) -> str:
    """Where the service is called, and so the `aud` an EHR's JWT must carry."""
    return f"{base_url}{CDS_SERVICES_PATH}/{service.id}"


def _matched(session: Session, conditions: list[FhirCondition]) -> dict[str, tuple[Condition, str]]:
    """Our conditions for the codes, by slug, in the order the chart lists them, each with the code that found it
    (a condition coded both in ICD-10-CM and SNOMED CT gets one card)."""
    found: dict[str, tuple[Condition, str]] = {}
    looked_up: set[tuple[CodeSystem, str]] = set()
    for fhir_condition in conditions:
        for system, written in fhir_condition.codings():
            code = system.spec.parse(written)
            if code is None or (system, code) in looked_up:
                continue
            looked_up.add((system, code))
            match = conditions_for(session, system, code)
            if match is None:
                continue
            because = f"{system.label} {match.code.code} ({match.code.description})"
            # A card interrupts a clinician unasked: only pages about the code itself, not those an ancestor's
            # fallback finds (a calf spasm is no back spasm) nor those whose code is broader than the page.
            for condition in match.covered():
                found.setdefault(condition.slug, (condition, because))
            if len(found) >= CARDS_PER_CALL:
                return found
    return found


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def _plain(text: str) -> str:
    """Content text as Markdown that shows it literally: a card's detail is rendered as Markdown by the EHR."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _clipped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _card(condition: Condition, because: str, *, hook_instance: str, base_url: str) -> Card:
    page = f"{base_url}{page_href('condition', condition.slug)}"
    notes = [_plain(condition.summary), f"Shown for {_plain(because)}."]
    if condition.review_status == ReviewStatus.draft:
        notes.append(DRAFT_NOTE)
    notes.append(f"*{_plain(condition.source_attribution)}*")
    return Card(
        uuid=str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"{service_url(base_url, CONDITION_EDUCATION)}/{hook_instance}/{page}")
        ),
        summary=_clipped(f"Patient information: {condition.name}", MAX_SUMMARY),
        detail="\n\n".join(notes),
        indicator="info",
        source=CardSource(label=condition.source_title, url=condition.source_url or f"{base_url}/"),
        links=[CardLink(label=_clipped(f"{condition.name}: page for patients", MAX_SUMMARY), url=page)],
    )


def condition_cards(
    session: Session, conditions: list[FhirCondition], *, hook_instance: str, base_url: str
) -> CdsResponse:
    """The cards for a chart's active conditions."""
    matched = _matched(session, conditions)
    return CdsResponse(
        cards=[
            _card(condition, because, hook_instance=hook_instance, base_url=base_url)
            for condition, because in matched.values()
        ]
    )
