"""`make bench-search`: search, suggest and match under load at 10,000 and 100,000 conditions, side by side
with Datasette's `_search` on the same SQLite file. Loopback only; each run is bounded (wrk -d).

Prints requests/s and p50/p99 latency per endpoint and size, the ratio to Datasette, and how latency grows
from 10k to 100k. Targets (issue 4): search throughput >= Datasette's; p99 < 10 ms at 100k; growth < 2x.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import reindex_if_stale

ROOT = Path(__file__).resolve().parent
DATA = ROOT / ".data"
PYTHON = Path(sys.executable)
DATASETTE = ROOT / ".venv" / "bin" / "datasette"
SIZES = tuple(int(size) for size in os.environ.get("BENCH_SIZES", "10000,100000").split(","))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = 32

QUERIES = [
    "back spasm",
    "sciatica",
    "lumbr spasm",
    "slipped disc",
    "neck pain",
    "stenossis",
    "muscle",
    "pain down leg",
    "whiplash",
    "numbness",
    "cauda equina",
    "stiff neck",
    "heat",
    "posture",
    "disc",
    "fracture",
    "nerve",
    "tingling",
    "lifting",
    "spine",
]
PREFIXES = ["l", "lu", "lum", "sci", "bac", "ne", "neck p", "her", "sp", "spo", "whi", "ca", "pi", "st", "mu"]
SYMPTOM_SETS = [
    ["low-back-pain", "muscle-tenderness"],
    ["saddle-numbness", "bladder-or-bowel-dysfunction"],
    ["neck-pain", "headache"],
    ["radiating-leg-pain", "numbness-or-tingling", "muscle-weakness"],
    ["low-back-pain"],
]


@dataclass(frozen=True)
class Result:
    label: str
    size: int
    rps: float
    p50: float
    p99: float
    failures: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database(size: int) -> Path:
    path = DATA / f"synthetic-{size}.db"
    if not path.exists():
        subprocess.run([PYTHON, ROOT / "synthetic.py", str(size), path], check=True)
    reindex_if_stale(path)
    return path


@contextmanager
def serving(command: list[str], env: dict[str, str], probe: str) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(probe, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not start")
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=20)


def milliseconds(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load(label: str, size: int, base: str, paths: list[str], *, bypass_cache: bool = False) -> Result:
    for path in paths:  # every path must answer 200 before it is timed
        status = httpx.get(base + path, timeout=30).status_code
        if status != 200:
            raise RuntimeError(f"{label}: {path} answered {status}")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    output = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(ROOT / "paths.lua"),
            base,
        ],
        env={**os.environ, "WRK_PATHS": listing.name, "WRK_BYPASS_CACHE": "1" if bypass_cache else "0"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(listing.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = milliseconds(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = milliseconds(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*?timeout (\d+)", output)
    failures = (int(failed.group(1)) if failed else 0) + (int(errors.group(1)) if errors else 0)
    return Result(label, size, rps, p50, p99, failures)


def bench(size: int) -> list[Result]:
    path = database(size)
    results = []
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    ours = [PYTHON.parent / "conditions-api", "serve"]
    env = {
        "DATABASE_URL": f"sqlite:///{path}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "warning",
        "RATE_LIMIT": "0",  # one client address sends thousands of requests a second
    }
    with serving([str(part) for part in ours], env, f"{base}/health"):
        searches = [f"/v1/search?q={quote(q)}&limit=10" for q in QUERIES]
        results.append(load("search (ours)", size, base, searches, bypass_cache=True))
        suggestions = [f"/v1/search/suggest?q={quote(p)}" for p in PREFIXES]
        results.append(load("suggest (ours)", size, base, suggestions, bypass_cache=True))
        match_paths = ["/v1/conditions/match?" + "&".join(f"symptom={s}" for s in group) for group in SYMPTOM_SETS]
        results.append(load("match (ours)", size, base, match_paths, bypass_cache=True))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    name = path.stem
    # Datasette's default 1 s SQL time limit would fail its slowest searches: give it the same room as ours,
    # and turn off facet suggestions, which our endpoint does not compute.
    command = [
        str(DATASETTE),
        "serve",
        "--immutable",
        str(path),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "10000",
    ]
    with serving(command, {}, f"{base}/-/versions.json"):
        paths = [f"/{name}/search_fts.json?_search={quote(q)}&_size=10&_shape=objects" for q in QUERIES]
        results.append(load("search (Datasette _search)", size, base, paths))
    return results


def main() -> None:
    if shutil.which("wrk") is None or not DATASETTE.exists():
        raise SystemExit("bench-search needs wrk and bench/.venv (run it through `make bench-search`)")
    results = [result for size in SIZES for result in bench(size)]
    out = sys.stdout.write
    out(
        f"\nwrk -t1 -c{CONNECTIONS} -d{SECONDS}s --timeout 10s on loopback, one server process each, same SQLite file\n"
    )
    out(f"{'conditions':>10}  {'endpoint':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'failed':>8}\n")
    for r in results:
        out(f"{r.size:>10}  {r.label:<28}{r.rps:>9.0f}{r.p50:>9.2f}{r.p99:>9.2f}{r.failures:>8}\n")
    by = {(r.label, r.size): r for r in results}
    out("\nratios\n")
    for size in SIZES:
        ours, theirs = by[("search (ours)", size)], by[("search (Datasette _search)", size)]
        ratio = f"{ours.rps / theirs.rps:.2f}" if theirs.rps else "n/a (Datasette completed no request)"
        out(f"  search req/s ours / Datasette at {size}: {ratio}\n")
    if len(SIZES) == 2:
        small, large = SIZES
        for label in ("search (ours)", "suggest (ours)", "match (ours)", "search (Datasette _search)"):
            a, b = by[(label, small)], by[(label, large)]
            if a.p50 and b.rps:
                out(f"  {label}: p50 {large}/{small} = {b.p50 / a.p50:.2f}x, req/s {a.rps / b.rps:.2f}x lower\n")


if __name__ == "__main__":
    main()
