"""The `/v1` router: every resource router, with the checks and error responses they share."""

from fastapi import APIRouter, Depends

from app.api.deps import reject_unknown_query_params
from app.api.routes import causes, codes, conditions, search, symptoms, sync, treatments
from app.core.errors import PROBLEM_RESPONSES

API_PREFIX = "/v1"
api_router = APIRouter(
    prefix=API_PREFIX, dependencies=[Depends(reject_unknown_query_params)], responses=PROBLEM_RESPONSES
)
for module in (conditions, symptoms, causes, treatments, codes, search, sync):
    api_router.include_router(module.router)
