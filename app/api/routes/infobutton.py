"""`GET /infobutton`: HL7 Infobutton knowledge requests (the URL-based implementation guide), as EHRs send them
to MedlinePlus Connect: same parameters, same Atom feed (or its JSON form), our conditions in the entries."""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlmodel import Session

from app.api.content_language import answered_in
from app.api.deps import DatabaseDep, SettingsDep
from app.api.encoded import JSON, json_bytes
from app.core.errors import (
    PROBLEM_MEDIA_TYPE,
    PROBLEM_RESPONSES,
    InvalidKnowledgeRequest,
    InvalidParam,
    Problem,
    clipped,
    explain_pattern,
    invalid_params,
    invalid_params_detail,
)
from app.core.locales import offered
from app.models.code_systems import BY_OID, UNSERVED_OIDS, CodeSystem
from app.models.infobutton import KnowledgeParam, KnowledgeResponse
from app.queries.infobutton import knowledge_for
from app.representation.atom import ATOM_MEDIA_TYPE, atom_xml
from app.representation.infobutton import KnowledgeRequest, knowledge_response
from app.representation.localize import words_of

XML = "text/xml"
# What an XML 1.0 document can carry: every echoed value must be, or the feed would not be well-formed.
XML_TEXT = explain_pattern(
    "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]*$",
    lambda _: "holds a control character (or U+FFFE/U+FFFF), which no XML document may carry",
)
ResponseType = Literal["text/xml", "application/atom+xml", "application/json"]
Recipient = Literal["PAT", "PROV"]
SERVED = ", ".join(f"{system.label} ({oid})" for oid, system in BY_OID.items())
FEED_EXAMPLE = (
    "<?xml version='1.0' encoding='utf-8'?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" …>"
    '<title type="text">conditions-api</title>… <category scheme="mainSearchCriteria.v.c" term="M62.830" />… '
    '<entry xml:lang="en"><title type="text">Lumbar muscle spasm</title>…</entry></feed>'
)


class InfobuttonRoute(APIRoute):
    """Infobutton clients expect a malformed request to be a 400 (HL7's guide and MedlinePlus Connect say so),
    where the rest of the API answers 422: parameter errors become our 400 problem, worded the same way."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                errors = invalid_params(exc)
                raise InvalidKnowledgeRequest(invalid_params_detail(errors), errors=errors) from exc

        return handle


# No `reject_unknown_query_params` here, unlike /v1: EHRs send many more Infobutton parameters (taskContext,
# performer, encounter, holder, subTopic…) than we use, and a knowledge request must not fail over them.
router = APIRouter(
    tags=["infobutton"],
    route_class=InfobuttonRoute,
    responses={
        # Never a 404 nor a 422: a code that matches nothing is an empty feed, a malformed request a 400.
        **{status: spec for status, spec in PROBLEM_RESPONSES.items() if status in (500, 503)},
        400: {
            "model": Problem,
            "description": "A missing or malformed parameter, or a code system, recipient or response type this "
            "server does not serve (`invalid-knowledge-request`)",
            "content": {PROBLEM_MEDIA_TYPE: {}},
        },
    },
)

CODE_SYSTEMS = list(BY_OID)


def _bad(param: KnowledgeParam, reason: str) -> InvalidKnowledgeRequest:
    return InvalidKnowledgeRequest(
        f"query parameter '{param.value}': {reason}",
        errors=[InvalidParam(name=param.value, location="query", reason=reason)],
    )


def code_system(oid: str) -> CodeSystem:
    """The system an OID names; a 400 that lists the served systems for any other."""
    wanted = oid.strip()
    system = BY_OID.get(wanted)
    if system is None:
        named = UNSERVED_OIDS.get(wanted)
        what = (
            f"{named} ({wanted}) is not served here"
            if named
            else f"'{clipped(wanted)}' is not a code system OID served here"
        )
        raise _bad(KnowledgeParam.code_system, f"{what}; this server answers for {SERVED}")
    return system


@router.get(
    "/infobutton",
    summary="Answer an HL7 Infobutton knowledge request",
    response_model=KnowledgeResponse,
    responses={
        200: {
            "description": "An Atom 1.0 feed, one entry per condition; no entries when nothing matches",
            "content": {XML: {"example": FEED_EXAMPLE}, ATOM_MEDIA_TYPE: {"example": FEED_EXAMPLE}},
        }
    },
)
async def infobutton(
    http_request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    code: Annotated[
        str,
        Query(
            alias=KnowledgeParam.code.value,
            pattern=XML_TEXT,
            min_length=1,
            max_length=64,
            description="The code, as the EHR holds it. A code not shaped like one of its system's matches nothing.",
            examples=["M62.830"],
        ),
    ],
    code_system_oid: Annotated[
        str,
        Query(
            alias=KnowledgeParam.code_system.value,
            max_length=64,
            description=f"The code system's OID: {SERVED}.",
            examples=[CODE_SYSTEMS[0]],
            json_schema_extra={"enum": CODE_SYSTEMS},
        ),
    ],
    display_name: Annotated[
        str | None,
        Query(
            alias=KnowledgeParam.display_name.value,
            pattern=XML_TEXT,
            max_length=200,
            description="The code's display name: searched for when no condition carries the code.",
            examples=["Muscle spasm of back"],
        ),
    ] = None,
    recipient: Annotated[
        Recipient,
        Query(alias=KnowledgeParam.recipient.value, description="Who reads the answer: a patient or a provider."),
    ] = "PAT",
    language: Annotated[
        str,
        Query(
            alias=KnowledgeParam.language.value,
            pattern=XML_TEXT,
            max_length=35,
            description=f"The language wanted: {', '.join(f'`{tag}`' for tag in offered())} (a tag such as "
            "`es-MX` is its language). Another gets English, and the feed's subtitle says so.",
        ),
    ] = "en",
    response_type: Annotated[
        ResponseType,
        Query(
            alias=KnowledgeParam.response_type.value,
            description="`text/xml` (or `application/atom+xml`): the Atom feed; `application/json`: its JSON form.",
        ),
    ] = "text/xml",
    gender: Annotated[
        str | None,
        Query(alias=KnowledgeParam.gender.value, pattern=XML_TEXT, max_length=40, description="Accepted and echoed."),
    ] = None,
    age: Annotated[
        str | None,
        Query(alias=KnowledgeParam.age.value, pattern=XML_TEXT, max_length=40, description="Accepted and echoed."),
    ] = None,
    age_unit: Annotated[
        str | None,
        Query(alias=KnowledgeParam.age_unit.value, pattern=XML_TEXT, max_length=40, description="Accepted and echoed."),
    ] = None,
) -> Response:
    """Answer an HL7 Infobutton knowledge request (as MedlinePlus Connect takes it) with an Atom feed.

    The feed's `category` elements echo the request; each entry is a condition, with links to its page for
    people and to its API record, an HTML summary (with the source's attribution and the notice that this is
    not a diagnosis) and when it last changed. An ICD-10-CM code no condition carries is answered with the
    conditions under its nearest coded ancestor; any code that no condition carries, with the best matches
    for its display name when one is sent. A code that matches nothing is a 200 with an empty feed, as EHRs
    expect. Parameters this server does not use are ignored.
    """
    system = code_system(code_system_oid)
    patient = tuple(
        (param, value)
        for param, value in (
            (KnowledgeParam.gender, gender),
            (KnowledgeParam.age, age),
            (KnowledgeParam.age_unit, age_unit),
        )
        if value is not None
    )
    request = KnowledgeRequest(
        code_as_sent=code,
        system=system,
        code=system.spec.parse(code),
        display_name=(display_name or "").strip(),
        recipient=recipient,
        language=language,
        patient=patient,
    )
    body = await db.run(encoded_knowledge, request, response_type, settings.base_url)
    answered_in(http_request, request.served_language)
    media_type = JSON if response_type == JSON else f"{response_type}; charset=utf-8"
    return Response(body, media_type=media_type)


def encoded_knowledge(session: Session, request: KnowledgeRequest, response_type: str, base_url: str) -> bytes:
    knowledge = knowledge_for(
        session, request.system, request.code, request.display_name or None, request.served_language
    )
    words = words_of(session, request.served_language, [("condition", c.slug) for c in knowledge.conditions])
    response = knowledge_response(request, knowledge, words, base_url=base_url)
    return json_bytes(response) if response_type == JSON else atom_xml(response.feed)
