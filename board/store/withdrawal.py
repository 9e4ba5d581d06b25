"""Withdrawal as stored: each participant's withdrawal code (its hash only), who holds a code,
whose ops a board's log still holds, and how many contributions a workshop has had withdrawn.
What withdrawing removes, and how, is `board/services/withdrawal.py`'s."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from board.store import tables
from board.store.database import Database
from board.store.rows import MADE_PER_OP, TOMBSTONE

_participants = tables.participants
_workshops = tables.workshops
_ops = tables.ops
_objects = tables.objects


async def set_code(database: Database, member_id: str, code_hash: str) -> bool:
    """Give a participant the code with this hash, replacing any earlier one; False when
    another participant already holds it (draw another)."""
    try:
        async with database.write() as connection:
            await connection.execute(
                update(_participants).where(_participants.c.id == member_id).values(receipt_hash=code_hash)
            )
    except IntegrityError:
        return False
    return True


async def holder(database: Database, code_hash: str) -> tuple[str, str] | None:
    """(member id, workshop id) of the participant holding the code with this hash, or None."""
    async with database.read() as connection:
        row = (
            await connection.execute(
                select(_participants.c.id, _participants.c.workshop_id).where(
                    _participants.c.receipt_hash == code_hash, _participants.c.role == "participant"
                )
            )
        ).one_or_none()
    return None if row is None else (row.id, row.workshop_id)


async def logged(database: Database, board_id: str, member_id: str) -> bool:
    """Whether the op log of a board still holds an op of theirs."""
    async with database.read() as connection:
        found = await connection.execute(
            select(_ops.c.seq).where(_ops.c.board_id == board_id, _ops.c.participant_id == member_id).limit(1)
        )
        return found.first() is not None


async def deleted_made_by(
    database: Database, board_ids: Collection[str], member_id: str
) -> list[tuple[str, str]]:
    """(board id, object id) of the removed objects that their ops made: a removed object's
    row keeps where it was made (`objects.made`, the seq of the op that made it), and that op's
    row who sent it. Copies others made of them still hold their words. Objects removed before
    `made` was kept (migration 0005) are not found."""
    made_by = (_objects.c.made / MADE_PER_OP) == _ops.c.seq
    async with database.read() as connection:
        rows = await connection.execute(
            select(_objects.c.board_id, _objects.c.id)
            .join(_ops, (_ops.c.board_id == _objects.c.board_id) & made_by)
            .where(
                _objects.c.board_id.in_(board_ids),
                _objects.c.data == TOMBSTONE,
                _ops.c.participant_id == member_id,
            )
        )
        return [(board_id, oid) for board_id, oid in rows]


async def count_withdrawn(database: Database, workshop_id: str, contributions: int) -> None:
    """Add to the workshop's count of withdrawn contributions: all the record keeps of them."""
    async with database.write() as connection:
        await connection.execute(
            update(_workshops)
            .where(_workshops.c.id == workshop_id)
            .values(withdrawn=_workshops.c.withdrawn + contributions)
        )


async def withdrawn_count(database: Database, workshop_id: str) -> int:
    """How many contributions were withdrawn from a workshop: all the record keeps of them."""
    async with database.read() as connection:
        found = await connection.scalar(select(_workshops.c.withdrawn).where(_workshops.c.id == workshop_id))
    return int(found or 0)


async def made_where(
    database: Database, board_ids: Collection[str], member_id: str
) -> dict[tuple[str, str], int]:
    """Where each object of theirs on these boards was made in its board's history
    (`objects.made`), by (board id, object id): the order of things made in the same
    millisecond. Objects stored before it was kept are left out."""
    if not board_ids:
        return {}
    async with database.read() as connection:
        found = await connection.execute(
            select(_objects.c.board_id, _objects.c.id, _objects.c.made).where(
                _objects.c.board_id.in_(list(board_ids)),
                _objects.c.author_id == member_id,
                _objects.c.made.is_not(None),
                _objects.c.data != TOMBSTONE,
            )
        )
        return {(board_id, oid): int(made) for board_id, oid, made in found}
