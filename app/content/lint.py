"""`conditions-api lint`: checks a content folder without touching any database.

Errors are what the seed pipeline refuses (schema, duplicate slugs or aliases, dangling links, invalid
ICD-10-CM codes, near-duplicate vocabulary names, missing source). Warnings are for the editor: overdue
reviews, code descriptions that differ from the official ones, and advice that contradicts itself.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from app.content.contradictions import Advice, contradictions
from app.content.errors import ContentErrors, display_path
from app.content.icd10 import CodeSet, load_code_set
from app.content.library import Library, load_library
from app.content.parser import ParsedCondition
from app.models.codes import ICD10_SYSTEM

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    path: Path
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}: {self.severity}: {self.message}"


def lint(root: Path, *, today: date) -> list[Finding]:
    codes = load_code_set()
    try:
        library = load_library(root, codes)
    except ContentErrors as exc:
        return [Finding(e.path, e.line, "error", e.message) for e in exc.errors]
    return sorted(_warnings(library, codes, today))


def _warnings(library: Library, codes: CodeSet, today: date) -> list[Finding]:
    findings = [Finding(gap.path, gap.line, "warning", gap.message) for gap in library.translation_gaps]
    for parsed in library.conditions:
        findings += _overdue(parsed, today)
        findings += _code_descriptions(parsed, codes)
        findings += _self_contradictions(parsed)
    return findings


def _overdue(parsed: ParsedCondition, today: date) -> list[Finding]:
    due = parsed.document.front.review.next_review_due
    if due >= today:
        return []
    line = parsed.line("review", "next_review_due")
    return [Finding(parsed.path, line, "warning", f"review overdue: next_review_due {due} is before {today}")]


def _code_descriptions(parsed: ParsedCondition, codes: CodeSet) -> list[Finding]:
    findings = []
    for index, code in enumerate(parsed.document.front.codes):
        if code.system != ICD10_SYSTEM:  # a MONDO id's label is checked at load; SNOMED CT has no release here
            continue
        official = codes.description(code.code)
        if code.display != official:
            findings.append(
                Finding(
                    parsed.path,
                    parsed.line("codes", index, "display"),
                    "warning",
                    f"display '{code.display}' differs from the official description of {code.code}: '{official}'",
                )
            )
    return findings


def _self_contradictions(parsed: ParsedCondition) -> list[Finding]:
    doc = parsed.document
    advice = [Advice(item.text, item.line) for item in (*doc.treatments.items, *doc.self_care.items)]
    return [
        Finding(
            parsed.path,
            found.forbidding.line,
            "warning",
            f"advice contradicts itself: '{found.forbidding.text}' against '{found.advising.text}' "
            f"(line {found.advising.line}), both about {', '.join(found.shared)}",
        )
        for found in contradictions(advice)
    ]
