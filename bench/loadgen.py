"""The load generator: N real websocket participants on one board, in worker processes.

Each participant is one socket (`wsclient.py`) that joined with its own token and edits its
own note: an `update` of the note's text every `1 / edit_hz` seconds, the text carrying the
send time (`time.monotonic_ns()`, one clock for every process on Linux). Every participant,
the sender included, receives every committed op in `ops` frames and computes, for each op,
arrival time minus send time: the edit→delivery latency. Participants may also move their
cursor `cursor_hz` times a second.

Sends are spread evenly: participant g of N edits at t0 + (g / N) / edit_hz, then every
1 / edit_hz, so the aggregate is a steady N * edit_hz edits a second.

Per phase, for the ops sent inside the measured window (after a warm-up), it reports:

- latency p50/p95/p99/max over every (op, receiver) pair;
- delivered: pairs seen / (ops acked × receivers), after a drain that waits until every
  socket reached the last acked seq (or a timeout);
- order: every `ops` frame must start at the socket's last seq + 1 and list consecutive
  seqs (all ops here are public, so no seq is legitimately absent);
- op deliveries and frames received a second, inside the window;
- ack latency (send → `ack`), which is the server's commit latency plus queueing;
- the CPU the workers themselves used in the window, so the numbers stay honest about what
  the generator took from the two cores it shares with the server.

Parsing: identical frames reach many sockets of one worker (the server sends one encoded
frame per viewer class), so a worker decodes each distinct `ops` payload once and reuses the
result for its other sockets; the per-socket checks (seq continuity, latency) are done for
every socket. Cursor and presence frames are recognised by their first bytes and counted,
not decoded.

`python -m bench.loadgen --url http://HOST:PORT -n 500` runs one load against a server that
is already running (one or several: repeat --url, participants are spread round-robin);
`bench/run.py` drives the whole suite and starts the server itself.
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

import msgspec

from bench.wsclient import WsClient, open_ws

PROTOCOL_VERSION = 1
CONNECT_CONCURRENCY = 50
"""Handshakes in flight per worker while connecting."""
CONNECT_TIMEOUT = 120.0
ACK_TIMEOUT = 15.0
"""Seconds to wait, after the last edit, for the acks of every edit."""
DRAIN_TIMEOUT = 15.0
"""Seconds to wait for every socket to reach the last acked seq."""
PARSE_CACHE_LIMIT = 4096

Target = tuple[str, int]
T = TypeVar("T")


# -- messages ---------------------------------------------------------------------------------


class _Change(msgspec.Struct):
    op: str
    props: dict[str, Any] | None = None


class _Entry(msgspec.Struct):
    seq: int
    changes: list[_Change]


class _OpsFrame(msgspec.Struct):
    first: int = msgspec.field(name="from")
    to: int
    ops: list[_Entry]


class _Snapshot(msgspec.Struct):
    seq: int


class _Welcome(msgspec.Struct):
    seq: int


class _Ack(msgspec.Struct):
    ops: dict[str, int]


_ops_decoder = msgspec.json.Decoder(_OpsFrame)
_snapshot_decoder = msgspec.json.Decoder(_Snapshot)
_welcome_decoder = msgspec.json.Decoder(_Welcome)
_ack_decoder = msgspec.json.Decoder(_Ack)

OPS = b'{"type":"ops"'
CURSORS = b'{"type":"cursors"'
PRESENCE = b'{"type":"presence"'
ACK = b'{"type":"ack"'
WELCOME = b'{"type":"welcome"'
SNAPSHOT = b'{"type":"snapshot"'
ERROR = b'{"type":"error"'


def hello(board: str, token: str, since: int | None = None) -> str:
    message: dict[str, Any] = {"type": "hello", "v": PROTOCOL_VERSION, "board": board, "token": token}
    if since is not None:
        message["since"] = since
    return json.dumps(message)


def edit_message(op_id: str, note: str, sent_ns: int, who: int) -> str:
    """An update of one note's text; the text is "<send time ns> <participant>"."""
    return (
        f'{{"type":"op","id":"{op_id}","op":{{"kind":"update","id":"{note}",'
        f'"props":{{"text":"{sent_ns} {who}"}}}}}}'
    )


def sent_time(change: _Change) -> int | None:
    text = change.props.get("text") if change.props else None
    if not isinstance(text, str):
        return None
    head = text.split(" ", 1)[0]
    return int(head) if head.isdigit() else None


# -- configuration and results ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Seat:
    """One participant: its global index, token and the note it edits."""

    index: int
    token: str
    note: str


@dataclass(frozen=True, slots=True)
class Phase:
    edit_hz: float
    """Edits a second per participant (0.2 = one every 5 s)."""
    cursor_hz: float
    """Cursor moves a second per participant (0 = none)."""
    start_ns: int
    """When the first edits go out (monotonic ns)."""
    measure_ns: int
    """Start of the measured window: ops sent before it are warm-up."""
    end_ns: int
    """End of the window: no edit is sent after it."""


@dataclass(slots=True)
class WorkerStats:
    """What one worker saw in one phase (summed over workers by the parent)."""

    receivers: int = 0
    sent: int = 0
    """Edits sent inside the measured window."""
    acked: int = 0
    """Of those, acked."""
    refused: int = 0
    cursors_sent: int = 0
    delivered: int = 0
    """(op, receiver) pairs seen for ops sent inside the window."""
    latencies_us: bytes = b""
    """array('q') of edit→delivery latencies in µs, one per pair."""
    ack_latencies_us: bytes = b""
    deliveries_in_window: int = 0
    """Op entries received by any socket while the window was open (throughput)."""
    ops_frames_in_window: int = 0
    cursor_frames_in_window: int = 0
    other_frames_in_window: int = 0
    bytes_in_window: int = 0
    order_violations: int = 0
    lagging: int = 0
    """Sockets that had not reached the last acked seq when the drain timed out."""
    closed: int = 0
    close_codes: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    max_acked_seq: int = -1
    cpu_seconds: float = 0.0
    """User + system CPU of this worker process inside the window."""


@dataclass(slots=True)
class _Participant:
    seat: Seat
    ws: WsClient | None = None
    seq: int = -1
    welcome_seq: int | None = None
    ops_sent: int = 0
    pending: dict[str, int] = field(default_factory=dict)
    """Op id -> send time, for edits not acked yet."""
    ready: asyncio.Future[None] | None = None


# -- the worker process -------------------------------------------------------------------------


class Worker:
    """The participants of one process, and what they measure."""

    def __init__(self, targets: Sequence[Target], board: str, seats: Sequence[Seat], total: int) -> None:
        self.targets = list(targets)
        self.board = board
        self.people = [_Participant(seat) for seat in seats]
        self.total = total
        self.cache: dict[bytes, tuple[int, int, bool, tuple[int, ...]]] = {}
        self.phase: Phase | None = None
        self.stats = WorkerStats()
        self.latencies = array("q")
        self.ack_latencies = array("q")
        self.in_window = False
        self.changed = asyncio.Event()
        self.run_id = f"{random.getrandbits(40):010x}"
        """Prefix of this worker's op ids. The server deduplicates by (participant, op id) for
        good, so a participant seated again in a later scenario must not reuse an id."""

    # receiving

    def on_text(self, ws: WsClient, payload: bytes, now: int) -> None:
        person: _Participant = ws.tag  # type: ignore[assignment]
        stats = self.stats
        if payload.startswith(OPS):
            parsed = self.cache.get(payload)
            if parsed is None:
                parsed = self._parse_ops(payload)
            first, last, contiguous, times = parsed
            if first != person.seq + 1 or not contiguous:
                stats.order_violations += 1
            person.seq = last
            phase = self.phase
            if phase is not None:
                low, high = phase.measure_ns, phase.end_ns
                for sent in times:
                    if low <= sent < high:
                        self.latencies.append((now - sent) // 1000)
                if self.in_window:
                    stats.deliveries_in_window += last - first + 1
                    stats.ops_frames_in_window += 1
                    stats.bytes_in_window += len(payload)
            self.changed.set()
        elif payload.startswith(CURSORS):
            if self.in_window:
                stats.cursor_frames_in_window += 1
                stats.bytes_in_window += len(payload)
        elif payload.startswith(ACK):
            acks = _ack_decoder.decode(payload).ops
            phase = self.phase
            for op_id, seq in acks.items():
                sent_at = person.pending.pop(op_id, None)
                if seq > stats.max_acked_seq:
                    stats.max_acked_seq = seq
                if sent_at is not None and phase is not None and phase.measure_ns <= sent_at < phase.end_ns:
                    stats.acked += 1
                    self.ack_latencies.append((now - sent_at) // 1000)
            self.changed.set()
        elif payload.startswith(PRESENCE):
            if self.in_window:
                stats.other_frames_in_window += 1
                stats.bytes_in_window += len(payload)
        elif payload.startswith(WELCOME):
            person.welcome_seq = _welcome_decoder.decode(payload).seq
            self._check_ready(person)
        elif payload.startswith(SNAPSHOT):
            person.seq = _snapshot_decoder.decode(payload).seq
            self._check_ready(person)
        elif payload.startswith(ERROR):
            error = msgspec.json.decode(payload)
            if isinstance(error, dict) and error.get("id") in person.pending:
                del person.pending[error["id"]]
                stats.refused += 1
            if len(stats.errors) < 20:
                stats.errors.append(payload.decode(errors="replace")[:300])
            self.changed.set()

    def _parse_ops(self, payload: bytes) -> tuple[int, int, bool, tuple[int, ...]]:
        frame = _ops_decoder.decode(payload)
        seqs = [entry.seq for entry in frame.ops]
        contiguous = seqs == list(range(frame.first, frame.to + 1))
        times = []
        for entry in frame.ops:
            for change in entry.changes:
                sent = sent_time(change)
                if sent is not None:
                    times.append(sent)
        parsed = (frame.first, frame.to, contiguous, tuple(times))
        if len(self.cache) >= PARSE_CACHE_LIMIT:
            self.cache.clear()
        self.cache[payload] = parsed
        return parsed

    def _check_ready(self, person: _Participant) -> None:
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

        async def one(person: _Participant) -> None:
            host, port = self.targets[person.seat.index % len(self.targets)]
            async with gate:
                person.ready = asyncio.get_running_loop().create_future()
                try:
                    person.ws = await open_ws(host, port, "/ws", self.on_text, tag=person)
                    person.ws.send_text(hello(self.board, person.seat.token))
                    await asyncio.wait_for(asyncio.shield(person.ready), CONNECT_TIMEOUT)
                except Exception as problem:
                    failures.append(f"{type(problem).__name__}: {problem}")

        await asyncio.gather(*(one(person) for person in self.people))
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

    async def run_phase(self, phase: Phase) -> dict[str, Any]:
        """Send edits and cursor moves from phase.start_ns to phase.end_ns; then wait for the
        acks of this worker's edits. Returns the highest seq this worker saw acked."""
        self.phase = phase
        self.stats = WorkerStats(receivers=len(self.people))
        self.latencies = array("q")
        self.ack_latencies = array("q")
        for person in self.people:
            person.pending.clear()
        stats = self.stats
        schedule: list[tuple[int, int, int]] = []
        edit_period = int(1e9 / phase.edit_hz) if phase.edit_hz > 0 else 0
        cursor_period = int(1e9 / phase.cursor_hz) if phase.cursor_hz > 0 else 0
        for slot, person in enumerate(self.people):
            share = person.seat.index / self.total
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
            if ws is None or ws.closed.done():
                continue
            if kind == 0:
                person.ops_sent += 1
                op_id = f"{self.run_id}-{person.ops_sent}"
                sent = time.monotonic_ns()
                ws.send_text(edit_message(op_id, person.seat.note, sent, person.seat.index))
                person.pending[op_id] = sent
                if sent >= phase.measure_ns:
                    stats.sent += 1
            else:
                x, y = rng.uniform(-2000, 2000), rng.uniform(-2000, 2000)
                ws.send_text(f'{{"type":"cursor","x":{x:.1f},"y":{y:.1f}}}')
                if window_open:
                    stats.cursors_sent += 1
        now = time.monotonic_ns()
        if now < phase.end_ns:
            await asyncio.sleep((phase.end_ns - now) / 1e9)
        if not window_open:
            cpu_start = _cpu_seconds()
        stats.cpu_seconds = _cpu_seconds() - cpu_start
        self.in_window = False
        await self._wait(lambda: all(not p.pending for p in self._open()), ACK_TIMEOUT)
        return {"max_acked_seq": stats.max_acked_seq}

    async def drain(self, head: int) -> WorkerStats:
        """Wait until every open socket has reached `head`, then hand over the stats."""
        await self._wait(lambda: all(p.seq >= head for p in self._open()), DRAIN_TIMEOUT)
        stats = self.stats
        stats.delivered = len(self.latencies)
        stats.latencies_us = self.latencies.tobytes()
        stats.ack_latencies_us = self.ack_latencies.tobytes()
        stats.lagging = sum(1 for p in self._open() if p.seq < head)
        stats.closed = 0
        for person in self.people:
            if person.ws is None or person.ws.closed.done():
                stats.closed += 1
                code = person.ws.close_code if person.ws is not None else None
                stats.close_codes[code or 1006] = stats.close_codes.get(code or 1006, 0) + 1
        self.phase = None
        return stats

    def _open(self) -> list[_Participant]:
        return [p for p in self.people if p.ws is not None and not p.ws.closed.done()]

    async def _wait(self, condition: Callable[[], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not condition() and time.monotonic() < deadline:
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), 0.1)


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def _worker_main(conn: Connection, targets: list[Target], board: str, seats: list[Seat], total: int) -> None:
    """Entry point of a worker process: obeys commands from the parent over `conn`."""
    run_fast(_worker_loop(conn, targets, board, seats, total))


def run_fast(main: Coroutine[Any, Any, T]) -> T:
    """Run `main` on uvloop when it is installed (it is, with uvicorn[standard])."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        return asyncio.run(main)
    return uvloop.run(main)


async def _worker_loop(
    conn: Connection, targets: list[Target], board: str, seats: list[Seat], total: int
) -> None:
    loop = asyncio.get_running_loop()
    worker = Worker(targets, board, seats, total)
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
    refused: int
    expected: int
    delivered: int
    delivered_pct: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    ack_p50_ms: float
    ack_p99_ms: float
    deliveries_per_s: float
    ops_frames_per_s: float
    cursor_frames_per_s: float
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
        self,
        targets: Sequence[Target],
        board: str,
        seats: Sequence[Seat],
        workers: int = 2,
    ) -> None:
        self.targets = list(targets)
        self.board = board
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
                args=(child, self.targets, self.board, share, len(self.seats)),
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
        if side is not None:
            await side
        replies = await replies_task
        head = max(r["max_acked_seq"] for r in replies)
        parts: list[WorkerStats] = await self._all("drain", head)
        return _summarise(parts, len(self.seats), phase)

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


def _summarise(parts: Sequence[WorkerStats], participants: int, phase: Phase) -> PhaseResult:
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
    expected = acked * participants
    delivered = len(latencies)
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
        p50_ms=percentile(latencies, 0.50) / 1000,
        p95_ms=percentile(latencies, 0.95) / 1000,
        p99_ms=percentile(latencies, 0.99) / 1000,
        max_ms=(latencies[-1] / 1000) if latencies else 0.0,
        ack_p50_ms=percentile(acks, 0.50) / 1000,
        ack_p99_ms=percentile(acks, 0.99) / 1000,
        deliveries_per_s=sum(p.deliveries_in_window for p in parts) / window,
        ops_frames_per_s=sum(p.ops_frames_in_window for p in parts) / window,
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


# -- setting up a workshop over HTTP ----------------------------------------------------------------


async def create_workshop(base_url: str, title: str, breakouts: int = 0) -> dict[str, Any]:
    import httpx

    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        response = await http.post("/api/workshops", json={"title": title, "breakouts": breakouts})
        response.raise_for_status()
        created: dict[str, Any] = response.json()
        return created


async def join_many(base_url: str, code: str, count: int, concurrency: int = 16) -> list[str]:
    """`count` participant tokens, joined by code over HTTP."""
    import httpx

    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as http:

        async def one() -> str:
            async with gate:
                response = await http.post("/api/join", json={"code": code})
                response.raise_for_status()
                token: str = response.json()["token"]
                return token

        return list(await asyncio.gather(*(one() for _ in range(count))))


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
    generator = LoadGenerator([target_of(u) for u in args.url], board, seats, args.workers)
    try:
        connected = await generator.start()
        print(f"connected {connected['connected']} in {connected['seconds']:.1f} s", file=sys.stderr)
        return await generator.run_phase(
            edit_hz=args.edit_hz, cursor_hz=args.cursor_hz, warmup=args.warmup, duration=args.duration
        )
    finally:
        await generator.stop()
        await facilitator.close()


if __name__ == "__main__":
    raise SystemExit(main())
