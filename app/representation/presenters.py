"""Turns loaded rows into the API's read models. Only reads relationships the queries loaded eagerly."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import Protocol, TypeVar
from urllib.parse import urlencode

from app.core.locales import DEFAULT_LANGUAGE
from app.models import Cause, ReviewStatus, Symptom, SymptomSection, Treatment, TreatmentSection
from app.models import public as api
from app.models.base import EntryType
from app.models.code_systems import BY_LABEL, HPO, MappingMatch, hpo_attribution
from app.queries.codes import NamedCode
from app.queries.vocabulary import Use

RefT = TypeVar("RefT")
ItemT = TypeVar("ItemT")


# What the presenters read of a condition and its links: the ORM's objects (app/queries/conditions.py), or the
# plain rows that app/queries/condition_rows.py loads many of at once.
class Named(Protocol):
    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...


class ConditionSummaryRow(Named, Protocol):
    @property
    def summary(self) -> str: ...
    @property
    def specialty(self) -> str: ...
    @property
    def body_area(self) -> str: ...


class _LinkRow(Protocol):
    @property
    def position(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def note(self) -> str | None: ...


class SymptomLinkRow(_LinkRow, Protocol):
    @property
    def section(self) -> SymptomSection: ...
    @property
    def symptom(self) -> Symptom: ...


class CauseLinkRow(_LinkRow, Protocol):
    @property
    def cause(self) -> Cause: ...


class TreatmentLinkRow(_LinkRow, Protocol):
    @property
    def section(self) -> TreatmentSection: ...
    @property
    def treatment(self) -> Treatment: ...


class AliasRow(Protocol):
    @property
    def name(self) -> str: ...


class FaqRow(Protocol):
    @property
    def question(self) -> str: ...
    @property
    def answer(self) -> str: ...


class CodeRow(Protocol):
    @property
    def system(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def display(self) -> str: ...
    @property
    def match(self) -> str: ...
    @property
    def note(self) -> str | None: ...


class RelatedRow(Protocol):
    @property
    def related(self) -> Named: ...


class ConditionRow(ConditionSummaryRow, Protocol):
    @property
    def description(self) -> str: ...
    @property
    def duration_min_days(self) -> int | None: ...
    @property
    def duration_max_days(self) -> int | None: ...
    @property
    def duration_text(self) -> str | None: ...
    @property
    def causes_intro(self) -> str | None: ...
    @property
    def symptoms_intro(self) -> str | None: ...
    @property
    def treatments_intro(self) -> str | None: ...
    @property
    def self_care_intro(self) -> str | None: ...
    @property
    def editor_notes(self) -> Sequence[str]: ...
    @property
    def review_status(self) -> ReviewStatus: ...
    @property
    def last_reviewed(self) -> date: ...
    @property
    def next_review_due(self) -> date: ...
    @property
    def source_title(self) -> str: ...
    @property
    def source_url(self) -> str | None: ...
    @property
    def source_attribution(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def aliases(self) -> Sequence[AliasRow]: ...
    @property
    def symptom_links(self) -> Sequence[SymptomLinkRow]: ...
    @property
    def cause_links(self) -> Sequence[CauseLinkRow]: ...
    @property
    def treatment_links(self) -> Sequence[TreatmentLinkRow]: ...
    @property
    def faqs(self) -> Sequence[FaqRow]: ...
    @property
    def codes(self) -> Sequence[CodeRow]: ...
    @property
    def related_links(self) -> Sequence[RelatedRow]: ...


API_PREFIX = "/v1"  # every href in a read model is a path of this version of the API


def condition_href(slug: str) -> str:
    return entry_href(EntryType.condition, slug)


def condition_link(condition: Named) -> api.Link:
    return api.Link(slug=condition.slug, name=condition.name, href=condition_href(condition.slug))


def symptom_ref(symptom: Symptom) -> api.SymptomRef:
    href = entry_href(EntryType.symptom, symptom.slug)
    exact = symptom.hpo_match == MappingMatch.exact if symptom.hpo is not None else None
    return api.SymptomRef(slug=symptom.slug, name=symptom.name, href=href, hpo=symptom.hpo, hpo_exact=exact)


def cause_ref(cause: Cause) -> api.CauseRef:
    own_page = condition_link(cause.condition) if cause.condition_id is not None else None
    return api.CauseRef(
        slug=cause.slug, name=cause.name, href=entry_href(EntryType.cause, cause.slug), condition=own_page
    )


def treatment_ref(treatment: Treatment) -> api.TreatmentRef:
    return api.TreatmentRef(
        slug=treatment.slug,
        name=treatment.name,
        href=entry_href(EntryType.treatment, treatment.slug),
        kind=treatment.kind,
    )


def _items(
    links: Sequence[object],
    ref: Callable[[object], RefT],
    item: Callable[..., ItemT],
) -> list[ItemT]:
    """Groups link rows by position: the rows of one page item share its position, words and note."""
    items = []
    for _, group in groupby(links, key=lambda link: link.position):  # type: ignore[attr-defined]
        rows = list(group)
        items.append(item(text=rows[0].text, note=rows[0].note, terms=[ref(row) for row in rows]))  # type: ignore[attr-defined]
    return items


def condition_summary(condition: ConditionSummaryRow) -> api.ConditionSummary:
    return api.ConditionSummary(
        slug=condition.slug,
        name=condition.name,
        href=condition_href(condition.slug),
        summary=condition.summary,
        specialty=condition.specialty,
        body_area=condition.body_area,
    )


def condition_detail(condition: ConditionRow, *, can_lead_to: Sequence[Named] = ()) -> api.ConditionDetail:
    treatments = [link for link in condition.treatment_links if link.section == TreatmentSection.treatment]
    self_care = [link for link in condition.treatment_links if link.section == TreatmentSection.self_care]
    symptoms = [link for link in condition.symptom_links if link.section == SymptomSection.symptom]
    red_flags = [link for link in condition.symptom_links if link.section == SymptomSection.red_flag]
    duration = None
    if condition.duration_min_days is not None and condition.duration_max_days is not None:
        duration = api.Duration(
            min_days=condition.duration_min_days,
            max_days=condition.duration_max_days,
            text=condition.duration_text or "",
        )
    return api.ConditionDetail(
        **condition_summary(condition).model_dump(),
        aliases=[alias.name for alias in condition.aliases],
        description=condition.description,
        duration=duration,
        causes=api.CauseSection(
            intro=condition.causes_intro,
            items=_items(condition.cause_links, lambda link: cause_ref(link.cause), api.CauseItem),  # type: ignore[attr-defined]
        ),
        symptoms=api.SymptomSection(
            intro=condition.symptoms_intro,
            items=_items(symptoms, lambda link: symptom_ref(link.symptom), api.SymptomItem),  # type: ignore[attr-defined]
        ),
        red_flags=api.SymptomSection(
            intro=None,
            items=_items(red_flags, lambda link: symptom_ref(link.symptom), api.SymptomItem),  # type: ignore[attr-defined]
        ),
        treatments=api.TreatmentSection(
            intro=condition.treatments_intro,
            items=_items(treatments, lambda link: treatment_ref(link.treatment), api.TreatmentItem),  # type: ignore[attr-defined]
        ),
        self_care=api.TreatmentSection(
            intro=condition.self_care_intro,
            items=_items(self_care, lambda link: treatment_ref(link.treatment), api.TreatmentItem),  # type: ignore[attr-defined]
        ),
        faqs=[api.FaqEntry(question=faq.question, answer=faq.answer) for faq in condition.faqs],
        codes=[code_entry(code) for code in condition.codes],
        related=[condition_link(link.related) for link in condition.related_links],
        can_lead_to=[condition_link(other) for other in can_lead_to],
        review=api.Review(
            status=condition.review_status,
            last_reviewed=condition.last_reviewed,
            next_review_due=condition.next_review_due,
        ),
        source=api.Source(
            title=condition.source_title, url=condition.source_url, attribution=condition.source_attribution
        ),
        editor_notes=list(condition.editor_notes),
        created_at=condition.created_at,
        updated_at=condition.updated_at,
    )


def condition_uses(uses: Sequence[Use]) -> list[api.ConditionUse]:
    return [
        api.ConditionUse(
            slug=use.slug,
            name=use.name,
            href=condition_href(use.slug),
            text=use.text,
            note=use.note,
            section=use.section,
        )
        for use in uses
    ]


TermDetailT = TypeVar("TermDetailT", bound=api.TermDetail)


def _term_detail(
    model: type[TermDetailT],
    summary: api.TermSummary,
    term: Symptom | Cause | Treatment,
    conditions: list[api.ConditionUse],
) -> TermDetailT:
    """A term's detail: its summary, its own words and the editors' notes, and the conditions that list it."""
    return model(
        **summary.model_dump(), description=term.description, editor_notes=term.editor_notes, conditions=conditions
    )


def symptom_summary(symptom: Symptom) -> api.SymptomSummary:
    return api.SymptomSummary(**symptom_ref(symptom).model_dump(), aliases=symptom.aliases)


def symptom_detail(symptom: Symptom, *, conditions: list[api.ConditionUse]) -> api.SymptomDetail:
    detail = _term_detail(api.SymptomDetail, symptom_summary(symptom), symptom, conditions)
    if symptom.hpo is None or symptom.hpo_label is None or symptom.hpo_release is None:
        return detail
    hpo = code_entry(
        CodeEntry(HPO.label, symptom.hpo, symptom.hpo_label, symptom.hpo_match or MappingMatch.exact, symptom.hpo_note)
    )
    lay = api.LayTerms(terms=symptom.lay_terms, source=hpo_attribution(symptom.hpo_release))
    return detail.model_copy(update={"hpo": hpo, "lay_terms": lay if symptom.lay_terms else None})


def cause_summary(cause: Cause) -> api.CauseSummary:
    return api.CauseSummary(**cause_ref(cause).model_dump(), aliases=cause.aliases)


def cause_detail(cause: Cause, *, conditions: list[api.ConditionUse]) -> api.CauseDetail:
    return _term_detail(api.CauseDetail, cause_summary(cause), cause, conditions)


def treatment_summary(treatment: Treatment) -> api.TreatmentSummary:
    return api.TreatmentSummary(**treatment_ref(treatment).model_dump(), aliases=treatment.aliases)


def treatment_detail(treatment: Treatment, *, conditions: list[api.ConditionUse]) -> api.TreatmentDetail:
    return _term_detail(api.TreatmentDetail, treatment_summary(treatment), treatment, conditions)


@dataclass(frozen=True, slots=True)
class CodeEntry:
    system: str
    code: str
    display: str
    match: str
    note: str | None


def code_entry(code: CodeRow) -> api.Code:
    system = BY_LABEL.get(code.system)
    url = system.spec.iri(code.code) if system else None
    match = MappingMatch(code.match)
    return api.Code(system=code.system, code=code.code, display=code.display, match=match, note=code.note, url=url)


def code_ref(code: NamedCode) -> api.CodeRef:
    return api.CodeRef(code=code.code, description=code.description)


# By value, not `EntryType(kind)`: an enum lookup costs ~5 µs, and a condition's record has dozens of hrefs.
_PLURALS = {kind.value: kind.plural for kind in EntryType}


def entry_href(kind: str, slug: str) -> str:
    """The URL of any entry: `condition`, `symptom`, `cause` or `treatment`."""
    return f"{API_PREFIX}/{_PLURALS[kind]}/{slug}"


def page_href(kind: str, slug: str) -> str:
    """An entry's page for people: its API record's path without `/v1` (`/symptoms/low-back-pain`). The site
    serves these pages, Infobutton feeds and CDS Hooks cards link to them, and home.js follows the same rule
    for the type-ahead."""
    return entry_href(kind, slug).removeprefix(API_PREFIX)


def in_language(url: str, language: str) -> str:
    """A URL of ours in `language` (`?lang=es`); the default language's needs no parameter, so its addresses stay
    what they always were. Feeds, cards and JSON-LD link entries in the language they are read in."""
    return url if language == DEFAULT_LANGUAGE else f"{url}?{urlencode({'lang': language})}"
