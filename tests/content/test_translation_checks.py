"""The seed and the linter hold each translation to the English entry it translates: errors at file and line
that write nothing; an entry without a translation is a warning."""

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from app.content.errors import ContentErrors
from app.content.lint import lint
from app.content.seed import seed
from tests.content.test_content_errors import errors_of, line_of, replace_in
from tests.content.test_seed import dump

LUMBAR = Path("conditions") / "lumbar-muscle-spasm.md"
SPANISH = Path("translations") / "es"


def test_an_item_linking_other_terms_than_the_original_is_an_error(translated_content_copy: Path) -> None:
    path = translated_content_copy / SPANISH / LUMBAR
    replace_in(path, "[hielo](treatment:cold-therapy)", "[hielo](treatment:heat-therapy)")
    line = line_of(path, "[hielo](treatment:heat-therapy)")
    original = line_of(translated_content_copy / LUMBAR, "[ice](treatment:cold-therapy)")
    assert errors_of(translated_content_copy) == [
        (
            path,
            line,
            f"the item links other terms than the original's (line {original}): treatment:rest, "
            "treatment:cold-therapy, treatment:immobilization",
        )
    ]


def test_a_section_the_original_lacks_is_an_error_and_writes_nothing(
    write_engine: Engine, translated_content_copy: Path
) -> None:
    path = translated_content_copy / SPANISH / LUMBAR
    replace_in(
        path,
        "## Preguntas frecuentes",
        "## Cuándo buscar atención urgente\n\n- [Dolor](symptom:pain).\n\n## Preguntas frecuentes",
    )
    errors = errors_of(translated_content_copy)
    assert [(p, message) for p, _, message in errors] == [
        (path, "section '## Cuándo buscar atención urgente' is not in the original")
    ]
    before = dump(write_engine)
    with pytest.raises(ContentErrors, match="is not in the original"):
        seed(write_engine, translated_content_copy)
    assert dump(write_engine) == before


def test_english_headings_and_notes_are_errors_in_a_spanish_file(translated_content_copy: Path) -> None:
    path = translated_content_copy / SPANISH / LUMBAR
    replace_in(path, "## Causas", "## Causes")
    replace_in(path, "  - Nota: Lo contradice", "  - Note: Lo contradice")
    messages = {message for _, _, message in errors_of(translated_content_copy)}
    assert (
        "unknown section '## Causes' (expected one of: Causas, Síntomas, Tratamientos, Cuidados en casa, "
        "Cuándo buscar atención urgente, Preguntas frecuentes)"
    ) in messages
    assert "a nested item must start with 'Nota:' (an editor's note)" in messages


def test_a_translation_of_nothing_and_a_folder_of_no_language_are_errors(translated_content_copy: Path) -> None:
    spanish = translated_content_copy / SPANISH
    orphan = spanish / "conditions" / "no-such-page.md"
    orphan.write_text((spanish / LUMBAR).read_text(encoding="utf-8").replace("slug: lumbar-muscle", "slug: no-such"))
    shutil.copytree(spanish, translated_content_copy / "translations" / "xx")
    errors = errors_of(translated_content_copy)
    assert (
        orphan,
        line_of(orphan, "slug:"),
        "translates condition 'no-such-spasm', which has no file in conditions/",
    ) in errors
    assert any(p.name == "xx" and "no language 'xx' to translate into" in m for p, _, m in errors)


def test_a_missing_translation_is_a_warning(translated_content_copy: Path) -> None:
    (translated_content_copy / SPANISH / LUMBAR).unlink()
    replace_in(
        translated_content_copy / SPANISH / "vocabulary" / "symptoms.yaml",
        "  - slug: skin-redness\n    name: Enrojecimiento de la piel\n",
        "",
    )
    findings = lint(translated_content_copy, today=date(2026, 11, 29))
    assert [f for f in findings if f.severity == "error"] == []
    gaps = {(f.path.name, f.message) for f in findings if "translation" in f.message}
    assert gaps == {
        (
            "lumbar-muscle-spasm.md",
            "condition 'lumbar-muscle-spasm' has no Español translation in translations/es/conditions/",
        ),
        (
            "symptoms.yaml",
            "1 symptom(s) have no Español translation in translations/es/vocabulary/symptoms.yaml: skin-redness",
        ),
    }
