"""Answers serialized where they are built, on the read pool's thread.

A route that returns its model makes FastAPI validate it against the response model and serialize it on the
event loop, which every other request is waiting for. The hot read routes (search, type-ahead, matching)
build the model from trusted data in the job, serialize it there, and hand back bytes; their
`response_model` still documents the shape in OpenAPI, and the contract tests check the bytes against it.
"""

from fastapi import Response
from pydantic import BaseModel

JSON = "application/json"


def json_bytes(model: BaseModel) -> bytes:
    """The model as FastAPI would have serialized it (by alias, nothing excluded)."""
    return model.__pydantic_serializer__.to_json(model, by_alias=True)


def json_response(body: bytes, *, headers: dict[str, str] | None = None) -> Response:
    return Response(body, media_type=JSON, headers=headers)
