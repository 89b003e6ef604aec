"""Lays a translation's words over an entry's record: the record in another language.

A translation holds only words (app/content/translations.py); the record's structure, links, codes and dates stay
the original's. Every name of a linked entry is replaced by that entry's translated name when it has one, so a
Spanish page lists Spanish symptom names even where the page itself is not translated. An entry without a
translation is given wholly in English (linked names too), and says which language was asked for
(`language_unavailable`).
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlmodel import Session

from app.core.locales import DEFAULT_LANGUAGE, Negotiated
from app.models import public as api
from app.models.base import EntryType
from app.queries import translations
from app.queries.translations import Key
from app.queries.vocabulary import Use

ModelT = TypeVar("ModelT", bound=BaseModel)
_KIND_BY_PLURAL = {kind.plural: kind.value for kind in EntryType}
# A term's use on a page: the page's section it is listed in, by the term's kind and the link's section.
_USE_SECTIONS = {
    ("cause", None): "causes",
    ("symptom", "symptom"): "symptoms",
    ("symptom", "red-flag"): "red_flags",
    ("treatment", "treatment"): "treatments",
    ("treatment", "self-care"): "self_care",
}
_SECTIONS = ("causes", "symptoms", "treatments", "self_care", "red_flags")


@dataclass(frozen=True)
class Words:
    """The translations into one language of the entries a response shows."""

    language: str
    documents: Mapping[Key, Mapping[str, Any]]

    def of(self, kind: str, slug: str) -> Mapping[str, Any] | None:
        return self.documents.get((kind, slug))


def _key_of(href: str) -> Key | None:
    """(kind, slug) of an entry's API path (`/v1/symptoms/low-back-pain`)."""
    parts = href.split("/")
    if len(parts) == 4 and parts[2] in _KIND_BY_PLURAL:
        return _KIND_BY_PLURAL[parts[2]], parts[3]
    return None


def _links(data: Any) -> Iterator[dict[str, Any]]:
    """Every link (a mapping with `href` and `name`) in dumped record data, at any depth."""
    if isinstance(data, dict):
        if isinstance(data.get("href"), str) and "name" in data:
            yield data
        for value in data.values():
            yield from _links(value)
    elif isinstance(data, list):
        for value in data:
            yield from _links(value)


def keys_of(records: Iterable[BaseModel]) -> set[Key]:
    """Every entry the records name: their own and those they link to."""
    found = set()
    for record in records:
        for link in _links(record.model_dump()):
            key = _key_of(link["href"])
            if key is not None:
                found.add(key)
    return found


def words_for(session: Session, language: str, records: Iterable[BaseModel]) -> Words:
    """The translations a response of these records needs; none to load for the default language."""
    return words_of(session, language, keys_of(records) if language != DEFAULT_LANGUAGE else ())


def words_of(session: Session, language: str, keys: Iterable[Key]) -> Words:
    """The translations into `language` of these entries (kind, slug)."""
    if language == DEFAULT_LANGUAGE:
        return Words(language, {})
    return Words(language, translations.documents(session, language, keys))


def _localize_links(data: Any, words: Words, asked: Negotiated) -> None:
    """Every linked entry in dumped record data (the record itself too) gets its translated name, and its
    summary, body area and aliases where it shows them, and says its language where it has that field."""
    for link in _links(data):
        key = _key_of(link["href"])
        document = words.of(*key) if key is not None else None
        if "language" in link:
            link["language"] = asked.for_entry(document is not None).language
        if document is None:
            continue
        link["name"] = document["name"]
        for field in ("summary", "body_area", "aliases"):
            if field in link and field in document:
                link[field] = document[field]


def _untouched(asked: Negotiated) -> bool:
    return asked.language == DEFAULT_LANGUAGE and asked.unavailable is None


def localize_record(record: ModelT, words: Words, asked: Negotiated) -> ModelT:
    """Any record (a list item, a match result) with every entry it links named in the language asked for."""
    if _untouched(asked):
        return record
    data = record.model_dump()
    _localize_links(data, words, asked)
    return type(record).model_validate(data)


def localize_summaries(items: Sequence[ModelT], words: Words, asked: Negotiated) -> list[ModelT]:
    """List items in the language asked for, each in English where it has no translation."""
    return [localize_record(item, words, asked) for item in items]


# An entry without a translation is given wholly in its original's words, the names of what it links to included:
# a page of English words with Spanish symptom names would be in no one language (nor could its JSON-LD say which).
_NONE = Words(DEFAULT_LANGUAGE, {})


def _entry(data: dict[str, Any], document: Mapping[str, Any] | None, asked: Negotiated) -> None:
    """Sets what the record says of its language: the one asked for when it is not in it, and its translator."""
    data["language_unavailable"] = asked.for_entry(document is not None).unavailable
    data["translation"] = dict(document["translation"]) if document is not None else None  # `by`, `date`


def localize_condition(detail: api.ConditionDetail, words: Words, asked: Negotiated) -> api.ConditionDetail:
    if _untouched(asked):
        return detail
    data = detail.model_dump()
    document = words.of(EntryType.condition.value, detail.slug)
    _localize_links(data, words if document is not None else _NONE, asked)
    _entry(data, document, asked)
    if document is not None:
        for field in ("description", "editor_notes"):
            data[field] = document[field]
        if data["duration"] is not None and document["duration_text"]:
            data["duration"]["text"] = document["duration_text"]
        for section in _SECTIONS:
            if f"{section}_intro" in document:
                data[section]["intro"] = document[f"{section}_intro"]
            for item, words_of_item in zip(data[section]["items"], document["items"].get(section, ()), strict=False):
                item["text"], item["note"] = words_of_item["text"], words_of_item["note"]
        data["faqs"] = [dict(faq) for faq in document["faqs"]]
        data["review"] = dict(document["review"])
    return api.ConditionDetail.model_validate(data)


def localize_term(detail: ModelT, uses: Sequence[Use], words: Words, asked: Negotiated) -> ModelT:
    """A term's record; `uses` are the conditions listing it, in the order of its `conditions`."""
    if _untouched(asked):
        return detail
    data = detail.model_dump()
    key = _key_of(data["href"])
    document = words.of(*key) if key is not None else None
    if document is None:
        words = _NONE
    _localize_links(data, words, asked)
    _entry(data, document, asked)
    if document is not None:
        data["description"] = document["description"]
        data["editor_notes"] = list(document["editor_notes"])
    kind = key[0] if key is not None else ""
    for shown, use in zip(data["conditions"], uses, strict=True):
        page = words.of(EntryType.condition.value, use.slug)
        section = _USE_SECTIONS.get((kind, use.section))
        items = page["items"].get(section, ()) if page is not None and section is not None else ()
        if 0 < use.position <= len(items):
            shown["text"], shown["note"] = items[use.position - 1]["text"], items[use.position - 1]["note"]
    return type(detail).model_validate(data)


def localize_entry(record: ModelT, uses: Sequence[Use] | None, words: Words, asked: Negotiated) -> ModelT:
    """Any entry's record: a condition's (`uses` None) or a term's (`uses`: the conditions listing it)."""
    if isinstance(record, api.ConditionDetail):
        return localize_condition(record, words, asked)  # type: ignore[return-value]
    return localize_term(record, uses or (), words, asked)
