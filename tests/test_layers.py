"""The layers import downwards only: the representation of an entry (one package) is shared by the API, the
pages for people and the seed pipeline, and none of those lower layers knows about HTTP routes."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).parents[1] / "app"
# Each layer, and the packages it must not import.
FORBIDDEN = {
    "core": ("app.api", "app.web", "app.content", "app.queries", "app.representation", "app.callers"),
    "callers": ("app.api", "app.web", "app.content", "app.queries", "app.representation", "app.models"),
    "models": ("app.api", "app.web", "app.content", "app.queries", "app.representation"),
    "queries": ("app.api", "app.web", "app.content", "app.representation"),
    "representation": ("app.api", "app.web", "app.content"),
    "content": ("app.api", "app.web"),
    "api": ("app.web",),
}


def imported_modules(source: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer: str) -> None:
    wrong = [
        f"{source.relative_to(APP.parent)} imports {module}"
        for source in sorted((APP / layer).rglob("*.py"))
        for module in sorted(imported_modules(source))
        if module.startswith(FORBIDDEN[layer])
    ]
    assert not wrong, "\n".join(wrong)
