"""`/v1/conditions`: the condition list and the full condition record."""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from pydantic import StringConstraints
from sqlmodel import Session

from app.api.condition_lookup import Canonical, find_condition, redirect_to_canonical
from app.api.content_language import answered_in
from app.api.deps import AfterDep, DatabaseDep, LimitQuery, SettingsDep
from app.api.encoded import json_bytes, json_response
from app.api.languages import LanguageDep
from app.api.links import next_cursor, set_next_link
from app.api.negotiation import negotiated
from app.api.params import CODE_PATTERNS, ICD10_PATTERN, Slug, comma_list, comma_list_pattern
from app.core.config import Settings
from app.core.locales import DEFAULT, Negotiated, message
from app.models.code_systems import CodeSystem
from app.models.public import (
    ConditionDetail,
    ConditionMatch,
    ConditionPage,
    GivenSymptom,
    MatchResult,
    RedFlagMatch,
)
from app.queries import conditions, match
from app.queries.pagination import DEFAULT_LIMIT
from app.representation import presenters
from app.representation.jsonld import JSONLD_MEDIA_TYPE, JSONLD_SCHEMA, condition_jsonld
from app.representation.localize import localize_condition, localize_record, localize_summaries, words_for

router = APIRouter(prefix="/conditions", tags=["conditions"])

DETAIL_FIELDS = tuple(ConditionDetail.model_fields)
FIELD_LIST_PATTERN = comma_list_pattern(DETAIL_FIELDS)
MAX_FIELD_LIST_LENGTH = 1_000  # every field name once, with room for repeats
REPEAT_TO_REQUIRE = "Repeat to require several. A slug that names nothing is a 404 `unknown-reference` problem."


@router.get("", response_model=ConditionPage)
async def list_conditions(
    request: Request,
    response: Response,
    db: DatabaseDep,
    after: AfterDep,
    language: LanguageDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    symptom: Annotated[
        list[Slug], Query(description=f"Only conditions with this symptom (slug). {REPEAT_TO_REQUIRE}")
    ] = [],  # noqa: B006 (FastAPI copies defaults per request)
    cause: Annotated[
        list[Slug], Query(description=f"Only conditions with this cause (slug). {REPEAT_TO_REQUIRE}")
    ] = [],  # noqa: B006
    treatment: Annotated[
        list[Slug], Query(description=f"Only conditions with this treatment (slug). {REPEAT_TO_REQUIRE}")
    ] = [],  # noqa: B006
    specialty: Annotated[
        str | None,
        Query(description="Only conditions of this specialty (case-insensitive).", examples=["Spine"]),
    ] = None,
    expand: Annotated[
        str | None,
        Query(
            pattern=FIELD_LIST_PATTERN,
            max_length=MAX_FIELD_LIST_LENGTH,
            description="Comma-separated fields of the full record to add to each item (e.g. `symptoms,codes`).",
        ),
    ] = None,
    icd10: Annotated[
        str | None,
        Query(
            pattern=ICD10_PATTERN,
            description="Only conditions with this ICD-10-CM code, else with its nearest coded ancestor "
            "(as `/v1/codes/icd10/{code}` answers). The dot is optional. A code the server does not hold is a 404 "
            "`unknown-reference` problem.",
            examples=["M62.830"],
        ),
    ] = None,
    snomed: Annotated[
        str | None,
        Query(
            pattern=CODE_PATTERNS[CodeSystem.SNOMED],
            description="Only conditions carrying this SNOMED CT concept id (exact matches). An id whose check "
            "digit is wrong is a 404 `unknown-reference` problem.",
            examples=["279039007"],
        ),
    ] = None,
    mondo: Annotated[
        str | None,
        Query(
            pattern=CODE_PATTERNS[CodeSystem.MONDO],
            description="Only conditions carrying this MONDO id (exact matches). An id the MONDO release the server "
            "holds lacks is a 404 `unknown-reference` problem.",
            examples=["MONDO:0024333"],
        ),
    ] = None,
) -> ConditionPage | JSONResponse:
    """List conditions, ordered by slug, filtered by symptoms, causes, treatments, specialty and codes
    (ICD-10-CM, SNOMED CT, MONDO)."""
    filters = conditions.ConditionFilters(
        symptoms=symptom,
        causes=cause,
        treatments=treatment,
        specialty=specialty,
        codes={CodeSystem.ICD10: icd10, CodeSystem.SNOMED: snomed, CodeSystem.MONDO: mondo},
    )
    added = comma_list(expand, DETAIL_FIELDS) if expand else None
    page = await db.run(condition_page, filters=filters, after=after, limit=limit, expand=added, asked=language)
    answered_in(request, language.language)
    set_next_link(request, response, page.next_cursor)
    if isinstance(page, ConditionPage):
        return page
    link = response.headers.get("link")
    return JSONResponse(page.body, headers={"link": link} if link else None)


@dataclass(frozen=True)
class ExpandedPage:
    """A page whose items carry full-record fields (`expand=`): already JSON, so no model re-validates it."""

    body: dict[str, Any]
    next_cursor: str | None


def condition_page(
    session: Session,
    *,
    filters: conditions.ConditionFilters,
    after: str | None,
    limit: int,
    expand: list[str] | None,
    asked: Negotiated = DEFAULT,
) -> ConditionPage | ExpandedPage:
    rows, total = conditions.list_conditions(session, filters=filters, after=after, limit=limit)
    cursor = next_cursor([row.slug for row in rows], limit=limit)
    summaries = [presenters.condition_summary(row) for row in rows]
    if not expand:
        items = localize_summaries(summaries, words_for(session, asked.language, summaries), asked)
        return ConditionPage(items=items, next_cursor=cursor, total=total)
    # Expansion loads the page's full records in a fixed number of queries, then keeps the fields asked for.
    ids = [row.id for row in rows if row.id is not None]
    caused = conditions.can_lead_to_by_condition(session, ids=ids) if "can_lead_to" in expand else {}
    details = [
        presenters.condition_detail(c, can_lead_to=caused.get(c.id or 0, []))
        for c in conditions.with_links(session, ids=ids)
    ]
    words = words_for(session, asked.language, details)  # the records name their own entries and every link
    localized_details = (localize_condition(detail, words, asked) for detail in details)
    full = {detail.slug: detail.model_dump(mode="json", include=set(expand)) for detail in localized_details}
    items = localize_summaries(summaries, words, asked)
    body = ConditionPage(items=items, next_cursor=cursor, total=total).model_dump(mode="json")
    for item in body["items"]:
        item.update({name: full[item["slug"]][name] for name in expand})
    return ExpandedPage(body, cursor)


# Each value that is not a slug costs a search, so the count is the cost bound; a symptom's name is a few
# words, so longer free text is refused rather than searched.
MAX_SYMPTOMS = 10
MAX_SYMPTOM_LENGTH = 100
SymptomValue = Annotated[str, StringConstraints(min_length=1, max_length=MAX_SYMPTOM_LENGTH)]


@router.get("/match", response_model=MatchResult)
async def match_conditions(
    request: Request,
    db: DatabaseDep,
    language: LanguageDep,
    symptom: Annotated[
        list[SymptomValue],
        Query(
            min_length=1,
            max_length=MAX_SYMPTOMS,
            description=f"A symptom: its slug, or words that name it (up to {MAX_SYMPTOM_LENGTH} characters, "
            f"resolved through search). Repeat for several, at most {MAX_SYMPTOMS}. A value that names no symptom "
            "is a 404 `unknown-reference` problem naming it.",
            examples=["low-back-pain"],
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=50, description="At most this many conditions.")] = 10,
) -> Response:
    """Rank conditions by how well their symptoms cover the given ones (information, not a diagnosis)."""
    answered_in(request, language.language)
    return json_response(await db.run(encoded_match_result, symptom, limit=limit, asked=language))


def encoded_match_result(session: Session, symptoms: list[str], *, limit: int, asked: Negotiated = DEFAULT) -> bytes:
    result = match_result(session, symptoms, limit=limit, language=asked.language)
    # Names, summaries and the notice in the language asked for; the ranking is the same in every language.
    return json_bytes(localize_record(result, words_for(session, asked.language, [result]), asked))


def match_result(session: Session, symptoms: list[str], *, limit: int, language: str = DEFAULT.language) -> MatchResult:
    resolved = match.resolve_symptoms(session, symptoms)
    ids = [r.symptom.id for r in resolved if r.symptom.id is not None]
    return MatchResult(
        notice=message(language, "not_a_diagnosis"),
        given=[
            GivenSymptom(query=r.query, symptom=presenters.symptom_ref(r.symptom), resolved_by=r.resolved_by)
            for r in resolved
        ],
        red_flags=[
            RedFlagMatch(
                condition=presenters.condition_link(flag.condition),
                symptoms=[presenters.symptom_ref(s) for s in flag.symptoms],
            )
            for flag in match.red_flags(session, ids)
        ],
        items=[
            ConditionMatch(
                condition=presenters.condition_summary(ranked.condition),
                score=ranked.score,
                matched=[presenters.symptom_ref(s) for s in ranked.matched],
                not_given=[presenters.symptom_ref(s) for s in ranked.not_given],
            )
            for ranked in match.rank_conditions(session, ids, limit=limit)
        ],
    )


# JSON-LD is documented at its own path only: one media type per answer keeps generated clients' types exact.
RECORD_DESCRIPTION = (
    "The condition's record (`ConditionDetail`); with `fields=`, a `ConditionFields` holding only those fields. "
    "Clients that send `Accept: application/ld+json` get the schema.org JSON-LD of "
    "`GET /v1/conditions/{slug}/jsonld` instead."
)
SLUG_RESPONSES: dict[int | str, dict[str, object]] = {
    301: {"description": "The slug is an alias (or differs in case): `Location` has the canonical URL."}
}


def _jsonld_response(detail: ConditionDetail, settings: Settings) -> JSONResponse:
    return JSONResponse(condition_jsonld(detail, base_url=settings.base_url), media_type=JSONLD_MEDIA_TYPE)


@router.get(
    "/{slug}",
    response_model=ConditionDetail,
    responses={
        **SLUG_RESPONSES,
        200: {"description": RECORD_DESCRIPTION},
    },
)
async def get_condition(
    slug: str,
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    language: LanguageDep,
    fields: Annotated[
        str | None,
        Query(
            pattern=FIELD_LIST_PATTERN,
            max_length=MAX_FIELD_LIST_LENGTH,
            description="Comma-separated top-level fields to return (e.g. `name,symptoms,duration`); all by default. "
            "The answer is then a `ConditionFields`: the record with only those fields. JSON only.",
            examples=["name,symptoms,duration"],
        ),
    ] = None,
) -> ConditionDetail | RedirectResponse | JSONResponse:
    """Get the full record of a condition: causes, symptoms, treatments, FAQs, duration, codes, review data."""
    wanted = comma_list(fields, DETAIL_FIELDS) if fields else None
    found = await find_condition(db, slug, language)
    if isinstance(found, Canonical):
        return redirect_to_canonical(request, found, presenters.condition_href)
    answered_in(request, found.language)
    if negotiated(request.headers.get("accept", "")) == JSONLD_MEDIA_TYPE:
        return _jsonld_response(found, settings)
    return JSONResponse(found.model_dump(mode="json", include=set(wanted))) if wanted else found


@router.get(
    "/{slug}/jsonld",
    summary="Get a condition as schema.org JSON-LD",
    response_model=None,
    response_class=Response,
    responses={
        **SLUG_RESPONSES,
        200: {"content": {JSONLD_MEDIA_TYPE: {"schema": JSONLD_SCHEMA}}},
    },
)
async def get_condition_jsonld(
    slug: str, request: Request, db: DatabaseDep, settings: SettingsDep, language: LanguageDep
) -> JSONResponse | RedirectResponse:
    """Get a condition as schema.org JSON-LD, for clients that cannot set `Accept: application/ld+json`."""
    found = await find_condition(db, slug, language)
    if isinstance(found, Canonical):
        return redirect_to_canonical(request, found, lambda canonical: f"/v1/conditions/{canonical}/jsonld")
    answered_in(request, found.language)
    return _jsonld_response(found, settings)
