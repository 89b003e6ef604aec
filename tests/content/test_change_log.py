"""The change log rebuilds only the entries a seed's writes can reach: after every kind of edit it must leave the
database exactly as a seed that compares every entry (`rebuild_log=True`) does, log included."""

import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.content.change_log import TERM_SHOWN, reach_after, reach_before
from app.content.errors import ContentErrors
from app.content.icd10 import load_code_set
from app.content.library import load_library
from app.content.seed import seed
from app.content.writer import VOCABULARIES, apply, plan
from app.core.db import create_db_engine
from app.models import Condition
from app.queries import condition_rows, conditions
from app.representation import presenters
from tests.conftest import sqlite_url
from tests.content.test_content_errors import replace_in
from tests.content.test_seed import LUMBAR, dump
from tests.factories import write_condition

Edit = Callable[[Path], None]
CAUSES = Path("vocabulary") / "causes.yaml"
SYMPTOMS = Path("vocabulary") / "symptoms.yaml"
TREATMENTS = Path("vocabulary") / "treatments.yaml"
HERNIATED = Path("conditions") / "herniated-disc.md"


def edit(path: Path, old: str, new: str) -> Edit:
    def apply(root: Path) -> None:
        replace_in(root / path, old, new)

    return apply


def remove(path: Path) -> Edit:
    def apply(root: Path) -> None:
        (root / path).unlink()

    return apply


def add_condition(slug: str, **fields: object) -> Edit:
    def apply(root: Path) -> None:
        write_condition(root, slug, **fields)

    return apply


def move_alias(root: Path) -> None:
    write_condition(root, "first-test")
    write_condition(root, "second-test", aliases=("Shared name",))


def rename_skin_redness(root: Path) -> None:
    for path in [root / SYMPTOMS, *(root / "conditions").glob("*.md")]:
        path.write_text(path.read_text(encoding="utf-8").replace("skin-redness", "reddened-skin"), encoding="utf-8")


# Each scenario: edits, each seeded in turn, and entries the last seed must log (so the scenario reaches something).
SCENARIOS: dict[str, tuple[list[Edit], set[tuple[str, str]]]] = {
    "symptom renamed": (
        [edit(SYMPTOMS, "name: Neck pain\n", "name: Neck ache\n")],
        {("symptom", "neck-pain"), ("condition", "whiplash")},
    ),
    "symptom description, seen on its page only": (
        [edit(SYMPTOMS, "  name: Swelling\n", "  name: Swelling\n  description: Puffiness.\n")],
        {("symptom", "swelling")},
    ),
    "symptom alias, seen on its page only": (
        [edit(SYMPTOMS, "aliases: [inflammation swelling]", "aliases: [inflammation swelling, puffiness]")],
        {("symptom", "swelling")},
    ),
    "treatment kind": (
        [
            edit(
                TREATMENTS,
                "- slug: rest\n  name: Rest\n  kind: self-care",
                "- slug: rest\n  name: Rest\n  kind: therapy",
            )
        ],
        {("treatment", "rest"), ("condition", "lumbar-muscle-spasm")},
    ),
    "cause gains its own page": (
        [edit(CAUSES, "  name: Dehydration\n", "  name: Dehydration\n  condition: lumbar-strain\n")],
        {("cause", "dehydration"), ("condition", "lumbar-strain"), ("condition", "lumbar-muscle-spasm")},
    ),
    "cause loses its own page": (
        [edit(CAUSES, "  condition: piriformis-syndrome\n", "")],
        {("cause", "piriformis-syndrome"), ("condition", "piriformis-syndrome")},
    ),
    "cause moves to another page": (
        [edit(CAUSES, "  condition: lumbar-spinal-stenosis\n", "  condition: spondylolisthesis\n")],
        {("condition", "lumbar-spinal-stenosis"), ("condition", "spondylolisthesis"), ("cause", "spinal-stenosis")},
    ),
    "condition renamed, shown by its cause, related pages and terms": (
        [edit(HERNIATED, "name: Herniated disc\n", "name: Herniated disk\n")],
        {("condition", "herniated-disc"), ("condition", "lumbar-muscle-spasm"), ("cause", "herniated-disc")},
    ),
    "condition description, seen on its page only": (
        [edit(LUMBAR, "Muscle-related\nproblems", "Muscle\nproblems")],
        {("condition", "lumbar-muscle-spasm")},
    ),
    "a page's words for a symptom": (
        [edit(LUMBAR, "in the lower back.\n  - Note: A strain", "in the low back.\n  - Note: A strain")],
        {("condition", "lumbar-muscle-spasm"), ("symptom", "swelling")},
    ),
    "condition added, then deleted": (
        [
            add_condition("transient-test", causes=("herniated-disc",), symptoms=("neck-pain",), related=("whiplash",)),
            remove(Path("conditions") / "transient-test.md"),
        ],
        {("condition", "transient-test"), ("condition", "herniated-disc"), ("symptom", "neck-pain")},
    ),
    "condition stops listing a cause with a page": (
        [edit(LUMBAR, "  and pain from a [herniated disc](cause:herniated-disc), etc.", "  etc.")],
        {("condition", "lumbar-muscle-spasm"), ("condition", "herniated-disc"), ("cause", "herniated-disc")},
    ),
    "alias moves between conditions": (
        [add_condition("first-test", aliases=("Shared name",)), move_alias],
        {("condition", "first-test"), ("condition", "second-test")},
    ),
    "symptom slug renamed everywhere": (
        [rename_skin_redness],
        {("symptom", "skin-redness"), ("symptom", "reddened-skin"), ("condition", "lumbar-muscle-spasm")},
    ),
}


def content(engine: Engine) -> list[str]:
    """The database's rows but the search index's (its files differ from one build to the next)."""
    search = re.compile(r"""INSERT INTO "(search_|reference_data" VALUES\('search)""")
    return [line for line in dump(engine) if not search.match(line)]


@pytest.fixture
def twin_engines(seeded_template: Path, tmp_path: Path) -> Iterator[tuple[Engine, Engine]]:
    engines = []
    for name in ("reach.db", "rebuild.db"):
        shutil.copyfile(seeded_template, tmp_path / name)
        engines.append(create_db_engine(sqlite_url(tmp_path / name)))
    yield engines[0], engines[1]
    for engine in engines:
        engine.dispose()


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_the_reach_logs_what_a_full_comparison_logs(
    scenario: str, twin_engines: tuple[Engine, Engine], content_copy: Path
) -> None:
    reach, rebuild = twin_engines
    edits, expected = SCENARIOS[scenario]
    now = datetime(2027, 1, 1, tzinfo=UTC)
    for step, apply_edit in enumerate(edits):
        apply_edit(content_copy)
        when = now + timedelta(days=step)
        logged = seed(reach, content_copy, now=when).logged
        full = seed(rebuild, content_copy, now=when, rebuild_log=True).logged
        assert logged == full
        assert content(reach) == content(rebuild)  # rows, hashes, log and updated_at alike
    assert expected <= {key for key, _ in logged}, logged


def test_what_condition_pages_show_of_a_term_is_its_columns() -> None:
    """The reach compares a term's columns to decide whether condition pages show it differently: each field of
    a term's reference must be one ('condition' is a cause's page, stored as condition_id)."""
    for kind, table in VOCABULARIES:
        columns = {column.name for column in table.__table__.columns} | {"condition"}  # type: ignore[union-attr]
        assert TERM_SHOWN[kind] <= columns, kind


def test_plain_rows_and_orm_objects_give_the_same_records(write_engine: Engine) -> None:
    with Session(write_engine) as session:
        ids = [id for id in session.exec(select(col(Condition.id))) if id is not None]
        caused = conditions.can_lead_to_by_condition(session, ids=ids)

        def records(rows: Sequence[presenters.ConditionRow]) -> dict[str, object]:
            return {
                row.slug: presenters.condition_detail(row, can_lead_to=caused.get(getattr(row, "id", 0) or 0, []))
                for row in rows
            }

        from_orm = records(conditions.with_links(session, ids=ids))
        from_rows = records(condition_rows.with_links(session, ids=ids))
    assert len(from_orm) == len(ids)
    assert from_rows == from_orm
    assert list(from_rows) == list(from_orm)


def test_an_unchanged_reseed_reaches_nothing(write_engine: Engine, translated_content_copy: Path) -> None:
    report = seed(write_engine, translated_content_copy)
    assert report.logged == [] and report.written == {}


def test_the_report_names_the_rows_written_and_the_entries_logged(
    write_engine: Engine, translated_content_copy: Path
) -> None:
    """What an incremental search index needs: the rows written, and every entry that shows them."""
    replace_in(translated_content_copy / SYMPTOMS, "name: Neck pain\n", "name: Neck ache\n")
    write_condition(translated_content_copy, "new-test", symptoms=("neck-pain",))
    report = seed(write_engine, translated_content_copy)
    assert report.written == {("symptom", "neck-pain"): "updated", ("condition", "new-test"): "created"}
    pages = (translated_content_copy / "conditions").glob("*.md")
    necks = {("condition", path.stem) for path in pages if "symptom:neck-pain" in path.read_text(encoding="utf-8")}
    # The new page's terms list it too (the factory's default cause and treatment).
    terms = {("symptom", "neck-pain"), ("cause", "dehydration"), ("treatment", "rest")}
    assert {key for key, _ in report.logged} == terms | necks
    assert {action for _, action in report.logged} == {"upsert"}

    (translated_content_copy / "conditions" / "new-test.md").unlink()
    report = seed(write_engine, translated_content_copy)
    assert report.written == {("condition", "new-test"): "deleted"}
    assert set(report.logged) == {(("condition", "new-test"), "delete"), *((key, "upsert") for key in terms)}


def test_reach_reads_the_database_before_and_after_the_writes(write_engine: Engine, content_copy: Path) -> None:
    """A condition that stops listing a symptom: the symptom's page changes, found only before the writes."""
    replace_in(content_copy / LUMBAR, "- [Pain](symptom:pain) and [inflammation](symptom:inflammation).\n", "")
    with Session(write_engine) as session:  # closed without a commit
        planned = plan(session, load_library(content_copy, load_code_set()))
        before = reach_before(session, planned)
        assert {("symptom", "pain"), ("symptom", "inflammation")} <= before.keys
        reached = reach_after(session, planned, apply(session, planned, datetime.now(UTC)), before)
        assert ("condition", "lumbar-muscle-spasm") in reached.keys
        assert ("condition", "whiplash") not in reached.keys


def test_lines_of_unchanged_files_come_from_their_summaries(write_engine: Engine, content_copy: Path) -> None:
    """An error across files names the line in a file the seed did not parse again."""
    write_condition(content_copy, "zz-test", aliases=("Back spasm",))
    lumbar_line = next(
        number
        for number, line in enumerate((content_copy / LUMBAR).read_text().splitlines(), start=1)
        if re.fullmatch(r"\s*- Back spasm", line)
    )
    before = dump(write_engine)
    with pytest.raises(ContentErrors) as raised:
        seed(write_engine, content_copy)
    assert [str(error).split("/conditions/")[1] for error in raised.value.errors] == [
        f"zz-test.md:4: duplicate slug or alias 'back-spasm' (first at lumbar-muscle-spasm.md:{lumbar_line})"
    ]
    assert dump(write_engine) == before
