"""[P5] Batched (DESIGN.md §3.5): the server group-commits inbound ops per board, coalesces
committed ops into frames per socket a tick apart, and sends cursors as one frame a tick with
the latest position per person, storing nothing of them.

Each test fails if its mechanism is switched off: `MAX_GROUP = 1` in `board/sync/room.py` (one
transaction per op), `CURSOR_TICK = 0` in `board/core/pacing.py` (a frame per move); and ops go
out at once while the loop is idle (not a tick apart). How frames coalesce as the loop gets
busy (`Room._hold`) is measured by the benchmark, under real load; its rule, with the times
given, is tested in tests/core/test_pacing.py."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import time

from board.sync.room import Room
from tests.conftest import RunningServer
from tests.support import BoardClient, Workshop, create_workshop, join

BURST = 40
"""Ops each writer sends at once, well inside the per-socket burst allowance."""


def room_of(server: RunningServer, board: str) -> Room:
    return server.services.hub.rooms[board]


def ops_frames(client: BoardClient) -> list[list[int]]:
    """The seqs in each `ops` frame this client received, frame by frame."""
    return [[entry["seq"] for entry in m["ops"]] for m in client.received if m["type"] == "ops" and m["ops"]]


async def people(server: RunningServer, workshop: Workshop, count: int) -> list[BoardClient]:
    return [
        await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect() for _ in range(count)
    ]


async def test_a_burst_from_several_clients_is_committed_in_fewer_transactions_than_ops(
    server: RunningServer,
) -> None:
    workshop = await create_workshop(server.base_url)
    writers = await people(server, workshop, 4)
    receiver = (await people(server, workshop, 1))[0]
    room = room_of(server, workshop.main)
    before = room.groups_committed

    async def burst(n: int, client: BoardClient) -> list[str]:
        return [await client.create_note(f"w{n}-{i}", text=f"{n} {i}") for i in range(BURST)]

    sent = await asyncio.gather(*(burst(n, client) for n, client in enumerate(writers)))
    for client, op_ids in zip(writers, sent, strict=True):
        for op_id in op_ids:
            await client.wait_acked(op_id)
    ops = BURST * len(writers)
    await receiver.wait_seq(ops)

    groups = room.groups_committed - before
    assert groups < ops / 2, f"{ops} ops in {groups} transactions: group commit"
    assert sorted(seq for frame in ops_frames(receiver) for seq in frame) == list(range(1, ops + 1))
    assert max(len(frame) for frame in ops_frames(receiver)) > 1, "frames carrying several ops"


async def _one_by_one(server: RunningServer, count: int) -> tuple[int, list[list[int]]]:
    """`count` ops a few milliseconds apart, each committed on its own (the worker is idle
    when each arrives): how many transactions, and the frames a receiver got them in."""
    workshop = await create_workshop(server.base_url)
    writer, receiver = await people(server, workshop, 2)
    room = room_of(server, workshop.main)
    before = room.groups_committed
    last = ""
    for i in range(count):
        last = await writer.create_note(f"n{i}")
        await asyncio.sleep(0.003)
    await writer.wait_acked(last)
    await receiver.wait_seq(count)
    frames = ops_frames(receiver)
    assert sorted(seq for frame in frames for seq in frame) == list(range(1, count + 1))
    for client in (writer, receiver):
        await client.close()
    return room.groups_committed - before, frames


async def test_ops_committed_one_by_one_on_an_idle_server_go_out_at_once(server: RunningServer) -> None:
    """With the loop idle, an op is not held for others to share its frame: each commit
    reaches the receiver as it is (fails with a fixed tick between frames)."""
    groups, frames = await _one_by_one(server, 40)
    assert len(frames) > groups / 2, f"{groups} commits reached the receiver in only {len(frames)} frames"


def database_digest(server: RunningServer) -> str:
    path = server.settings.database_url.split("///", 1)[1]
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = [(table, sorted(map(repr, db.execute(f'SELECT * FROM "{table}"')))) for table in tables]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


async def test_cursor_moves_within_a_tick_reach_others_as_one_frame_with_the_latest_position(
    server: RunningServer,
) -> None:
    workshop = await create_workshop(server.base_url)
    mover, watcher = await people(server, workshop, 2)
    cid = mover.welcome["you"]["cid"]

    def moves() -> list[list[list[float]]]:
        """For each cursors frame the watcher got naming the mover: the mover's entries."""
        return [
            [entry[1:] for entry in m["moved"] if entry[0] == cid]
            for m in watcher.received
            if m["type"] == "cursors" and any(entry[0] == cid for entry in m["moved"])
        ]

    await mover.send({"type": "cursor", "x": 0, "y": 0})
    await watcher.wait_for(lambda: len(moves()) == 1)  # a tick just went out: the next is a tick away
    before = database_digest(server)
    started = time.monotonic()
    for i in range(1, 31):
        await mover.send({"type": "cursor", "x": float(i), "y": float(-i)})
    sent_within = time.monotonic() - started
    await watcher.wait_for(lambda: len(moves()) >= 2)
    await asyncio.sleep(0.2)  # four ticks more: nothing else comes

    assert sent_within < 0.04, "the moves were sent within one tick (else the test proves nothing)"
    assert moves()[1:] == [[[30.0, -30.0]]], "one frame, only the latest position"
    assert database_digest(server) == before, "no row written for cursors"
