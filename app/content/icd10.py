"""The official ICD-10-CM code set, from the `simple-icd-10-cm` package.

Loading it costs ~3 s and ~190 MB, so only the seed and lint commands use it: seeding copies the table into
the database, and the server answers code look-ups from SQLite.
"""

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from types import ModuleType

from app.models.codes import ICD10_CODE_RE, ICD10_SYSTEM

PACKAGE = "simple-icd-10-cm"


@dataclass(frozen=True)
class CodeSet:
    module: ModuleType
    version: str

    def problem(self, code: str) -> str | None:
        """Why `code` cannot be used on a condition, or None when it is a valid, billable (leaf) code."""
        icd = self.module
        if not ICD10_CODE_RE.match(code) or not icd.is_valid_item(code):
            return f"{ICD10_SYSTEM} code '{code}' does not exist in the {self.version_label} release"
        if not icd.is_leaf(code):
            children = icd.get_children(code)
            shown = ", ".join(children[:3]) + (", …" if len(children) > 3 else "")
            return f"{ICD10_SYSTEM} code '{code}' is a category with more specific codes ({shown}); use one of them"
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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the package warns about its own deprecated internals on import
        import simple_icd_10_cm

    return CodeSet(module=simple_icd_10_cm, version=version(PACKAGE))
