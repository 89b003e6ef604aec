"""What an operator sees: request ids end to end and the JSON access log, from the real server process."""

import json
from pathlib import Path

import httpx
import pytest

from app.callers.keys import KeyStore
from app.migrations import upgrade_keys
from tests.conftest import sqlite_url
from tests.servers import api_process, output_of

LUMBAR = "/v1/conditions/lumbar-muscle-spasm"
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def log_lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


@pytest.mark.parametrize(
    ("sent", "echoed"),
    [("req-42.a:b", True), ("x" * 129, False), ("has space", False), ("bad\u00e9id", False), ("", False)],
)
def test_a_sane_request_id_is_echoed_and_any_other_replaced(db_path: Path, sent: str, echoed: bool) -> None:
    with api_process(db_path) as server:
        headers = {b"X-Request-ID": sent.encode()} if sent else {}
        response = httpx.get(server.base + "/v1/conditions/nope", headers=headers)
    request_id = response.headers["x-request-id"]
    assert (request_id == sent) is echoed
    if not echoed:
        assert len(request_id) == 32 and int(request_id, 16) >= 0
    assert response.json()["request_id"] == request_id


def test_the_json_access_log_has_one_line_per_request_with_its_id(db_path: Path, tmp_path: Path) -> None:
    keys_url = sqlite_url(tmp_path / "keys.db")
    upgrade_keys(keys_url)
    store = KeyStore(keys_url)
    key = store.create("clinic-app", rate=None, expires_on=None)
    store.close()
    with api_process(db_path, LOG_FORMAT="json", KEYS_DATABASE_URL=keys_url) as server:
        first = httpx.get(server.base + LUMBAR, headers={"X-Request-ID": "first-call", "traceparent": TRACEPARENT})
        second = httpx.get(server.base + LUMBAR, headers={"Authorization": f"Bearer {key}"})
        refused = httpx.get(server.base + LUMBAR, headers={"Authorization": "Bearer cak_wrong"})
        output = output_of(server.process)
    assert (first.status_code, second.status_code, refused.status_code) == (200, 200, 401)
    lines = log_lines(output)
    access = [line for line in lines if line["logger"] == "conditions_api.access"]
    by_id = {line["request_id"]: line for line in access}
    assert set(by_id) >= {"first-call", second.headers["x-request-id"], refused.headers["x-request-id"]}
    line = by_id["first-call"]
    assert line["method"] == "GET" and line["route"] == "/v1/conditions/{slug}" and line["status"] == 200
    assert line["bytes"] == first.num_bytes_downloaded and line["cache"] == "miss" and line["key"] is None
    assert line["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert isinstance(line["duration_ms"], float) and line["time"]
    keyed = by_id[second.headers["x-request-id"]]
    assert (keyed["cache"], keyed["key"]) == ("hit", "clinic-app")
    assert by_id[refused.headers["x-request-id"]]["status"] == 401
    assert key not in output and "cak_wrong" not in output  # keys never reach a log


def test_a_failure_logs_its_request_id_on_every_line(db_path: Path) -> None:
    with api_process(db_path, LOG_FORMAT="json") as server:
        db_path.rename(db_path.with_suffix(".gone"))  # the database vanishes under the server: it logs why
        response = httpx.get(server.base + "/v1/search?q=spine", headers={"X-Request-ID": "broken-one"})
        output = output_of(server.process)
    assert response.status_code == 503
    mine = [line for line in log_lines(output) if line.get("request_id") == "broken-one"]
    loggers = [line["logger"] for line in mine]
    assert "conditions_api.access" in loggers and len(loggers) >= 2, loggers  # the error and the access line
