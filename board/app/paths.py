"""Request paths and query strings follow the one rule for strings (`core/characters.py`).

Path parameters (a workshop id, a board id, an exit-poll entry id) reach the store as they
are: PostgreSQL cannot even compare NUL (a 500 and a traceback), SQLite would look it up. So
a request whose decoded path or query string holds a forbidden character is refused here,
before any route: 400 `bad_character` over HTTP, refused at the handshake (403) for a websocket.
"""

from __future__ import annotations

from urllib.parse import unquote

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from board.core import characters
from board.core.errors import ProtocolError
from board.core.protocol import CloseCode


def refusal(scope: Scope) -> ProtocolError | None:
    """Why this request's path or query string is refused, or None."""
    query = unquote(scope.get("query_string", b"").decode("latin-1"), errors="surrogateescape")
    for field, text in (("path", scope.get("path", "")), ("query", query)):
        refused = characters.refusal(text, field)
        if refused is not None:
            return refused
    return None


async def refuse_socket(send: Send) -> None:
    """Refuse a websocket at the handshake (uvicorn answers 403)."""
    await send({"type": "websocket.close", "code": CloseCode.POLICY})


class PlainPaths:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            refused = refusal(scope)
            if refused is not None and scope["type"] == "websocket":
                await refuse_socket(send)
                return
            if refused is not None:
                error = {"code": refused.code.value, "field": refused.field, "message": refused.rule}
                await JSONResponse({"error": error}, status_code=400)(scope, receive, send)
                return
        await self.app(scope, receive, send)
