"""The one domain error of the query layer: a request named entries that do not exist."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    kind: str  # symptom, cause, treatment or icd10
    value: str


class UnknownReferences(LookupError):
    """Values that name no entry. Raised after checking all of them, so the caller can report every one."""

    def __init__(self, references: list[Reference]) -> None:
        super().__init__(", ".join(f"{r.kind} {r.value!r}" for r in references))
        self.references = references
