"""The card's model: which parts of a condition it shows, their titles and default order, and what a visitor
reads when it cannot be shown. The widget and the condition pages render it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str


# The card's parts, in their default order: urgent-care advice comes right after the symptoms it is about.
SECTIONS = {
    section.key: section
    for section in (
        Section("summary", "About"),
        Section("symptoms", "Symptoms"),
        Section("red_flags", "When to seek urgent care"),
        Section("causes", "Causes"),
        Section("treatments", "Treatments"),
        Section("self_care", "Self-care"),
        Section("duration", "How long it lasts"),
        Section("faqs", "Questions and answers"),
    )
}

# What a visitor reads when a card cannot be shown: they cannot act on why (embed.js says the same words).
UNAVAILABLE = "This information is not available right now."


def chosen_sections(keys: list[str] | None) -> list[Section]:
    """The sections in the order asked for, once each; all of them by default."""
    if keys is None:
        return list(SECTIONS.values())
    return [SECTIONS[key] for key in dict.fromkeys(keys)]
