"""Editors' notes on vocabulary terms, apart from the description (which is searched and shown as the term's).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TERM_TABLES = ("symptom", "cause", "treatment")


def upgrade() -> None:
    for table in TERM_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            # Existing rows have no notes; the next seed writes them from the content.
            batch_op.add_column(sa.Column("editor_notes", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    for table in TERM_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("editor_notes")
