"""CORS by path: the widget (`/embed/...`) is fetched by the sites in `EMBED_ORIGINS`, the API by the browser
apps in `CORS_ORIGINS`. Both are read-only GETs without credentials."""

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.config import Settings

EXPOSED = ["ETag", "Last-Modified", "Link"]


def _cors(app: ASGIApp, origins: list[str]) -> ASGIApp:
    if not origins:
        return app
    return CORSMiddleware(
        app,
        allow_origins=origins,
        allow_methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=["If-None-Match", "If-Modified-Since"],
        expose_headers=EXPOSED,
        max_age=600,
    )


class PathCorsMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.embed = _cors(app, settings.embed_origins)
        self.api = _cors(app, settings.cors_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        handler = self.embed if path.startswith("/embed/") else self.api
        await handler(scope, receive, send)
