"""The EHR's JWT on a server started with `CDS_HOOKS_KEYS`: what is let in, what is a 401 problem, and that the
API-key machinery neither blocks nor swallows the token."""

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from jwt.algorithms import ECAlgorithm

from app import migrations
from app.core.config import Settings
from app.main import create_app
from tests.cds_hooks.calls import ICD10, SERVICE, condition, patient_view
from tests.cds_hooks.conftest import PUBLIC_URL, SigningKey, claims
from tests.conftest import sqlite_url

pytestmark = pytest.mark.anyio

AUDIENCE = f"{PUBLIC_URL}{SERVICE}"
CALL = patient_view(condition((ICD10, "M54.50")))
Serve = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def serve(db_url: str, tmp_path: Path, jwks_file: Path) -> Serve:
    @asynccontextmanager
    async def serve(**settings: Any) -> AsyncIterator[httpx.AsyncClient]:
        options = {"cds_hooks_keys": jwks_file, "public_url": PUBLIC_URL, **settings}
        app = create_app(Settings(database_url=db_url, export_dir=str(tmp_path / "exports"), **options))
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as client:
                yield client
        finally:
            app.state.close()

    return serve


@pytest.fixture
async def ehr_client(serve: Serve) -> AsyncIterator[httpx.AsyncClient]:
    async with serve() as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def unsigned(payload: dict[str, Any], kid: str) -> str:
    """A token with `alg: none`, which the specification forbids (PyJWT will not make one)."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT', 'kid': kid})}.{part(payload)}."


@pytest.mark.parametrize("key", ["ec_key", "rsa_key"])
async def test_a_call_signed_with_a_trusted_key_gets_its_cards(
    ehr_client: httpx.AsyncClient, key: str, request: pytest.FixtureRequest
) -> None:
    signing: SigningKey = request.getfixturevalue(key)
    token = signing.sign(claims(AUDIENCE), typ="JWT", jku="https://fhir-ehr.example.com/jwk_uri")
    response = await ehr_client.post(SERVICE, json=CALL, headers=bearer(token))
    assert response.status_code == 200, response.text
    [card] = response.json()["cards"]
    assert card["links"][0]["url"] == f"{PUBLIC_URL}/conditions/nonspecific-low-back-pain"


async def test_aud_may_be_a_list_holding_the_services_url(ehr_client: httpx.AsyncClient, ec_key: SigningKey) -> None:
    token = ec_key.sign(claims([AUDIENCE]))
    assert (await ehr_client.post(SERVICE, json=CALL, headers=bearer(token))).status_code == 200


def _hs384(payload: dict[str, Any], kid: str, secret: bytes) -> str:
    """A token "signed" with HMAC over the public key, the classic algorithm confusion (PyJWT will not make one)."""

    def part(value: bytes) -> str:
        return base64.urlsafe_b64encode(value).rstrip(b"=").decode()

    signing_input = (
        f"{part(json.dumps({'alg': 'HS384', 'typ': 'JWT', 'kid': kid}).encode())}.{part(json.dumps(payload).encode())}"
    )
    return f"{signing_input}.{part(hmac.new(secret, signing_input.encode(), hashlib.sha384).digest())}"


def refused_tokens(ec_key: SigningKey, rsa_key: SigningKey) -> dict[str, tuple[str | None, str]]:
    """Each token the service must refuse, with a word its problem's detail must say."""
    now = int(time.time())
    impostor = SigningKey(ec_key.kid, "ES384", ec.generate_private_key(ec.SECP384R1()))
    public_pem = rsa_key.private.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    return {
        "none": (None, "Authorization: Bearer"),
        "not a JWT": ("not-a-jwt", "not a JWT"),
        "wrong aud": (ec_key.sign(claims(f"https://cds.other.example{SERVICE}")), "aud"),
        "aud of discovery": (ec_key.sign(claims(f"{PUBLIC_URL}/cds-services")), "aud"),
        "expired": (ec_key.sign(claims(AUDIENCE, exp=now - 3600, iat=now - 3900)), "expired"),
        "unsigned (alg none)": (unsigned(claims(AUDIENCE), ec_key.kid), "'none'"),
        "unknown kid": (SigningKey("someone-else", "ES384", impostor.private).sign(claims(AUDIENCE)), "kid"),
        "no kid": (jwt.encode(claims(AUDIENCE), ec_key.private, algorithm="ES384"), "kid"),
        "signed by another key": (impostor.sign(claims(AUDIENCE)), "not valid"),
        "HMAC with the public key": (_hs384(claims(AUDIENCE), rsa_key.kid, public_pem), "HS384"),
        "alg of another key": (SigningKey(ec_key.kid, "RS384", rsa_key.private).sign(claims(AUDIENCE)), "ES384"),
        "no jti": (ec_key.sign(claims(AUDIENCE, jti=None)), "jti"),
        "no iss": (ec_key.sign(claims(AUDIENCE, iss=None)), "iss"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "none",
        "not a JWT",
        "wrong aud",
        "aud of discovery",
        "expired",
        "unsigned (alg none)",
        "unknown kid",
        "no kid",
        "signed by another key",
        "HMAC with the public key",
        "alg of another key",
        "no jti",
        "no iss",
    ],
)
async def test_a_call_without_a_valid_token_is_a_401_problem(
    ehr_client: httpx.AsyncClient, ec_key: SigningKey, rsa_key: SigningKey, case: str
) -> None:
    token, said = refused_tokens(ec_key, rsa_key)[case]
    response = await ehr_client.post(SERVICE, json=CALL, headers=bearer(token) if token else {})
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert response.headers["cache-control"] == "no-store"
    problem = response.json()
    assert problem["type"] == "/problems/invalid-ehr-token"
    assert said in problem["detail"]


async def test_the_token_is_checked_before_the_body(ehr_client: httpx.AsyncClient) -> None:
    response = await ehr_client.post(SERVICE, json={"hook": "nothing"})
    assert response.status_code == 401  # an unknown caller learns nothing about what we read


async def test_discovery_stays_open(ehr_client: httpx.AsyncClient) -> None:
    response = await ehr_client.get("/cds-services")
    assert response.status_code == 200
    assert response.json()["services"][0]["id"] == "condition-education"


async def test_api_keys_neither_block_nor_take_the_ehrs_token(serve: Serve, tmp_path: Path, ec_key: SigningKey) -> None:
    keys_url = sqlite_url(tmp_path / "keys.db")
    migrations.upgrade_keys(keys_url)
    async with serve(api_keys_required=True, keys_database_url=keys_url) as client:
        assert (await client.get("/v1/conditions")).status_code == 401  # the API does require keys here
        token = ec_key.sign(claims(AUDIENCE))
        response = await client.post(SERVICE, json=CALL, headers=bearer(token))
        assert response.status_code == 200, response.text
        assert (await client.post(SERVICE, json=CALL)).status_code == 401  # the JWT, not a key, is required
        assert (await client.get("/cds-services")).status_code == 200


async def test_without_cds_hooks_keys_the_service_is_open(client: httpx.AsyncClient) -> None:
    response = await client.post(SERVICE, json=CALL, headers=bearer("anything"))
    assert response.status_code == 200
    assert len(response.json()["cards"]) == 1


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("not json", "cannot read"),
        ('{"keys": []}', "no JWK Set"),
        ('{"keys": [{"kty": "EC", "crv": "P-384", "x": "a", "y": "b"}]}', "kid"),
        ('{"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "shared"}]}', "not an EC or RSA public key"),
    ],
)
def test_a_key_file_that_cannot_be_used_stops_the_server(db_url: str, tmp_path: Path, content: str, said: str) -> None:
    path = tmp_path / "keys.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=said):
        create_app(Settings(database_url=db_url, cds_hooks_keys=path))


def test_a_private_key_in_the_file_stops_the_server(db_url: str, tmp_path: Path, ec_key: SigningKey) -> None:
    assert isinstance(ec_key.private, ec.EllipticCurvePrivateKey)
    private = {**ECAlgorithm.to_jwk(ec_key.private, as_dict=True), "kid": "oops"}
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"keys": [private]}), encoding="utf-8")
    with pytest.raises(ValueError, match="not an EC or RSA public key"):
        create_app(Settings(database_url=db_url, cds_hooks_keys=path))
