"""Rate limits, counted by the `limits` library in fixed windows: in the process (`memory://`) or in Redis
(`redis://…`), where every worker and replica shares the counters.

We drive the library's storage as its fixed-window strategy does (an atomic `incr` that starts the window's
expiry), but read the count from that same `incr` instead of asking again: two storage calls a request instead
of three (one Redis round trip less), and the count is exactly this request's. In the process, the library's
synchronous memory storage is used: a dict under a lock, a few microseconds, where its asyncio twin costs four
times as much for the same dict.

Counting must never take the service down: when the storage cannot be reached the request is served
unlimited, and a warning is logged (once every `WARN_EVERY_SECONDS`).
"""

import logging
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from limits import RateLimitItem
from limits.aio.storage import Storage
from limits.storage import MemoryStorage, storage_from_string

from app.core.config import RATE_LIMITS_OFF, Settings
from app.core.rates import parse_rate

logger = logging.getLogger(__name__)

WARN_EVERY_SECONDS = 10.0
PAUSE_AFTER_FAILURE_SECONDS = 5.0  # a storage that failed is left alone this long: no request waits on it
REDIS_TIMEOUT_SECONDS = 0.5  # a slow Redis costs a request at most this, then it is served unlimited


@dataclass(frozen=True)
class Policy:
    """A named quota: `anonymous` (per client address) or `key` (per API key)."""

    name: str
    rate: RateLimitItem

    @property
    def header(self) -> bytes:
        """Its `RateLimit-Policy` member (draft-ietf-httpapi-ratelimit-headers): quota and window in seconds."""
        return _policy_header(self.name, self.rate.amount, self.rate.get_expiry())


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    remaining: int
    reset_seconds: int  # until the window ends and the quota is whole again

    def header(self, policy: Policy) -> bytes:
        """Its `RateLimit` member: what is left and when the window resets."""
        return f'"{policy.name}";r={self.remaining};t={self.reset_seconds}'.encode()


@lru_cache(maxsize=1024)
def _policy_header(name: str, quota: int, window: int) -> bytes:
    return f'"{name}";q={quota};w={window}'.encode()


@lru_cache(maxsize=1024)
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
        self._counters: Storage | MemoryStorage | None = None
        self._warned = float("-inf")
        self._paused_until = float("-inf")

    def _storage(self) -> Storage | MemoryStorage:
        uri = storage_uri(self.storage_setting)
        if uri.startswith("async+memory"):
            return MemoryStorage()
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
        if self._counters is None:  # made on first use, inside the event loop the async storage belongs to
            self._counters = self._storage()
        if time.monotonic() < self._paused_until:
            return None
        key = counter_key(policy, identity)
        counters = self._counters
        try:
            if isinstance(counters, MemoryStorage):
                count = counters.incr(key, policy.rate.get_expiry())
                reset_time = counters.get_expiry(key)
            else:
                count = await counters.incr(key, policy.rate.get_expiry())
                reset_time = await counters.get_expiry(key)
        except Exception as exc:
            now = time.monotonic()
            self._paused_until = now + PAUSE_AFTER_FAILURE_SECONDS
            if now - self._warned >= WARN_EVERY_SECONDS:
                self._warned = now
                logger.warning("rate limits are not counted: %s is unreachable (%s)", self.storage_shown, exc)
            return None
        reset = max(0, math.ceil(reset_time - time.time()))
        return Verdict(count <= policy.rate.amount, max(0, policy.rate.amount - count), reset)


@lru_cache(maxsize=65_536)
def counter_key(policy: Policy, identity: str) -> str:
    """The library's own key for this policy and caller (cached: building it costs more than counting)."""
    return policy.rate.key_for(policy.name, identity)
