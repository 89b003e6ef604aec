"""The ICD-10-CM code set, loaded at seed time so the server answers code look-ups from SQLite."""

import re

from sqlmodel import Field, SQLModel

ICD10_SYSTEM = "ICD-10-CM"
# A letter and two letters or digits (the category), then optionally a dot and up to four more: M62.830. The
# second character is a digit in all but the 2026 release's QA0 codes (QA0.012); tests check every code.
ICD10_SHAPE = "a letter, two letters or digits, then optionally a dot and up to four more (e.g. M62.830)"
ICD10_CODE_RE = re.compile(r"^[A-Z][0-9A-Z][0-9A-Z](?:\.[0-9A-Z]{1,4})?$")
# How a client may write one: either case, the dot optional but only after the category. `parse_icd10` accepts
# exactly these, so the API declares this pattern and every code it admits is looked up.
ICD10_WRITTEN_PATTERN = r"^[A-Za-z][0-9A-Za-z]{2}(\.?[0-9A-Za-z]{1,4})?$"


def parse_icd10(code: str) -> str | None:
    """The code in its stored form (`m62830` -> `M62.830`), or None when it is not shaped like one.

    The dot is optional, but where it is written it must stand after the category (`M54..1` is no code)."""
    written = code.strip()
    if "." in written and (written.count(".") > 1 or written.index(".") != 3):
        return None
    normalized = normalize_icd10(code)
    return normalized if ICD10_CODE_RE.match(normalized) else None


def normalize_icd10(code: str) -> str:
    """`m62830` and `M62.830` are the same code; the stored form has the dot after the category."""
    compact = code.strip().upper().replace(".", "")
    return f"{compact[:3]}.{compact[3:]}" if len(compact) > 3 else compact


class Icd10Code(SQLModel, table=True):
    __tablename__ = "icd10_code"

    code: str = Field(primary_key=True, max_length=10)  # with its dot, e.g. "M62.830"; blocks like "M60-M63"
    description: str
    parent: str | None = Field(default=None, index=True)


class OntologyTerm(SQLModel, table=True):
    """A current term of an ontology release the seed copied (HPO, MONDO): look-ups name terms without it."""

    __tablename__ = "ontology_term"

    system: str = Field(primary_key=True)  # HPO, MONDO (code_systems' labels)
    code: str = Field(primary_key=True)
    label: str


def ontology_release_key(system: str) -> str:
    """The `reference_data` row naming the release of an ontology the seed copied (`ontology_term:hpo`)."""
    return f"{OntologyTerm.__tablename__}:{system}"


class ReferenceData(SQLModel, table=True):
    """Which release of each reference data set the database holds, so seeding reloads it only on change."""

    __tablename__ = "reference_data"

    name: str = Field(primary_key=True)
    version: str
