"""The search index tables that SQLModel knows. The FTS5 virtual tables (`search_fts`, `search_word_trigram`)
are created by migration 0003 only: SQLAlchemy cannot describe them, and autogenerate is told to skip them."""

from sqlmodel import Field, SQLModel


class SearchName(SQLModel, table=True):
    """Type-ahead keys: a name or alias from each word start ("lumbar muscle spasm", "muscle spasm", "spasm")."""

    __tablename__ = "search_name"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True)  # lowercased text from a word start, compared by prefix
    kind: str  # condition | symptom | cause | treatment
    slug: str
    name: str  # the entry's name
    label: str  # the name or alias the key comes from
    rank: int  # lower is better: name before alias, first word before later words, popular first


class SearchWord(SQLModel, table=True):
    """Every word of the indexed names and text, with how many documents use it, for spelling suggestions."""

    __tablename__ = "search_word"

    word: str = Field(primary_key=True)
    documents: int
