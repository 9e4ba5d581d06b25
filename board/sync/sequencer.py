"""One board's order (DESIGN.md §3.1, §3.2, §3.6): the state, the head seq, and how ops join it.

A `Sequencer` knows nothing of sockets. It commits groups of ops in one transaction each
(group commit): deduplicated by (participant, client op id), applied in order by
`core.ops.apply_all`, given consecutive seqs and stored with the objects they changed. It also
withdraws participants, and keeps up with what other processes commit to the same board: from
their broker publications when they arrive in order, from the store when one is missing.

Whatever it applies, from here or elsewhere, it hands to `on_entries` in seq order; that is the
room's cue to fan out. It keeps the last ops in `ring` for resuming clients, bounded in count
and in bytes, and each object's encoded bytes in `encoded` (their total is `board_bytes`, the
board's size against `max_board_bytes`; the room's snapshots are built from them). Ops other
processes published ahead of a missing one wait in `remote`, bounded in bytes by the same
bound as the ring: past it they are dropped and read from the store instead.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import msgspec

from board.core.budget import ReplayRing
from board.core.delivery import Entry
from board.core.effects import Change, apply_ops_effects, from_record, to_record
from board.core.errors import ErrorCode, ProtocolError
from board.core.model import AnyObject, Settings
from board.core.ops import Applied, adopt, apply_all, withdraw
from board.core.protocol import OpMessage
from board.core.state import Actor, BoardState
from board.store.oplog import LoadedBoard, OpLog, Sequencing
from board.store.rows import LoggedOp, NewOp, Unstorable, made_at
from board.sync.publisher import Publisher

log = logging.getLogger(__name__)

_encoder = msgspec.json.Encoder()

Outcome = int | ProtocolError
"""What became of one submitted op: the seq it was committed at (a `Resend` of it for an op
committed before), or why it was refused."""

APPEND_ATTEMPTS: Final = 3
"""Tries of the one-statement group commit (`OpLog.append_at`) before the long way round (a
transaction of several round trips that holds the board's lock throughout). A try that stores
nothing brings this copy up to the head it found, so the next fails only if yet another
process committed in between: on a board that two processes write to at random moments (people
on both), that happens, and a third try is still cheaper than the long way, which would also
keep the other process waiting on the lock."""


class Resend(int):
    """The original seq of an op committed before (a client's resend after a reconnect, or a
    second copy in one group): acked with it again, and neither applied nor charged again."""


@dataclass(frozen=True, slots=True)
class Refused:
    """An op a budget refused before it was queued, kept by its id alone (a few hundred bytes,
    not the op): if it is a resend of an op already committed it is acked with that op's seq,
    whatever the budgets say now; otherwise it gets `error` and nothing is applied. Looked up
    in the same query as the rest of its group, so it costs no round trip of its own."""

    id: str
    error: ProtocolError


class StaleRoom(RuntimeError):
    """This process's copy of a board missed ops that were erased since (a withdrawal made
    elsewhere): it cannot catch up op by op and must be reloaded."""


class Sequencer:
    def __init__(
        self,
        loaded: LoadedBoard,
        oplog: OpLog,
        *,
        now: Callable[[], int],
        replay_window: int,
        replay_bytes: int,
        publisher: Publisher | None,
        origin: str,
        on_entries: Callable[[list[Entry]], None],
    ) -> None:
        self.board_id = loaded.board_id
        self.state = loaded.state
        self.head = loaded.head
        self.floor = loaded.floor
        self.ring = ReplayRing(replay_window, replay_bytes)
        for logged in loaded.recent:
            if logged.effects is not None:
                self.ring.append(
                    Entry(logged.seq, logged.participant_id, tuple(from_record(logged.effects))),
                    len(_encoder.encode(logged.effects)),
                )
        self.encoded: dict[str, bytes] = {
            oid: _encoder.encode(obj) for oid, obj in self.state.objects.items()
        }
        """Each object's JSON, as snapshots send it."""
        self.board_bytes = sum(len(data) for data in self.encoded.values())
        self.remote: dict[int, tuple[str | None, list[dict[str, Any]], int]] = {}
        """Ops other processes published, waiting for the seqs before them, with the bytes of
        each one's record."""
        self.remote_bytes = 0
        """Their records' bytes together: at most `ring.max_bytes` (see `receive`)."""
        self.behind = False
        """The store may hold ops this process has not heard of."""
        self._oplog = oplog
        self.now = now
        self._publisher = publisher
        self._origin = origin
        self._on_entries = on_entries

    @property
    def needs_catching_up(self) -> bool:
        return bool(self.remote) or self.behind

    # -- committing ------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _sequencing(self) -> AsyncIterator[Sequencing]:
        """The board's write transaction, with this copy first brought up to the stored head
        (other processes may have committed since it last looked)."""
        async with self._oplog.sequence(self.board_id) as sequencing:
            if sequencing.floor > self.head:
                raise StaleRoom(f"board {self.board_id}: ops after seq {self.head} were erased")
            if sequencing.head > self.head:
                self._advance(await sequencing.since(self.head))
            if sequencing.floor > self.floor:
                self.raise_floor(sequencing.floor)
            yield sequencing

    async def commit(self, group: Sequence[tuple[Actor, OpMessage | Refused]]) -> list[Outcome]:
        """Commit a group of ops in one transaction; an outcome per op, in order. An op already
        in the log, or twice in the group, is applied once and every copy gets its seq (a
        `Resend` for each copy after the first). A `Refused` op is only looked up: a resend
        gets its seq, anything else its refusal.

        When the database refuses the group's data (`Unstorable`: a value one op carries that
        it cannot hold), that op alone is refused (`not_stored`) and the rest are committed:
        the group is split in halves until the op is found, so one op costs the others
        nothing but a few more transactions, and the board stays up."""
        try:
            return await self._commit_group(group)
        except Unstorable as error:
            if len(group) > 1:
                half = len(group) // 2
                return await self.commit(group[:half]) + await self.commit(group[half:])
            message = group[0][1]
            log.warning(
                "board %s: op %r not stored, refused to its sender: %s", self.board_id, message.id, error
            )
            if isinstance(message, Refused):
                return [message.error]
            return [ProtocolError(ErrorCode.NOT_STORED, "", "the database could not store this op")]

    async def _commit_group(self, group: Sequence[tuple[Actor, OpMessage | Refused]]) -> list[Outcome]:
        now = self.now()
        keys = {(actor.ref, message.id) for actor, message in group}
        if self._oplog.appends_at_once:
            # The usual case, in one round trip: this copy is at the head and nothing is a
            # resend. The store checks both, and stores nothing if either is wrong, saying
            # what it holds instead: this copy catches up from that and tries again. What
            # other processes published that follows on is applied first (no I/O); a copy
            # that is behind, or heard of ops after a gap, goes the same way, since the
            # statement's answer fills in what it missed.
            self.take_published()
            earlier: dict[tuple[str, str], int] = {}
            for attempt in range(APPEND_ATTEMPTS):
                plan = _Plan.of(self.state, self.head, group, earlier, now)
                if attempt and not plan.new_ops:  # only resends: nothing to store
                    return await self._committed(group, plan)
                at = (self.head, self.floor)
                answer = await self._oplog.append_at(self.board_id, at, keys - earlier.keys(), *plan.writes())
                if answer.stored:
                    self.behind = False  # the store was at this copy's head
                    return await self._committed(group, plan)
                if answer.floor != self.floor:
                    break  # the log erased: the long way, which checks what is left
                # None: the statement waited for another process's lock and read the log as
                # it was before that commit; one read fetches what it could not see.
                missed = answer.missed
                if missed is None:
                    missed = await self._oplog.since(self.board_id, self.head)
                self._advance(missed)
                self._forget_remote_up_to_head()
                earlier = answer.earlier
        async with self._sequencing() as sequencing:
            earlier = await sequencing.committed(keys)
            plan = _Plan.of(self.state, sequencing.head, group, earlier, now)
            await sequencing.append(*plan.writes())
        return await self._committed(group, plan)

    async def _committed(
        self, group: Sequence[tuple[Actor, OpMessage | Refused]], plan: _Plan
    ) -> list[Outcome]:
        self.state = plan.state
        self._record(plan.entries, [len(op.encoded) for op in plan.new_ops])
        self._publish(plan.new_ops)
        return _per_copy(group, plan.outcomes)

    async def change(
        self, transform: Callable[[BoardState], Applied | ProtocolError], by: str | None = None
    ) -> Applied | ProtocolError:
        """Sequence and store a change the server makes itself (`core.ops.adopt`: a merge, a
        gallery pull), attributed to nobody; or an op applied for someone over HTTP, attributed
        to them (`by`), so that what it creates is theirs in every process and in the op log,
        as if it came from their socket. A refused change, or one with no effects, takes no
        seq."""
        now = self.now()
        async with self._sequencing() as sequencing:
            applied = transform(self.state)
            if isinstance(applied, ProtocolError) or not applied.effects:
                return applied
            entry = Entry(sequencing.head + 1, by, applied.effects)
            logged = NewOp(entry.seq, by, None, to_record(applied.effects), now)
            puts, deletes, made = _stored_changes(applied.state, [entry])
            settings = applied.state.settings if applied.state.settings is not self.state.settings else None
            removers = _removers(applied.state, deletes)
            await sequencing.append([logged], puts, deletes, settings, removers, made)
        self.state = applied.state
        self._record([entry], [len(logged.encoded)])
        self._publish([logged])
        return applied

    async def withdraw(self, ref: str, only: Collection[str] | None = None) -> int:
        """Remove everything a participant made on this board (or the objects of theirs that
        `only` names) and erase their part of the op log (`store/erase.py`). Returns how many
        objects went."""
        now = self.now()
        async with self._sequencing() as sequencing:
            if only is None:
                applied = withdraw(self.state, ref)
            else:
                applied = adopt(self.state, [], [oid for oid in self.state.owned_by(ref) if oid in only])
            seq = sequencing.head + 1
            removed = [effect.id for effect in applied.effects if isinstance(effect, Change)]
            logged = NewOp(seq, None, None, to_record(applied.effects), now)
            state = applied.state.forget_remover(ref)
            await sequencing.append([logged], {}, removed, None, _removers(state, removed))
            await sequencing.erase_participant(ref, floor=seq)
        self.state = state
        self._record([Entry(seq, None, applied.effects)], [len(logged.encoded)])
        self.raise_floor(seq)
        self._publish([logged], floor=seq)
        return len(removed)

    def _record(self, entries: list[Entry], sizes: list[int]) -> None:
        """Entries just applied to `state`, with the bytes of their records."""
        for entry, size in zip(entries, sizes, strict=True):
            if entry.seq > self.floor:
                self.ring.append(entry, size)
            for effect in entry.effects:
                if isinstance(effect, Change):
                    self._reencode(effect.id)
        if entries:
            self.head = entries[-1].seq
            self._on_entries(entries)

    def _reencode(self, oid: str) -> None:
        old = self.encoded.pop(oid, None)
        if old is not None:
            self.board_bytes -= len(old)
        obj = self.state.objects.get(oid)
        if obj is not None:
            data = self.encoded[oid] = _encoder.encode(obj)
            self.board_bytes += len(data)

    def raise_floor(self, floor: int) -> None:
        """Effects at or below the floor were erased (a withdrawal): never replay them."""
        self.floor = max(self.floor, floor)
        while self.ring and self.ring[0].seq <= floor:
            self.ring.popleft()

    # -- other processes -------------------------------------------------------------------

    def _advance(self, logged: Iterable[LoggedOp], known: Sequence[int] = ()) -> None:
        """Apply ops committed by other processes, in seq order (`known`: the bytes of their
        records, when already counted)."""
        entries: list[Entry] = []
        sizes: list[int] = []
        for i, op in enumerate(logged):
            if op.seq != self.head + len(entries) + 1:
                continue
            if op.effects is None:
                raise StaleRoom(f"board {self.board_id}: ops after seq {self.head} were erased")
            entries.append(Entry(op.seq, op.participant_id, tuple(from_record(op.effects))))
            sizes.append(known[i] if known else len(_encoder.encode(op.effects)))
        if entries:
            self.state = apply_ops_effects(self.state, [(entry.effects, entry.author) for entry in entries])
        self._record(entries, sizes)

    async def catch_up(self) -> None:
        """Apply published ops that follow on; fill any gap before them from the store."""
        behind, self.behind = self.behind, False
        self.take_published()
        if self.remote or behind:
            self._advance(await self._oplog.since(self.board_id, self.head))
            self._forget_remote_up_to_head()

    def _forget_remote_up_to_head(self) -> None:
        """Drop published ops this copy has applied from the store already."""
        self.remote = {seq: item for seq, item in self.remote.items() if seq > self.head}
        self.remote_bytes = sum(size for _, _, size in self.remote.values())

    def take_published(self) -> None:
        """Apply the ops other processes published that follow on from the head (no I/O)."""
        entries: list[LoggedOp] = []
        sizes: list[int] = []
        while (self.head + len(entries) + 1) in self.remote:
            seq = self.head + len(entries) + 1
            author, record, size = self.remote.pop(seq)
            self.remote_bytes -= size
            entries.append(LoggedOp(seq, author, None, record))
            sizes.append(size)
        self._advance(entries, sizes)

    def receive(self, data: dict[str, Any]) -> bool:
        """Take another process's publication; True when there is now something to apply.

        Ops ahead of a missing seq wait for it in `remote`, at most `ring.max_bytes` of them
        (`BOARD_REPLAY_BYTES`, the replay window's bound): past that, whatever floods in
        while the gap lasts (a busy process, a lost publication, a slow worker here) is
        dropped, and the board catches up from the store, where all of it is anyway."""
        if data.get("o") == self._origin:
            return False
        for seq, author, record in data["ops"]:
            if seq > self.head and seq not in self.remote:
                size = len(_encoder.encode(record))
                self.remote[seq] = (author, record, size)
                self.remote_bytes += size
        if self.remote_bytes > self.ring.max_bytes:
            log.info(
                "board %s: over %d bytes of ops wait for a gap; reading them from the store",
                self.board_id,
                self.ring.max_bytes,
            )
            self.remote.clear()
            self.remote_bytes = 0
            self.behind = True
        if "floor" in data:
            self.raise_floor(data["floor"])
        return self.needs_catching_up

    def notice_head(self, head: int) -> bool:
        """The stored head, as last read; True when this copy is behind it."""
        if head > self.head:
            self.behind = True
        return self.behind

    def _publish(self, new_ops: list[NewOp], floor: int | None = None) -> None:
        """Tell other processes, in commit order, without waiting for the broker (`Publisher`)."""
        if self._publisher is None or not new_ops:
            return
        payload: dict[str, Any] = {
            "o": self._origin,
            "ops": [[op.seq, op.participant_id, msgspec.Raw(op.encoded)] for op in new_ops],
        }
        if floor is not None:
            payload["floor"] = floor
        self._publisher.publish(_encoder.encode(payload))


@dataclass(slots=True)
class _Plan:
    """A group applied to a state: what it comes to, and what to store."""

    state: BoardState
    before: BoardState
    entries: list[Entry]
    new_ops: list[NewOp]
    outcomes: dict[tuple[str, str], Outcome]

    @classmethod
    def of(
        cls,
        state: BoardState,
        head: int,
        group: Sequence[tuple[Actor, OpMessage | Refused]],
        earlier: dict[tuple[str, str], int],
        now: int,
    ) -> _Plan:
        """Apply the group's fresh ops to `state` at `head`; `earlier`: the ops of the group
        already in the log, with their seqs (acked as `Resend`s, not applied again)."""
        outcomes: dict[tuple[str, str], Outcome] = {key: Resend(seq) for key, seq in earlier.items()}
        fresh: dict[tuple[str, str], tuple[Actor, OpMessage]] = {}
        for actor, message in group:
            key = (actor.ref, message.id)
            if key not in outcomes and isinstance(message, OpMessage):
                fresh.setdefault(key, (actor, message))
        after, results = apply_all(state, [(m.op, a) for a, m in fresh.values()], now)
        seq = head
        entries: list[Entry] = []
        new_ops: list[NewOp] = []
        for (key, (actor, message)), result in zip(fresh.items(), results, strict=True):
            if isinstance(result, ProtocolError):
                outcomes[key] = result.under("op")
                continue
            seq += 1
            entries.append(Entry(seq, actor.ref, result))
            new_ops.append(NewOp(seq, actor.ref, message.id, to_record(result), now))
            outcomes[key] = seq
        return cls(after, state, entries, new_ops, outcomes)

    def writes(
        self,
    ) -> tuple[
        list[NewOp],
        dict[str, tuple[AnyObject, str | None]],
        set[str],
        Settings | None,
        dict[str, str | None],
        dict[str, int],
    ]:
        """`Sequencing.append`'s arguments: the ops, the objects to write and to delete, the
        settings if they changed, who removed each object removed, where each object made
        was made."""
        puts, deletes, made = _stored_changes(self.state, self.entries)
        settings = self.state.settings if self.state.settings is not self.before.settings else None
        return self.new_ops, puts, deletes, settings, _removers(self.state, deletes), made


def _per_copy(
    group: Sequence[tuple[Actor, OpMessage | Refused]], outcomes: dict[tuple[str, str], Outcome]
) -> list[Outcome]:
    """Each op's outcome, in the group's order: a copy after the first of an op committed now
    is a resend of it, and a refused op never committed keeps its refusal."""
    result: list[Outcome] = []
    seen: set[tuple[str, str]] = set()
    for actor, message in group:
        key = (actor.ref, message.id)
        outcome = outcomes.get(key)
        if outcome is None:
            assert isinstance(message, Refused)
            outcome = message.error
        elif key in seen and isinstance(outcome, int) and not isinstance(outcome, Resend):
            outcome = Resend(outcome)
        seen.add(key)
        result.append(outcome)
    return result


def _removers(state: BoardState, deletes: Iterable[str]) -> dict[str, str | None]:
    """Who removed each object removed (kept, so that its id stays claimed: `BoardState.gone`)."""
    return {oid: state.gone.get(oid) for oid in deletes if oid in state.gone}


def _stored_changes(
    state: BoardState, entries: list[Entry]
) -> tuple[dict[str, tuple[AnyObject, str | None]], set[str], dict[str, int]]:
    """The objects to write (as they are now) and to delete, for the entries just applied, and
    where each object they made was made (`rows.made_at`): the last op that made it, if one
    made it twice (put back after a delete)."""
    puts: dict[str, tuple[AnyObject, str | None]] = {}
    deletes: set[str] = set()
    made: dict[str, int] = {}
    for entry in entries:
        nth = 0
        for effect in entry.effects:
            if not isinstance(effect, Change):
                continue
            obj = state.objects.get(effect.id)
            if obj is None:
                deletes.add(effect.id)
                puts.pop(effect.id, None)
                made.pop(effect.id, None)
            else:
                puts[effect.id] = (obj, state.authors.get(effect.id))
                deletes.discard(effect.id)
                if effect.before is None:
                    made[effect.id] = made_at(entry.seq, nth)
                    nth += 1
    return puts, deletes, made
