"""Known files: a seed parses only the condition files that changed since the database was seeded, and never
takes a stale summary for a changed file."""

import os
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.content import known_files
from app.content.errors import ContentErrors
from app.content.icd10 import load_code_set
from app.content.library import load_library
from app.content.seed import apply_library, seed, with_billable_codes
from tests.content.test_content_errors import line_of, replace_in
from tests.content.test_seed import LUMBAR, count, dump

LUMBAR_SLUG = "lumbar-muscle-spasm"


def parsed(engine: Engine, content: Path) -> set[str]:
    """The condition files a seed of `content` into `engine`'s database would parse (all others are known)."""
    with Session(engine) as session:
        known = known_files.read(session)
    library = load_library(content, load_code_set(), known=known)
    return {file.path.stem for file in library.files if not file.known}


def name_of(engine: Engine, slug: str) -> str:
    with engine.connect() as connection:
        return str(connection.exec_driver_sql("SELECT name FROM condition WHERE slug = ?", (slug,)).scalar_one())


def test_a_seeded_database_knows_every_condition_file(write_engine: Engine, content_copy: Path) -> None:
    assert parsed(write_engine, content_copy) == set()
    assert count(write_engine, "SELECT count(*) FROM content_file") == len(list(content_copy.glob("conditions/*.md")))


def test_a_changed_file_is_parsed_and_written_even_when_its_size_and_time_are_the_same(
    write_engine: Engine, content_copy: Path
) -> None:
    path = content_copy / LUMBAR
    stat = path.stat()
    replace_in(path, "name: Lumbar muscle spasm\n", "name: Lumbar muscle spasn\n")  # one byte, same length
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size

    assert parsed(write_engine, content_copy) == {LUMBAR_SLUG}
    assert seed(write_engine, content_copy).counts["conditions"].updated == 1
    assert name_of(write_engine, LUMBAR_SLUG) == "Lumbar muscle spasn"

    # Back to bytes the database was seeded from before: parsed again, not taken from any earlier summary.
    replace_in(path, "name: Lumbar muscle spasn\n", "name: Lumbar muscle spasm\n")
    assert parsed(write_engine, content_copy) == {LUMBAR_SLUG}
    seed(write_engine, content_copy)
    assert name_of(write_engine, LUMBAR_SLUG) == "Lumbar muscle spasm"
    assert parsed(write_engine, content_copy) == set()


def test_a_renamed_file_is_parsed_once_and_changes_no_row(write_engine: Engine, translated_content_copy: Path) -> None:
    (translated_content_copy / LUMBAR).rename(translated_content_copy / "conditions" / "renamed.md")
    translation = translated_content_copy / "translations" / "es" / LUMBAR
    replace_in(translation, f"of: {LUMBAR}\n", "of: conditions/renamed.md\n")  # what it translates moved
    assert parsed(write_engine, translated_content_copy) == {"renamed"}
    report = seed(write_engine, translated_content_copy)
    assert not report.changed and report.logged == []
    assert parsed(write_engine, translated_content_copy) == set()


def test_another_parser_reads_every_file_again(
    write_engine: Engine, translated_content_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(known_files, "parser_version", lambda: "another-parser")
    every = {path.stem for path in translated_content_copy.glob("conditions/*.md")}
    assert parsed(write_engine, translated_content_copy) == every
    before = count(write_engine, "SELECT count(*) FROM change")
    assert not seed(write_engine, translated_content_copy).changed  # same content: nothing written but the summaries
    assert count(write_engine, "SELECT count(*) FROM change") == before
    assert parsed(write_engine, translated_content_copy) == set()


def test_a_row_written_by_other_means_is_not_trusted(write_engine: Engine, content_copy: Path) -> None:
    """The benchmarks write libraries without files: a summary stands only for the content its row holds."""
    path = content_copy / LUMBAR
    original = path.read_text(encoding="utf-8")
    replace_in(path, "name: Lumbar muscle spasm\n", "name: Written elsewhere\n")
    apply_library(write_engine, load_library(content_copy, load_code_set()), load_code_set())
    path.write_text(original, encoding="utf-8")

    assert parsed(write_engine, content_copy) == {LUMBAR_SLUG}
    seed(write_engine, content_copy)
    assert name_of(write_engine, LUMBAR_SLUG) == "Lumbar muscle spasm"


def test_a_bad_file_is_reported_once_changes_nothing_and_is_parsed_again(
    write_engine: Engine, content_copy: Path
) -> None:
    path = content_copy / LUMBAR
    replace_in(path, "min_days: 21", "min_days: three")
    before = dump(write_engine)
    with pytest.raises(ContentErrors) as raised:
        seed(write_engine, content_copy)
    [error] = raised.value.errors
    assert (error.path, error.line) == (path, line_of(path, "min_days: three"))
    assert error.message.startswith("duration.min_days: Input should be a valid integer")
    assert dump(write_engine) == before  # no summary of the bad file either

    replace_in(path, "min_days: three", "min_days: 20")
    assert parsed(write_engine, content_copy) == {LUMBAR_SLUG}
    assert seed(write_engine, content_copy).counts["conditions"].updated == 1


def test_the_billable_codes_a_database_holds_are_the_code_sets(write_engine: Engine) -> None:
    """A re-seed checks codes against the database's copy of the release, without loading the package."""
    with Session(write_engine) as session:
        codes = with_billable_codes(session, load_code_set())
    icd = codes.module
    assert codes.billable == {code for code in icd.get_all_codes(True) if icd.is_leaf(code)}
    assert codes.problem("M62.830") is None
    assert "is a category" in str(codes.problem("M62.83"))
