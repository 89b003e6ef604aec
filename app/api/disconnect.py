"""Work for a client that has gone is cancelled, not finished.

ASGI servers do not cancel a request's task when its client disconnects: an abandoned expensive request kept
its place in the read pool's queue and ran anyway, so a client could queue up CPU work and leave (150 dropped
requests delayed the next one by 8 s). Here a GET's handler runs as a task while its `receive` is watched; on
`http.disconnect` before the response is complete the task is cancelled (the read pool then skips its job)
and `ClientDisconnected` is raised. It sits inside the response cache: a cache hit costs no watching.
"""

import asyncio
import contextlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ClientDisconnected(Exception):
    """The client left before its answer was ready; its work was cancelled and there is no one to answer."""


class CancelOnDisconnectMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        request = await receive()  # a GET's (empty) body: every later message can only be the disconnect
        replayed = False
        answered = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return request
            return await receive()

        async def tracking(message: Message) -> None:
            nonlocal answered
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                answered = True

        handler = asyncio.ensure_future(self.app(scope, replay, tracking))
        watcher = asyncio.ensure_future(receive())
        try:
            await asyncio.wait({handler, watcher}, return_when=asyncio.FIRST_COMPLETED)
            if not handler.done() and not answered and watcher.result()["type"] == "http.disconnect":
                handler.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await handler
                raise ClientDisconnected
            await handler
        finally:
            watcher.cancel()
            if not handler.done():
                handler.cancel()
