"""A workshop's purpose statement at the edge: saving a new version beside the old ones.

Two facilitators editing at once must not lose a version, so the next version is worked out
(`core/purpose.revise`) from the details as they are inside the write transaction, with the
row locked on PostgreSQL (SQLite has one writer): `store/details.revise_details`.
"""

from __future__ import annotations

from typing import Any

from board.core.errors import ProtocolError
from board.core.purpose import Purpose, PurposeVersion, revise, versions
from board.store.database import Database
from board.store.details import revise_details


async def save(
    database: Database, workshop_id: str, purpose: Purpose, now: int
) -> tuple[PurposeVersion, ...] | ProtocolError | None:
    """Store `purpose` as the workshop's newest version (nothing changes when it says what the
    current one says). Every version after; None if there is no such workshop; the refusal
    when it already has as many versions as it may keep."""
    refusal: ProtocolError | None = None

    def decide(details: dict[str, Any], created_at: int) -> dict[str, Any] | None:
        nonlocal refusal
        changes = revise(details, created_at, purpose, now)
        if isinstance(changes, ProtocolError):
            refusal = changes
            return None
        return changes

    found = await revise_details(database, workshop_id, decide)
    if found is None or refusal is not None:
        return refusal
    details, created_at = found
    return versions(details, created_at)
