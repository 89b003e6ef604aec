"""`make bench`, issue 11's rows: the server under a cold mixed load, under concurrent exports, and with two
workers against one. Loopback only; every load is bounded (wrk -d, a fixed number of exports).

(h) mixed: wrk -t2 -c64 for MIXED_SECONDS over detail, list, search, suggest, match, changes and export of
    the 10,000-condition library, starting from a freshly started server (every first request misses the
    cache). Prints socket errors, timeouts, non-2xx/3xx answers and p99.
(x) exports: 8 concurrent `GET /v1/export` (4 JSON, 4 NDJSON) of that library on a fresh server: the process's
    peak RSS (VmHWM) and the slowest `/health` answer while they run.
(w) workers: the same server with WORKERS=2 against WORKERS=1, wrk -t2 -c32 on `/health` and on a warm detail.
"""

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
from search import PREFIXES, QUERIES, SYMPTOM_SETS, free_port, milliseconds, serving

ROOT = Path(__file__).resolve().parent
MIXED_SECONDS = int(os.environ.get("BENCH_MIXED_SECONDS", "10"))
LUMBAR = "/v1/conditions/lumbar-muscle-spasm"


@dataclass(frozen=True)
class Wrk:
    rps: float
    p50: float
    p99: float
    requests: int
    socket_errors: int  # connect + read + write
    timeouts: int
    non_2xx_3xx: int


def wrk(base: str, paths: list[str], *, threads: int, connections: int, seconds: int) -> Wrk:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    output = subprocess.run(
        [*command, "-s", str(ROOT / "paths.lua"), base],
        env={**os.environ, "WRK_PATHS": listing.name, "WRK_ACCEPT_ENCODING": "br"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(listing.name)

    def number(pattern: str) -> int:
        found = re.search(pattern, output)
        return int(found.group(1)) if found else 0

    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    socket_errors = sum(int(errors.group(i)) for i in (1, 2, 3)) if errors else 0
    return Wrk(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        p50=milliseconds(re.search(r"\s50%\s+(\S+)", output).group(1)),  # type: ignore[union-attr]
        p99=milliseconds(re.search(r"\s99%\s+(\S+)", output).group(1)),  # type: ignore[union-attr]
        requests=number(r"(\d+) requests in"),
        socket_errors=socket_errors,
        timeouts=int(errors.group(4)) if errors else 0,
        non_2xx_3xx=number(r"Non-2xx or 3xx responses:\s+(\d+)"),
    )


def mixed_paths() -> list[str]:
    """Distinct requests of every kind, so a cold server misses its cache on each the first time."""
    searches = [f"/v1/search?q={quote(q)}&limit=10" for q in QUERIES]
    suggests = [f"/v1/search/suggest?q={quote(p)}" for p in PREFIXES]
    matches = ["/v1/conditions/match?" + "&".join(f"symptom={s}" for s in group) for group in SYMPTOM_SETS]
    lists = [f"/v1/conditions?limit={n}" for n in (10, 20, 50, 100)]
    details = [LUMBAR, "/v1/conditions/lumbar-muscle-spasm?fields=name,symptoms,duration", "/v1/symptoms/low-back-pain"]
    changes = ["/v1/changes?limit=100", "/v1/changes?limit=1000"]
    kinds = [searches, suggests, matches, lists, details, changes, ["/v1/export"]]
    rotation = []
    for index in range(max(len(kind) for kind in kinds)):
        rotation += [kind[index % len(kind)] for kind in kinds]
    return rotation


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# The /health prober runs in a process of its own: in the process reading 8 exports, its own threads would
# wait for the GIL and its timings would measure the client, not the server.
PROBE = """
import http.client, sys, time
host, port, stop = sys.argv[1], int(sys.argv[2]), sys.argv[3]
connection, slowest = http.client.HTTPConnection(host, port, timeout=30), 0.0
import os
while not os.path.exists(stop):
    started = time.perf_counter()
    connection.request("GET", "/health")
    connection.getresponse().read()
    slowest = max(slowest, (time.perf_counter() - started) * 1000)
    time.sleep(0.05)
print(slowest)
"""


def concurrent_exports(base: str, pid: int) -> tuple[float, float, int]:
    """Peak RSS (MB) and the slowest /health (ms) while 8 exports run; and how many answered 200."""
    host, port = base.removeprefix("http://").split(":")
    stop = Path(tempfile.mkdtemp()) / "stop"
    prober = subprocess.Popen([sys.executable, "-c", PROBE, host, port, str(stop)], stdout=subprocess.PIPE, text=True)

    def export(accept: str) -> int:
        with (
            httpx.Client(base_url=base, timeout=300) as client,
            client.stream("GET", "/v1/export", headers={"Accept": accept}) as response,
        ):
            for _ in response.iter_raw():
                pass
            return response.status_code

    with ThreadPoolExecutor(max_workers=8) as clients:
        statuses = list(clients.map(export, ["application/json", "application/x-ndjson"] * 4))
    stop.touch()
    slowest = float(prober.communicate(timeout=60)[0])
    return peak_rss_mb(pid), slowest, statuses.count(200)


def run(ours: list[str], env_for: Callable[..., dict[str, str]], library: Path) -> None:
    """`env_for(library, port, **settings)`: the server's environment, as bench/endpoints.py builds it."""
    out = sys.stdout.write
    with tempfile.TemporaryDirectory() as exports:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with serving(ours, env_for(library, port, EXPORT_DIR=exports), f"{base}/health"):
            mixed = wrk(base, mixed_paths(), threads=2, connections=64, seconds=MIXED_SECONDS)
    with tempfile.TemporaryDirectory() as exports:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with serving(ours, env_for(library, port, EXPORT_DIR=exports), f"{base}/health") as process:
            rss, slowest_health, exported = concurrent_exports(base, process.pid)
    scaling = {}
    for workers in (1, 2):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with serving(ours, env_for(library, port, WORKERS=str(workers)), f"{base}/health"):
            httpx.get(base + LUMBAR)
            time.sleep(1)  # both workers up
            for _ in range(8):
                httpx.get(base + LUMBAR, headers={"Accept-Encoding": "br", "Connection": "close"})
            scaling[workers] = {
                path: wrk(base, [path], threads=2, connections=32, seconds=5) for path in ("/health", LUMBAR)
            }

    out(f"\n(h) mixed load, cold server, 10,000 conditions: wrk -t2 -c64 -d{MIXED_SECONDS}s, 7 kinds of request\n")
    out(
        f"    {mixed.requests} requests, {mixed.rps:.0f} req/s, p50 {mixed.p50:.1f} ms, p99 {mixed.p99:.1f} ms; "
        f"socket errors {mixed.socket_errors}, timeouts {mixed.timeouts}, non-2xx/3xx {mixed.non_2xx_3xx} "
        "(must all be 0)\n"
    )
    out(
        f"(x) 8 concurrent exports of 10,000 conditions: {exported}/8 answered 200, peak RSS {rss:.0f} MB "
        f"(must < 200), slowest /health meanwhile {slowest_health:.0f} ms (must < 100)\n"
    )
    out("(w) WORKERS=2 against WORKERS=1, wrk -t2 -c32 -d5s\n")
    for path in ("/health", LUMBAR):
        one, two = scaling[1][path], scaling[2][path]
        out(f"    {path:<38} 1 worker {one.rps:>7.0f} req/s   2 workers {two.rps:>7.0f} req/s   ")
        out(f"ratio {two.rps / one.rps:.2f} (must > 1)\n")
