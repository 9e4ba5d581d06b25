"""Erasure that is real: rows are deleted or emptied, never flagged (DESIGN.md §4).

Withdrawing a participant from a board happens inside that board's sequencing transaction
(`hub.Room.withdraw`): their objects are removed by a withdrawal op that names nobody, every op
row they made is deleted, and the effects of every earlier op are emptied, since a reveal or a
moderation op by someone else may carry a copy of their note. The board's floor rises to the
withdrawal op, so no client is ever replayed an erased op: one that is behind gets a snapshot.
"""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncConnection

from board.store import tables
from board.store.database import Database
from board.store.rows import TOMBSTONE


async def erase_participant_ops(
    connection: AsyncConnection, board_id: str, participant_id: str, floor: int
) -> None:
    """Delete a participant's op rows on a board and empty every op's effects up to `floor`."""
    ops = tables.ops
    await connection.execute(
        delete(ops).where(ops.c.board_id == board_id, ops.c.participant_id == participant_id)
    )
    await connection.execute(
        update(ops).where(ops.c.board_id == board_id, ops.c.seq <= floor).values(effects=None)
    )
    objects = tables.objects  # the removals they made stay, made by nobody (rows.TOMBSTONE)
    await connection.execute(
        update(objects)
        .where(objects.c.board_id == board_id, objects.c.author_id == participant_id)
        .where(objects.c.data == TOMBSTONE)
        .values(author_id=None)
    )
    boards = tables.boards
    await connection.execute(update(boards).where(boards.c.id == board_id).values(floor_seq=floor))


async def erase_workshop(database: Database, workshop_id: str) -> bool:
    """Delete a workshop and everything in it (boards, objects, op log, who contributed to
    merged points, participants), in one transaction. Foreign keys cascade; the explicit
    deletes keep it true even where a database was created without them."""
    async with database.write() as connection:
        board_ids = [
            row.id
            for row in await connection.execute(
                tables.boards.select().where(tables.boards.c.workshop_id == workshop_id)
            )
        ]
        for table in (tables.ops, tables.objects, tables.shares):
            await connection.execute(delete(table).where(table.c.board_id.in_(board_ids)))
        await connection.execute(
            delete(tables.participants).where(tables.participants.c.workshop_id == workshop_id)
        )
        await connection.execute(delete(tables.boards).where(tables.boards.c.workshop_id == workshop_id))
        result = await connection.execute(
            delete(tables.workshops).where(tables.workshops.c.id == workshop_id)
        )
    return bool(result.rowcount)
