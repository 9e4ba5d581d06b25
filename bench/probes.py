"""Single sockets the benchmark drives from its own process: the facilitator who seeds boards,
and probes that time a board load and a resume.

Unlike the load generator's participants these decode every frame they receive (they see few),
and keep the timing of the frames that matter: when `hello` went out, when the snapshot
arrived, when the socket had caught up with the head seq it was welcomed at.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from bench.adapters import Seat, create_workshop, hello, join_many
from bench.wsclient import WsClient, open_ws

WAIT = 60.0
MAX_BATCH_BYTES = 100_000
"""Bytes of one batch op we send (the server refuses frames over 128 KiB)."""
MAX_BATCH_OPS = 500


class Refused(RuntimeError):
    pass


class Observer:
    """One socket that applies nothing but keeps the head seq, the acks and the timings."""

    def __init__(self, board: str, token: str, compressed: bool = True) -> None:
        self.board = board
        self.token = token
        self.compressed = compressed
        """Ask for compressed snapshots, as the board page does."""
        self.ws: WsClient | None = None
        self.seq = -1
        self.welcome: dict[str, Any] | None = None
        self.hello_ns = 0
        self.welcome_ns = 0
        self.snapshot_ns = 0
        self.snapshot_bytes = 0
        self.snapshot_objects = 0
        self.caught_up_ns = 0
        self.ops_bytes = 0
        self.ops_frames = 0
        self.acks: dict[str, int] = {}
        self.ack_ns: dict[str, int] = {}
        """Op id -> when its ack arrived."""
        self.arrivals: dict[int, int] = {}
        """Last seq of each `ops` frame -> when it arrived (kept only when `keep_arrivals`)."""
        self.keep_arrivals = False
        self.errors: list[dict[str, Any]] = []
        self._changed = asyncio.Event()
        self._ids = itertools.count(1)

    @classmethod
    async def open(
        cls, host: str, port: int, board: str, token: str, since: int | None = None, wait: bool = True
    ) -> Observer:
        observer = cls(board, token)
        await observer.connect(host, port, since, wait)
        return observer

    async def connect(self, host: str, port: int, since: int | None = None, wait: bool = True) -> None:
        self.welcome = None
        self.caught_up_ns = self.snapshot_ns = 0
        if since is not None:
            self.seq = since
        self.ws = await open_ws(host, port, "/ws", self._on_text)
        self.hello_ns = time.monotonic_ns()
        self.ws.send_text(hello(self.board, self.token, since, self.compressed))
        if wait:
            await self.wait_for(lambda: self.caught_up_ns > 0)

    def _on_text(self, ws: WsClient, payload: bytes, now: int) -> None:
        # The one binary frame the server sends is a compressed snapshot.
        message = msgspec.json.decode(payload if payload[:1] == b"{" else zlib.decompress(payload))
        kind = message.get("type")
        if kind == "welcome":
            self.welcome = message
            self.welcome_ns = now
        elif kind == "snapshot":
            self.seq = message["seq"]
            self.snapshot_ns = now
            self.snapshot_bytes = len(payload)
            self.snapshot_objects = len(message["objects"])
        elif kind == "ops":
            if message["from"] != self.seq + 1:
                self.errors.append({"code": "gap", "message": f"have {self.seq}, got {message['from']}"})
            self.seq = message["to"]
            if self.keep_arrivals:
                self.arrivals[self.seq] = now
            self.ops_bytes += len(payload)
            self.ops_frames += 1
        elif kind == "ack":
            self.acks.update(message["ops"])
            for op_id in message["ops"]:
                self.ack_ns[op_id] = now
        elif kind == "error":
            self.errors.append(message)
        if self.welcome is not None and not self.caught_up_ns and self.seq >= self.welcome["seq"]:
            self.caught_up_ns = now
        self._changed.set()

    async def wait_for(self, condition: Any, timeout: float = WAIT) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.ws is not None and self.ws.closed.done():
                raise ConnectionError(f"socket closed (code {self.ws.close_code})")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("probe waited too long")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.5))

    def send_op(self, op: dict[str, Any]) -> str:
        assert self.ws is not None
        op_id = f"b{next(self._ids)}-{random.getrandbits(32):x}"
        self.ws.send_text(json.dumps({"type": "op", "id": op_id, "op": op}, separators=(",", ":")))
        return op_id

    async def acked(self, op_ids: Sequence[str], timeout: float = WAIT) -> int:
        """Wait for every op's ack; returns the highest seq among them."""
        wanted = set(op_ids)

        def done() -> bool:
            refused = [e for e in self.errors if e.get("id") in wanted]
            if refused:
                raise Refused(str(refused[0]))
            return wanted <= self.acks.keys()

        await self.wait_for(done, timeout)
        return max(self.acks[op_id] for op_id in op_ids)

    async def create_objects(self, objects: Sequence[dict[str, Any]]) -> int:
        """Create objects in batch ops of at most MAX_BATCH_BYTES; returns the last seq."""
        batches: list[list[dict[str, Any]]] = [[]]
        size = 0
        for obj in objects:
            op = {"kind": "create", "obj": obj}
            length = len(json.dumps(op)) + 1
            if batches[-1] and (size + length > MAX_BATCH_BYTES or len(batches[-1]) >= MAX_BATCH_OPS):
                batches.append([])
                size = 0
            batches[-1].append(op)
            size += length
        last = self.seq
        for chunk in _chunks(batches, 100):
            ids = [self.send_op({"kind": "batch", "ops": batch}) for batch in chunk if batch]
            if ids:
                last = await self.acked(ids)
        return last

    async def create_notes(self, ids: Sequence[str]) -> int:
        return await self.create_objects(
            [
                {"type": "note", "id": oid, "x": (i % 40) * 220.0, "y": (i // 40) * 220.0, "text": ""}
                for i, oid in enumerate(ids)
            ]
        )

    async def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
            try:
                await asyncio.wait_for(asyncio.shield(self.ws.closed), 5)
            except TimeoutError:
                self.ws.abort()


def _chunks(items: list[list[dict[str, Any]]], size: int) -> list[list[list[dict[str, Any]]]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


_VOCABULARY = (
    "community transport youth club housing repairs library hours bus route green space "
    "safer streets food bank volunteers digital skills warm spaces allotments council tax "
    "play area parking mental health carers support local jobs market town flooding"
)
WORDS = tuple(_VOCABULARY.split())
COLORS = ("yellow", "orange", "pink", "purple", "blue", "green", "grey", "white")


def large_board(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """A workshop board of `count` objects: 80 % sticky notes of 4-14 words, 15 % shapes, 5 %
    pen strokes of 32 points; laid out on a grid."""
    rng = random.Random(seed)
    objects: list[dict[str, Any]] = []
    for i in range(count):
        x, y = (i % 100) * 230.0, (i // 100) * 230.0
        roll = i % 20
        if roll < 16:
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))
            objects.append(
                {"type": "note", "id": f"b{i}", "x": x, "y": y, "text": text, "color": rng.choice(COLORS)}
            )
        elif roll < 19:
            objects.append(
                {"type": "shape", "id": f"b{i}", "x": x, "y": y, "kind": "rect", "w": 180, "h": 90}
            )
        else:
            points = [round(rng.uniform(0, 200), 1) for _ in range(64)]
            objects.append({"type": "stroke", "id": f"b{i}", "x": x, "y": y, "points": points})
    return objects


async def time_lone_edits(
    sender: Observer, watcher: Observer, note: str, count: int
) -> dict[str, list[float]]:
    """`count` edits one at a time, each after the last was delivered: the latency floor (one
    commit, one frame) that every percentile under load includes."""
    watcher.keep_arrivals = True
    acks: list[float] = []
    deliveries: list[float] = []
    try:
        for k in range(count):
            sent = time.monotonic_ns()
            op_id = sender.send_op({"kind": "update", "id": note, "props": {"text": f"lone {k}"}})
            seq = await sender.acked([op_id])
            await watcher.wait_for(lambda seq=seq: seq in watcher.arrivals or watcher.seq >= seq)
            acks.append((sender.ack_ns[op_id] - sent) / 1e6)
            if seq in watcher.arrivals:
                deliveries.append((watcher.arrivals[seq] - sent) / 1e6)
            await asyncio.sleep(0.02)
    finally:
        watcher.keep_arrivals = False
        watcher.arrivals.clear()
    return {"ack_ms": acks, "delivery_ms": deliveries}


@dataclass(frozen=True, slots=True)
class Timing:
    ms: float
    bytes: int


async def time_board_load(host: str, port: int, board: str, token: str) -> Timing:
    """Open a socket with no `since`: time from sending `hello` to the last byte of the
    snapshot."""
    observer = await Observer.open(host, port, board, token)
    try:
        return Timing((observer.snapshot_ns - observer.hello_ns) / 1e6, observer.snapshot_bytes)
    finally:
        await observer.close()


async def time_resume(host: str, port: int, board: str, token: str, since: int) -> tuple[Timing, str]:
    """Reconnect at `since`: time from `hello` to holding the head seq; and whether the server
    replayed ops or sent a snapshot."""
    observer = await Observer.open(host, port, board, token, since=since)
    try:
        how = "snapshot" if observer.snapshot_ns else "replay"
        size = observer.snapshot_bytes if observer.snapshot_ns else observer.ops_bytes
        return Timing((observer.caught_up_ns - observer.hello_ns) / 1e6, size), how
    finally:
        await observer.close()


async def seated_board(host: str, port: int, title: str, n: int) -> tuple[str, list[Seat], Observer]:
    """A new workshop's main board with `n` participants joined, each given a note of its own
    to edit, and the facilitator's socket on it, left open for the caller to close."""
    base = f"http://{host}:{port}"
    created = await create_workshop(base, title)
    board = created["boards"][0]["id"]
    tokens = await join_many(base, created["join_code"], n)
    seats = [Seat(i, token, f"n{i}") for i, token in enumerate(tokens)]
    facilitator = await Observer.open(host, port, board, created["token"])
    try:
        await facilitator.create_notes([seat.note for seat in seats])
    except BaseException:
        await facilitator.close()
        raise
    return board, seats, facilitator
