"""`/v1/codes/{system}/{code}`: the conditions for a code of a standard system, answered from the database.

ICD-10-CM, MONDO and HPO are answered against the releases the seed copied (a code the release lacks is a
404); SNOMED CT only from the codes conditions carry, since no SNOMED CT release may be redistributed.
"""

from typing import Annotated

from fastapi import APIRouter, Path
from sqlmodel import Session

from app.api.deps import DatabaseDep
from app.api.params import CODE_PATTERNS
from app.core.errors import NotFound
from app.models import ReferenceData
from app.models import public as api
from app.models.code_systems import CodeSystem, hpo_attribution, mondo_attribution
from app.models.codes import ontology_release_key
from app.models.public import CodeLookup, PhenotypeLookup
from app.queries.codes import conditions_for, symptoms_for_hpo
from app.representation import presenters

router = APIRouter(prefix="/codes", tags=["codes"])


def _code_path(system: CodeSystem, example: str, note: str = "") -> object:
    description = f"A {system.label} code: {system.spec.shape}.{note}"
    return Path(pattern=CODE_PATTERNS[system], description=description, examples=[example])


@router.get("/icd10/{code}", response_model=CodeLookup)
async def get_icd10_conditions(
    code: Annotated[str, _code_path(CodeSystem.ICD10, "M62.830", " Either case, the dot optional.")],
    db: DatabaseDep,
) -> CodeLookup:
    """Find the conditions for an ICD-10-CM code: exact matches first, else the nearest ancestor's."""
    return await db.run(code_lookup, CodeSystem.ICD10, code)


@router.get("/snomed/{code}", response_model=CodeLookup)
async def get_snomed_conditions(
    code: Annotated[str, _code_path(CodeSystem.SNOMED, "279039007")], db: DatabaseDep
) -> CodeLookup:
    """Find the conditions that carry a SNOMED CT concept id (exact matches only: no SNOMED CT release may be
    redistributed, so the server knows only the concepts its conditions carry, and names them with the
    editor's display)."""
    return await db.run(code_lookup, CodeSystem.SNOMED, code)


@router.get("/mondo/{code}", response_model=CodeLookup)
async def get_mondo_conditions(
    code: Annotated[str, _code_path(CodeSystem.MONDO, "MONDO:0024333")], db: DatabaseDep
) -> CodeLookup:
    """Find the conditions that carry a MONDO disease id, named with the MONDO release's label."""
    return await db.run(code_lookup, CodeSystem.MONDO, code)


@router.get("/hpo/{code}", response_model=PhenotypeLookup)
async def get_hpo_symptoms(
    code: Annotated[str, _code_path(CodeSystem.HPO, "HP:0003419")], db: DatabaseDep
) -> PhenotypeLookup:
    """Find the symptoms mapped to an HPO term, and the conditions that list them."""
    return await db.run(phenotype_lookup, code)


def _parsed(system: CodeSystem, written: str) -> str:
    wanted = system.spec.parse(written)
    if wanted is None:  # the pattern admits it; only SNOMED CT's check digit and partition are left to fail
        raise NotFound(f"'{written}' is not a {system.label} concept id: {system.spec.shape}.")
    return wanted


def code_lookup(session: Session, system: CodeSystem, written: str) -> CodeLookup:
    wanted = _parsed(system, written)
    match = conditions_for(session, system, wanted)
    if match is None:
        if system is CodeSystem.SNOMED:
            raise NotFound(
                f"No condition carries SNOMED CT concept {wanted}. This server holds no SNOMED CT release (none may "
                "be redistributed), so it knows only the concepts its conditions carry."
            )
        held = "code set" if system is CodeSystem.ICD10 else "release"
        raise NotFound(f"'{wanted}' is not in the {system.label} {held} this server holds.")
    return CodeLookup(
        system=system.label,
        code=presenters.code_ref(match.code),
        matched=presenters.code_ref(match.matched) if match.matched else None,
        exact=match.matched is not None and match.matched.code == match.code.code,
        conditions=[
            api.CodedCondition(**presenters.condition_summary(condition).model_dump(), match=match.mapping(condition))
            for condition in match.conditions
        ],
        attribution=mondo_attribution(_release(session, system)) if system is CodeSystem.MONDO else None,
    )


def _release(session: Session, system: CodeSystem) -> str:
    """The release of an ontology the seed copied, as the database records it."""
    marker = session.get(ReferenceData, ontology_release_key(system.value))
    return marker.version if marker else "unknown"


def phenotype_lookup(session: Session, written: str) -> PhenotypeLookup:
    wanted = _parsed(CodeSystem.HPO, written)
    match = symptoms_for_hpo(session, wanted)
    if match is None:
        raise NotFound(f"'{wanted}' is not a current term of the HPO release this server holds.")
    return PhenotypeLookup(
        system=CodeSystem.HPO.label,
        code=presenters.code_ref(match.term),
        url=str(CodeSystem.HPO.spec.iri(wanted)),
        symptoms=[presenters.symptom_summary(symptom) for symptom in match.symptoms],
        conditions=[presenters.condition_summary(condition) for condition in match.conditions],
        attribution=hpo_attribution(_release(session, CodeSystem.HPO)),
    )
