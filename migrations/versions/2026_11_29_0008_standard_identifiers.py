"""Standard identifiers: SNOMED CT and MONDO codes on conditions (with the editor's note on a mapping), HPO ids
and HPO's layperson synonyms on symptoms, and the HPO and MONDO releases' terms (`ontology_term`).

Existing rows get no identifiers; the next seed writes them from the content and copies the releases. The
seed's parser version changes with this code, so that seed re-reads every file.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ontology_term",
        sa.Column("system", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("system", "code", name=op.f("pk_ontology_term")),
    )
    with op.batch_alter_table("condition_code", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("match", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="exact")
        )
        batch_op.add_column(sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    with op.batch_alter_table("symptom", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hpo", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("hpo_match", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("hpo_note", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("hpo_label", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("hpo_release", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("lay_terms", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.create_index(batch_op.f("ix_symptom_hpo"), ["hpo"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("symptom", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_symptom_hpo"))
        batch_op.drop_column("lay_terms")
        batch_op.drop_column("hpo_release")
        batch_op.drop_column("hpo_label")
        batch_op.drop_column("hpo_note")
        batch_op.drop_column("hpo_match")
        batch_op.drop_column("hpo")
    with op.batch_alter_table("condition_code", schema=None) as batch_op:
        batch_op.drop_column("note")
        batch_op.drop_column("match")
    op.drop_table("ontology_term")
