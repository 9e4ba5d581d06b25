"""The sync promises of DESIGN.md §3, over real websockets on loopback."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable

import pytest

from tests.conftest import RunningServer
from tests.support import BoardClient, create_workshop, join


@pytest.fixture
def server(make_server: Callable[..., RunningServer], database_url: str) -> RunningServer:
    """Each sync test runs once on SQLite and once on PostgreSQL."""
    return make_server(database_url=database_url)


async def test_three_clients_see_every_op_in_the_same_seq_order(server: RunningServer) -> None:
    """[P1] One order per board: everyone applies the same seqs and ends equal."""
    workshop = await create_workshop(server.base_url)
    clients = [
        await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect() for _ in range(3)
    ]
    rng = random.Random(7)
    sent: list[tuple[BoardClient, str]] = []
    for i in range(60):
        client = rng.choice(clients)
        if i < 20 or not client.notes():
            op_id = await client.create_note(f"n{i}", text=f"note {i}", x=i, y=i)
        else:
            target = rng.choice(sorted(client.notes()))
            op_id = await client.op(
                {"kind": "update", "id": target, "props": {"x": float(i), "text": f"edit {i}"}}
            )
        sent.append((client, op_id))
        if i % 7 == 0:
            await asyncio.sleep(0.005)
    seqs = [await client.wait_acked(op_id) for client, op_id in sent]
    last = max(seqs)
    for client in clients:
        await client.wait_seq(last)
    assert sorted(seqs) == list(range(1, last + 1)), "every accepted op has its own seq, no gap"
    orders = [client.seqs_applied for client in clients]
    assert orders[0] == orders[1] == orders[2] == list(range(1, last + 1))
    assert clients[0].objects == clients[1].objects == clients[2].objects
    for client in clients:
        await client.close()


async def test_reconnect_with_since_gets_exactly_the_missed_ops(server: RunningServer) -> None:
    """[P3] Resume without gaps: the ops after the client's seq, no duplicate, no gap, no snapshot."""
    workshop = await create_workshop(server.base_url)
    writer = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    reader = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    for i in range(5):
        await writer.wait_acked(await writer.create_note(f"before{i}"))
    await reader.wait_seq(5)
    await reader.drop()
    for i in range(10):
        await writer.wait_acked(
            await writer.op({"kind": "update", "id": f"before{i % 5}", "props": {"text": f"t{i}"}})
        )
    await reader.connect(since=reader.seq)
    await reader.wait_seq(15)
    after_resume = reader.received[reader.received.index(reader.welcome) + 1 :]
    assert [m["type"] for m in after_resume if m["type"] in ("snapshot", "ops")] == ["ops"]
    assert (after_resume[0]["from"], after_resume[0]["to"]) == (6, 15)
    assert reader.seqs_applied == list(range(1, 16))
    assert reader.objects == writer.objects


async def test_resume_from_before_the_replay_window_sends_a_snapshot(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    """[P3] A client further behind than the replay window gets the whole board instead."""
    server = make_server(database_url=database_url, replay_window=20)
    workshop = await create_workshop(server.base_url)
    writer = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    await writer.wait_acked(await writer.create_note("n"))
    last = ""
    for i in range(server.settings.replay_window + 1):
        last = await writer.op({"kind": "update", "id": "n", "props": {"x": float(i)}})
    head = await writer.wait_acked(last)
    late = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect(since=0)
    await late.wait_seq(head)
    assert [m["type"] for m in late.received if m["type"] in ("snapshot", "ops")] == ["snapshot"]
    assert late.objects["n"]["x"] == float(server.settings.replay_window)


async def test_resume_from_the_future_sends_a_snapshot(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    client = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect(since=99)
    await client.wait_seq(0)
    assert [m["type"] for m in client.received if m["type"] in ("snapshot", "ops")] == ["snapshot"]


async def test_an_op_resent_after_a_drop_before_its_ack_is_applied_once(server: RunningServer) -> None:
    """[P2] Exactly once: the server dedupes a resend by (participant, client op id)."""
    workshop = await create_workshop(server.base_url)
    token = await join(workshop)
    writer = await BoardClient(server.ws_url, workshop.main, token).connect()
    watcher = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    op_id = await writer.create_note("once", text="only once")
    await writer.drop()  # gone before the ack could arrive
    assert op_id in writer.outbox
    await writer.reconnect()
    seq = await writer.wait_acked(op_id)
    await watcher.wait_seq(seq)
    await asyncio.sleep(0.1)
    assert list(watcher.notes()) == ["once"]
    assert watcher.seqs_applied == [1]
    assert [e for e in writer.errors if e.get("id") == op_id] == []


async def test_the_same_op_sent_twice_at_once_gets_one_seq_and_two_acks(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    writer = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    message = {
        "type": "op",
        "id": "dup",
        "op": {"kind": "create", "obj": {"type": "note", "id": "d", "x": 0, "y": 0}},
    }
    await writer.send(message)
    await writer.send(message)
    assert await writer.wait_acked("dup") == 1
    await writer.wait_acked(await writer.create_note("next"))
    assert writer.seqs_applied == [1, 2]
    assert writer.errors == []


async def test_a_bad_message_is_answered_and_nobody_else_sees_anything(server: RunningServer) -> None:
    """[P7] The socket stays open; the board and other clients are untouched."""
    workshop = await create_workshop(server.base_url)
    bad = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    other = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    assert bad.ws is not None
    for frame in [
        "not json",
        "[]",
        '{"type": "op"}',
        '{"type":"op","id":"x","op":{"kind":"create","obj":{"type":"note","id":"n","x":"NaN","y":0}}}',
    ]:
        await bad.ws.send(frame)
    await bad.wait_error(4)
    assert [e["code"] for e in bad.errors] == ["bad_json", "bad_json", "missing_field", "wrong_type"]
    assert bad.errors[3]["id"] == "x", "the error names the op it refuses"
    await bad.wait_acked(await bad.create_note("fine"))
    await other.wait_seq(1)
    assert [m["type"] for m in other.received if m["type"] in ("ops", "error")] == ["ops"]


async def test_ops_before_hello_are_refused(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    client = BoardClient(server.ws_url, workshop.main, "")
    from websockets.asyncio.client import connect

    async with connect(server.ws_url) as ws:
        await ws.send('{"type":"op","id":"a","op":{"kind":"delete","id":"n"}}')
        error = json.loads(await ws.recv())
    assert (error["code"], error["id"]) == ("not_joined", "a")
    assert client.ws is None


async def test_a_participant_cannot_join_a_board_of_another_workshop(server: RunningServer) -> None:
    ours = await create_workshop(server.base_url)
    theirs = await create_workshop(server.base_url)
    from websockets.asyncio.client import connect

    async with connect(server.ws_url) as ws:
        hello = {"type": "hello", "v": 1, "board": theirs.main, "token": await join(ours)}
        await ws.send(json.dumps(hello))
        error = json.loads(await ws.recv())
    assert (error["type"], error["code"]) == ("error", "unauthorized")


async def test_a_snapshot_shows_each_person_what_they_may_see(server: RunningServer) -> None:
    """In private mode a fresh snapshot holds your own private notes, not anyone else's;
    facilitators see them all."""
    workshop = await create_workshop(server.base_url)
    facilitator = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"private_mode": True}}))
    tokens = [await join(workshop), await join(workshop)]
    for n, token in enumerate(tokens):
        author = await BoardClient(server.ws_url, workshop.main, token).connect()
        await author.wait_acked(await author.create_note(f"private{n}", text=f"only author {n}"))
        await author.close()
    await facilitator.wait_acked(await facilitator.create_note("shared", text="for all"))
    views = [set((await BoardClient(server.ws_url, workshop.main, t).connect()).notes()) for t in tokens]
    assert views == [{"private0", "shared"}, {"private1", "shared"}]
    late_facilitator = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    assert set(late_facilitator.notes()) == {"private0", "private1", "shared"}
    outsider = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    assert set(outsider.notes()) == {"shared"}
    assert outsider.welcome["mine"] == []
