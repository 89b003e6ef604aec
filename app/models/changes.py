"""The change log: every create, update or delete the seed pipeline makes, in order.

Its highest `seq` is the content version: cached representations are keyed by it, and `/v1/changes` lets an
offline client fetch only what changed since the cursor it holds.
"""

from datetime import datetime

from sqlmodel import Field, SQLModel


class Change(SQLModel, table=True):
    seq: int | None = Field(default=None, primary_key=True)
    kind: str  # condition | symptom | cause | treatment
    slug: str
    action: str  # upsert | delete
    changed_at: datetime


class EntryState(SQLModel, table=True):
    """A hash of each entry's public representation as of the last seed: the change log is their difference."""

    __tablename__ = "entry_state"

    kind: str = Field(primary_key=True)
    slug: str = Field(primary_key=True)
    digest: str
