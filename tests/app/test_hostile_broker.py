"""[P7] A hostile participant against a board that two server processes share, while their
Redis stalls (issue 15; `sync/publisher.py`). Only docs/protocol.md is known to the script.

What a participant can make the broker carry for a board: on its live channel
(`board:<id>:live`) who comes and goes and where their cursors are, and on its ops channel
(`board:<id>:ops`) every op committed. What is live does not pile up: a room publishes its
people's changes once per `CURSOR_TICK`, the latest cursor position of each and who came or
left, so a socket moving its cursor at its full rate (50 a second), or sockets coming and
going, add an entry to a message that goes 20 times a second whatever they send; signals are
facilitators' own. So the live channel's cap (`MAX_UNPUBLISHED_BYTES`) never binds for a
participant. The ops channel carries what they write, as fast as the byte budgets
let them: 1 MiB at once a socket, 4 MiB a minute a person (on any number of sockets), 32 MiB
a minute for a workshop's participants together. That is the flood here: big notes, rewritten
in batches, from five joined identities of the attacker, while their cursors move.

Redis is stopped (SIGSTOP, the test's own redis-server) for a few seconds and then let go:
publications hang rather than fail, as they do when Redis is starved or a link stalls without
a reset. People on both processes keep editing, and see what a person would: each edit
acknowledged by its own process while Redis is held, and once it is back every edit on every
screen, in one order, each once, and one board."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect

from board.core.limits import LIMITS
from board.sync.publisher import MAX_UNPUBLISHED_BYTES
from tests.conftest import RedisServer, RunningServer, ServerProcess
from tests.support import BoardClient, create_workshop, join

log = logging.getLogger(__name__)

MIB = 1_048_576
LONGEST_NOTE = "\U0001f4a5" * LIMITS.max_note_text
"""The longest note, 1,000 characters of four bytes of UTF-8 each."""
UPDATES = 30
"""Rewrites of a whole note in one batch: a frame of about 120 KB, under `max_frame_bytes`."""
FRAMES = 8
"""Batches one socket sends at once: within its byte burst (`socket_bytes_burst`)."""
SOCKETS = 4
"""Sockets each identity bursts from, one after another: within its 4 MiB a minute."""
PEOPLE = 5
"""Identities the attacker joins as: within the workshop's 32 MiB a minute together."""
EDITS = 10
"""Edits each honest person makes while Redis is held, a person's pace apart."""
HOLD = 3.0
"""Seconds Redis is held at least."""
RECOVERY = 10.0
"""Seconds after Redis is back within which every screen must have every edit."""
GROWTH_BOUND = 2 * MAX_UNPUBLISHED_BYTES + 4 * MIB
"""What the server process may grow by while Redis is held: the board's two channels at their
cap, and 4 MiB for the group in flight and the allocator. Without the cap it grows by the whole
flood (about 19 MiB)."""
MMAP_THRESHOLD = "2048"
"""glibc maps blocks of 2 KiB and more on their own, and unmaps them once freed
(`MALLOC_MMAP_THRESHOLD_`): then the process's RSS follows what it holds, not the highest its
heap has reached (a flood through a heap leaves it fragmented, ~10 MiB either way)."""


def batch(note: str) -> dict[str, Any]:
    return {
        "kind": "batch",
        "ops": [{"kind": "update", "id": note, "props": {"text": LONGEST_NOTE}}] * UPDATES,
    }


def wire(op_id: str, op: dict[str, Any]) -> str:
    """An op frame as a browser sends it: UTF-8, not `\\u` escapes."""
    return json.dumps({"type": "op", "id": op_id, "op": op}, ensure_ascii=False)


FRAME_BYTES = len(wire("x" * 40, batch("x" * 16)).encode())
"""The bytes of a batch frame, at most (its op id and note id are shorter)."""
SOCKET_BYTES = FRAMES * FRAME_BYTES + 200
"""What one socket sends: its batches, and the note it rewrites."""


def within_the_limits() -> None:
    """The flood is what the limits let through, so that none of it is refused."""
    assert LIMITS.max_frame_bytes >= FRAME_BYTES
    assert LIMITS.socket_bytes_burst >= SOCKET_BYTES
    assert LIMITS.participant_bytes_per_minute >= SOCKETS * SOCKET_BYTES
    assert LIMITS.workshop_bytes_per_minute >= PEOPLE * SOCKETS * SOCKET_BYTES + MIB


def rss(process: ServerProcess) -> int:
    """The process's resident memory, in bytes."""
    assert process.process is not None
    for line in Path(f"/proc/{process.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


@contextlib.asynccontextmanager
async def held(redis: RedisServer) -> AsyncIterator[None]:
    """Redis stopped where it stands: connections stay open, nothing is answered."""
    assert redis.process is not None
    redis.process.send_signal(signal.SIGSTOP)
    try:
        yield
    finally:
        redis.process.send_signal(signal.SIGCONT)


async def hello(url: str, board: str, token: str) -> ClientConnection:
    """A joined socket, read by the caller as it likes (not through `BoardClient`)."""
    ws = await connect(url, max_size=None)
    await ws.send(json.dumps({"type": "hello", "v": 1, "board": board, "token": token}))
    while not (await ws.recv(decode=False)).startswith(b'{"type":"welcome"'):
        pass
    return ws


class Flood:
    """Bursts of big batches from a person's sockets, each open until its ops are acked (a
    socket that closes at once may lose what it sent last: unacked, so never promised)."""

    def __init__(self, url: str, board: str) -> None:
        self.url = url
        self.board = board
        self.bytes = 0
        self.frames = 0
        self.top = 0
        """The highest seq acked to the flood."""

    async def person(self, token: str, note: str) -> None:
        for socket in range(SOCKETS):
            await self.burst(token, note, create=socket == 0)

    async def burst(self, token: str, note: str, create: bool) -> None:
        ws = await hello(self.url, self.board, token)
        ops = [batch(note) for _ in range(FRAMES)]
        if create:
            ops.insert(0, {"kind": "create", "obj": {"type": "note", "id": note, "x": 0, "y": 0}})
        for op in ops:
            self.frames += 1
            frame = wire(f"{note}-{self.frames}", op)
            self.bytes += len(frame.encode())
            await ws.send(frame)
        acked: list[int] = []
        while len(acked) < len(ops):
            data = await ws.recv(decode=False)
            if data.startswith(b'{"type":"ack"'):
                acked += json.loads(data)["ops"].values()
            elif data.startswith(b'{"type":"error"'):
                raise AssertionError(f"the flood was refused, so it is not the one planned: {data[:300]!r}")
        self.top = max(self.top, *acked)
        await ws.close()


class Pointer:
    """A socket of the attacker's moving its cursor as fast as the socket takes it: its burst
    at once, then `messages_per_second`; reads (and drops) what it is sent."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.moves = 0
        self._tasks = [asyncio.create_task(self._move()), asyncio.create_task(self._drain())]

    async def _move(self) -> None:
        started = time.monotonic()
        while True:
            due = started + max(0, self.moves - LIMITS.message_burst) / LIMITS.messages_per_second
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            self.moves += 1
            x, y = 1_234_567.891234 + self.moves, -7_654_321.123456 - self.moves
            await self.ws.send(json.dumps({"type": "cursor", "x": x, "y": y}))

    async def _drain(self) -> None:
        with contextlib.suppress(Exception):
            while True:
                await self.ws.recv(decode=False)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.ws.close()


async def edit(client: BoardClient, note: str) -> None:
    """A person rewriting their note as they think, then waiting for every edit's ack."""
    sent = []
    for i in range(EDITS):
        sent.append(await client.op({"kind": "update", "id": note, "props": {"text": f"take {i}"}}))
        await asyncio.sleep(0.15)
    for op_id in sent:
        await client.wait_acked(op_id)


@pytest.mark.postgres
@pytest.mark.redis
async def test_a_flood_while_redis_is_held_costs_at_most_the_publishers_cap_and_nobody_loses_an_edit(
    monkeypatch: pytest.MonkeyPatch,
    server_process: Callable[..., ServerProcess],
    postgres_url: str,
    redis_url: str,
    redis_server: RedisServer,
) -> None:
    within_the_limits()
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", MMAP_THRESHOLD)
    a, b = (server_process(database_url=postgres_url, broker_url=redis_url) for _ in range(2))
    workshop = await create_workshop(a.base_url)
    board = workshop.main
    people = [await BoardClient(p.ws_url, board, await join(workshop)).connect() for p in (a, a, b, b)]
    hostile = [await join(workshop) for _ in range(PEOPLE)]
    for n, person in enumerate(people):
        await person.wait_acked(await person.create_note(f"note-{n}", text="first thoughts"))
    pointers = [Pointer(await hello(a.ws_url, board, token)) for token in hostile[:2]]
    try:
        # The same load once with Redis up, from the facilitator's sockets (whose writes no
        # budget counts), so that the board's replay window is full and the process's heap at its
        # working size before the measurement: what grows while Redis is held is what waits for it.
        warm = Flood(a.ws_url, board)
        await asyncio.gather(*(warm.person(workshop.facilitator_token, f"layout-{i}") for i in range(PEOPLE)))
        for person in people:
            await person.wait_seq(warm.top)
        await asyncio.sleep(0.5)
        before = rss(a)

        flood = Flood(a.ws_url, board)
        moves = sum(pointer.moves for pointer in pointers)
        async with held(redis_server):
            stopped = time.monotonic()
            attack = asyncio.gather(*(flood.person(token, f"x-{i}") for i, token in enumerate(hostile)))
            # Acked by their own process while Redis is held: commits do not wait on the broker.
            await asyncio.gather(*(edit(person, f"note-{n}") for n, person in enumerate(people)))
            await attack
            flood_seconds = time.monotonic() - stopped
            moves = sum(pointer.moves for pointer in pointers) - moves
            for person in people[:2]:
                await person.wait_seq(flood.top)  # process A has sent out all it committed
            await asyncio.sleep(max(0.5, HOLD - (time.monotonic() - stopped)))
            during = rss(a)
            held_for = time.monotonic() - stopped
        released = time.monotonic()

        head = max(flood.top, *(seq for person in people for seq in person.acks.values()))
        await asyncio.wait_for(asyncio.gather(*(person.wait_seq(head) for person in people)), RECOVERY)
        caught_up = time.monotonic() - released
        # What is live crosses processes again: a cursor moved on A is seen on B.
        await people[0].send({"type": "cursor", "x": 4.5, "y": 6.5})
        cid = people[0].welcome["you"]["cid"]
        await people[2].wait_for(
            lambda: any(m["type"] == "cursors" and [cid, 4.5, 6.5] in m["moved"] for m in people[2].received),
            RECOVERY,
        )
    finally:
        for pointer in pointers:
            await pointer.stop()

    log.info(
        "RSS of process A %.1f MiB before, %.1f MiB with Redis held (+%.1f); flood %.1f MiB in %d "
        "frames in %.1f s, %d cursor moves (%.0f a second); Redis held %.1f s; every screen up to "
        "seq %d %.2f s after it was back",
        before / MIB, during / MIB, (during - before) / MIB, flood.bytes / MIB, flood.frames,
        flood_seconds, moves, moves / flood_seconds, held_for, head, caught_up,
    )  # fmt: skip
    for person in people:
        assert person.errors == []
        assert person.seqs_applied == list(range(1, head + 1)), "every op, in seq order, each once"
    for n in range(len(people)):
        assert all(person.objects[f"note-{n}"]["text"] == f"take {EDITS - 1}" for person in people)
    observers = [await BoardClient(p.ws_url, board, await join(workshop)).connect() for p in (a, b)]
    for screen in (*people, *observers):
        assert screen.objects == observers[0].objects, "one board, whichever process serves it"
    assert during - before < GROWTH_BOUND, (
        f"process A grew {(during - before) / MIB:.1f} MiB while Redis was held "
        f"(flood {flood.bytes / MIB:.1f} MiB; bound {GROWTH_BOUND / MIB:.0f} MiB)"
    )
    for client in (*people, *observers):
        await client.close()


async def test_wide_characters_count_as_the_bytes_they_take_against_a_sockets_byte_rate(
    server: RunningServer,
) -> None:
    """The byte rates count what the ops channel carries, bytes of UTF-8: a note of 1,000
    emoji is 4,000 bytes, not 1,000. Counted as characters, a script could send four times
    the documented 256 KiB a second, and four times a person's 4 MiB a minute."""
    workshop = await create_workshop(server.base_url)
    hostile = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    assert hostile.ws is not None
    await hostile.wait_acked(await hostile.create_note("wide"))
    frames = 3 * LIMITS.socket_bytes_burst // FRAME_BYTES
    started = time.monotonic()
    for n in range(frames):
        await hostile.ws.send(wire(f"wide-{n}", batch("wide")))
    await asyncio.sleep(0.2)  # the byte rate lets a small op through again
    await hostile.wait_acked(await hostile.create_note("after"))  # read after all of them
    elapsed = time.monotonic() - started
    acked = [n for n in range(frames) if f"wide-{n}" in hostile.acks]
    allowed = LIMITS.socket_bytes_burst + LIMITS.socket_bytes_per_second * elapsed
    assert len(acked) * FRAME_BYTES <= allowed, (
        f"{len(acked)} of {frames} frames of {FRAME_BYTES} bytes went through in {elapsed:.2f} s"
    )
    assert [error["code"] for error in hostile.errors] == ["rate_limited"], "the rest were dropped"
    await hostile.close()
