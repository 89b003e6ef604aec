"""Writes small, valid condition files for tests that need more than the seed's one condition."""

from pathlib import Path


def condition_file(
    slug: str,
    *,
    name: str | None = None,
    specialty: str = "Spine",
    symptoms: tuple[str, ...] = ("low-back-pain",),
    causes: tuple[str, ...] = ("dehydration",),
    treatments: tuple[str, ...] = ("rest",),
    aliases: tuple[str, ...] = (),
    related: tuple[str, ...] = (),
) -> str:
    def items(kind: str, slugs: tuple[str, ...]) -> str:
        return "\n".join(f"- [{s.replace('-', ' ')}]({kind}:{s})." for s in slugs)

    return f"""---
slug: {slug}
name: {name or slug.replace("-", " ").capitalize()}
aliases: [{", ".join(aliases)}]
summary: Test condition {slug}.
specialty: {specialty}
body_area: Lower back
related: [{", ".join(related)}]
review:
  status: draft
  last_reviewed: 2026-01-01
  next_review_due: 2027-01-01
source:
  title: Test fixture
  attribution: Written for the test suite.
---

Description of {slug}.

## Causes

{items("cause", causes)}

## Symptoms

{items("symptom", symptoms)}

## Treatments

{items("treatment", treatments)}

## FAQ

### Is {slug} real?

No, it is a test fixture.
"""


def write_condition(folder: Path, slug: str, **fields: object) -> Path:
    path = folder / "conditions" / f"{slug}.md"
    path.write_text(condition_file(slug, **fields), encoding="utf-8")  # type: ignore[arg-type]
    return path
