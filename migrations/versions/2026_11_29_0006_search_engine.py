"""Search moves from FTS5 and a key table to Tantivy indexes stored in the database (`search_engine_file`).

FTS5 ranked every matching row with bm25 (20 ms for a common word at 100,000 conditions), and type-ahead
sorted every key in a prefix's range; Tantivy keeps the best k. The word list and its trigrams (spelling
suggestions) stay in SQLite. The next seed builds the new indexes (the index version changed); until then
search answers 503. A symptom's links are indexed with their section, so its red flags are found without
reading its plain links (26 ms for a common symptom at 100,000 conditions).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DROP TABLE search_fts")
    with op.batch_alter_table("search_name", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_name_key"))
    op.drop_table("search_name")
    op.execute("DELETE FROM reference_data WHERE name IN ('search_index', 'search_index_conditions')")
    op.create_table(
        "search_engine_file",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_search_engine_file")),
    )
    with op.batch_alter_table("condition_symptom", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_condition_symptom_symptom_id"))
        batch_op.create_index("ix_condition_symptom_symptom_id_section", ["symptom_id", "section"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("condition_symptom", schema=None) as batch_op:
        batch_op.drop_index("ix_condition_symptom_symptom_id_section")
        batch_op.create_index(batch_op.f("ix_condition_symptom_symptom_id"), ["symptom_id"], unique=False)
    op.drop_table("search_engine_file")
    op.execute("DELETE FROM reference_data WHERE name IN ('search_index', 'search_engine')")
    # Empty: the next seed of the older code rebuilds them (its index version row is gone).
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
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "kind UNINDEXED, slug UNINDEXED, name, aliases, summary, body, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
