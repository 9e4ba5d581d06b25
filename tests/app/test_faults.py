"""Faults under load (issue 7): the database dropping its connections, Redis dying and coming
back, a room full of clients reconnecting at once after a restart. Each time every
acknowledged op survives, none is applied twice, and every client ends with the same board."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.app.test_crash import op_log_counts
from tests.conftest import RedisServer, RunningServer, ServerProcess
from tests.support import BoardClient, create_workshop, join, reconnect_until_back, write


async def settle(clients: list[BoardClient]) -> None:
    """Bring every client back (if its socket closed) until all its ops are acknowledged."""
    for _ in range(50):
        for client in clients:
            if client._reader is None or client._reader.done():
                await reconnect_until_back(client)
        try:
            for client in clients:
                for op_id in list(client.outbox):
                    await client.wait_acked(op_id)
            return
        except AssertionError:
            continue
    raise AssertionError("the clients never settled")


async def assert_converged(clients: list[BoardClient], observer: BoardClient) -> None:
    # A process that lost publications while Redis was away catches up from the store (on
    # the broker's reconnect, or within HEAD_POLL): the observer waits for the last acked op.
    await observer.wait_seq(max(seq for client in clients for seq in client.acks.values()))
    notes = observer.notes()
    for client in clients:
        acked = {client.sent[op_id]["op"]["obj"]["id"] for op_id in client.acks}
        assert acked <= set(notes), "every acknowledged note is on the board"
        assert client.errors == [], "no resend was applied twice (it would be refused as a conflict)"
        await client.wait_seq(observer.seq)
        assert client.notes() == notes


async def terminate_connections(database_url: str) -> int:
    """Kill every server connection to this database, as a PostgreSQL restart or failover
    would."""
    name = database_url.rsplit("/", 1)[1]
    admin = create_async_engine(database_url.rsplit("/", 1)[0] + "/postgres")
    try:
        async with admin.connect() as connection:
            killed = await connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name},
            )
            return len(killed.all())
    finally:
        await admin.dispose()


async def test_database_connections_dropped_under_load_lose_nothing(
    make_server: Callable[..., RunningServer], postgres_url: str
) -> None:
    server = make_server(database_url=postgres_url)
    workshop = await create_workshop(server.base_url)
    writers = [
        await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect() for _ in range(3)
    ]
    rng = random.Random(3)
    for _round in range(3):
        stop = asyncio.Event()
        tasks = [asyncio.create_task(write(c, f"r{_round}w{n}", stop, rng)) for n, c in enumerate(writers)]
        await asyncio.sleep(0.4)
        assert await terminate_connections(postgres_url) > 0
        await asyncio.sleep(0.3)
        stop.set()
        await asyncio.gather(*tasks)
        await settle(writers)
    observer = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    assert sum(len(c.acks) for c in writers) > 30
    await assert_converged(writers, observer)


def sync_notices(client: BoardClient) -> list[bool]:
    """What the server told this client about its broker: True for "changes from others may
    be delayed", False for "back"."""
    return [m["delayed"] for m in client.received if m["type"] == "notice" and m.get("kind") == "sync"]


async def test_redis_dying_under_load_delays_but_loses_nothing_across_servers(
    server_process: Callable[..., ServerProcess], postgres_url: str, redis_url: str, redis_server: RedisServer
) -> None:
    """Two server processes on one Redis; Redis is killed while everyone writes. Each process
    tells its sockets (a `sync` notice, shown as "reconnecting: changes from others may be
    delayed") and keeps its boards converging from the store until Redis is back, then says
    so. Nothing acknowledged is lost, nothing is applied twice."""
    servers = [server_process(database_url=postgres_url, broker_url=redis_url) for _ in range(2)]
    workshop = await create_workshop(servers[0].base_url)
    writers = [
        await BoardClient(servers[n % 2].ws_url, workshop.main, await join(workshop)).connect()
        for n in range(4)
    ]
    watchers = [
        await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect() for server in servers
    ]
    everyone = writers + watchers
    stop = asyncio.Event()
    rng = random.Random(4)
    tasks = [asyncio.create_task(write(c, f"w{n}", stop, rng)) for n, c in enumerate(writers)]
    await asyncio.sleep(0.4)
    redis_server.stop()
    try:
        for client in everyone:
            await client.wait_for(lambda c=client: sync_notices(c) == [True])
        await asyncio.sleep(0.8)  # writing on, with no broker between the processes
        stop.set()
        await asyncio.gather(*tasks)
        await settle(writers)
        # Still without Redis, each process reads the other's ops from the store.
        await assert_converged(writers, watchers[0])
        await assert_converged(writers, watchers[1])
        assert all(sync_notices(c) == [True] for c in everyone), "no all-clear while Redis is down"
    finally:
        redis_server.start()
    for client in everyone:
        await client.wait_for(lambda c=client: sync_notices(c) == [True, False])
    late = await BoardClient(servers[1].ws_url, workshop.main, await join(workshop)).connect()
    assert sync_notices(late) == [], "a socket arriving once Redis is back is told nothing"
    for n, client in enumerate(writers):  # and publications flow again
        await client.wait_acked(await client.create_note(f"after{n}"))
    await assert_converged(writers, late)
    orders = [c.seqs_applied for c in everyone]
    assert all(order == sorted(set(order)) for order in orders), "each client applied seqs once, in order"
    repeated, logged = await op_log_counts(postgres_url)
    assert repeated == []
    assert logged == sum(len(c.acks) for c in writers), "one op in the log per acknowledged op"


async def reconnect_with_backoff(client: BoardClient, rng: random.Random) -> int:
    """What the browser does (docs/protocol.md): exponential backoff from 0.25 s, capped, with
    ±50 % jitter so a room does not return all at once. Returns the attempts it took."""
    for attempt in range(1, 30):
        await asyncio.sleep(min(0.25 * 2 ** (attempt - 1), 4.0) * rng.uniform(0.5, 1.5))
        try:
            await client.reconnect()
            return attempt
        except (OSError, AssertionError, TimeoutError):
            continue
    raise AssertionError("never got back in")


async def test_three_hundred_clients_reconnecting_after_a_restart_all_get_back_in(
    server_process: Callable[..., ServerProcess],
) -> None:
    process = server_process()
    workshop = await create_workshop(process.base_url)
    clients = [
        await BoardClient(process.ws_url, workshop.main, await join(workshop)).connect() for _ in range(300)
    ]
    sent = [await clients[0].create_note(f"before{i}", text=f"{i}") for i in range(20)]
    await clients[0].wait_acked(sent[-1])
    process.stop()  # a graceful restart: uvicorn closes every socket with 1012
    process.start()
    rng = random.Random(300)
    attempts = await asyncio.gather(*(reconnect_with_backoff(client, rng) for client in clients))
    writer = clients[7]
    await writer.wait_acked(await writer.create_note("after", text="back"))
    for client in clients:
        await client.wait_seq(21)
        assert set(client.notes()) == {*(f"before{i}" for i in range(20)), "after"}
    assert max(attempts) < 10
    async with httpx.AsyncClient(base_url=process.base_url) as http:
        assert (await http.get("/healthz")).json()["status"] == "ok"
