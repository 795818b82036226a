"""Read-only by default: any method but GET/HEAD needs the ``web.token`` bearer token, and
every answer carries headers that keep a page from running or framing anything."""

from __future__ import annotations

import hmac

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp

READ_METHODS = {"GET", "HEAD"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class ReadOnly(BaseHTTPMiddleware):
    """Refuse writes unless authenticated with the configured bearer token."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.method not in READ_METHODS:
            given = request.headers.get("authorization", "")
            if not given:
                return PlainTextResponse(
                    "read-only: only GET is allowed",
                    status_code=405,
                    headers={"Allow": "GET, HEAD"},
                )
            scheme, _, value = given.partition(" ")
            ok = (
                self.token is not None
                and scheme.lower() == "bearer"
                and hmac.compare_digest(value.strip().encode(), self.token.encode())
            )
            if not ok:
                return PlainTextResponse(
                    "invalid token", status_code=401, headers={"WWW-Authenticate": "Bearer"}
                )
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
