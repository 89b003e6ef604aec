"""Real server processes for end-to-end and browser tests: `conditions-api serve` on a free loopback port."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
import pytest
import redis

COMMAND = str(Path(sys.executable).parent / "conditions-api")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{url} did not come up:\n{output_of(process)}")
        time.sleep(0.1)


def output_of(process: subprocess.Popen[bytes]) -> str:
    """What the process has written so far (its output goes to a file: a pipe nobody reads fills up after
    64 KiB of access log and blocks the server)."""
    log = _LOGS.get(process.pid)
    if log is None:
        return ""
    log.seek(0)
    return log.read().decode(errors="replace")[-20_000:]


_LOGS: dict[int, IO[bytes]] = {}


@contextmanager
def running(command: list[str], url: str, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        _LOGS[process.pid] = log
        try:
            wait_until_up(url, process)
            yield process
        finally:
            process.terminate()
            process.wait(timeout=40)
            del _LOGS[process.pid]


@dataclass(frozen=True)
class Server:
    base: str
    process: subprocess.Popen[bytes]


def server_env(db_path: Path, port: int, **settings: str) -> dict[str, str]:
    base = f"http://127.0.0.1:{port}"
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_path}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PUBLIC_URL": base,
        "EXPORT_DIR": str(db_path.parent / "exports"),
        **settings,
    }


@contextmanager
def api_process(db_path: Path, **settings: str) -> Iterator[Server]:
    """`conditions-api serve` on `db_path`, with its process; extra settings become environment variables."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running([COMMAND, "serve"], f"{base}/health", server_env(db_path, port, **settings)) as process:
        yield Server(base, process)


@contextmanager
def api_server(db_path: Path, **settings: str) -> Iterator[str]:
    """The API on `db_path`; extra settings are passed as environment variables (`EMBED_ORIGINS=...`)."""
    with api_process(db_path, **settings) as server:
        yield server.base


@contextmanager
def static_server(directory: Path) -> Iterator[str]:
    """Plain files from `directory` on another loopback port: another origin, like a clinic's website."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(directory)]
    with running(command, f"{base}/"):
        yield base


REDIS = "redis://127.0.0.1:6379/0"  # the Redis every session and CI run has


def redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def forget_redis_keys(prefix: str) -> None:
    """Remove what a test's servers counted under their own `RATE_LIMIT_PREFIX`."""
    connection = redis.Redis.from_url(REDIS)
    for name in connection.scan_iter(f"{prefix}*"):
        connection.delete(name)
