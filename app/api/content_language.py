"""`Content-Language` on every localized response: a route says which language it answered in, and this
middleware (inside the response cache, so cached answers keep it) adds the header, whatever response class the
route returned."""

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_STATE_KEY = "content_language"


def answered_in(request: Request, language: str) -> None:
    """Record the language of this request's response (the header is added when the response starts)."""
    setattr(request.state, _STATE_KEY, language)


class ContentLanguageMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                language = scope.get("state", {}).get(_STATE_KEY)
                if language is not None:
                    headers = [(n, v) for n, v in message.get("headers", []) if n.lower() != b"content-language"]
                    message = {**message, "headers": [*headers, (b"content-language", language.encode())]}
            await send(message)

        await self.app(scope, receive, send_with_language)
