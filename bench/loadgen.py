"""The load generator: N real websocket participants in worker processes, for any server.

One generator drives our server and the public peers alike; what differs between them (the
path, the greeting, how an edit and a cursor are sent, what an incoming message is) is an
adapter's (bench/adapters.py). Each participant is one socket (`wsclient.py`) and edits its
own entry (our server: its note; the peers: its key of a shared `Y.Map`) every `1 / edit_hz`
seconds, the edit carrying its send time (`time.monotonic_ns()`, one clock for every process
on Linux) and its sender. Receivers compute, for each edit, arrival time minus send time: the
edit→delivery latency. Participants may also move their cursor `cursor_hz` times a second.

By default (`--arrivals poisson`) each participant edits at random moments, a Poisson process at
edit_hz, as people do: a steady rate on average, but two edits often land close together. With
`--arrivals even` sends are spread evenly instead: participant g of N edits at t0 + (g / N) /
edit_hz, then every 1 / edit_hz, which never shows that. Cursors are always spread evenly.

Per phase, for the edits sent inside the measured window (after a warm-up), it reports:

- latency p50/p95/p99/max over every (edit, receiver) pair that arrived, the sender's own
  copy included;
- delivered: pairs seen / (edits confirmed × receivers), after a drain that waits until every
  open socket holds every confirmed edit (or a timeout). Confirmed is acked for a server that
  acks (ours; refused edits are counted apart) and sent for one that does not (the peers).
  Receivers are all N where the sender's copy is part of the protocol (ours) and the N − 1
  others where it is not (the peers: their copy back to the sender is the *echo*, measured);
- order (ours): every `ops` frame must start at the socket's last seq + 1 and list
  consecutive seqs (all ops here are public, so no seq is legitimately absent);
- deliveries and frames received a second, inside the window;
- ack latency (send → `ack`, ours), the server's commit latency plus queueing;
- the CPU the workers themselves used in the window, so the numbers stay honest about what
  the generator took from the two cores it shares with the server.

Parsing: identical frames reach many sockets of one worker (the servers send one encoded frame
to many sockets), so a worker parses each distinct edits payload once and reuses the result
for its other sockets; the per-socket checks (order, latency, counting) are done for every
socket.

`python -m bench.loadgen --url http://HOST:PORT -n 500` runs one load against our server
already running (one or several: repeat --url, participants are spread round-robin);
`bench/run.py` drives the suites and starts the servers itself.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import heapq
import json
import math
import multiprocessing
import os
import random
import sys
import time
from array import array
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from typing import Any, TypeVar
from urllib.parse import urlsplit

from bench.adapters import Adapter, BoardAdapter, Kind, Parsed, Participant, Seat, create_workshop, join_many
from bench.wsclient import WsClient, open_ws

CONNECT_CONCURRENCY = 50
"""Handshakes in flight per worker while connecting."""
CONNECT_TIMEOUT = 60.0
"""Seconds one socket may take to open, and then to be let in (snapshot, greeting)."""
CONNECT_BUDGET = 120.0
"""Seconds a worker spends connecting all its sockets: a server that hangs on handshakes gets
measured with whoever got in, instead of holding the run for N × CONNECT_TIMEOUT."""
ACK_TIMEOUT = 15.0
"""Seconds to wait, after the last edit, for the acks of every edit."""
DRAIN_TIMEOUT = 15.0
"""Seconds to wait for every socket to hold every confirmed edit."""
PARSE_CACHE_LIMIT = 4096

Target = tuple[str, int]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Phase:
    edit_hz: float
    """Edits a second per participant (0.2 = one every 5 s)."""
    cursor_hz: float
    """Cursor moves a second per participant (0 = none)."""
    start_ns: int
    """When the first edits go out (monotonic ns)."""
    measure_ns: int
    """Start of the measured window: edits sent before it are warm-up."""
    end_ns: int
    """End of the window: no edit is sent after it."""
    poisson: bool = False
    """Edits at random moments (each participant's a Poisson process at `edit_hz`), as people
    make them, instead of spread evenly; cursors stay evenly spread."""


@dataclass(slots=True)
class WorkerStats:
    """What one worker saw in one phase (summed over workers by the parent)."""

    sent: int = 0
    """Edits sent inside the measured window."""
    acked: int = 0
    """Of those, confirmed: acked by a server that acks, else sent."""
    refused: int = 0
    cursors_sent: int = 0
    delivered: int = 0
    """(edit, receiver) pairs seen for edits confirmed inside the window."""
    echoed: int = 0
    """Window edits the server sent back to their own sender."""
    latencies_us: bytes = b""
    """array('q') of edit→delivery latencies in µs, one per pair."""
    ack_latencies_us: bytes = b""
    deliveries_in_window: int = 0
    """Deliveries received by any socket while the window was open (throughput)."""
    edit_frames_in_window: int = 0
    cursor_frames_in_window: int = 0
    other_frames_in_window: int = 0
    bytes_in_window: int = 0
    order_violations: int = 0
    lagging: int = 0
    """Open sockets still missing confirmed edits when the drain ended."""
    closed: int = 0
    close_codes: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    cpu_seconds: float = 0.0
    """User + system CPU of this worker process inside the window."""


# -- the worker process -------------------------------------------------------------------------


class Worker:
    """The participants of one process, and what they measure."""

    def __init__(
        self, adapter: Adapter, targets: Sequence[Target], seats: Sequence[Seat], total: int
    ) -> None:
        self.adapter = adapter
        self.targets = list(targets)
        self.people = [Participant(seat) for seat in seats]
        for person in self.people:
            adapter.setup(person)
        self.total = total
        self.cache: dict[bytes, Parsed] = {}
        self.phase: Phase | None = None
        self.stats = WorkerStats()
        self.latencies = array("q")
        self.ack_latencies = array("q")
        self.in_window = False
        self.changed = asyncio.Event()
        self.run_id = f"{random.getrandbits(40):010x}"
        """Prefix of this worker's op ids. Our server deduplicates by (participant, op id) for
        good, so a participant seated again in a later scenario must not reuse an id."""

    # receiving

    def on_message(self, ws: WsClient, payload: bytes, now: int) -> None:
        person: Participant = ws.tag  # type: ignore[assignment]
        parsed = self.cache.get(payload)
        if parsed is None:
            parsed = self.adapter.parse(payload)
            if parsed.kind is Kind.EDITS:
                if len(self.cache) >= PARSE_CACHE_LIMIT:
                    self.cache.clear()
                self.cache[payload] = parsed
        stats = self.stats
        kind = parsed.kind
        if kind is Kind.EDITS:
            self._edits(person, parsed, now)
        elif kind is Kind.ACK:
            self._acks(person, parsed.acks, now)
        elif kind is Kind.WELCOME:
            person.welcome_seq = parsed.seq
            self._check_ready(person)
        elif kind is Kind.SNAPSHOT:
            person.seq = parsed.seq
            self._check_ready(person)
        elif kind is Kind.READY:
            if person.ready is not None and not person.ready.done():
                person.ready.set_result(None)
        elif kind is Kind.ERROR:
            if parsed.op_id is not None and person.pending.pop(parsed.op_id, None) is not None:
                stats.refused += 1
            if len(stats.errors) < 20:
                stats.errors.append(parsed.text)
            self.changed.set()
        if self.in_window:
            stats.bytes_in_window += len(payload)
            if kind is Kind.EDITS:
                stats.edit_frames_in_window += 1
                stats.deliveries_in_window += parsed.count
            elif kind is Kind.CURSORS:
                stats.cursor_frames_in_window += 1
            elif kind is Kind.OTHER:
                stats.other_frames_in_window += 1

    def _edits(self, person: Participant, parsed: Parsed, now: int) -> None:
        if parsed.first >= 0:
            if parsed.first != person.seq + 1 or not parsed.contiguous:
                self.stats.order_violations += 1
            person.seq = parsed.last
        phase = self.phase
        if phase is None:
            return
        low, high = phase.measure_ns, phase.end_ns
        me = person.seat.index
        for sent, who in parsed.edits:
            if low <= sent < high:
                self.latencies.append((now - sent) // 1000)
                if who == me:
                    person.echoes += 1
                else:
                    person.got += 1
        self.changed.set()

    def _acks(self, person: Participant, acks: dict[str, int], now: int) -> None:
        phase = self.phase
        for op_id in acks:
            sent_at = person.pending.pop(op_id, None)
            if sent_at is not None and phase is not None and phase.measure_ns <= sent_at < phase.end_ns:
                self.stats.acked += 1
                person.confirmed += 1
                self.ack_latencies.append((now - sent_at) // 1000)
        self.changed.set()

    def _check_ready(self, person: Participant) -> None:
        if (
            person.ready is not None
            and not person.ready.done()
            and person.welcome_seq is not None
            and person.seq >= person.welcome_seq
        ):
            person.ready.set_result(None)

    # connecting

    async def connect_all(self) -> dict[str, Any]:
        started = time.monotonic()
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
        failures: list[str] = []

        async def one(person: Participant) -> None:
            host, port = self.targets[person.seat.index % len(self.targets)]
            async with gate:
                person.ready = asyncio.get_running_loop().create_future()
                try:
                    person.ws = await asyncio.wait_for(
                        open_ws(host, port, self.adapter.path, self.on_message, tag=person), CONNECT_TIMEOUT
                    )
                    self.adapter.greet(person)
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
            "connected": sum(1 for p in self.people if p.joined),
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

    async def run_phase(self, phase: Phase) -> dict[str, Any]:
        """Send edits and cursor moves from phase.start_ns to phase.end_ns; then wait for the
        acks of this worker's edits. Returns how many window edits this worker had confirmed."""
        self.phase = phase
        self.stats = WorkerStats()
        self.latencies = array("q")
        self.ack_latencies = array("q")
        for person in self.people:
            person.pending.clear()
            person.confirmed = person.got = person.echoes = 0
        rng = random.Random(os.getpid())
        schedule, gap = self._plan(phase, rng)
        cpu_start = await self._send_scheduled(phase, schedule, gap, rng)
        now = time.monotonic_ns()
        if now < phase.end_ns:
            await asyncio.sleep((phase.end_ns - now) / 1e9)
        if cpu_start is None:
            cpu_start = _cpu_seconds()
        self.stats.cpu_seconds = _cpu_seconds() - cpu_start
        self.in_window = False
        if self.adapter.acknowledged:
            await self._wait(lambda: all(not p.pending for p in self._open()), ACK_TIMEOUT)
        return {"confirmed": self.stats.acked}

    def _plan(
        self, phase: Phase, rng: random.Random
    ) -> tuple[list[tuple[int, int, int]], Callable[[int], int]]:
        """Each participant's first send of each kind (0 an edit, 1 a cursor move) as a heap of
        (when, kind, slot), and the gap from one send of a kind to the participant's next."""
        edit_period = int(1e9 / phase.edit_hz) if phase.edit_hz > 0 else 0
        cursor_period = int(1e9 / phase.cursor_hz) if phase.cursor_hz > 0 else 0

        def gap(kind: int) -> int:
            """Nanoseconds from one send of a participant to its next of the same kind."""
            if kind == 1:
                return cursor_period
            return int(rng.expovariate(phase.edit_hz) * 1e9) if phase.poisson else edit_period

        schedule: list[tuple[int, int, int]] = []
        for slot, person in enumerate(self.people):
            share = person.seat.index / self.total
            if edit_period:
                first = gap(0) if phase.poisson else int(share * edit_period)
                schedule.append((phase.start_ns + first, 0, slot))
            if cursor_period:
                schedule.append((phase.start_ns + int(((share + 0.37) % 1.0) * cursor_period), 1, slot))
        heapq.heapify(schedule)
        return schedule, gap

    async def _send_scheduled(
        self,
        phase: Phase,
        schedule: list[tuple[int, int, int]],
        gap: Callable[[int], int],
        rng: random.Random,
    ) -> float | None:
        """Send each due edit or cursor move until the phase ends, opening the measured window
        on time. Returns this process's CPU seconds when the window opened, None if it never did."""
        cpu_start: float | None = None
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
            heapq.heapreplace(schedule, (due + gap(kind), kind, slot))
            person = self.people[slot]
            if person.ws is None or person.ws.closed.done() or not person.joined:
                continue
            if kind == 0:
                self._send_edit(person, phase)
            else:
                self.adapter.cursor(person, rng.uniform(-2000, 2000), rng.uniform(-2000, 2000))
                if window_open:
                    self.stats.cursors_sent += 1
        return cpu_start

    def _send_edit(self, person: Participant, phase: Phase) -> None:
        person.ops_sent += 1
        op_id = f"{self.run_id}-{person.ops_sent}"
        sent = time.monotonic_ns()
        self.adapter.edit(person, sent, op_id)
        # A send the loop made late, past the window, is not a window edit: receivers skip it too.
        in_window = phase.measure_ns <= sent < phase.end_ns
        if self.adapter.acknowledged:
            person.pending[op_id] = sent
        elif in_window:
            self.stats.acked += 1
            person.confirmed += 1
        if in_window:
            self.stats.sent += 1

    def _holds_all(self, person: Participant, confirmed: int) -> bool:
        """Whether `person` holds every confirmed window edit it should receive."""
        if person.got < confirmed - person.confirmed:
            return False
        return not self.adapter.sender_receives or person.echoes >= person.confirmed

    async def drain(self, confirmed: int) -> WorkerStats:
        """Wait until every open socket holds every window edit confirmed by all workers
        (`confirmed` of them), then hand over the stats."""
        await self._wait(lambda: all(self._holds_all(p, confirmed) for p in self._open()), DRAIN_TIMEOUT)
        stats = self.stats
        stats.delivered = sum(p.got for p in self.people)
        stats.echoed = sum(p.echoes for p in self.people)
        if self.adapter.sender_receives:
            stats.delivered += stats.echoed
        stats.latencies_us = self.latencies.tobytes()
        stats.ack_latencies_us = self.ack_latencies.tobytes()
        stats.lagging = sum(1 for p in self._open() if not self._holds_all(p, confirmed))
        stats.closed = 0
        for person in self.people:
            if person.ws is None or person.ws.closed.done():
                stats.closed += 1
                code = (person.ws.close_code if person.ws is not None else None) or 1006
                stats.close_codes[code] = stats.close_codes.get(code, 0) + 1
        self.phase = None
        return stats

    def _open(self) -> list[Participant]:
        return [p for p in self.people if p.ws is not None and not p.ws.closed.done() and p.joined]

    async def _wait(self, condition: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not condition() and time.monotonic() < deadline:
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), 0.1)


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def _worker_main(
    conn: Connection, adapter: Adapter, targets: list[Target], seats: list[Seat], total: int
) -> None:
    """Entry point of a worker process: obeys commands from the parent over `conn`."""
    run_fast(_worker_loop(conn, adapter, targets, seats, total))


def run_fast(main: Coroutine[Any, Any, T]) -> T:
    """Run `main` on uvloop when it is installed (it is, with uvicorn[standard])."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        return asyncio.run(main)
    return uvloop.run(main)


async def _worker_loop(
    conn: Connection, adapter: Adapter, targets: list[Target], seats: list[Seat], total: int
) -> None:
    loop = asyncio.get_running_loop()
    worker = Worker(adapter, targets, seats, total)
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
class PhaseResult:
    participants: int
    edit_hz: float
    cursor_hz: float
    window_s: float
    edits_per_s: float
    sent: int
    acked: int
    """Window edits confirmed: acked by a server that acks, else sent."""
    refused: int
    expected: int
    """Confirmed window edits × receivers (N, or N − 1 where the sender's copy is an echo)."""
    delivered: int
    delivered_pct: float
    echoed_pct: float
    """Window edits the server sent back to their own sender, in % of those confirmed."""
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    ack_p50_ms: float
    ack_p99_ms: float
    deliveries_per_s: float
    ops_frames_per_s: float
    """Frames carrying edits (ours: `ops`; the peers: sync updates) received a second."""
    cursor_frames_per_s: float
    """Ours: `cursors` frames; the peers: awareness messages."""
    mbytes_per_s: float
    cursors_per_s: float
    order_violations: int
    lagging: int
    closed: int
    close_codes: dict[int, int]
    errors: list[str]
    generator_cpu_pct: float
    """CPU of all workers together in the window, in % of one core."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Filled in by whoever runs the phase: server CPU and RSS, machine load, ..."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile(values: Sequence[int] | Sequence[float], q: float) -> float:
    """Nearest-rank percentile of sorted values (0 when there are none)."""
    if not values:
        return 0.0
    rank = max(0, min(len(values) - 1, math.ceil(q * len(values)) - 1))
    return float(values[rank])


class LoadGenerator:
    """Starts worker processes, connects the participants, runs phases and sums up."""

    def __init__(
        self, adapter: Adapter, targets: Sequence[Target], seats: Sequence[Seat], workers: int = 2
    ) -> None:
        self.adapter = adapter
        self.targets = list(targets)
        self.seats = list(seats)
        self.workers = max(1, min(workers, len(self.seats)))
        self._processes: list[multiprocessing.process.BaseProcess] = []
        self._conns: list[Connection] = []

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self._processes if p.pid is not None]

    async def start(self) -> dict[str, Any]:
        """Spawn the workers and connect every participant; returns how it went."""
        context = multiprocessing.get_context("spawn")
        for w in range(self.workers):
            parent, child = context.Pipe()
            share = self.seats[w :: self.workers]
            process = context.Process(
                target=_worker_main,
                args=(child, self.adapter, self.targets, share, len(self.seats)),
                name=f"bench-loadgen-{w}",
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
        poisson: bool = False,
        at_window_start: Callable[[], Any] | None = None,
        at_window_end: Callable[[], Any] | None = None,
        during_window: Callable[[float], Awaitable[Any]] | None = None,
    ) -> PhaseResult:
        """One load phase. `at_window_start`/`at_window_end` run in this process when the
        measured window opens and closes (to sample server CPU, say); `during_window(seconds)`
        runs alongside the window (probes, a profiler)."""
        now = time.monotonic_ns()
        start = now + 300_000_000
        measure = start + int(warmup * 1e9)
        end = measure + int(duration * 1e9)
        phase = Phase(edit_hz, cursor_hz, start, measure, end, poisson)
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
        if side is not None:
            await side
        replies = await replies_task
        confirmed = sum(r["confirmed"] for r in replies)
        parts: list[WorkerStats] = await self._all("drain", confirmed)
        return _summarise(parts, len(self.seats), phase, self.adapter.sender_receives)

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


def _summarise(
    parts: Sequence[WorkerStats], participants: int, phase: Phase, sender_receives: bool
) -> PhaseResult:
    window = (phase.end_ns - phase.measure_ns) / 1e9
    latencies: list[int] = []
    acks: list[int] = []
    close_codes: dict[int, int] = {}
    for part in parts:
        latencies.extend(array("q", part.latencies_us))
        acks.extend(array("q", part.ack_latencies_us))
        for code, count in part.close_codes.items():
            close_codes[code] = close_codes.get(code, 0) + count
    latencies.sort()
    acks.sort()
    acked = sum(p.acked for p in parts)
    expected = acked * (participants if sender_receives else participants - 1)
    delivered = sum(p.delivered for p in parts)
    return PhaseResult(
        participants=participants,
        edit_hz=phase.edit_hz,
        cursor_hz=phase.cursor_hz,
        window_s=window,
        edits_per_s=sum(p.sent for p in parts) / window,
        sent=sum(p.sent for p in parts),
        acked=acked,
        refused=sum(p.refused for p in parts),
        expected=expected,
        delivered=delivered,
        delivered_pct=100.0 * delivered / expected if expected else 0.0,
        echoed_pct=100.0 * sum(p.echoed for p in parts) / acked if acked else 0.0,
        p50_ms=percentile(latencies, 0.50) / 1000,
        p95_ms=percentile(latencies, 0.95) / 1000,
        p99_ms=percentile(latencies, 0.99) / 1000,
        max_ms=(latencies[-1] / 1000) if latencies else 0.0,
        ack_p50_ms=percentile(acks, 0.50) / 1000,
        ack_p99_ms=percentile(acks, 0.99) / 1000,
        deliveries_per_s=sum(p.deliveries_in_window for p in parts) / window,
        ops_frames_per_s=sum(p.edit_frames_in_window for p in parts) / window,
        cursor_frames_per_s=sum(p.cursor_frames_in_window for p in parts) / window,
        mbytes_per_s=sum(p.bytes_in_window for p in parts) / window / 1e6,
        cursors_per_s=sum(p.cursors_sent for p in parts) / window,
        order_violations=sum(p.order_violations for p in parts),
        lagging=sum(p.lagging for p in parts),
        closed=sum(p.closed for p in parts),
        close_codes=close_codes,
        errors=[e for p in parts for e in p.errors][:10],
        generator_cpu_pct=100.0 * sum(p.cpu_seconds for p in parts) / window,
    )


def target_of(url: str) -> Target:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80


# -- command line ------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.loadgen",
        description="Put N websocket participants on one board of a running server and measure.",
    )
    parser.add_argument("--url", action="append", required=True, help="server base URL (repeatable)")
    parser.add_argument("-n", "--participants", type=int, default=500)
    parser.add_argument("--edit-hz", type=float, default=0.2, help="edits a second per participant")
    parser.add_argument("--cursor-hz", type=float, default=1.0, help="cursor moves a second per participant")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--arrivals", choices=("even", "poisson"), default="poisson", help="edit timing")
    args = parser.parse_args(argv)
    result = run_fast(_standalone(args))
    json.dump(result.as_dict(), sys.stdout, indent=2)
    print()
    return 0


async def _standalone(args: argparse.Namespace) -> PhaseResult:
    from bench.probes import Observer

    base = args.url[0].rstrip("/")
    created = await create_workshop(base, "Load test")
    board = created["boards"][0]["id"]
    tokens = await join_many(base, created["join_code"], args.participants)
    seats = [Seat(i, token, f"n{i}") for i, token in enumerate(tokens)]
    host, port = target_of(base)
    facilitator = await Observer.open(host, port, board, created["token"])
    await facilitator.create_notes([seat.note for seat in seats])
    generator = LoadGenerator(BoardAdapter(board), [target_of(u) for u in args.url], seats, args.workers)
    try:
        connected = await generator.start()
        print(f"connected {connected['connected']} in {connected['seconds']:.1f} s", file=sys.stderr)
        return await generator.run_phase(
            edit_hz=args.edit_hz,
            cursor_hz=args.cursor_hz,
            warmup=args.warmup,
            duration=args.duration,
            poisson=args.arrivals == "poisson",
        )
    finally:
        await generator.stop()
        await facilitator.close()


if __name__ == "__main__":
    raise SystemExit(main())
