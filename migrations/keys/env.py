"""Alembic environment of the API keys file (`KEYS_DATABASE_URL`), which has a schema and history of its own."""

from alembic import context

from app.callers.keys import KEYS_METADATA
from app.core.config import get_settings
from app.core.db import create_db_engine

config = context.config


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url") or get_settings().keys_database_url
    engine = create_db_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=KEYS_METADATA, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
