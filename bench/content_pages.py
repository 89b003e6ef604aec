"""Writes a content folder of N condition files for the seeding benchmark: the real `seed/` folder, plus pages
named after ICD-10-CM billable codes (one code each, title as the name, inclusion terms as aliases) whose
sections link the real vocabulary. Every page passes `conditions-api lint`; the same N and seed give the same
bytes.

    python bench/content_pages.py bench/.data/content-20000 [N]

The pages are generated placeholders, not medical content: about 400 words, six sections and four FAQs each,
so that parsing and writing cost what a real page costs.
"""

import random
import re
import shutil
import sys
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from app.content.contradictions import NEGATION
from app.content.slugs import slugify
from app.core.paths import SEED_DIR
from app.models.codes import ICD10_CODE_RE

DEFAULT_SIZE = 20_000
SLUG_MAX = 120
REVIEWED, REVIEW_DUE = date(2026, 11, 25), date(2027, 5, 25)  # the content schema's limit
# Chapters 20-22 (external causes, health-status factors, special purposes) name circumstances, not conditions.
CHAPTER_AREAS = {
    "1": ("Infectious disease", "Whole body"),
    "2": ("Oncology", "Whole body"),
    "3": ("Hematology", "Blood and immune system"),
    "4": ("Endocrinology", "Glands and metabolism"),
    "5": ("Psychiatry", "Mind and behavior"),
    "6": ("Neurology", "Nervous system"),
    "7": ("Ophthalmology", "Eyes"),
    "8": ("Otolaryngology", "Ears"),
    "9": ("Cardiology", "Heart and blood vessels"),
    "10": ("Pulmonology", "Lungs and airways"),
    "11": ("Gastroenterology", "Digestive system"),
    "12": ("Dermatology", "Skin"),
    "13": ("Orthopedics", "Muscles, bones and joints"),
    "14": ("Urology", "Kidneys and urinary tract"),
    "15": ("Obstetrics", "Pregnancy"),
    "16": ("Neonatology", "Newborns"),
    "17": ("Medical genetics", "Whole body"),
    "18": ("General medicine", "Whole body"),
    "19": ("Emergency medicine", "Whole body"),
}

OPENINGS = [
    "{name} is a condition that doctors record under the ICD-10-CM code {code}.",
    "{name} is the name clinicians use for the condition coded {code} in ICD-10-CM.",
    "Doctors record {name_lower} with the ICD-10-CM code {code}.",
]
CONTEXT = [
    "It belongs to the group of {parent_lower}, which the classification lists under {chapter_lower}.",
    "The classification places it among {parent_lower}, part of {chapter_lower}.",
    "It is one of the {parent_lower} in the chapter on {chapter_lower}.",
]
FILLER = [
    "How it shows itself differs from one person to the next, and many people notice only some of the signs "
    "described on this page.",
    "Most people are first seen by their family doctor, who may refer them to a specialist in {specialty_lower} "
    "when the signs do not settle or the cause is unclear.",
    "A clear description of when the problem started, what makes it better or worse and which medicines are "
    "already being taken helps the care team decide on the next steps.",
    "Tests are chosen to confirm the diagnosis and to rule out other conditions with similar signs; not every "
    "person needs every test.",
    "Many people recover fully with the right care, while others live with the condition for a long time and "
    "learn to manage it day to day.",
    "This page explains the usual causes and symptoms, the treatments a clinician may suggest, what you can do "
    "yourself and when to get help quickly.",
]
INTROS = {
    "causes": [
        "Several things can lead to {name_lower} or make it more likely:",
        "The most common causes and risk factors include:",
        "Doctors look for these causes when they see {name_lower}:",
    ],
    "symptoms": [
        "Some of the most common symptoms of {name_lower} include:",
        "People with {name_lower} often notice:",
        "The signs differ from person to person. They can include:",
    ],
    "treatments": [
        "Treatment depends on the cause, how severe the symptoms are and your general health. A clinician may "
        "recommend:",
        "Your care team will explain the options. The treatments most often used are:",
        "Treatment aims to ease the symptoms and treat the cause. It may include:",
    ],
}
ITEM_ENDINGS = {
    "cause": [
        "can bring it on or make it worse.",
        "is one of the recognised causes.",
        "raises the risk, especially when it lasts a long time.",
        "is found in many of the people who have it.",
    ],
    "symptom": [
        "that comes and goes over the day.",
        "that is often worse in the morning.",
        "which may get worse with activity.",
        "that can last for several days at a time.",
        "that some people notice only now and then.",
    ],
    "treatment": [
        "to ease the symptoms while the body heals.",
        "when simpler measures have not helped.",
        "for a limited time, as advised by your clinician.",
        "together with regular follow-up visits.",
    ],
    "self-care": [
        "most days, as far as comfort allows.",
        "at home, as your clinician has shown you.",
        "for short periods several times a day.",
    ],
    "red-flag": [
        "that comes on suddenly or is severe.",
        "together with a high temperature or feeling very unwell.",
        "that gets worse quickly over hours.",
    ],
}
FAQS = [
    (
        "What is {name_lower}?",
        "{name} is the condition recorded as {code} in ICD-10-CM. {context} Your clinician can explain what it "
        "means for you and which tests or treatments fit your situation.",
    ),
    (
        "How long does {name_lower} last?",
        "For many people it takes {duration}. Some recover sooner and others need longer, depending on the cause, "
        "their age and general health, and how soon treatment starts. If the symptoms are not improving after a "
        "few weeks, see your clinician again.",
    ),
    (
        "Can {name_lower} be prevented?",
        "Not always. Looking after your general health, treating related conditions early and following the "
        "advice you are given lowers the risk of it coming back or getting worse.",
    ),
    (
        "When should I see a doctor?",
        "See a doctor if the symptoms are new, severe, getting worse or not improving with self-care. Get urgent "
        "help for any of the warning signs listed on this page.",
    ),
]


@dataclass(frozen=True)
class Term:
    slug: str
    name: str
    kind: str | None = None  # treatments only


@dataclass(frozen=True)
class Vocabulary:
    symptoms: list[Term]
    causes: list[Term]
    treatments: list[Term]  # clinicians' (medication, procedure, therapy, device)
    self_care: list[Term]


def _vocabulary(root: Path) -> Vocabulary:
    def terms(name: str) -> list[Term]:
        entries: list[dict[str, Any]] = yaml.safe_load((root / "vocabulary" / name).read_text(encoding="utf-8"))
        return [Term(entry["slug"], entry["name"], entry.get("kind")) for entry in entries]

    treatments = terms("treatments.yaml")
    return Vocabulary(
        symptoms=terms("symptoms.yaml"),
        causes=terms("causes.yaml"),
        treatments=[t for t in treatments if t.kind != "self-care"],
        # Items share their endings: "Avoiding X most days" beside "Y most days" would read as a contradiction.
        self_care=[t for t in treatments if t.kind == "self-care" and not NEGATION.search(t.name)],
    )


def _plain(text: str) -> str:
    return " ".join(text.split())


def _markdown(text: str) -> str:
    """Official titles as Markdown text: brackets and the like stay words, never links or emphasis."""
    return re.sub(r"([\\`*_\[\]<>#])", r"\\\1", text)


def _first_lower(text: str) -> str:
    """ "Acute bronchitis" -> "acute bronchitis", but acronyms keep their case ("HIV disease")."""
    first = text.split(" ", 1)[0]
    return text if first[1:2].isupper() else text[:1].lower() + text[1:]


def _without_range(title: str) -> str:
    return re.sub(r"\s*\([A-Z0-9.]+-[A-Z0-9.]+\)$", "", title)


def _taken_names(root: Path) -> set[str]:
    """Slugs and alias slugs of the real pages: one namespace, which generated pages must not reuse."""
    taken = set()
    for path in (root / "conditions").glob("*.md"):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        taken.add(front["slug"])
        taken.update(slugify(alias) for alias in front.get("aliases", []))
    return taken


def _codes(icd: Any, count: int, rng: random.Random, used: set[str]) -> list[str]:
    """`count` billable codes from the condition chapters: those without a 7th-character extension first
    (their titles differ more), in a fixed random order."""
    plain, extended = [], []
    for code in icd.get_all_codes(True):
        if code in used or not icd.is_leaf(code) or not ICD10_CODE_RE.match(code):
            continue
        if icd.get_ancestors(code)[-1] not in CHAPTER_AREAS:
            continue
        (extended if icd.is_extended_subcategory(code) else plain).append(code)
    chosen = rng.sample(plain, min(count, len(plain)))
    if len(chosen) < count:
        chosen += rng.sample(extended, min(count - len(chosen), len(extended)))
    if len(chosen) < count:
        raise SystemExit(f"ICD-10-CM has only {len(chosen)} usable codes; asked for {count}")
    return chosen


def _slug(title: str, code: str, taken: set[str]) -> str:
    slug = slugify(title)
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0]
    if slug in taken:
        suffix = "-" + slugify(code)
        slug = slug[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return slug


@dataclass(frozen=True)
class Page:
    code: str
    slug: str
    name: str
    display: str  # the official description, exactly (lint warns when a page's display differs)
    aliases: list[str]
    parent: str  # the title of the category above the code
    chapter: str  # the chapter's number


def _pages(icd: Any, codes: list[str], taken: set[str]) -> list[Page]:
    pages = []
    for code in codes:
        display = str(icd.get_description(code))
        name = _plain(display)
        slug = _slug(name, code, taken)
        taken.add(slug)
        aliases = []
        for term in icd.get_inclusion_term(code)[:3]:
            alias = _plain(str(term))
            alias_slug = slugify(alias)
            if alias_slug and alias_slug not in taken and len(alias) <= 200:
                taken.add(alias_slug)
                aliases.append(alias)
        ancestors = icd.get_ancestors(code)
        parent = _without_range(_plain(str(icd.get_description(ancestors[0]))))
        pages.append(Page(code, slug, name, display, aliases, parent, chapter=ancestors[-1]))
    return pages


def _section(rng: random.Random, scheme: str, terms: list[Term], count: int, ending: str, intro: str = "") -> str:
    """A bullet list naming `count` of `terms`, after an optional intro."""
    lines = [intro, ""] if intro else []
    chosen = rng.sample(terms, count)
    while chosen:
        # Now and then one item names two terms, as real pages do ("Rest, ice and immobilization.").
        group = [chosen.pop()] + ([chosen.pop()] if chosen and rng.random() < 0.25 else [])
        words = " and ".join(
            f"[{_first_lower(term.name) if index else term.name}]({scheme}:{term.slug})"
            for index, term in enumerate(group)
        )
        lines.append(f"- {words} {rng.choice(ITEM_ENDINGS[ending])}")
    return "\n".join(lines)


def render(page: Page, icd: Any, vocabulary: Vocabulary, related: list[str], rng: random.Random) -> str:
    specialty, area = CHAPTER_AREAS[page.chapter]
    chapter_title = _without_range(_plain(str(icd.get_description(page.chapter))))
    low_days = rng.choice([3, 7, 14, 21, 28, 42, 60, 90])
    high_days = low_days * rng.choice([2, 3, 4])
    duration = f"about {low_days} to {high_days} days"
    fill = {
        "name": _markdown(page.name),
        "name_lower": _markdown(_first_lower(page.name)),
        "code": page.code,
        "parent_lower": _markdown(_first_lower(page.parent)),
        "chapter_lower": _markdown(_first_lower(chapter_title)),
        "specialty_lower": specialty.lower(),
        "duration": duration,
    }
    context = rng.choice(CONTEXT).format(**fill)

    def intro(section: str) -> str:
        return rng.choice(INTROS[section]).format(**fill)

    filler = [sentence.format(**fill) for sentence in rng.sample(FILLER, 5)]
    description = " ".join([rng.choice(OPENINGS).format(**fill), context, *filler[:3]])
    second = " ".join(filler[3:])
    front = {
        "slug": page.slug,
        "name": page.name,
        "aliases": page.aliases,
        "summary": f"{page.name}: a condition of the {area.lower()} recorded as {page.code} in ICD-10-CM.",
        "specialty": specialty,
        "body_area": area,
        "duration": {"min_days": low_days, "max_days": high_days, "text": duration},
        "codes": [{"system": "ICD-10-CM", "code": page.code, "display": page.display}],
        "related": related,
        "review": {"status": "draft", "last_reviewed": REVIEWED, "next_review_due": REVIEW_DUE},
        "source": {
            "title": f"ICD-10-CM {page.code} (generated benchmark page)",
            "attribution": "Generated by bench/content_pages.py from the ICD-10-CM title and the shared "
            "vocabulary, for benchmarks. Not medical content.",
        },
        "editor_notes": ["Generated for the seeding benchmark; the sections name vocabulary terms at random."],
    }
    # Block style, as editors write it; the dumper quotes what needs it (colons, brackets, tabs in titles).
    front_matter = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=110)
    faqs = "\n\n".join(
        f"### {question.format(**fill)}\n\n{answer.format(context=context, **fill)}" for question, answer in FAQS
    )
    sections = [
        f"# {fill['name']}",
        description,
        second,
        "## Causes",
        _section(rng, "cause", vocabulary.causes, rng.randint(2, 4), "cause", intro("causes")),
        "## Symptoms",
        _section(rng, "symptom", vocabulary.symptoms, rng.randint(3, 6), "symptom", intro("symptoms")),
        "## Treatments",
        _section(rng, "treatment", vocabulary.treatments, rng.randint(2, 4), "treatment", intro("treatments")),
        "## Self-care",
        _section(rng, "treatment", vocabulary.self_care, rng.randint(1, 3), "self-care"),
        "## When to seek urgent care",
        _section(rng, "symptom", vocabulary.symptoms, rng.randint(1, 2), "red-flag"),
        "## FAQ",
        faqs,
    ]
    return f"---\n{front_matter}---\n\n" + "\n\n".join(sections) + "\n"


def write_content(target: Path, size: int = DEFAULT_SIZE, seed: int = 42) -> Path:
    """Replace `target` with a content folder of `size` condition files; returns `target`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the package warns about its own internals on import
        import simple_icd_10_cm as icd

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(SEED_DIR, target, ignore=shutil.ignore_patterns("sources"))
    real = len(list((target / "conditions").glob("*.md")))
    rng = random.Random(seed)
    taken = _taken_names(target)
    used = set(re.findall(r"code: ([A-Z0-9.]+)", "".join(p.read_text() for p in (target / "conditions").glob("*.md"))))
    pages = _pages(icd, _codes(icd, max(size - real, 0), rng, used), taken)
    vocabulary = _vocabulary(target)
    by_parent: dict[str, list[Page]] = {}
    for page in pages:
        by_parent.setdefault(page.parent, []).append(page)
    for page in pages:
        siblings = [other.slug for other in by_parent[page.parent] if other is not page]
        related = rng.sample(siblings, min(len(siblings), rng.randint(0, 3)))
        text = render(page, icd, vocabulary, related, rng)
        (target / "conditions" / f"{page.slug}.md").write_text(text, encoding="utf-8")
    return target


if __name__ == "__main__":
    size = int(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_SIZE
    folder = write_content(Path(sys.argv[1]), size)
    sys.stdout.write(f"wrote {size} condition files to {folder}\n")
