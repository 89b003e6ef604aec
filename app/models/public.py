"""What the API returns: typed read models, separate from the tables so the wire format is deliberate."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.locales import DEFAULT_LANGUAGE, message
from app.models.base import EntryType, ReviewStatus, TreatmentKind
from app.models.code_systems import MappingMatch

# The English texts, for examples in the OpenAPI document; answers take their language's from app/locales/.
MEDICAL_NOTICE = message(DEFAULT_LANGUAGE, "medical_notice")
NOT_A_DIAGNOSIS = message(DEFAULT_LANGUAGE, "not_a_diagnosis")


class ReadModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class Link(ReadModel):
    """A named reference to another resource of this API."""

    slug: str = Field(examples=["lumbar-muscle-spasm"])
    name: str = Field(examples=["Lumbar muscle spasm"])
    href: str = Field(
        description="Path of the resource on this server.", examples=["/v1/conditions/lumbar-muscle-spasm"]
    )


class SymptomRef(Link):
    hpo: str | None = Field(
        default=None, description="The symptom's HPO term id, when it has one.", examples=["HP:0003419"]
    )
    hpo_exact: bool | None = Field(
        default=None,
        description="Whether the HPO term means exactly the symptom (else it is close, broader or "
        "narrower: the symptom's record says how); null without a term.",
    )


class CauseRef(Link):
    condition: Link | None = Field(
        default=None, description="The condition page of this cause, when the cause is itself a condition."
    )


class TreatmentRef(Link):
    kind: TreatmentKind = Field(examples=["medication"])


class _Item(ReadModel):
    text: str = Field(description="The page's own words for this item.", examples=["Pain medication."])
    note: str | None = Field(default=None, description="An editor's note on the item, if any.")


class SymptomItem(_Item):
    terms: list[SymptomRef] = Field(description="The vocabulary symptoms this item names, in order.")


class CauseItem(_Item):
    terms: list[CauseRef] = Field(description="The vocabulary causes this item names, in order.")


class TreatmentItem(_Item):
    terms: list[TreatmentRef] = Field(description="The vocabulary treatments this item names, in order.")


class SymptomSection(ReadModel):
    intro: str | None = Field(default=None, description="The section's lead-in text (Markdown).")
    items: list[SymptomItem]


class CauseSection(ReadModel):
    intro: str | None = Field(default=None, description="The section's lead-in text (Markdown).")
    items: list[CauseItem]


class TreatmentSection(ReadModel):
    intro: str | None = Field(default=None, description="The section's lead-in text (Markdown).")
    items: list[TreatmentItem]


class Duration(ReadModel):
    """How long the condition typically lasts."""

    min_days: int = Field(examples=[21])
    max_days: int = Field(examples=[28])
    text: str = Field(
        description="The duration in words, as the source gives it.", examples=["about three to four weeks"]
    )

    def with_days(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The source's words with the range in days, as the widget and JSON-LD show it, in `language`'s words
        (the text is the record's, already in the language it is given in)."""
        return message(language, "card_duration_days").format(
            text=self.text, min_days=self.min_days, max_days=self.max_days
        )


class Review(ReadModel):
    status: ReviewStatus = Field(description="`draft` until a clinician has reviewed the entry.")
    last_reviewed: date
    next_review_due: date

    def clinician_reviewed_on(self) -> date | None:
        """The review date a reader may be told: none for a draft, which no clinician has reviewed, so that no
        page shows "Last reviewed" beside "not yet reviewed" (the card and the JSON-LD both ask here)."""
        return self.last_reviewed if self.status == ReviewStatus.reviewed else None


class Source(ReadModel):
    title: str
    url: str | None = None
    attribution: str


class Code(ReadModel):
    system: str = Field(description="ICD-10-CM, SNOMED CT, MONDO or HPO.", examples=["ICD-10-CM"])
    code: str = Field(examples=["M62.830"])
    display: str = Field(
        description="The official description (ICD-10-CM), the release's label (MONDO, HPO), or the editor's "
        "display (SNOMED CT: no release may be redistributed).",
        examples=["Muscle spasm of back"],
    )
    match: MappingMatch = Field(
        default=MappingMatch.exact,
        description="How the code's concept relates to the entry (SKOS mapping relations): `exact`, `close`, "
        "`broader` (the code means more than the entry) or `narrower`.",
    )
    note: str | None = Field(
        default=None, description="The editor's note when the match is not exact or the mapping is uncertain."
    )
    url: str | None = Field(
        default=None,
        description="The term's IRI (MONDO, HPO), for linked data.",
        examples=["http://purl.obolibrary.org/obo/MONDO_0024333"],
    )


class FaqEntry(ReadModel):
    question: str = Field(examples=["How Long Do Lumbar Muscle Spasms Last?"])
    answer: str = Field(description="The answer as Markdown.")


LANGUAGE_DESCRIPTION = (
    "The language of the entry's words (BCP 47): the one asked for (`lang`, `Accept-Language`), or English when "
    "the entry has no translation into it."
)


class TranslationInfo(ReadModel):
    """Who or what translated an entry, and when. Its `review` is the translation's own."""

    by: str = Field(
        description="Who or what translated it; a machine translation says so.",
        examples=["Machine translation by an AI assistant (conditions-api editors' tooling), not reviewed by a human"],
    )
    date: date
    original_language: str = Field(default=DEFAULT_LANGUAGE, description="The language of the original.")


def _unavailable_field() -> Any:
    return Field(
        default=None,
        description="The language asked for, when the entry has no translation into it (the entry is then in "
        "`language`); null otherwise.",
        examples=[None],
    )


def _translation_field() -> Any:
    return Field(
        default=None, description="Who or what translated the entry, when it is a translation; null for the original."
    )


class ConditionSummary(Link):
    """A condition in a list: enough to show a row and follow the link."""

    summary: str
    specialty: str = Field(examples=["Spine"])
    body_area: str = Field(examples=["Lower back"])
    language: str = Field(default=DEFAULT_LANGUAGE, description=LANGUAGE_DESCRIPTION, examples=["en"])


class ConditionDetail(ConditionSummary):
    """Everything known about one condition."""

    aliases: list[str] = Field(
        description="Other names people use, in the entry's language; each English one also works as a URL slug."
    )
    description: str = Field(description="Markdown.")
    duration: Duration | None
    causes: CauseSection
    symptoms: SymptomSection
    treatments: TreatmentSection = Field(description="What clinicians may recommend or perform.")
    self_care: TreatmentSection = Field(description="What patients can do themselves.")
    red_flags: SymptomSection = Field(
        description="When to seek urgent care: symptoms that, with this condition, need a clinician now."
    )
    faqs: list[FaqEntry]
    codes: list[Code]
    related: list[Link]
    can_lead_to: list[Link] = Field(
        description="Conditions that list this one as a cause (the reverse of their `causes`)."
    )
    review: Review
    source: Source
    editor_notes: list[str] = Field(
        description="Editors' remarks on the source text, e.g. where it contradicts itself."
    )
    language_unavailable: str | None = _unavailable_field()
    translation: TranslationInfo | None = _translation_field()
    created_at: datetime
    updated_at: datetime


class ConditionUse(Link):
    """A condition that lists a term, with its own words for it."""

    text: str
    note: str | None = None
    section: str | None = Field(
        default=None,
        description="Where the page lists it: `symptom` or `red-flag` for symptoms, `treatment` or `self-care` "
        "for treatments; null for causes.",
    )


class TermSummary(Link):
    aliases: list[str]
    language: str = Field(default=DEFAULT_LANGUAGE, description=LANGUAGE_DESCRIPTION, examples=["en"])


class TermDetail(TermSummary):
    description: str | None = Field(description="What the term is, in plain words.")
    editor_notes: list[str] = Field(
        description="Editors' remarks on the term, e.g. why the vocabulary lists it where it does."
    )
    conditions: list[ConditionUse] = Field(description="The conditions that list this term.")
    language_unavailable: str | None = _unavailable_field()
    translation: TranslationInfo | None = _translation_field()


class SymptomSummary(TermSummary):
    pass


class LayTerms(ReadModel):
    """Words patients use for a symptom, from the Human Phenotype Ontology's layperson synonyms, verbatim."""

    terms: list[str] = Field(examples=[["Lumbago"]])
    source: str = Field(
        description="The release they come from, as HPO's licence asks.",
        examples=["Human Phenotype Ontology (HPO) release 2025-01-16, https://hpo.jax.org"],
    )


class SymptomDetail(TermDetail):
    hpo: Code | None = Field(default=None, description="The symptom's HPO term, when it has one.")
    lay_terms: LayTerms | None = Field(
        default=None, description="HPO's layperson synonyms for the term (searchable like aliases)."
    )


class CauseSummary(TermSummary):
    condition: Link | None = Field(default=None, description="The cause's own condition page, if it has one.")


class CauseDetail(TermDetail):
    condition: Link | None = Field(default=None, description="The cause's own condition page, if it has one.")


class TreatmentSummary(TermSummary):
    kind: TreatmentKind


class TreatmentDetail(TermDetail):
    kind: TreatmentKind


class Page(ReadModel):
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page; null on the last page.")
    total: int = Field(description="How many items match, over all pages.")


class ConditionPage(Page):
    items: list[ConditionSummary]


class SymptomPage(Page):
    items: list[SymptomSummary]


class CausePage(Page):
    items: list[CauseSummary]


class TreatmentPage(Page):
    items: list[TreatmentSummary]


class CodeRef(ReadModel):
    code: str = Field(examples=["M62.830"])
    description: str = Field(description="The official description.", examples=["Muscle spasm of back"])


class CodedCondition(ConditionSummary):
    match: MappingMatch = Field(
        description="How the condition's code relates to it: `broader` when the code means more than the condition "
        "(a client that wants only conditions about the code itself keeps `exact`, `close` and `narrower`)."
    )


class CodeLookup(ReadModel):
    """The conditions for a code. ICD-10-CM answers as MedlinePlus Connect does: exact matches, else the nearest
    ancestor code that conditions carry. SNOMED CT and MONDO match exactly."""

    system: str = Field(description="ICD-10-CM, SNOMED CT or MONDO.", examples=["ICD-10-CM"])
    code: CodeRef
    matched: CodeRef | None = Field(description="The code the conditions carry; null when none matched.")
    exact: bool = Field(description="Whether `matched` is the code asked for (not an ancestor).")
    conditions: list[CodedCondition]
    attribution: str | None = Field(
        default=None, description="Whose terms these are, when a release's licence asks to be credited (MONDO)."
    )


class PhenotypeLookup(ReadModel):
    """An HPO term: the symptoms mapped to it and the conditions that list them."""

    system: str = Field(examples=["HPO"])
    code: CodeRef
    url: str = Field(description="The term's IRI.", examples=["http://purl.obolibrary.org/obo/HP_0003419"])
    symptoms: list[SymptomSummary]
    conditions: list[ConditionSummary]
    attribution: str = Field(description="HPO's credit, with its release, as its licence asks.")


class SearchHit(Link):
    type: EntryType = Field(description="condition, symptom, cause or treatment.", examples=["condition"])
    snippet: str = Field(
        description="Matching text with the matched words in `<mark>…</mark>`; everything else is HTML-escaped.",
        examples=["Back <mark>spasm</mark> | Lower back <mark>spasm</mark>…"],
    )
    score: float = Field(description="Relevance (bm25, higher is better); comparable within one response.")
    language: str = Field(
        description="The language of `name` and `snippet`: the one searched, or English for an entry not "
        "translated into it (found by its English words).",
        examples=["es"],
    )


class SearchPage(ReadModel):
    notice: str = Field(description="Always present: ranked results are not a diagnosis.", examples=[NOT_A_DIAGNOSIS])
    query: str = Field(description="The query as received.")
    searched_for: str = Field(description="The words the results are for, after any spelling correction.")
    did_you_mean: str | None = Field(description="A corrected query when some words matched nothing.")
    language: str = Field(
        description="The language searched: its words, stemming, spelling list and names.", examples=["es"]
    )
    items: list[SearchHit]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
    total: int


class Suggestion(Link):
    type: EntryType = Field(examples=["condition"])
    label: str = Field(description="The name or alias that matched the prefix.", examples=["Lumbar spasm"])
    language: str = Field(
        description="The language of `name` and `label`: the one asked for, or English for an entry not "
        "translated into it.",
        examples=["en"],
    )


class SuggestionList(ReadModel):
    query: str
    items: list[Suggestion]


class GivenSymptom(ReadModel):
    query: str = Field(description="The value as sent.", examples=["back knot"])
    symptom: SymptomRef = Field(description="The vocabulary symptom it was read as.")
    resolved_by: Literal["slug", "search"] = Field(
        description="`slug` when it was a slug, `search` when found by full-text search."
    )


class ConditionMatch(ReadModel):
    condition: ConditionSummary
    score: float = Field(
        description="Share of the given symptoms' weight this condition covers, from 0 to 1; rarer symptoms weigh more."
    )
    matched: list[SymptomRef] = Field(description="Given symptoms the condition lists.")
    not_given: list[SymptomRef] = Field(description="The condition's symptoms that were not given.")


class RedFlagMatch(ReadModel):
    condition: Link
    symptoms: list[SymptomRef] = Field(description="The given symptoms that are red flags of this condition.")


class MatchResult(ReadModel):
    notice: str = Field(description="Always present: this is information, not a diagnosis.", examples=[NOT_A_DIAGNOSIS])
    given: list[GivenSymptom]
    red_flags: list[RedFlagMatch] = Field(
        description="Conditions for which a given symptom is a red flag: urgent care, whatever the ranking says."
    )
    items: list[ConditionMatch]


class ChangeEntry(ReadModel):
    type: EntryType = Field(description="condition, symptom, cause or treatment.", examples=["condition"])
    slug: str = Field(examples=["lumbar-muscle-spasm"])
    action: Literal["upsert", "delete"] = Field(
        description="`upsert` (fetch `href` again) or `delete` (a tombstone: drop it)."
    )
    href: str | None = Field(description="Where to fetch the new version; null for deletions.")
    changed_at: datetime


class ChangePage(ReadModel):
    items: list[ChangeEntry] = Field(description="Changes in the order they were made.")
    next_cursor: str = Field(description="Pass as `since` next time; it moves only when content changes.")
    has_more: bool = Field(description="Whether more changes follow at once (fetch again with `next_cursor`).")


class Export(ReadModel):
    """The whole library in one document, and the cursor to follow `/v1/changes` from."""

    cursor: str = Field(description="Pass as `since` to `/v1/changes` to get what changes after this export.")
    conditions: list[ConditionDetail]
    symptoms: list[SymptomDetail]
    causes: list[CauseDetail]
    treatments: list[TreatmentDetail]


class Health(ReadModel):
    status: str = Field(examples=["ok"])


class Readiness(ReadModel):
    status: str = Field(examples=["ready"])
    revision: str = Field(description="The database's migration revision.", examples=["0001"])


class EntryCounts(ReadModel):
    conditions: int
    symptoms: int
    causes: int
    treatments: int


class LanguageInfo(ReadModel):
    """A language the API answers in, and how much of the content is in it."""

    tag: str = Field(description="Its BCP 47 tag: pass it as `lang=` or in `Accept-Language`.", examples=["es"])
    name: str = Field(description="Its own name, for a language switch.", examples=["Español"])
    default: bool = Field(description="Whether this is the language of the originals, which others fall back to.")
    entries: EntryCounts = Field(description="How many entries of each kind are in this language.")


class LanguageList(ReadModel):
    items: list[LanguageInfo]
