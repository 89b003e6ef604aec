"""All tables, imported together so `SQLModel.metadata` is complete for Alembic."""

from app.models.base import ReviewStatus, TreatmentKind, TreatmentSection
from app.models.condition import (
    Condition,
    ConditionAlias,
    ConditionCause,
    ConditionCode,
    ConditionRelated,
    ConditionSymptom,
    ConditionTreatment,
    Faq,
)
from app.models.vocabulary import Cause, Symptom, Treatment

__all__ = [
    "Cause",
    "Condition",
    "ConditionAlias",
    "ConditionCause",
    "ConditionCode",
    "ConditionRelated",
    "ConditionSymptom",
    "ConditionTreatment",
    "Faq",
    "ReviewStatus",
    "Symptom",
    "Treatment",
    "TreatmentKind",
    "TreatmentSection",
]
