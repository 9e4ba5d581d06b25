"""The op log and each board's current objects: where "ack means durable" is kept.

`OpLog.sequence()` opens one write transaction per group of ops: it locks the board's row,
reads the head seq, lets the caller see the ops other processes committed since it last
looked, dedupes resent ops, and stores the new ones with consecutive seqs together with the
objects they changed. The caller acks only after the block has committed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import msgspec
from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

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
        async with self.database.read() as connection:
            head = await connection.scalar(select(_boards.c.head_seq).where(_boards.c.id == board_id))
        if head is None:
            raise BoardNotFound(board_id)
        return int(head)

    async def since(self, board_id: str, seq: int) -> list[LoggedOp]:
        async with self.database.read() as connection:
            return await _ops_after(connection, board_id, seq)

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
            # Rolled back by now. Either database may refuse data the other takes (PostgreSQL
            # has no NUL in text): say so in one way, so one op's data never reads as a fault
            # of the board.
            if data_refused(error):
                # The driver's words only: SQLAlchemy's own would quote the statement's values.
                cause = getattr(error, "orig", None) or error
                raise Unstorable(f"{type(cause).__name__}: {cause}") from error
            raise


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
    ) -> None:
        """Store ops (their seqs follow the head without a gap) and the objects they changed;
        a deleted object named in `gone` leaves a tombstone with its remover."""
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
                    set_={"data": insert.excluded.data, "author_id": insert.excluded.author_id},
                ),
                object_rows(self.board_id, puts) + tombstone_rows(self.board_id, tombstones),
            )
        values: dict[str, Any] = {"head_seq": ops[-1].seq}
        if settings is not None:
            values["settings"] = settings_text(settings)
        await connection.execute(update(_boards).where(_boards.c.id == self.board_id).values(**values))
        self.head = ops[-1].seq


async def _ops_after(connection: AsyncConnection, board_id: str, seq: int) -> list[LoggedOp]:
    rows = await connection.execute(
        select(_ops.c.seq, _ops.c.participant_id, _ops.c.op_id, _ops.c.effects)
        .where(_ops.c.board_id == board_id, _ops.c.seq > seq)
        .order_by(_ops.c.seq)
    )
    return [
        LoggedOp(
            row.seq,
            row.participant_id,
            row.op_id,
            None if row.effects is None else msgspec.json.decode(row.effects),
        )
        for row in rows
    ]
