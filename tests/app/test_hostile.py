"""[P7] One hostile participant cannot hurt anyone else (issue 15), on SQLite and on PostgreSQL.

Each test is a finding seen from outside, over loopback, with only docs/protocol.md: a string
no store can hold, an answer off the docs, a broken frame, acks lost at a close. One server
per store serves the module; a bystander on the board checks that nobody else saw anything,
and the server's log is checked for tracebacks at the end."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import logging
import random
import re
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
from board.core.ops import Batch, Create, Delete
from board.core.protocol import OpMessage, decode, op_id_of
from board.core.state import Actor
from board.settings import ServerSettings
from board.store.database import Database
from board.store.directory import Directory, NewBoard
from board.store.oplog import OpLog
from board.sync.sequencer import Sequencer
from tests.conftest import RunningServer, _postgres_admin_url, free_port, migrate, pg_execute, start_server
from tests.support import BoardClient, Workshop, create_workshop, join

DOCUMENTED = {code.value for code in ErrorCode}


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
    assert [record.getMessage() for record in store.log.records] == [], "the server logged a traceback"


async def raw_socket(store: Store, board: Board, token: str | None = None) -> ClientConnection:
    """A joined socket that sends frames as they are given (not through `BoardClient`)."""
    ws = await connect(store.server.ws_url, max_size=None, close_timeout=2)
    token = token or await join(board.workshop)
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
        # Path parameters reach the store too (a 500 and a traceback on PostgreSQL).
        for path in ("/api/workshops/a%00b/purpose", "/heard/a%00b", "/api/workshops/x/poll?after=%00"):
            response = await http.get(path)
            assert (response.status_code, response.json()["error"]["code"]) == (400, "bad_character"), path


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


async def test_a_frame_breaking_the_websocket_protocol_closes_with_1002_after_the_acks(
    store: Store, board: Board
) -> None:
    ws = await raw_socket(store, board)
    sent = [f"p{i}" for i in range(30)]
    for op_id in sent:
        await ws.send(json.dumps({"type": "op", "id": op_id, "op": note(op_id)}))
    ws.transport.write(b"\x81\x02hi")  # a client's frame must be masked (RFC 6455 5.1)
    answers, code = await answers_until_closed(ws)
    assert code == 1002
    acked = {op_id for answer in answers if answer["type"] == "ack" for op_id in answer["ops"]}
    assert acked == set(sent)


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


async def _one_board(database_url: str) -> Database:
    """A store holding one workshop with one board, `b1`, and two participants, `p1` and `p2`."""
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
    return database


async def _sequencer(database: Database, replay_bytes: int = 2**20, origin: str = "o") -> Sequencer:
    """Board `b1`'s sequencer, loaded from the store as a server opening the board does."""
    oplog = OpLog(database)
    return Sequencer(
        await oplog.load("b1", 100),
        oplog,
        now=lambda: 1,
        replay_window=100,
        replay_bytes=replay_bytes,
        publisher=None,
        origin=origin,
        on_entries=lambda entries: None,
    )


async def test_an_op_the_database_refuses_is_refused_alone_and_the_rest_of_its_group_commits(
    database_url: str,
) -> None:
    """Defence in depth, below the edge: a group whose data one database cannot hold (an op id
    with a lone surrogate, which neither can encode) commits every other op and refuses that
    one with `not_stored`, instead of failing the whole board."""
    database = await _one_board(database_url)
    sequencer = await _sequencer(database)

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
    stored = await OpLog(database).load("b1", 100)
    assert (stored.head, set(stored.state.objects)) == (3, {"n1", "n3", "n4"})
    await database.dispose()


async def test_ops_another_process_publishes_ahead_of_a_gap_wait_within_the_replay_bytes(
    database_url: str,
) -> None:
    """Two processes on one board: while a publication is missing, the other's ops wait for it
    in memory, at most BOARD_REPLAY_BYTES of them (they grew without bound); past that they
    are dropped, and the board catches up from the store with nothing lost."""
    database = await _one_board(database_url)
    here = await _sequencer(database, replay_bytes=64 * 1024)
    there = await _sequencer(database, origin="elsewhere")
    for i in range(40):  # 40 ops of ~10 KB: over six times the bound
        notes = [Create(obj=Note(id=f"n{i}-{k}", x=k, y=i, text="x" * 1000)) for k in range(10)]
        assert await there.commit([(Actor("p1"), OpMessage(id=f"op{i}", op=Batch(ops=notes)))]) == [i + 1]
    published = await OpLog(database).since("b1", 0)
    for op in published[1:]:  # seq 1's publication was lost
        here.receive({"o": "elsewhere", "ops": [[op.seq, op.participant_id, op.effects]]})
        waiting = sum(len(json.dumps(item[1], separators=(",", ":"))) for item in here.remote.values())
        assert waiting <= 64 * 1024
    assert len(here.remote) < 10
    assert here.needs_catching_up
    await here.catch_up()
    assert (here.head, here.remote, here.remote_bytes) == (40, {}, 0)
    assert here.state.objects == there.state.objects
    await database.dispose()


# -- a fuzzer over every message type ------------------------------------------------------------------

IDS = ["n1", "n2", "n3", "c1", "v1", "missing"]
TEMPLATES: list[dict[str, Any]] = [
    {"type": "hello", "v": 1, "board": "b", "since": 0},
    {"type": "cursor", "x": 1.5, "y": -2},
    {"type": "signal", "kind": "summon", "x": 0, "y": 0, "zoom": 1},
    {
        "type": "op",
        "id": "o",
        "op": note("n1", text="hi", color="blue", w=200, h=200, category="c-1", z="a1"),
    },
    {
        "type": "op",
        "id": "o",
        "op": {
            "kind": "create",
            "obj": {
                "type": "shape",
                "id": "n2",
                "x": 0,
                "y": 0,
                "kind": "line",
                "w": -5,
                "h": 9,
                "fill": "#aabbcc",
                "text": "s",
            },
        },
    },
    {
        "type": "op",
        "id": "o",
        "op": {
            "kind": "create",
            "obj": {
                "type": "stroke",
                "id": "n3",
                "x": 0,
                "y": 0,
                "points": [0, 0, 1, 1],
                "width": 3,
                "color": "#000000",
            },
        },
    },
    {
        "type": "op",
        "id": "o",
        "op": {
            "kind": "create",
            "obj": {"type": "text", "id": "n3", "x": 0, "y": 0, "text": "t", "size": 20},
        },
    },
    {
        "type": "op",
        "id": "o",
        "op": {"kind": "create", "obj": {"type": "frame", "id": "n2", "x": 0, "y": 0, "title": "f"}},
    },
    {
        "type": "op",
        "id": "o",
        "op": {
            "kind": "create",
            "obj": {
                "type": "definition",
                "id": "n1",
                "x": 0,
                "y": 0,
                "category": "c",
                "definition": "d",
                "why": "w",
            },
        },
    },
    {
        "type": "op",
        "id": "o",
        "op": {"kind": "create", "obj": {"type": "comment", "id": "c1", "text": "c", "target": "n1"}},
    },
    {
        "type": "op",
        "id": "o",
        "op": {"kind": "create", "obj": {"type": "comment", "id": "c2", "text": "r", "parent": "c1"}},
    },
    {"type": "op", "id": "o", "op": {"kind": "create", "obj": {"type": "vote", "id": "v1", "target": "n1"}}},
    {
        "type": "op",
        "id": "o",
        "op": {"kind": "create", "obj": {"type": "pollword", "id": "p1", "text": "well being"}},
    },
    {
        "type": "op",
        "id": "o",
        "op": {"kind": "update", "id": "n1", "props": {"text": "x", "x": 3, "hidden": False}},
    },
    {"type": "op", "id": "o", "op": {"kind": "delete", "id": "n2"}},
    {"type": "op", "id": "o", "op": {"kind": "batch", "ops": [note("n3"), {"kind": "delete", "id": "n3"}]}},
    {"type": "op", "id": "o", "op": {"kind": "settings", "props": {"title": "t", "vote_budget": 5}}},
    {"type": "op", "id": "o", "op": {"kind": "timer", "action": "start", "ms": 60000}},
]
"""One valid message of each kind in docs/protocol.md (the fuzzer mutates them)."""

HOSTILE_STRINGS = [
    "",
    "a\u0000b",
    "\ufffe",
    "\U0010ffff",
    "\u0007",
    "x" * 5000,
    "é🎉",
    "n1",
    "missing",
    "#12345g",
]
HOSTILE_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    2**63,
    1.5,
    -1e308,
    [],
    [1, "a"],
    {},
    {"kind": "delete"},
    *HOSTILE_STRINGS,
]
RAW_NUMBERS = ["1e999", "-1e999", "NaN", "Infinity", "1" * 400, "-0", "1e-400"]


def hostile_value(rng: random.Random) -> Any:
    return copy.deepcopy(rng.choice(HOSTILE_VALUES))


def mutate(rng: random.Random, message: Any) -> None:
    """Change, add or remove one value somewhere in a message, in place."""
    path: list[Any] = []
    target = message
    while isinstance(target, dict | list) and target and rng.random() < 0.7:
        key = rng.choice(list(target)) if isinstance(target, dict) else rng.randrange(len(target))
        if not isinstance(target[key], dict | list):
            break
        path.append(key)
        target = target[key]
    if not isinstance(target, dict | list) or not target:
        return
    key = rng.choice(list(target)) if isinstance(target, dict) else rng.randrange(len(target))
    roll = rng.random()
    if roll < 0.1 and isinstance(target, dict):
        del target[key]
    elif roll < 0.2 and isinstance(target, dict):
        target[rng.choice(["extra", "type", "kind", "id", "ms", "since", "token"])] = rng.choice(
            HOSTILE_VALUES
        )
    elif roll < 0.35:
        target[key] = f"@@{rng.choice(RAW_NUMBERS)}@@"
    elif roll < 0.45:
        target[key] = rng.choice(IDS)
    else:
        target[key] = hostile_value(rng)


def fuzz_frame(rng: random.Random, serial: int) -> str | bytes:
    message = json.loads(json.dumps(rng.choice(TEMPLATES)))
    if message["type"] == "op":
        message["id"] = f"f{serial}"
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        mutate(rng, message)
    text = json.dumps(message, ensure_ascii=rng.random() < 0.5)
    text = re.sub(r'"@@([^@]*)@@"', r"\1", text)
    roll = rng.random()
    if roll < 0.03:
        return text.encode()  # a binary frame
    if roll < 0.08:
        return text[: rng.randrange(len(text))]
    if roll < 0.1:
        depth = rng.randrange(1, 300)
        return '{"type":"op","id":"deep","op":' + "[" * depth + "]" * depth + "}"
    if roll < 0.12:
        return "".join(rng.choice('{}[]":,\\u0 1aé\u0000') for _ in range(rng.randrange(1, 40)))
    return text


FRAMES_PER_STORE = 20_000
PARALLEL = 8
"""Fuzzing participants, each on a new socket for every PER_SOCKET frames."""
PER_SOCKET = 190
"""Frames per fuzzing socket: under the burst a socket may send at once (`message_burst`), so
every frame is decoded rather than dropped for rate."""


async def fuzz_socket(
    store: Store, board: Board, token: str, frames: list[str | bytes]
) -> tuple[set[int], int]:
    """Send the frames on a new participant's socket, then a barrier op; check every answer
    until the barrier's ack. Returns the seqs acked to this socket and the errors."""
    ws = await raw_socket(store, board, token)
    for frame in frames:
        await ws.send(frame)
    # A good op last: its ack comes with or after every other ack of this socket.
    barrier = f"barrier-{uuid.uuid4().hex[:8]}"
    await ws.send(json.dumps({"type": "op", "id": barrier, "op": note(barrier)}))
    named = {
        op_id
        for frame in frames
        if isinstance(frame, str)
        and isinstance(decode(frame), ProtocolError)
        and (op_id := op_id_of(frame)) is not None
    }
    acked: set[int] = set()
    errors = 0
    while True:
        answer = json.loads(await asyncio.wait_for(ws.recv(), 20))
        assert answer["type"] in ("error", "ack", "ops", "presence", "cursors", "notice", "snapshot"), answer
        if answer["type"] == "ack":
            acked.update(answer["ops"].values())
            if barrier in answer["ops"]:
                break
        elif answer["type"] == "error":
            assert answer["code"] in DOCUMENTED, answer
            assert answer["message"], answer
            assert answer["id"] != barrier, answer
            errors += 1
            named.discard(answer["id"])
    assert named == set(), "every refused op is named by its error"
    await ws.close()
    return acked, errors


async def test_fuzzing_every_message_type_hurts_nobody(store: Store, board: Board) -> None:
    """[P7] 20,000 mutated frames of every kind in docs/protocol.md, from participants in
    bursts: the server answers each socket with documented errors naming the refused ops,
    stays up, logs no traceback, and the bystander is sent nothing but the ops that were
    acked (and cursors and presence)."""
    await board.facilitator.wait_acked(
        await board.facilitator.op({"kind": "settings", "props": {"voting": True, "poll_open": True}})
    )
    rng = random.Random(f"hostile-{store.name}")
    frames = [fuzz_frame(rng, serial) for serial in range(FRAMES_PER_STORE)]
    acked: set[int] = set()
    chunks = [frames[i : i + PER_SOCKET] for i in range(0, len(frames), PER_SOCKET)]
    tokens = [await join(board.workshop) for _ in range(PARALLEL)]
    for start in range(0, len(chunks), PARALLEL):
        batch = zip(tokens, chunks[start : start + PARALLEL], strict=False)
        for got, _ in await asyncio.gather(*(fuzz_socket(store, board, t, c) for t, c in batch)):
            acked |= got
    control = await board.facilitator.create_note("control-fuzz")
    await board.facilitator.wait_acked(control)
    await board.bystander.wait_for(lambda: "control-fuzz" in board.bystander.objects)
    seen = [
        m for m in board.bystander.received if m["type"] not in ("welcome", "snapshot", "presence", "cursors")
    ]
    assert [m for m in seen if m["type"] not in ("ops", "notice")] == []
    shown = {entry["seq"] for m in seen if m["type"] == "ops" for entry in m["ops"]}
    facilitator = set(board.facilitator.acks.values())
    assert shown - facilitator <= acked, "only ops a fuzzer got right, and was acked for"
    async with httpx.AsyncClient(base_url=store.server.base_url) as http:
        assert (await http.get("/healthz")).json()["status"] == "ok"


# -- finding 7: no answer reveals whether a private or hidden object exists ------------------------------


def answer_shape(error: dict[str, Any]) -> tuple[str, str, str]:
    return error["code"], error["field"], error["message"]


async def refusal(client: BoardClient, op: dict[str, Any]) -> tuple[str, str, str]:
    op_id = await client.op(op)
    await client.wait_for(lambda: any(e["id"] == op_id for e in client.errors) or op_id in client.acks)
    assert op_id not in client.acks, f"{op} was accepted"
    return answer_shape(next(e for e in client.errors if e["id"] == op_id))


async def test_an_id_answers_the_same_whether_its_object_is_hidden_private_or_gone(board: Board) -> None:
    """Creating an object with the id of someone's private or hidden note used to answer
    `conflict` while an id whose object was deleted was free: now an id once used stays
    claimed, so the answer is the same for all three; only who deleted it may make it again."""
    other, hostile, facilitator = board.bystander, board.hostile, board.facilitator
    for oid in ("hidden", "deleted", "undone"):
        await other.wait_acked(await other.create_note(oid))
    await facilitator.wait_acked(
        await facilitator.op({"kind": "update", "id": "hidden", "props": {"hidden": True}})
    )
    for oid in ("deleted", "undone"):
        await other.wait_acked(await other.op({"kind": "delete", "id": oid}))
    await facilitator.wait_acked(
        await facilitator.op({"kind": "settings", "props": {"private_mode": True, "voting": True}})
    )
    await other.wait_acked(await other.create_note("private"))
    answers = {oid: await refusal(hostile, note(oid)) for oid in ("hidden", "private", "deleted")}
    assert len(set(answers.values())) == 1, answers
    assert answers["deleted"][0] == "conflict"
    await hostile.wait_acked(await hostile.create_note("never-used"))
    await other.wait_acked(await other.create_note("undone"))  # undo of one's own delete


TARGETED: list[tuple[str, dict[str, Any]]] = [
    ("update", {"kind": "update", "id": "@", "props": {"text": "x"}}),
    ("delete", {"kind": "delete", "id": "@"}),
    ("comment", {"kind": "create", "obj": {"type": "comment", "id": "c-@", "text": "hi", "target": "@"}}),
    ("vote", {"kind": "create", "obj": {"type": "vote", "id": "v-@", "target": "@"}}),
    ("reply", {"kind": "create", "obj": {"type": "comment", "id": "r-@", "text": "hi", "parent": "@"}}),
    ("batch", {"kind": "batch", "ops": [{"kind": "update", "id": "@", "props": {"x": 1}}]}),
]


async def test_ops_on_an_object_you_cannot_see_answer_as_for_one_that_does_not_exist(board: Board) -> None:
    other, hostile, facilitator = board.bystander, board.hostile, board.facilitator
    await facilitator.wait_acked(
        await facilitator.op({"kind": "settings", "props": {"private_mode": True, "voting": True}})
    )
    await other.wait_acked(await other.create_note("private-note"))
    await other.wait_acked(
        await other.op(
            {
                "kind": "create",
                "obj": {"type": "comment", "id": "private-comment", "text": "c", "x": 0, "y": 0},
            }
        )
    )
    for name, template in TARGETED:
        target = "private-comment" if name == "reply" else "private-note"
        seen = await refusal(hostile, json.loads(json.dumps(template).replace("@", target)))
        missing = await refusal(hostile, json.loads(json.dumps(template).replace("@", "no-such-thing")))
        assert seen == missing, name
        assert seen[0] == "not_found", name


async def test_a_removed_id_stays_claimed_after_the_board_is_reloaded_and_its_remover_withdraws(
    database_url: str,
) -> None:
    """The claim is stored with the board (a tombstone row), on both stores: a reloaded board
    still refuses the id to others and gives it back to its remover; once the remover
    withdraws, nobody is named as its remover any more."""
    database = await _one_board(database_url)
    sequencer = await _sequencer(database)
    made = OpMessage(id="a", op=Create(obj=Note(id="n1", x=0, y=0)))
    gone = OpMessage(id="b", op=Delete(id="n1"))
    assert await sequencer.commit([(Actor("p1"), made), (Actor("p1"), gone)]) == [1, 2]
    sequencer = await _sequencer(database)
    assert sequencer.state.gone == {"n1": "p1"}
    again = OpMessage(id="c", op=Create(obj=Note(id="n1", x=0, y=0)))
    refused = (await sequencer.commit([(Actor("p2"), again)]))[0]
    assert isinstance(refused, ProtocolError)
    assert refused.code is ErrorCode.CONFLICT
    await sequencer.withdraw("p1")
    assert (await _sequencer(database)).state.gone == {"n1": None}
    await database.dispose()
