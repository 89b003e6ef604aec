"""What a content file may say, as Pydantic models (unknown fields are errors, not silently dropped)."""

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.models.base import SLUG_PATTERN, ReviewStatus, TreatmentKind
from app.models.code_systems import BY_LABEL, CodeSystem, MappingMatch
from app.models.codes import ICD10_CODE_RE

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Icd10Code = Annotated[str, StringConstraints(pattern=ICD10_CODE_RE.pattern)]
HpoId = Annotated[str, StringConstraints(pattern=r"^HP:[0-9]{7}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DurationIn(Strict):
    min_days: int = Field(ge=0)
    max_days: int = Field(ge=0)
    text: Text

    @model_validator(mode="after")
    def ordered(self) -> "DurationIn":
        if self.min_days > self.max_days:
            raise ValueError("min_days must not exceed max_days")
        return self


class ReviewIn(Strict):
    status: ReviewStatus
    last_reviewed: date
    next_review_due: date

    @model_validator(mode="after")
    def ordered(self) -> "ReviewIn":
        if self.next_review_due < self.last_reviewed:
            raise ValueError("next_review_due must not be before last_reviewed")
        return self


WebUrl = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"']+$")]


class SourceIn(Strict):
    title: Text
    url: WebUrl | None = None  # shown as a link: no javascript: or data: URLs
    attribution: Text


class CodeIn(Strict):
    """A condition's code. ICD-10-CM and SNOMED CT codes carry the editor's display (no SNOMED CT release may be
    redistributed); a MONDO id's label comes from the MONDO release, so `display` is optional there. An
    uncertain mapping (a broader concept, say) carries the editor's `note`."""

    system: Literal["ICD-10-CM", "SNOMED CT", "MONDO"]
    code: str
    display: Text | None = None
    match: MappingMatch = MappingMatch.exact
    note: Text | None = None

    @model_validator(mode="after")
    def shaped(self) -> "CodeIn":
        spec = BY_LABEL[self.system].spec
        if spec.parse(self.code) != self.code:
            raise ValueError(f"'{self.code}' is not a {self.system} code as stored: {spec.shape}")
        if self.display is None and BY_LABEL[self.system] is not CodeSystem.MONDO:
            raise ValueError(f"a {self.system} code needs the editor's `display`")
        if self.match is not MappingMatch.exact and self.note is None:
            raise ValueError(f"a {self.match.value} match needs the editor's `note` saying how the code differs")
        return self


class FrontMatter(Strict):
    slug: Slug
    name: Text
    aliases: list[Text] = []
    summary: Text
    specialty: Text
    body_area: Text
    duration: DurationIn | None = None
    codes: list[CodeIn] = []
    related: list[Slug] = []
    review: ReviewIn
    source: SourceIn
    editor_notes: list[Text] = []


class TermIn(Strict):
    slug: Slug
    name: Text
    aliases: list[Text] = []
    description: Text | None = None  # what the term is, for patients: searched
    editor_notes: list[Text] = []  # editors' remarks about the term or the pages that list it: not searched


class SymptomIn(TermIn):
    # The HPO term for the symptom: its label and layperson synonyms come from the HPO release, checked at seed.
    hpo: HpoId | None = None
    # Only an exact match brings HPO's lay words in as aliases: a broader term's words name other things
    # (Edema's "Water retention" is not the swelling of a strained back).
    hpo_match: MappingMatch = MappingMatch.exact
    hpo_note: Text | None = Field(default=None, description="How the HPO term differs, when it is not exact.")

    @model_validator(mode="after")
    def note_needs_term(self) -> "SymptomIn":
        if (self.hpo_note is not None or self.hpo_match is not MappingMatch.exact) and self.hpo is None:
            raise ValueError("hpo_note and hpo_match describe an `hpo` id; give the id too")
        if self.hpo_match is not MappingMatch.exact and self.hpo_note is None:
            raise ValueError(f"a {self.hpo_match.value} HPO match needs an `hpo_note` saying how the term differs")
        return self


class CauseIn(TermIn):
    condition: Slug | None = Field(default=None, description="Slug of the condition this cause is, if any.")


class TreatmentIn(TermIn):
    kind: TreatmentKind


# The parsed Markdown body. `line` fields are file lines, kept for cross-file error messages.


class PageItem(Strict):
    text: str
    note: str | None = None
    terms: tuple[str, ...]
    line: int = Field(exclude=True)


class Section(Strict):
    intro: str | None = None
    items: tuple[PageItem, ...] = ()


class FaqIn(Strict):
    question: str
    answer: str


class ConditionDocument(Strict):
    """One parsed condition file: front matter plus the structured body."""

    front: FrontMatter
    description: str
    causes: Section = Section()
    symptoms: Section = Section()
    treatments: Section = Section()
    self_care: Section = Section()
    red_flags: Section = Section()  # symptoms that need urgent care
    faqs: tuple[FaqIn, ...] = ()


# Translations (seed/translations/<language>/): the words of an English entry in another language. Structure,
# links and codes stay the original's; a translation says what it translates, who or what translated it, and
# carries its own review.


class TranslationIn(Strict):
    of: Text  # the original's path in the content folder: `conditions/sciatica.md`, `vocabulary/symptoms.yaml`
    by: Text  # who or what translated it; a machine translation says so
    date: date


class ConditionTranslationFront(Strict):
    slug: Slug
    name: Text
    aliases: list[Text] = []
    summary: Text
    body_area: Text
    duration_text: Text | None = None  # the duration in words; the days are the original's
    translation: TranslationIn
    review: ReviewIn
    editor_notes: list[Text] = []


class TermTranslationIn(Strict):
    slug: Slug
    name: Text
    aliases: list[Text] = []
    description: Text | None = None
    editor_notes: list[Text] = []


class VocabularyTranslationIn(Strict):
    translation: TranslationIn
    review: ReviewIn
    terms: list[TermTranslationIn]
