"""`create_app(settings)`: the Starlette application, with its resources opened in the lifespan.

Middleware order, outermost first: Starlette's own error middleware (so a crash anywhere still
gets a 500), `KeepRawSend` (the outlet needs the server's own websocket `send`), then the
security headers on every HTTP response, then `PlainPaths` (no forbidden character in a path
or query string reaches a route: `paths.py`).

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

from board.app.auth import Sessions
from board.app.guards import FAILED_ATTEMPTS_PER_MINUTE, LOCKOUT_SECONDS, Refusal, now, refused
from board.app.headers import SecurityHeaders
from board.app.paths import PlainPaths
from board.app.routes import routes
from board.app.services import Services
from board.app.ws import KeepRawSend
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


def create_app(settings: ServerSettings) -> Starlette:
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

    return Starlette(
        routes=routes,
        middleware=[Middleware(KeepRawSend), Middleware(SecurityHeaders), Middleware(PlainPaths)],
        lifespan=lifespan,
        exception_handlers={Refusal: refused},
    )
