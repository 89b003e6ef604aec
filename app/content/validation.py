"""Turns Pydantic validation errors into `file:line` content errors."""

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from app.content.errors import ContentError
from app.content.yaml_lines import Path_, line_of

ModelT = TypeVar("ModelT", bound=BaseModel)


def validate(
    model: type[ModelT], data: object, *, path: Path, lines: dict[Path_, int], base: Path_ = ()
) -> tuple[ModelT | None, list[ContentError]]:
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            loc = (*base, *error["loc"])
            field = ".".join(str(part) for part in error["loc"]) or "document"
            if error["type"] == "extra_forbidden":
                message = f"unknown field '{field}'"
            elif error["type"] == "missing":
                message = f"missing required field '{field}'"
            else:
                message = f"{field}: {str(error['msg']).removeprefix('Value error, ')}"
            errors.append(ContentError(path, line_of(lines, loc), message))
        return None, errors
