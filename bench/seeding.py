"""`make bench-seed`: how long `conditions-api seed` takes on a content folder of 20,000 condition files
(bench/content_pages.py), run as an operator runs it: the real CLI, a fresh SQLite file, the real migrations.

    (a) first seed of the folder into a fresh database
    (b) re-seed, nothing changed
    (c) re-seed after one condition file's text changed
    (d) re-seed after one condition file was added and another deleted
    (e) re-seed after a symptom was renamed in the vocabulary (every page that lists it shows the new name)

Seconds are wall time of the whole command (interpreter start to exit, ~4 s of it imports and the ICD-10-CM
code set); the seed's own steps come from the line it prints. The search index's share (app/content/
search_index.py, built or updated in the same transaction) is shown apart. `BENCH_SEED_SIZE` (default 20000)
sets the folder's size, `BENCH_SEED_RUNS` (default 3) how often (b)-(e) are repeated (the median is shown),
`BENCH_SEED_CLI` another `conditions-api` to time (an older checkout's, for a before/after). `rows()` gives
the rows (`make bench-search` prints them with BENCH_SEED=1), each printing as one line.

    python bench/seeding.py
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from content_pages import write_content

ROOT = Path(__file__).resolve().parent
DATA = ROOT / ".data"
WORK = DATA / "seeding"
CLI = Path(sys.executable).parent / "conditions-api"
SIZE = int(os.environ.get("BENCH_SEED_SIZE", "20000"))
RUNS = int(os.environ.get("BENCH_SEED_RUNS", "3"))
_TIME_LINE = re.compile(r"^\s*time: (.*)$", re.MULTILINE)
_STEP = re.compile(r"([a-z ]+) ([\d.]+) s")


@dataclass(frozen=True)
class SeedRun:
    seconds: float  # wall time of the command
    steps: dict[str, float]  # the seed's own steps, as it printed them (empty for a CLI that prints none)
    output: str
    exit_code: int = 0  # not 0: the command crashed after it said it was done

    @property
    def search_index(self) -> float:
        return self.steps.get("search index", 0.0)


@dataclass(frozen=True)
class SeedRow:
    label: str
    runs: list[SeedRun] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        """The median wall time of the runs."""
        return statistics.median(run.seconds for run in self.runs)

    @property
    def search_index(self) -> float:
        return statistics.median(run.search_index for run in self.runs)

    @property
    def without_index(self) -> float:
        return statistics.median(run.seconds - run.search_index for run in self.runs)

    @property
    def logged(self) -> str:
        found = re.search(r"change log: (\d+)", self.runs[-1].output)
        return found.group(1) if found else "0"

    def __str__(self) -> str:
        return (
            f"{self.label:<46}{self.seconds:>7.1f} s (search index {self.search_index:.1f} s, without it "
            f"{self.without_index:.1f} s; {self.logged} entries logged; median of {len(self.runs)})"
        )


def _run(cli: Path, env: dict[str, str], *args: str) -> SeedRun:
    started = time.perf_counter()
    result = subprocess.run([str(cli), *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    finished = re.search(r"^seed: (done|nothing to change)\.$", result.stdout, re.MULTILINE)
    if result.returncode != 0 and not finished:  # (an older checkout's seed can crash after it committed)
        message = f"{cli} {' '.join(args)} exited with {result.returncode}:\n{result.stdout}\n{result.stderr}"
        raise RuntimeError(message)
    line = _TIME_LINE.search(result.stdout)
    steps = {step.strip(): float(value) for step, value in _STEP.findall(line.group(1))} if line else {}
    return SeedRun(seconds, steps, result.stdout, result.returncode)


def _progress(label: str, run: SeedRun) -> None:
    steps = ", ".join(f"{step} {seconds:.1f}" for step, seconds in run.steps.items())
    crashed = f", then exited with {run.exit_code}" if run.exit_code else ""
    sys.stderr.write(f"{label}: {run.seconds:.1f} s ({steps}){crashed}\n")


def _related(path: Path) -> list[str]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    front = yaml.load(path.read_text(encoding="utf-8").split("---\n")[1], Loader=loader)
    return list(front.get("related") or [])


def _generated(content: Path) -> list[Path]:
    """The generated pages (not the real seed's), sorted."""
    pages = (content / "conditions").glob("*.md")
    return sorted(path for path in pages if "generated benchmark page" in path.read_text(encoding="utf-8"))


def content_folder(size: int) -> Path:
    folder = DATA / f"content-{size}"
    if len(list((folder / "conditions").glob("*.md"))) != size:
        write_content(folder, size)
    return folder


def seed_rows(size: int = SIZE, *, runs: int = RUNS, cli: Path = CLI) -> list[SeedRow]:
    """Time (a)-(e) on a fresh copy of the content folder and a fresh database; the rows, in that order."""
    source = content_folder(size)
    if WORK.exists():
        shutil.rmtree(WORK)
    content = WORK / "content"
    shutil.copytree(source, content)
    database = WORK / "seed.db"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "KEYS_DATABASE_URL": f"sqlite:///{WORK / 'keys.db'}",
        "LOG_LEVEL": "warning",
    }
    _run(cli, env, "migrate")

    def seed() -> SeedRun:
        return _run(cli, env, "seed", str(content))

    generated = _generated(content)
    related = {slug for path in generated for slug in _related(path)}
    deletable = [path for path in reversed(generated) if path.stem not in related]
    changing = generated[len(generated) // 2]
    symptoms = content / "vocabulary" / "symptoms.yaml"
    renamed = ("name: Neck pain\n", "name: Neck ache\n")

    def change_text(run: int) -> None:
        text = changing.read_text(encoding="utf-8")
        changing.write_text(text.replace("\n\n## Causes", f" Edited for run {run}.\n\n## Causes", 1), encoding="utf-8")

    def add_and_delete(run: int) -> None:
        template = generated[run]
        slug = f"bench-added-page-{run}"
        text = re.sub(r"^slug: .*$", f"slug: {slug}", template.read_text(encoding="utf-8"), count=1, flags=re.M)
        text = re.sub(r"^aliases:\n(- .*\n)+", "aliases: []\n", text, count=1, flags=re.M)
        (content / "conditions" / f"{slug}.md").write_text(text, encoding="utf-8")
        deletable[run].unlink()

    def rename_symptom(run: int) -> None:
        old, new = renamed if run % 2 == 0 else reversed(renamed)
        text = symptoms.read_text(encoding="utf-8")
        symptoms.write_text(text.replace(old, new, 1), encoding="utf-8")

    first = SeedRow("(a) first seed, fresh database", [seed()])
    _progress(first.label, first.runs[-1])
    edits: list[tuple[str, Callable[[int], None]]] = [
        ("(b) re-seed, nothing changed", lambda _: None),
        ("(c) one condition file's text changed", change_text),
        ("(d) one file added, another deleted", add_and_delete),
        ("(e) a symptom renamed (shown by many pages)", rename_symptom),
    ]
    rows = [first] + [SeedRow(label) for label, _ in edits]
    for run in range(runs):
        for row, (_, apply_edit) in zip(rows[1:], edits, strict=True):
            apply_edit(run)
            row.runs.append(seed())
            _progress(row.label, row.runs[-1])
    return rows


def rows() -> list[SeedRow]:
    """(a)-(e) at BENCH_SEED_SIZE, BENCH_SEED_RUNS times each for (b)-(e), with this checkout's CLI."""
    return seed_rows()


def format_rows(rows: list[SeedRow], size: int = SIZE) -> str:
    lines = [
        f"conditions-api seed of {size:,} condition files (wall time of the command; median of "
        f"{len(rows[-1].runs)} runs for (b)-(e))",
        f"{'':<46}{'seconds':>9}{'search index':>14}{'without it':>12}{'logged':>8}",
    ]
    for row in rows:
        lines.append(
            f"{row.label:<46}{row.seconds:>9.1f}{row.search_index:>14.1f}{row.without_index:>12.1f}{row.logged:>8}"
        )
    steps = rows[0].runs[0].steps
    if steps:
        lines.append("(a)'s steps: " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in steps.items()))
    return "\n".join(lines)


if __name__ == "__main__":
    cli = Path(os.environ.get("BENCH_SEED_CLI", str(CLI)))
    sys.stdout.write(format_rows(seed_rows(cli=cli)) + "\n")
