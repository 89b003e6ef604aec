"""Shared metadata with a naming convention, so Alembic migrations name every constraint the same way."""

from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class EntryType(StrEnum):
    """The four kinds of entry, declared once: every list of them (hrefs, the export, search filters, change
    log, problem details) iterates this."""

    condition = "condition"
    symptom = "symptom"
    cause = "cause"
    treatment = "treatment"

    @property
    def plural(self) -> str:
        return f"{self.value}s"


class ReviewStatus(StrEnum):
    draft = "draft"
    reviewed = "reviewed"


class TreatmentKind(StrEnum):
    self_care = "self-care"
    medication = "medication"
    procedure = "procedure"
    therapy = "therapy"
    device = "device"


class SymptomSection(StrEnum):
    """Where a symptom appears on a condition page: as a symptom, or as a red flag needing urgent care."""

    symptom = "symptom"
    red_flag = "red-flag"


class TreatmentSection(StrEnum):
    """Where a treatment appears on a condition page: given by a clinician, or done by the patient."""

    treatment = "treatment"
    self_care = "self-care"


def enum_values(enum: type[StrEnum]) -> sa.Enum:
    """Store an enum by its value ("self-care"), not SQLAlchemy's default, the member name ("self_care")."""
    return sa.Enum(
        enum,
        values_callable=lambda members: [member.value for member in members],
        native_enum=False,
        create_constraint=False,
        length=max(len(member.value) for member in enum),
    )
