"""Who is asking: the session cookie and the origin check against CSRF.

The browser keeps its tokens (made by `board/services/credentials.py`) in one signed,
HttpOnly, SameSite=Lax cookie, which page scripts cannot read.
"""

from __future__ import annotations

import re
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.requests import HTTPConnection
from starlette.responses import Response

COOKIE = "board_session"


class Sessions:
    """The signed cookie: workshop id -> that browser's token in it."""

    def __init__(self, secret_key: str, secure: bool) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt="board-session")
        self._secure = secure

    def read(self, connection: HTTPConnection) -> dict[str, str]:
        raw = connection.cookies.get(COOKIE)
        if not raw:
            return {}
        try:
            data: Any = self._serializer.loads(raw)
        except BadSignature:
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): str(v) for k, v in data.items()}

    def token_for(self, connection: HTTPConnection, workshop_id: str) -> str | None:
        return self.read(connection).get(workshop_id)

    def remember(self, connection: HTTPConnection, response: Response, workshop_id: str, token: str) -> None:
        tokens = self.read(connection)
        tokens[workshop_id] = token
        response.set_cookie(
            COOKIE,
            self._serializer.dumps(tokens),
            max_age=60 * 60 * 24 * 180,
            httponly=True,
            samesite="lax",
            secure=self._secure,
        )

    def forget(self, connection: HTTPConnection, response: Response, workshop_id: str) -> None:
        tokens = self.read(connection)
        tokens.pop(workshop_id, None)
        response.set_cookie(
            COOKIE,
            self._serializer.dumps(tokens),
            httponly=True,
            samesite="lax",
            secure=self._secure,
        )


def same_origin(connection: HTTPConnection, allowed: tuple[str, ...]) -> bool:
    """Whether the request's Origin (or Referer) is this site or an allowed one.

    Browsers send Origin on websocket handshakes and on unsafe requests, so a page on another
    site cannot drive a participant's session (cross-site websocket hijacking, CSRF). Clients
    that send no Origin are not browsers and carry no ambient cookie we trust.
    """
    origin = connection.headers.get("origin") or _origin_of(connection.headers.get("referer", ""))
    if not origin:
        return True
    host = connection.headers.get("host", "")
    own = {f"http://{host}", f"https://{host}"}
    return origin in own or origin in allowed


def _origin_of(url: str) -> str:
    match = re.match(r"^(https?://[^/]+)", url)
    return match.group(1) if match else ""
