"""The peers' load generator: N participants of one shared Yjs document, in worker processes.

The same job as bench/loadgen.py does against our server, spoken in the y-protocol
(bench/peers/ysync.py): every participant is one real websocket (bench/wsclient.py) to the
same room (the URL path), owns one entry of one `Y.Map` ("p<index>") and sets it once every
`1 / edit_hz` seconds, sends spread evenly over the period exactly as ours are; with
`cursor_hz` it also sends an awareness update (a cursor) that often. Each participant's edits
are real Yjs updates, made by pycrdt (the Yjs Rust port) from a `Doc` of its own and sent as
messageSync/update, as y-websocket's own provider sends them.

The edited string is `@bench:<send time ns>:<participant>@`; receivers find it by scanning the
update's bytes (a Yjs update keeps a string value as raw UTF-8), so nobody decodes updates,
and identical messages (the servers send one update message to everyone) are scanned once
per worker. Latency is arrival minus send time, `time.monotonic_ns()` on both ends, over every
(edit, receiver) pair that arrived.

Both servers send an update to every socket of the room, the sender's own included (read
y-websocket's `updateHandler` and pycrdt-websocket's `_broadcast_updates`), and the generator
checks rather than assumes it: *delivered* counts the other N - 1 participants only, and the
echo back to the sender is reported on its own ("echo"). The latency distribution holds every
pair that arrived, echoes included, as ours holds the sender's own delivery.

The drain after a phase waits until every open socket holds every edit the others sent in the
window (or `DRAIN_TIMEOUT`); a peer that falls over shows as delivered below 100 %, sockets
lagging or closed, and a p99 over what did arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import multiprocessing
import os
import random
import time
from array import array
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from bench.loadgen import Phase, percentile, run_fast
from bench.peers import ysync
from bench.wsclient import WsClient, open_ws

ROOM = "/workshop-board-bench"
CONNECT_CONCURRENCY = 50
CONNECT_TIMEOUT = 30.0
"""Seconds one socket may take to open, and then to get the server's syncStep1."""
CONNECT_BUDGET = 120.0
"""Seconds a worker spends connecting all its sockets: a peer that hangs on handshakes gets
measured with whoever got in, instead of holding the run for N × CONNECT_TIMEOUT."""
DRAIN_TIMEOUT = 15.0
PARSE_CACHE_LIMIT = 4096

Target = tuple[str, int]


@dataclass(slots=True)
class PeerStats:
    """What one worker saw in one phase (summed by the parent)."""

    receivers: int = 0
    sent: int = 0
    """Edits sent inside the measured window."""
    cursors_sent: int = 0
    delivered: int = 0
    """(edit, other participant) pairs that arrived, for edits sent inside the window."""
    echoed: int = 0
    """Of this worker's window edits, those the server sent back to their own sender."""
    latencies_us: bytes = b""
    deliveries_in_window: int = 0
    """Edits received by any socket while the window was open (throughput)."""
    update_frames_in_window: int = 0
    awareness_frames_in_window: int = 0
    other_frames_in_window: int = 0
    bytes_in_window: int = 0
    lagging: int = 0
    """Open sockets still missing some of the others' window edits when the drain ended."""
    closed: int = 0
    close_codes: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    cpu_seconds: float = 0.0


@dataclass(slots=True)
class _Participant:
    index: int
    ws: WsClient | None = None
    doc: Any = None
    entries: Any = None
    state: bytes = b""
    """The participant's own state vector after its last edit: the next update is the diff."""
    awareness_clock: int = 0
    sent: int = 0
    """Own edits sent inside the window."""
    got: int = 0
    """Others' window edits received."""
    ready: asyncio.Future[None] | None = None


class PeerWorker:
    """The participants of one process."""

    def __init__(self, target: Target, indexes: Sequence[int], total: int) -> None:
        from pycrdt import Doc, Map

        self.target = target
        self.total = total
        self.people: list[_Participant] = []
        for index in indexes:
            doc: Doc[Any] = Doc()
            person = _Participant(index, doc=doc, entries=doc.get("entries", type=Map))
            person.state = doc.get_state()
            self.people.append(person)
        self.cache: dict[bytes, tuple[tuple[int, int], ...]] = {}
        self.phase: Phase | None = None
        self.stats = PeerStats()
        self.latencies = array("q")
        self.in_window = False
        self.changed = asyncio.Event()

    # receiving

    def on_message(self, ws: WsClient, payload: bytes, now: int) -> None:
        person: _Participant = ws.tag  # type: ignore[assignment]
        stats = self.stats
        kind = payload[0] if payload else -1
        if kind == ysync.MESSAGE_SYNC and len(payload) > 1:
            sync = payload[1]
            if sync == ysync.SYNC_UPDATE or sync == ysync.SYNC_STEP2:
                found = self.cache.get(payload)
                if found is None:
                    if len(self.cache) >= PARSE_CACHE_LIMIT:
                        self.cache.clear()
                    found = self.cache[payload] = ysync.markers(payload)
                phase = self.phase
                if phase is not None:
                    low, high = phase.measure_ns, phase.end_ns
                    for sent, who in found:
                        if low <= sent < high:
                            self.latencies.append((now - sent) // 1000)
                            if who == person.index:
                                stats.echoed += 1
                            else:
                                person.got += 1
                    if self.in_window:
                        stats.deliveries_in_window += len(found)
                        stats.update_frames_in_window += 1
                        stats.bytes_in_window += len(payload)
                    self.changed.set()
            elif sync == ysync.SYNC_STEP1 and person.ready is not None and not person.ready.done():
                person.ready.set_result(None)  # the server's greeting: the socket is in the room
        elif kind == ysync.MESSAGE_AWARENESS:
            if self.in_window:
                stats.awareness_frames_in_window += 1
                stats.bytes_in_window += len(payload)
        elif self.in_window:
            stats.other_frames_in_window += 1

    # connecting

    async def connect_all(self) -> dict[str, Any]:
        started = time.monotonic()
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
        failures: list[str] = []
        host, port = self.target

        async def one(person: _Participant) -> None:
            async with gate:
                person.ready = asyncio.get_running_loop().create_future()
                try:
                    person.ws = await asyncio.wait_for(
                        open_ws(host, port, ROOM, self.on_message, tag=person), CONNECT_TIMEOUT
                    )
                    await asyncio.wait_for(asyncio.shield(person.ready), CONNECT_TIMEOUT)
                except Exception as problem:
                    failures.append(f"{type(problem).__name__}: {problem}")

        attempts = [asyncio.ensure_future(one(person)) for person in self.people]
        _, late = await asyncio.wait(attempts, timeout=CONNECT_BUDGET)
        for attempt in late:
            attempt.cancel()
        if late:
            failures.append(f"{len(late)} sockets not connected within {CONNECT_BUDGET:.0f} s")
            await asyncio.wait(late)
        return {
            "connected": sum(1 for p in self.people if p.ready is not None and p.ready.done()),
            "failures": failures[:10],
            "seconds": time.monotonic() - started,
        }

    async def close_all(self) -> None:
        for person in self.people:
            if person.ws is not None:
                person.ws.close()
        waits = [p.ws.closed for p in self.people if p.ws is not None]
        if waits:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*waits), 10)
        for person in self.people:
            if person.ws is not None and not person.ws.closed.done():
                person.ws.abort()

    # one phase

    def _edit(self, person: _Participant, sent: int) -> bytes:
        person.entries[f"p{person.index}"] = ysync.edit_text(sent, person.index)
        update: bytes = person.doc.get_update(person.state)
        person.state = person.doc.get_state()
        return ysync.sync_update(update)

    async def run_phase(self, phase: Phase) -> dict[str, Any]:
        """Send edits and cursors from phase.start_ns to phase.end_ns; returns the count of
        edits this worker sent inside the window."""
        self.phase = phase
        self.stats = PeerStats(receivers=len(self.people))
        self.latencies = array("q")
        for person in self.people:
            person.sent = person.got = 0
        stats = self.stats
        schedule: list[tuple[int, int, int]] = []
        edit_period = int(1e9 / phase.edit_hz) if phase.edit_hz > 0 else 0
        cursor_period = int(1e9 / phase.cursor_hz) if phase.cursor_hz > 0 else 0
        for slot, person in enumerate(self.people):
            share = person.index / self.total
            if edit_period:
                schedule.append((phase.start_ns + int(share * edit_period), 0, slot))
            if cursor_period:
                schedule.append((phase.start_ns + int(((share + 0.37) % 1.0) * cursor_period), 1, slot))
        heapq.heapify(schedule)
        rng = random.Random(os.getpid())
        cpu_start = 0.0
        window_open = False
        while schedule:
            now = time.monotonic_ns()
            if not window_open and now >= phase.measure_ns:
                window_open = self.in_window = True
                cpu_start = _cpu_seconds()
            due, kind, slot = schedule[0]
            if due >= phase.end_ns:
                break
            if due > now:
                wake = min(due, phase.measure_ns) if not window_open else due
                await asyncio.sleep(max(0.0, (wake - now) / 1e9))
                continue
            heapq.heapreplace(schedule, (due + (edit_period if kind == 0 else cursor_period), kind, slot))
            person = self.people[slot]
            ws = person.ws
            if ws is None or ws.closed.done() or not _joined(person):
                continue
            if kind == 0:
                sent = time.monotonic_ns()
                ws.send_binary(self._edit(person, sent))
                if sent >= phase.measure_ns:
                    stats.sent += 1
                    person.sent += 1
            else:
                person.awareness_clock += 1
                x, y = rng.uniform(-2000, 2000), rng.uniform(-2000, 2000)
                state = f'{{"cursor":{{"x":{x:.1f},"y":{y:.1f}}},"name":"p{person.index}"}}'
                ws.send_binary(ysync.awareness(person.doc.client_id, person.awareness_clock, state))
                if window_open:
                    stats.cursors_sent += 1
        now = time.monotonic_ns()
        if now < phase.end_ns:
            await asyncio.sleep((phase.end_ns - now) / 1e9)
        if not window_open:
            cpu_start = _cpu_seconds()
        stats.cpu_seconds = _cpu_seconds() - cpu_start
        self.in_window = False
        return {"sent": stats.sent}

    async def drain(self, total_sent: int) -> PeerStats:
        """Wait until every open socket holds every window edit the others sent."""

        def complete() -> bool:
            return all(p.got >= total_sent - p.sent for p in self._open())

        deadline = time.monotonic() + DRAIN_TIMEOUT
        while not complete() and time.monotonic() < deadline:
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), 0.1)
        stats = self.stats
        stats.delivered = sum(p.got for p in self.people)
        stats.latencies_us = self.latencies.tobytes()
        stats.lagging = sum(1 for p in self._open() if p.got < total_sent - p.sent)
        for person in self.people:
            if person.ws is None or person.ws.closed.done():
                stats.closed += 1
                code = (person.ws.close_code if person.ws is not None else None) or 1006
                stats.close_codes[code] = stats.close_codes.get(code, 0) + 1
        self.phase = None
        return stats

    def _open(self) -> list[_Participant]:
        return [p for p in self.people if p.ws is not None and not p.ws.closed.done() and _joined(p)]


def _joined(person: _Participant) -> bool:
    """Greeted by the server (syncStep1): a socket that never was takes no part, and the edits
    it should have received count as not delivered."""
    return person.ready is not None and person.ready.done() and not person.ready.cancelled()


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def _worker_main(conn: Connection, target: Target, indexes: list[int], total: int) -> None:
    run_fast(_worker_loop(conn, target, indexes, total))


async def _worker_loop(conn: Connection, target: Target, indexes: list[int], total: int) -> None:
    loop = asyncio.get_running_loop()
    worker = PeerWorker(target, indexes, total)
    try:
        while True:
            command, argument = await loop.run_in_executor(None, conn.recv)
            if command == "connect":
                conn.send(await worker.connect_all())
            elif command == "phase":
                conn.send(await worker.run_phase(argument))
            elif command == "drain":
                conn.send(await worker.drain(argument))
            elif command == "close":
                await worker.close_all()
                conn.send(None)
                return
    except (EOFError, KeyboardInterrupt):
        await worker.close_all()


# -- the parent side ------------------------------------------------------------------------------


@dataclass(slots=True)
class PeerPhaseResult:
    participants: int
    edit_hz: float
    cursor_hz: float
    window_s: float
    edits_per_s: float
    sent: int
    expected: int
    """Window edits × (N - 1): each edit should reach every other participant."""
    delivered: int
    delivered_pct: float
    echoed_pct: float
    """Window edits the server sent back to their own sender, in % of those sent."""
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    deliveries_per_s: float
    update_frames_per_s: float
    awareness_frames_per_s: float
    mbytes_per_s: float
    cursors_per_s: float
    lagging: int
    closed: int
    close_codes: dict[int, int]
    errors: list[str]
    generator_cpu_pct: float
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class PeerLoadGenerator:
    """Worker processes of participants on one peer server: connect, phases, stop."""

    def __init__(self, target: Target, participants: int, workers: int = 2) -> None:
        self.target = target
        self.participants = participants
        self.workers = max(1, min(workers, participants))
        self._processes: list[multiprocessing.process.BaseProcess] = []
        self._conns: list[Connection] = []

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self._processes if p.pid is not None]

    async def start(self) -> dict[str, Any]:
        context = multiprocessing.get_context("spawn")
        indexes = list(range(self.participants))
        for w in range(self.workers):
            parent, child = context.Pipe()
            process = context.Process(
                target=_worker_main,
                args=(child, self.target, indexes[w :: self.workers], self.participants),
                name=f"bench-peers-loadgen-{w}",
                daemon=True,
            )
            process.start()
            child.close()
            self._processes.append(process)
            self._conns.append(parent)
        started = time.monotonic()
        replies = await self._all("connect", None)
        return {
            "connected": sum(r["connected"] for r in replies),
            "failures": [f for r in replies for f in r["failures"]][:10],
            "seconds": time.monotonic() - started,
        }

    async def run_phase(
        self,
        *,
        edit_hz: float,
        cursor_hz: float,
        warmup: float,
        duration: float,
        at_window_start: Callable[[], Any] | None = None,
        at_window_end: Callable[[], Any] | None = None,
        during_window: Callable[[float], Awaitable[Any]] | None = None,
    ) -> PeerPhaseResult:
        now = time.monotonic_ns()
        start = now + 300_000_000
        measure = start + int(warmup * 1e9)
        end = measure + int(duration * 1e9)
        phase = Phase(edit_hz, cursor_hz, start, measure, end)
        for conn in self._conns:
            conn.send(("phase", phase))
        loop = asyncio.get_running_loop()
        replies_task = asyncio.gather(*(loop.run_in_executor(None, c.recv) for c in self._conns))
        await _sleep_until(measure)
        if at_window_start is not None:
            at_window_start()
        side = asyncio.ensure_future(during_window(duration)) if during_window is not None else None
        await _sleep_until(end)
        if at_window_end is not None:
            at_window_end()
        replies = await replies_task
        total_sent = sum(r["sent"] for r in replies)
        parts: list[PeerStats] = await self._all("drain", total_sent)
        if side is not None:
            side.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await side
        return _summarise(parts, self.participants, phase)

    async def stop(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._all("close", None), 30)
        for process in self._processes:
            process.join(5)
            if process.is_alive():
                process.terminate()
                process.join(5)
            if process.is_alive():
                process.kill()
                process.join()
        for conn in self._conns:
            conn.close()
        self._processes.clear()
        self._conns.clear()

    async def _all(self, command: str, argument: Any) -> list[Any]:
        for conn in self._conns:
            conn.send((command, argument))
        loop = asyncio.get_running_loop()
        return list(await asyncio.gather(*(loop.run_in_executor(None, c.recv) for c in self._conns)))


async def _sleep_until(deadline_ns: int) -> None:
    delay = (deadline_ns - time.monotonic_ns()) / 1e9
    if delay > 0:
        await asyncio.sleep(delay)


def _summarise(parts: Sequence[PeerStats], participants: int, phase: Phase) -> PeerPhaseResult:
    window = (phase.end_ns - phase.measure_ns) / 1e9
    latencies: list[int] = []
    close_codes: dict[int, int] = {}
    for part in parts:
        latencies.extend(array("q", part.latencies_us))
        for code, count in part.close_codes.items():
            close_codes[code] = close_codes.get(code, 0) + count
    latencies.sort()
    sent = sum(p.sent for p in parts)
    expected = sent * (participants - 1)
    delivered = sum(p.delivered for p in parts)
    return PeerPhaseResult(
        participants=participants,
        edit_hz=phase.edit_hz,
        cursor_hz=phase.cursor_hz,
        window_s=window,
        edits_per_s=sent / window,
        sent=sent,
        expected=expected,
        delivered=delivered,
        delivered_pct=100.0 * delivered / expected if expected else 0.0,
        echoed_pct=100.0 * sum(p.echoed for p in parts) / sent if sent else 0.0,
        p50_ms=percentile(latencies, 0.50) / 1000,
        p95_ms=percentile(latencies, 0.95) / 1000,
        p99_ms=percentile(latencies, 0.99) / 1000,
        max_ms=(latencies[-1] / 1000) if latencies else 0.0,
        deliveries_per_s=sum(p.deliveries_in_window for p in parts) / window,
        update_frames_per_s=sum(p.update_frames_in_window for p in parts) / window,
        awareness_frames_per_s=sum(p.awareness_frames_in_window for p in parts) / window,
        mbytes_per_s=sum(p.bytes_in_window for p in parts) / window / 1e6,
        cursors_per_s=sum(p.cursors_sent for p in parts) / window,
        lagging=sum(p.lagging for p in parts),
        closed=sum(p.closed for p in parts),
        close_codes=close_codes,
        errors=[e for p in parts for e in p.errors][:10],
        generator_cpu_pct=100.0 * sum(p.cpu_seconds for p in parts) / window,
    )
