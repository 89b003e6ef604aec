"""A large library for load and failure tests: the real seed plus generated conditions, built by the same
script the benchmarks use (`bench/synthetic.py`, deterministic), once per test session."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.paths import PROJECT_ROOT

LARGE_LIBRARY = 10_000  # the size at which version 1 crashed under concurrent expanded lists


@pytest.fixture(scope="session")
def large_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large") / "large.db"
    script = PROJECT_ROOT / "bench" / "synthetic.py"
    subprocess.run([sys.executable, script, str(LARGE_LIBRARY), path], check=True, capture_output=True, timeout=300)
    return path


@pytest.fixture
def large_db(large_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "large.db"
    shutil.copyfile(large_template, path)
    return path
