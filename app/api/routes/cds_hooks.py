"""CDS Hooks 2.0 at `/cds-services` (the root, where the specification puts it): discovery, and the
`condition-education` service an EHR calls when a chart opens. We read only the prefetched conditions: the EHR's
FHIR server is never called, so a call without them gets no cards (a 200)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.api.bounded_body import MAX_BODY_BYTES, BoundedBodyRoute
from app.api.deps import DatabaseDep, SettingsDep, reject_unknown_query_params
from app.callers.ehr_tokens import EhrKeys, TokenRefused
from app.core.errors import PROBLEM_MEDIA_TYPE, PROBLEM_RESPONSES, InvalidEhrToken, Problem
from app.models.cds_hooks import CDS_SERVICES_PATH, CdsResponse, CdsServices, PatientViewRequest
from app.representation.cds_cards import CONDITION_EDUCATION, SERVICES, condition_cards


def _problem(description: str) -> dict[str, Any]:
    return {"model": Problem, "description": description, "content": {PROBLEM_MEDIA_TYPE: {}}}


router = APIRouter(
    prefix=CDS_SERVICES_PATH,
    tags=["cds-hooks"],
    dependencies=[Depends(reject_unknown_query_params)],
    route_class=BoundedBodyRoute,
    responses={status: spec for status, spec in PROBLEM_RESPONSES.items() if status not in (401, 404)},
)


EHR_JWT = HTTPBearer(
    auto_error=False,
    scheme_name="ehrJwt",
    bearerFormat="JWT",
    description="The EHR's JWT (CDS Hooks: ES384 or RS384, `aud` the service's URL), checked against the keys "
    "in the server's `CDS_HOOKS_KEYS`; without that setting the services are open and no token is needed.",
)


async def verify_ehr(
    request: Request,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(EHR_JWT)],
) -> None:
    """Checks the EHR's JWT when the server trusts keys (`CDS_HOOKS_KEYS`); without them every caller is let in."""
    keys: EhrKeys | None = request.app.state.ehr_keys
    if keys is None:
        return
    # The `aud` a token must carry is the service's URL under PUBLIC_URL (a service's route has no parameters),
    # never one built from the request's Host header: a token an EHR signed for another service must not pass
    # here because its bearer also sent that service's Host.
    route: APIRoute = request.scope["route"]
    try:
        keys.verify(credentials.credentials if credentials else None, audience=f"{settings.base_url}{route.path}")
    except TokenRefused as refused:
        raise InvalidEhrToken(str(refused)) from refused


@router.get("", response_model=CdsServices)
async def list_cds_services() -> CdsServices:
    """List the CDS Hooks services: what an EHR calls, on which hook, with which prefetch."""
    return CdsServices(services=list(SERVICES.values()))


@router.post(
    f"/{CONDITION_EDUCATION.id}",
    response_model=CdsResponse,
    dependencies=[Depends(verify_ehr)],
    responses={
        400: _problem("The body is not a CDS Hooks `patient-view` call (`invalid-body`); `errors` names the fields"),
        413: _problem(f"The body is larger than {MAX_BODY_BYTES} bytes (`body-too-large`)"),
        401: _problem("The EHR's JWT is missing or not accepted (`invalid-ehr-token`), when the server trusts keys"),
    },
)
async def call_condition_education(call: PatientViewRequest, db: DatabaseDep, settings: SettingsDep) -> CdsResponse:
    """Answer a `patient-view` call: a card linking our page for each active, coded condition we cover."""
    conditions = call.active_conditions()
    if not conditions:
        return CdsResponse(cards=[])
    return await db.run(condition_cards, conditions, hook_instance=call.hookInstance, base_url=settings.base_url)
