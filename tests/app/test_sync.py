"""The sync promises of DESIGN.md §3, over real websockets on loopback."""

from __future__ import annotations

import asyncio
import random

from tests.conftest import RunningServer
from tests.support import BoardClient, create_workshop, join


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
