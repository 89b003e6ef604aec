"""Which language a request gets: RFC 9110 Accept-Language with q-values, RFC 4647 lookup of ranges, and
`lang=` winning over the header."""

import pytest

from app.api.languages import accepted, negotiate
from app.core.locales import Negotiated, lookup


def test_ranges_come_by_q_value_with_the_clients_order_among_equals() -> None:
    assert accepted("en;q=0.5, es-MX, fr;q=0.9, de") == ["es-mx", "de", "fr", "en"]


def test_q_zero_and_malformed_ranges_are_left_out() -> None:
    assert accepted("es;q=0, en;q=abc, fr;q=2, <script>, it") == ["it"]


@pytest.mark.parametrize(
    ("language_range", "expected"),
    [("es", "es"), ("es-MX", "es"), ("ES-419", "es"), ("es-x-private", "es"), ("en-US", "en"), ("fr", None)],
)
def test_lookup_tries_the_range_then_shorter_prefixes(language_range: str, expected: str | None) -> None:
    assert lookup(language_range, ("en", "es")) == expected


@pytest.mark.parametrize(
    ("header", "lang", "expected"),
    [
        (None, None, Negotiated("en")),
        ("es-MX,es;q=0.9,en;q=0.5", None, Negotiated("es")),
        ("fr-CA, es;q=0.5", None, Negotiated("es")),  # the first range we serve wins
        ("fr-CA, en;q=0.5, es;q=0.4", None, Negotiated("en")),
        ("es;q=0, *", None, Negotiated("en")),
        ("fr", None, Negotiated("en", unavailable="fr")),  # nothing acceptable: English, saying so
        ("es", "en", Negotiated("en")),  # lang= wins
        (None, "es-AR", Negotiated("es")),
        ("es", "fr", Negotiated("en", unavailable="fr")),
    ],
)
def test_negotiate(header: str | None, lang: str | None, expected: Negotiated) -> None:
    assert negotiate(header, lang) == expected


def test_an_entry_without_the_translation_falls_back_to_english_naming_what_was_asked() -> None:
    assert Negotiated("es").for_entry(translated=False) == Negotiated("en", unavailable="es")
    assert Negotiated("es").for_entry(translated=True) == Negotiated("es")
    assert Negotiated("en").for_entry(translated=False) == Negotiated("en")


@pytest.mark.parametrize(("lang", "expected"), [("es_ES", Negotiated("es")), ("", Negotiated("en"))])
def test_a_posix_spelling_is_a_tag_and_an_empty_lang_no_preference(lang: str, expected: Negotiated) -> None:
    assert negotiate(None, lang) == expected
