"""The card's model: which parts of a condition it shows, their titles and default order, and what a visitor
reads when it cannot be shown. The widget and the condition pages render it."""

from dataclasses import dataclass

from app.core.locales import DEFAULT_LANGUAGE, message


@dataclass(frozen=True)
class Section:
    key: str

    def title(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The part's title in a language's catalog (`card_section_<key>`)."""
        return message(language, f"card_section_{self.key}")


# The card's parts, in their default order: urgent-care advice comes right after the symptoms it is about.
SECTIONS = {
    section.key: section
    for section in (
        Section("summary"),
        Section("symptoms"),
        Section("red_flags"),
        Section("causes"),
        Section("treatments"),
        Section("self_care"),
        Section("duration"),
        Section("faqs"),
    )
}

# What a visitor reads when a card cannot be shown: they cannot act on why (embed.js says the same words, in
# every language's: `card_unavailable`). The default language's, for examples in the API's documentation.
UNAVAILABLE = message(DEFAULT_LANGUAGE, "card_unavailable")


def chosen_sections(keys: list[str] | None) -> list[Section]:
    """The sections in the order asked for, once each; all of them by default."""
    if keys is None:
        return list(SECTIONS.values())
    return [SECTIONS[key] for key in dict.fromkeys(keys)]
