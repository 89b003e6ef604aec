"""Alembic, driven from code: the CLI, `/ready` and the tests all use these.

Alembic is imported inside the functions: it costs ~0.5 s, and a starting server needs it only for `/ready`.
"""

import fcntl
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from app.core.db import sqlite_path
from app.core.paths import KEYS_MIGRATIONS_DIR, MIGRATIONS_DIR, PROJECT_ROOT

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(database_url: str, location: Path = MIGRATIONS_DIR) -> "Config":
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(location))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(database_url), revision)


def upgrade_keys(keys_database_url: str) -> None:
    """Create or bring up to date the API keys file, which has its own schema history (migrations/keys).

    Replicas share one keys file and migrate it as they start, all at once: a lock file beside it lets one
    create the table while the others wait (and then find nothing to do), instead of failing on
    "table api_key already exists"."""
    from alembic import command

    path = sqlite_path(keys_database_url)
    if path is None:
        command.upgrade(alembic_config(keys_database_url, KEYS_MIGRATIONS_DIR), "head")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".migrate-lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        command.upgrade(alembic_config(keys_database_url, KEYS_MIGRATIONS_DIR), "head")


def downgrade(database_url: str, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(database_url), revision)


@lru_cache
def head_revision(database_url: str) -> str | None:
    """The newest migration in migrations/ (it cannot change while the process runs)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


# FTS5 virtual tables and their shadow tables live only in migrations: autogenerate must not drop them.
FTS_TABLE_PREFIXES = ("search_word_trigram",)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    del obj, compare_to
    return not (type_ == "table" and reflected and name is not None and name.startswith(FTS_TABLE_PREFIXES))
