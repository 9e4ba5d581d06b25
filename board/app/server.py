"""How uvicorn runs the app: one place, used by `board serve` and by the tests."""

from __future__ import annotations

import uvicorn

from board.app.main import create_app
from board.app.wsprotocol import BoardWebSocketProtocol
from board.core.limits import LIMITS
from board.settings import ServerSettings

PING_INTERVAL = 20.0
"""Seconds between websocket pings; a peer that misses one for PING_TIMEOUT is dropped, so a
phone that vanished without closing frees its place within about 40 s."""
PING_TIMEOUT = 20.0
GRACEFUL_SHUTDOWN = 3
"""Seconds a stopping server waits for requests still running: sockets are closed with 1012 at
once (clients reconnect to another process or the restarted one), and an exit-poll page's
long poll, which may wait 25 s for news, must not hold a restart that long."""


def uvicorn_config(
    settings: ServerSettings, *, proxy: bool = False, log_level: str = "info"
) -> uvicorn.Config:
    return uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        # The sans-I/O websockets protocol lets the hub see when a socket can take a frame
        # (outlet.py); ours closes for a broken frame only after the acks (wsprotocol.py).
        ws=BoardWebSocketProtocol,
        ws_max_size=LIMITS.hard_frame_bytes,
        # No permessage-deflate: it compresses each frame once per socket, which would undo
        # sending one pre-encoded frame to everyone (DESIGN.md §7).
        ws_per_message_deflate=False,
        ws_ping_interval=PING_INTERVAL,
        ws_ping_timeout=PING_TIMEOUT,
        proxy_headers=proxy,
        # Only the configured proxies may name the client: from anyone else X-Forwarded-For
        # is ignored (else a guesser picks a fresh address for every wrong join code).
        forwarded_allow_ips=list(settings.trusted_proxies) if proxy else None,
        log_level=log_level,
        lifespan="on",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN,
    )
