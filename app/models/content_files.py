"""The condition files the database was last seeded from (see app/content/known_files.py)."""

from sqlmodel import Field, SQLModel


class ContentFile(SQLModel, table=True):
    """One condition file as the last seed read it: the hash of its bytes and of its parsed content, and what the
    checks across files need of it, so the next seed parses only the files that changed."""

    __tablename__ = "content_file"

    path: str = Field(primary_key=True)  # relative to the content folder: conditions/<name>.md
    sha256: str  # of the file's bytes
    slug: str
    content_hash: str  # of the parsed content, as the condition row stores it when written from this file
    summary: str  # JSON: slug, aliases, codes, related pages, the terms each list item names, and their lines
