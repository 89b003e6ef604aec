"""The words around the content, in the language a page for people is read in (issue 16).

Every text a patient or visitor reads on the card and the site's pages that is not content comes from the
catalog of that language (app/locales/<tag>.yaml, `card_`, `page_`, `home_` messages). A message may name values
(`{date}`): they are filled in as HTML, escaped unless they are already markup (a link, a `<time>`).

The interface is in the negotiated language; the content is in the language of its words, which for an entry
not yet translated is the default language. Where the two differ, the content's elements carry their own `lang`
(the template asks `content_lang`), a note says the entry is not translated yet, and `Content-Language` lists
both, interface first.
"""

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from markupsafe import Markup

from app.core.locales import DEFAULT_LANGUAGE, locales, message


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language switch: a language offered, named in its own words."""

    tag: str
    name: str
    href: str
    current: bool


@dataclass(frozen=True)
class Interface:
    """The interface's language for one request, and the `lang=` its links carry to keep a reader's choice."""

    language: str
    carried: str | None = None  # the `lang` the request named, if it named one

    @property
    def is_default(self) -> bool:
        return self.language == DEFAULT_LANGUAGE

    def __call__(self, key: str, **values: object) -> Markup:
        """A catalog message as HTML; named values are escaped unless they are markup."""
        text = Markup.escape(message(self.language, key))
        return text.format(**values) if values else text

    def text(self, key: str, **values: object) -> str:
        """A catalog message as plain text (for JSON-LD, attributes built outside templates)."""
        return message(self.language, key).format(**values)

    def link(self, path: str, **query: str) -> str:
        """A link to one of the site's pages that keeps the reader's chosen language."""
        params = {**query, **({"lang": self.carried} if self.carried else {})}
        return f"{path}?{urlencode(params)}" if params else path

    def content_lang(self, language: str) -> str | None:
        """The `lang` attribute content in `language` needs inside this interface (none when they agree)."""
        return None if language == self.language else language

    def content_language(self, *languages: str) -> str:
        """The `Content-Language` value of a page: the interface's language, then any other its content is in."""
        return ", ".join(dict.fromkeys((self.language, *languages)))

    def long_date(self, value: date | datetime) -> Markup:
        """A date as readers of this language see it ("25 November 2026", "25 de noviembre de 2026"),
        machine-readable in a `<time>` element."""
        day = value.date() if isinstance(value, datetime) else value
        months = message(self.language, "card_months").split()
        words = message(self.language, "card_date").format(day=day.day, month=months[day.month - 1], year=day.year)
        return Markup('<time datetime="{}">{}</time>').format(day.isoformat(), words)

    def switch(self, path: str, query: dict[str, str]) -> list[LanguageLink]:
        """The same page in every language offered, each named in its own words, this one marked current."""
        kept = {name: value for name, value in query.items() if name != "lang"}
        return [
            LanguageLink(tag, locale.name, f"{path}?{urlencode({**kept, 'lang': tag})}", tag == self.language)
            for tag, locale in locales().items()
        ]
