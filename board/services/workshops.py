"""Creating workshops and letting people in: shared by the HTTP API and `board demo`."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any

from board.core.model import Settings
from board.core.names import friendly_name
from board.services.credentials import digest, new_id, new_join_code, new_secret, same_secret
from board.services.withdrawal import issue
from board.store.directory import BoardRef, Directory, Member, NewBoard, WorkshopInfo


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
    """A participant's withdrawal code (`withdrawal.py`), shown once; None for a facilitator."""


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
    refs = [BoardRef(board.id, board.number) for board in boards]
    for _ in range(5):  # a join code collision is rare; draw again
        code = new_join_code()
        workshop_id = new_id()
        if await directory.create_workshop(
            workshop_id=workshop_id,
            title=title,
            join_code=code,
            key_hash=digest(key),
            now=now,
            boards=boards,
            template=template,
            details=details,
        ):
            return CreatedWorkshop(workshop_id, title, code, key, refs)
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
