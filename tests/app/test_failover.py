"""[P6] Failover (issue 7): two server processes on one PostgreSQL and one Redis, clients spread
over both and writing; one process is killed with SIGKILL. Its clients reconnect to the other,
resume from their last seq and resend their outbox: every acknowledged op is there once, and
every client, whichever server it ended on, holds the same board, having applied the same
seqs, 1 to the head, each once and in order."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable

from tests.app.test_crash import op_log_counts
from tests.conftest import ServerProcess
from tests.support import BoardClient, create_workshop, join, reconnect_until_back, write

PER_SERVER = 3


async def test_clients_of_a_killed_process_resume_on_the_other_with_nothing_lost(
    server_process: Callable[..., ServerProcess], postgres_url: str, redis_url: str
) -> None:
    doomed, survivor = (server_process(database_url=postgres_url, broker_url=redis_url) for _ in range(2))
    workshop = await create_workshop(survivor.base_url)
    clients = {
        process.port: [
            await BoardClient(process.ws_url, workshop.main, await join(workshop)).connect()
            for _ in range(PER_SERVER)
        ]
        for process in (doomed, survivor)
    }
    everyone = [client for group in clients.values() for client in group]
    rng = random.Random(7)
    stop = asyncio.Event()
    writing = [asyncio.create_task(write(c, f"w{n}", stop, rng)) for n, c in enumerate(everyone)]
    await asyncio.sleep(0.6)
    doomed.kill()
    await asyncio.sleep(0.2)  # the survivors' clients keep writing while the others are away
    stop.set()
    await asyncio.gather(*writing)
    orphans = clients[doomed.port]
    unacked_when_killed = sum(len(client.outbox) for client in orphans)

    for client in orphans:
        client.url = survivor.ws_url  # as a load balancer would route the reconnect
        await reconnect_until_back(client)
    for client in everyone:
        for op_id in list(client.outbox):
            await client.wait_acked(op_id)

    acked = sum(len(client.acks) for client in everyone)
    assert sum(len(client.acks) for client in orphans) > 10, "the killed process's clients were writing"
    assert unacked_when_killed > 0, "some of their ops were in flight when it died, and were resent"
    repeated, logged = await op_log_counts(postgres_url)
    assert repeated == []
    assert logged == acked, "one op in the log per acknowledged op"
    observer = await BoardClient(survivor.ws_url, workshop.main, await join(workshop)).connect()
    expected = {client.sent[op_id]["op"]["obj"]["id"] for client in everyone for op_id in client.acks}
    assert set(observer.notes()) == expected
    for client in everyone:
        assert client.errors == []
        await client.wait_seq(observer.seq)
        assert client.notes() == observer.notes()
    # One order, whichever process each client was on and however it came back: every client
    # applied exactly seqs 1..head, each once, in order (a resume is ops, never a gap).
    orders = {tuple(client.seqs_applied) for client in everyone}
    assert orders == {tuple(range(1, observer.seq + 1))}, [
        (n, len(c.seqs_applied)) for n, c in enumerate(everyone)
    ]
    assert observer.seq == acked, "a seq per acknowledged op, no more"
    for client in everyone:
        await client.close()
    await observer.close()
