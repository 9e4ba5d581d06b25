"""`create_app(settings)`: the Starlette application, with its resources opened in the lifespan.

In front of it, `SocketFirst` sends the board's websocket (`/ws`) straight to its endpoint, and
everything else to Starlette. Middleware order, outermost first: Starlette's own error
middleware (so a crash anywhere still gets a 500), the security headers on every HTTP
response, then `PlainPaths` (no forbidden character in a path or query string reaches a route:
`paths.py`).

A guard that refuses a request raises `Refusal`; the one handler registered for it answers with
the error (`guards.py`), so no route passes a refusal back up by hand.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.templating import Jinja2Templates
from starlette.types import Receive, Scope, Send

from board.app.auth import Sessions
from board.app.guards import FAILED_ATTEMPTS_PER_MINUTE, LOCKOUT_SECONDS, Refusal, now, refused
from board.app.headers import SecurityHeaders
from board.app.paths import PlainPaths, refusal, refuse_socket
from board.app.routes import routes
from board.app.services import Services
from board.app.ws import SOCKET_PATH, board_socket
from board.broker import connect
from board.core.ratelimit import Lockout
from board.services.poll import ExitPoll, load_blocklist
from board.services.retention import closing, scheduled
from board.settings import ServerSettings, secret_key
from board.store.database import Database
from board.store.directory import Directory
from board.store.oplog import OpLog
from board.sync.hub import Hub

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


class SocketFirst:
    """The ASGI app the server runs: a websocket on `/ws` goes straight to `ws.board_socket`,
    everything else (HTTP, lifespan, any other socket) to the Starlette app.

    Why: an idle socket's task would otherwise hold Starlette's middleware and routing frames
    for as long as it is open, ~4.6 KiB of a target of 12 (issue 19, BENCHMARKS.md). What that
    stack does for the board's socket is done here: a forbidden character in the query string
    is refused at the handshake (`paths.py`; the path is `/ws`), and the endpoint finds the app
    in the scope (`websocket.app.state`) as under Starlette. The security headers are for HTTP
    responses; an endpoint that raises is closed by uvicorn (1011), as under Starlette, whose
    error middleware passes sockets through. The origin check is the endpoint's own.
    """

    def __init__(self, app: Starlette) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket" or _route_path(scope) != SOCKET_PATH:
            await self.app(scope, receive, send)
            return
        if refusal(scope) is not None:
            await refuse_socket(send)
            return
        scope["app"] = self.app
        await board_socket(scope, receive, send)


def _route_path(scope: Scope) -> str:
    """The path as Starlette's routes match it: without the server's `root_path`, if any."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def create_app(settings: ServerSettings) -> SocketFirst:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        database = Database(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
        try:
            await database.check_migrated()
            blocklist = load_blocklist(settings.poll_blocklist)
            broker = connect(settings.broker_url)
            await broker.start()
        except BaseException:
            await database.dispose()
            raise
        oplog = OpLog(database)
        hub = Hub(
            oplog,
            broker,
            now=now,
            networked=settings.networked,
            replay_window=settings.replay_window,
            replay_bytes=settings.replay_bytes,
            memory_budget=settings.memory_budget,
        )
        directory = Directory(database)
        app.state.services = Services(
            settings=settings,
            database=database,
            oplog=oplog,
            directory=directory,
            broker=broker,
            hub=hub,
            sessions=Sessions(secret_key(settings), settings.secure_cookies),
            templates=Jinja2Templates(directory=TEMPLATES),
            join_limiter=Lockout(FAILED_ATTEMPTS_PER_MINUTE, window=60.0, penalty=LOCKOUT_SECONDS),
            exit_poll=ExitPoll(hub, oplog, directory, database, blocklist),
        )
        try:
            erase = closing(hub, app.state.services.directory)
            async with scheduled(database, now, settings.keep_days, erase):
                yield
        finally:
            await app.state.services.exit_poll.close()
            await hub.close()
            await broker.stop()
            await database.dispose()

    return SocketFirst(
        Starlette(
            routes=routes,
            middleware=[Middleware(SecurityHeaders), Middleware(PlainPaths)],
            lifespan=lifespan,
            exception_handlers={Refusal: refused},
        )
    )
