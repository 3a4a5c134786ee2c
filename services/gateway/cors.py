"""OPTIONS and CORS: which methods a path takes, and which browser origins may call the API.

Every path answers OPTIONS with 204 and `Allow`. Cross-origin access is off unless the operator
names origins (`serve --cors-origins`, `TASKROUTER_CORS_ORIGINS`: a comma-separated list, or `*`);
an allowed origin gets the preflight answer and `Access-Control-Allow-Origin` on every response.
Credentials travel in the Authorization header, never in cookies, so no `Allow-Credentials`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

Send = Callable[[dict[str, Any]], Awaitable[None]]

REQUEST_HEADERS = "authorization, content-type, accept, last-event-id, accept-language"
EXPOSED_HEADERS = "www-authenticate, allow, retry-after, location"
MAX_AGE_SECONDS = "600"


class CorsPolicy:
    """The origins a browser may call from: none by default, a list, or every one (`*`)."""

    def __init__(self, origins: Iterable[str] = ()):
        self.origins = {o.strip().rstrip("/") for o in origins if o.strip()}

    @classmethod
    def parse(cls, text: str) -> CorsPolicy:
        return cls(text.split(","))

    def allows(self, origin: str) -> bool:
        return bool(origin) and ("*" in self.origins or origin.rstrip("/") in self.origins)

    def response_headers(self, origin: str) -> list[tuple[bytes, bytes]]:
        """What an allowed origin's response carries (nothing for any other)."""
        if not self.allows(origin):
            return [(b"vary", b"Origin")] if self.origins else []
        value = "*" if "*" in self.origins else origin
        return [(b"access-control-allow-origin", value.encode("latin-1")), (b"vary", b"Origin"),
                (b"access-control-expose-headers", EXPOSED_HEADERS.encode())]

    async def preflight(self, send: Send, allowed: list[str], origin: str, requested_headers: str) -> None:
        """The OPTIONS answer: 204 with Allow, and the preflight grant when the origin is allowed
        (`send` comes from wrap(), which adds the origin grant itself)."""
        methods = ", ".join([*allowed, "OPTIONS"])
        headers = [(b"allow", methods.encode()), (b"content-length", b"0")]
        if self.allows(origin):
            headers += [(b"access-control-allow-methods", methods.encode()),
                        (b"access-control-allow-headers", (requested_headers or REQUEST_HEADERS).encode("latin-1")),
                        (b"access-control-max-age", MAX_AGE_SECONDS.encode())]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    def wrap(self, send: Send, origin: str) -> Send:
        """`send` with the CORS headers added to the response start."""
        extra = self.response_headers(origin)
        if not extra:
            return send

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return with_headers
