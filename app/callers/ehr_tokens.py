"""The JWTs with which EHRs (CDS Hooks clients) sign their calls, checked against the public keys the operator
trusts (`CDS_HOOKS_KEYS`, a JWK Set file).

Keys come only from that file: a token's `jku` header is never fetched, or anyone could name a key set of their
own. As the CDS Hooks specification requires: asymmetric signatures only (ES384 and RS384, the ones it
recommends), a `kid` naming the key, and `iss`, `aud`, `exp`, `iat` and `jti` present, `aud` being the URL of the
service called.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

from app.core.errors import clipped

ALGORITHMS = ("ES384", "RS384")
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "jti"]
LEEWAY_SECONDS = 60  # an EHR's clock may run a little ahead or behind ours


class TokenRefused(Exception):
    """Why a call's token is not accepted, in words the EHR's developers can act on (never quoting the token)."""


@dataclass(frozen=True)
class EhrCaller:
    issuer: str
    token_id: str


class EhrKeys:
    """The trusted public keys, by `kid`, read once when the server starts."""

    def __init__(self, keys: dict[str, dict[str, Any]]) -> None:
        self.keys = keys

    @classmethod
    def load(cls, path: Path) -> "EhrKeys":
        """The keys of a JWK Set file; a file that is missing, unreadable or holds a key we would not verify with
        stops the server with the reason, rather than refuse every EHR later."""
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"CDS_HOOKS_KEYS: cannot read a JWK Set from {path}: {error}") from error
        listed = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(listed, list) or not listed:
            raise ValueError(f'CDS_HOOKS_KEYS: {path} is no JWK Set (a JSON object with a non-empty "keys" list).')
        keys: dict[str, dict[str, Any]] = {}
        for key in listed:
            kid = key.get("kid") if isinstance(key, dict) else None
            if not isinstance(kid, str) or not kid:
                raise ValueError(f'CDS_HOOKS_KEYS: every key in {path} needs a "kid" (tokens name their key by it).')
            if key.get("kty") not in ("EC", "RSA") or "d" in key:
                raise ValueError(f"CDS_HOOKS_KEYS: key '{kid}' in {path} is not an EC or RSA public key.")
            if kid in keys:
                raise ValueError(f"CDS_HOOKS_KEYS: the kid '{kid}' is used twice in {path}.")
            keys[kid] = key
        return cls(keys)

    def verify(self, token: str | None, *, audience: str) -> EhrCaller:
        """The caller a valid bearer token names (None: no `Authorization: Bearer` header); raises TokenRefused
        otherwise."""
        if not token:
            raise TokenRefused("This service requires the EHR's signed JWT as 'Authorization: Bearer <JWT>'.")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise TokenRefused(f"The bearer token is not a JWT: {error}.") from error
        algorithm, kid = header.get("alg"), header.get("kid")
        if algorithm not in ALGORITHMS:
            raise TokenRefused(
                f"The JWT is signed with '{clipped(str(algorithm))}'; this service accepts {' or '.join(ALGORITHMS)}."
            )
        if not isinstance(kid, str) or not kid:
            raise TokenRefused("The JWT's header has no kid naming the key that signed it.")
        key = self.keys.get(kid)
        if key is None:
            raise TokenRefused(f"The JWT's kid '{clipped(kid)}' names no key this service trusts.")
        if key.get("alg", algorithm) != algorithm:
            raise TokenRefused(f"The JWT's key '{kid}' is for {key['alg']}, not {algorithm}.")
        try:
            # The key is bound to the header's algorithm (one of ours, both asymmetric); a key of another type
            # than the algorithm needs is refused by PyJWK, so no token picks how its signature is checked.
            verifier = jwt.PyJWK(key, algorithm=algorithm)
            claims = jwt.decode(
                token,
                key=verifier,
                algorithms=[algorithm],
                audience=audience,
                leeway=LEEWAY_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as error:
            raise TokenRefused("The JWT has expired; sign a new one for each call.") from error
        except jwt.InvalidAudienceError as error:
            raise TokenRefused(f"The JWT's aud is not this service's URL, {audience}.") from error
        except jwt.MissingRequiredClaimError as error:
            raise TokenRefused(
                f"The JWT lacks the '{error.claim}' claim ({', '.join(REQUIRED_CLAIMS)} are required)."
            ) from error
        except jwt.PyJWTError as error:
            raise TokenRefused(f"The JWT is not valid: {error}.") from error
        return EhrCaller(issuer=str(claims["iss"]), token_id=str(claims["jti"]))
