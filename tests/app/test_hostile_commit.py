"""[P7] A hostile participant against the newest engine changes (issue 19), over loopback with
only docs/protocol.md: the SQLite group commit now runs on the event loop's thread and looks
resends up by `(participant, op id)` pairs (`store/sqlite_writer.py`), and the fan-out is paced
by its own cost (`sync/room.py`, `FanOutCost`). What test_hostile.py and test_hostile_budgets.py
already try (NUL and noncharacters in each field, a lone surrogate in a note's text, frames past
the hard limit, cursor floods) is not repeated here.

On SQLite and on PostgreSQL (one server per store for the module, `test_hostile.store`, its log
watched for tracebacks), the strings a hostile client can put where a string goes are refused
with their field named, and every op accepted before and around them, theirs and others', is
in the database afterwards; odd op ids are stored as given and a resend of each is found again.
A flood of ops is refused for rate while someone else's edits reach every socket in order."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import httpx
from sqlalchemy import select
from websockets.exceptions import ConnectionClosed

from board.core.limits import LIMITS
from board.store import tables
from tests.app.test_hostile import Board, Store, board, note, store
from tests.conftest import RunningServer
from tests.support import BoardClient, create_workshop, join, rows

__all__ = ["board", "store"]  # test_hostile's fixtures: its servers, one per store, and a board


async def stored(store: Store, board_id: str) -> tuple[set[tuple[str, int]], set[str]]:
    """What the database holds for a board: its logged ops as (op id, seq), and its objects' ids."""
    url = store.server.settings.database_url
    ops, objects = tables.ops, tables.objects
    logged = await rows(url, select(ops.c.op_id, ops.c.seq).where(ops.c.board_id == board_id))
    held = await rows(url, select(objects.c.id).where(objects.c.board_id == board_id))
    return {(op_id, seq) for op_id, seq in logged}, {oid for (oid,) in held}


async def raw_error(client: BoardClient, frame: str) -> dict[str, Any]:
    """Send a frame as it is written and wait for the error it gets."""
    assert client.ws is not None
    count = len(client.errors)
    await client.ws.send(frame)
    return await client.wait_error(count + 1)


NESTED = 5_000
"""Lists nested in a text field: past what either JSON reader follows (about 1,000), and small
enough that the frames of the test stay within the socket's byte burst (`socket_bytes_burst`)
with the million-character note, so none is dropped for rate."""


def update(oid: str, text: str) -> dict[str, Any]:
    return {"kind": "update", "id": oid, "props": {"text": text}}


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


async def test_hostile_strings_are_refused_by_field_and_every_op_accepted_around_them_is_stored(
    store: Store, board: Board
) -> None:
    """A lone surrogate in an op id, in a batch's note and in a category, a note of a million
    characters and a text nested 5,000 lists deep, each sent while the bystander's ops are
    committed around them: each is refused naming its field, on a socket that stays open."""
    hostile, bystander = board.hostile, board.bystander
    accepted = [await hostile.create_note("h-before"), await bystander.create_note("b-before")]
    nested_text = '{"type":"note","id":"d","x":0,"y":0,"text":' + deep(NESTED) + "}"
    hostile_frames = [
        (
            '{"type":"op","id":"\\ud800","op":{"kind":"delete","id":"h-before"}}',
            ("bad_character", "id", None),
        ),
        (
            '{"type":"op","id":"half","op":{"kind":"batch","ops":[{"kind":"create","obj":'
            '{"type":"note","id":"b1","x":0,"y":0}},{"kind":"create","obj":'
            '{"type":"note","id":"b2","x":0,"y":0,"text":"a\\udfffb"}}]}}',
            ("bad_character", "op.ops[1].obj.text", "half"),
        ),
        (
            '{"type":"op","id":"cat","op":{"kind":"create","obj":'
            '{"type":"note","id":"c","x":0,"y":0,"category":"\\udbff"}}}',
            ("bad_character", "op.obj.category", "cat"),
        ),
        (
            json.dumps({"type": "op", "id": "mega", "op": note("m", text="x" * 1_000_000)}),
            ("too_large", "", None),
        ),
        (
            '{"type":"op","id":"deep","op":{"kind":"create","obj":' + nested_text + "}}",
            ("wrong_type", "op.obj.text"),
        ),
    ]
    assert LIMITS.max_frame_bytes < len(hostile_frames[3][0]) < LIMITS.hard_frame_bytes, "refused, not closed"
    assert sum(len(frame) for frame, _ in hostile_frames) < LIMITS.socket_bytes_burst - 1000
    for i, (frame, expected) in enumerate(hostile_frames):
        accepted.append(await bystander.create_note(f"b-during-{i}"))
        error = await raw_error(hostile, frame)
        assert (error["code"], error["field"], error["id"])[: len(expected)] == expected, error
        assert error["message"], "a rule a person can read"
    accepted += [await hostile.create_note("h-after"), await bystander.create_note("b-after")]
    seqs = {op_id: await client.wait_acked(op_id) for client in (hostile, bystander) for op_id in client.sent}
    assert set(seqs) == set(accepted)

    logged, objects = await stored(store, board.workshop.main)
    assert set(seqs.items()) <= logged, "every accepted op is in the log, at its seq"
    notes = {"h-before", "b-before", "h-after", "b-after", *(f"b-during-{i}" for i in range(5))}
    assert notes <= objects
    assert not {"b1", "b2", "c", "m", "d"} & objects, "nothing of a refused op"


async def test_a_key_with_half_a_surrogate_pair_is_refused_naming_it_and_the_socket_stays_open(
    store: Store, board: Board
) -> None:
    """A field *name* escaping half a surrogate pair (`{"\\ud800": 1}`) cannot be echoed back as
    UTF-8: the error names it by its code point. It used to take the socket down (and a request
    body with one, the HTTP connection), with a traceback."""
    hostile = board.hostile
    await hostile.wait_acked(await hostile.create_note("kept"))
    error = await raw_error(
        hostile, '{"type":"op","id":"key","op":{"kind":"update","id":"kept","props":{"\\ud800":1}}}'
    )
    assert (error["code"], error["field"], error["id"]) == ("bad_character", "op.props.U+D800", "key")
    assert "U+D800" in error["message"]
    error = await raw_error(hostile, '{"type":"cursor","x":1,"y":1,"a\\udc00":2}')
    assert (error["code"], error["field"], error["id"]) == ("bad_character", "aU+DC00", None)
    await hostile.wait_acked(await hostile.create_note("after"))
    async with httpx.AsyncClient(base_url=store.server.base_url) as http:
        response = await http.post(
            "/api/workshops",
            content=b'{"title": "t", "\\ud800": 1}',
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 400
    assert (response.json()["error"]["code"], response.json()["error"]["field"]) == (
        "bad_character",
        "U+D800",
    )


ODD_OP_IDS = [
    "'); DROP TABLE ops; --",
    '"quoted" and \\back\\slashed',
    "%_*?[]",
    "(?, ?)",
    "column1",
    " ",
    "x",
    "x ",
    "X",
    "\u00e9",  # é, one code point
    "e\u0301",  # é, a letter and a combining accent: another id
    "\u202eevil",
    "\u2028\u2029",
    "tab\tline\nreturn\r",
    "🎉" * LIMITS.max_op_id_length,  # 64 characters, 256 bytes of UTF-8
    "ŵ" * LIMITS.max_op_id_length,
]
"""Op ids a client may send (1-64 characters under the rule for every string), chosen to catch
a store that builds SQL from them, collates, trims or normalises them, or counts bytes."""


async def test_odd_op_ids_are_each_stored_as_sent_and_a_resend_of_each_is_acked_with_its_first_seq(
    store: Store, board: Board
) -> None:
    """Every group commit asks the store which of its (participant, op id) pairs are logged
    already; on SQLite that lookup now runs on the loop's thread as a list of pairs. Each odd id
    is its own op, another participant's op with the same id is theirs, and resending them all
    after a reconnect applies none again."""
    hostile, bystander = board.hostile, board.bystander
    for i, op_id in enumerate(ODD_OP_IDS):
        await hostile.op(note(f"n{i}"), op_id=op_id)
    first = {op_id: await hostile.wait_acked(op_id) for op_id in ODD_OP_IDS}
    assert len(set(first.values())) == len(ODD_OP_IDS), "each id its own op"
    theirs = {
        op_id: await bystander.wait_acked(await bystander.op(note(f"t{i}"), op_id=op_id))
        for i, op_id in enumerate(ODD_OP_IDS)
    }
    assert not set(theirs.values()) & set(first.values()), "the same ids from someone else are their ops"

    await hostile.drop()
    await hostile.connect(since=hostile.seq)
    hostile.acks.clear()
    for i, op_id in enumerate(ODD_OP_IDS):
        await hostile.op(note(f"n{i}"), op_id=op_id)
    again = {op_id: await hostile.wait_acked(op_id) for op_id in ODD_OP_IDS}
    assert again == first, "a resend is acked with its first seq"
    head = max(theirs.values())
    assert await board.facilitator.wait_acked(await board.facilitator.create_note("control")) == head + 1, (
        "and nothing was applied twice"
    )
    logged, _ = await stored(store, board.workshop.main)
    assert {*first.items(), *theirs.items()} <= logged, "each stored as sent, at its seq"


# -- the fan-out, paced by its cost, under a flood of ops ----------------------------------------------

EDITS = 40
"""Edits someone else makes, one after another, while the flood goes on."""
MOST_EDITS = LIMITS.message_burst - 10
"""Past these the flood was never closed, and the test fails: fewer than a socket may send at
once, so the rate limit never refuses an edit, however quickly they follow one another."""


def texts_seen(client: BoardClient, oid: str) -> list[str]:
    """Every text the object was given, in the order the socket was sent them."""
    seen = []
    for message in client.received:
        if message["type"] == "ops":
            for entry in message["ops"]:
                for change in entry["changes"]:
                    if change.get("id") == oid and "text" in change.get("props", {}):
                        seen.append(change["props"]["text"])
    return seen


async def test_a_flood_of_ops_is_refused_for_rate_while_anothers_edits_reach_every_socket_in_order(
    server: RunningServer,
) -> None:
    """Ops sent as fast as the socket takes them, and again on a new socket each time the server
    closes one: the rate limit refuses them with `rate_limited` (then 1008), while another
    participant's edits, made one after another meanwhile, are each acknowledged and reach
    every socket on the board in the order they were made. What the flood got acknowledged is
    on the board, and nothing else of it."""
    workshop = await create_workshop(server.base_url)
    flooder = await join(workshop)
    editor = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    watchers = [
        editor,
        await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect(),
        await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect(),
    ]
    await editor.wait_acked(await editor.create_note("edited", text="0"))
    done = asyncio.Event()
    floods: list[BoardClient] = []

    async def flood() -> None:
        sent = 0
        while not done.is_set():
            socket = await BoardClient(server.ws_url, workshop.main, flooder).connect()
            floods.append(socket)
            with contextlib.suppress(ConnectionClosed):
                while not done.is_set():
                    sent += 1  # a note id never sent twice, even when its send fails
                    await socket.create_note(f"f{sent}")
                    if sent % 50 == 0:
                        await asyncio.sleep(0)  # the other sockets of this test read meanwhile
            await socket.close()

    def closed_as_floods() -> int:
        return sum(1 for socket in floods if socket.ws is not None and socket.ws.close_code == 1008)

    flooding = asyncio.create_task(flood())
    await asyncio.sleep(0)
    acked: list[int] = []
    # At least EDITS, and on until the flood has had two sockets closed: edits before, between
    # and after the server's refusals, however fast this machine sends.
    while (len(acked) < EDITS or closed_as_floods() < 2) and len(acked) < MOST_EDITS:
        acked.append(await editor.wait_acked(await editor.op(update("edited", str(len(acked) + 1)))))
    done.set()
    await flooding
    assert closed_as_floods() >= 2, "a socket that keeps on flooding is closed (1008)"
    assert acked == sorted(acked), "each edit committed after the one before"

    control = await watchers[2].wait_acked(await watchers[2].create_note("control"))
    for watcher in watchers:
        await watcher.wait_seq(control)
        assert texts_seen(watcher, "edited") == [str(i) for i in range(1, len(acked) + 1)], (
            "every edit, in order"
        )
        assert watcher.errors == []
    refused = [e for socket in floods for e in socket.errors]
    assert refused, "the flood was refused"
    assert {(e["code"], e["id"]) for e in refused} == {("rate_limited", None)}
    assert all(e["message"] for e in refused)
    flooded = {oid for oid in watchers[2].notes() if oid.startswith("f")}
    for socket in floods[:-1]:  # each closed by the server, after the acks of what it kept
        made = {message["op"]["obj"]["id"]: op_id for op_id, message in socket.sent.items()}
        assert {oid for oid, op_id in made.items() if op_id in socket.acks} == flooded & set(made)
    last = {message["op"]["obj"]["id"] for message in floods[-1].sent.values()}
    acked_last = {floods[-1].sent[op_id]["op"]["obj"]["id"] for op_id in floods[-1].acks}
    assert acked_last <= flooded & last, "and of the socket still open at the end, what was acked"
    for watcher in watchers:
        await watcher.close()
