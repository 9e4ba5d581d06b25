"""[P6] Many processes: servers sharing one PostgreSQL and one Redis serve the same board, and
every client, whichever server it is on, sees every op in the same seq order."""

from __future__ import annotations

import random
from collections.abc import Callable

from tests.conftest import RedisServer, RunningServer
from tests.support import BoardClient, create_workshop, join


async def test_clients_on_two_servers_see_every_op_in_the_same_order(
    make_server: Callable[..., RunningServer], postgres_url: str, redis_url: str
) -> None:
    servers = [make_server(database_url=postgres_url, broker_url=redis_url) for _ in range(2)]
    workshop = await create_workshop(servers[0].base_url)
    clients = [
        await BoardClient(servers[i % 2].ws_url, workshop.main, await join(workshop)).connect()
        for i in range(6)
    ]
    rng = random.Random(5)
    sent = [
        (client, await client.create_note(f"n{i}", text=f"{i}"))
        for i, client in enumerate(rng.choices(clients, k=20))
    ]
    for client in clients:
        await client.wait_seq(20)
    for i in range(20, 80):  # concurrent edits from both servers to the same notes
        client = rng.choice(clients)
        update = {"kind": "update", "id": f"n{rng.randrange(20)}", "props": {"text": f"edit {i}"}}
        sent.append((client, await client.op(update)))
    seqs = [await client.wait_acked(op_id) for client, op_id in sent]
    assert sorted(seqs) == list(range(1, 81))
    for client in clients:
        await client.wait_seq(80)
    assert all(client.seqs_applied == list(range(1, 81)) for client in clients)
    assert all(client.objects == clients[0].objects for client in clients)


async def test_cursors_and_presence_cross_servers(
    make_server: Callable[..., RunningServer], postgres_url: str, redis_url: str
) -> None:
    servers = [make_server(database_url=postgres_url, broker_url=redis_url) for _ in range(2)]
    workshop = await create_workshop(servers[0].base_url)
    here = await BoardClient(servers[0].ws_url, workshop.main, await join(workshop)).connect()
    there = await BoardClient(servers[1].ws_url, workshop.main, await join(workshop)).connect()
    await here.wait_for(lambda: any(m["type"] == "presence" and m["count"] == 2 for m in here.received))
    await there.send({"type": "cursor", "x": 12.5, "y": -3})
    await here.wait_for(
        lambda: any(
            m["type"] == "cursors" and [there.welcome["you"]["cid"], 12.5, -3] in m["moved"]
            for m in here.received
        )
    )


async def test_a_server_that_missed_publications_catches_up_from_the_store(
    make_server: Callable[..., RunningServer], postgres_url: str, redis_url: str, redis_server: RedisServer
) -> None:
    """Redis down: publications are lost. Each server still commits; once Redis is back (or
    at the latest on the next head poll) the other server fills the gap from the store."""
    servers = [make_server(database_url=postgres_url, broker_url=redis_url) for _ in range(2)]
    workshop = await create_workshop(servers[0].base_url)
    writer = await BoardClient(servers[0].ws_url, workshop.main, await join(workshop)).connect()
    reader = await BoardClient(servers[1].ws_url, workshop.main, await join(workshop)).connect()
    await writer.wait_acked(await writer.create_note("before"))
    await reader.wait_seq(1)
    redis_server.stop()
    try:
        for i in range(5):
            await writer.wait_acked(await writer.create_note(f"during{i}"))
    finally:
        redis_server.start()
    await reader.wait_seq(6)
    assert reader.seqs_applied == list(range(1, 7))
    assert set(reader.notes()) == {"before", *(f"during{i}" for i in range(5))}


async def test_a_paste_from_a_board_another_server_wrote_to_a_moment_ago_is_a_copy(
    make_server: Callable[..., RunningServer], postgres_url: str, redis_url: str, redis_server: RedisServer
) -> None:
    """Server B has board 1 open, but missed the note server A just wrote there (its
    publication lost): a paste of it on board 2 through B is checked against the stored board,
    not B's stale copy of it."""
    servers = [make_server(database_url=postgres_url, broker_url=redis_url) for _ in range(2)]
    workshop = await create_workshop(servers[0].base_url, breakouts=2)
    _, one, two = workshop.boards
    writer = await BoardClient(servers[0].ws_url, one, await join(workshop)).connect()
    paster = await join(workshop)
    watching = await BoardClient(servers[1].ws_url, one, paster).connect()
    pasting = await BoardClient(servers[1].ws_url, two, paster).connect()
    redis_server.stop()
    try:
        await writer.wait_acked(await writer.create_note("lib", text="Library drop-in"))
        assert "lib" not in watching.objects, "server B has not heard of it"
        copy = {"type": "note", "id": "copy", "x": 0, "y": 0, "origin": {"id": "lib", "board": 1}}
        await pasting.wait_acked(await pasting.op({"kind": "create", "obj": copy}))
    finally:
        redis_server.start()
    assert pasting.objects["copy"]["origin"] == {"id": "lib", "board": 1}
    for client in (writer, watching, pasting):
        await client.close()
