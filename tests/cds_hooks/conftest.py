"""Key pairs made in the test, as an EHR makes its own: the private key signs, the public one goes into the JWK
Set file the server is started with (`CDS_HOOKS_KEYS`)."""

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

PUBLIC_URL = "https://cds.example.org"  # what the EHR calls, and so the `aud` its tokens carry
ISSUER = "https://fhir-ehr.example.com/"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    algorithm: str
    private: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

    def public_jwk(self) -> dict[str, Any]:
        if isinstance(self.private, ec.EllipticCurvePrivateKey):
            exported = ECAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        else:
            exported = RSAAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        return {**exported, "kid": self.kid, "use": "sig", "alg": self.algorithm}

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        return jwt.encode(claims, self.private, algorithm=self.algorithm, headers={"kid": self.kid, **header})


def claims(audience: str | list[str], **changes: Any) -> dict[str, Any]:
    """The payload of the specification's example, for `audience`, valid for five minutes from now."""
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": audience, "exp": now + 300, "iat": now, "jti": str(uuid.uuid4()), **changes}
    return {key: value for key, value in payload.items() if value is not None}


@pytest.fixture(scope="session")
def ec_key() -> SigningKey:
    return SigningKey("ehr-es384", "ES384", ec.generate_private_key(ec.SECP384R1()))


@pytest.fixture(scope="session")
def rsa_key() -> SigningKey:
    return SigningKey("ehr-rs384", "RS384", rsa.generate_private_key(public_exponent=65537, key_size=2048))


@pytest.fixture
def jwks_file(tmp_path: Path, ec_key: SigningKey, rsa_key: SigningKey) -> Path:
    path = tmp_path / "ehr-keys.json"
    path.write_text(json.dumps({"keys": [ec_key.public_jwk(), rsa_key.public_jwk()]}), encoding="utf-8")
    return path
