"""Retention: each workshop has a keep-until date, and after it everything in it is erased.

The date is the facilitator's (`PUT /api/workshops/{id}/retention`) or, until they choose one,
`BOARD_KEEP_DAYS` after the workshop was made. The join page tells people the date; the first
time it does, a default date is written down (`promise`), so a later change of the setting
never keeps anyone's words longer than they were told.

`board purge` erases every workshop past its date; the server does the same every
`PURGE_EVERY` seconds (a task in the app's lifespan). Erasure is `store/erase.py`'s: every row
of the workshop in every table, the op log included, in one transaction; on a server, sockets
still open on it are closed first (`delete_workshop`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from board.core.protocol import CloseCode
from board.store import retention as stored
from board.store.database import Database
from board.store.directory import Directory, WorkshopInfo
from board.store.erase import erase_workshop
from board.sync.hub import Hub

log = logging.getLogger(__name__)

DAY_MS: Final = 86_400_000
DEFAULT_KEEP_DAYS: Final = 365
"""`BOARD_KEEP_DAYS` when unset: a year, long enough to report back and act on what was heard,
short enough that nobody's words sit on a server for good."""
MAX_KEEP_DAYS: Final = 3_660
"""The furthest keep-until date a facilitator may set: ten years after today."""
PURGE_EVERY: Final = 3_600.0
"""Seconds between the server's purges. A workshop outlives its date by at most this."""


@dataclass(frozen=True, slots=True)
class Retention:
    keep_until: int
    """When the workshop is erased (ms since the epoch)."""
    chosen: bool
    """Written down (by the facilitator, or promised on a join page), not the default."""
    withdrawn: int
    """Contributions withdrawn so far (`board/services/withdrawal.py`)."""


def default_keep_until(created_at: int, keep_days: int) -> int:
    return created_at + keep_days * DAY_MS


async def retention(database: Database, workshop_id: str, keep_days: int) -> Retention | None:
    found = await stored.kept(database, workshop_id)
    if found is None:
        return None
    if found.keep_until is not None:
        return Retention(found.keep_until, True, found.withdrawn)
    return Retention(default_keep_until(found.created_at, keep_days), False, found.withdrawn)


async def promise(database: Database, workshop_id: str, keep_days: int) -> Retention | None:
    """The workshop's retention, with a default date written down if it had none: what a join
    page is about to promise."""
    found = await retention(database, workshop_id, keep_days)
    if found is None or found.chosen:
        return found
    await stored.write_down(database, workshop_id, found.keep_until)
    return await retention(database, workshop_id, keep_days)


PROMISED_DETAIL: Final = "promised_until"
"""The key of `details` with the earliest keep-until date (ms) told to someone who joined,
up to the last change of the date (`earliest_promise`)."""
KEEP_SINCE_DETAIL: Final = "keep_until_since"
"""The key of `details` with when the keep-until date was last set (ms); the workshop's
creation until it is."""


async def earliest_promise(database: Database, workshop: WorkshopInfo, kept: Retention) -> int | None:
    """The earliest keep-until date anyone who joined was told (ms), or None when nobody has
    joined. Everyone who joined since the date was last set was told the date as it is; those
    before, what `PROMISED_DETAIL` keeps. The date may be brought forward, never put back past
    this: nobody's words are kept longer than they were told."""
    found = workshop.details.get(PROMISED_DETAIL)
    promised = found if isinstance(found, int) else None
    since = workshop.details.get(KEEP_SINCE_DETAIL)
    start = since if isinstance(since, int) else workshop.created_at
    if await stored.joined_since(database, workshop.id, start):
        promised = kept.keep_until if promised is None else min(promised, kept.keep_until)
    return promised


async def due(database: Database, now: int, keep_days: int) -> list[str]:
    """Workshops past their keep-until date (or, with none, `keep_days` after they were made)."""
    return await stored.due(database, now, created_before=now - keep_days * DAY_MS)


async def delete_workshop(hub: Hub, database: Database, workshop: WorkshopInfo) -> None:
    """Erase a workshop and everything in it; everyone on it is disconnected."""
    hub.close_boards(
        [board.id for board in workshop.boards], CloseCode.WORKSHOP_DELETED, "the workshop was deleted"
    )
    await erase_workshop(database, workshop.id)


Eraser = Callable[[str], Awaitable[bool]]
"""Erase one workshop by id; True when it was there."""


def closing(hub: Hub, directory: Directory) -> Eraser:
    """A server's eraser: everyone still on the workshop is disconnected (4410) first."""

    async def erase(workshop_id: str) -> bool:
        workshop = await directory.workshop(workshop_id)
        if workshop is None:
            return False
        await delete_workshop(hub, directory.database, workshop)
        return True

    return erase


async def purge(database: Database, now: int, keep_days: int, erase: Eraser | None = None) -> list[str]:
    """Erase every workshop past its date; the ids erased. `erase` defaults to the store's
    erasure; a server passes one that first closes the workshop's sockets."""
    eraser = erase or (lambda workshop_id: erase_workshop(database, workshop_id))
    erased = []
    for workshop_id in await due(database, now, keep_days):
        if await eraser(workshop_id):
            erased.append(workshop_id)
    return erased


async def keep_purging(
    database: Database,
    now: Callable[[], int],
    keep_days: int,
    erase: Eraser,
    every: float = PURGE_EVERY,
) -> None:
    """The server's schedule: purge now, then every `every` seconds, until cancelled. A failed
    purge is logged and tried again next time; it never stops the schedule."""
    while True:
        try:
            erased = await purge(database, now(), keep_days, erase)
            if erased:
                log.info("purged %d workshop(s) past their keep-until date", len(erased))
        except Exception:
            log.exception("purging workshops past their keep-until date failed; trying again later")
        await asyncio.sleep(every)


@contextlib.asynccontextmanager
async def scheduled(
    database: Database, now: Callable[[], int], keep_days: int, erase: Eraser, every: float = PURGE_EVERY
) -> AsyncIterator[None]:
    """Run `keep_purging` for as long as the block lasts (the app's lifespan)."""
    task = asyncio.create_task(keep_purging(database, now, keep_days, erase, every), name="purge")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
