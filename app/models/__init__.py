"""All tables, imported together so `SQLModel.metadata` is complete for Alembic."""

from app.models.base import ReviewStatus, SymptomSection, TreatmentKind, TreatmentSection
from app.models.changes import Change, EntryState
from app.models.codes import Icd10Code, OntologyTerm, ReferenceData
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
from app.models.content_files import ContentFile
from app.models.search import SearchEngineFile, SearchWord
from app.models.translation import EntryTranslation
from app.models.vocabulary import Cause, Symptom, Treatment

__all__ = [
    "Cause",
    "Change",
    "Condition",
    "ConditionAlias",
    "ConditionCause",
    "ConditionCode",
    "ConditionRelated",
    "ConditionSymptom",
    "ConditionTreatment",
    "ContentFile",
    "EntryState",
    "EntryTranslation",
    "Faq",
    "Icd10Code",
    "OntologyTerm",
    "ReferenceData",
    "ReviewStatus",
    "SearchEngineFile",
    "SearchWord",
    "Symptom",
    "SymptomSection",
    "Treatment",
    "TreatmentKind",
    "TreatmentSection",
]
