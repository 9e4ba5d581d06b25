"""The hub: every board this process has open, and the sockets on them.

A board is loaded into a `Room` (`room.py`) when its first socket arrives and closed
`ROOM_IDLE` seconds after its last leaves. With a network broker, any number of processes may
have the same board open: each room keeps its own copy in step (`sequencer.py`).

`now()` is passed in, so tests can control time.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
from collections.abc import Callable, Collection, Iterable
from typing import Final

import msgspec

from board.broker.base import Broker, Subscription
from board.core.budget import MIB, Ledger, WriteBudgets
from board.store.oplog import OpLog
from board.sync.room import Room
from board.sync.trim import give_back_soon

log = logging.getLogger(__name__)


class _Notice(msgspec.Struct, frozen=True):
    """A frame for a workshop's sockets, or a person's new name, as published to other
    processes."""

    origin: str
    workshop_id: str
    frame: str | None = None
    refs: list[str] | None = None
    boards: list[str] | None = None
    """Only the sockets on these boards (by id)."""
    rename: tuple[str, str] | None = None
    """(participant ref, the name their cursor now shows)."""
    facilitators: bool = False
    """Only the facilitators' sockets."""
    keep: str | None = None
    """Also remember the frame under this key for the workshop (`Hub.kept`)."""


KEPT_WORKSHOPS: Final = 10_000
"""Workshops whose latest kept notices (`Hub.kept`) a process remembers, at most: the oldest
remembered is forgotten first. An entry is a short frame (under 100 bytes for what the
presenter screens show), so this bounds the memory to about 1 MiB."""


class Hub:
    def __init__(
        self,
        oplog: OpLog,
        broker: Broker,
        *,
        now: Callable[[], int],
        networked: bool,
        replay_window: int = 5_000,
        replay_bytes: int = 8 * MIB,
        memory_budget: int = 512 * MIB,
        origin: str | None = None,
    ) -> None:
        self.oplog = oplog
        self.broker = broker
        self.now = now
        self.networked = networked
        """True when other processes may serve the same boards (a network broker): rooms then
        share ops, cursors and presence over the broker and poll the stored head seq."""
        self.replay_window = replay_window
        """Ops kept in memory per board for resuming clients; one further behind gets a
        snapshot instead."""
        self.replay_bytes = replay_bytes
        """Bytes of those ops kept per board, at most: whichever bound is reached first."""
        self.ledger = Ledger(memory_budget)
        """Bytes held by every open room here, against the server's memory budget."""
        self.budgets = WriteBudgets()
        self.origin = origin or f"{random.getrandbits(32):08x}"
        self.rooms: dict[str, Room] = {}
        self._workshop_channels: dict[str, Subscription] = {}
        """With a network broker, the notice channel of each workshop with a room open here."""
        self._loading: dict[str, asyncio.Lock] = {}
        self._cids = itertools.count(1)
        self._kept: dict[tuple[str, str], str] = {}
        """(workshop id, key) -> the latest frame notified with that key: memory only."""
        self._checking: set[asyncio.Task[None]] = set()
        """Rooms checking the store after the broker came back (kept so they are not lost)."""
        self.broker_lost = False
        """The network broker is unreachable: every room here polls the store meanwhile."""
        broker.on_reconnect(self._on_broker_reconnect)
        broker.on_disconnect(self._on_broker_disconnect)

    def new_cid(self) -> str:
        """A cursor id, unique across processes (the origin prefixes it)."""
        return f"{self.origin}-{next(self._cids):x}"

    async def room(self, board_id: str) -> Room:
        room = self.rooms.get(board_id)
        if room is not None:
            return room
        lock = self._loading.setdefault(board_id, asyncio.Lock())
        async with lock:
            room = self.rooms.get(board_id)
            if room is None:
                room = self.rooms[board_id] = await self._open(board_id)
        self._loading.pop(board_id, None)
        return room

    async def _open(self, board_id: str) -> Room:
        room = Room(
            await self.oplog.load(board_id, self.replay_window),
            self.oplog,
            now=self.now,
            replay_window=self.replay_window,
            replay_bytes=self.replay_bytes,
            ledger=self.ledger,
            budgets=self.budgets,
            broker=self.broker if self.networked else None,
            origin=self.origin,
            on_close=self._forget,
        )
        if self.networked:
            room.broker_lost(self.broker_lost)
        workshop_id = room.workshop_id
        if self.networked and workshop_id not in self._workshop_channels:
            self._workshop_channels[workshop_id] = self.broker.subscribe(
                _notice_channel(workshop_id), self._on_published_notice
            )
        return room

    def _forget(self, room: Room) -> None:
        if self.rooms.get(room.board_id) is room:
            del self.rooms[room.board_id]
        give_back_soon()  # once the room's own tasks have finished
        if not any(other.workshop_id == room.workshop_id for other in self.rooms.values()):
            channel = self._workshop_channels.pop(room.workshop_id, None)
            if channel is not None:
                channel.close()

    async def notify(
        self,
        workshop_id: str,
        frame: str,
        refs: Collection[str] | None = None,
        *,
        boards: Collection[str] | None = None,
        facilitators: bool = False,
        keep: str | None = None,
    ) -> None:
        """Send a frame to every socket on every board of a workshop, in every process; with
        `refs`, only to the sockets of those participants (by internal ref); with `boards`,
        only to the sockets on those boards (by id); with `facilitators`, only to facilitators'
        sockets. With `keep`, every process that hears it also remembers it as the workshop's
        latest under that key (`kept`), for a page that opens later.

        For workshop-wide moments that belong to no one board: "go to your breakout board",
        "the exit poll is open". Like cursors, a notice is not stored and reaches only the
        sockets open now; what it announces is also kept in the store, where a page that
        (re)connects later reads it (or, with `keep`, in memory)."""
        wanted = None if refs is None else list(refs)
        on = None if boards is None else list(boards)
        self._deliver(workshop_id, frame, wanted, on, facilitators)
        if keep is not None:
            self._keep(workshop_id, keep, frame)
        if not self.networked:
            return
        await self._publish(
            _Notice(self.origin, workshop_id, frame, wanted, on, facilitators=facilitators, keep=keep)
        )

    def kept(self, workshop_id: str, key: str) -> str | None:
        """The latest frame this process heard notified for the workshop with `keep=key`. Not
        stored: after a restart, or on a process that had none of the workshop's boards open
        when it was sent, there is none."""
        return self._kept.get((workshop_id, key))

    def _keep(self, workshop_id: str, key: str, frame: str) -> None:
        self._kept.pop((workshop_id, key), None)  # the newest goes last: the oldest is forgotten first
        self._kept[(workshop_id, key)] = frame
        while len(self._kept) > KEPT_WORKSHOPS:
            del self._kept[next(iter(self._kept))]

    async def rename(self, workshop_id: str, ref: str, name: str) -> None:
        """Show a person under a new name beside their cursor, on every board of the workshop
        and every process: everyone on those boards is told as if they had just arrived."""
        self._rename(workshop_id, ref, name)
        if self.networked:
            await self._publish(_Notice(self.origin, workshop_id, rename=(ref, name)))

    def _rename(self, workshop_id: str, ref: str, name: str) -> None:
        for room in self.rooms.values():
            if room.workshop_id == workshop_id:
                room.rename(ref, name)

    async def _publish(self, notice: _Notice) -> None:
        try:
            await self.broker.publish(_notice_channel(notice.workshop_id), msgspec.json.encode(notice))
        except Exception:
            log.warning(
                "workshop %s: a notice could not reach other processes", notice.workshop_id, exc_info=True
            )

    def _deliver(
        self,
        workshop_id: str,
        frame: str,
        refs: Collection[str] | None,
        boards: Collection[str] | None = None,
        facilitators: bool = False,
    ) -> None:
        wanted = None if refs is None else set(refs)
        on = None if boards is None else set(boards)
        for room in self.rooms.values():
            if room.workshop_id != workshop_id or (on is not None and room.board_id not in on):
                continue
            for client in room.clients:
                if facilitators and not client.actor.facilitator:
                    continue
                if wanted is None or client.actor.ref in wanted:
                    client.outlet.push(frame)

    def _on_published_notice(self, message: bytes) -> None:
        try:
            notice = msgspec.json.decode(message, type=_Notice)
        except msgspec.MsgspecError:
            log.warning("an unreadable workshop notice was ignored")
            return
        if notice.origin == self.origin:
            return
        if notice.frame is not None:
            self._deliver(notice.workshop_id, notice.frame, notice.refs, notice.boards, notice.facilitators)
            if notice.keep is not None:
                self._keep(notice.workshop_id, notice.keep, notice.frame)
        if notice.rename is not None:
            self._rename(notice.workshop_id, *notice.rename)

    def close_boards(self, board_ids: Iterable[str], code: int, reason: str) -> None:
        """Close these boards' rooms in this process, and their sockets with `code`."""
        for board_id in board_ids:
            room = self.rooms.get(board_id)
            if room is not None:
                room.shut(code, reason)

    def _on_broker_disconnect(self) -> None:
        """Until the broker is back, rooms keep up from the store and say changes from others
        may be delayed."""
        self.broker_lost = True
        for room in list(self.rooms.values()):
            room.broker_lost(True)

    def _on_broker_reconnect(self) -> None:
        """Publications were lost while the broker was away: every room checks the store."""
        self.broker_lost = False
        for room in list(self.rooms.values()):
            room.broker_lost(False)
            task = asyncio.create_task(room.check_head())
            self._checking.add(task)
            task.add_done_callback(self._checking.discard)

    async def close(self) -> None:
        """Close every room and wait for their work to end, before the store closes under it."""
        rooms = list(self.rooms.values())
        for room in rooms:
            room.close()
        self.rooms.clear()
        await asyncio.gather(*self._checking, *(room.finished() for room in rooms), return_exceptions=True)


def _notice_channel(workshop_id: str) -> str:
    return f"workshop:{workshop_id}:notices"
