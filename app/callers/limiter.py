"""Rate limits, counted by the `limits` library in fixed windows: in the process (`memory://`) or in Redis
(`redis://…`), where every worker and replica shares the counters.

Counting must never take the service down: when the storage cannot be reached the request is served
unlimited, and a warning is logged (once every `WARN_EVERY_SECONDS`).
"""

import logging
import math
import re
import time
from dataclasses import dataclass

from limits import RateLimitItem
from limits.aio.storage import Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.storage import storage_from_string

from app.core.config import RATE_LIMITS_OFF, Settings
from app.core.rates import parse_rate

logger = logging.getLogger(__name__)

WARN_EVERY_SECONDS = 10.0
REDIS_TIMEOUT_SECONDS = 0.5  # a slow Redis costs a request at most this, then it is served unlimited


@dataclass(frozen=True)
class Policy:
    """A named quota: `anonymous` (per client address) or `key` (per API key)."""

    name: str
    rate: RateLimitItem

    @property
    def header(self) -> str:
        """Its `RateLimit-Policy` member (draft-ietf-httpapi-ratelimit-headers): quota and window in seconds."""
        return f'"{self.name}";q={self.rate.amount};w={self.rate.get_expiry()}'


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    remaining: int
    reset_seconds: int  # until the window ends and the quota is whole again

    def header(self, policy: Policy) -> str:
        """Its `RateLimit` member: what is left and when the window resets."""
        return f'"{policy.name}";r={self.remaining};t={self.reset_seconds}'


def policy(name: str, rate: str | None) -> Policy | None:
    """The policy of a rate setting, or None when it is `0` (no limit)."""
    if rate is None or rate == RATE_LIMITS_OFF:
        return None
    return Policy(name, parse_rate(rate))


def storage_uri(setting: str) -> str:
    """The `limits` storage URI of RATE_LIMIT_STORAGE: the asynchronous variant of the same storage."""
    return setting if setting.startswith("async+") else "async+" + setting


class Limiter:
    def __init__(self, settings: Settings) -> None:
        self.storage_setting = settings.rate_limit_storage
        self.storage_shown = re.sub(r"//[^@/]*@", "//…@", self.storage_setting)  # never log a password
        self.prefix = settings.rate_limit_prefix
        self._strategy: FixedWindowRateLimiter | None = None
        self._warned = float("-inf")

    def _storage(self) -> Storage:
        uri = storage_uri(self.storage_setting)
        if uri.startswith("async+memory"):
            storage = storage_from_string(uri)
        else:
            storage = storage_from_string(
                uri,
                implementation="redispy",
                key_prefix=self.prefix,
                wrap_exceptions=True,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            )
        assert isinstance(storage, Storage)
        return storage

    async def hit(self, policy: Policy, identity: str) -> Verdict | None:
        """Count one request of `identity` under `policy`; None when the counters cannot be reached."""
        if self._strategy is None:  # made on first use, inside the event loop the async storage belongs to
            self._strategy = FixedWindowRateLimiter(self._storage())
        try:
            allowed = await self._strategy.hit(policy.rate, policy.name, identity)
            stats = await self._strategy.get_window_stats(policy.rate, policy.name, identity)
        except Exception as exc:
            now = time.monotonic()
            if now - self._warned >= WARN_EVERY_SECONDS:
                self._warned = now
                logger.warning("rate limits are not counted: %s is unreachable (%s)", self.storage_shown, exc)
            return None
        reset = max(0, math.ceil(stats.reset_time - time.time()))
        return Verdict(allowed, max(0, stats.remaining), reset)
