"""Withdrawal codes at the edge: issued at join, looked up by hash, and taking contributions
back through the boards' rooms (the codes themselves are `core/receipts.py`).

Withdrawing is a change each board makes in its own turn (`Room.run`), so it is in order with
everything else on the board and every socket on it sees the objects go at once: vote tallies,
duplicate clusters, category counts and the word cloud all follow from the board. The op log
keeps nothing of what went (`Sequencer.withdraw`, `store/erase.py`), and the workshop keeps
only how many contributions were withdrawn (`workshops.withdrawn`), for the record.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Final

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from board.boards import read_all, reader
from board.core.receipts import Item, chosen, code_hash, items, new_code, open_until
from board.hub import Hub
from board.sequencer import Sequencer
from board.store import tables
from board.store.database import Database
from board.store.directory import WorkshopInfo

WITHDRAW_UNTIL_DETAIL: Final = "withdraw_until"
"""The key of `details` with the facilitator's cut-off for taking contributions back (ms)."""
ISSUE_ATTEMPTS: Final = 5
"""Fresh codes drawn when one is taken (about one chance in 10^17 each): then it is a bug."""

_participants = tables.participants
_workshops = tables.workshops


@dataclass(frozen=True, slots=True)
class Withdrawn:
    items: int
    """Their own contributions that went: what the record counts."""
    removed: int
    """Objects that went with them, everything included (votes and comments on their notes)."""


@dataclass(frozen=True, slots=True)
class Holder:
    """Whoever holds a code: a participant of a workshop (never a facilitator)."""

    member_id: str
    workshop_id: str


def withdraw_until(workshop: WorkshopInfo, keep_until: int) -> int:
    """When taking contributions back stops for this workshop (ms), with a code or from the
    device: the facilitator's cut-off, and never after the workshop is erased anyway."""
    cutoff = workshop.details.get(WITHDRAW_UNTIL_DETAIL)
    return open_until(cutoff if isinstance(cutoff, int) else None, keep_until)


async def issue(database: Database, member_id: str, rng: random.Random | None = None) -> str:
    """A new withdrawal code for a participant, stored as its hash: the code itself is returned
    once and kept nowhere. A second call replaces the first code."""
    source = rng or random.SystemRandom()
    for _ in range(ISSUE_ATTEMPTS):
        code = new_code(source)
        try:
            async with database.write() as connection:
                await connection.execute(
                    update(_participants)
                    .where(_participants.c.id == member_id)
                    .values(receipt_hash=code_hash(code))
                )
        except IntegrityError:
            continue
        return code
    raise RuntimeError("could not draw a free withdrawal code")


async def holder(database: Database, code: str) -> Holder | None:
    """Who holds a (normalised) code, or None."""
    async with database.read() as connection:
        row = (
            await connection.execute(
                select(_participants.c.id, _participants.c.workshop_id).where(
                    _participants.c.receipt_hash == code_hash(code),
                    _participants.c.role == "participant",
                )
            )
        ).one_or_none()
    return None if row is None else Holder(row.id, row.workshop_id)


async def listing(hub: Hub, workshop: WorkshopInfo, member_id: str) -> list[Item]:
    """What a participant made in a workshop, on every board, as it is now."""
    boards = await read_all(workshop, reader(hub, hub.oplog))
    return items(boards, member_id)


async def withdraw(
    hub: Hub, workshop: WorkshopInfo, member_id: str, refs: Iterable[str] | None = None
) -> Withdrawn:
    """Take back everything a participant made in a workshop (`refs` None), or the items
    `refs` names (`board:id`) that are theirs. Each board does it in its turn, from the board as
    it is then; the count of their contributions that went is added to the workshop's."""
    wanted: dict[int, set[str]] | None = None
    if refs is not None:
        wanted = chosen(await listing(hub, workshop, member_id), refs)
    own = removed = 0
    for board in workshop.boards:
        only = None if wanted is None else wanted.get(board.number)
        if wanted is not None and not only:
            continue
        room = await hub.room(board.id)
        mine, went = await room.run(_withdrawing(member_id, only))
        own, removed = own + mine, removed + went
    if own:
        async with hub.oplog.database.write() as connection:
            await connection.execute(
                update(_workshops)
                .where(_workshops.c.id == workshop.id)
                .values(withdrawn=_workshops.c.withdrawn + own)
            )
    return Withdrawn(own, removed)


def _withdrawing(member_id: str, only: set[str] | None) -> Callable[[Sequencer], Awaitable[tuple[int, int]]]:
    """The board's part, run in its turn: what is theirs there now (and named, if `only`).
    Answers (their contributions that went, objects that went)."""

    async def job(sequencer: Sequencer) -> tuple[int, int]:
        owned = set(sequencer.state.owned_by(member_id))
        going = owned if only is None else owned & only
        if not going:
            return 0, 0
        return len(going), await sequencer.withdraw(member_id, going)

    return job
