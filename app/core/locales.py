"""The languages the service speaks: one catalog per language in app/locales/<tag>.yaml.

A catalog holds the interface a patient or visitor reads around the content (notices, labels) and the section
headings of that language's translated condition files. Adding a language is adding a catalog (and its content
in seed/translations/<tag>/); no code names a language but the default.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

DEFAULT_LANGUAGE = "en"  # the language of seed/: every entry exists in it, and answers fall back to it
CATALOG_DIR = Path(__file__).resolve().parents[1] / "locales"
HEADING_KEYS = ("causes", "symptoms", "treatments", "self_care", "red_flags", "faqs")


@dataclass(frozen=True)
class Locale:
    tag: str  # a BCP 47 primary language subtag, lowercase: "es"
    name: str  # the language's own name ("Español"), for a language switch
    headings: MappingProxyType[str, str]  # section key -> that language's heading in condition files
    note_prefix: str  # what starts an editor's note under a list item in that language's files ("Nota:")
    search_stopwords: frozenset[str]  # function words dropped from search queries ("my", "mi"), accents folded
    messages: MappingProxyType[str, str]

    def message(self, key: str) -> str:
        return self.messages[key]


def _load(path: Path) -> Locale:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data.get("tag") != path.stem:
        raise ValueError(f"{path}: 'tag' must be '{path.stem}', the file's name")
    headings = data["headings"]
    if sorted(headings) != sorted(HEADING_KEYS):
        raise ValueError(f"{path}: 'headings' must name exactly {', '.join(HEADING_KEYS)}")
    return Locale(
        tag=data["tag"],
        name=data["name"],
        headings=MappingProxyType(dict(headings)),
        note_prefix=data["note_prefix"],
        search_stopwords=frozenset(str(data.get("search_stopwords", "")).split()),
        messages=MappingProxyType({key: " ".join(str(text).split()) for key, text in data["messages"].items()}),
    )


@cache
def locales() -> MappingProxyType[str, Locale]:
    """Every catalog by tag, the default language first."""
    found = {path.stem: _load(path) for path in sorted(CATALOG_DIR.glob("*.yaml"))}
    if DEFAULT_LANGUAGE not in found:
        raise ValueError(f"{CATALOG_DIR} has no catalog of the default language, {DEFAULT_LANGUAGE}.yaml")
    ordered = {DEFAULT_LANGUAGE: found.pop(DEFAULT_LANGUAGE), **found}
    for locale in ordered.values():
        missing = sorted(set(ordered[DEFAULT_LANGUAGE].messages) - set(locale.messages))
        if missing:
            raise ValueError(f"{CATALOG_DIR / locale.tag}.yaml lacks messages: {', '.join(missing)}")
    return MappingProxyType(ordered)


def offered() -> tuple[str, ...]:
    """The tags of every language served, the default first."""
    return tuple(locales())


def locale(tag: str) -> Locale:
    return locales()[tag]


def message(tag: str, key: str) -> str:
    """An interface text in `tag`'s language."""
    return locales()[tag].message(key)


def translated_languages() -> tuple[str, ...]:
    """The languages content is translated into (every offered language but the default)."""
    return tuple(tag for tag in locales() if tag != DEFAULT_LANGUAGE)


@dataclass(frozen=True, slots=True)
class Negotiated:
    language: str  # the offered language to answer in
    # The language the client asked for first, when it is not offered: answers say it was not available.
    unavailable: str | None = None

    def for_entry(self, translated: bool) -> "Negotiated":
        """The language one entry is given in: the negotiated one if the entry is translated into it (or it is
        the default), else the default, naming the language that was asked for."""
        if translated or self.language == DEFAULT_LANGUAGE:
            return self
        return Negotiated(DEFAULT_LANGUAGE, unavailable=self.language)


def lookup(language_range: str, languages: tuple[str, ...]) -> str | None:
    """RFC 4647 §3.4 lookup of one range among offered tags: the range, then shorter prefixes of it (`es-MX`,
    then `es`). Negotiation (app/api/languages.py) and the Infobutton's `languageCode` both ask here."""
    if language_range == "*":
        return None  # "any": the caller picks the default
    subtags = language_range.lower().split("-")
    while subtags:
        if "-".join(subtags) in languages:
            return "-".join(subtags)
        subtags.pop()
        if subtags and len(subtags[-1]) == 1:  # a singleton ("x" of "x-private") is dropped with what follows
            subtags.pop()
    return None


DEFAULT = Negotiated(DEFAULT_LANGUAGE)  # what a request that names no language gets
