"""Compressed snapshots (docs/protocol.md, "Compressed snapshots"): a big board reaches a client
that can inflate it in a fraction of its bytes, and the client ends exactly where one sent the
JSON text does, even when the compressed snapshot kept by the server is some ops behind."""

from __future__ import annotations

import json

from tests.conftest import RunningServer
from tests.support import BoardClient, create_workshop, join

WORDS = "bus stop library youth club park bench flooding market town carers support".split()


async def _fill(facilitator: BoardClient, count: int) -> None:
    """`count` notes of several words: a snapshot of tens of kilobytes."""
    ops = [
        {
            "kind": "create",
            "obj": {
                "type": "note",
                "id": f"n{i}",
                "x": float(i % 40) * 230,
                "y": float(i // 40) * 230,
                "text": " ".join(WORDS[(i + k) % len(WORDS)] for k in range(8)),
            },
        }
        for i in range(count)
    ]
    await facilitator.wait_acked(await facilitator.op({"kind": "batch", "ops": ops}))


async def test_a_big_board_arrives_compressed_and_ends_as_the_text_one(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    facilitator = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    await _fill(facilitator, 400)

    plain = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    packed = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect(compressed=True)
    text_bytes = len(json.dumps(next(m for m in plain.received if m["type"] == "snapshot")))
    assert not plain.binary, "a client that did not ask is sent text"
    assert len(packed.binary) == 1
    assert len(packed.binary[0]) * 4 < text_bytes, "compressed to under a quarter"
    assert packed.objects == plain.objects

    # The server keeps the compressed snapshot it made: a joiner after more edits is sent it
    # and then the ops since, and ends at the head with the same board.
    for i in range(3):
        await facilitator.wait_acked(
            await facilitator.op({"kind": "update", "id": f"n{i}", "props": {"text": f"changed {i}"}})
        )
    late = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect(compressed=True)
    await plain.wait_seq(facilitator.seq)
    assert late.binary == packed.binary
    kinds = [message["type"] for message in late.received]
    assert kinds[:3] == ["welcome", "snapshot", "ops"]
    assert late.seq == facilitator.seq
    assert late.objects == plain.objects
    assert late.objects["n0"]["text"] == "changed 0"
    for client in (facilitator, plain, packed, late):
        await client.close()


async def test_a_participant_with_private_notes_gets_them_in_a_text_snapshot(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    facilitator = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    await _fill(facilitator, 400)
    await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"private_mode": True}}))
    token = await join(workshop)
    author = await BoardClient(server.ws_url, workshop.main, token).connect(compressed=True)
    await author.wait_acked(await author.create_note("mine", text="only me"))
    await author.close()

    again = await BoardClient(server.ws_url, workshop.main, token).connect(compressed=True)
    other = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect(compressed=True)
    assert again.objects["mine"]["text"] == "only me"
    assert "mine" not in other.objects
    assert len(again.notes()) == len(other.notes()) + 1
    for client in (facilitator, again, other):
        await client.close()
