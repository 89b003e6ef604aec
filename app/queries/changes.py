"""Reads of the change log: the feed after a cursor, and the current position."""

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Change


def after(session: Session, *, seq: int, limit: int) -> list[Change]:
    statement = select(Change).where(col(Change.seq) > seq).order_by(col(Change.seq)).limit(limit)
    return list(session.exec(statement))


def latest_seq(session: Session) -> int:
    return session.exec(select(func.max(col(Change.seq)))).one() or 0


def latest(session: Session) -> Change | None:
    """The newest change: its seq and time identify the content version."""
    return session.exec(select(Change).order_by(col(Change.seq).desc()).limit(1)).first()
