"""The knowledge response to an HL7 Infobutton request: an Atom feed that echoes the request as `category`
elements (as MedlinePlus Connect does) and has one entry per condition found."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from app.models import Condition
from app.models.code_systems import CodeSystem
from app.models.infobutton import (
    AtomCategory,
    AtomEntry,
    AtomFeed,
    AtomLink,
    AtomPerson,
    AtomText,
    AtomValue,
    KnowledgeParam,
    KnowledgeResponse,
)
from app.models.public import MEDICAL_NOTICE
from app.queries.infobutton import Knowledge, MatchedBy
from app.representation import presenters

# The languages entries are written in; a request for another gets English, and the subtitle says so.
LANGUAGES = ("en",)
DEFAULT_LANGUAGE = "en"
FEED_TITLE = "conditions-api"
# The feed of a library with no conditions at all still needs an `updated`: a fixed one keeps its ETag stable.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class KnowledgeRequest:
    """The parameters as sent (echoed verbatim), and the code in its system's stored form."""

    code_as_sent: str
    system: CodeSystem
    code: str | None  # None when not shaped like a code of the system: it matches nothing
    display_name: str
    recipient: str
    language: str
    patient: tuple[tuple[KnowledgeParam, str], ...]  # gender and age, echoed when sent

    @property
    def categories(self) -> list[AtomCategory]:
        echoed = [
            (KnowledgeParam.code, self.code_as_sent),
            (KnowledgeParam.code_system, self.system.spec.oid or ""),
            (KnowledgeParam.display_name, self.display_name),
            (KnowledgeParam.recipient, self.recipient),
            (KnowledgeParam.language, self.language),
            *self.patient,
        ]
        return [AtomCategory(scheme=scheme.value, term=term) for scheme, term in echoed]


def primary_language(tag: str) -> str:
    """A language tag's primary subtag (BCP 47): `en-US` and `EN` are English."""
    return tag.strip().split("-")[0].split("_")[0].lower()


def _timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC; the database keeps UTC times without a zone."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _paragraph(text: str, css_class: str | None = None) -> str:
    element = ET.Element("p", {"class": css_class} if css_class else {})
    element.text = text
    return ET.tostring(element, encoding="unicode", method="html")


def _summary_html(condition: Condition, aliases: list[str], broader_code: str | None) -> str:
    """What an EHR shows of the condition (classes as MedlinePlus Connect's summaries have them). The card's
    notice, not the search's: the red flags that one points to are not in the summary."""
    parts = [_paragraph(condition.summary)]
    if broader_code is not None:
        scope = f"This page covers only part of what {broader_code} means: the code is broader than the condition."
        parts.append(_paragraph(scope, "scope"))
    if aliases:
        parts.append(_paragraph(f"Also called: {', '.join(aliases)}", "also-called"))
    parts += [_paragraph(condition.source_attribution, "attribution"), _paragraph(MEDICAL_NOTICE, "notice")]
    return "".join(parts)


def _entry(condition: Condition, aliases: list[str], broader_code: str | None, *, base_url: str) -> AtomEntry:
    record = f"{base_url}{presenters.condition_href(condition.slug)}"
    page = f"{base_url}{presenters.page_href('condition', condition.slug)}"
    links = [
        AtomLink(href=page, type="text/html", hreflang=DEFAULT_LANGUAGE, title=condition.name),
        AtomLink(href=record, type="application/json", hreflang=DEFAULT_LANGUAGE, title=condition.name),
    ]
    return AtomEntry(
        lang=DEFAULT_LANGUAGE,
        title=AtomText(value=condition.name),
        link=links,
        id=AtomValue(value=record),
        updated=AtomValue(value=_timestamp(condition.updated_at)),
        summary=AtomText(value=_summary_html(condition, aliases, broader_code), type="html"),
        rights=AtomText(value=condition.source_attribution),
    )


def _subtitle(request: KnowledgeRequest, knowledge: Knowledge) -> str:
    system = request.system.label
    asked = f"{system} {request.code_as_sent}"
    if request.code is None:
        found = f"'{request.code_as_sent}' is not shaped like a code of {system} ({request.system.spec.shape})"
    elif knowledge.matched_by is MatchedBy.code:
        found = f"Conditions coded {system} {request.code}"
    elif knowledge.matched_by is MatchedBy.ancestor:
        found = (
            f"No condition carries {asked}; these are coded under its nearest coded ancestor, {knowledge.matched_code}"
        )
    else:
        found = f"No condition carries {asked}"
    if knowledge.matched_by is MatchedBy.display_name:
        found += f"; these are the best matches for its display name, '{request.display_name}'"
    elif knowledge.matched_by is MatchedBy.nothing and request.display_name:
        found += f", nor matches its display name, '{request.display_name}'"
    if request.language and primary_language(request.language) not in LANGUAGES:
        found += f". Results are in English: language '{request.language}' is not available"
    return f"{found}."


def knowledge_response(request: KnowledgeRequest, knowledge: Knowledge, *, base_url: str) -> KnowledgeResponse:
    asked = f"{request.system.label} {request.code}"
    entries = [
        _entry(
            condition,
            knowledge.aliases.get(condition.id or 0, []),
            asked if condition.id in knowledge.broader else None,
            base_url=base_url,
        )
        for condition in knowledge.conditions
    ]
    newest = max((condition.updated_at for condition in knowledge.conditions), default=knowledge.library_updated)
    query = urlencode([(category.scheme, category.term) for category in request.categories])
    return KnowledgeResponse(
        feed=AtomFeed(
            base=f"{base_url}/",
            lang=DEFAULT_LANGUAGE,
            title=AtomText(value=FEED_TITLE),
            subtitle=AtomText(value=_subtitle(request, knowledge)),
            author=AtomPerson(name=AtomValue(value=FEED_TITLE), uri=AtomValue(value=f"{base_url}/")),
            updated=AtomValue(value=_timestamp(newest or EPOCH)),
            category=request.categories,
            # The request, in a canonical spelling: the same question always has the same feed id.
            id=AtomValue(value=f"{base_url}/infobutton?{query}"),
            entry=entries,
        )
    )
