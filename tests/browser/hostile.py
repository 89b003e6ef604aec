"""A condition whose every text field tries to run script, to show the card and the widget render it inert.

Every payload sets `window.__xss`; the browser tests assert it never gets set and no dialog opens."""

from pathlib import Path

SLUG = "hostile-entry"
SCRIPT = "<script>window.__xss='script'; alert(1)</script>"
ATTRIBUTE = '" onmouseover="window.__xss=\'attribute\'" x="'
IMAGE = "<img src=x onerror=\"window.__xss='img'\">"
# List items refuse raw HTML, but entities decode to the same characters in the item's text.
ENTITIES = "&lt;img src=x onerror=window.__xss=1&gt; &lt;script&gt;window.__xss=2&lt;/script&gt;"

DESCRIPTION = (
    f"Description {SCRIPT} and {IMAGE} and a [link](javascript:window.__xss='link') and "
    "<b onmouseover=\"window.__xss='b'\">bold</b>."
)


def _literal(text: str, indent: int = 2) -> str:
    """A YAML block scalar: the payloads' quotes need no escaping there."""
    return "|-\n" + " " * indent + text


CONTENT = f"""---
slug: {SLUG}
name: {_literal(f"Hostile {SCRIPT} entry")}
aliases:
  - {_literal(f"Hostile {ATTRIBUTE}", 4)}
summary: {_literal(f"Summary {IMAGE} {ATTRIBUTE}")}
specialty: {_literal(SCRIPT)}
body_area: Lower back
review:
  status: draft
  last_reviewed: 2026-01-01
  next_review_due: 2027-01-01
source:
  title: {_literal(f"Source {SCRIPT}", 4)}
  url: https://example.org/?q=%22%3E%3Cscript%3E
  attribution: {_literal(f"Attribution {IMAGE}", 4)}
---

{DESCRIPTION}

## Causes

- [Dehydration](cause:dehydration) {ENTITIES}

## Symptoms

- [Pain](symptom:pain) {ENTITIES}
  - Note: {ATTRIBUTE}

## Treatments

- [Rest](treatment:rest) {ATTRIBUTE}

## FAQ

### Question {SCRIPT}?

Answer {IMAGE} {SCRIPT}
"""


def write_hostile_condition(content: Path) -> None:
    (content / "conditions" / f"{SLUG}.md").write_text(CONTENT, encoding="utf-8")
