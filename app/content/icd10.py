"""The official ICD-10-CM code set, from the `simple-icd-10-cm` package.

Loading it costs ~2-3 s and ~190 MB, so only the seed and lint commands use it, and only when they look a code
up: seeding copies the table into the database (the server answers code look-ups from SQLite), and a re-seed
whose changed files name no code does not load it at all.
"""

import importlib
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from types import ModuleType

from app.models.codes import ICD10_CODE_RE, ICD10_SYSTEM

PACKAGE = "simple-icd-10-cm"
LEAVES_SHOWN = 5  # of the codes under a category, in an error message


@lru_cache(maxsize=1)
def _module() -> ModuleType:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the package warns about its own deprecated internals on import
        return importlib.import_module("simple_icd_10_cm")


@dataclass(frozen=True)
class CodeSet:
    version: str  # the package's, known without loading it
    # Codes known to be billable without loading the package: a seeded database's copy of this release.
    billable: frozenset[str] = frozenset()

    @property
    def module(self) -> ModuleType:
        return _module()

    def problem(self, code: str) -> str | None:
        """Why `code` cannot be used on a condition, or None when it is a valid, billable (leaf) code."""
        if code in self.billable and ICD10_CODE_RE.match(code):
            return None
        icd = self.module
        if not ICD10_CODE_RE.match(code) or not icd.is_valid_item(code):
            return f"{ICD10_SYSTEM} code '{code}' does not exist in the {self.version_label} release"
        if not icd.is_leaf(code):
            # The leaves, not the children: a child may be a category too, and be refused in turn.
            leaves = [below for below in icd.get_descendants(code) if icd.is_leaf(below)]
            shown = ", ".join(leaves[:LEAVES_SHOWN])
            if len(leaves) > LEAVES_SHOWN:
                shown += f" and {len(leaves) - LEAVES_SHOWN} more"
            return f"{ICD10_SYSTEM} code '{code}' is a category; use one of the billable codes under it: {shown}"
        return None

    def description(self, code: str) -> str:
        return str(self.module.get_description(code))

    @property
    def version_label(self) -> str:
        return f"{PACKAGE} {self.version}"

    def rows(self) -> Iterator[tuple[str, str, str | None]]:
        """(code, description, parent) for every chapter, block, category and code."""
        icd = self.module
        # The package lists a few chapter-spanning blocks twice; the table keeps each code once.
        for code in dict.fromkeys(icd.get_all_codes(True)):
            parent = icd.get_parent(code)
            yield code, str(icd.get_description(code)), parent or None


@lru_cache(maxsize=1)
def load_code_set() -> CodeSet:
    """The installed release; its codes are loaded on the first look-up."""
    return CodeSet(version=version(PACKAGE))
