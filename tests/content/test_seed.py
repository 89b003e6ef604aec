"""The seed pipeline: one transaction, upsert by slug, idempotent, and removes what left the files."""

import sqlite3
from pathlib import Path

import yaml
from sqlalchemy import Engine

from app import migrations
from app.content.seed import seed
from app.core.db import create_db_engine
from tests.conftest import sqlite_url
from tests.factories import write_condition

LUMBAR = Path("conditions") / "lumbar-muscle-spasm.md"


def dump(engine: Engine) -> list[str]:
    """Every row of every table, as SQL text: equal dumps mean an unchanged database."""
    database = engine.url.database
    assert database is not None
    connection = sqlite3.connect(database)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def count(engine: Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql(sql).scalar_one())


def entries(content: Path) -> dict[str, int]:
    """How many entries each kind has in the content folder, counted from the files themselves."""
    counts = {"conditions": len(list((content / "conditions").glob("*.md")))}
    for kind in ("symptoms", "causes", "treatments"):
        counts[kind] = len(yaml.safe_load((content / "vocabulary" / f"{kind}.yaml").read_text(encoding="utf-8")))
    return counts


def test_the_first_seed_of_an_empty_database_creates_everything_once(tmp_path: Path, content_copy: Path) -> None:
    """A cause that is a condition is linked after both exist: that second write is part of creating it."""
    url = sqlite_url(tmp_path / "fresh.db")
    migrations.upgrade(url)
    engine = create_db_engine(url)
    try:
        report = seed(engine, content_copy)
    finally:
        engine.dispose()

    assert "  condition: " in (content_copy / "vocabulary" / "causes.yaml").read_text(encoding="utf-8")
    for kind, number in entries(content_copy).items():
        assert str(report.counts[kind]) == f"{number} created, 0 updated, 0 unchanged, 0 deleted", kind


def test_a_cause_changed_twice_over_is_one_update(write_engine: Engine, content_copy: Path) -> None:
    """A new name and a new condition link are one updated cause, and the others stay unchanged."""
    causes = content_copy / "vocabulary" / "causes.yaml"
    old = "- slug: piriformis-syndrome\n  name: Piriformis syndrome\n"
    text = causes.read_text(encoding="utf-8")
    assert old in text and "  condition: piriformis-syndrome\n" in text
    text = text.replace(old, "- slug: piriformis-syndrome\n  name: Piriformis muscle syndrome\n")
    causes.write_text(text.replace("  condition: piriformis-syndrome\n", ""), encoding="utf-8")

    report = seed(write_engine, content_copy)

    total = entries(content_copy)["causes"]
    assert str(report.counts["causes"]) == f"0 created, 1 updated, {total - 1} unchanged, 0 deleted"


def test_reseeding_unchanged_content_changes_nothing(write_engine: Engine, translated_content_copy: Path) -> None:
    before = dump(write_engine)
    report = seed(write_engine, translated_content_copy)
    assert not report.changed
    assert set(report.counts) == {
        "symptoms",
        "causes",
        "treatments",
        "conditions",
        "translations",
        "icd10 codes",
        "hpo terms",
        "mondo terms",
    }
    for counts in report.counts.values():
        assert (counts.created, counts.updated, counts.deleted) == (0, 0, 0)
    assert report.counts["conditions"].unchanged == len(list((translated_content_copy / "conditions").glob("*.md")))
    assert report.counts["icd10 codes"].unchanged == 98466
    assert dump(write_engine) == before


def test_links_that_left_the_file_are_removed(write_engine: Engine, content_copy: Path) -> None:
    path = content_copy / LUMBAR
    text = path.read_text(encoding="utf-8")
    item = "- [Pain](symptom:pain) and [inflammation](symptom:inflammation).\n"
    assert item in text
    path.write_text(text.replace(item, ""), encoding="utf-8")
    links = "SELECT count(*) FROM condition_symptom WHERE condition_id = (SELECT id FROM condition WHERE slug = ?)"
    before = count(write_engine, links.replace("?", "'lumbar-muscle-spasm'"))

    report = seed(write_engine, content_copy)

    assert (report.counts["conditions"].updated, report.counts["conditions"].created) == (1, 0)
    assert count(write_engine, links.replace("?", "'lumbar-muscle-spasm'")) == before - 2
    # The terms stay in the shared vocabulary: only the page's links to them went.
    assert count(write_engine, "SELECT count(*) FROM symptom WHERE slug IN ('pain', 'inflammation')") == 2


def test_a_removed_file_deletes_its_condition(write_engine: Engine, content_copy: Path) -> None:
    conditions = count(write_engine, "SELECT count(*) FROM condition")
    write_condition(content_copy, "test-condition", aliases=("Testitis",))
    assert seed(write_engine, content_copy).counts["conditions"].created == 1
    assert count(write_engine, "SELECT count(*) FROM condition_alias WHERE slug = 'testitis'") == 1

    (content_copy / "conditions" / "test-condition.md").unlink()
    report = seed(write_engine, content_copy)

    assert str(report.counts["conditions"]) == f"0 created, 0 updated, {conditions} unchanged, 1 deleted"
    assert count(write_engine, "SELECT count(*) FROM condition") == conditions
    assert count(write_engine, "SELECT count(*) FROM condition_alias WHERE slug = 'testitis'") == 0


def test_unused_vocabulary_terms_are_deleted_with_their_entries(write_engine: Engine, content_copy: Path) -> None:
    vocabulary = content_copy / "vocabulary" / "symptoms.yaml"
    vocabulary.write_text(vocabulary.read_text() + "- slug: spare\n  name: Spare\n", encoding="utf-8")
    assert seed(write_engine, content_copy).counts["symptoms"].created == 1

    vocabulary.write_text(vocabulary.read_text().replace("- slug: spare\n  name: Spare\n", ""), encoding="utf-8")
    assert seed(write_engine, content_copy).counts["symptoms"].deleted == 1


def test_an_alias_can_move_between_conditions_in_one_run(write_engine: Engine, content_copy: Path) -> None:
    write_condition(content_copy, "first", aliases=("Shared name",))
    write_condition(content_copy, "second")
    seed(write_engine, content_copy)
    write_condition(content_copy, "first")
    write_condition(content_copy, "second", aliases=("Shared name",))

    seed(write_engine, content_copy)

    with write_engine.connect() as connection:
        owner = connection.exec_driver_sql(
            "SELECT c.slug FROM condition_alias a JOIN condition c ON c.id = a.condition_id "
            "WHERE a.slug = 'shared-name'"
        ).scalar_one()
    assert owner == "second"


def test_a_cause_links_to_its_condition_page(write_engine: Engine, content_copy: Path) -> None:
    write_condition(content_copy, "dehydration-test")
    causes = content_copy / "vocabulary" / "causes.yaml"
    causes.write_text(
        causes.read_text().replace("  name: Dehydration\n", "  name: Dehydration\n  condition: dehydration-test\n"),
        encoding="utf-8",
    )
    seed(write_engine, content_copy)
    linked = count(
        write_engine,
        "SELECT count(*) FROM cause JOIN condition ON condition.id = cause.condition_id "
        "WHERE cause.slug = 'dehydration' AND condition.slug = 'dehydration-test'",
    )
    assert linked == 1
