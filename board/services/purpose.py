"""A workshop's purpose statement at the edge: saving a new version beside the old ones.

Two facilitators editing at once must not lose a version, so the next version is worked out
(`core/purpose.revise`) from the details as they are inside the write transaction, with the
row locked on PostgreSQL (SQLite has one writer): the same discipline as `store/details.py`,
for a change that depends on what is stored.
"""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import select

from board.core.errors import ProtocolError
from board.core.purpose import Purpose, PurposeVersion, revise, versions
from board.store import tables
from board.store.database import Database

_workshops = tables.workshops


async def save(
    database: Database, workshop_id: str, purpose: Purpose, now: int
) -> tuple[PurposeVersion, ...] | ProtocolError | None:
    """Store `purpose` as the workshop's newest version (nothing changes when it says what the
    current one says). Every version after; None if there is no such workshop; the refusal
    when it already has as many versions as it may keep."""
    async with database.write() as connection:
        query = select(_workshops.c.details, _workshops.c.created_at).where(_workshops.c.id == workshop_id)
        if not database.is_sqlite:
            query = query.with_for_update()
        row = (await connection.execute(query)).one_or_none()
        if row is None:
            return None
        details: dict[str, Any] = msgspec.json.decode(row.details or "{}")
        changes = revise(details, row.created_at, purpose, now)
        if isinstance(changes, ProtocolError):
            return changes
        if changes is not None:
            details.update(changes)
            await connection.execute(
                _workshops.update()
                .where(_workshops.c.id == workshop_id)
                .values(details=msgspec.json.encode(details).decode())
            )
    return versions(details, row.created_at)
