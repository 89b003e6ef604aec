"""Settings, read once from the environment (and an optional `.env` file).

Every setting is documented in the README; `tests/test_settings.py` fails when one is not.
"""

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.core.rates import parse_rate

LogLevel = Literal["debug", "info", "warning", "error", "critical"]
LogFormat = Literal["auto", "text", "json"]
RATE_LIMITS_OFF = "0"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    database_url: str = Field(
        default="sqlite:///./data/conditions.db",
        description="SQLAlchemy URL of the database. The embedded default is a SQLite file.",
    )
    host: str = Field(default="127.0.0.1", description="Interface the server listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="TCP port the server listens on.")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated origins allowed to call the API from a browser; empty allows none.",
    )
    embed_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["*"],
        description=(
            "Comma-separated origins that may show the widget (iframe `frame-ancestors` and `embed.js` fetches); "
            "`*` allows every site."
        ),
    )
    public_url: str | None = Field(
        default=None,
        description="The server's public base URL, for absolute links in JSON-LD and embed snippets; "
        "default `http://HOST:PORT`.",
    )
    log_level: LogLevel = Field(default="info", description="Log level of the server and the CLI.")
    log_format: LogFormat = Field(
        default="auto",
        description="`text` (for people), `json` (one object per line, for log collectors), or `auto`: text when "
        "the server writes to a terminal, JSON otherwise.",
    )
    api_keys_required: bool = Field(
        default=False,
        description="When true, calls to `/v1/...` without an API key get a 401 problem. Probes, `/metrics`, the "
        "docs, the home page and the widget stay open.",
    )
    keys_database_url: str = Field(
        default="sqlite:///./data/keys.db",
        description="SQLite file of the API keys (stored hashed), apart from the content so that `seed` and a "
        "replaced content database never touch them. Replicas on one host may share it.",
    )
    rate_limit: str = Field(
        default="600/minute",
        description="Requests each client address may make without a key (`N/second`, `N/minute`, `N/hour`, "
        "`N/day`); `0` turns rate limits off.",
    )
    rate_limit_keyed: str = Field(
        default="6000/minute", description="Requests a key may make when the key has no rate of its own."
    )
    rate_limit_storage: str = Field(
        default="memory://",
        description="Where the rate-limit counters live: `memory://` (each server process counts alone) or "
        "`redis://host:port/db` (shared by every worker and replica).",
    )
    rate_limit_prefix: str = Field(
        default="conditions-api",
        description="Prefix of the counters' keys in the storage: deployments sharing one Redis use different ones.",
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Comma-separated addresses (or `*`) of proxies trusted to say who the client is "
        "(`X-Forwarded-For`, `X-Forwarded-Proto`); empty trusts none.",
    )
    cds_hooks_keys: Path | None = Field(
        default=None,
        description="JWK Set file of the public keys of the EHRs that may call the CDS Hooks services; each call "
        "must carry a JWT one of them signed. Unset, `/cds-services` is open to every caller.",
    )
    metrics_enabled: bool = Field(default=True, description="Serve Prometheus metrics at `/metrics`.")
    cache_max_age: int = Field(
        default=300, ge=0, description="Seconds clients and proxies may reuse a response (Cache-Control max-age)."
    )
    cache_stale_while_revalidate: int = Field(
        default=86_400, ge=0, description="Seconds a stale response may be shown while it is revalidated."
    )
    cache_max_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=0,
        description="Bytes of finished responses the in-process cache keeps, least recently used out first "
        "(0 turns the cache off).",
    )
    query_time_limit_ms: int = Field(
        default=2_000,
        ge=1,
        description="Longest a database query may run; past it, it is interrupted and the client gets a 503 "
        "problem with `Retry-After`.",
    )
    read_threads: int = Field(
        default=4,
        ge=1,
        le=64,
        description="Threads (each with its own read-only connection) that run database work, per worker; "
        "requests beyond them wait in line.",
    )
    workers: int = Field(
        default=1, ge=1, le=64, description="Server processes `conditions-api serve` runs on the one port."
    )
    export_dir: str | None = Field(
        default=None,
        description="Folder for the export files built once per content version; default a folder per "
        "database under the system's temp dir. Must be writable.",
    )
    search_index_dir: str | None = Field(
        default=None,
        description="Folder the search indexes stored in the database are copied into, once per content "
        "version, and opened from; default a folder under the system's temp dir. Must be writable.",
    )
    compress_min_bytes: int = Field(
        default=1_024, ge=0, description="Bodies at least this large are compressed (brotli or gzip) when accepted."
    )

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}"

    @field_validator("cors_origins", "embed_origins", mode="before")
    @classmethod
    def split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("rate_limit", "rate_limit_keyed")
    @classmethod
    def check_rate(cls, value: str) -> str:
        if value.strip() != RATE_LIMITS_OFF:
            parse_rate(value)
        return value.strip()

    @field_validator("log_level", mode="before")
    @classmethod
    def lower_log_level(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value


@lru_cache
def get_settings() -> Settings:
    return Settings()
