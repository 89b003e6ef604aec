"""Every request example in the README prints what the README shows, against the real server on the seeded
content (tests/docs/readme_examples.py explains the format)."""

from pathlib import Path

import pytest

from tests.docs.readme_examples import READER_SETTINGS, README, examples, run
from tests.servers import api_server

pytestmark = pytest.mark.e2e


def test_the_readme_has_examples_to_run() -> None:
    assert len(examples(README.read_text())) >= 15


def test_every_readme_example_prints_what_the_readme_shows(db_path: Path) -> None:
    wrong: list[str] = []
    with api_server(db_path, **READER_SETTINGS) as base:
        for example in examples(README.read_text()):
            printed = run(example, base)
            if printed != example.shown:
                wrong.append(
                    f"README.md:{example.line}: $ {example.command}\nshown:\n{example.shown}\nprinted:\n{printed}"
                )
    assert not wrong, "\n\n".join(wrong) + "\n\n(after a deliberate change: make readme-examples)"
