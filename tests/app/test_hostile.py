"""[P7] One hostile participant cannot hurt anyone else (issue 15), on SQLite and on PostgreSQL.

Each test is a finding seen from outside, over loopback, with only docs/protocol.md: a string
no store can hold, an answer off the docs, a broken frame, acks lost at a close. One server
per store serves the module; a bystander on the board checks that nobody else saw anything,
and the server's log is checked for tracebacks at the end."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.model import Note, Settings
from board.core.ops import Create
from board.core.protocol import OpMessage
from board.core.state import Actor
from board.sequencer import Sequencer
from board.settings import ServerSettings
from board.store.database import Database
from board.store.directory import Directory, NewBoard
from board.store.oplog import OpLog
from tests.conftest import RunningServer, _postgres_admin_url, free_port, migrate, pg_execute, start_server
from tests.support import BoardClient, Workshop, create_workshop, join


class Tracebacks(logging.Handler):
    """Every log record of the server (it runs in this process) that carries a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
        if record.exc_info or "Traceback" in record.getMessage():
            self.records.append(record)


@dataclass
class Store:
    name: str
    server: RunningServer
    log: Tracebacks


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A server on each store, for the whole module; its log watched for tracebacks."""
    dropped: str | None = None
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('hostile') / 'h.db'}"
        migrate(url)
    else:
        template: str = request.getfixturevalue("postgres_template")
        admin = _postgres_admin_url()
        dropped = f"board_h_{uuid.uuid4().hex[:12]}"
        pg_execute(admin, f'CREATE DATABASE "{dropped}" TEMPLATE "{template}"')
        url = f"{admin.rsplit('/', 1)[0]}/{dropped}"
    server = start_server(ServerSettings(database_url=url, port=free_port(), secret_key="k"))
    log = Tracebacks()
    # After the start: uvicorn's logging config replaces the handlers of its loggers, which
    # do not propagate to the root.
    watched = [logging.getLogger(), logging.getLogger("uvicorn")]
    for logger in watched:
        logger.addHandler(log)
    yield Store(request.param, server, log)
    server.stop()
    for logger in watched:
        logger.removeHandler(log)
    if dropped is not None:
        with contextlib.suppress(Exception):
            pg_execute(_postgres_admin_url(), f'DROP DATABASE IF EXISTS "{dropped}" WITH (FORCE)')


@dataclass
class Board:
    workshop: Workshop
    hostile: BoardClient
    bystander: BoardClient
    facilitator: BoardClient


@pytest.fixture
async def board(store: Store) -> AsyncIterator[Board]:
    """A fresh workshop: a hostile participant, a bystander and the facilitator on its main board."""
    workshop = await create_workshop(store.server.base_url, "Hostile")
    url = store.server.ws_url
    hostile = await BoardClient(url, workshop.main, await join(workshop)).connect()
    bystander = await BoardClient(url, workshop.main, await join(workshop)).connect()
    facilitator = await BoardClient(url, workshop.main, workshop.facilitator_token).connect()
    yield Board(workshop, hostile, bystander, facilitator)
    for client in (hostile, bystander, facilitator):
        await client.close()


async def raw_socket(store: Store, board: Board) -> ClientConnection:
    """A joined socket that sends frames as they are given (not through `BoardClient`)."""
    ws = await connect(store.server.ws_url, max_size=None, close_timeout=2)
    token = await join(board.workshop)
    await ws.send(json.dumps({"type": "hello", "v": 1, "board": board.workshop.main, "token": token}))
    while json.loads(await ws.recv())["type"] != "welcome":
        pass
    return ws


async def next_error(ws: ClientConnection) -> dict[str, Any]:
    """The next error the socket is sent (snapshots, presence and ops pass by)."""
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if message["type"] == "error":
            return message
        assert message["type"] in ("snapshot", "presence", "ops", "cursors"), message


async def answers_until_closed(ws: ClientConnection) -> tuple[list[dict[str, Any]], int | None]:
    """Everything the server sends until it closes the socket, and its close code."""
    answers: list[dict[str, Any]] = []
    try:
        while True:
            answers.append(json.loads(await asyncio.wait_for(ws.recv(), 10)))
    except ConnectionClosed as closed:
        return answers, closed.rcvd.code if closed.rcvd is not None else None


def note(oid: str, **props: Any) -> dict[str, Any]:
    return {"kind": "create", "obj": {"type": "note", "id": oid, "x": 0, "y": 0, **props}}


async def bystander_saw_only(board: Board, expected_notes: set[str]) -> None:
    """The bystander was sent no error, and of the notes exactly these (after a control op
    proves it was listening)."""
    await board.facilitator.wait_acked(await board.facilitator.create_note(f"control-{uuid.uuid4().hex[:6]}"))
    await board.bystander.wait_for(lambda: any(oid.startswith("control-") for oid in board.bystander.objects))
    assert board.bystander.errors == []
    notes = {
        oid for oid in board.bystander.objects if oid != "__settings__" and not oid.startswith("control-")
    }
    assert notes == expected_notes


# -- finding 1: one rule for every string; one op's store error is that op's alone ------------------


async def test_a_nul_in_an_op_id_is_refused_to_its_sender_and_the_board_stays_up(board: Board) -> None:
    """Seen on PostgreSQL: every socket on the board closed with 1011, three times in three."""
    good = await board.bystander.create_note("kept")
    await board.hostile.send({"type": "op", "id": "x\u0000y", "op": note("bad")})
    error = await board.hostile.wait_error()
    assert (error["code"], error["field"]) == ("bad_character", "id")
    assert "U+0000" in error["message"]
    await board.bystander.wait_acked(good)
    await board.hostile.wait_acked(await board.hostile.create_note("after"))
    await bystander_saw_only(board, {"kept", "after"})


FORBIDDEN_FIELDS: list[tuple[dict[str, Any], str]] = [
    (note("n1", text="nul \u0000 here"), "op.obj.text"),
    (note("n2", text="bell \u0007"), "op.obj.text"),
    (note("n3", text="\ufffe"), "op.obj.text"),
    (note("n4", text="\U0010ffff"), "op.obj.text"),
    (
        {"kind": "create", "obj": {"type": "frame", "id": "f", "x": 0, "y": 0, "title": "\ufdd0"}},
        "op.obj.title",
    ),
    (
        {"kind": "create", "obj": {"type": "comment", "id": "c", "x": 0, "y": 0, "text": "a\u0000"}},
        "op.obj.text",
    ),
    ({"kind": "update", "id": "kept", "props": {"text": "\u001b[31m"}}, "op.props.text"),
    ({"kind": "batch", "ops": [note("b1"), note("b2", text="\u0000")]}, "op.ops[1].obj.text"),
]


@pytest.mark.parametrize(("op", "field"), FORBIDDEN_FIELDS, ids=[f for _, f in FORBIDDEN_FIELDS])
async def test_a_forbidden_character_in_any_field_is_refused_with_the_field_and_op_id(
    board: Board, op: dict[str, Any], field: str
) -> None:
    await board.hostile.wait_acked(await board.hostile.create_note("kept"))
    op_id = await board.hostile.op(op)
    error = await board.hostile.wait_error()
    assert (error["code"], error["field"], error["id"]) == ("bad_character", field, op_id)
    await bystander_saw_only(board, {"kept"})


async def test_a_lone_surrogate_is_refused_like_any_forbidden_character(store: Store, board: Board) -> None:
    ws = await raw_socket(store, board)
    await ws.send(
        '{"type":"op","id":"half","op":{"kind":"create","obj":{"type":"note","id":"s","x":0,"y":0,"text":"\\ud800"}}}'
    )
    error = await next_error(ws)
    assert (error["type"], error["code"], error["field"], error["id"]) == (
        "error",
        "bad_character",
        "op.obj.text",
        "half",
    )
    await ws.close()


async def test_http_bodies_follow_the_same_rule(store: Store, board: Board) -> None:
    """A workshop title with NUL was a 500 on PostgreSQL (and stored on SQLite)."""
    async with httpx.AsyncClient(base_url=store.server.base_url) as http:
        for body in ({"title": "a\u0000b"}, {"title": "\ufffe"}):
            response = await http.post("/api/workshops", json=body)
            assert response.status_code == 400, response.text
            assert response.json()["error"]["code"] == "bad_character"
            assert response.json()["error"]["field"] == "title"
        raw = b'{"title": "\\udc00"}'
        response = await http.post(
            "/api/workshops", content=raw, headers={"content-type": "application/json"}
        )
        assert (response.status_code, response.json()["error"]["code"]) == (400, "bad_character")
        response = await http.post("/api/join", json={"code": "ABCD-\u0000"})
        assert (response.status_code, response.json()["error"]["code"]) == (400, "bad_character")


# -- finding 6: every refused op names its op id; wrong_type for every wrong type; binary frames ---------


async def test_a_number_out_of_range_names_the_op_it_refuses(store: Store, board: Board) -> None:
    ws = await raw_socket(store, board)
    await ws.send(
        '{"type":"op","id":"huge","op":{"kind":"create","obj":{"type":"note","id":"h","x":1e999,"y":0}}}'
    )
    error = await next_error(ws)
    assert (error["code"], error["field"], error["id"]) == ("out_of_range", "op.obj.x", "huge")
    await ws.close()


@pytest.mark.parametrize("value", ['"left"', "true", "[1, 2]", "{}"])
async def test_a_cursor_field_of_the_wrong_type_is_wrong_type(store: Store, board: Board, value: str) -> None:
    ws = await raw_socket(store, board)
    await ws.send('{"type":"cursor","x":' + value + ',"y":0}')
    error = await next_error(ws)
    assert (error["code"], error["field"]) == ("wrong_type", "x")
    assert error["message"].startswith("must be a number")
    await ws.close()


async def test_a_binary_frame_is_refused_and_the_socket_stays_open(store: Store, board: Board) -> None:
    ws = await raw_socket(store, board)
    await ws.send(json.dumps({"type": "op", "id": "bin", "op": note("binary")}).encode())
    error = await next_error(ws)
    assert (error["type"], error["code"], error["id"]) == ("error", "bad_json", None)
    assert "binary" in error["message"]
    await ws.send(json.dumps({"type": "op", "id": "text", "op": note("text")}))
    while (answer := json.loads(await asyncio.wait_for(ws.recv(), 10)))["type"] != "ack":
        assert answer["type"] in ("ops", "presence"), answer
    assert list(answer["ops"]) == ["text"]
    await ws.close()
    await bystander_saw_only(board, {"text"})


# -- findings 5, 6 and 8: broken frames close with the documented code, after the acks ---------------


async def test_invalid_utf8_closes_with_1007_after_the_acks_and_logs_one_line(
    store: Store, board: Board
) -> None:
    ws = await raw_socket(store, board)
    sent = [f"u{i}" for i in range(30)]
    for op_id in sent:
        await ws.send(json.dumps({"type": "op", "id": op_id, "op": note(op_id)}))
    before = len(store.log.lines)
    await ws.send(b"\xff\xfe not utf-8", text=True)
    answers, code = await answers_until_closed(ws)
    assert code == 1007
    acked = {op_id for answer in answers if answer["type"] == "ack" for op_id in answer["ops"]}
    assert acked == set(sent)
    said = [line for line in store.log.lines[before:] if "1007" in line]
    assert len(said) == 1, said
    await bystander_saw_only(board, set(sent))


async def test_a_frame_over_the_hard_limit_closes_with_1009_after_the_acks(
    store: Store, board: Board
) -> None:
    """Five times: the close code always arrives (a TCP reset used to lose it), after the acks."""
    for attempt in range(5):
        ws = await raw_socket(store, board)
        sent = [f"big{attempt}-{i}" for i in range(30)]
        for op_id in sent:
            await ws.send(json.dumps({"type": "op", "id": op_id, "op": note(op_id)}))
        with contextlib.suppress(ConnectionClosed):
            await ws.send("x" * (LIMITS.hard_frame_bytes + 1))
        answers, code = await answers_until_closed(ws)
        assert code == 1009
        acked = {op_id for answer in answers if answer["type"] == "ack" for op_id in answer["ops"]}
        assert acked == set(sent)


async def test_the_server_logged_no_traceback(store: Store) -> None:
    """Last in the module: whatever the tests above sent, nothing in the log has a traceback."""
    assert [record.getMessage() for record in store.log.records] == []


async def test_an_op_the_database_refuses_is_refused_alone_and_the_rest_of_its_group_commits(
    database_url: str,
) -> None:
    """Defence in depth, below the edge: a group whose data one database cannot hold (an op id
    with a lone surrogate, which neither can encode) commits every other op and refuses that
    one with `not_stored`, instead of failing the whole board."""
    database = Database(database_url)
    directory = Directory(database)
    await directory.create_workshop(
        workshop_id="w1",
        title="t",
        join_code="CODE1234",
        key_hash="0" * 64,
        now=1,
        boards=[NewBoard("b1", 0, Settings())],
    )
    for member in ("p1", "p2"):
        await directory.add_member(
            member_id=member, workshop_id="w1", token_hash=member * 32, role="participant", name=member, now=1
        )
    oplog = OpLog(database)
    sequencer = Sequencer(
        await oplog.load("b1", 100),
        oplog,
        now=lambda: 1,
        replay_window=100,
        broker=None,
        origin="o",
        on_entries=lambda entries: None,
    )

    def create(op_id: str, oid: str) -> OpMessage:
        return OpMessage(id=op_id, op=Create(obj=Note(id=oid, x=0, y=0)))

    group = [
        (Actor("p1"), create("a", "n1")),
        (Actor("p2"), create("half\ud800", "n2")),  # built here, so no edge has checked it
        (Actor("p1"), create("c", "n3")),
        (Actor("p2"), create("d", "n4")),
    ]
    outcomes = await sequencer.commit(group)
    assert outcomes[0] == 1
    assert outcomes[2:] == [2, 3]
    assert isinstance(outcomes[1], ProtocolError)
    assert outcomes[1].code is ErrorCode.NOT_STORED
    stored = await oplog.load("b1", 100)
    assert (stored.head, set(stored.state.objects)) == (3, {"n1", "n3", "n4"})
    await database.dispose()
