"""The condition files a database was seeded from, so that the next seed parses only the files that changed.

Each seed records, per condition file (table `content_file`): the SHA-256 of its bytes, the hash of its parsed
content, and a summary of what the checks across files read of it (slug, aliases, codes, related pages, the
terms each list item names, and their lines). The next seed takes a file whose bytes hash the same as known:
its summary joins the checks across files, which run on the whole library every time, and its condition's rows
are left alone. A summary is trusted only when

- the same parser made it (`parser_version` hashes the sources that decide what a file parses to, and the
  versions of the libraries they use, ICD-10-CM's release among them): a new rule in the parser or a new code
  set re-reads every file once;
- the condition's row still holds the content the summary was made with (its `content_hash`), whatever wrote
  the row since.

Any other file is parsed. A changed file hashes differently, so a summary never stands for other bytes.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlmodel import Session, col

from app.content import icd10, markdown_body, ontologies, parser, schema, slugs, validation, yaml_lines
from app.content.bulk import chunks, insert_rows
from app.content.parser import ConditionFile, FrontLinks, ItemTerms
from app.content.schema import CodeIn
from app.models import Condition, ContentFile, ReferenceData
from app.models import base as model_base
from app.models import code_systems as model_code_systems
from app.models import codes as model_codes

NAME = "content_files"  # its row in reference_data holds the parser version the summaries were made by
LINKED_KEYS = ("slug", "aliases", "codes", "related")  # the front matter keys the checks across files report at
_PARSER_MODULES = (
    parser,
    markdown_body,
    schema,
    validation,
    yaml_lines,
    slugs,
    model_base,
    model_codes,
    model_code_systems,
)
# The code set too: a known file's codes are not checked again.
_PARSER_PACKAGES = (
    "markdown-it-py",
    "PyYAML",
    "pydantic",
    "pydantic-core",
    "python-stdnum",
    icd10.PACKAGE,
    ontologies.HPO_PACKAGE,
    ontologies.MONDO_PACKAGE,
)


@lru_cache(maxsize=1)
def parser_version() -> str:
    digest = hashlib.sha256()
    for source in (*(Path(str(module.__file__)) for module in _PARSER_MODULES), Path(__file__)):
        digest.update(source.read_bytes())
    for package in _PARSER_PACKAGES:
        digest.update(f"{package}=={version(package)}".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class KnownFile:
    sha256: str
    summary: str  # JSON, decoded only when the file is unchanged


def relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def read(connection: Connection | Session) -> dict[str, KnownFile]:
    """The files the database was seeded from, by path relative to the content folder; none when another
    parser made them."""
    marker = connection.execute(select(col(ReferenceData.version)).where(col(ReferenceData.name) == NAME)).first()
    if marker is None or marker[0] != parser_version():
        return {}
    statement = select(col(ContentFile.path), col(ContentFile.sha256), col(ContentFile.summary)).join(
        Condition,
        (col(Condition.slug) == col(ContentFile.slug)) & (col(Condition.content_hash) == col(ContentFile.content_hash)),
    )
    return {path: KnownFile(sha256, summary) for path, sha256, summary in connection.execute(statement)}


def store(session: Session, root: Path, files: Iterable[ConditionFile], digests: Mapping[str, str]) -> None:
    """Record the files a seed read: `digests` holds the content hash of each parsed condition, by slug."""
    marker = session.get(ReferenceData, NAME)
    if marker is None or marker.version != parser_version():
        session.execute(delete(ContentFile))
        session.merge(ReferenceData(name=NAME, version=parser_version()))
        session.flush()
    stored = {path: sha for path, sha in session.execute(select(col(ContentFile.path), col(ContentFile.sha256)))}  # noqa: C416
    files = list(files)
    present = {relative(root, file.path) for file in files}
    gone = [path for path in stored if path not in present]
    rows = [
        {
            "path": relative(root, file.path),
            "sha256": file.sha256,
            "slug": file.slug,
            "content_hash": digests[file.slug],
            "summary": summarize(file),
        }
        for file in files
        if not file.known and file.slug is not None and file.sha256 is not None
    ]
    replaced = [row["path"] for row in rows if row["path"] in stored]
    for paths in chunks(gone + replaced):
        session.execute(delete(ContentFile).where(col(ContentFile.path).in_(paths)))
    insert_rows(session, ContentFile, rows)


def summarize(file: ConditionFile) -> str:
    """What the checks across files read of a valid file, as JSON."""
    return json.dumps(
        {
            "slug": file.slug,
            "aliases": list(file.links.aliases.items()),
            "codes": [(index, code.model_dump()) for index, code in file.links.codes.items()],
            "related": list(file.links.related.items()),
            "terms": {key: [(item.line, item.terms) for item in items] for key, items in file.term_links.items()},
            "lines": [(key, line) for key, line in file.lines.items() if key and key[0] in LINKED_KEYS],
            "faqs": file.faqs,
            "has_duration": file.has_duration,
        },
        ensure_ascii=False,
    )


def as_file(path: Path, known: KnownFile) -> ConditionFile:
    """The file at `path`, unchanged since the database was seeded from it, as its summary tells it."""
    data: dict[str, Any] = json.loads(known.summary)
    return ConditionFile(
        path=path,
        errors=[],
        slug=data["slug"],
        links=FrontLinks(
            aliases={index: alias for index, alias in data["aliases"]},  # noqa: C416
            codes={index: CodeIn.model_construct(**code) for index, code in data["codes"]},
            related={index: slug for index, slug in data["related"]},  # noqa: C416
        ),
        term_links={
            key: tuple(ItemTerms(line, tuple(terms)) for line, terms in items) for key, items in data["terms"].items()
        },
        lines={tuple(key): line for key, line in data["lines"]},
        faqs=data["faqs"],
        has_duration=data["has_duration"],
        sha256=known.sha256,
        known=True,
    )
