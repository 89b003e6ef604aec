"""`conditions-api lint`: the seed passes; errors fail; warnings inform; no database is touched."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from app.content.contradictions import Advice, contradictions
from app.content.lint import lint
from app.core.paths import SEED_DIR
from tests.content.test_content_errors import line_of, replace_in

LUMBAR = Path("conditions") / "lumbar-muscle-spasm.md"
COMMAND = str(Path(sys.executable).parent / "conditions-api")


def test_the_seed_has_no_errors_and_one_known_warning() -> None:
    findings = lint(SEED_DIR, today=date(2026, 11, 25))
    assert [f for f in findings if f.severity == "error"] == []
    # The seed page's own contradiction is surfaced to the editor, and is the only warning.
    assert [(f.path.name, f.message.split(":")[0]) for f in findings] == [
        ("lumbar-muscle-spasm.md", "advice contradicts itself")
    ]
    only = findings[0]
    assert only.line == line_of(SEED_DIR / LUMBAR, "Do not [apply pressure")
    assert "'Do not apply pressure to the affected area.'" in only.message
    assert "'You need to press the affected area" in only.message


def test_overdue_reviews_and_wrong_code_descriptions_are_warnings(content_copy: Path) -> None:
    path = content_copy / LUMBAR
    replace_in(path, "display: Muscle spasm of back", "display: Back spasm")
    findings = lint(content_copy, today=date(2027, 6, 1))
    messages = {(f.line, f.severity, f.message) for f in findings if f.path == path}
    assert (
        line_of(path, "next_review_due"),
        "warning",
        "review overdue: next_review_due 2027-05-25 is before 2027-06-01",
    ) in messages
    assert (
        line_of(path, "display: Back spasm"),
        "warning",
        "display 'Back spasm' differs from the official description of M62.830: 'Muscle spasm of back'",
    ) in messages
    assert all(f.severity == "warning" for f in findings)


def test_contradiction_rule_needs_more_than_a_shared_place() -> None:
    advice = [
        Advice("Do not apply pressure to the affected area.", 1),
        Advice("Bracing the affected area.", 2),
        Advice("By massaging the affected area.", 3),
        Advice("Avoid heavy lifting.", 4),
        Advice("Lifting heavy boxes with a straight back.", 5),
    ]
    found = [(c.forbidding.line, c.advising.line, c.shared) for c in contradictions(advice)]
    assert found == [(4, 5, ("heav", "lift"))]


def test_the_command_exits_non_zero_on_errors_and_writes_no_database(content_copy: Path, tmp_path: Path) -> None:
    database = tmp_path / "never.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    ok = subprocess.run([COMMAND, "lint", str(content_copy)], env=env, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().endswith(f"lint: 0 error(s), 1 warning(s) in {content_copy}")
    strict = subprocess.run(
        [COMMAND, "lint", "--strict", str(content_copy)], env=env, capture_output=True, text=True, check=False
    )
    assert strict.returncode == 1

    replace_in(content_copy / LUMBAR, "code: M62.830", "code: M62.83")
    bad = subprocess.run([COMMAND, "lint", str(content_copy)], env=env, capture_output=True, text=True, check=False)
    assert bad.returncode == 1
    assert "lumbar-muscle-spasm.md:" in bad.stderr and ": error: ICD-10-CM code 'M62.83' is a category" in bad.stderr
    assert not database.exists()


def test_the_readme_example_entry_is_a_real_seed_file() -> None:
    """The README's complete example stays valid content: it must be the seed file, word for word."""
    readme = (SEED_DIR.parent / "README.md").read_text(encoding="utf-8")
    entry = (SEED_DIR / "conditions" / "cervical-muscle-strain.md").read_text(encoding="utf-8")
    assert f"```markdown\n{entry}```" in readme
