"""The shared vocabulary: one row per symptom, cause or treatment, used by every condition that lists it."""

from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, Column
from sqlmodel import Field, Relationship, SQLModel

from app.models.base import TreatmentKind, enum_values

if TYPE_CHECKING:
    from app.models.condition import Condition


class TermBase(SQLModel):
    slug: str = Field(unique=True, max_length=120)
    name: str
    description: str | None = None
    # Remarks about the term or the pages that list it ("listed as a symptom only because..."), kept apart from
    # the description so they are shown as editors' words and never searched as if they were the term's.
    editor_notes: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)


class Symptom(TermBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    hpo: str | None = Field(default=None, index=True)  # the HPO term's id, e.g. HP:0003419
    hpo_match: str | None = None  # code_systems.MappingMatch, with `hpo`
    hpo_note: str | None = None  # the editor's, when the HPO term is only close
    # Copied from the HPO release at seed time (not in the content file): the term's label, the release, and its
    # layperson synonyms verbatim (searched, and shown with the release named, as HPO's licence asks).
    hpo_label: str | None = None
    hpo_release: str | None = None
    lay_terms: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]"))


class Cause(TermBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # A cause that is itself a condition ("Herniated disc") points at its page, so the knowledge is a graph.
    condition_id: int | None = Field(default=None, foreign_key="condition.id", ondelete="SET NULL", index=True)
    condition: "Condition" = Relationship(sa_relationship_kwargs={"lazy": "raise"})


class Treatment(TermBase, table=True):
    __table_args__ = (
        CheckConstraint("kind IN ('self-care','medication','procedure','therapy','device')", name="kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    kind: TreatmentKind = Field(index=True, sa_type=enum_values(TreatmentKind))
