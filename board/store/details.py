"""A workshop's `details`: the JSON of facts and choices a workshop carries beside its title
(the taxonomy the facilitator chose, and whatever a template adds).

Several people may change different keys of it at once (a facilitator choosing a taxonomy while
another setting is saved), so a change names only its keys and is merged into what is stored
inside one write transaction, with the row locked on PostgreSQL: neither change loses the
other's keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec
from sqlalchemy import select

from board.store import tables
from board.store.database import Database

_workshops = tables.workshops


async def update_details(database: Database, workshop_id: str, changes: Mapping[str, Any]) -> bool:
    """Set these keys of a workshop's details, keeping the others. False if there is no such
    workshop."""
    async with database.write() as connection:
        query = select(_workshops.c.details).where(_workshops.c.id == workshop_id)
        if not database.is_sqlite:
            query = query.with_for_update()
        stored = (await connection.execute(query)).scalar_one_or_none()
        if stored is None:
            return False
        details: dict[str, Any] = msgspec.json.decode(stored or "{}")
        details.update(changes)
        await connection.execute(
            _workshops.update()
            .where(_workshops.c.id == workshop_id)
            .values(details=msgspec.json.encode(details).decode())
        )
    return True
