"""[P2] Ack means durable: a server process killed with SIGKILL while clients write (20 times
in a row on SQLite, 5 on PostgreSQL) loses no acknowledged op, and applies none twice once
clients reconnect and resend."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import ServerProcess
from tests.support import BoardClient, create_workshop, join, reconnect_until_back, write

WRITERS = 3


async def op_log_counts(database_url: str) -> tuple[list[tuple[object, ...]], int]:
    """(ops stored more than once, ops stored) straight from the database."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            repeated = await connection.execute(
                text(
                    "SELECT participant_id, op_id, COUNT(*) FROM ops"
                    " GROUP BY participant_id, op_id HAVING COUNT(*) > 1"
                )
            )
            logged = await connection.scalar(text("SELECT COUNT(*) FROM ops WHERE op_id IS NOT NULL"))
            return [tuple(row) for row in repeated], int(logged or 0)
    finally:
        await engine.dispose()


@pytest.mark.parametrize(("database", "kills"), [("sqlite_url", 20), ("postgres_url", 5)])
async def test_sigkill_under_load_loses_no_acked_op_and_duplicates_none(
    server_process: Callable[..., ServerProcess], request: pytest.FixtureRequest, database: str, kills: int
) -> None:
    database_url: str = request.getfixturevalue(database)
    process = server_process(database_url=database_url)
    workshop = await create_workshop(process.base_url)
    writers = [
        await BoardClient(process.ws_url, workshop.main, await join(workshop)).connect()
        for _ in range(WRITERS)
    ]
    rng = random.Random(11)
    in_flight = 0
    for kill in range(kills):
        stop = asyncio.Event()
        tasks = [asyncio.create_task(write(c, f"k{kill}w{n}", stop, rng)) for n, c in enumerate(writers)]
        await asyncio.sleep(rng.uniform(0.3, 0.8))
        process.kill()
        stop.set()
        await asyncio.gather(*tasks)
        in_flight += sum(len(client.outbox) for client in writers)
        process.start()
        for client in writers:
            await reconnect_until_back(client)
    for client in writers:
        for op_id in list(client.outbox):
            await client.wait_acked(op_id)

    acked = sum(len(client.acks) for client in writers)
    assert acked > 50, "the clients really were writing when the server died"
    assert in_flight > 0, "some ops were unacknowledged when the server died, and were resent"
    observer = await BoardClient(process.ws_url, workshop.main, await join(workshop)).connect()
    notes = observer.notes()
    expected = {client.sent[op_id]["op"]["obj"]["id"] for client in writers for op_id in client.acks}
    assert expected <= set(notes), "every acknowledged note survived"
    repeated, logged = await op_log_counts(database_url)
    assert repeated == []
    assert logged == acked == len(notes), "one op in the log per acked op, one note per op"
    for client in writers:
        assert client.errors == [], "no resend was refused as a conflict: each was deduplicated"
        await client.wait_seq(observer.seq)
        assert {k: v for k, v in client.objects.items() if k != "__settings__"} == {
            k: v for k, v in observer.objects.items() if k != "__settings__"
        }
