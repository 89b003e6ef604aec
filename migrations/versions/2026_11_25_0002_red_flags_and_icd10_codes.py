"""Red-flag symptoms (a section on condition_symptom) and the ICD-10-CM code table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:41:46.465242
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "icd10_code",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("parent", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_icd10_code")),
    )
    with op.batch_alter_table("icd10_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_icd10_code_parent"), ["parent"], unique=False)

    op.create_table(
        "reference_data",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("version", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_reference_data")),
    )
    # Existing links are symptoms; the primary key gains the section so a symptom can also be a red flag.
    with op.batch_alter_table("condition_symptom", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "section",
                sa.Enum("symptom", "red-flag", name="symptomsection", native_enum=False),
                nullable=False,
                server_default="symptom",
            )
        )
        batch_op.create_check_constraint("section", "section IN ('symptom','red-flag')")
        batch_op.drop_constraint("pk_condition_symptom", type_="primary")
        batch_op.create_primary_key("pk_condition_symptom", ["condition_id", "symptom_id", "section"])


def downgrade() -> None:
    op.execute("DELETE FROM condition_symptom WHERE section = 'red-flag'")
    with op.batch_alter_table("condition_symptom", schema=None) as batch_op:
        batch_op.drop_constraint("pk_condition_symptom", type_="primary")
        batch_op.create_primary_key("pk_condition_symptom", ["condition_id", "symptom_id"])
        batch_op.drop_constraint("section", type_="check")
        batch_op.drop_column("section")

    op.drop_table("reference_data")
    with op.batch_alter_table("icd10_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_icd10_code_parent"))
    op.drop_table("icd10_code")
