"""The `conditions-api` command as a user runs it: exit codes and messages."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from app.core.db import create_db_engine
from app.core.paths import SEED_DIR
from tests.conftest import sqlite_url
from tests.content.test_seed import dump, entries

COMMAND = str(Path(sys.executable).parent / "conditions-api")


def run(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run([COMMAND, *args], env=env, capture_output=True, text=True, timeout=60, check=False)


def test_migrate_then_seed_twice_reports_counts(tmp_path: Path) -> None:
    database = tmp_path / "cli.db"
    assert run("migrate", database=database).returncode == 0
    first = run("seed", str(SEED_DIR), database=database)
    assert first.returncode == 0, first.stderr
    files = len(list((SEED_DIR / "conditions").glob("*.md")))
    for kind, number in entries(SEED_DIR).items():
        assert f"{kind}: {number} created, 0 updated, 0 unchanged, 0 deleted" in first.stdout
    second = run("seed", str(SEED_DIR), database=database)
    assert f"conditions: 0 created, 0 updated, {files} unchanged, 0 deleted" in second.stdout
    assert second.stdout.rstrip().endswith("seed: nothing to change.")


def test_a_bad_file_exits_non_zero_naming_file_and_line(tmp_path: Path, content_copy: Path) -> None:
    database = tmp_path / "cli.db"
    run("migrate", database=database)
    path = content_copy / "conditions" / "lumbar-muscle-spasm.md"
    path.write_text(path.read_text().replace("specialty: Spine", "speciality: Spine"), encoding="utf-8")

    result = run("seed", str(content_copy), database=database)

    assert result.returncode == 1
    assert f"{path}:14: unknown field 'speciality'" in result.stderr
    assert f"{path}:1: missing required field 'specialty'" in result.stderr
    assert "seed: 2 error(s); the database was not changed." in result.stderr
    assert "Traceback" not in result.stderr


def test_one_broken_vocabulary_entry_is_one_error_and_changes_nothing(tmp_path: Path, content_copy: Path) -> None:
    database = tmp_path / "cli.db"
    run("migrate", database=database)
    path = content_copy / "vocabulary" / "treatments.yaml"
    text = path.read_text(encoding="utf-8")
    entry = "- slug: nsaids\n  name: NSAIDs (non-steroidal anti-inflammatory drugs)\n"
    entry += "  aliases: [anti-inflammatories, ibuprofen, naproxen]\n"
    assert f"{entry}  kind: medication\n" in text
    path.write_text(text.replace(f"{entry}  kind: medication\n", entry), encoding="utf-8")
    line = text.splitlines().index("- slug: nsaids") + 1
    engine = create_db_engine(sqlite_url(database))
    before = dump(engine)

    result = run("seed", str(content_copy), database=database)

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{path}:{line}: missing required field 'kind'",
        "seed: 1 error(s); the database was not changed.",
    ]
    assert dump(engine) == before
    engine.dispose()


def test_keys_are_created_once_listed_without_secrets_and_revoked(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.db"
    env = {**os.environ, "KEYS_DATABASE_URL": f"sqlite:///{keys_file}"}

    def keys(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [COMMAND, "keys", *args], env=env, capture_output=True, text=True, timeout=60, check=False
        )

    created = keys("create", "clinic-app", "--rate", "120/minute", "--expires", "2031-01-31")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert key.startswith("cak_") and len(key) > 40
    assert "not shown again" in created.stderr
    assert key.encode() not in keys_file.read_bytes()  # only its hash is kept
    assert keys("create", "clinic-app").returncode == 1
    assert "already exists" in keys("create", "clinic-app").stderr
    assert "is not a rate" in keys("create", "other", "--rate", "lots").stderr
    assert "use 1-64 letters" in keys("create", "no spaces").stderr
    assert "that day has passed" in keys("create", "late", "--expires", "2020-01-01").stderr

    listed = keys("list")
    assert listed.returncode == 0
    name, status, rate, created_on, expires, last_used = listed.stdout.splitlines()[1].split()
    assert (name, status, rate, expires, last_used) == ("clinic-app", "active", "120/minute", "2031-01-31", "-")
    assert created_on == date.today().isoformat()
    assert key not in listed.stdout

    assert keys("revoke", "clinic-app").returncode == 0
    assert keys("list").stdout.splitlines()[1].split()[1] == "revoked"
    again = keys("revoke", "clinic-app")
    assert again.returncode == 1 and "already revoked" in again.stderr
    assert "no key is named 'nobody'" in keys("revoke", "nobody").stderr


def test_replicas_migrating_one_fresh_keys_file_at_once_all_succeed(tmp_path: Path) -> None:
    """Replicas sharing a keys volume start (and migrate it) together: none may fail on a table another made.
    (Without the lock, about one round in six failed with "table alembic_version already exists".)"""
    for round_ in range(4):
        keys = f"sqlite:///{tmp_path / f'keys-{round_}.db'}"
        starts = [
            subprocess.Popen(
                [COMMAND, "migrate"],
                env={
                    **os.environ,
                    "KEYS_DATABASE_URL": keys,
                    "DATABASE_URL": f"sqlite:///{tmp_path / f'{round_}-{n}.db'}",
                },
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(4)
        ]
        for start in starts:
            _, errors = start.communicate(timeout=120)
            assert start.returncode == 0, errors
