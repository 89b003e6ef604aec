"""A fixed library for API mechanics (lists, filters, paging), independent of how `seed/` grows: the
vocabulary in `tests/fixtures/content` plus synthetic conditions with known links."""

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.core.config import Settings
from app.main import create_app
from tests.conftest import build_database, sqlite_url
from tests.factories import write_condition

FIXTURE_CONTENT = Path(__file__).parents[1] / "fixtures" / "content"

# slug -> (symptoms, causes, treatments, specialty)
LIBRARY = {
    "alpha": (("low-back-pain", "pain"), ("dehydration",), ("rest",), "Spine"),
    "bravo": (("low-back-pain",), ("herniated-disc",), ("nsaids", "rest"), "Spine"),
    "charlie": (("pain",), ("dehydration",), ("massage",), "Neurology"),
    "delta": (("low-back-pain", "pain", "swelling"), ("unusual-exercise",), ("rest",), "neurology"),
    "echo": (("swelling",), ("dehydration",), ("heat-therapy",), "Spine"),
}


@pytest.fixture(scope="session")
def library_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("library")
    content = root / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for slug, (symptoms, causes, treatments, specialty) in LIBRARY.items():
        write_condition(content, slug, symptoms=symptoms, causes=causes, treatments=treatments, specialty=specialty)
    build_database(root / "library.db", content)
    return root / "library.db"


@pytest.fixture
async def library_client(library_template: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(database_url=sqlite_url(library_template)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield client
    app.state.close()
