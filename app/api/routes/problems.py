"""`/problems/{slug}`: what each problem `type` URI means, so the URIs in error bodies lead somewhere."""

from fastapi import APIRouter
from pydantic import BaseModel

from app.core.errors import PROBLEM_RESPONSES, PROBLEM_TYPES, NotFound

router = APIRouter(prefix="/problems", tags=["problems"], responses=PROBLEM_RESPONSES)


class ProblemType(BaseModel):
    type: str
    title: str
    status: int
    description: str


_TYPES = {kind.slug: kind for kind in PROBLEM_TYPES}


@router.get("/{slug}", response_model=ProblemType)
async def get_problem_type(slug: str) -> ProblemType:
    """Describe a problem type named in an error's `type` field."""
    kind = _TYPES.get(slug)
    if kind is None:
        raise NotFound(f"No problem type '{slug}'. Known: {', '.join(sorted(_TYPES))}.")
    return ProblemType(type=kind.type_uri(), title=kind.title, status=kind.status, description=kind.description)
