"""Entries in other languages than the default: one row per entry and language.

A translation is stored as the document its file says (names, aliases, the page's words by section and
position, FAQs, notes, its own review and who translated it), not as a copy of the English rows: the links,
codes and structure stay the English entry's, and the representation layer lays the words over them
(app/representation/localize.py). `digest` hashes the document, so a re-seed of an unchanged file writes nothing.
"""

from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


class EntryTranslation(SQLModel, table=True):
    __tablename__ = "entry_translation"
    # Lists and searches read one language's translations of many entries.
    __table_args__ = (Index("ix_entry_translation_language_kind", "language", "kind"),)

    kind: str = Field(primary_key=True)  # condition, symptom, cause or treatment
    slug: str = Field(primary_key=True, max_length=120)
    language: str = Field(primary_key=True, max_length=35)
    document: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    digest: str
