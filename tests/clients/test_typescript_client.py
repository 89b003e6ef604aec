"""A strict TypeScript client: openapi-typescript types the served document, `tsc --strict --noEmit` compiles
tests/clients/typescript/client.ts (openapi-fetch calls, no casts), and node's test runner runs it against the
real server: the list, a detail, `fields=`, a problem, search and match."""

import os
import subprocess
from pathlib import Path

import pytest

from tests.servers import api_server

pytestmark = pytest.mark.e2e
HERE = Path(__file__).parent / "typescript"
BIN = HERE / "node_modules" / ".bin"  # `make test` installs them with `npm ci` from the lock file


def run(command: list[str | Path], **env: str) -> None:
    done = subprocess.run(command, cwd=HERE, capture_output=True, text=True, env={**os.environ, **env}, timeout=180)
    assert done.returncode == 0, f"{' '.join(map(str, command))}\n{done.stdout}\n{done.stderr}"


def test_the_strict_typescript_client_compiles_and_runs(db_path: Path) -> None:
    with api_server(db_path) as base:
        run([BIN / "openapi-typescript", f"{base}/openapi.json", "--output", "generated/schema.d.ts"])
        run([BIN / "tsc", "--strict", "--noEmit", "-p", "."])
        run([BIN / "tsc", "-p", "."])
        run(["node", "--test", "build/client.test.js"], API_BASE_URL=base)
