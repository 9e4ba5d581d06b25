"""Creating workshops and letting people in: shared by the HTTP API and `board demo`."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.exc import IntegrityError

from board.core.errors import ErrorCode, ProtocolError
from board.core.model import Settings
from board.core.names import friendly_name
from board.core.record import iso_date
from board.services.credentials import digest, new_id, new_join_code, new_secret, same_secret
from board.services.retention import retention
from board.services.withdrawal import issue, withdraw, withdraw_until
from board.store.database import Database
from board.store.directory import BoardRef, Directory, Member, NewBoard, WorkshopInfo
from board.store.erase import erase_workshop
from board.sync.hub import Hub


@dataclass(frozen=True, slots=True)
class CreatedWorkshop:
    id: str
    title: str
    join_code: str
    facilitator_key: str
    """Shown once; only its hash is stored."""
    boards: list[BoardRef]


@dataclass(frozen=True, slots=True)
class Admission:
    """Someone let into a workshop: their token (shown once) and who they are."""

    token: str
    member: Member
    workshop: WorkshopInfo
    receipt: str | None = None
    """A participant's withdrawal code (`receipts.py`), shown once; None for a facilitator."""


async def create_workshop(
    directory: Directory,
    *,
    title: str,
    breakouts: int,
    now: int,
    template: str | None = None,
    details: dict[str, Any] | None = None,
    board_settings: dict[int, Settings] | None = None,
) -> CreatedWorkshop:
    key = new_secret()
    boards = [
        NewBoard(new_id(), number, (board_settings or {}).get(number, Settings()))
        for number in range(breakouts + 1)
    ]
    for _ in range(5):  # a join code collision is rare; draw again
        code = new_join_code()
        workshop_id = new_id()
        try:
            await directory.create_workshop(
                workshop_id=workshop_id,
                title=title,
                join_code=code,
                key_hash=digest(key),
                now=now,
                boards=boards,
                template=template,
                details=details,
            )
        except IntegrityError:
            continue
        return CreatedWorkshop(workshop_id, title, code, key, [BoardRef(b.id, b.number) for b in boards])
    raise RuntimeError("could not find a free join code")


async def join(directory: Directory, workshop: WorkshopInfo, *, now: int) -> Admission:
    """A new anonymous participant: no name asked, a friendly one made up for their cursor, and
    a withdrawal code to take their words back later from any device."""
    admission = await _admit(directory, workshop, "participant", now)
    return replace(admission, receipt=await issue(directory.database, admission.member.id))


async def facilitate(directory: Directory, workshop_id: str, key: str, *, now: int) -> Admission | None:
    """A facilitator session for whoever holds the workshop's key; None for a wrong key."""
    stored = await directory.facilitator_key_hash(workshop_id)
    if stored is None or not same_secret(key, stored):
        return None
    workshop = await directory.workshop(workshop_id)
    assert workshop is not None
    return await _admit(directory, workshop, "facilitator", now)


WS_4410_WORKSHOP_DELETED = 4410
"""Close code for sockets on a deleted workshop: the client shows that, and does not retry."""


async def withdraw_member(
    hub: Hub, workshop: WorkshopInfo, member_id: str, *, keep_days: int, now: int
) -> int | ProtocolError:
    """Remove everything a person made in a workshop, on every board, op log included.
    Returns how many objects went (the record counts their own: `receipts.py`).

    From the device they joined on, as with a withdrawal code, this works until the
    facilitator's cut-off (or the erasure); and only while the workshop runs: once it is
    closed, the code (`/withdraw`) is the way, until the same cut-off."""
    kept = await retention(hub.oplog.database, workshop.id, keep_days)
    if kept is None:
        return ProtocolError(ErrorCode.NOT_FOUND, "", "the workshop was deleted")
    until = withdraw_until(workshop, kept.keep_until)
    last = iso_date(until - 1)
    if now >= until:
        rule = f"taking contributions back ended with {last}, the last day the facilitator allowed"
        return ProtocolError(ErrorCode.READ_ONLY, "", rule)
    if workshop.closed_at is not None:
        rule = (
            "the workshop is closed: take your words back with your withdrawal code at /withdraw,"
            f" until {last}"
        )
        return ProtocolError(ErrorCode.READ_ONLY, "", rule)
    return (await withdraw(hub, workshop, member_id)).removed


async def delete_workshop(hub: Hub, database: Database, workshop: WorkshopInfo) -> None:
    """Erase a workshop and everything in it; everyone on it is disconnected."""
    hub.close_boards(
        [board.id for board in workshop.boards], WS_4410_WORKSHOP_DELETED, "the workshop was deleted"
    )
    await erase_workshop(database, workshop.id)


async def _admit(directory: Directory, workshop: WorkshopInfo, role: str, now: int) -> Admission:
    token = new_secret()
    name = "Facilitator" if role == "facilitator" else friendly_name(random.SystemRandom())
    member = await directory.add_member(
        member_id=new_id(),
        workshop_id=workshop.id,
        token_hash=digest(token),
        role=role,
        name=name,
        now=now,
    )
    return Admission(token, member, workshop)
