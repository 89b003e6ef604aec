"""The search index tables that SQLModel knows. The FTS5 virtual table `search_word_trigram` is created by
migration 0003 only: SQLAlchemy cannot describe it, and autogenerate is told to skip it."""

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class SearchEngineFile(SQLModel, table=True):
    """One file of the full-text index (app/queries/search_engine.py), stored so the database is the release."""

    __tablename__ = "search_engine_file"

    name: str = Field(primary_key=True)
    content: bytes


class SearchWord(SQLModel, table=True):
    """Every word of the indexed names and text in each language, with how many documents use it, for spelling
    suggestions. Its row of `search_word_trigram` (the word accents folded, cut into trigrams) has its `id` as
    rowid: an INTEGER PRIMARY KEY, so VACUUM cannot renumber one and not the other."""

    __tablename__ = "search_word"
    __table_args__ = (UniqueConstraint("language", "word"),)

    id: int | None = Field(default=None, primary_key=True)
    language: str
    word: str
    documents: int
