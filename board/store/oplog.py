"""The op log and each board's current objects: where "ack means durable" is kept.

`OpLog.sequence()` opens one write transaction per group of ops: it locks the board's row,
reads the head seq, lets the caller see the ops other processes committed since it last
looked, dedupes resent ops, and stores the new ones with consecutive seqs together with the
objects they changed. The caller acks only after the block has committed.

On PostgreSQL the usual group, from sockets, is first tried in one statement and one round
trip (`OpLog.append_at`): the caller applies it to the state it has, assuming it is at the
stored head and none of the ops is a resend, and the statement stores it only if that holds,
all of it or nothing. When it does not hold (another process committed, a client resent an
op) nothing was written, and the same statement says why (`Appended`): the stored head and
floor, the ops after the caller's head and which of the group's ops are in the log already, so
the caller can catch up and try again, two round trips in all. When the statement waited for
another writer's lock, it read the log as it was before that commit and cannot say what was
missed: the caller reads it (`since`, one more round trip on the same pool) and tries again.
Only a withdrawal that raised the floor, or a third failed try, sends the group the long way
round through `sequence()`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import asyncpg
import msgspec
from sqlalchemy import bindparam, delete, func, select, text, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from board.core.model import AnyObject, Settings
from board.core.state import BoardState
from board.store import tables
from board.store.database import Database
from board.store.erase import erase_participant_ops
from board.store.rows import (
    TOMBSTONE,
    BoardNotFound,
    LoggedOp,
    NewOp,
    Unstorable,
    data_refused,
    object_rows,
    op_rows,
    removals,
    settings_text,
    tombstone_rows,
)

_objects = tables.objects
_ops = tables.ops
_boards = tables.boards
_object_decoder = msgspec.json.Decoder(AnyObject)
_settings_decoder = msgspec.json.Decoder(Settings)
_encode = msgspec.json.encode
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class LoadedBoard:
    board_id: str
    workshop_id: str
    number: int
    head: int
    floor: int
    state: BoardState
    recent: list[LoggedOp]
    """The last ops (up to the replay window), oldest first, for resuming clients."""


class OpLog:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def load(self, board_id: str, replay_window: int) -> LoadedBoard:
        async with self.database.read() as connection:
            board = (await connection.execute(select(_boards).where(_boards.c.id == board_id))).one_or_none()
            if board is None:
                raise BoardNotFound(board_id)
            rows = await connection.execute(
                select(_objects.c.id, _objects.c.author_id, _objects.c.data).where(
                    _objects.c.board_id == board_id
                )
            )
            objects: dict[str, AnyObject] = {}
            authors: dict[str, str] = {}
            gone: dict[str, str | None] = {}
            for oid, author, data in rows:
                if data == TOMBSTONE:
                    gone[oid] = author
                    continue
                objects[oid] = _object_decoder.decode(data)
                if author is not None:
                    authors[oid] = author
            start = max(board.floor_seq, board.head_seq - replay_window)
            recent = await _ops_after(connection, board_id, start)
        state = BoardState(objects, authors, _settings_decoder.decode(board.settings), gone)
        return LoadedBoard(
            board_id,
            board.workshop_id,
            board.number,
            board.head_seq,
            board.floor_seq,
            state,
            recent,
        )

    async def head(self, board_id: str) -> int:
        """The board's stored head seq. Every open board reads it every `HEAD_POLL` seconds in
        every process (`Room.check_head`), so on PostgreSQL it is one statement on the commit
        path's pool, one round trip and 0.09 ms of CPU: through SQLAlchemy it was four round
        trips (a pre-ping, BEGIN, the query, ROLLBACK) and 0.62 ms."""
        if self.database.is_sqlite:
            async with self.database.read() as connection:
                head = await connection.scalar(_HEAD, {"board": board_id})
        else:
            found = await self._on_hot_connection(_HOT_HEAD.fetch({"board": board_id}))
            head = found[0][0] if found else None
        if head is None:
            raise BoardNotFound(board_id)
        return int(head)

    async def since(self, board_id: str, seq: int) -> list[LoggedOp]:
        if self.database.is_sqlite:
            async with self.database.read() as connection:
                return await _ops_after(connection, board_id, seq)
        # PostgreSQL: one statement on the commit path's pool, in one round trip (a group
        # commit that waited for another process's lock reads what it missed here).
        found = await self._on_hot_connection(_HOT_OPS_AFTER.fetch({"board": board_id, "seq": seq}))
        return _logged(found)

    async def _on_hot_connection(self, run: Callable[[asyncpg.Connection], Awaitable[_T]]) -> _T:
        """`run` on a connection of the commit path's pool (`Database.hot_pool`, PostgreSQL), in
        autocommit: each statement is committed on its own, with no transaction around it.
        That pool has no pre-ping (it would double the round trips), so a connection the server
        dropped is retried once, `run` again on a fresh one; any other error, or a second
        drop, is raised as it is."""
        pool = await self.database.hot_pool()
        for attempt in (1, 2):
            async with pool.acquire() as connection:
                try:
                    return await run(connection)
                except Exception:
                    if attempt == 2 or not connection.is_closed():
                        raise
        raise AssertionError("unreachable")

    @property
    def appends_at_once(self) -> bool:
        """`append_at` can store a group in one statement (PostgreSQL)."""
        return not self.database.is_sqlite

    async def append_at(
        self,
        board_id: str,
        at: tuple[int, int],
        keys: Iterable[tuple[str, str]],
        ops: Sequence[NewOp],
        puts: Mapping[str, tuple[AnyObject, str | None]],
        deletes: Iterable[str],
        settings: Settings | None,
        gone: Mapping[str, str | None] | None = None,
        made: Mapping[str, int] | None = None,
    ) -> Appended:
        """Store a group in one statement, committed on its own, if the board is still at
        `at` (head, floor) and none of `keys` (participant, client op id) is in the log yet;
        else store nothing and say why (`Appended`). PostgreSQL only (`appends_at_once`).

        The board's row is locked for the statement, so two processes cannot both pass. A
        connection the server dropped is retried once on a fresh one: if the first try was
        committed after all, the retry finds the head moved and stores nothing, and its
        answer holds the ops it committed (exactly once)."""
        params = _append_at_params(board_id, at, keys, ops, puts, deletes, settings, gone, made)
        try:
            found = await self._on_hot_connection(_HOT_APPEND_AT.fetch(params))
        except Exception as error:
            raise _refused_or(error) from error
        if not found:
            raise BoardNotFound(board_id)
        return _appended(at[0], found[0])

    @asynccontextmanager
    async def sequence(self, board_id: str) -> AsyncIterator[Sequencing]:
        """A group commit on one board (see `Sequencing`). On SQLite it runs on the writer
        thread (`sqlite_writer.py`); elsewhere through SQLAlchemy, the board's row locked.
        Raises `Unstorable` when the database refused the data it was given."""
        try:
            writer = self.database.sqlite_writer
            if writer is not None:
                async with self.database.write_lock(), writer.sequence(board_id) as sequencing:
                    yield sequencing
                return
            async with self.database.write() as connection:
                query = select(_boards.c.head_seq, _boards.c.floor_seq).where(_boards.c.id == board_id)
                if not self.database.is_sqlite:
                    query = query.with_for_update()
                row = (await connection.execute(query)).one_or_none()
                if row is None:
                    raise BoardNotFound(board_id)
                is_sqlite = self.database.is_sqlite
                yield SqlSequencing(connection, board_id, row.head_seq, row.floor_seq, is_sqlite)
        except Exception as error:
            # Rolled back by now.
            raise _refused_or(error) from error


class Sequencing(Protocol):
    """One group commit on one board, inside its transaction, with the board locked against
    other writers: `head` and `floor` as stored when it began."""

    board_id: str
    head: int
    floor: int

    async def since(self, seq: int) -> list[LoggedOp]:
        """Ops committed after `seq` (by any process), oldest first."""
        ...

    async def committed(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """Which (participant, client op id) pairs are already in the log, and at what seq."""
        ...

    async def erase_participant(self, participant_id: str, floor: int) -> None:
        """A participant's op rows deleted, and every op's effects up to `floor` emptied."""
        ...

    async def append(
        self,
        ops: Sequence[NewOp],
        puts: Mapping[str, tuple[AnyObject, str | None]],
        deletes: Iterable[str],
        settings: Settings | None,
        gone: Mapping[str, str | None] | None = None,
        made: Mapping[str, int] | None = None,
    ) -> None:
        """Store ops (their seqs follow the head without a gap) and the objects they changed;
        a deleted object named in `gone` leaves a tombstone with its remover; an object named
        in `made` was made by these ops, there (`rows.made_at`)."""
        ...


class SqlSequencing:
    """A group commit through SQLAlchemy (PostgreSQL: the board's row is locked FOR UPDATE)."""

    def __init__(self, connection: AsyncConnection, board_id: str, head: int, floor: int, is_sqlite: bool):
        self.connection = connection
        self.board_id = board_id
        self.head = head
        self.floor = floor
        self._insert = sqlite.insert if is_sqlite else postgresql.insert

    async def since(self, seq: int) -> list[LoggedOp]:
        """Ops committed after `seq` (by any process), oldest first."""
        return await _ops_after(self.connection, self.board_id, seq)

    async def committed(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """Which (participant, client op id) pairs are already in the log, and at what seq."""
        wanted = list(keys)
        if not wanted:
            return {}
        rows = await self.connection.execute(
            select(_ops.c.participant_id, _ops.c.op_id, _ops.c.seq).where(
                tuple_(_ops.c.participant_id, _ops.c.op_id).in_(wanted)
            )
        )
        return {(participant, op_id): seq for participant, op_id, seq in rows}

    async def erase_participant(self, participant_id: str, floor: int) -> None:
        """A participant's op rows deleted, and every op's effects up to `floor` emptied."""
        await erase_participant_ops(self.connection, self.board_id, participant_id, floor)
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
        connection = self.connection
        await connection.execute(_ops.insert(), op_rows(self.board_id, self.head, ops))
        tombstones, removed = removals(puts, deletes, gone)
        if removed:
            await connection.execute(
                delete(_objects).where(_objects.c.board_id == self.board_id, _objects.c.id.in_(removed))
            )
        if puts or tombstones:
            insert = self._insert(_objects)
            await connection.execute(
                insert.on_conflict_do_update(
                    index_elements=[_objects.c.board_id, _objects.c.id],
                    # The author too: a merged point passed on to another contributor when
                    # its writer withdraws is theirs from then on (`withdrawal.share_out`).
                    set_={
                        "data": insert.excluded.data,
                        "author_id": insert.excluded.author_id,
                        # Where it was made only when an op made it: an update leaves it.
                        "made": func.coalesce(insert.excluded.made, _objects.c.made),
                    },
                ),
                object_rows(self.board_id, puts, made) + tombstone_rows(self.board_id, tombstones),
            )
        values: dict[str, Any] = {"head_seq": ops[-1].seq}
        if settings is not None:
            values["settings"] = settings_text(settings)
        await connection.execute(update(_boards).where(_boards.c.id == self.board_id).values(**values))
        self.head = ops[-1].seq


def _refused_or(error: Exception) -> Exception:
    """Either database may refuse data the other takes (PostgreSQL has no NUL in text): say so
    in one way (`Unstorable`), so one op's data never reads as a fault of the board."""
    if data_refused(error):
        # The driver's words only: SQLAlchemy's own would quote the statement's values.
        cause = getattr(error, "orig", None) or error
        return Unstorable(f"{type(cause).__name__}: {cause}")
    return error


_ASYNCPG = postgresql.asyncpg.dialect()  # type: ignore[no-untyped-call]  # SQLAlchemy's own is untyped


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A statement of the commit path compiled once for asyncpg (`Database.hot_pool`): its SQL
    with `$n` placeholders, and its parameters' names in that order."""

    sql: str
    names: tuple[str, ...]

    @classmethod
    def of(cls, statement: ClauseElement) -> _Compiled:
        compiled = statement.compile(dialect=_ASYNCPG)
        assert isinstance(compiled, SQLCompiler)
        return cls(compiled.string, tuple(compiled.positiontup or ()))

    def fetch(self, params: Mapping[str, Any]) -> Callable[[asyncpg.Connection], Awaitable[list[Any]]]:
        """The statement run with `params` on a connection, for `OpLog._on_hot_connection`."""
        args = [params[name] for name in self.names]

        async def run(connection: asyncpg.Connection) -> list[Any]:
            rows: list[Any] = await connection.fetch(self.sql, *args)
            return rows

        return run


_APPEND_AT = text(
    """
WITH board AS (
    SELECT head_seq, floor_seq FROM boards WHERE id = :board FOR UPDATE
), go AS (
    SELECT 1 FROM board
    WHERE head_seq = :head AND floor_seq = :floor AND NOT EXISTS (
        SELECT 1 FROM ops
        JOIN unnest(CAST(:key_parts AS text[]), CAST(:key_ids AS text[])) AS k(participant, op)
        ON ops.participant_id = k.participant AND ops.op_id = k.op
    )
), logged AS (
    INSERT INTO ops (board_id, seq, participant_id, op_id, effects, created_at)
    SELECT :board, r.seq, r.participant, r.op, r.effects, r.created
    FROM unnest(
        CAST(:seqs AS bigint[]), CAST(:parts AS text[]), CAST(:ids AS text[]),
        CAST(:effects AS text[]), CAST(:created AS bigint[])
    ) AS r(seq, participant, op, effects, created)
    WHERE EXISTS (SELECT 1 FROM go)
), removed AS (
    DELETE FROM objects
    WHERE ctid = ANY(ARRAY(
        SELECT (SELECT o.ctid FROM objects AS o WHERE o.board_id = :board AND o.id = r.id)
        FROM unnest(CAST(:removed AS text[])) AS r(id)
    )) AND EXISTS (SELECT 1 FROM go)
), stored AS (
    INSERT INTO objects (board_id, id, author_id, data, made)
    SELECT :board, r.id, r.author, r.data, r.made
    FROM unnest(
        CAST(:oids AS text[]), CAST(:authors AS text[]), CAST(:datas AS text[]), CAST(:mades AS bigint[])
    ) AS r(id, author, data, made)
    WHERE EXISTS (SELECT 1 FROM go)
    ON CONFLICT (board_id, id) DO UPDATE SET
        data = excluded.data, author_id = excluded.author_id, made = COALESCE(excluded.made, objects.made)
), moved AS (
    UPDATE boards SET head_seq = :new_head, settings = COALESCE(CAST(:settings AS text), settings)
    WHERE id = :board AND EXISTS (SELECT 1 FROM go)
)
SELECT
    EXISTS (SELECT 1 FROM go) AS stored,
    board.head_seq AS head,
    board.floor_seq AS floor,
    CASE WHEN EXISTS (SELECT 1 FROM go) THEN NULL ELSE (
        SELECT json_agg(json_build_array(ops.participant_id, ops.op_id, ops.seq))
        FROM ops
        JOIN unnest(CAST(:key_parts AS text[]), CAST(:key_ids AS text[])) AS k(participant, op)
        ON ops.participant_id = k.participant AND ops.op_id = k.op
    ) END AS earlier,
    CASE WHEN EXISTS (SELECT 1 FROM go) OR board.head_seq - :head > :most THEN NULL ELSE (
        SELECT json_agg(json_build_array(o.seq, o.participant_id, o.op_id, o.effects) ORDER BY o.seq)
        FROM ops AS o WHERE o.board_id = :board AND o.seq > :head
    ) END AS missed
FROM board
"""
)
"""`OpLog.append_at`: lock the board's row; go on only if it is at the expected head and
floor and no op of the group is in the log; then store the ops, delete and write the objects
and advance the head, in one statement (its own transaction). Either way, say what it found:
the head and floor, and when it stored nothing, the group's ops already logged and the ops
after the caller's head (up to `MOST_MISSED` of them).

The objects removed are each looked up by their whole key, one at a time (the inner
`SELECT`, an index probe of `objects_pkey` whatever the planner believes), and deleted by
where that found them. Written as `board_id = :board AND id = ANY(:removed)` the plan depends on
the statistics: the hot pool's generic plan guesses ten ids, and while the objects table has
not been analysed yet (a new database; a board filled faster than autovacuum comes round) it
guesses a board holds eight objects, so it read every object of the board by `board_id` and
filtered the ids (2 ms a commit on a board of 10,000, against 0.02: tests/contracts,
`test_s10`). Every writer of a board's objects holds the board's row lock (`board` above), so
no other transaction moves a row between the lookup and the delete."""

_HOT_APPEND_AT = _Compiled.of(_APPEND_AT)

MOST_MISSED = 1000
"""Ops after the caller's head that `append_at` sends back when it stores nothing: past this,
the caller is far behind and reads them with `since`."""


def _append_at_params(
    board_id: str,
    at: tuple[int, int],
    keys: Iterable[tuple[str, str]],
    ops: Sequence[NewOp],
    puts: Mapping[str, tuple[AnyObject, str | None]],
    deletes: Iterable[str],
    settings: Settings | None,
    gone: Mapping[str, str | None] | None,
    made: Mapping[str, int] | None,
) -> dict[str, Any]:
    """`_APPEND_AT`'s parameters for `OpLog.append_at`'s arguments."""
    head, floor = at
    wanted = list(keys)
    tombstones = {oid: by for oid, by in (gone or {}).items() if oid not in puts}
    rows = object_rows(board_id, puts, made) + tombstone_rows(board_id, tombstones)
    return {
        "board": board_id,
        "head": head,
        "floor": floor,
        "most": MOST_MISSED,
        "key_parts": [participant for participant, _ in wanted],
        "key_ids": [op_id for _, op_id in wanted],
        "seqs": [row["seq"] for row in op_rows(board_id, head, ops)],
        "parts": [op.participant_id for op in ops],
        "ids": [op.op_id for op in ops],
        "effects": [op.encoded.decode() for op in ops],
        "created": [op.created_at for op in ops],
        "removed": [oid for oid in deletes if oid not in puts and oid not in tombstones],
        "oids": [row["id"] for row in rows],
        "authors": [row["author_id"] for row in rows],
        "datas": [row["data"] for row in rows],
        "mades": [row["made"] for row in rows],
        "new_head": ops[-1].seq if ops else head,
        "settings": settings_text(settings),
    }


@dataclass(frozen=True, slots=True)
class Appended:
    """What `OpLog.append_at` did. When it stored nothing: `missed` is every op after the
    caller's head up to `head`, or None when the statement could not see them all (it waited
    for another writer's lock, and read the log as it was before that writer committed; or
    more than `MOST_MISSED`); `earlier` is which of the group's ops were logged, at what seq."""

    stored: bool
    head: int
    floor: int
    earlier: dict[tuple[str, str], int]
    missed: list[LoggedOp] | None


def _json(value: Any) -> list[Any]:
    """A `json_agg` column: text from asyncpg (no codec for json), or null for no rows."""
    if value is None:
        return []
    decoded: list[Any] = msgspec.json.decode(value) if isinstance(value, str | bytes) else value
    return decoded


def _appended(head: int, row: Mapping[str, Any]) -> Appended:
    if row["stored"]:
        return Appended(True, row["head"], row["floor"], {}, [])
    earlier = {(participant, op_id): seq for participant, op_id, seq in _json(row["earlier"])}
    missed: list[LoggedOp] | None = None
    if row["head"] - head <= MOST_MISSED:
        missed = _logged(_json(row["missed"]))
        if [op.seq for op in missed] != list(range(head + 1, row["head"] + 1)):
            missed = None
    return Appended(False, row["head"], row["floor"], earlier, missed)


_OPS_AFTER = (
    select(_ops.c.seq, _ops.c.participant_id, _ops.c.op_id, _ops.c.effects)
    .where(_ops.c.board_id == bindparam("board"), _ops.c.seq > bindparam("seq"))
    .order_by(_ops.c.seq)
)
_HOT_OPS_AFTER = _Compiled.of(_OPS_AFTER)

_HEAD = select(_boards.c.head_seq).where(_boards.c.id == bindparam("board"))
_HOT_HEAD = _Compiled.of(_HEAD)


async def _ops_after(connection: AsyncConnection, board_id: str, seq: int) -> list[LoggedOp]:
    return _logged(await connection.execute(_OPS_AFTER, {"board": board_id, "seq": seq}))


def _logged(rows: Iterable[Sequence[Any]]) -> list[LoggedOp]:
    """Rows of (seq, participant, op id, effects) as ops, oldest first."""
    return [
        LoggedOp(seq, participant, op_id, None if effects is None else msgspec.json.decode(effects))
        for seq, participant, op_id, effects in rows
    ]
