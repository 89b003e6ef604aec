"""Search in every language: the spelling word list gets a `language` column (a word is known per language,
"dolor" in Spanish only), an integer id its trigram row shares, and trigrams of the word with accents folded
("ciatca" finds "ciática" as easily as "ciatica").

The stored indexes go too: this version keeps one text and one type-ahead index per language, and the next
seed builds them (search answers 503 until then, as after migration 0006).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _forget_stored_indexes() -> None:
    op.execute("DELETE FROM search_engine_file")
    op.execute("DELETE FROM reference_data WHERE name IN ('search_index', 'search_engine')")


def upgrade() -> None:
    op.execute("DROP TABLE search_word_trigram")
    op.drop_table("search_word")
    op.create_table(
        "search_word",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("word", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_word")),
        sa.UniqueConstraint("language", "word", name=op.f("uq_search_word_language_word")),
    )
    op.execute("CREATE VIRTUAL TABLE search_word_trigram USING fts5(word, tokenize = 'trigram')")
    _forget_stored_indexes()


def downgrade() -> None:
    op.execute("DROP TABLE search_word_trigram")
    op.drop_table("search_word")
    op.create_table(
        "search_word",
        sa.Column("word", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_word")),
    )
    op.execute("CREATE VIRTUAL TABLE search_word_trigram USING fts5(word, tokenize = 'trigram')")
    _forget_stored_indexes()  # the older code's next seed rebuilds them
