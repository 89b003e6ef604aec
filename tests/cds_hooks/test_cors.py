"""CORS on `/cds-services`: browser-based CDS clients POST JSON with the EHR's JWT, from the origins in
`CORS_ORIGINS` (the API's GET-only rules stay as they were)."""

from pathlib import Path

import httpx
import pytest

from app.core.config import Settings
from app.main import create_app
from tests.cds_hooks.calls import SERVICE, patient_view

pytestmark = pytest.mark.anyio

ORIGIN = "https://sandbox.cds-hooks.example"
PREFLIGHT = {
    "origin": ORIGIN,
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization, content-type",
}


async def test_a_browser_based_cds_client_may_post_from_an_allowed_origin(db_url: str, tmp_path: Path) -> None:
    app = create_app(Settings(database_url=db_url, export_dir=str(tmp_path / "exports"), cors_origins=[ORIGIN]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        preflight = await client.options(SERVICE, headers=PREFLIGHT)
        call = await client.post(SERVICE, json=patient_view(), headers={"origin": ORIGIN})
        api_preflight = await client.options("/v1/conditions", headers=PREFLIGHT)
    app.state.close()
    assert preflight.status_code == 200, preflight.text
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    assert call.status_code == 200
    assert call.headers["access-control-allow-origin"] == ORIGIN
    assert api_preflight.status_code == 400  # the API itself is still read with GET only
    assert "GET and HEAD" in api_preflight.json()["detail"]


async def test_without_cors_origins_a_cds_preflight_is_refused_with_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.options(SERVICE, headers=PREFLIGHT)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
