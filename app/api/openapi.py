"""The OpenAPI document: error bodies documented as `application/problem+json`, and examples taken from
the database the server runs on, so they show real seeded content and cannot drift from it."""

import copy
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session, col, select

from app.api.callers import UNLIMITED_PREFIXES
from app.core.errors import PROBLEM_MEDIA_TYPE
from app.core.monitor import DatabaseMonitor
from app.core.read_pool import DatabaseUnavailable, QueryTimeout
from app.models import Condition
from app.models.cds_hooks import is_cds_hooks_path
from app.models.public import ConditionDetail, ConditionPage
from app.queries import conditions, vocabulary
from app.queries.vocabulary import Vocabulary
from app.representation import presenters
from app.representation.jsonld import JSONLD_MEDIA_TYPE, condition_jsonld

JsonObject = dict[str, Any]
OPENAPI_URL = "/openapi.json"


def _problem_media_type(schema: JsonObject) -> None:
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status.isdigit() and int(status) >= 400 and "application/json" in content:
                    content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")


def _problems_for_validation_errors(schema: JsonObject) -> None:
    """FastAPI documents its own `HTTPValidationError` for 422s; ours are `Problem`s, as for every status. An
    operation that words its parameter errors as 400s (`/infobutton`) has no 422."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.get("responses", {})
            if "400" in responses:
                responses.pop("422", None)
            invalid = responses.get("422")
            if invalid is not None:
                invalid["description"] = "Invalid or unknown parameter"
                invalid["content"][PROBLEM_MEDIA_TYPE] = {"schema": {"$ref": "#/components/schemas/Problem"}}
    for name in ("HTTPValidationError", "ValidationError"):
        schema.get("components", {}).get("schemas", {}).pop(name, None)


def _without_null_parameters(schema: JsonObject) -> None:
    """An optional query parameter is left out, never sent as null: `anyOf [X, null]` is just `X` on the wire
    (and generated clients then type it as "X or unset", not "X, null or unset")."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                param_schema = parameter["schema"]
                options = param_schema.get("anyOf", [])
                kept = [option for option in options if option != {"type": "null"}]
                if len(kept) == 1 and len(options) == 2:
                    del param_schema["anyOf"]
                    param_schema.update(kept[0])


def _partial_records(schema: JsonObject) -> None:
    """Two answers carry a condition record with some fields: `fields=` keeps only those asked for
    (`ConditionFields`: every field optional), and `expand=` adds fields to list items (`ConditionListItem`:
    the summary's fields required, the rest optional). Both derive from `ConditionDetail`, so they cannot drift."""
    components = schema["components"]["schemas"]
    detail = components["ConditionDetail"]
    components["ConditionFields"] = {
        **{key: value for key, value in detail.items() if key != "required"},
        "title": "ConditionFields",
        "description": "A condition record with only the fields asked for with `fields=`.",
    }
    components["ConditionListItem"] = {
        **detail,
        "title": "ConditionListItem",
        "description": "A condition in a list: the summary, plus the full record's fields asked for with `expand=`.",
        "required": components["ConditionSummary"]["required"],
    }
    components["ConditionPage"]["properties"]["items"]["items"] = {"$ref": "#/components/schemas/ConditionListItem"}
    record = schema["paths"]["/v1/conditions/{slug}"]["get"]["responses"]["200"]["content"]["application/json"]
    record["schema"] = {
        "anyOf": [{"$ref": "#/components/schemas/ConditionDetail"}, {"$ref": "#/components/schemas/ConditionFields"}]
    }


def _optional_api_key(schema: JsonObject) -> None:
    """`/v1` operations take an optional bearer key (`{}`: anonymous is fine unless API_KEYS_REQUIRED)."""
    schema["components"].setdefault("securitySchemes", {}).update(
        {
            "apiKey": {
                "type": "http",
                "scheme": "bearer",
                "description": "An API key from the server's operator (`conditions-api keys create NAME`). Optional "
                "unless the server sets `API_KEYS_REQUIRED`; it gives the caller a rate limit of its own.",
            }
        }
    )
    limit_headers = {
        "RateLimit-Policy": {"description": 'The quota: `"anonymous";q=600;w=60`.', "schema": {"type": "string"}},
        "RateLimit": {"description": 'What is left: `"anonymous";r=599;t=42`.', "schema": {"type": "string"}},
    }
    for path, operations in schema["paths"].items():
        if path.startswith(UNLIMITED_PREFIXES):
            continue
        for operation in operations.values():
            # Every counted operation (the pages and the widget too) may refuse a key or a caller over its quota;
            # CDS Hooks calls carry the EHR's JWT instead of a key (optional: checked when CDS_HOOKS_KEYS is set).
            refusals = [("429", "over the rate limit (`rate-limited`)")]
            if is_cds_hooks_path(path):
                operation["security"] = [{}, *operation.get("security", [])]
            else:
                operation["security"] = [{}, {"apiKey": []}]
                refusals.append(("401", "refused API key"))
            responses = operation["responses"]
            for status, problem in refusals:
                responses.setdefault(
                    status,
                    {
                        "description": f"A {problem} problem",
                        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                    },
                )
            responses["429"]["headers"] = {
                **limit_headers,
                "Retry-After": {
                    "description": "Seconds until the quota is whole again.",
                    "schema": {"type": "integer"},
                },
            }
            for status, response in responses.items():
                if status.startswith("2"):
                    response.setdefault("headers", {}).update(limit_headers)


def _seed_examples(session: Session) -> dict[str, JsonObject]:
    """One real example per read model, from the first rows of the database."""
    examples: dict[str, JsonObject] = {}
    first = session.exec(select(col(Condition.slug)).order_by(col(Condition.slug)).limit(1)).first()
    condition = conditions.get_by_slug(session, slug=first) if first else None
    if condition is not None and condition.id is not None:
        summary = presenters.condition_summary(condition)
        caused = conditions.can_lead_to(session, condition_id=condition.id)
        examples["ConditionDetail"] = presenters.condition_detail(condition, can_lead_to=caused).model_dump(mode="json")
        examples["ConditionPage"] = ConditionPage(items=[summary], next_cursor=None, total=1).model_dump(mode="json")
    builders: tuple[tuple[Vocabulary, str, Callable[..., Any]], ...] = (
        (vocabulary.SYMPTOMS, "SymptomDetail", presenters.symptom_detail),
        (vocabulary.CAUSES, "CauseDetail", presenters.cause_detail),
        (vocabulary.TREATMENTS, "TreatmentDetail", presenters.treatment_detail),
    )
    for vocab, name, build in builders:
        terms, _ = vocabulary.list_terms(session, vocab, after=None, limit=1)
        if terms and terms[0].id is not None:
            uses = vocabulary.conditions_using(session, vocab, term_id=terms[0].id)
            examples[name] = build(terms[0], conditions=presenters.condition_uses(uses)).model_dump(mode="json")
    return examples


def _jsonld_example(schema: JsonObject, detail: ConditionDetail, app: FastAPI) -> None:
    """The JSON-LD responses show the seeded condition, as the JSON ones do."""
    example = condition_jsonld(detail, base_url=app.state.settings.base_url)
    content = schema["paths"]["/v1/conditions/{slug}/jsonld"]["get"]["responses"]["200"]["content"]
    content[JSONLD_MEDIA_TYPE]["example"] = example


def install_openapi(app: FastAPI) -> None:
    """`app.openapi()` builds the document without the database; `GET /openapi.json` adds examples read (off
    the event loop) from the content it serves, rebuilt when the content version changes."""

    def openapi() -> JsonObject:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
                license_info=app.license_info,
            )
            _problem_media_type(schema)
            _problems_for_validation_errors(schema)
            _without_null_parameters(schema)
            _partial_records(schema)
            _optional_api_key(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    served: dict[str, Any] = {}

    @app.get(OPENAPI_URL, include_in_schema=False)
    async def openapi_document() -> Response:
        monitor: DatabaseMonitor = app.state.monitor
        version = await monitor.content_version()
        if served.get("version") != version:
            schema = copy.deepcopy(openapi())
            try:
                examples = await app.state.read_pool.run(_seed_examples)
            except (DatabaseUnavailable, QueryTimeout):
                examples = {}  # an unusable database still gets its docs, without examples
            for name, example in examples.items():
                schema["components"]["schemas"][name]["examples"] = [example]
            if "ConditionDetail" in examples:
                _jsonld_example(schema, ConditionDetail.model_validate(examples["ConditionDetail"]), app)
            served.update(version=version, body=JSONResponse(schema).body)
        return Response(served["body"], media_type="application/json")
