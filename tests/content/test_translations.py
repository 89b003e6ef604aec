"""The Spanish translations in `seed/translations/es/` match the English entries they translate.

The seed checks each file's structure against its original (app/content/translations.py); these tests read the
files on their own and hold the whole folder to the rest: every entry translated, each file saying who
translated it and that it is a draft, and the lumbar page's odd spots kept and noted.
"""

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.core.locales import HEADING_KEYS, locale
from app.core.paths import SEED_DIR

SPANISH = SEED_DIR / "translations" / "es"
# The English section headings and their Spanish ones, from the interface catalogs.
HEADINGS = {f"## {locale('en').headings[key]}": f"## {locale('es').headings[key]}" for key in HEADING_KEYS}
LINK = re.compile(r"\]\(((?:symptom|cause|treatment):[a-z0-9-]+)\)")
ENGLISH_CONDITIONS = sorted((SEED_DIR / "conditions").glob("*.md"))


def front_and_body(path: Path) -> tuple[dict[str, Any], str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def outline(body: str) -> list[tuple[str, list[str], int]]:
    """Each part of a body (the description, then each section): its heading, its links in order, its items."""
    parts: list[tuple[str, list[str], int]] = [("", [], 0)]
    for line in body.splitlines():
        if line.startswith("## "):
            parts.append((line.strip(), [], 0))
            continue
        heading, links, items = parts[-1]
        parts[-1] = (heading, links + LINK.findall(line), items + line.startswith("- "))
    return parts


def assert_translation_metadata(document: dict[str, Any], original: str) -> None:
    assert document["translation"]["of"] == original
    assert "AI assistant" in document["translation"]["by"]  # who or what translated it
    assert document["review"]["status"] == "draft"


def test_every_condition_is_translated() -> None:
    translated = sorted(path.name for path in (SPANISH / "conditions").glob("*.md"))
    assert translated == [path.name for path in ENGLISH_CONDITIONS]


@pytest.mark.parametrize("english", ENGLISH_CONDITIONS, ids=lambda path: path.stem)
def test_a_translated_page_has_the_sections_items_and_links_of_its_original(english: Path) -> None:
    original, english_body = front_and_body(english)
    translation, spanish_body = front_and_body(SPANISH / "conditions" / english.name)
    assert translation["slug"] == original["slug"]
    assert_translation_metadata(translation, f"conditions/{english.name}")
    assert ("duration" in original) == ("duration_text" in translation)
    expected = [(HEADINGS.get(heading, heading), links, items) for heading, links, items in outline(english_body)]
    assert outline(spanish_body) == expected


@pytest.mark.parametrize("kind", ["symptoms", "causes", "treatments"])
def test_every_term_is_translated_once_with_unique_names(kind: str) -> None:
    english = yaml.safe_load((SEED_DIR / "vocabulary" / f"{kind}.yaml").read_text(encoding="utf-8"))
    spanish = yaml.safe_load((SPANISH / "vocabulary" / f"{kind}.yaml").read_text(encoding="utf-8"))
    assert_translation_metadata(spanish, f"vocabulary/{kind}.yaml")
    assert [term["slug"] for term in spanish["terms"]] == [term["slug"] for term in english]
    names = [name.casefold() for term in spanish["terms"] for name in (term["name"], *term.get("aliases", []))]
    assert len(names) == len(set(names))


def test_the_lumbar_page_keeps_its_odd_spots_and_says_so() -> None:
    translation, body = front_and_body(SPANISH / "conditions" / "lumbar-muscle-spasm.md")
    assert any(note.startswith("Nota de traducción") and "a propósito" in note for note in translation["editor_notes"])
    # Both sides of the page's contradictory pressure advice survive translation.
    assert "[presionar la zona afectada](treatment:pressure-on-affected-area)" in body
    assert "No [aplique presión sobre la zona afectada](treatment:avoiding-pressure-on-affected-area)" in body
