"""The issue's "done when", as an EHR sees it: `conditions-api serve` started with `CDS_HOOKS_KEYS` in its
environment, a signed `patient-view` call over HTTP, and a card linking the low back pain page."""

from pathlib import Path

import httpx
import pytest

from tests.cds_hooks.calls import ICD10, SERVICE, condition, patient_view
from tests.cds_hooks.conftest import SigningKey, claims
from tests.servers import api_server

pytestmark = pytest.mark.e2e


def test_a_signed_patient_view_call_with_m54_50_gets_a_card_linking_the_low_back_pain_page(
    db_path: Path, jwks_file: Path, ec_key: SigningKey
) -> None:
    with api_server(db_path, CDS_HOOKS_KEYS=str(jwks_file)) as base:  # PUBLIC_URL is the server's own address
        call = patient_view(condition((ICD10, "M54.50")))
        unsigned = httpx.post(f"{base}{SERVICE}", json=call)
        token = ec_key.sign(claims(f"{base}{SERVICE}"))
        signed = httpx.post(f"{base}{SERVICE}", json=call, headers={"authorization": f"Bearer {token}"})
        [card] = signed.json()["cards"]
        page = httpx.get(card["links"][0]["url"])

    assert unsigned.status_code == 401
    assert signed.status_code == 200
    assert card["links"][0] == {
        "label": "Nonspecific low back pain: page for patients",
        "url": f"{base}/conditions/nonspecific-low-back-pain",
        "type": "absolute",
    }
    assert page.status_code == 200 and "Nonspecific low back pain" in page.text
