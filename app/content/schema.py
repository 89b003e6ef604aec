"""What a content file may say, as Pydantic models (unknown fields are errors, not silently dropped)."""

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.models.base import SLUG_PATTERN, ReviewStatus, TreatmentKind
from app.models.codes import ICD10_CODE_RE

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Icd10Code = Annotated[str, StringConstraints(pattern=ICD10_CODE_RE.pattern)]


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
    system: Literal["ICD-10-CM"]
    code: Icd10Code
    display: Text


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
    description: Text | None = None


class SymptomIn(TermIn):
    pass


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
