"""The schema is owned by Alembic: upgrade and downgrade work, and the models match the migrations."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app import migrations
from app.core.db import create_db_engine

TABLES = {
    "alembic_version",
    "change",
    "cause",
    "condition",
    "condition_alias",
    "condition_cause",
    "condition_code",
    "condition_related",
    "condition_symptom",
    "condition_treatment",
    "content_file",
    "entry_state",
    "entry_translation",
    "ontology_term",
    "faq",
    "icd10_code",
    "reference_data",
    "search_engine_file",
    "search_word",
    "search_word_trigram",
    "search_word_trigram_config",
    "search_word_trigram_content",
    "search_word_trigram_data",
    "search_word_trigram_docsize",
    "search_word_trigram_idx",
    "symptom",
    "treatment",
}


def test_upgrade_to_head_and_back_down(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrations.upgrade(url)
    engine = create_db_engine(url)
    assert set(inspect(engine).get_table_names()) == TABLES
    assert migrations.current_revision(engine) == migrations.head_revision(url)

    migrations.downgrade(url, "base")
    engine.dispose()
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    assert migrations.current_revision(engine) is None

    migrations.upgrade(url)
    assert set(inspect(engine).get_table_names()) == TABLES
    engine.dispose()


def test_models_match_the_migrations(tmp_path: Path) -> None:
    """A model change without a migration (or the reverse) fails here."""
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrations.upgrade(url)
    engine = create_db_engine(url)
    with engine.connect() as connection:
        opts = {"render_as_batch": True, "include_object": migrations.include_object}
        context = MigrationContext.configure(connection, opts=opts)
        assert compare_metadata(context, SQLModel.metadata) == []
    engine.dispose()


def test_database_runs_in_wal_mode_with_foreign_keys(db_url: str) -> None:
    engine = create_db_engine(db_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    engine.dispose()
