"""Search index: FTS5 over names, aliases, summaries and text; a word list with trigrams; type-ahead keys.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Porter stemming finds "spasm" for "spasms"; remove_diacritics lets "sciatica" match "sciática".
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "kind UNINDEXED, slug UNINDEXED, name, aliases, summary, body, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    # Trigrams of every indexed word: the candidates for "did you mean" and typo-tolerant retries.
    op.execute("CREATE VIRTUAL TABLE search_word_trigram USING fts5(word, tokenize = 'trigram')")
    op.create_table(
        "search_word",
        sa.Column("word", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_word")),
    )
    op.create_table(
        "search_name",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_name")),
    )
    with op.batch_alter_table("search_name", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_name_key"), ["key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("search_name", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_name_key"))
    op.drop_table("search_name")
    op.drop_table("search_word")
    op.execute("DROP TABLE search_word_trigram")
    op.execute("DROP TABLE search_fts")
