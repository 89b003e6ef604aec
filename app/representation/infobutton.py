"""The knowledge response to an HL7 Infobutton request: an Atom feed that echoes the request as `category`
elements (as MedlinePlus Connect does) and has one entry per condition found.

In the language the request names (`informationRecipient.languageCode.c`) when it is offered: entries in their
translation (an entry without one stays English, and says so with `xml:lang`), the feed's words from that
language's catalog, links to the pages in that language. Any other language gets the English feed, whose
subtitle says the language asked for is not available."""

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from app.core.locales import DEFAULT_LANGUAGE, lookup, message, offered
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
from app.queries.infobutton import Knowledge, MatchedBy
from app.representation import presenters
from app.representation.localize import Words

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

    @property
    def offered_language(self) -> str | None:
        """The offered language the request names (`es-MX` and `es_US` are Spanish), if it names one."""
        return lookup(self.language.strip().replace("_", "-"), offered()) if self.language else None

    @property
    def served_language(self) -> str:
        """The language the feed is in: the one asked for if offered, else the default."""
        return self.offered_language or DEFAULT_LANGUAGE


def _timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC; the database keeps UTC times without a zone."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _paragraph(text: str, css_class: str | None = None, *, lang: str | None = None, quoted: str | None = None) -> str:
    """A paragraph; `lang` marks one in another language than its entry's. `text` may hold one `{quoted}`, words
    in the default language (an English translator's credit in a Spanish sentence), marked as such."""
    attributes = {"class": css_class} if css_class else {}
    element = ET.Element("p", {**attributes, "lang": lang} if lang else attributes)
    before, _, after = text.partition("{quoted}")
    element.text = before
    if quoted is not None:
        span = ET.SubElement(element, "span", {"lang": DEFAULT_LANGUAGE})
        span.text, span.tail = quoted, after
    return ET.tostring(element, encoding="unicode", method="html")


@dataclass(frozen=True)
class _Words:
    """What an entry shows of a condition, in the language it is given in."""

    language: str
    name: str
    summary: str
    aliases: list[str]
    translation: Mapping[str, Any] | None  # the translation's `by` and `date`, when translated


def _words(condition: Condition, aliases: list[str], words: Words) -> _Words:
    document = words.of("condition", condition.slug)
    if document is None:
        return _Words(DEFAULT_LANGUAGE, condition.name, condition.summary, aliases, None)
    names = list(document["aliases"])
    return _Words(words.language, document["name"], document["summary"], names, document["translation"])


def _summary_html(condition: Condition, shown: _Words, broader_code: str | None) -> str:
    """What an EHR shows of the condition (classes as MedlinePlus Connect's summaries have them). The card's
    notice, not the search's: the red flags that one points to are not in the summary."""
    language = shown.language
    parts = [_paragraph(shown.summary)]
    if broader_code is not None:
        parts.append(_paragraph(message(language, "infobutton_broader_code").format(code=broader_code), "scope"))
    if shown.aliases:
        also = message(language, "infobutton_also_called").format(names=", ".join(shown.aliases))
        parts.append(_paragraph(also, "also-called"))
    # The source's attribution and the translator's credit are the original's words, in English.
    english = DEFAULT_LANGUAGE if language != DEFAULT_LANGUAGE else None
    parts.append(_paragraph(condition.source_attribution, "attribution", lang=english))
    if shown.translation is not None:
        by, date = shown.translation["by"], shown.translation["date"]
        credit = message(language, "infobutton_translation").format(by="{quoted}", date=date)
        parts.append(_paragraph(credit, "translation", quoted=by))
    parts.append(_paragraph(message(language, "medical_notice"), "notice"))
    return "".join(parts)


def _entry(
    condition: Condition, aliases: list[str], broader_code: str | None, words: Words, *, base_url: str
) -> AtomEntry:
    shown = _words(condition, aliases, words)
    # Links ask for the feed's language; an entry without a translation is English wherever it is read.
    record = presenters.in_language(f"{base_url}{presenters.condition_href(condition.slug)}", words.language)
    page = presenters.in_language(f"{base_url}{presenters.page_href('condition', condition.slug)}", words.language)
    links = [
        AtomLink(href=page, type="text/html", hreflang=shown.language, title=shown.name),
        AtomLink(href=record, type="application/json", hreflang=shown.language, title=shown.name),
    ]
    return AtomEntry(
        lang=shown.language,
        title=AtomText(value=shown.name),
        link=links,
        id=AtomValue(value=record),
        updated=AtomValue(value=_timestamp(condition.updated_at)),
        summary=AtomText(value=_summary_html(condition, shown, broader_code), type="html"),
        rights=AtomText(value=condition.source_attribution),
    )


def _subtitle(request: KnowledgeRequest, knowledge: Knowledge) -> str:
    language = request.served_language

    def say(key: str, **values: str | None) -> str:
        return message(language, f"infobutton_{key}").format(**values)

    system = request.system.label
    asked = f"{system} {request.code_as_sent}"
    if request.code is None:
        found = say("not_a_code", code=request.code_as_sent, system=system, shape=request.system.spec.shape)
    elif knowledge.matched_by is MatchedBy.code:
        found = say("coded", system=system, code=request.code)
    elif knowledge.matched_by is MatchedBy.ancestor:
        found = say("ancestor", asked=asked, ancestor=knowledge.matched_code)
    else:
        found = say("no_condition", asked=asked)
    if knowledge.matched_by is MatchedBy.display_name:
        found = say("display_name_matches", found=found, name=request.display_name)
    elif knowledge.matched_by is MatchedBy.nothing and request.display_name:
        found = say("display_name_unmatched", found=found, name=request.display_name)
    if request.language and request.offered_language is None:
        found = say("language_unavailable", found=found, language=request.language)
    return f"{found}."


def knowledge_response(
    request: KnowledgeRequest, knowledge: Knowledge, words: Words | None = None, *, base_url: str
) -> KnowledgeResponse:
    """The feed; `words` are the translations into the request's `served_language` of the conditions found."""
    words = words if words is not None else Words(request.served_language, {})
    asked = f"{request.system.label} {request.code}"
    entries = [
        _entry(
            condition,
            knowledge.aliases.get(condition.id or 0, []),
            asked if condition.id in knowledge.broader else None,
            words,
            base_url=base_url,
        )
        for condition in knowledge.conditions
    ]
    newest = max((condition.updated_at for condition in knowledge.conditions), default=knowledge.library_updated)
    query = urlencode([(category.scheme, category.term) for category in request.categories])
    return KnowledgeResponse(
        feed=AtomFeed(
            base=f"{base_url}/",
            lang=request.served_language,
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
