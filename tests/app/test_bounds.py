"""[P7] One test per bound in core/limits.py, over a real websocket: the message that breaks it
gets the documented error naming the field, the socket stays open, nothing is stored, and
nobody else on the board sees anything of it."""

from __future__ import annotations

import ast
import asyncio
import json
import random
import socket
import string
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from board.core.limits import LIMITS, describe
from board.core.model import Note
from board.settings import ServerSettings
from board.store.database import upgrade
from tests.conftest import ROOT, RunningServer, free_port, start_server
from tests.support import BoardClient, Workshop, create_workshop, join

L = LIMITS


def note(**props: Any) -> dict[str, Any]:
    return {"kind": "create", "obj": {"type": "note", "id": "n", "x": 0, "y": 0, **props}}


def obj(kind: str, **props: Any) -> dict[str, Any]:
    return {"kind": "create", "obj": {"type": kind, "id": "o", "x": 0, "y": 0, **props}}


def points(count: int) -> list[float]:
    return [float(i % 100) for i in range(2 * count)]


# (bound, the op that breaks it, by the facilitator?, error code, field)
CASES: list[tuple[str, dict[str, Any], bool, str, str]] = [
    (
        "max_id_length",
        {"kind": "create", "obj": {"type": "note", "id": "i" * (L.max_id_length + 1), "x": 0, "y": 0}},
        False,
        "too_long",
        "op.obj.id",
    ),
    ("max_note_text", note(text="x" * (L.max_note_text + 1)), False, "too_long", "op.obj.text"),
    ("max_text_text", obj("text", text="x" * (L.max_text_text + 1)), False, "too_long", "op.obj.text"),
    ("max_label_text", obj("shape", text="x" * (L.max_label_text + 1)), False, "too_long", "op.obj.text"),
    (
        "max_comment_text",
        {
            "kind": "create",
            "obj": {"type": "comment", "id": "c", "x": 0, "y": 0, "text": "x" * (L.max_comment_text + 1)},
        },
        False,
        "too_long",
        "op.obj.text",
    ),
    ("max_title_text", obj("frame", title="x" * (L.max_title_text + 1)), False, "too_long", "op.obj.title"),
    ("max_category_key", note(category="c" * (L.max_category_key + 1)), False, "too_long", "op.obj.category"),
    ("max_coordinate", note(x=L.max_coordinate * 1.5), False, "out_of_range", "op.obj.x"),
    ("min_note_size", note(w=L.min_note_size - 1), False, "out_of_range", "op.obj.w"),
    ("max_extent", obj("frame", w=L.max_extent + 1), False, "out_of_range", "op.obj.w"),
    (
        "max_stroke_points",
        obj("stroke", points=points(L.max_stroke_points + 1)),
        False,
        "too_many",
        "op.obj.points",
    ),
    (
        "min_stroke_width",
        obj("stroke", points=points(2), width=L.min_stroke_width / 2),
        False,
        "out_of_range",
        "op.obj.width",
    ),
    (
        "max_stroke_width",
        obj("stroke", points=points(2), width=L.max_stroke_width + 1),
        False,
        "out_of_range",
        "op.obj.width",
    ),
    ("min_font_size", obj("text", size=L.min_font_size - 1), False, "out_of_range", "op.obj.size"),
    ("max_font_size", obj("text", size=L.max_font_size + 1), False, "out_of_range", "op.obj.size"),
    (
        "max_batch_ops",
        {"kind": "batch", "ops": [note() for _ in range(L.max_batch_ops + 1)]},
        False,
        "too_many",
        "op.ops",
    ),
    (
        "max_vote_budget",
        {"kind": "settings", "props": {"vote_budget": L.max_vote_budget + 1}},
        True,
        "out_of_range",
        "op.props.vote_budget",
    ),
    (
        "max_timer_ms",
        {"kind": "timer", "action": "start", "ms": L.max_timer_ms + 1},
        True,
        "out_of_range",
        "op.ms",
    ),
    (
        "max_poll_text",
        {"kind": "create", "obj": {"type": "pollword", "id": "p", "text": "x" * (L.max_poll_text + 1)}},
        False,
        "too_long",
        "op.obj.text",
    ),
    (
        "max_poll_words",
        {"kind": "settings", "props": {"poll_words": L.max_poll_words + 1}},
        True,
        "out_of_range",
        "op.props.poll_words",
    ),
]

BYTE_RATE_TEST = "tests/app/test_hostile_budgets.py::test_big_frames_past_the_byte_rate_are_dropped_unread"
COVERED_ELSEWHERE = {
    "max_frame_bytes": "test_a_message_over_the_frame_limit_is_refused_unread",
    "hard_frame_bytes": "test_a_message_over_the_hard_limit_closes_the_socket_with_1009",
    "max_op_id_length": "test_an_over_long_op_id_is_refused",
    "max_boards": "tests/app/test_http.py::test_a_workshop_has_at_most_max_boards_breakout_boards",
    "max_objects_per_board": "test_a_full_board_refuses_creates_and_takes_no_copies_past_the_limit",
    "messages_per_second": "test_a_flood_is_refused_with_rate_limited_and_the_socket_stays_open",
    "message_burst": "test_a_flood_is_refused_with_rate_limited_and_the_socket_stays_open",
    "socket_bytes_per_second": BYTE_RATE_TEST,
    "socket_bytes_burst": BYTE_RATE_TEST,
    "max_outbox_bytes": "test_a_client_that_stops_reading_is_dropped_without_holding_up_others",
    "max_poll_entries": "tests/core/test_poll.py::test_one_person_gives_at_most_the_limit_of_answers",
    "max_message_text": (
        "tests/app/test_facilitation_boards.py::test_a_bad_selection_or_change_is_refused_naming_the_field"
    ),
    "max_board_bytes": (
        "tests/core/test_budget.py::test_a_board_past_its_bytes_refuses_what_adds_but_not_what_removes"
    ),
    "participant_bytes_per_minute": (
        "tests/app/test_hostile_budgets.py::test_a_participant_past_their_bytes_a_minute_is_refused_and_bystanders_carry_on"
    ),
    "workshop_bytes_per_minute": (
        "tests/core/test_budget.py::test_a_workshop_shares_one_budget_between_its_people"
    ),
}


def test_every_bound_has_a_test() -> None:
    tested = {bound for bound, *_ in CASES} | set(COVERED_ELSEWHERE)
    assert {name for name, _, _ in describe()} - tested == set()


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")
    }


@pytest.mark.parametrize("bound", sorted(COVERED_ELSEWHERE))
def test_each_test_named_for_a_bound_exists(bound: str) -> None:
    """A name here is `test_...` in this module or `path::test_...`: either way it must be a
    test that pytest collects, not a file or a name that has since gone."""
    named = COVERED_ELSEWHERE[bound]
    path, _, test = named.rpartition("::")
    where = ROOT / path if path else Path(__file__)
    assert where.is_file(), f"{bound}: {where} does not exist"
    assert test in defined_tests(where), f"{bound}: no test {test} in {where}"


@dataclass
class Board:
    server: RunningServer
    workshop: Workshop
    author: BoardClient
    watcher: BoardClient
    facilitator: BoardClient


@pytest.fixture(scope="module")
def bounds_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    url = f"sqlite+aiosqlite:///{Path(tmp_path_factory.mktemp('bounds')) / 'b.db'}"
    upgrade(url)
    running = start_server(ServerSettings(database_url=url, port=free_port(), secret_key="k"))
    yield running
    running.stop()


@pytest.fixture
async def board(bounds_server: RunningServer) -> AsyncIterator[Board]:
    workshop = await create_workshop(bounds_server.base_url)
    author = await BoardClient(bounds_server.ws_url, workshop.main, await join(workshop)).connect()
    watcher = await BoardClient(bounds_server.ws_url, workshop.main, await join(workshop)).connect()
    facilitator = await BoardClient(bounds_server.ws_url, workshop.main, workshop.facilitator_token).connect()
    yield Board(bounds_server, workshop, author, watcher, facilitator)
    for client in (author, watcher, facilitator):
        await client.close()


async def assert_nothing_happened(board: Board, sender: BoardClient) -> None:
    """The socket is still open and the board still at seq 0: the next valid op is seq 1, and
    it is the first thing the watcher is sent."""
    op_id = await sender.create_note("after", text="still here")
    assert await sender.wait_acked(op_id) == 1
    await board.watcher.wait_seq(1)
    ops_frames = [m for m in board.watcher.received if m["type"] == "ops"]
    assert [m["from"] for m in ops_frames] == [1]
    assert [m for m in board.watcher.received if m["type"] == "error"] == []


@pytest.mark.parametrize(("bound", "op", "as_facilitator", "code", "field"), CASES, ids=[c[0] for c in CASES])
async def test_breaking_a_bound_is_refused_with_the_documented_error(
    board: Board, bound: str, op: dict[str, Any], as_facilitator: bool, code: str, field: str
) -> None:
    sender = board.facilitator if as_facilitator else board.author
    op_id = await sender.op(op)
    error = await sender.wait_error()
    assert (error["code"], error["field"], error["id"]) == (code, field, op_id), error["message"]
    assert error["message"], "a rule a person can read"
    await assert_nothing_happened(board, sender)


async def test_a_message_over_the_frame_limit_is_refused_unread(board: Board) -> None:
    await board.author.op(note(text="x" * L.max_frame_bytes))
    error = await board.author.wait_error()
    assert (error["code"], error["id"]) == ("too_large", None)
    await assert_nothing_happened(board, board.author)


async def test_an_over_long_op_id_is_refused(board: Board) -> None:
    await board.author.op(note(), op_id="x" * (L.max_op_id_length + 1))
    error = await board.author.wait_error()
    assert (error["code"], error["field"]) == ("too_long", "id")
    await assert_nothing_happened(board, board.author)


async def test_a_message_over_the_hard_limit_closes_the_socket_with_1009(
    bounds_server: RunningServer,
) -> None:
    async with connect(bounds_server.ws_url, max_size=None) as ws:
        await ws.send("x" * (L.hard_frame_bytes + 1))
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009


async def test_a_flood_is_refused_with_rate_limited_and_the_socket_stays_open(board: Board) -> None:
    assert board.author.ws is not None
    cursor = json.dumps({"type": "cursor", "x": 1, "y": 2})
    for _ in range(L.message_burst + 50):
        await board.author.ws.send(cursor)
    error = await board.author.wait_error()
    assert error["code"] == "rate_limited"
    assert sum(1 for e in board.author.errors if e["code"] == "rate_limited") == 1, (
        "one error, not a flood of them"
    )
    await asyncio.sleep(L.message_burst / L.messages_per_second)
    await assert_nothing_happened(board, board.author)


async def test_a_client_that_stops_reading_is_dropped_without_holding_up_others(board: Board) -> None:
    """Slow-client policy: past max_outbox_bytes queued, the socket is closed with 1013 and
    the rest of the board carries on."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", board.server.settings.port))
    stalled = await connect(board.server.ws_url, sock=sock, max_size=None, max_queue=1)
    hello = {"type": "hello", "v": 1, "board": board.workshop.main, "token": await join(board.workshop)}
    await stalled.send(json.dumps(hello))
    await asyncio.sleep(0.2)
    stalled.transport.pause_reading()  # stop reading: the server's buffer to it fills up
    text = "".join(random.Random(3).choices(string.ascii_letters, k=L.max_note_text - 10))  # incompressible
    per_batch = L.max_frame_bytes // (len(text) + 100)  # each message within the frame limit
    # Past the bound, plus what the kernel's send buffer to it can hold (up to 4 MiB here).
    batches = (L.max_outbox_bytes + 6 * 2**20) // (per_batch * len(text)) + 1
    for b in range(batches):
        ops = [
            {"kind": "create", "obj": {"type": "note", "id": f"b{b}n{i}", "x": 0, "y": 0, "text": text}}
            for i in range(per_batch)
        ]
        op_id = await board.facilitator.op({"kind": "batch", "ops": ops})
        await board.facilitator.wait_acked(op_id)
        await board.watcher.wait_seq(b + 1)
    stalled.transport.resume_reading()

    async def read_until_closed() -> None:
        while True:
            await stalled.recv()

    with pytest.raises(ConnectionClosed) as closed:
        await asyncio.wait_for(read_until_closed(), 30)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1013


async def test_a_full_board_refuses_creates_and_takes_no_copies_past_the_limit(
    bounds_server: RunningServer,
) -> None:
    """A main board filled to `max_objects_per_board`: a participant's create gets
    `board_full` (naming the op, the socket stays open); a facilitator pulling a breakout
    board's notes into it copies none; nobody else is sent anything. The limit itself, and
    merges: `tests/core/test_bounds.py`."""
    server = bounds_server
    workshop = await create_workshop(server.base_url, breakouts=1)
    filler = [(Note(id=f"f{i}", x=0.0, y=0.0), None) for i in range(L.max_objects_per_board)]
    room = await server.call(server.services.hub.room(workshop.main))
    await server.call(room.adopt(filler))
    breakout = await BoardClient(server.ws_url, workshop.boards[1], await join(workshop)).connect()
    await breakout.wait_acked(await breakout.create_note("idea", text="to be pulled"))
    author = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    watcher = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    head = author.seq
    assert len(author.notes()) == L.max_objects_per_board

    op_id = await author.create_note("one-too-many")
    error = await author.wait_error()
    assert (error["code"], error["field"], error["id"]) == ("board_full", "op.obj", op_id)
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        pulled = await http.post(
            f"/api/workshops/{workshop.id}/pull",
            json={"boards": [1]},
            headers={"Authorization": f"Bearer {workshop.facilitator_token}"},
        )
    assert pulled.status_code == 200, pulled.text
    assert pulled.json()["pulled"] == {"1": 0}, "nothing copied past the limit"
    assert len(room.sequencer.state.objects) == L.max_objects_per_board

    facilitator = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    await facilitator.wait_acked(await facilitator.op({"kind": "delete", "id": "f0"}))
    assert await author.wait_acked(await author.create_note("room-again")) == head + 2, (
        "the refused create and the empty pull took no seq; the socket stayed open"
    )
    await watcher.wait_seq(head + 2)
    assert [m["from"] for m in watcher.received if m["type"] == "ops"] == [head + 1, head + 2]
    assert [m for m in watcher.received if m["type"] == "error"] == []
    for client in (breakout, author, watcher, facilitator):
        await client.close()


# -- refusals that are no bound: messages that make no sense, and another protocol version ----


@pytest.mark.parametrize(
    ("message", "field", "named"),
    [
        ({"type": "teleport", "to": "elsewhere"}, "type", False),
        ({"type": "op", "id": "k1", "op": {"kind": "explode", "id": "n"}}, "op.kind", True),
        (
            {"type": "op", "id": "k2", "op": {"kind": "create", "obj": {"type": "blob", "id": "b"}}},
            "op.obj.type",
            True,
        ),
    ],
    ids=["unknown type", "unknown op kind", "unknown object type"],
)
async def test_an_unknown_type_or_kind_is_refused_with_bad_message(
    board: Board, message: dict[str, Any], field: str, named: bool
) -> None:
    await board.author.send(message)
    error = await board.author.wait_error()
    assert (error["code"], error["field"]) == ("bad_message", field), error["message"]
    assert error["id"] == (message["id"] if named else None)
    await assert_nothing_happened(board, board.author)


async def test_a_second_hello_is_refused_with_bad_message_and_the_socket_stays_on_its_board(
    board: Board,
) -> None:
    elsewhere = await create_workshop(board.server.base_url)
    await board.author.send(
        {"type": "hello", "v": 1, "board": elsewhere.main, "token": await join(elsewhere)}
    )
    error = await board.author.wait_error()
    assert (error["code"], error["field"], error["id"]) == ("bad_message", "type", None)
    assert [m["type"] for m in board.author.received].count("welcome") == 1
    await assert_nothing_happened(board, board.author)


async def test_a_hello_of_another_protocol_version_is_refused_and_the_socket_may_try_again(
    board: Board,
) -> None:
    token = await join(board.workshop)
    async with connect(board.server.ws_url, max_size=None) as ws:
        await ws.send(json.dumps({"type": "hello", "v": 2, "board": board.workshop.main, "token": token}))
        refused = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert (refused["type"], refused["code"], refused["field"]) == ("error", "protocol_version", "v")
        assert "reload" in refused["message"]
        await ws.send(json.dumps({"type": "hello", "v": 1, "board": board.workshop.main, "token": token}))
        welcome = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert welcome["type"] == "welcome", "not joined by the refused hello, and still open"
    await assert_nothing_happened(board, board.author)
