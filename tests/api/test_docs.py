"""The docs work offline and the OpenAPI document describes every endpoint with examples from the seed."""

import re

import httpx
import pytest

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_docs_pages_load_only_local_assets(client: httpx.AsyncClient, page: str) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    urls = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert urls, "the page references its assets"
    for url in urls:
        assert url.startswith("/"), f"{url} is not served by this app"
        asset = await client.get(url)
        assert asset.status_code == 200 and len(asset.content) > 1000
    assert "fonts.googleapis.com" not in response.text


async def test_openapi_describes_every_operation(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert schema["info"]["title"] == "conditions-api"
    assert schema["info"]["version"] == "0.1.0"
    assert all(tag["description"] for tag in schema["tags"])
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            where = f"{method.upper()} {path}"
            assert operation.get("summary"), where
            assert operation.get("description"), where
            assert operation["tags"], where
            ok = operation["responses"]["200"]["content"]
            if "application/json" in ok:  # JSON is a typed read model; HTML, JS and JSON-LD carry examples
                typed = ok["application/json"]["schema"]
                assert all("$ref" in option for option in typed.get("anyOf", [typed])), where
            for media_type, documented in ok.items():
                assert documented.get("example") or documented.get("schema"), f"{where} {media_type}"
            # Errors are problem details; the card also answers browsers with a page for the visitor.
            errors = (
                ["application/problem+json", "text/html"]
                if path.startswith("/embed/")
                else ["application/problem+json"]
            )
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == errors, where


async def test_openapi_examples_are_the_seeded_content(client: httpx.AsyncClient) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    example = schemas["ConditionDetail"]["examples"][0]
    live = (await client.get(f"/v1/conditions/{example['slug']}")).json()
    assert example == live
    for name, resource in (("SymptomDetail", "symptoms"), ("CauseDetail", "causes"), ("TreatmentDetail", "treatments")):
        example = schemas[name]["examples"][0]
        assert example == (await client.get(f"/v1/{resource}/{example['slug']}")).json()


async def test_operation_ids_read_like_functions(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    ids = {op["operationId"] for methods in schema["paths"].values() for op in methods.values()}
    assert {"list_conditions", "get_condition", "search", "suggest", "match_conditions", "list_changes"} <= ids
    assert "export_library" in ids
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", operation_id) for operation_id in ids)
