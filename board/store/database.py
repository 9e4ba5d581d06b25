"""The database connection: SQLite (embedded default) or PostgreSQL, one interface.

SQLite runs in WAL mode so readers never wait for the writer; writes are serialised by one
asyncio lock per process (SQLite has one writer anyway, and waiting on a lock is cheaper than
retrying "database is locked"). PostgreSQL serialises writers to one board by locking the
board's row, which is what lets several server processes share it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from board.store.sqlite_writer import SqliteWriter

MIGRATIONS = Path(__file__).parent / "migrations"


class NotMigrated(RuntimeError):
    """The database schema is not at the version this code needs."""


def alembic_config(url: str) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Bring the schema to the newest version (`board migrate`). Synchronous: Alembic runs its
    own event loop, so call this from a thread when one is already running."""
    from alembic import command

    _ensure_sqlite_directory(url)
    command.upgrade(alembic_config(url), "head")


def _ensure_sqlite_directory(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


HOT_SERVER_SETTINGS = {"plan_cache_mode": "force_generic_plan"}
"""The hot pool's sessions (`Database.hot_pool`). PostgreSQL plans a prepared statement afresh
on each run while it guesses its generic plan dearer than the custom ones, and for the group
commit it always does (each `unnest` of an array is guessed at 10 rows, not the 1 it is), so
every commit paid its planning, about 0.5 ms of the database's time. Both plans are the same
index lookups (the board's row, the ops by board and seq or by participant and op id, the
objects by board and id): the generic one is planned once per connection."""


class Database:
    def __init__(self, url: str, *, sqlite_synchronous: str = "NORMAL") -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        _ensure_sqlite_directory(url)
        options: dict[str, Any] = {}
        if not self.is_sqlite:
            options.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        self._hot_pool: asyncpg.Pool | None = None
        self._hot_pool_lock = asyncio.Lock()
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        self.sqlite_writer: SqliteWriter | None = None
        """The op log's writer thread (SQLite only); see `sqlite_writer.py`."""
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas(sqlite_synchronous))
            path = make_url(url).database
            if path and path != ":memory:":
                self.sqlite_writer = SqliteWriter(path, sqlite_synchronous)

    async def hot_pool(self) -> asyncpg.Pool:
        """PostgreSQL: the pool of the op log's one-statement group commit (`OpLog.append_at`),
        opened on first use. The driver's own, not SQLAlchemy's: the statement is the whole
        transaction (autocommit), so SQLAlchemy's checkout, isolation level, reset on return
        and result wrapping were about 0.6 ms of CPU a commit for nothing. No pre-ping (it
        would double the round trips) and no reset query on release (another round trip; an
        autocommit connection keeps no state, and the driver still rolls back a transaction
        left open): `OpLog` retries on a fresh connection when the server dropped one."""
        assert not self.is_sqlite
        if self._hot_pool is None:
            async with self._hot_pool_lock:
                if self._hot_pool is None:
                    _, connect_args = self.engine.dialect.create_connect_args(self.engine.url)
                    settings = {**connect_args.pop("server_settings", {}), **HOT_SERVER_SETTINGS}
                    self._hot_pool = await asyncpg.create_pool(
                        min_size=0,
                        max_size=15,
                        reset=_keep_session,
                        server_settings=settings,
                        **connect_args,
                    )
        return self._hot_pool

    @asynccontextmanager
    async def write_lock(self) -> AsyncIterator[None]:
        """This process's turn to write (SQLite has one writer; PostgreSQL locks rows)."""
        if self._write_lock is None:
            yield
            return
        async with self._write_lock:
            yield

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        async with self.write_lock(), self.engine.begin() as connection:
            yield connection

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as connection:
            yield connection

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def check_migrated(self) -> None:
        """Raise `NotMigrated`, naming the command to run, unless the schema is current."""
        head = ScriptDirectory.from_config(alembic_config(self.url)).get_current_head()
        async with self.engine.connect() as connection:
            current = await connection.run_sync(_current_revision)
        if current != head:
            raise NotMigrated(
                f"the database at {make_url(self.url).render_as_string(hide_password=True)} is at "
                f"schema version {current or 'none'}, this server needs {head}: "
                "run `board migrate` (with the same DATABASE_URL) first"
            )

    async def dispose(self) -> None:
        if self.sqlite_writer is not None:
            await self.sqlite_writer.close()
        if self._hot_pool is not None:
            await self._hot_pool.close()
        await self.engine.dispose()


async def _keep_session(_connection: asyncpg.Connection) -> None:
    """No reset query when a connection goes back to the hot pool (see `Database.hot_pool`)."""


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _sqlite_pragmas(synchronous: str) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    return on_connect
