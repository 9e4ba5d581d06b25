"""Who is asking: facilitator keys, participant tokens, the session cookie, CSRF, join codes.

Secrets (facilitator keys, tokens) are random, high-entropy, shown once and stored only as
SHA-256 hashes: a leaked database reveals no usable credential. The browser keeps its tokens in
one signed, HttpOnly, SameSite=Lax cookie, which page scripts cannot read.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.requests import HTTPConnection
from starlette.responses import Response

COOKIE = "board_session"
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: a code read aloud or copied from a slide survives."""
JOIN_CODE_LENGTH = 8
"""31**8 ≈ 8.5e11 codes; with attempts rate-limited per address, guessing one is hopeless."""


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_id() -> str:
    return secrets.token_hex(12)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def same_secret(secret: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_digest)


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(typed: str) -> str:
    """What someone typed, as a code: case, spaces and dashes do not matter."""
    return re.sub(r"[^A-Z0-9]", "", typed.upper())


def format_join_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


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
