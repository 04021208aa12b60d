"""Request limits, enforced before a request reaches the app.

A body larger than MAX_BODY_BYTES is refused with 413 as soon as it is known to be too large:
from Content-Length, or while a chunked body streams in. It is never read in full.
Rate limiting is not done here: it belongs in front of the pods (the ingress or API gateway,
per client), where a flood costs no worker time. An in-process limiter would be added next to
this middleware in app.py.
"""

from __future__ import annotations

import json

TOO_LARGE = json.dumps({"detail": "request body too large"}).encode()


class BodySizeLimit:
    """Plain ASGI middleware; the body is small by contract, so it is buffered, then replayed."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                await self._refuse(send)
                return
            more = message.get("more_body", False)
        body = b"".join(chunks)

        async def replay():
            nonlocal body
            if body is None:
                return await receive()
            message, body = {"type": "http.request", "body": body, "more_body": False}, None
            return message

        await self.app(scope, replay, send)

    async def _refuse(self, send) -> None:
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(TOO_LARGE)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": TOO_LARGE})
