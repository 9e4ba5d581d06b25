"""The hub: each board's sequencer and fan-out (DESIGN.md §3, §7).

A `Room` holds one board's state in memory while anyone is on it, and does three things:

- **Sequence.** Ops from the board's sockets wait in an inbox; one worker takes all that are
  waiting and commits them in one transaction (group commit): deduplicated by (participant,
  client op id), applied in order by `core.ops.apply_all`, given consecutive seqs, stored with
  the objects they changed. Only after the commit does anything leave the room.
- **Fan out.** Committed ops collect in `outgoing`. A sender sends them on the next loop turn
  when the board is quiet, and at most once per `OPS_TICK` when busy: one frame per viewer
  class, encoded once, pushed to every socket (`outlet.py`), then each submitter's acks.
  Cursors are sent only on `CURSOR_TICK`, latest position per person, never stored.
- **Share.** Committed ops are published on the broker; rooms in other processes apply them in
  seq order, fetching any gap from the store, and deliver them to their own sockets.

`now()` is passed in, so tests can control time.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import msgspec

from board.broker.base import Broker, Subscription
from board.core.delivery import (
    Entry,
    Resume,
    ops_frame,
    plan_resume,
    stakeholders,
    viewer_class,
    viewer_for_class,
)
from board.core.effects import Change, apply_effects, from_record, to_record
from board.core.errors import ErrorCode, ProtocolError
from board.core.model import AnyObject, Settings
from board.core.ops import apply_all, withdraw
from board.core.protocol import (
    Cursor,
    OpMessage,
    Signal,
    encode_ack,
    encode_error,
    encode_signal,
    encode_snapshot,
    encode_welcome,
)
from board.core.state import FACILITATOR, PUBLIC, Actor, BoardState, Viewer, only
from board.outlet import Frame, Outlet
from board.presence import Presence
from board.store.oplog import LoggedOp, NewOp, OpLog, Sequencing

log = logging.getLogger(__name__)

OPS_TICK = 0.020
"""Seconds between op frames to one board when it is busy: bounds frames per socket to 50/s
however many ops arrive (frame count, not op count, is what costs: DESIGN.md §7)."""
CURSOR_TICK = 0.050
"""Seconds between cursor frames: 20 updates a second looks live; positions in between are
dropped, only the latest per person is sent."""
ROOM_IDLE = 30.0
"""Seconds a board stays loaded after its last socket leaves, so a reconnect storm (a server
restart, a Wi-Fi blip in the room) does not reload it from the store for every client."""
MAX_GROUP = 1000
"""Most ops committed in one transaction."""
HEAD_POLL = 2.0
"""With a network broker, seconds between checks of the stored head seq: a publication lost
in transit is noticed within this time even if nothing else arrives."""

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder()


@dataclass(eq=False, slots=True)
class Client:
    """One socket on one board, as the hub sees it."""

    cid: str
    actor: Actor
    name: str
    outlet: Outlet
    seq: int = -1
    """The last seq this socket has been sent."""
    room: Room | None = None
    acks: dict[str, int] = field(default_factory=dict)
    viewer: Viewer = field(init=False)

    def __post_init__(self) -> None:
        self.viewer = self.actor.viewer


class StaleRoom(RuntimeError):
    """This process's copy of a board missed ops that were erased since (a withdrawal made
    elsewhere): it cannot catch up op by op and must be reloaded."""


class Room:
    def __init__(
        self,
        hub: Hub,
        board_id: str,
        workshop_id: str,
        number: int,
        state: BoardState,
        head: int,
        floor: int,
        recent: Iterable[LoggedOp],
    ) -> None:
        self.hub = hub
        self.board_id = board_id
        self.workshop_id = workshop_id
        self.number = number
        self.state = state
        self.head = head
        self.floor = floor
        self.ring: deque[Entry] = deque(maxlen=hub.replay_window)
        for logged in recent:
            if logged.effects is not None:
                self.ring.append(Entry(logged.seq, logged.participant_id, tuple(from_record(logged.effects))))
        self.clients: set[Client] = set()
        self.inbox: list[tuple[Client, OpMessage]] = []
        self.withdrawals: list[tuple[str, asyncio.Future[int]]] = []
        self.remote: dict[int, tuple[str | None, list[dict[str, Any]]]] = {}
        self.behind = False
        self.acks_pending = False
        self.outgoing: list[Entry] = []
        self.presence = Presence()
        self._encoded: dict[str, bytes] = {}
        self._snapshots: dict[str, tuple[int, bytes, Frame]] = {}
        self._worker: asyncio.Task[None] | None = None
        self._wanted = asyncio.Event()
        self._sender = asyncio.create_task(self._send_loop(), name=f"room-{board_id}-sender")
        self._idle: asyncio.TimerHandle | None = None
        self._subscriptions: list[Subscription] = (
            [
                hub.broker.subscribe(f"board:{board_id}:ops", self._on_published_ops),
                hub.broker.subscribe(f"board:{board_id}:live", self._on_published_live),
            ]
            if hub.networked
            else []
        )
        self.closed = False

    # -- joining and leaving --------------------------------------------------------------

    def attach(self, client: Client, since: int | None, welcome: dict[str, Any]) -> None:
        """Welcome a socket and bring it up to date. Synchronous, so no op can slip between
        what it is sent now and what it is sent on the next tick."""
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        client.room = self
        viewer = client.viewer
        mine = [] if viewer.facilitator else self.state.owned_by(client.actor.ref)
        people = self.presence.everyone()
        client.outlet.push(encode_welcome(seq=self.head, mine=mine, people=people, **welcome))
        oldest = self.ring[0].seq if self.ring else self.head + 1
        plan = plan_resume(since, self.head, self.floor, oldest)
        if plan is Resume.SNAPSHOT:
            client.outlet.push(self.snapshot(viewer))
        elif plan is Resume.REPLAY:
            assert since is not None
            missed = [entry for entry in self.ring if entry.seq > since]
            client.outlet.push(ops_frame(missed, viewer, first=since + 1))
        client.seq = self.head
        self.clients.add(client)
        self.presence.join(client.cid, client.name)
        self._wanted.set()

    def detach(self, client: Client) -> None:
        if client not in self.clients:
            return
        self.clients.discard(client)
        client.room = None
        self.presence.leave(client.cid)
        self._wanted.set()
        if not self.clients:
            self._idle = asyncio.get_running_loop().call_later(ROOM_IDLE, self._close_if_idle)

    def _close_if_idle(self) -> None:
        self._idle = None
        if self.clients:
            return
        if self._worker is not None or self.inbox:
            self._idle = asyncio.get_running_loop().call_later(ROOM_IDLE, self._close_if_idle)
            return
        self.hub.forget(self)
        self.close()

    def close(self) -> None:
        self.closed = True
        for subscription in self._subscriptions:
            subscription.close()
        self._sender.cancel()
        if self._worker is not None and self._worker is not asyncio.current_task():
            self._worker.cancel()
        if self._idle is not None:
            self._idle.cancel()

    def snapshot(self, viewer: Viewer) -> Frame:
        """The whole board as `viewer` sees it. What everyone in a role sees is encoded once
        per seq from each object's cached bytes, so a room of people reconnecting after a
        restart costs one encoding; a participant's own private objects are added to it."""
        key = "fac" if viewer.facilitator else ""
        cached = self._snapshots.get(key)
        if cached is None or cached[0] != self.head:
            shared = FACILITATOR if viewer.facilitator else PUBLIC
            objects = b",".join([self._encode(obj) for obj in self.state.visible(shared)])
            frame = Frame(encode_snapshot(self.head, self.state.settings, objects))
            cached = self._snapshots[key] = (self.head, objects, frame)
        own = [] if viewer.facilitator or viewer.ref is None else self._own_unshared(viewer.ref)
        if not own:
            return cached[2]
        shared_part = [cached[1]] if cached[1] else []
        objects = b",".join(shared_part + [self._encode(obj) for obj in own])
        return Frame(encode_snapshot(self.head, self.state.settings, objects))

    def _own_unshared(self, ref: str) -> list[AnyObject]:
        """A participant's objects that only they (and facilitators) see."""
        state = self.state
        mine = only(ref)
        return [state.objects[oid] for oid in state.owned_by(ref) if state.audience_of(oid) == mine]

    def _encode(self, obj: AnyObject) -> bytes:
        data = self._encoded.get(obj.id)
        if data is None:
            data = self._encoded[obj.id] = _encoder.encode(obj)
        return data

    # -- ops in -----------------------------------------------------------------------------

    def submit(self, client: Client, message: OpMessage) -> None:
        self.inbox.append((client, message))
        self._wake()

    def _wake(self) -> None:
        if self._worker is None and not self.closed:
            self._worker = asyncio.create_task(self._work(), name=f"room-{self.board_id}-worker")

    async def _work(self) -> None:
        try:
            while not self.closed and (self.inbox or self.remote or self.behind or self.withdrawals):
                self._take_remote()
                if (self.remote or self.behind) and not self.inbox:
                    self.behind = False
                    await self._catch_up()
                if self.inbox:
                    group, self.inbox = self.inbox[:MAX_GROUP], self.inbox[MAX_GROUP:]
                    await self._commit(group)
                if self.withdrawals:
                    ref, done = self.withdrawals.pop(0)
                    done.set_result(await self._withdraw(ref))
        except Exception as error:
            log.exception("board %s: storing ops failed; its sockets will reconnect", self.board_id)
            for _, done in self.withdrawals:
                done.set_exception(error)
            self._fail()
        finally:
            self._worker = None

    @contextlib.asynccontextmanager
    async def _sequencing(self) -> AsyncIterator[Sequencing]:
        """The board's write transaction, with this room first brought up to the stored head
        (other processes may have committed since it last looked)."""
        async with self.hub.oplog.sequence(self.board_id) as sequencing:
            if sequencing.floor > self.head:
                raise StaleRoom(f"board {self.board_id}: ops after seq {self.head} were erased")
            if sequencing.head > self.head:
                self._advance(await sequencing.since(self.head))
            if sequencing.floor > self.floor:
                self._raise_floor(sequencing.floor)
            yield sequencing

    async def _commit(self, group: list[tuple[Client, OpMessage]]) -> None:
        now = self.hub.now()
        async with self._sequencing() as sequencing:
            known = await sequencing.committed({(c.actor.ref, m.id) for c, m in group})
            fresh: list[tuple[Client, OpMessage]] = []
            for client, message in group:
                key = (client.actor.ref, message.id)
                if key in known:
                    client.acks[message.id] = known[key]
                else:
                    known[key] = -1  # a second copy in this same group is a duplicate too
                    fresh.append((client, message))
            state, results = apply_all(self.state, [(m.op, c.actor) for c, m in fresh], now)
            seq = sequencing.head
            entries: list[Entry] = []
            new_ops: list[NewOp] = []
            refused: list[tuple[Client, str, ProtocolError]] = []
            for (client, message), result in zip(fresh, results, strict=True):
                if isinstance(result, ProtocolError):
                    refused.append((client, message.id, result.under("op")))
                    continue
                seq += 1
                entries.append(Entry(seq, client.actor.ref, result))
                new_ops.append(NewOp(seq, client.actor.ref, message.id, to_record(result), now))
                known[(client.actor.ref, message.id)] = seq
            await sequencing.append(
                new_ops, *_stored_changes(state, entries), _changed_settings(self.state, state)
            )
        for client, message in fresh:
            seq_of = known[(client.actor.ref, message.id)]
            if seq_of > 0:
                client.acks[message.id] = seq_of
        self.acks_pending = True
        for client, op_id, error in refused:
            client.outlet.push(encode_error(error, op_id))
        self.state = state
        self._record(entries)
        self._wanted.set()
        if new_ops and self.hub.networked:
            await self._publish(new_ops)

    async def withdraw(self, ref: str) -> int:
        """Remove everything a participant made on this board, and erase their part of the
        op log (`store/erase.py`). Returns how many objects went."""
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.withdrawals.append((ref, done))
        self._wake()
        return await done

    async def _withdraw(self, ref: str) -> int:
        now = self.hub.now()
        async with self._sequencing() as sequencing:
            applied = withdraw(self.state, ref)
            seq = sequencing.head + 1
            removed = [effect.id for effect in applied.effects if isinstance(effect, Change)]
            logged = NewOp(seq, None, None, to_record(applied.effects), now)
            await sequencing.append([logged], {}, removed, None)
            await sequencing.erase_participant(ref, floor=seq)
        self.state = applied.state
        self._record([Entry(seq, None, applied.effects)])
        self._raise_floor(seq)
        if self.hub.networked:
            await self._publish([logged], floor=seq)
        return len(removed)

    def _advance(self, logged: Iterable[LoggedOp]) -> None:
        """Apply ops committed by other processes, in seq order."""
        entries: list[Entry] = []
        state = self.state
        for op in logged:
            if op.seq != self.head + len(entries) + 1:
                continue
            if op.effects is None:
                raise StaleRoom(f"board {self.board_id}: ops after seq {self.head} were erased")
            effects = tuple(from_record(op.effects))
            state = apply_effects(state, effects, op.participant_id)
            entries.append(Entry(op.seq, op.participant_id, effects))
        self.state = state
        self._record(entries)

    def _record(self, entries: list[Entry]) -> None:
        for entry in entries:
            for effect in entry.effects:
                if isinstance(effect, Change):
                    self._encoded.pop(effect.id, None)
            if entry.seq > self.floor:
                self.ring.append(entry)
            self.outgoing.append(entry)
        if entries:
            self.head = entries[-1].seq
            self._wanted.set()

    def _raise_floor(self, floor: int) -> None:
        """Effects at or below the floor were erased (a withdrawal): never replay them."""
        self.floor = max(self.floor, floor)
        while self.ring and self.ring[0].seq <= floor:
            self.ring.popleft()

    def _take_remote(self) -> None:
        """Apply ops other processes published, as far as they follow on without a gap."""
        entries: list[LoggedOp] = []
        while (self.head + len(entries) + 1) in self.remote:
            seq = self.head + len(entries) + 1
            author, record = self.remote.pop(seq)
            entries.append(LoggedOp(seq, author, None, record))
        if entries:
            self._advance(entries)

    async def _catch_up(self) -> None:
        """Fill a gap from the store (a publication lost or still in flight)."""
        self._advance(await self.hub.oplog.since(self.board_id, self.head))
        self.remote = {seq: item for seq, item in self.remote.items() if seq > self.head}

    async def _publish(self, new_ops: list[NewOp], floor: int | None = None) -> None:
        payload: dict[str, Any] = {
            "o": self.hub.origin,
            "ops": [[op.seq, op.participant_id, op.effects] for op in new_ops],
        }
        if floor is not None:
            payload["floor"] = floor
        message = _encoder.encode(payload)
        try:
            await self.hub.broker.publish(f"board:{self.board_id}:ops", message)
        except Exception:
            # Committed regardless; other processes notice the gap on the next op or poll.
            log.warning("board %s: publishing ops failed", self.board_id, exc_info=True)

    def _on_published_ops(self, message: bytes) -> None:
        data = _decoder.decode(message)
        if data.get("o") == self.hub.origin:
            return
        for seq, author, record in data["ops"]:
            if seq > self.head:
                self.remote[seq] = (author, record)
        if "floor" in data:
            self._raise_floor(data["floor"])
        self._wake()

    def check_head(self, head: int) -> None:
        """Another process may have committed ops we never heard of: catch up."""
        if head > self.head:
            self.behind = True
            self._wake()

    def shut(self, code: int, reason: str) -> None:
        """Close every socket on this board, and the room."""
        for client in list(self.clients):
            client.outlet.close(code, reason)
        self.close()

    def _fail(self) -> None:
        """The store failed mid-commit: nothing of the group was acked. Close every socket
        so clients reconnect, resend their unacked ops, and meet a room reloaded from the
        store."""
        self.hub.forget(self)
        self.shut(1011, "the board could not be saved; reconnecting")

    # -- fan-out -----------------------------------------------------------------------------

    async def _send_loop(self) -> None:
        loop = asyncio.get_running_loop()
        last_ops = last_live = float("-inf")
        next_poll = loop.time() + HEAD_POLL
        while True:
            timeout = max(0.0, next_poll - loop.time()) if self.hub.networked else None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wanted.wait(), timeout)
            self._wanted.clear()
            if self.hub.networked and loop.time() >= next_poll:
                next_poll = loop.time() + HEAD_POLL
                await self._poll_head()
            ops_due = last_ops + OPS_TICK if self.outgoing or self.acks_pending else None
            live = self.presence.pending
            live_due = last_live + CURSOR_TICK if live else None
            due = min((t for t in (ops_due, live_due) if t is not None), default=None)
            if due is None:
                continue
            if due > loop.time():
                await asyncio.sleep(due - loop.time())
            now = loop.time()
            if ops_due is not None and now >= ops_due:
                last_ops = now
                self._send_ops()
            if live_due is not None and now >= live_due:
                last_live = now
                self._send_live()
            if self.outgoing or self.acks_pending or self.presence.pending:
                self._wanted.set()

    def _send_ops(self) -> None:
        entries, self.outgoing = self.outgoing, []
        frames: dict[str, Frame] = {}
        if entries:
            first, last = entries[0].seq, entries[-1].seq
            stake = stakeholders(entries)
            for client in self.clients:
                if client.seq >= last:
                    continue
                key = viewer_class(client.viewer, stake)
                if client.seq == first - 1:
                    frame = frames.get(key)
                    if frame is None:
                        frame = frames[key] = Frame(ops_frame(entries, viewer_for_class(key)))
                else:  # joined between commit and tick: already has part of this
                    frame = Frame(
                        ops_frame([e for e in entries if e.seq > client.seq], client.viewer, client.seq + 1)
                    )
                client.outlet.push(frame)
                client.seq = last
        if self.acks_pending:
            self.acks_pending = False
            for client in self.clients:
                if client.acks:
                    client.outlet.push(encode_ack(client.acks))
                    client.acks = {}

    def _send_live(self) -> None:
        cursors_text, presence_text = self.presence.take_frames()
        if cursors_text is not None:
            cursors = Frame(cursors_text)
            everyone_sees = self.state.settings.cursors
            for client in self.clients:
                if everyone_sees or client.actor.facilitator:
                    client.outlet.push(cursors)
        if presence_text is not None:
            presence = Frame(presence_text)
            for client in self.clients:
                client.outlet.push(presence)
        if self.hub.networked:
            shared = self.presence.take_shared()
            if shared:
                self._publish_live(shared)

    def move_cursor(self, client: Client, cursor: Cursor) -> None:
        self.presence.move(client.cid, cursor.x, cursor.y)
        self._wanted.set()

    def signal(self, client: Client, signal: Signal) -> ProtocolError | None:
        if not client.actor.facilitator:
            return ProtocolError(ErrorCode.FORBIDDEN, "type", "only facilitators send signals")
        frame = Frame(encode_signal(signal))
        for other in self.clients:
            if other is not client:
                other.outlet.push(frame)
        self._publish_live({"signal": msgspec.to_builtins(signal)})
        return None

    def _publish_live(self, payload: dict[str, Any]) -> None:
        if not self.hub.networked:
            return
        message = _encoder.encode({"o": self.hub.origin, **payload})
        self.hub.spawn(self.hub.broker.publish(f"board:{self.board_id}:live", message))

    def _on_published_live(self, message: bytes) -> None:
        data = _decoder.decode(message)
        origin = data.get("o")
        if origin == self.hub.origin:
            return
        self.presence.from_remote(origin, data, asyncio.get_running_loop().time())
        if "signal" in data:
            frame = Frame(encode_signal(msgspec.convert(data["signal"], Signal)))
            for client in self.clients:
                client.outlet.push(frame)
        self._wanted.set()

    async def _poll_head(self) -> None:
        """Every HEAD_POLL seconds with a network broker: tell other processes who is here,
        forget processes gone silent, and catch up on ops whose publication was lost."""
        self.presence.expire(asyncio.get_running_loop().time())
        if self.presence.people:
            self._publish_live(self.presence.roster())
        try:
            head = await self.hub.oplog.head(self.board_id)
        except Exception:
            log.warning("board %s: could not read the head seq", self.board_id, exc_info=True)
            return
        self.check_head(head)


def _stored_changes(
    state: BoardState, entries: list[Entry]
) -> tuple[dict[str, tuple[AnyObject, str | None]], set[str]]:
    """The objects to write (as they are now) and to delete, for the entries just applied."""
    puts: dict[str, tuple[AnyObject, str | None]] = {}
    deletes: set[str] = set()
    for entry in entries:
        for effect in entry.effects:
            if not isinstance(effect, Change):
                continue
            obj = state.objects.get(effect.id)
            if obj is None:
                deletes.add(effect.id)
                puts.pop(effect.id, None)
            else:
                puts[effect.id] = (obj, state.authors.get(effect.id))
                deletes.discard(effect.id)
    return puts, deletes


def _changed_settings(before: BoardState, after: BoardState) -> Settings | None:
    return after.settings if after.settings is not before.settings else None


class Hub:
    """Every loaded board of this process."""

    def __init__(
        self,
        oplog: OpLog,
        broker: Broker,
        *,
        now: Callable[[], int],
        networked: bool,
        replay_window: int = 5_000,
        origin: str | None = None,
    ) -> None:
        self.oplog = oplog
        self.replay_window = replay_window
        """Ops kept in memory per board for resuming clients; one further behind gets a
        snapshot instead."""
        self.broker = broker
        self.now = now
        self.networked = networked
        """True when other processes may serve the same boards (a network broker): then rooms
        share cursors and presence over the broker and poll the stored head seq."""
        self.origin = origin or f"{random.getrandbits(32):08x}"
        self.rooms: dict[str, Room] = {}
        self._loading: dict[str, asyncio.Lock] = {}
        self._cids = itertools.count(1)
        self._tasks: set[asyncio.Task[Any]] = set()
        broker.on_reconnect(self._on_broker_reconnect)

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
                loaded = await self.oplog.load(board_id, self.replay_window)
                room = Room(
                    self,
                    board_id,
                    loaded.workshop_id,
                    loaded.number,
                    loaded.state,
                    loaded.head,
                    loaded.floor,
                    loaded.recent,
                )
                self.rooms[board_id] = room
        self._loading.pop(board_id, None)
        return room

    def forget(self, room: Room) -> None:
        if self.rooms.get(room.board_id) is room:
            del self.rooms[room.board_id]

    def spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("background task failed: %r", task.exception())

    def close_boards(self, board_ids: Iterable[str], code: int, reason: str) -> None:
        """Close these boards' rooms in this process, and their sockets with `code`."""
        for board_id in board_ids:
            room = self.rooms.get(board_id)
            if room is not None:
                self.forget(room)
                room.shut(code, reason)

    def _on_broker_reconnect(self) -> None:
        for room in list(self.rooms.values()):
            self.spawn(room._poll_head())

    async def close(self) -> None:
        for room in list(self.rooms.values()):
            room.close()
        self.rooms.clear()
        for task in list(self._tasks):
            task.cancel()
