"""Language negotiation: which language a request is answered in.

`lang=` wins over `Accept-Language` (RFC 9110 §12.5.4). Ranges are matched by RFC 4647 §3.4 "lookup": `es-MX` is
tried as `es-MX`, then `es`; ranges are tried by q-value, and `q=0` rules a language out. Routes and the
response cache both call `negotiate`, so they cannot disagree.
"""

import re
from typing import Annotated

from fastapi import Depends, Header, Query

from app.core.errors import explain_pattern
from app.core.locales import DEFAULT_LANGUAGE, Negotiated, lookup, offered

# A BCP 47 language tag's shape (language, then subtags of letters and digits); validity beyond shape is
# left to lookup: a well-formed tag we do not serve falls back to the default language, saying so.
# An empty `lang=` is no preference; `es_ES` (a POSIX locale's spelling, common in page templates) is `es-ES`.
LANGUAGE_TAG_PATTERN = explain_pattern(
    r"^([A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*)?$",
    lambda value: f"'{value}' is not a language tag (BCP 47, e.g. 'es' or 'es-MX')",
)
MAX_RANGES = 32  # a browser sends a handful; a flood is not parsed
_RANGE = re.compile(r"^(\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)$")


def accepted(header: str) -> list[str]:
    """The language ranges of an Accept-Language value, most preferred first (a stable sort by q-value keeps the
    client's order among equals); ranges with q=0 or a malformed q are left out."""
    ranges: list[tuple[float, str]] = []
    for part in header.split(",")[:MAX_RANGES]:
        name, *params = part.split(";")
        name = name.strip()
        if not _RANGE.match(name):
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if 0 < quality <= 1:
            ranges.append((quality, name.lower()))
    ranges.sort(key=lambda pair: -pair[0])
    return [name for _, name in ranges]


def negotiate(accept_language: str | None, lang: str | None = None) -> Negotiated:
    languages = offered()
    if lang:
        tag = lang.replace("_", "-")
        found = lookup(tag, languages)
        return Negotiated(found) if found else Negotiated(DEFAULT_LANGUAGE, unavailable=tag.lower())
    ranges = accepted(accept_language or "")
    for language_range in ranges:
        if language_range == "*":
            return Negotiated(DEFAULT_LANGUAGE)
        found = lookup(language_range, languages)
        if found:
            return Negotiated(found)
    # Nothing acceptable is offered: the default rather than a 406, which a phone could do nothing with.
    return Negotiated(DEFAULT_LANGUAGE, unavailable=ranges[0] if ranges else None)


LANG_DESCRIPTION = (
    "The language to answer in (a BCP 47 tag such as `es` or `es-MX`; see `GET /v1/languages`). Wins over "
    "`Accept-Language`. An entry not translated into it is given in English, saying so."
)


def negotiated_language(
    lang: Annotated[
        str | None,
        Query(pattern=LANGUAGE_TAG_PATTERN, max_length=35, description=LANG_DESCRIPTION, examples=["es"]),
    ] = None,
    accept_language: Annotated[
        str | None,
        Header(
            description="The reader's languages by preference (RFC 9110), used when `lang` is not given.",
            examples=["es-MX,es;q=0.9,en;q=0.5"],
        ),
    ] = None,
) -> Negotiated:
    return negotiate(accept_language, lang)


LanguageDep = Annotated[Negotiated, Depends(negotiated_language)]
