"""Fixtures: real SQLite files built by the real migrations and seed pipeline, one copy per test."""

import atexit
import os
import re
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from app import migrations
from app.content.seed import seed
from app.core.config import Settings
from app.core.db import create_db_engine
from app.core.paths import SEED_DIR
from app.main import create_app

# Tests call the API hundreds of times a minute from one address: rate limits are off unless a test turns them
# on. API keys live in a throwaway file (servers started by tests inherit both).
os.environ["RATE_LIMIT"] = "0"
_KEYS_FOLDER = tempfile.mkdtemp(prefix="conditions-api-keys-")
atexit.register(shutil.rmtree, _KEYS_FOLDER, ignore_errors=True)
os.environ["KEYS_DATABASE_URL"] = f"sqlite:///{_KEYS_FOLDER}/keys.db"


@pytest.fixture
def anyio_backend() -> str:
    """Async tests (modules marked `pytestmark = pytest.mark.anyio`) run on asyncio."""
    return "asyncio"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def build_database(path: Path, content: Path = SEED_DIR) -> None:
    """Migrate an empty file to head and seed it, exactly as `make run` does."""
    url = sqlite_url(path)
    migrations.upgrade(url)
    engine = create_db_engine(url)
    try:
        seed(engine, content)
    finally:
        engine.dispose()  # closing the last connection checkpoints the WAL into the main file


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "conditions.db"
    build_database(path)
    return path


@pytest.fixture
def db_path(seeded_template: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded database, so each test can assert exact counts."""
    path = tmp_path / "conditions.db"
    shutil.copyfile(seeded_template, path)
    return path


@pytest.fixture
def db_url(db_path: Path) -> str:
    return sqlite_url(db_path)


@pytest.fixture
def write_engine(db_url: str) -> Iterator[Engine]:
    engine = create_db_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> FastAPI:
    return create_app(Settings(database_url=db_url, export_dir=str(tmp_path / "exports")))


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
    app.state.close()


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """An editable copy of the seed folder's English content, for tests that change content (an edit of an
    English page would otherwise have to be made to its translations too: `translated_content_copy`)."""
    target = tmp_path / "seed"
    shutil.copytree(SEED_DIR, target, ignore=lambda folder, _: ["translations"] if Path(folder) == SEED_DIR else [])
    return target


@pytest.fixture
def translated_content_copy(tmp_path: Path) -> Path:
    """An editable copy of the whole seed folder, translations included."""
    target = tmp_path / "seed"
    shutil.copytree(SEED_DIR, target)
    return target


REVIEWED = {"last_reviewed": "2026-12-01", "next_review_due": "2027-06-01"}


@pytest.fixture
async def reviewed_client(db_path: Path, content_copy: Path, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a library where a clinician has reviewed lumbar muscle spasm (every seeded entry is a draft):
    the content edit a reviewer would make, applied by the real seed pipeline."""
    page = content_copy / "conditions" / "lumbar-muscle-spasm.md"
    text = page.read_text(encoding="utf-8")
    review = "review:\n  status: reviewed\n" + "".join(f"  {key}: {value}\n" for key, value in REVIEWED.items())
    edited = re.sub(r"review:\n(  .*\n)+", review, text, count=1)
    assert edited != text
    page.write_text(edited, encoding="utf-8")
    engine = create_db_engine(sqlite_url(db_path))
    try:
        seed(engine, content_copy)
    finally:
        engine.dispose()
    app = create_app(Settings(database_url=sqlite_url(db_path), export_dir=str(tmp_path / "exports")))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield client
    app.state.close()
