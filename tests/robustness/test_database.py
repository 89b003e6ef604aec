"""A database the server cannot use makes it say so: `serve` refuses to start, routes answer 503 problems,
`/ready` checks what it claims; a read-only file is served as it is."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import httpx
import pytest

from app import migrations
from tests.conftest import sqlite_url
from tests.servers import COMMAND, api_process, free_port, running, server_env

pytestmark = pytest.mark.e2e


HEAD = migrations.head_revision("sqlite://")  # the newest migration, whichever it is


def serve_once(database: Path) -> subprocess.CompletedProcess[str]:
    env = server_env(database, free_port())
    return subprocess.run([COMMAND, "serve"], env=env, capture_output=True, text=True, timeout=60, check=False)


def unmigrated(path: Path) -> Path:
    migrations.upgrade(sqlite_url(path), "0003")
    return path


def garbage(path: Path) -> Path:
    path.write_bytes(b"this is not a database\n" * 400)
    return path


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda path: path, "does not exist: build it with `conditions-api migrate` and then `conditions-api seed`"),
        (garbage, "cannot be read (file is not a database): build it with `conditions-api migrate`"),
        (unmigrated, f"is at migration 0003, expected {HEAD}: run `conditions-api migrate`"),
    ],
    ids=["missing", "not-a-database", "unmigrated"],
)
def test_serve_refuses_a_database_it_cannot_serve(tmp_path: Path, make: object, says: str) -> None:
    database = make(tmp_path / "conditions.db")  # type: ignore[operator]
    result = serve_once(database)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("serve: ") and says in lines[0], result.stderr


def test_serve_refuses_an_export_folder_it_cannot_write(db_path: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env = server_env(db_path, free_port(), EXPORT_DIR=str(blocker / "exports"))
    result = subprocess.run([COMMAND, "serve"], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"serve: EXPORT_DIR {blocker / 'exports'} cannot be written: Not a directory."
    ]


def test_serve_does_not_create_a_missing_database(tmp_path: Path) -> None:
    assert serve_once(tmp_path / "conditions.db").returncode == 1
    assert list(tmp_path.iterdir()) == []


def test_a_file_damaged_while_serving_answers_503_problems(large_db: Path) -> None:
    with api_process(large_db) as server, httpx.Client(base_url=server.base, timeout=30) as client:
        assert client.get("/ready").status_code == 200
        size = large_db.stat().st_size
        with large_db.open("r+b") as file:  # a disk fault: most pages zeroed under the running server
            file.seek(size // 10)
            file.write(b"\0" * (size * 8 // 10))
        for path in ("/v1/search?q=spine", "/v1/conditions?symptom=low-back-pain", "/v1/symptoms/low-back-pain"):
            response = client.get(path)
            assert response.status_code == 503, (path, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["type"] == "/problems/database-unavailable"
            assert "Traceback" not in response.text and "sqlite" not in response.text.lower()
        ready = client.get("/ready")
        assert ready.status_code == 503 and "is damaged" in ready.json()["detail"]
        assert client.get("/health").status_code == 200


def damage_an_index(path: Path) -> None:
    """Overwrite the root page of one index: queries that avoid it still work, `quick_check` does not pass."""
    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_condition_specialty'").fetchone()
    connection.close()
    with path.open("r+b") as file:
        file.seek((root[0] - 1) * page_size)
        file.write(b"\xff" * 16)


def test_ready_and_serve_check_the_files_integrity(db_path: Path) -> None:
    with api_process(db_path) as server, httpx.Client(base_url=server.base, timeout=10) as client:
        assert client.get("/ready").status_code == 200
        damage_an_index(db_path)
        ready = client.get("/ready")
        assert ready.status_code == 503 and "is damaged" in ready.json()["detail"], ready.text
    refused = serve_once(db_path)
    assert refused.returncode == 1 and "is damaged" in refused.stderr


def can_mount_read_only() -> bool:
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False)
    return shutil.which("unshare") is not None and probe.returncode == 0


@pytest.mark.skipif(not can_mount_read_only(), reason="needs `unshare -rm` (user and mount namespaces)")
def test_a_read_only_database_is_served(db_path: Path, tmp_path: Path) -> None:
    """A replica's baked image: the folder is a read-only mount, with no -wal or -shm file beside the database."""
    view = tmp_path / "read-only"
    view.mkdir()
    port = free_port()
    env = server_env(view / db_path.name, port, EXPORT_DIR=str(tmp_path / "exports"))
    mount = 'mount --bind -o ro "$0" "$1" && exec "$2" serve'
    command = ["unshare", "-rm", "sh", "-c", mount, str(db_path.parent), str(view), COMMAND]
    base = f"http://127.0.0.1:{port}"
    with running(command, f"{base}/health", env), httpx.Client(base_url=base, timeout=10) as client:
        assert client.get("/ready").status_code == 200
        assert client.get("/v1/conditions/lumbar-muscle-spasm").json()["name"] == "Lumbar muscle spasm"
        assert client.get("/v1/search?q=spasm").status_code == 200
        assert client.get("/v1/export").status_code == 200
    assert not os.path.exists(f"{db_path}-shm")
