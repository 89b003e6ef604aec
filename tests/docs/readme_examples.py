"""The README's request examples, run against a real server.

In a ```sh block of README.md, a line `$ <command>` that calls `localhost:8000` is an example, and the lines
after it (up to the next `$ ` line or the end of the block) are its shown output. `tests/docs/test_readme.py`
runs every example with bash (curl and jq, as a reader would) against a freshly seeded server and requires the
output shown. After a deliberate change, `make readme-examples` rewrites the shown outputs from a live run."""

import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).parents[2] / "README.md"
DOCUMENTED_BASE = "localhost:8000"
_FENCE = re.compile(r"^```")


@dataclass(frozen=True)
class Example:
    line: int  # 1-based line of the command in README.md
    command: str
    shown: str


def examples(text: str) -> list[Example]:
    found: list[Example] = []
    lines = text.splitlines()
    in_sh = False
    current: tuple[int, str] | None = None
    shown: list[str] = []

    def close() -> None:
        nonlocal current, shown
        if current is not None:
            found.append(Example(current[0], current[1], "\n".join(shown)))
        current, shown = None, []

    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            close()
            in_sh = not in_sh and line.strip() == "```sh"
            continue
        if not in_sh:
            continue
        if line.startswith("$ "):
            close()
            if DOCUMENTED_BASE in line:
                current = (number, line[2:])
        elif current is not None:
            shown.append(line)
    close()
    return found


# What a reader's `make run` has that test servers turn off (tests/conftest.py): the default rate limit.
READER_SETTINGS = {"RATE_LIMIT": "600/minute"}


def run(example: Example, base_url: str) -> str:
    """The example's output against `base_url`, with that address written back as the documented one."""
    host = base_url.removeprefix("http://")
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", example.command.replace(DOCUMENTED_BASE, host)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0:
        raise RuntimeError(f"README.md:{example.line}: `{example.command}` failed: {done.stderr.strip()}")
    return done.stdout.rstrip("\n").replace(host, DOCUMENTED_BASE)


def rewritten(text: str, base_url: str) -> str:
    """README text with every example's shown output replaced by what it prints now."""
    lines = text.splitlines()
    for example in reversed(examples(text)):
        shown_lines = example.shown.splitlines() if example.shown else []
        start = example.line  # 0-based index of the first shown line
        lines[start : start + len(shown_lines)] = run(example, base_url).splitlines()
    return "\n".join(lines) + "\n"


def main() -> None:
    from tests.conftest import build_database
    from tests.servers import api_server

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "readme.db"
        build_database(database)
        with api_server(database, **READER_SETTINGS) as base:
            README.write_text(rewritten(README.read_text(), base))
    sys.stdout.write(f"rewrote the shown output of {len(examples(README.read_text()))} examples in {README}\n")


if __name__ == "__main__":
    main()
