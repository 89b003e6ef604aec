"""`/v1/codes/icd10/{code}`: the conditions for an ICD-10-CM code, answered from the seeded code table."""

from fastapi import APIRouter
from sqlmodel import Session

from app.api import presenters
from app.api.deps import DatabaseDep
from app.core.errors import InvalidParam, InvalidParameters, NotFound
from app.models.codes import ICD10_SHAPE, ICD10_SYSTEM, parse_icd10
from app.models.public import CodeLookup
from app.queries.codes import conditions_for_code

router = APIRouter(prefix="/codes", tags=["codes"])


@router.get("/icd10/{code}", response_model=CodeLookup)
async def get_icd10_conditions(code: str, db: DatabaseDep) -> CodeLookup:
    """Find the conditions for an ICD-10-CM code: exact matches first, else the nearest ancestor's."""
    wanted = parse_icd10(code)
    if wanted is None:
        reason = f"is not shaped like an ICD-10-CM code: {ICD10_SHAPE}"
        raise InvalidParameters(
            f"Path parameter 'code': '{code[:40]}' {reason}.",
            errors=[InvalidParam(name="code", location="path", reason=reason)],
        )
    return await db.run(code_lookup, wanted)


def code_lookup(session: Session, wanted: str) -> CodeLookup:
    match = conditions_for_code(session, code=wanted)
    if match is None:
        raise NotFound(f"'{wanted}' is not in the ICD-10-CM code set this server holds.")
    return CodeLookup(
        system=ICD10_SYSTEM,
        code=presenters.code_ref(match.code),
        matched=presenters.code_ref(match.matched) if match.matched else None,
        exact=match.matched is not None and match.matched.code == match.code.code,
        conditions=[presenters.condition_summary(condition) for condition in match.conditions],
    )
