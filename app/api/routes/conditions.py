"""`/v1/conditions`: the condition list and the full condition record."""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from sqlmodel import Session

from app.api import presenters
from app.api.condition_lookup import Canonical, find_condition, redirect_to_canonical
from app.api.deps import AfterDep, DatabaseDep, LimitQuery, SettingsDep
from app.api.links import next_cursor, set_next_link
from app.api.negotiation import negotiated
from app.api.structured_data import JSONLD_MEDIA_TYPE, JSONLD_SCHEMA, condition_jsonld
from app.core.config import Settings
from app.core.errors import InvalidParam, InvalidParameters
from app.models.public import (
    NOT_A_DIAGNOSIS,
    ConditionDetail,
    ConditionMatch,
    ConditionPage,
    GivenSymptom,
    MatchResult,
    RedFlagMatch,
)
from app.queries import conditions, match
from app.queries.pagination import DEFAULT_LIMIT

router = APIRouter(prefix="/conditions", tags=["conditions"])


@router.get("", response_model=ConditionPage)
async def list_conditions(
    request: Request,
    response: Response,
    db: DatabaseDep,
    after: AfterDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    symptom: Annotated[
        list[str], Query(description="Only conditions with this symptom (slug). Repeat to require several.")
    ] = [],  # noqa: B006 (FastAPI copies defaults per request)
    cause: Annotated[
        list[str], Query(description="Only conditions with this cause (slug). Repeat to require several.")
    ] = [],  # noqa: B006
    treatment: Annotated[
        list[str], Query(description="Only conditions with this treatment (slug). Repeat to require several.")
    ] = [],  # noqa: B006
    specialty: Annotated[
        str | None,
        Query(description="Only conditions of this specialty (case-insensitive).", examples=["Spine"]),
    ] = None,
    expand: Annotated[
        str | None,
        Query(description="Comma-separated fields of the full record to add to each item (e.g. `symptoms,codes`)."),
    ] = None,
    icd10: Annotated[
        str | None,
        Query(
            description="Only conditions with this ICD-10-CM code, else with its nearest coded ancestor "
            "(as `/v1/codes/icd10/{code}` answers). The dot is optional.",
            examples=["M62.830"],
        ),
    ] = None,
) -> ConditionPage | JSONResponse:
    """List conditions, ordered by slug, filtered by symptoms, causes, treatments, specialty and ICD-10-CM code."""
    filters = conditions.ConditionFilters(
        symptoms=symptom, causes=cause, treatments=treatment, specialty=specialty, icd10=icd10
    )
    added = detail_fields("expand", expand)
    page = await db.run(condition_page, filters=filters, after=after, limit=limit, expand=added)
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
    session: Session, *, filters: conditions.ConditionFilters, after: str | None, limit: int, expand: list[str] | None
) -> ConditionPage | ExpandedPage:
    rows, total = conditions.list_conditions(session, filters=filters, after=after, limit=limit)
    cursor = next_cursor([row.slug for row in rows], limit=limit)
    page = ConditionPage(items=[presenters.condition_summary(row) for row in rows], next_cursor=cursor, total=total)
    if not expand:
        return page
    # Expansion loads the page's full records in a fixed number of queries, then keeps the fields asked for.
    ids = [row.id for row in rows if row.id is not None]
    caused = conditions.can_lead_to_by_condition(session, ids=ids) if "can_lead_to" in expand else {}
    full = {
        c.slug: presenters.condition_detail(c, can_lead_to=caused.get(c.id or 0, [])).model_dump(
            mode="json", include=set(expand)
        )
        for c in conditions.with_links(session, ids=ids)
    }
    body = page.model_dump(mode="json")
    for item in body["items"]:
        item.update({name: full[item["slug"]][name] for name in expand})
    return ExpandedPage(body, cursor)


DETAIL_FIELDS = frozenset(ConditionDetail.model_fields)
MAX_FIELD_NAMES = len(DETAIL_FIELDS) * 2  # more names than that can only be repeats or junk


def detail_fields(parameter: str, value: str | None) -> list[str] | None:
    """Parse a comma-separated list of condition fields; an unknown name is a 422 listing the valid ones.

    The names come back in the record's own order, whatever order they were sent in: every worker and every
    spelling of the same request then gives the same bytes, and so the same ETag."""
    if value is None:
        return None
    names = {name.strip() for name in value.split(",", MAX_FIELD_NAMES)[:MAX_FIELD_NAMES] if name.strip()}
    unknown = sorted(names - DETAIL_FIELDS)[:5]
    if unknown or not names:
        reason = f"unknown field(s) {', '.join(repr(n) for n in unknown)}" if unknown else "no field named"
        reason += f"; choose from: {', '.join(sorted(DETAIL_FIELDS))}"
        raise InvalidParameters(
            f"Query parameter '{parameter}': {reason}.",
            errors=[InvalidParam(name=parameter, location="query", reason=reason)],
        )
    return [name for name in ConditionDetail.model_fields if name in names]


MAX_SYMPTOMS = 20
MAX_SYMPTOM_LENGTH = 100  # a symptom's name is a few words; longer free text is refused, not searched


@router.get("/match", response_model=MatchResult)
async def match_conditions(
    db: DatabaseDep,
    symptom: Annotated[
        list[str],
        Query(
            min_length=1,
            max_length=MAX_SYMPTOMS,
            description="A symptom: its slug, or words that name it (resolved through search; at most "
            f"{match.MAX_FREE_TEXT} free-text values of up to {MAX_SYMPTOM_LENGTH} characters). Repeat for several.",
            examples=["low-back-pain"],
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=50, description="At most this many conditions.")] = 10,
) -> MatchResult:
    """Rank conditions by how well their symptoms cover the given ones (information, not a diagnosis)."""
    too_long = [value for value in symptom if len(value) > MAX_SYMPTOM_LENGTH]
    if too_long:
        reason = f"at most {MAX_SYMPTOM_LENGTH} characters per symptom (a slug, or a few words that name one)"
        raise InvalidParameters(
            f"Query parameter 'symptom': {len(too_long)} value(s) too long; {reason}.",
            errors=[InvalidParam(name="symptom", location="query", reason=reason)],
        )
    return await db.run(match_result, symptom, limit=limit)


def match_result(session: Session, symptoms: list[str], *, limit: int) -> MatchResult:
    try:
        resolved, unknown = match.resolve_symptoms(session, symptoms)
    except match.TooMuchFreeText as exc:
        reason = f"at most {match.MAX_FREE_TEXT} values that are not symptom slugs (each is a search)"
        raise InvalidParameters(
            f"Query parameter 'symptom': {exc.count} values are not symptom slugs; {reason}. "
            "GET /v1/symptoms lists the slugs.",
            errors=[InvalidParam(name="symptom", location="query", reason=reason)],
        ) from exc
    if unknown:
        errors = [InvalidParam(name="symptom", location="query", reason=f"no symptom matches '{v}'") for v in unknown]
        names = ", ".join(f"'{v}'" for v in unknown)
        raise InvalidParameters(
            f"Query parameter 'symptom': no symptom matches {names}. GET /v1/symptoms lists them.", errors=errors
        )
    ids = [r.symptom.id for r in resolved if r.symptom.id is not None]
    return MatchResult(
        notice=NOT_A_DIAGNOSIS,
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


JSONLD_DESCRIPTION = (
    "With `Accept: application/ld+json`: schema.org JSON-LD, a `MedicalWebPage` about the `MedicalCondition` and "
    "its FAQs as a `FAQPage` (also at `GET /v1/conditions/{slug}/jsonld`)."
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
        200: {"description": JSONLD_DESCRIPTION, "content": {JSONLD_MEDIA_TYPE: {"schema": JSONLD_SCHEMA}}},
    },
)
async def get_condition(
    slug: str,
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    fields: Annotated[
        str | None,
        Query(
            description="Comma-separated top-level fields to return (e.g. `name,symptoms,duration`); all by default. "
            "JSON only.",
            examples=["name,symptoms,duration"],
        ),
    ] = None,
) -> ConditionDetail | RedirectResponse | JSONResponse:
    """Get the full record of a condition: causes, symptoms, treatments, FAQs, duration, codes, review data."""
    wanted = detail_fields("fields", fields)
    found = await find_condition(db, slug)
    if isinstance(found, Canonical):
        return redirect_to_canonical(request, found, presenters.condition_href)
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
    slug: str, request: Request, db: DatabaseDep, settings: SettingsDep
) -> JSONResponse | RedirectResponse:
    """Get a condition as schema.org JSON-LD, for clients that cannot set `Accept: application/ld+json`."""
    found = await find_condition(db, slug)
    if isinstance(found, Canonical):
        return redirect_to_canonical(request, found, lambda canonical: f"/v1/conditions/{canonical}/jsonld")
    return _jsonld_response(found, settings)
