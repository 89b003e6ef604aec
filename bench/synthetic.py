"""Builds a synthetic library of N conditions for benchmarks: the real seed plus generated conditions that
reuse the real vocabulary and words, written through the real seed pipeline (migrations, writer, index).

    python bench/synthetic.py 10000 bench/.data/synthetic-10000.db
"""

import random
import sys
import time
from pathlib import Path

from sqlmodel import Session

from app import migrations
from app.content import search_index
from app.content.icd10 import load_code_set
from app.content.library import Library, load_library
from app.content.parser import ParsedCondition
from app.content.schema import ConditionDocument, FaqIn, FrontMatter, PageItem, Section
from app.content.search_index import words
from app.content.seed import apply_library
from app.core.db import create_db_engine
from app.core.paths import SEED_DIR
from app.models import ReferenceData


def _section(rng: random.Random, slugs: list[str], count: int, pool: list[str]) -> Section:
    chosen = rng.sample(slugs, count)
    return Section(
        intro=None,
        items=tuple(
            PageItem(text=" ".join(rng.choices(pool, k=6)).capitalize() + ".", terms=(slug,), line=0) for slug in chosen
        ),
    )


def synthetic_library(size: int, seed: int = 42) -> Library:
    real = load_library(SEED_DIR, load_code_set())
    rng = random.Random(seed)
    pool = sorted({w for c in real.conditions for w in words(c.document.model_dump_json()) if len(w) > 3})
    symptoms = [t.term.slug for t in real.symptoms]
    causes = [t.term.slug for t in real.causes]
    treatments = [t.term.slug for t in real.treatments]
    template = real.conditions[0].document.front
    generated = []
    for index in range(size - len(real.conditions)):
        name_words = rng.sample(pool, 3)
        front = FrontMatter.model_validate(
            {
                **template.model_dump(exclude={"codes", "related", "editor_notes", "duration"}),
                "slug": f"synthetic-{index:06d}-{'-'.join(name_words)}",
                "name": " ".join(name_words).capitalize(),
                "aliases": [f"{' '.join(rng.sample(pool, 2))} {index}"],
                "summary": " ".join(rng.choices(pool, k=20)).capitalize() + ".",
            }
        )
        document = ConditionDocument(
            front=front,
            description=" ".join(rng.choices(pool, k=60)).capitalize() + ".",
            symptoms=_section(rng, symptoms, rng.randint(3, 7), pool),
            causes=_section(rng, causes, 2, pool),
            treatments=_section(rng, treatments, 3, pool),
            faqs=(FaqIn(question="What is it?", answer=" ".join(rng.choices(pool, k=30)) + "."),),
        )
        generated.append(ParsedCondition(path=Path(f"synthetic/{front.slug}.md"), document=document, lines={}))
    return Library(real.conditions + generated, real.symptoms, real.causes, real.treatments)


def build(size: int, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    started = time.monotonic()
    migrations.upgrade(url)
    engine = create_db_engine(url)
    apply_library(engine, synthetic_library(size), load_code_set(), track_changes=False)
    engine.dispose()
    sys.stdout.write(f"built {path} with {size} conditions in {time.monotonic() - started:.0f} s\n")


def reindex_if_stale(path: Path) -> None:
    """Bring a cached library to the current migration, and rebuild its search index when the index format
    changed since it was built."""
    migrations.upgrade(f"sqlite:///{path}")
    engine = create_db_engine(f"sqlite:///{path}")
    with Session(engine) as session, session.begin():
        built = session.get(ReferenceData, search_index.NAME)
        if built is None or built.version != search_index.VERSION:
            search_index.rebuild(session.connection())
            session.merge(ReferenceData(name=search_index.NAME, version=search_index.VERSION))
            sys.stdout.write(f"re-indexed {path}\n")
    engine.dispose()


if __name__ == "__main__":
    build(int(sys.argv[1]), Path(sys.argv[2]))
