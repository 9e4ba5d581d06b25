"""A workshop's `details`: the JSON of facts and choices a workshop carries beside its title
(the taxonomy the facilitator chose, and whatever a template adds).

Several people may change different keys of it at once (a facilitator choosing a taxonomy while
another setting is saved), so a change names only its keys and is merged into what is stored
inside one write transaction, with the row locked on PostgreSQL: neither change loses the
other's keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import msgspec
from sqlalchemy import select

from board.store import tables
from board.store.database import Database

_workshops = tables.workshops


Decide = Callable[[dict[str, Any], int], Mapping[str, Any] | None]
"""What to change in a workshop's details, given them as stored and the workshop's creation
time: the keys to set, or None to change nothing."""


async def update_details(database: Database, workshop_id: str, changes: Mapping[str, Any]) -> bool:
    """Set these keys of a workshop's details, keeping the others. False if there is no such
    workshop."""
    return await revise_details(database, workshop_id, lambda details, created_at: changes) is not None


async def revise_details(
    database: Database, workshop_id: str, decide: Decide
) -> tuple[dict[str, Any], int] | None:
    """Change a workshop's details by what `decide` makes of them as they are inside the write
    transaction (a change that depends on what is stored, such as the next purpose version).
    The details after, with the creation time; None if there is no such workshop."""
    async with database.write() as connection:
        query = select(_workshops.c.details, _workshops.c.created_at).where(_workshops.c.id == workshop_id)
        if not database.is_sqlite:
            query = query.with_for_update()
        row = (await connection.execute(query)).one_or_none()
        if row is None:
            return None
        details: dict[str, Any] = msgspec.json.decode(row.details or "{}")
        changes = decide(details, row.created_at)
        if changes is not None:
            details.update(changes)
            await connection.execute(
                _workshops.update()
                .where(_workshops.c.id == workshop_id)
                .values(details=msgspec.json.encode(details).decode())
            )
    return details, row.created_at
