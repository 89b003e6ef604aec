"""`/v1/symptoms`, `/v1/causes` and `/v1/treatments`: one router factory for the three vocabularies, each a
list ordered by slug and a detail with the conditions that list the term."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlmodel import Session

from app.api.content_language import answered_in
from app.api.deps import AfterDep, DatabaseDep, LimitQuery
from app.api.languages import LanguageDep
from app.api.links import next_cursor, set_next_link
from app.core.errors import NotFound
from app.core.locales import DEFAULT, Negotiated
from app.models import TreatmentKind
from app.models import public as api
from app.queries import vocabulary
from app.queries.pagination import DEFAULT_LIMIT
from app.queries.vocabulary import CAUSES, SYMPTOMS, TREATMENTS, Vocabulary
from app.representation import presenters
from app.representation.localize import localize_summaries, words_for
from app.representation.records import term_record


async def no_filters() -> dict[str, object]:
    return {}


def vocabulary_router(
    vocab: Vocabulary,
    *,
    page: type[api.Page],
    detail: type[api.TermDetail],
    summarize: Callable[[Any], Any],
    describe: Callable[..., Any],
    filters: Callable[..., Any] = no_filters,
    listed: str = "",
) -> APIRouter:
    """The list and detail routes of one vocabulary. Operation ids stay `list_<plural>` and `get_<name>`:
    generated clients name their methods after them. `filters` is a dependency giving column equalities."""
    plural = f"{vocab.name}s"
    router = APIRouter(prefix=f"/{plural}", tags=[plural])

    async def list_terms(
        request: Request,
        response: Response,
        db: DatabaseDep,
        after: AfterDep,
        language: LanguageDep,
        equals: Annotated[dict[str, object], Depends(filters)],
        limit: LimitQuery = DEFAULT_LIMIT,
    ) -> Any:
        def build(session: Session) -> api.Page:
            rows, total = vocabulary.list_terms(session, vocab, after=after, limit=limit, **equals)
            cursor = next_cursor([row.slug for row in rows], limit=limit)
            items = [summarize(row) for row in rows]
            items = localize_summaries(items, words_for(session, language.language, items), language)
            return page(items=items, next_cursor=cursor, total=total)

        built = await db.run(build)
        answered_in(request, language.language)
        set_next_link(request, response, built.next_cursor)
        return built

    async def get_term(slug: str, request: Request, db: DatabaseDep, language: LanguageDep) -> Any:
        record = await db.run(term_detail, vocab, slug, describe, language)
        answered_in(request, record.language)
        return record

    router.add_api_route(
        "",
        list_terms,
        methods=["GET"],
        response_model=page,
        name=f"list_{plural}",
        summary=f"List {plural.capitalize()}",
        description=f"List {plural}, ordered by slug{listed}.",
    )
    router.add_api_route(
        "/{slug}",
        get_term,
        methods=["GET"],
        response_model=detail,
        name=f"get_{vocab.name}",
        summary=f"Get {vocab.name.capitalize()}",
        description=f"Get a {vocab.name} and the conditions that list it.",
    )
    return router


def term_detail(
    session: Session, vocab: Vocabulary, slug: str, build: Callable[..., Any], asked: Negotiated = DEFAULT
) -> Any:
    """The term's record in the language asked for, or a 404 that says where the valid slugs are."""
    record = term_record(session, vocab, slug, build, asked)
    if record is None:
        raise NotFound(f"No {vocab.name} has the slug '{slug[:100]}'. GET /v1/{vocab.name}s lists them.")
    return record


async def treatment_filters(
    kind: Annotated[TreatmentKind | None, Query(description="Only treatments of this kind.")] = None,
) -> dict[str, object]:
    return {"kind": kind}


symptoms = vocabulary_router(
    SYMPTOMS,
    page=api.SymptomPage,
    detail=api.SymptomDetail,
    summarize=presenters.symptom_summary,
    describe=presenters.symptom_detail,
)
causes = vocabulary_router(
    CAUSES,
    page=api.CausePage,
    detail=api.CauseDetail,
    summarize=presenters.cause_summary,
    describe=presenters.cause_detail,
)
treatments = vocabulary_router(
    TREATMENTS,
    page=api.TreatmentPage,
    detail=api.TreatmentDetail,
    summarize=presenters.treatment_summary,
    describe=presenters.treatment_detail,
    filters=treatment_filters,
    listed=", optionally of one kind",
)
