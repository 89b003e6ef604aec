"""The search index tables that SQLModel knows. The FTS5 virtual table `search_word_trigram` is created by
migration 0003 only: SQLAlchemy cannot describe it, and autogenerate is told to skip it."""

from sqlmodel import Field, SQLModel


class SearchEngineFile(SQLModel, table=True):
    """One file of the full-text index (app/queries/search_engine.py), stored so the database is the release."""

    __tablename__ = "search_engine_file"

    name: str = Field(primary_key=True)
    content: bytes


class SearchWord(SQLModel, table=True):
    """Every word of the indexed names and text, with how many documents use it, for spelling suggestions."""

    __tablename__ = "search_word"

    word: str = Field(primary_key=True)
    documents: int
