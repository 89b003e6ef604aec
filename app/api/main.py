"""The `/v1` router: every resource router, with the checks and error responses they share."""

from fastapi import APIRouter, Depends

from app.api.deps import reject_unknown_query_params
from app.api.routes import codes, conditions, languages, search, sync, vocabulary
from app.core.errors import PROBLEM_RESPONSES
from app.representation.presenters import API_PREFIX

api_router = APIRouter(
    prefix=API_PREFIX, dependencies=[Depends(reject_unknown_query_params)], responses=PROBLEM_RESPONSES
)
for router in (
    conditions.router,
    vocabulary.symptoms,
    vocabulary.causes,
    vocabulary.treatments,
    codes.router,
    search.router,
    sync.router,
    languages.router,
):
    api_router.include_router(router)
