"""Compressed snapshots (docs/protocol.md, "Compressed snapshots"): a big board reaches a client
that can inflate it in a fraction of its bytes, and the client ends exactly where one sent the
JSON text does, even when the compressed snapshot kept by the server is some ops behind."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import msgspec

from board.core.model import Settings
from tests.conftest import RunningServer
from tests.support import BoardClient, create_workshop, join

WORDS = "bus stop library youth club park bench flooding market town carers support".split()


def _board(client: BoardClient) -> dict[str, Any]:
    """The objects a client holds and its settings, with defaults filled in: a snapshot names
    only settings that differ from them, an `ops` frame names what changed."""
    objects = dict(client.objects)
    defaults = {name: getattr(Settings(), name) for name in Settings.__struct_fields__}
    settings = msgspec.to_builtins({**defaults, **objects.pop("__settings__")})
    return {**objects, "__settings__": settings}


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


async def test_a_participant_with_private_notes_gets_the_shared_compressed_snapshot_and_their_own(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    """In private mode a participant is sent the compressed snapshot everyone gets, then their
    own notes as they are at the head, ending exactly where a client sent the text does, even
    when the kept snapshot predates their edits or private mode ended since."""
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url)
    facilitator = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    await _fill(facilitator, 400)
    await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"private_mode": True}}))
    token = await join(workshop)
    author = await BoardClient(server.ws_url, workshop.main, token).connect(compressed=True)
    await author.wait_acked(await author.create_note("mine", text="only me"))
    await author.wait_acked(await author.create_note("gone", text="soon deleted"))
    # Another participant joins: the server compresses and keeps the shared snapshot now.
    other = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect(compressed=True)
    await author.wait_acked(
        await author.op({"kind": "update", "id": "mine", "props": {"text": "only me, edited"}})
    )
    await author.wait_acked(await author.op({"kind": "delete", "id": "gone"}))
    await author.wait_acked(await author.create_note("later", text="after the snapshot"))
    await author.close()

    async def both_ways() -> tuple[BoardClient, BoardClient]:
        packed = await BoardClient(server.ws_url, workshop.main, token).connect(compressed=True)
        plain = await BoardClient(server.ws_url, workshop.main, token).connect()
        await packed.wait_for(lambda: any(m["type"] == "own" for m in packed.received))
        assert packed.binary == other.binary, "the snapshot every participant is sent"
        assert not plain.binary
        assert _board(packed) == _board(plain)
        return packed, plain

    again, plain = await both_ways()
    assert [m["type"] for m in again.received][:4] == ["welcome", "snapshot", "ops", "own"]
    assert again.objects["mine"]["text"] == "only me, edited"
    assert "gone" not in again.objects
    assert "later" in again.objects
    assert len(again.notes()) == len(other.notes()) + 2
    assert "mine" not in other.objects
    assert "later" not in other.objects

    # Private mode ends: the kept snapshot lacks the author's notes and the ops since reveal
    # them to the author as patches; the `own` frame holds them.
    await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"private_mode": False}}))
    await other.wait_seq(facilitator.seq)
    revealed, _ = await both_ways()
    assert revealed.objects["mine"] == other.objects["mine"]
    assert revealed.objects["mine"]["text"] == "only me, edited"
    for client in (facilitator, again, plain, revealed, other):
        await client.close()
