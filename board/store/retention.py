"""How long a workshop is kept, as stored: its keep-until date, its withdrawn count, who joined
when, and which workshops are past their date. The rules (the default date, what may be
promised) are `board/services/retention.py`'s."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select, update

from board.store import tables
from board.store.database import Database

_workshops = tables.workshops
_participants = tables.participants


@dataclass(frozen=True, slots=True)
class Kept:
    created_at: int
    keep_until: int | None
    """Written down (by the facilitator, or promised on a join page); None until it is."""
    withdrawn: int


async def kept(database: Database, workshop_id: str) -> Kept | None:
    async with database.read() as connection:
        query = select(_workshops.c.created_at, _workshops.c.keep_until, _workshops.c.withdrawn)
        row = (await connection.execute(query.where(_workshops.c.id == workshop_id))).one_or_none()
    return None if row is None else Kept(row.created_at, row.keep_until, row.withdrawn)


async def write_down(database: Database, workshop_id: str, keep_until: int) -> None:
    """Write the date down, unless one already is (another request may have been first)."""
    async with database.write() as connection:
        await connection.execute(
            update(_workshops)
            .where(_workshops.c.id == workshop_id, _workshops.c.keep_until.is_(None))
            .values(keep_until=keep_until)
        )


async def set_keep_until(database: Database, workshop_id: str, when: int) -> bool:
    """Set a workshop's keep-until date; False if there is no such workshop."""
    async with database.write() as connection:
        result = await connection.execute(
            update(_workshops).where(_workshops.c.id == workshop_id).values(keep_until=when)
        )
    return bool(result.rowcount)


async def joined_since(database: Database, workshop_id: str, since: int) -> bool:
    """Whether any participant joined the workshop at or after `since` (ms)."""
    async with database.read() as connection:
        joined = (
            await connection.execute(
                select(_participants.c.id)
                .where(
                    _participants.c.workshop_id == workshop_id,
                    _participants.c.role == "participant",
                    _participants.c.created_at >= since,
                )
                .limit(1)
            )
        ).first()
    return joined is not None


async def due(database: Database, now: int, created_before: int) -> list[str]:
    """Workshops past their keep-until date, or with none and made before `created_before`."""
    async with database.read() as connection:
        rows = await connection.execute(
            select(_workshops.c.id)
            .where(
                or_(
                    _workshops.c.keep_until <= now,
                    and_(
                        _workshops.c.keep_until.is_(None),
                        _workshops.c.created_at <= created_before,
                    ),
                )
            )
            .order_by(_workshops.c.created_at)
        )
        return [row.id for row in rows]
