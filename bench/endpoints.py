"""`make bench` (bench/endpoints.py): our condition endpoint against the ceiling of the same server stack, side by side.

(a) a bare ASGI app under the same uvicorn returning the same bytes, (f) a FastAPI async route returning them,
(b) our GET /v1/conditions/lumbar-muscle-spasm, (g) the same with an API key and rate limits on (counters in
the process; g' in Redis), (c) our 304 path, (d) our list endpoint, (e) Datasette serving the same row from the
same SQLite file. wrk -t1 -c32 on loopback, bounded (BENCH_SECONDS each). Also prints
bytes on the wire, RSS with a 10,000-condition library, and cold start (process start to first 200).
"""

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import robustness
from search import DATASETTE, PYTHON, SECONDS, Result, database, free_port, load, milliseconds, serving

ROOT = Path(__file__).resolve().parent
LUMBAR = "/v1/conditions/lumbar-muscle-spasm"
REDIS = "redis://127.0.0.1:6379/0"


def seeded(path: Path) -> Path:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    for command in (["migrate"], ["seed"]):
        subprocess.run([PYTHON.parent / "conditions-api", *command], env=env, check=True, capture_output=True)
    return path


def ours() -> list[str]:
    return [str(PYTHON.parent / "conditions-api"), "serve"]


def our_env(path: Path, port: int, **settings: str) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{path}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "warning",
        "RATE_LIMIT": "0",  # one client address sends thousands of requests a second; (g) measures limits on
        **settings,
    }


def wrk_with_header(label: str, base: str, path: str, header: str) -> Result:
    output = subprocess.run(
        ["wrk", "-t1", "-c32", f"-d{SECONDS}s", "--latency", "-H", header, base + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = milliseconds(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = milliseconds(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    return Result(label, 0, rps, p50, p99, 0)


def api_key(keys_url: str) -> str:
    """A key whose own rate is never reached in a benchmark run, so every answer is a counted 200."""
    env = {**os.environ, "KEYS_DATABASE_URL": keys_url}
    name = f"bench-{os.getpid()}-{time.time_ns()}"
    command = [str(PYTHON.parent / "conditions-api"), "keys", "create", name, "--rate", "1000000000/minute"]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout.strip()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    out = sys.stdout.write
    data = ROOT / ".data"
    data.mkdir(exist_ok=True)
    db = seeded(data / "http.db")
    results: list[Result] = []

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with serving(ours(), our_env(db, port), f"{base}/health"):
        body = httpx.get(base + LUMBAR).content
        etag = httpx.get(base + LUMBAR).headers["etag"]
        sizes = {
            "identity": len(body),
            "gzip": int(httpx.get(base + LUMBAR, headers={"Accept-Encoding": "gzip"}).headers["content-length"]),
            "br": int(httpx.get(base + LUMBAR, headers={"Accept-Encoding": "br"}).headers["content-length"]),
        }
        lean = base + LUMBAR + "?fields=name,symptoms,duration"
        sizes["fields=name,symptoms,duration"] = len(httpx.get(lean, headers={"Accept-Encoding": "identity"}).content)
        sizes["fields=… + br"] = int(httpx.get(lean, headers={"Accept-Encoding": "br"}).headers["content-length"])
        httpx.get(base + LUMBAR, headers={"Accept-Encoding": "identity"})  # warm: (b) measures warm GETs
        httpx.get(base + "/v1/conditions", headers={"Accept-Encoding": "identity"})
        results.append(load("(b) our condition", 0, base, [LUMBAR]))
        results.append(wrk_with_header("(c) our 304", base, LUMBAR, f"If-None-Match: {etag}"))
        results.append(load("(d) our list", 0, base, ["/v1/conditions"]))

    # (g): the same warm GET from a caller with an API key, under rate limits (in the process, and in Redis).
    keys = f"sqlite:///{data / 'keys.db'}"
    key = api_key(keys)
    limited = {"KEYS_DATABASE_URL": keys, "RATE_LIMIT": "600/minute"}
    for label, storage in (("(g) key + limits", "memory://"), ("(g') key + limits in Redis", REDIS)):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        settings = {**limited, "RATE_LIMIT_STORAGE": storage, "RATE_LIMIT_PREFIX": f"bench-{port}"}
        with serving(ours(), our_env(db, port, **settings), f"{base}/health"):
            warm = httpx.get(base + LUMBAR, headers={"Authorization": f"Bearer {key}", "Accept-Encoding": "identity"})
            assert warm.status_code == 200 and "ratelimit" in warm.headers, warm.headers
            results.append(wrk_with_header(label, base, LUMBAR, f"Authorization: Bearer {key}"))

    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fixed:
        fixed.write(body)
    for label, target in (("(a) bare ASGI", "apps:bare"), ("(f) FastAPI async route", "apps:framework")):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [
            str(PYTHON),
            "-m",
            "uvicorn",
            "--app-dir",
            str(ROOT),
            target,
            "--port",
            str(port),
            "--log-level",
            "warning",
        ]
        with serving(command, {"BENCH_BODY": fixed.name}, f"{base}{LUMBAR}"):
            results.append(load(label, 0, base, [LUMBAR]))
    os.unlink(fixed.name)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(DATASETTE), "serve", "--immutable", str(db), "--host", "127.0.0.1", "--port", str(port)]
    with serving(command, {}, f"{base}/-/versions.json"):
        found = httpx.get(f"{base}/http/condition.json?slug=lumbar-muscle-spasm&_shape=array").json()
        path = f"/http/condition/{found[0]['id']}.json"
        results.append(load("(e) Datasette row", 0, base, [path]))

    # RSS with a 10,000-condition library, and cold start.
    big = database(10_000)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    process = subprocess.Popen(
        ours(), env={**os.environ, **our_env(big, port)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    cold = None
    try:
        while cold is None and time.monotonic() - started < 60:
            try:
                if httpx.get(base + LUMBAR, timeout=1).status_code == 200:
                    cold = time.monotonic() - started
            except httpx.TransportError:
                time.sleep(0.05)
        for path in [LUMBAR, "/v1/conditions?limit=100", "/v1/search?q=spine"]:
            httpx.get(base + path, timeout=120)
        rss = rss_mb(process.pid)
        httpx.get(base + "/v1/export", timeout=300)
        rss_export = rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=20)

    by = {r.label: r for r in results}
    out(f"\nwrk -t1 -c32 -d{SECONDS}s on loopback; the condition JSON is {len(body)} bytes\n")
    out(f"{'':<26}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}\n")
    for label in (
        "(a) bare ASGI",
        "(f) FastAPI async route",
        "(b) our condition",
        "(g) key + limits",
        "(g') key + limits in Redis",
        "(c) our 304",
        "(d) our list",
        "(e) Datasette row",
    ):
        r = by[label]
        out(f"{label:<26}{r.rps:>9.0f}{r.p50:>9.2f}{r.p99:>9.2f}\n")
    a, f, b, c, e = (
        by[k].rps
        for k in ("(a) bare ASGI", "(f) FastAPI async route", "(b) our condition", "(c) our 304", "(e) Datasette row")
    )
    g, g_redis = by["(g) key + limits"].rps, by["(g') key + limits in Redis"].rps
    out(
        f"\nratios: b/a {b / a:.2f} (aim 0.5)   b/f {b / f:.2f} (must 0.9)   "
        f"b/e {b / e:.1f} (must 5)   c/a {c / a:.2f} (aim 0.6)   g/b {g / b:.2f} (must 0.9)   "
        f"g'/b {g_redis / b:.2f}\n"
    )
    out("bytes on the wire for the condition: " + ", ".join(f"{k} {v}" for k, v in sizes.items()) + "\n")
    out(f"RSS with 10,000 conditions after detail, list and search: {rss:.0f} MB (target < 150); ")
    out(f"after building the 10,000-condition export: {rss_export:.0f} MB\n")
    out(
        f"cold start, process start to first 200: {cold:.2f} s (target < 2)\n"
        if cold
        else "cold start: no 200 within 60 s\n"
    )
    robustness.run(ours(), our_env, big)


if __name__ == "__main__":
    main()
