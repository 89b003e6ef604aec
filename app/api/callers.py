"""Identifies and limits callers, before the response cache (so cached answers are limited too).

- A request with `Authorization: Bearer <key>` is identified by the key, counted against the key's rate, and
  then passed on without the header: keys identify and limit, they do not change content, so keyed callers are
  served from the shared cache like anyone else. A key the server does not accept is a 401, always.
- Without a key, a request is counted against its client address (`RATE_LIMIT`); with `API_KEYS_REQUIRED`,
  `/v1/...` refuses it (401).
- Probes, `/metrics` and static assets are never identified or limited.
- On `/cds-services` the `Authorization` header is the EHR's signed JWT, which the CDS Hooks routes check: it is
  left to them, and EHRs are counted by address (an EHR calls for every chart opened: a busy one may need a
  higher `RATE_LIMIT`).
Every limited response carries `RateLimit-Policy` and `RateLimit`; one over the limit is a 429 problem.
"""

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.callers.key_ring import KeyRing
from app.callers.keys import ApiKey
from app.callers.limiter import Limiter, Policy, Verdict, policy
from app.core import request_context
from app.core.config import Settings
from app.core.errors import ApiKeyRequired, AppError, InvalidApiKey, RateLimited, problem_response
from app.models.cds_hooks import is_cds_hooks_path
from app.representation.presenters import API_PREFIX

UNLIMITED_PREFIXES = ("/health", "/ready", "/metrics", "/static/")
REALM = 'Bearer realm="conditions-api"'


class CallersMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings, keys: KeyRing) -> None:
        self.app = app
        self.keys = keys
        self.limiter = Limiter(settings)
        self.keys_required = settings.api_keys_required
        self.anonymous = policy("anonymous", settings.rate_limit)
        self.keyed_default = settings.rate_limit_keyed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNLIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        authorization = (
            None
            if is_cds_hooks_path(scope["path"])
            else next((value for name, value in scope["headers"] if name == b"authorization"), None)
        )
        key: ApiKey | None = None
        if authorization is not None:
            found = await self._key(authorization.decode("latin-1"))
            if isinstance(found, str):
                await self._refuse(scope, receive, send, InvalidApiKey(found), invalid=True)
                return
            key = found
            self.keys.used(key)
            scope = {**scope, "headers": [(n, v) for n, v in scope["headers"] if n != b"authorization"]}
        elif self.keys_required and _is_api(scope["path"]):
            detail = "This server requires an API key for /v1: send it as 'Authorization: Bearer <key>'."
            await self._refuse(scope, receive, send, ApiKeyRequired(detail))
            return

        context = request_context.current()
        if context is not None and key is not None:
            context.key_name = key.name
        quota, identity = self._quota(scope, key)
        verdict = await self.limiter.hit(quota, identity) if quota is not None else None
        if quota is None or verdict is None:
            await self.app(scope, receive, send)
            return
        headers = [(b"ratelimit-policy", quota.header), (b"ratelimit", verdict.header(quota))]
        if not verdict.allowed:
            if context is not None:
                context.rate_limited = True
            await self._over_limit(scope, receive, send, quota, verdict, headers)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *headers]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _key(self, authorization: str) -> ApiKey | str:
        """The key the header holds, or why it is refused (never quoting the key)."""
        scheme, _, credentials = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            return "Send the API key as 'Authorization: Bearer <key>'."
        key = await self.keys.find(credentials.strip())
        if key is None:
            return "The API key is not one this server issued; check it was copied whole."
        refusal = key.refusal(datetime.now(UTC).date())
        if refusal is not None:
            return f"{refusal[0].upper()}{refusal[1:]}: ask the server's operator for a new one."
        return key

    def _quota(self, scope: Scope, key: ApiKey | None) -> tuple[Policy | None, str]:
        if key is not None:
            return policy("key", key.rate or self.keyed_default), f"key:{key.name}"
        client = scope.get("client")
        return self.anonymous, f"address:{client[0] if client else 'unknown'}"

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, error: AppError, *, invalid: bool = False) -> None:
        challenge = f'{REALM}, error="invalid_token"' if invalid else REALM
        headers = {"WWW-Authenticate": challenge, "Cache-Control": "no-store"}
        await _send_problem(scope, receive, send, error, headers)

    @staticmethod
    async def _over_limit(
        scope: Scope,
        receive: Receive,
        send: Send,
        quota: Policy,
        verdict: Verdict,
        headers: list[tuple[bytes, bytes]],
    ) -> None:
        wait = max(1, verdict.reset_seconds)
        who = "this API key" if quota.name == "key" else "your address (send an API key for a quota of your own)"
        error = RateLimited(
            f"Over the rate limit of {quota.rate.amount} requests per {quota.rate.get_expiry()} s for {who}: "
            f"retry in {wait} s."
        )
        extra = {name.decode(): value.decode() for name, value in headers}
        await _send_problem(
            scope, receive, send, error, {**extra, "Retry-After": str(wait), "Cache-Control": "no-store"}
        )


def _is_api(path: str) -> bool:
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


async def _send_problem(scope: Scope, receive: Receive, send: Send, error: AppError, headers: dict[str, str]) -> None:
    response = problem_response(
        Request(scope),
        status=error.status,
        detail=error.detail,
        type_uri=error.type_uri(),
        title=error.title,
        headers=headers,
    )
    await response(scope, receive, send)
