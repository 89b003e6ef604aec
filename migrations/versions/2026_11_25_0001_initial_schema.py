"""Initial schema: conditions, the shared vocabulary, their links, FAQs, codes and relations.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 13:32:31.353021
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "condition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("specialty", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("body_area", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("duration_min_days", sa.Integer(), nullable=True),
        sa.Column("duration_max_days", sa.Integer(), nullable=True),
        sa.Column("duration_text", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("causes_intro", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("symptoms_intro", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("treatments_intro", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("self_care_intro", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("editor_notes", sa.JSON(), nullable=False),
        sa.Column(
            "review_status", sa.Enum("draft", "reviewed", name="reviewstatus", native_enum=False), nullable=False
        ),
        sa.Column("last_reviewed", sa.Date(), nullable=False),
        sa.Column("next_review_due", sa.Date(), nullable=False),
        sa.Column("source_title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source_url", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("source_attribution", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("review_status IN ('draft','reviewed')", name=op.f("ck_condition_review_status")),
        sa.CheckConstraint(
            "duration_min_days IS NULL OR duration_max_days IS NULL OR duration_min_days <= duration_max_days",
            name=op.f("ck_condition_duration_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_condition")),
        sa.UniqueConstraint("slug", name=op.f("uq_condition_slug")),
    )
    with op.batch_alter_table("condition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_condition_specialty"), ["specialty"], unique=False)

    op.create_table(
        "symptom",
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_symptom")),
        sa.UniqueConstraint("slug", name=op.f("uq_symptom_slug")),
    )
    op.create_table(
        "treatment",
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "self-care", "medication", "procedure", "therapy", "device", name="treatmentkind", native_enum=False
            ),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('self-care','medication','procedure','therapy','device')", name=op.f("ck_treatment_kind")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment")),
        sa.UniqueConstraint("slug", name=op.f("uq_treatment_slug")),
    )
    with op.batch_alter_table("treatment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_treatment_kind"), ["kind"], unique=False)

    op.create_table(
        "cause",
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("condition_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["condition_id"], ["condition.id"], name=op.f("fk_cause_condition_id_condition"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cause")),
        sa.UniqueConstraint("slug", name=op.f("uq_cause_slug")),
    )
    with op.batch_alter_table("cause", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cause_condition_id"), ["condition_id"], unique=False)

    op.create_table(
        "condition_alias",
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("condition_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["condition_id"],
            ["condition.id"],
            name=op.f("fk_condition_alias_condition_id_condition"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_condition_alias")),
    )
    with op.batch_alter_table("condition_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_condition_alias_condition_id"), ["condition_id"], unique=False)

    op.create_table(
        "condition_code",
        sa.Column("condition_id", sa.Integer(), nullable=False),
        sa.Column("system", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("display", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["condition_id"],
            ["condition.id"],
            name=op.f("fk_condition_code_condition_id_condition"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("condition_id", "system", "code", name=op.f("pk_condition_code")),
    )
    with op.batch_alter_table("condition_code", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_condition_code_code"), ["code"], unique=False)

    op.create_table(
        "condition_related",
        sa.Column("condition_id", sa.Integer(), nullable=False),
        sa.Column("related_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["condition_id"],
            ["condition.id"],
            name=op.f("fk_condition_related_condition_id_condition"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["related_id"], ["condition.id"], name=op.f("fk_condition_related_related_id_condition"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("condition_id", "related_id", name=op.f("pk_condition_related")),
    )
    with op.batch_alter_table("condition_related", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_condition_related_related_id"), ["related_id"], unique=False)

    op.create_table(
        "condition_symptom",
        sa.Column("condition_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("term_position", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("symptom_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["condition_id"],
            ["condition.id"],
            name=op.f("fk_condition_symptom_condition_id_condition"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["symptom_id"], ["symptom.id"], name=op.f("fk_condition_symptom_symptom_id_symptom"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("condition_id", "symptom_id", name=op.f("pk_condition_symptom")),
    )
    with op.batch_alter_table("condition_symptom", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_condition_symptom_symptom_id"), ["symptom_id"], unique=False)

    op.create_table(
        "condition_treatment",
        sa.Column("condition_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("term_position", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("treatment_id", sa.Integer(), nullable=False),
        sa.Column(
            "section", sa.Enum("treatment", "self-care", name="treatmentsection", native_enum=False), nullable=False
        ),
        sa.CheckConstraint("section IN ('treatment','self-care')", name=op.f("ck_condition_treatment_section")),
        sa.ForeignKeyConstraint(
            ["condition_id"],
            ["condition.id"],
            name=op.f("fk_condition_treatment_condition_id_condition"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["treatment_id"],
            ["treatment.id"],
            name=op.f("fk_condition_treatment_treatment_id_treatment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("condition_id", "treatment_id", "section", name=op.f("pk_condition_treatment")),
    )
    with op.batch_alter_table("condition_treatment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_condition_treatment_treatment_id"), ["treatment_id"], unique=False)

    op.create_table(
        "faq",
        sa.Column("condition_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("answer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["condition_id"], ["condition.id"], name=op.f("fk_faq_condition_id_condition"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("condition_id", "position", name=op.f("pk_faq")),
    )
    op.create_table(
        "condition_cause",
        sa.Column("condition_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("term_position", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("cause_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cause_id"], ["cause.id"], name=op.f("fk_condition_cause_cause_id_cause"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["condition_id"],
            ["condition.id"],
            name=op.f("fk_condition_cause_condition_id_condition"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("condition_id", "cause_id", name=op.f("pk_condition_cause")),
    )
    with op.batch_alter_table("condition_cause", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_condition_cause_cause_id"), ["cause_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("condition_cause", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_condition_cause_cause_id"))

    op.drop_table("condition_cause")
    op.drop_table("faq")
    with op.batch_alter_table("condition_treatment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_condition_treatment_treatment_id"))

    op.drop_table("condition_treatment")
    with op.batch_alter_table("condition_symptom", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_condition_symptom_symptom_id"))

    op.drop_table("condition_symptom")
    with op.batch_alter_table("condition_related", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_condition_related_related_id"))

    op.drop_table("condition_related")
    with op.batch_alter_table("condition_code", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_condition_code_code"))

    op.drop_table("condition_code")
    with op.batch_alter_table("condition_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_condition_alias_condition_id"))

    op.drop_table("condition_alias")
    with op.batch_alter_table("cause", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cause_condition_id"))

    op.drop_table("cause")
    with op.batch_alter_table("treatment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_treatment_kind"))

    op.drop_table("treatment")
    op.drop_table("symptom")
    with op.batch_alter_table("condition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_condition_specialty"))

    op.drop_table("condition")
