"""A board while anyone is on it: its sockets, and getting committed ops to them (DESIGN.md §7).

The room keeps the sockets and a `Sequencer` (`sequencer.py`) for the board's order. One
worker at a time drives the sequencer: it takes every op waiting in the inbox and commits them
together, and catches up with other processes when they have committed. Nothing leaves the
room before its commit.

Committed ops collect in `outgoing`. The sender sends them on the loop's next turn while the
loop has slack, and batches them only as it gets busy (`_hold`: how late the sender wakes, and
how much of the loop sending this board's frames has lately taken: `core/pacing.py`), up to
once per `OPS_TICK`: one frame per viewer class, encoded once and pushed to
every socket (`outlet.py`), then each submitter's acks. Cursors and
presence go out once per `CURSOR_TICK` (`presence.py`, `core/pacing.py`), never stored.

What a room holds is counted in bytes (`held`) and reported to the server's `Ledger`
(`core/budget.py`): its replay window, its objects, its cached snapshots and the ops waiting
in its inbox. An op from a socket is admitted only within the budgets (`submit`), and all of
it is given back when the room closes, `ROOM_IDLE` seconds after its last socket leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import msgspec

from board.broker.base import Broker, Subscription
from board.core.budget import REMOVED_ID_BYTES, Ledger, WriteBudgets, board_full
from board.core.delivery import (
    Entry,
    Resume,
    ops_frame,
    plan_resume,
    stakeholders,
    viewer_class,
    viewer_for_class,
)
from board.core.effects import SettingsChange
from board.core.errors import ErrorCode, ProtocolError
from board.core.model import AnyObject
from board.core.ops import Applied, Batch, ChangeSettings, Delete, Op, adopt, apply
from board.core.pacing import CursorTick, FanOutCost, hold
from board.core.protocol import (
    CloseCode,
    Cursor,
    OpMessage,
    Signal,
    Sync,
    Welcome,
    encode,
    encode_ack,
    encode_clock,
    encode_error,
    encode_signal,
)
from board.core.state import Actor, Viewer
from board.store.oplog import LoadedBoard, OpLog
from board.sync.outlet import Bundle, Frame, Outlet
from board.sync.presence import Member, Presence
from board.sync.publisher import Publisher
from board.sync.sequencer import Refused, Resend, Sequencer
from board.sync.snapshots import Snapshots

log = logging.getLogger(__name__)

ROOM_IDLE = 30.0
"""Seconds a board stays loaded after its last socket leaves, so a reconnect storm (a server
restart, a Wi-Fi blip in the room) does not reload it from the store for every client."""
HELD_PER_BYTE = 2
"""Bytes held per byte of an op's frame, once committed: its record in the replay window, and
what it adds to the board's objects. An op is admitted only if what it may come to fits the
budget: this much per byte, and `HELD_PER_CHANGE` per object it changes."""
HELD_PER_CHANGE = 512
"""Bytes held per object an op changes beyond its frame's: the record's own fields, and the
defaults a create leaves out (`w`, `h`, `color`...) that the object then holds."""
SMALL_OP = 4_096
"""Bytes of the largest op a person makes by hand (a note typed, a move, a vote): past the
memory budget these still go, within its headroom (`Ledger`), so that people at work are not
stopped by someone else's big writes."""
MAX_GROUP = 1000
"""Most ops committed in one transaction."""
HEAD_POLL = 2.0
"""With a network broker, seconds between checks of the stored head seq: a publication lost
in transit is noticed within this time even if nothing else arrives."""
OUTAGE_POLL = 0.5
"""Seconds between those checks while the broker is unreachable: other processes' ops then
reach this one only through the store, and half a second keeps the board live enough at one
small query per open board."""

_encoder = msgspec.json.Encoder()
_decoder = msgspec.json.Decoder()
T = TypeVar("T")

_SYNC_NOTICE = {delayed: Frame(encode(Sync(delayed=delayed))) for delayed in (True, False)}
"""Changes from other processes may be delayed (the broker is unreachable), or no longer."""


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
    """Op ids committed since the last ack frame, with their seqs."""
    viewer: Viewer = field(init=False)
    compressed: bool = False
    """The client inflates a compressed snapshot (`hello`'s `compressed`)."""

    def __post_init__(self) -> None:
        self.viewer = self.actor.viewer


class Room:
    def __init__(
        self,
        loaded: LoadedBoard,
        oplog: OpLog,
        *,
        now: Callable[[], int],
        replay_window: int,
        replay_bytes: int,
        ledger: Ledger,
        budgets: WriteBudgets,
        broker: Broker | None,
        origin: str,
        on_close: Callable[[Room], None],
    ) -> None:
        self.board_id = loaded.board_id
        self.workshop_id = loaded.workshop_id
        self.number = loaded.number
        ops_out = Publisher(broker, f"board:{loaded.board_id}:ops") if broker is not None else None
        self._live_out = Publisher(broker, f"board:{loaded.board_id}:live") if broker is not None else None
        """What is live here (who, cursors, signals), for other processes; the sequencer
        publishes the ops on `ops_out`."""
        self._publishers = [out for out in (ops_out, self._live_out) if out is not None]
        self.sequencer = Sequencer(
            loaded,
            oplog,
            now=now,
            replay_window=replay_window,
            replay_bytes=replay_bytes,
            publisher=ops_out,
            origin=origin,
            on_entries=self._committed,
        )
        self.clients: set[Client] = set()
        self.presence = Presence()
        self.closed = False
        self._broker = broker
        self._origin = origin
        self._oplog = oplog
        self._on_close = on_close
        self._ledger = ledger
        self._budgets = budgets
        self._reported = 0
        """What this room last told the ledger it holds."""
        self.snapshots = Snapshots(self.sequencer, ledger, self._account)
        self._init_work()
        self._start()

    def _init_work(self) -> None:
        """What waits its turn: ops to commit, server-made changes, ops committed on their way
        out, and the tasks that do it."""
        self.inbox: list[tuple[Client, OpMessage | Refused, int, int]] = []
        """Ops waiting for the next group commit, with the bytes reserved for each in memory and
        the bytes spent on it from the write budgets (given back if it turns out a resend)."""
        self.inbox_bytes = 0
        self._committing_bytes = 0
        """Bytes reserved in `inbox_bytes` by the group being committed now."""
        self.jobs: list[tuple[Callable[[Sequencer], Awaitable[Any]], asyncio.Future[Any]]] = []
        """Server-made changes waiting their turn with the inbox (withdrawals, merges, pulls)."""
        self.committing: list[tuple[Client, OpMessage | Refused]] = []
        """The group the worker is committing now, taken from the inbox."""
        self.outgoing: list[Entry] = []
        self.acks_pending = False
        self.groups_committed = 0
        """Transactions that stored ops from sockets: group commit keeps it below the ops
        (a burst from a room of people is one transaction, not one each). For tests and
        metrics."""
        self._worker: asyncio.Task[None] | None = None
        self._wanted = asyncio.Event()
        self._wanted_at: float | None = None
        """When `_wanted` was set, if the sender has not woken since (see `_want`)."""
        self._lag = 0.0
        """How late the sender has lately woken, in seconds: the loop's load (`_hold`)."""
        self._fan_out = FanOutCost()
        """How much of the loop this board's op frames have lately taken (`_hold`)."""

    def _start(self) -> None:
        """The sender, the idle timer, and with a network broker the board's channels."""
        board_id, broker = self.board_id, self._broker
        self._sender = asyncio.create_task(self._send_loop(), name=f"room-{board_id}-sender")
        # A room opened for no socket (an answer over HTTP, a withdrawal) closes like one whose
        # last socket left; the first socket to arrive cancels this.
        self._idle: asyncio.TimerHandle | None = asyncio.get_running_loop().call_later(
            ROOM_IDLE, self._close_if_idle
        )
        self.delayed = False
        """The broker is unreachable: ops from other processes come from the store, late, and
        the sockets here have been told so (a `sync` notice)."""
        self._subscriptions: list[Subscription] = []
        if broker is not None:
            self._subscriptions = [
                broker.subscribe(f"board:{board_id}:ops", self._on_published_ops),
                broker.subscribe(f"board:{board_id}:live", self._on_published_live),
            ]
            # Ask the other processes who they have here, rather than wait for their next
            # roster: a facilitator asking who is present may be served by this process.
            self._publish_live({"ask": True})

    # -- joining and leaving --------------------------------------------------------------

    def attach(self, client: Client, since: int | None, welcome: dict[str, Any]) -> None:
        """Welcome a socket and bring it up to date. Synchronous, so no op can slip between
        what it is sent now and what it is sent on the next tick."""
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        client.room = self
        viewer = client.viewer
        board = self.sequencer
        mine = [] if viewer.facilitator else board.state.owned_by(client.actor.ref)
        client.outlet.push(
            encode(
                Welcome(
                    seq=board.head, mine=mine, people=self.presence.everyone(), now=board.now(), **welcome
                )
            )
        )
        oldest = board.ring[0].seq if board.ring else board.head + 1
        plan = plan_resume(since, board.head, board.floor, oldest)
        if plan is Resume.SNAPSHOT:
            self.snapshots.send(client.outlet, viewer, client.compressed)
        elif plan is Resume.REPLAY:
            assert since is not None
            missed = [entry for entry in board.ring if entry.seq > since]
            client.outlet.push(ops_frame(missed, viewer, first=since + 1))
        if self.delayed:
            client.outlet.push(_SYNC_NOTICE[True])
        client.seq = board.head
        self.clients.add(client)
        self.presence.join(client.cid, Member(client.name, client.actor.ref, client.actor.facilitator))
        self._want()

    def detach(self, client: Client) -> None:
        if client not in self.clients:
            return
        self.clients.discard(client)
        client.room = None
        self.presence.leave(client.cid)
        self._want()
        if not self.clients:
            self._idle = asyncio.get_running_loop().call_later(ROOM_IDLE, self._close_if_idle)

    def _close_if_idle(self) -> None:
        self._idle = None
        if self.clients:
            return
        if self._worker is not None or self.inbox:
            self._idle = asyncio.get_running_loop().call_later(ROOM_IDLE, self._close_if_idle)
            return
        self.close()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.snapshots.clear()
        self._ledger.change(-self._reported)
        self._reported = 0
        self._on_close(self)
        for subscription in self._subscriptions:
            subscription.close()
        self._sender.cancel()
        for publisher in self._publishers:
            publisher.stop()
        if self._worker is not None and self._worker is not asyncio.current_task():
            self._worker.cancel()
        if self._idle is not None:
            self._idle.cancel()

    async def finished(self) -> None:
        """Wait until nothing of the room's is running (after `close`, which cancels its tasks):
        the server is stopping, and the store must not close under a query."""
        tasks = [task for task in (self._sender, self._worker) if task is not None] + self.snapshots.tasks()
        for publisher in self._publishers:
            tasks += publisher.tasks()
        await asyncio.gather(*tasks, return_exceptions=True)

    def shut(self, code: int, reason: str) -> None:
        """Close every socket on this board, and the room."""
        for client in list(self.clients):
            client.outlet.close(code, reason)
        self.close()

    @property
    def held(self) -> int:
        """Bytes this room holds: replay window, objects, the ids of removed ones, cached
        snapshots, ops waiting (to be committed here, or published by other processes ahead of
        a gap)."""
        board = self.sequencer
        removed = REMOVED_ID_BYTES * len(board.state.gone)
        waiting = self.inbox_bytes + board.remote_bytes
        return board.ring.bytes + board.board_bytes + removed + self.snapshots.bytes + waiting

    def _release_committing(self) -> None:
        self.inbox_bytes -= self._committing_bytes
        self._committing_bytes = 0
        self._account()

    def _account(self) -> None:
        if self.closed:
            return
        held = self.held
        self._ledger.change(held - self._reported)
        self._reported = held

    # -- driving the sequencer ----------------------------------------------------------------

    def submit(self, client: Client, message: OpMessage, size: int = 0) -> None:
        """Queue an op from a socket (`size`: the bytes of its frame) for the next group
        commit. An op that only removes always frees more than it costs, so only the write
        budgets apply to it.

        An op a budget refuses still waits for the next group, by its id alone (`Refused`):
        it may be a resend of an op committed before, which is acked with its seq whatever
        the budgets say now (exactly once); the group's dedupe query tells, at no extra round
        trip. A resend within the budgets is charged at first and given back once the commit
        finds it (`_commit`), so a resend costs nothing."""
        if self.number != MAIN_BOARD and _changes_poll(message.op):
            # Never committed anywhere, so never a resend.
            refused = ProtocolError(
                ErrorCode.FORBIDDEN, "op.props", "the exit poll runs on the main board only"
            )
            client.outlet.push(encode_error(refused, message.id))
            return
        refusal: ProtocolError | None = None
        cost = HELD_PER_BYTE * size + HELD_PER_CHANGE * _changes(message.op)
        spent = 0
        if not _only_removes(message.op):
            refusal = self._ledger.refuses(cost, small=size <= SMALL_OP) or self._board_full(size)
        if refusal is None and not client.actor.facilitator:
            now = asyncio.get_running_loop().time()
            refusal = self._budgets.spend(client.actor.ref, self.workshop_id, size, now)
            spent = size if refusal is None else 0
        if refusal is not None:
            self.inbox.append((client, Refused(message.id, refusal), 0, 0))
        else:
            self.inbox.append((client, message, cost, spent))
            self.inbox_bytes += cost
            self._account()
        self._wake()

    async def settle(self, client: Client) -> None:
        """Wait until every op `client` submitted is committed or refused, then send what is
        due (its acks among it) now rather than on the next tick: the socket is about to close."""
        while not self.closed and any(sender is client for sender, *_ in (*self.committing, *self.inbox)):
            await self.run(_nothing)  # its turn comes after the group being committed
        if not self.closed and client.acks:
            self._send(True, False)

    def _board_full(self, size: int) -> ProtocolError | None:
        pending = self.inbox_bytes // HELD_PER_BYTE  # no more than what waits can add
        return board_full(self.sequencer.board_bytes + pending, size)

    async def run(self, job: Callable[[Sequencer], Awaitable[T]]) -> T:
        """Run a server-made change on this board in its turn, between groups of ops."""
        done: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self.jobs.append((job, done))
        self._wake()
        return await done

    async def withdraw(self, ref: str) -> int:
        """Remove everything a participant made on this board (see `Sequencer.withdraw`)."""
        return await self.run(lambda sequencer: sequencer.withdraw(ref))

    async def adopt(
        self, objects: Sequence[tuple[AnyObject, str | None]], remove: Sequence[str] = ()
    ) -> Applied:
        """Place objects keeping their authors, and remove others (see `core.ops.adopt`)."""
        applied = await self.run(
            lambda sequencer: sequencer.change(lambda state: adopt(state, objects, remove))
        )
        assert isinstance(applied, Applied)  # adopt never refuses
        return applied

    async def apply(self, op: Op, actor: Actor) -> Applied | ProtocolError:
        """Apply an op for someone who asked over HTTP (a facilitator accepting suggestions in
        bulk, say), checked exactly as if it came from their socket."""
        return await self.run(
            lambda sequencer: sequencer.change(
                lambda state: apply(state, op, actor, sequencer.now()), by=actor.ref
            )
        )

    def _wake(self) -> None:
        if self._worker is None and not self.closed:
            self._worker = asyncio.create_task(self._work(), name=f"room-{self.board_id}-worker")

    async def _work(self) -> None:
        board = self.sequencer
        try:
            while not self.closed and (self.inbox or self.jobs or board.needs_catching_up):
                if board.needs_catching_up and not self.inbox:
                    await board.catch_up()
                if self.inbox:
                    group, self.inbox = self.inbox[:MAX_GROUP], self.inbox[MAX_GROUP:]
                    self.committing = [(client, message) for client, message, *_ in group]
                    self._committing_bytes = sum(cost for _, _, cost, _ in group)
                    try:
                        await self._commit(group)
                    finally:
                        self.committing = []
                        self._release_committing()
                if self.jobs:
                    job, done = self.jobs.pop(0)
                    done.set_result(await job(board))
        except Exception as error:
            log.exception("board %s: storing ops failed; its sockets will reconnect", self.board_id)
            for _, done in self.jobs:
                done.set_exception(error)
            self.shut(CloseCode.BOARD_FAILED, "the board could not be saved; reconnecting")
        finally:
            self._worker = None

    async def _commit(self, group: list[tuple[Client, OpMessage | Refused, int, int]]) -> None:
        outcomes = await self.sequencer.commit([(client.actor, message) for client, message, *_ in group])
        self.groups_committed += 1
        now = asyncio.get_running_loop().time()
        for (client, message, _, spent), outcome in zip(group, outcomes, strict=True):
            if isinstance(outcome, ProtocolError):
                client.outlet.push(encode_error(outcome, message.id))
                continue
            if isinstance(outcome, Resend) and spent:
                self._budgets.give_back(client.actor.ref, self.workshop_id, spent, now)
            client.acks[message.id] = int(outcome)
            self.acks_pending = True
        self._want()

    def _committed(self, entries: list[Entry]) -> None:
        """The sequencer applied these (from here or elsewhere): on their way out they go."""
        self.outgoing.extend(entries)
        self._release_committing()  # what it reserved is now counted as what it holds
        self._want()

    def _on_published_ops(self, message: bytes) -> None:
        board = self.sequencer
        if board.receive(_decoder.decode(message)):
            if self._worker is None:
                # Nothing is being committed: ops that follow on are applied now, with no
                # I/O, rather than on a worker task's first turn (a task and a loop turn
                # each).
                board.take_published()
            if board.needs_catching_up:
                self._wake()  # a gap: the worker reads it from the store
        self._account()

    # -- fan-out -----------------------------------------------------------------------------

    def _want(self) -> None:
        """Wake the sender: something is due, or may be."""
        if self._wanted_at is None:
            self._wanted_at = asyncio.get_running_loop().time()
        self._wanted.set()

    def _hold(self) -> float:
        """Seconds committed ops may wait for more to share their frame: none while the loop
        has slack (they go on its next turn), more as it gets busy, at most `OPS_TICK`.

        Load is read off the loop, not the clock since the last frame: how late the sender
        wakes after being woken is how much other work is ready before it. Holding ops a few
        times that long keeps fan-out to a bounded share of the loop as load rises."""
        return hold(self._lag, self._fan_out.spacing())

    def _woken(self, now: float) -> None:
        """The sender runs: note how late, against when it was woken."""
        if self._wanted_at is not None:
            lag = now - self._wanted_at
            self._wanted_at = None
            # Up at once, down by half each wake: a busy spell holds ops until it has passed.
            self._lag = max(lag, self._lag / 2)

    async def _send_loop(self) -> None:
        """Send what is due, then wait until something else is due or arrives.

        It never sleeps blind: waiting for the next tick is waiting for `_wanted` with a
        timeout, so an op committed while cursors are pending is not held back until the
        cursor tick (a bug the benchmark's profile found)."""
        loop = asyncio.get_running_loop()
        last_ops = float("-inf")
        cursors = CursorTick()
        last_poll = loop.time()
        while True:
            now = loop.time()
            self._woken(now)
            self._wanted.clear()
            next_poll = last_poll + self._poll_every()
            if now >= next_poll:
                last_poll = now
                next_poll = now + self._poll_every()
                await self._keep_in_touch()
            ops_due = last_ops + self._hold() if self.outgoing or self.acks_pending else None
            live_due = cursors.due if self.presence.pending else None
            due = min(t for t in (ops_due, live_due, next_poll) if t is not None)
            if due > now:
                timeout = None if due == float("inf") else due - now
                # `timeout`, not `wait_for`: it wraps the wait in a task of its own every time.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(timeout):
                        await self._wanted.wait()
                continue
            send_ops = ops_due is not None and now >= ops_due
            send_live = live_due is not None and cursors.goes(now, send_ops)
            if send_live:
                cursors.went(now)
            began = time.perf_counter()
            self._send(send_ops, send_live)
            if send_ops:
                # Cursors alone are not paced, so only a send with ops counts against the share.
                last_ops = now
                self._fan_out.sent(began, time.perf_counter())

    def _send(self, ops: bool, live: bool) -> None:
        """One write per socket: its ops frame (shared by its viewer class), the cursors and
        presence frames (shared by all), and its own acks, in that order."""
        entries: list[Entry] = []
        if ops:
            entries, self.outgoing = self.outgoing, []
        cursors = presence = None
        if live:
            cursors_text, presence_text = self.presence.take_frames()
            cursors = Frame(cursors_text) if cursors_text is not None else None
            presence = Frame(presence_text) if presence_text is not None else None
            if self._live_out is not None and (shared := self.presence.take_shared()):
                self._publish_live(shared)
        acks = ops and self.acks_pending
        if acks:
            self.acks_pending = False
        everyone_sees_cursors = self.sequencer.state.settings.cursors
        first = entries[0].seq if entries else 0
        last = entries[-1].seq if entries else 0
        stake = stakeholders(entries)
        # The server is the timer's clock: whoever is told of a timer change is told its time.
        clock = Frame(encode_clock(self.sequencer.now())) if _moves_timer(entries) else None
        ops_frames: dict[str, Frame] = {}
        bundles: dict[tuple[str | None, bool], Bundle] = {}
        for client in self.clients:
            parts: list[Frame] = []
            key: str | None = None
            custom = False
            if entries and client.seq < last:
                if clock is not None:
                    parts.append(clock)
                if client.seq == first - 1:
                    key = viewer_class(client.viewer, stake)
                    frame = ops_frames.get(key)
                    if frame is None:
                        frame = ops_frames[key] = Frame(ops_frame(entries, viewer_for_class(key)))
                else:  # joined between commit and tick: already has part of this
                    custom = True
                    rest = [entry for entry in entries if entry.seq > client.seq]
                    frame = Frame(ops_frame(rest, client.viewer, client.seq + 1))
                parts.append(frame)
                client.seq = last
            sees_cursors = cursors is not None and (everyone_sees_cursors or client.actor.facilitator)
            if cursors is not None and sees_cursors:
                parts.append(cursors)
            if presence is not None:
                parts.append(presence)
            if acks and client.acks:
                parts.append(Frame(encode_ack(client.acks)))
                client.acks = {}
                client.outlet.push(Bundle(parts))
            elif custom:
                client.outlet.push(Bundle(parts))
            elif parts:
                bundle = bundles.get((key, sees_cursors))
                if bundle is None:
                    bundle = bundles[(key, sees_cursors)] = Bundle(parts)
                client.outlet.push(bundle)

    def rename(self, ref: str, name: str) -> None:
        """A person's sockets here show a new name: told to everyone on the board (and to other
        processes) as a `joined` with the same cursor id, which replaces the old name."""
        for client in self.clients:
            if client.actor.ref == ref:
                client.name = name
                self.presence.join(client.cid, Member(name, ref, client.actor.facilitator))
                self._want()

    def move_cursor(self, client: Client, cursor: Cursor) -> None:
        # Only the first move since the last cursors frame wakes the sender: it then waits for
        # the cursor tick, which later moves do not change. A wake per move was a thousand
        # a second at N=1000 with cursors at 1 Hz, each a turn of the send loop for nothing.
        waiting = self.presence.pending
        self.presence.move(client.cid, cursor.x, cursor.y)
        if not waiting:
            self._want()

    def signal(self, client: Client, signal: Signal) -> ProtocolError | None:
        if not client.actor.facilitator:
            return ProtocolError(ErrorCode.FORBIDDEN, "type", "only facilitators send signals")
        frame = Frame(encode_signal(signal))
        for other in self.clients:
            if other is not client:
                other.outlet.push(frame)
        self._publish_live({"signal": msgspec.to_builtins(signal)})
        return None

    # -- other processes ----------------------------------------------------------------------

    def _publish_live(self, payload: dict[str, Any]) -> None:
        if self._live_out is not None:
            self._live_out.publish(_encoder.encode({"o": self._origin, **payload}))

    def _on_published_live(self, message: bytes) -> None:
        data = _decoder.decode(message)
        origin = data.get("o")
        if origin == self._origin:
            return
        if data.get("ask") and self.presence.people:
            self._publish_live(self.presence.roster())
        self.presence.from_remote(origin, data, asyncio.get_running_loop().time())
        if "signal" in data:
            frame = Frame(encode_signal(msgspec.convert(data["signal"], Signal)))
            for client in self.clients:
                client.outlet.push(frame)
        self._want()

    def _poll_every(self) -> float:
        if self._broker is None:
            return float("inf")
        return OUTAGE_POLL if self.delayed else HEAD_POLL

    def broker_lost(self, lost: bool) -> None:
        """The broker went away (or came back): tell every socket here, and until it is back
        poll the store every OUTAGE_POLL seconds for what other processes commit."""
        if lost == self.delayed:
            return
        self.delayed = lost
        for client in self.clients:
            client.outlet.push(_SYNC_NOTICE[lost])
        if not lost:
            self._publish_live({"ask": True})  # rosters published meanwhile were lost
        self._want()

    async def _keep_in_touch(self) -> None:
        """Every HEAD_POLL seconds with a network broker: tell other processes who is here,
        forget processes gone silent, and catch up on ops whose publication was lost."""
        self.presence.expire(asyncio.get_running_loop().time())
        if self.presence.people:
            self._publish_live(self.presence.roster())
        await self.check_head()

    async def check_head(self) -> None:
        try:
            head = await self._oplog.head(self.board_id)
        except Exception:
            log.warning("board %s: could not read the head seq", self.board_id, exc_info=True)
            return
        if self.sequencer.notice_head(head):
            self._wake()


MAIN_BOARD = 0
POLL_SETTINGS = frozenset({"poll_open", "poll_words"})
"""The exit poll's settings: only the main board's count (answers live there), so a breakout
board refuses them rather than collect answers nobody would ever count."""


def _changes(op: Op) -> int:
    return len(op.ops) if isinstance(op, Batch) else 1


def _only_removes(op: Op) -> bool:
    return isinstance(op, Delete) or (isinstance(op, Batch) and all(isinstance(o, Delete) for o in op.ops))


def _changes_poll(op: Op) -> bool:
    return isinstance(op, ChangeSettings) and not POLL_SETTINGS.isdisjoint(op.props.changes())


async def _nothing(_: Sequencer) -> None:
    """A job that changes nothing: its turn comes once the groups before it are committed."""


def _moves_timer(entries: Sequence[Entry]) -> bool:
    return any(
        isinstance(effect, SettingsChange) and "timer" in effect.props
        for entry in entries
        for effect in entry.effects
    )
