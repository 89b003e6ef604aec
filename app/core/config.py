"""Settings, read once from the environment (and an optional `.env` file).

Every setting is documented in the README; `tests/test_settings.py` fails when one is not.
"""

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LogLevel = Literal["debug", "info", "warning", "error", "critical"]


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

    @field_validator("log_level", mode="before")
    @classmethod
    def lower_log_level(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value


@lru_cache
def get_settings() -> Settings:
    return Settings()
