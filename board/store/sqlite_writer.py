"""Group commits on SQLite, on a plain `sqlite3` connection, on the event loop's own thread.

The commit of a group of ops is the hot path: the benchmark measured about 6 ms of CPU and
19 hand-offs to aiosqlite's thread per one-op commit through SQLAlchemy, against 64 µs for
the same statements on a plain connection. SQLite serves one process (PostgreSQL is for
several), and that process's writes take turns on one asyncio lock (`Database.write_lock`), so
this connection is the only writer while a group commit runs and its statements never wait.
They then run right where they are asked for: a hand-off to a writer thread per step (`BEGIN
IMMEDIATE` and the head, the dedupe lookup, the writes, `COMMIT`) cost more than the statements
themselves (a lone edit went from 1.8 to 1.4 ms delivered, BENCHMARKS.md), in thread wake-ups
and in the loop waiting for the GIL. Two things could still make a statement wait, and both
stay off the loop:
- another process holding SQLite's write lock (`board purge`, a second server by mistake):
  the connection never waits (`busy_timeout` 0), and a `BEGIN IMMEDIATE` that finds the
  database locked is retried on the writer thread, which may wait (`BUSY_TIMEOUT_MS`);
- a checkpoint (copying the WAL into the database file, with an `fsync`): SQLite would run
  one inside the commit that grows the WAL past 1,000 pages; here it is turned off for this
  connection and run on the writer thread instead, on a connection of its own, every
  `CHECKPOINT_EVERY` commits.
Under `synchronous=FULL` every `COMMIT` waits for the disk, so then every step goes to the
writer thread as before. Everything else still goes through SQLAlchemy; WAL lets those
connections read while this one writes.

The same store contract (tests/contracts/test_store_contract.py) runs against this and the
SQLAlchemy implementation.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Final, TypeVar

import msgspec

from board.core.model import AnyObject, Settings
from board.store.rows import (
    TOMBSTONE,
    BoardNotFound,
    LoggedOp,
    NewOp,
    object_rows,
    op_rows,
    removals,
    settings_text,
    tombstone_rows,
)

T = TypeVar("T")
log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS: Final = 10_000
"""How long the writer thread waits for another process's write lock before "database is locked"."""
CHECKPOINT_EVERY: Final = 200
"""Commits between checkpoints. A group commit writes a few pages (its ops, objects and board
row, and their indexes), so 200 keep the WAL near SQLite's own default of 1,000 pages (~4 MiB)."""

OPS_AFTER = "SELECT seq, participant_id, op_id, effects FROM ops WHERE board_id = ? AND seq > ? ORDER BY seq"
COMMITTED = (
    "SELECT o.participant_id, o.op_id, o.seq FROM (VALUES {pairs}) AS v"
    " CROSS JOIN ops AS o ON o.participant_id = v.column1 AND o.op_id = v.column2"
)
"""Which of a group's (participant, op id) pairs are logged already: each pair looked up in the
dedupe index (`CROSS JOIN` keeps the pairs the outer loop). Written as `(participant_id, op_id)
IN (VALUES ...)`, SQLite scanned the whole op log instead, on every group commit: 12 % of the
event loop at N=1000 once the log held a few hundred thousand ops (BENCHMARKS.md)."""
DELETE_THEIR_OPS = "DELETE FROM ops WHERE board_id = ? AND participant_id = ?"
EMPTY_EFFECTS = "UPDATE ops SET effects = NULL WHERE board_id = ? AND seq <= ?"
SET_FLOOR = "UPDATE boards SET floor_seq = ? WHERE id = ?"
INSERT_OP = (
    "INSERT INTO ops (board_id, seq, participant_id, op_id, effects, created_at)"
    " VALUES (:board_id, :seq, :participant_id, :op_id, :effects, :created_at)"
)
DELETE_OBJECTS = "DELETE FROM objects WHERE board_id = ? AND id IN ({marks})"
UPSERT_OBJECT = (
    "INSERT INTO objects (board_id, id, author_id, data, made)"
    " VALUES (:board_id, :id, :author_id, :data, :made)"
    " ON CONFLICT (board_id, id) DO UPDATE SET data = excluded.data, author_id = excluded.author_id,"
    " made = COALESCE(excluded.made, objects.made)"
)
"""The author too: a merged point passed on to another contributor is theirs (`withdrawal.py`).
Where it was made only when an op made it (`rows.made_at`): an update leaves it."""
FORGET_REMOVER = "UPDATE objects SET author_id = NULL WHERE board_id = ? AND author_id = ? AND data = ?"
SET_HEAD = "UPDATE boards SET head_seq = ? WHERE id = ?"
SET_HEAD_AND_SETTINGS = "UPDATE boards SET head_seq = ?, settings = ? WHERE id = ?"


class SqliteWriter:
    """The op log's writer connection, and the thread that does what must not block the loop."""

    def __init__(self, path: str, synchronous: str) -> None:
        self._path = path
        self._synchronous = synchronous
        self._inline = synchronous in ("OFF", "NORMAL")
        """A `COMMIT` waits for no disk (WAL), so statements may run on the loop's thread."""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="board-sqlite-writer")
        self._connection: sqlite3.Connection | None = None
        self._checkpoints: sqlite3.Connection | None = None
        self._commits = 0
        self._checkpointing: asyncio.Future[None] | None = None

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        if self._inline:
            return work(self._connected())
        return await self.off_loop(work)

    async def off_loop(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work` on the writer thread, where it may wait for the disk or another process."""
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, lambda: work(self._connected())
        )

    def _connected(self) -> sqlite3.Connection:
        if self._connection is None:
            # Used by the loop's thread and the writer thread in turn, never at once.
            connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(f"PRAGMA synchronous={self._synchronous}")
            connection.execute("PRAGMA foreign_keys=ON")
            if self._inline:
                connection.execute("PRAGMA busy_timeout=0")
                connection.execute("PRAGMA wal_autocheckpoint=0")
            else:
                connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self._connection = connection
        return self._connection

    async def begin(self, board_id: str) -> tuple[int, int]:
        """`BEGIN IMMEDIATE` and the board's head and floor; on the writer thread when another
        process holds the write lock, so the loop never waits for it."""
        if not self._inline:
            return await self.off_loop(lambda connection: _begin(connection, board_id))
        try:
            return _begin(self._connected(), board_id)
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY:
                raise
        return await self.off_loop(lambda connection: _waiting(connection, board_id))

    async def commit(self) -> None:
        await self.run(lambda connection: connection.execute("COMMIT"))
        self._commits += 1
        if self._inline and self._commits % CHECKPOINT_EVERY == 0 and self._checkpointing is None:
            self._checkpointing = asyncio.ensure_future(self._checkpoint())

    async def _checkpoint(self) -> None:
        """A checkpoint on the writer thread, on its own connection. Not through `off_loop`,
        which hands over the main connection: the loop's thread goes on committing on that one
        meanwhile, and the checkpoint has no use for it."""
        try:
            await asyncio.get_running_loop().run_in_executor(self._executor, self._checkpoint_now)
        except sqlite3.Error:
            # The next one copies what this one could not; nothing committed depends on it.
            log.warning("SQLite checkpoint failed; the next one will try again", exc_info=True)
        finally:
            self._checkpointing = None

    def _checkpoint_now(self) -> None:
        if self._checkpoints is None:
            self._checkpoints = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            self._checkpoints.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # PASSIVE: copies what it can without waiting for, or holding up, the writer.
        self._checkpoints.execute("PRAGMA wal_checkpoint(PASSIVE)")

    async def close(self) -> None:
        if self._checkpointing is not None:
            await self._checkpointing

        def close(connection: sqlite3.Connection) -> None:
            connection.close()
            if self._checkpoints is not None:
                self._checkpoints.close()
                self._checkpoints = None

        if self._connection is not None:
            await self.off_loop(close)
            self._connection = None
        self._executor.shutdown(wait=True)

    @asynccontextmanager
    async def sequence(self, board_id: str) -> AsyncIterator[SqliteSequencing]:
        """A group commit on one board: committed when the block ends, rolled back if it raises."""
        head, floor = await self.begin(board_id)
        try:
            yield SqliteSequencing(self, board_id, head, floor)
        except BaseException:
            await self.run(lambda connection: connection.execute("ROLLBACK"))
            raise
        await self.commit()


def _waiting(connection: sqlite3.Connection, board_id: str) -> tuple[int, int]:
    """`_begin`, waiting up to `BUSY_TIMEOUT_MS` for another process's write lock."""
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    try:
        return _begin(connection, board_id)
    finally:
        connection.execute("PRAGMA busy_timeout=0")


def _begin(connection: sqlite3.Connection, board_id: str) -> tuple[int, int]:
    connection.execute("BEGIN IMMEDIATE")
    row = connection.execute("SELECT head_seq, floor_seq FROM boards WHERE id = ?", (board_id,)).fetchone()
    if row is None:
        connection.execute("ROLLBACK")
        raise BoardNotFound(board_id)
    return int(row[0]), int(row[1])


class SqliteSequencing:
    """One group commit on one board, inside its `BEGIN IMMEDIATE` transaction."""

    def __init__(self, writer: SqliteWriter, board_id: str, head: int, floor: int) -> None:
        self._writer = writer
        self.board_id = board_id
        self.head = head
        self.floor = floor

    async def since(self, seq: int) -> list[LoggedOp]:
        board_id = self.board_id

        def read(connection: sqlite3.Connection) -> list[LoggedOp]:
            rows = connection.execute(OPS_AFTER, (board_id, seq))
            return [
                LoggedOp(s, participant, op_id, None if effects is None else msgspec.json.decode(effects))
                for s, participant, op_id, effects in rows
            ]

        return await self._writer.run(read)

    async def committed(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        wanted = list(keys)
        if not wanted:
            return {}

        def read(connection: sqlite3.Connection) -> dict[tuple[str, str], int]:
            pairs = ",".join("(?, ?)" for _ in wanted)
            rows = connection.execute(
                COMMITTED.format(pairs=pairs), [value for pair in wanted for value in pair]
            )
            return {(participant, op_id): seq for participant, op_id, seq in rows}

        return await self._writer.run(read)

    async def erase_participant(self, participant_id: str, floor: int) -> None:
        board_id = self.board_id

        def erase(connection: sqlite3.Connection) -> None:
            connection.execute(
                "DELETE FROM ops WHERE board_id = ? AND participant_id = ?", (board_id, participant_id)
            )
            connection.execute(
                "UPDATE ops SET effects = NULL WHERE board_id = ? AND seq <= ?", (board_id, floor)
            )
            connection.execute(FORGET_REMOVER, (board_id, participant_id, TOMBSTONE))
            connection.execute("UPDATE boards SET floor_seq = ? WHERE id = ?", (floor, board_id))

        await self._writer.run(erase)
        self.floor = floor

    async def append(
        self,
        ops: Sequence[NewOp],
        puts: Mapping[str, tuple[AnyObject, str | None]],
        deletes: Iterable[str],
        settings: Settings | None,
        gone: Mapping[str, str | None] | None = None,
        made: Mapping[str, int] | None = None,
    ) -> None:
        if not ops:
            return
        board_id, head = self.board_id, self.head
        operations = op_rows(board_id, head, ops)
        tombstones, removed = removals(puts, deletes, gone)
        objects = object_rows(board_id, puts, made) + tombstone_rows(board_id, tombstones)
        settings_json = settings_text(settings)

        def write(connection: sqlite3.Connection) -> None:
            connection.executemany(INSERT_OP, operations)
            if removed:
                marks = ",".join("?" for _ in removed)
                connection.execute(DELETE_OBJECTS.format(marks=marks), [board_id, *removed])
            if objects:
                connection.executemany(UPSERT_OBJECT, objects)
            last = operations[-1]["seq"]
            if settings_json is None:
                connection.execute(SET_HEAD, (last, board_id))
            else:
                connection.execute(SET_HEAD_AND_SETTINGS, (last, settings_json, board_id))

        await self._writer.run(write)
        self.head = ops[-1].seq
