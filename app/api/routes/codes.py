"""`/v1/codes/{system}/{code}`: the conditions for a code of a standard system, answered from the database.

ICD-10-CM, MONDO and HPO are answered against the releases the seed copied (a code the release lacks is a
404); SNOMED CT only from the codes conditions carry, since no SNOMED CT release may be redistributed.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from sqlmodel import Session

from app.api.content_language import answered_in
from app.api.deps import DatabaseDep
from app.api.languages import LanguageDep
from app.api.params import CODE_PATTERNS
from app.core.errors import NotFound
from app.core.locales import DEFAULT, Negotiated
from app.models import ReferenceData
from app.models import public as api
from app.models.code_systems import CodeSystem, hpo_attribution, mondo_attribution
from app.models.codes import ontology_release_key
from app.models.public import CodeLookup, PhenotypeLookup
from app.queries.codes import conditions_for, symptoms_for_hpo
from app.representation import presenters
from app.representation.localize import localize_record, words_for

router = APIRouter(prefix="/codes", tags=["codes"])


def _code_path(system: CodeSystem, example: str, note: str = "") -> object:
    description = f"A {system.label} code: {system.spec.shape}.{note}"
    return Path(pattern=CODE_PATTERNS[system], description=description, examples=[example])


@router.get("/icd10/{code}", response_model=CodeLookup)
async def get_icd10_conditions(
    code: Annotated[str, _code_path(CodeSystem.ICD10, "M62.830", " Either case, the dot optional.")],
    request: Request,
    db: DatabaseDep,
    language: LanguageDep,
) -> CodeLookup:
    """Find the conditions for an ICD-10-CM code: exact matches first, else the nearest ancestor's."""
    answered_in(request, language.language)
    return await db.run(code_lookup, CodeSystem.ICD10, code, language)


@router.get("/snomed/{code}", response_model=CodeLookup)
async def get_snomed_conditions(
    code: Annotated[str, _code_path(CodeSystem.SNOMED, "279039007")],
    request: Request,
    db: DatabaseDep,
    language: LanguageDep,
) -> CodeLookup:
    """Find the conditions that carry a SNOMED CT concept id (exact matches only: no SNOMED CT release may be
    redistributed, so the server knows only the concepts its conditions carry, and names them with the
    editor's display)."""
    answered_in(request, language.language)
    return await db.run(code_lookup, CodeSystem.SNOMED, code, language)


@router.get("/mondo/{code}", response_model=CodeLookup)
async def get_mondo_conditions(
    code: Annotated[str, _code_path(CodeSystem.MONDO, "MONDO:0024333")],
    request: Request,
    db: DatabaseDep,
    language: LanguageDep,
) -> CodeLookup:
    """Find the conditions that carry a MONDO disease id, named with the MONDO release's label."""
    answered_in(request, language.language)
    return await db.run(code_lookup, CodeSystem.MONDO, code, language)


@router.get("/hpo/{code}", response_model=PhenotypeLookup)
async def get_hpo_symptoms(
    code: Annotated[str, _code_path(CodeSystem.HPO, "HP:0003419")],
    request: Request,
    db: DatabaseDep,
    language: LanguageDep,
) -> PhenotypeLookup:
    """Find the symptoms mapped to an HPO term, and the conditions that list them."""
    answered_in(request, language.language)
    return await db.run(phenotype_lookup, code, language)


def _parsed(system: CodeSystem, written: str) -> str:
    wanted = system.spec.parse(written)
    if wanted is None:  # the pattern admits it; only SNOMED CT's check digit and partition are left to fail
        raise NotFound(f"'{written}' is not a {system.label} concept id: {system.spec.shape}.")
    return wanted


def code_lookup(session: Session, system: CodeSystem, written: str, asked: Negotiated = DEFAULT) -> CodeLookup:
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
    found = CodeLookup(
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
    return localize_record(found, words_for(session, asked.language, [found]), asked)


def _release(session: Session, system: CodeSystem) -> str:
    """The release of an ontology the seed copied, as the database records it."""
    marker = session.get(ReferenceData, ontology_release_key(system.value))
    return marker.version if marker else "unknown"


def phenotype_lookup(session: Session, written: str, asked: Negotiated = DEFAULT) -> PhenotypeLookup:
    wanted = _parsed(CodeSystem.HPO, written)
    match = symptoms_for_hpo(session, wanted)
    if match is None:
        raise NotFound(f"'{wanted}' is not a current term of the HPO release this server holds.")
    found = PhenotypeLookup(
        system=CodeSystem.HPO.label,
        code=presenters.code_ref(match.term),
        url=str(CodeSystem.HPO.spec.iri(wanted)),
        symptoms=[presenters.symptom_summary(symptom) for symptom in match.symptoms],
        conditions=[presenters.condition_summary(condition) for condition in match.conditions],
        attribution=hpo_attribution(_release(session, CodeSystem.HPO)),
    )
    return localize_record(found, words_for(session, asked.language, [found]), asked)
