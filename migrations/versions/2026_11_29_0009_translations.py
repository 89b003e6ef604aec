"""Translations: one row per entry and language other than English (`entry_translation`).

The next seed fills it from seed/translations/<language>/.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "entry_translation",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=35), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "slug", "language", name=op.f("pk_entry_translation")),
    )
    op.create_index("ix_entry_translation_language_kind", "entry_translation", ["language", "kind"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_entry_translation_language_kind", table_name="entry_translation")
    op.drop_table("entry_translation")
