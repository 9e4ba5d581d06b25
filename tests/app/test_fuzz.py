"""[P7] Hostile input, fuzzed: random, truncated, oversized and deeply nested frames (arrays and
objects), text and binary, wrong types, huge numbers, NaN. The server answers each frame it
cannot decode with exactly one `error`, with the code `decode()` gives (a binary frame:
`bad_json`, whatever it holds), on the same open socket; it never crashes, and nobody else
on the board sees anything of it."""

from __future__ import annotations

import contextlib
import itertools
import json
import string
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.sync.client import ClientConnection, connect

from board.app.ws import BINARY_REFUSED
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.protocol import decode, op_id_of
from board.settings import ServerSettings
from tests.conftest import RunningServer, free_port, migrate, start_server

DOCUMENTED = {code.value for code in ErrorCode}
PER_CONNECTION = 60
"""Frames per socket before the fuzzer opens another, staying under the rate limit."""

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    ["type", "id", "op", "kind", "obj", "props", "x", "y", "text", "points", "board", "v", "since"]
)
valid_op = {
    "type": "op",
    "id": "fuzz",
    "op": {"kind": "create", "obj": {"type": "note", "id": "n", "x": 0, "y": 0}},
}


def mutated(path: list[str], value: Any) -> str:
    message: Any = json.loads(json.dumps(valid_op))
    target = message
    for key in path[:-1]:
        target = target.setdefault(key, {}) if isinstance(target, dict) else target
    if isinstance(target, dict):
        target[path[-1]] = value
    return json.dumps(message, allow_nan=True)


frames = st.one_of(
    st.binary(max_size=300).map(lambda b: b.decode("utf-8", "replace")),
    st.text(max_size=300),
    st.builds(lambda v: json.dumps(v, allow_nan=True), json_values),
    st.builds(lambda cut: json.dumps(valid_op)[:cut], st.integers(0, len(json.dumps(valid_op)) - 1)),
    st.builds(mutated, st.lists(field_names, min_size=1, max_size=4), json_values),
    st.builds(lambda n: '{"type":"cursor","x":' + "9" * n + ',"y":0}', st.integers(300, 5000)),
    st.sampled_from(
        ["NaN", "Infinity", '{"type":"cursor","x":NaN,"y":0}', '{"type":"cursor","x":1e999,"y":-1e999}']
    ),
    st.builds(
        lambda depth, bracket: bracket * depth + {"[": "]", "{": "}"}[bracket] * depth,
        st.integers(1, 60000),
        st.sampled_from(["["]),
    ),
    st.builds(
        lambda depth: '{"type":"op","id":"x","op":' + "[" * depth + "]" * depth + "}", st.integers(1, 60000)
    ),
    st.builds(
        lambda depth: '{"type":"op","op":' + "[" * depth + "]" * depth + ',"id":"x"}', st.integers(1, 60000)
    ),
    st.builds(
        lambda size: '{"type":"op","id":"big","op":{"kind":"delete","id":"' + "a" * size + '"}}',
        st.integers(LIMITS.max_frame_bytes - 100, LIMITS.max_frame_bytes + 100),
    ),
    st.text(alphabet=string.printable, min_size=1, max_size=50).map(lambda t: '{"type":"' + t + '"}'),
    st.builds(lambda depth: '{"a":' * depth + "1" + "}" * depth, st.integers(1, 40000)),
    st.builds(
        lambda depth: '{"type":"op","id":"deep","op":' + '{"kind":' * depth + '"create"' + "}" * depth + "}",
        st.integers(1, 20000),
    ),
    # Binary frames: raw bytes, and JSON sent as bytes rather than text.
    st.binary(max_size=300),
    st.builds(lambda v: json.dumps(v, allow_nan=True).encode(), json_values),
    st.builds(
        lambda path, v: mutated(path, v).encode(), st.lists(field_names, min_size=1, max_size=4), json_values
    ),
    st.builds(lambda depth: b"[" * depth + b"]" * depth, st.integers(1, 60000)),
)
Frame = str | bytes


class Fuzzer:
    """Sockets joined to the board, each used for at most PER_CONNECTION frames."""

    def __init__(self, server: RunningServer, board: str, code: str) -> None:
        self.server, self.board, self.code = server, board, code
        self.socket: ClientConnection | None = None
        self.sockets = contextlib.ExitStack()
        self.sent = 0
        self.barriers = itertools.count()
        self.acked: set[int] = set()
        """Seqs of the fuzzer's frames that happened to be good ops (acks may come a little
        after the barrier: they are counted whenever they arrive)."""

    def connection(self) -> ClientConnection:
        if self.socket is not None and self.sent >= PER_CONNECTION:
            self.flush(self.socket)
        if self.socket is None or self.sent >= PER_CONNECTION:
            token = httpx.post(f"{self.server.base_url}/api/join", json={"code": self.code}).json()["token"]
            opened = connect(self.server.ws_url, max_size=None, close_timeout=1)
            self.socket = self.sockets.enter_context(opened)
            self.socket.send(json.dumps({"type": "hello", "v": 1, "board": self.board, "token": token}))
            self.sent = 0
            while json.loads(self.socket.recv(timeout=10))["type"] != "welcome":
                pass
        return self.socket

    def flush(self, socket: ClientConnection) -> None:
        """Read a socket's last acks before leaving it: a good op's ack goes out on the tick
        after its group, so it may still be on its way. Acks of a socket accumulate until one
        frame carries them, so the ack of one more good op carries or follows all the others."""
        for attempt in itertools.count():
            flush = f"flush-{next(self.barriers)}"
            note = {"type": "note", "id": flush, "x": 0, "y": 0}
            socket.send(json.dumps({"type": "op", "id": flush, "op": {"kind": "create", "obj": note}}))
            while True:
                message = json.loads(socket.recv(timeout=10))
                if message["type"] == "ack":
                    self.acked.update(message["ops"].values())
                    if flush in message["ops"]:
                        return
                if message["type"] == "error" and message.get("id") == flush:
                    break  # over a rate: wait, and try again
            assert attempt < 50, "the flush op was refused every time"
            time.sleep(0.1)

    def answers_to(self, frame: Frame) -> list[dict[str, Any]]:
        """Send a frame, then a barrier op that is refused after the frame's group; return
        everything that came back before the barrier's refusal."""
        socket = self.connection()
        barrier = f"barrier-{next(self.barriers)}"
        socket.send(frame)
        socket.send(
            json.dumps({"type": "op", "id": barrier, "op": {"kind": "delete", "id": "no-such-object"}})
        )
        self.sent += 2
        answers = []
        while True:
            message = json.loads(socket.recv(timeout=10))
            if message.get("type") == "error" and message.get("id") == barrier:
                return answers
            if message["type"] not in ("presence", "cursors", "snapshot"):
                answers.append(message)
                if message["type"] == "ack":
                    self.acked.update(message["ops"].values())


class Watcher(threading.Thread):
    """Someone else on the board for the whole fuzz, recording what they are sent."""

    def __init__(self, server: RunningServer, board: str, code: str) -> None:
        super().__init__(daemon=True)
        token = httpx.post(f"{server.base_url}/api/join", json={"code": code}).json()["token"]
        self.sockets = contextlib.ExitStack()
        self.socket = self.sockets.enter_context(connect(server.ws_url, max_size=None, close_timeout=1))
        self.socket.send(json.dumps({"type": "hello", "v": 1, "board": board, "token": token}))
        self.received: list[dict[str, Any]] = []

    def run(self) -> None:
        with contextlib.suppress(Exception):
            for raw in self.socket:
                self.received.append(json.loads(raw))


@dataclass
class FuzzBoard:
    server: RunningServer
    board: str
    code: str
    watcher: Watcher
    fuzzer: Fuzzer


@pytest.fixture(scope="module")
def fuzz_board(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzBoard]:
    url = f"sqlite+aiosqlite:///{Path(tmp_path_factory.mktemp('fuzz')) / 'f.db'}"
    migrate(url)
    server = start_server(ServerSettings(database_url=url, port=free_port(), secret_key="k"))
    created = httpx.post(f"{server.base_url}/api/workshops", json={"title": "fuzz"}).json()
    board, code = created["boards"][0]["id"], created["join_code"]
    watcher = Watcher(server, board, code)
    watcher.start()
    fuzz = FuzzBoard(server, board, code, watcher, Fuzzer(server, board, code))
    yield fuzz
    fuzz.fuzzer.sockets.close()
    watcher.sockets.close()
    server.stop()


NEAR_RECURSION_LIMIT = 500
"""JSON nested deeper than this is decoded, or refused as "nested too deeply", depending on
how much recursion headroom the caller has: `decode()` leaves depth to the interpreter's
recursion limit, which Hypothesis raises while it runs (in this process, so in the server's
thread too). Such a frame still gets exactly one error, but its code may differ from what
`decode()` says here."""


def nesting(frame: Frame) -> int:
    """How deep the frame's brackets go, outside strings."""
    text = frame.decode("utf-8", "replace") if isinstance(frame, bytes) else frame
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def check_answers(frame: Frame, answers: list[dict[str, Any]]) -> None:
    """A frame `decode()` refuses gets exactly one error, with decode's code and field, naming
    the op when its id can be read; one it accepts gets at most one (the handler's or the
    op's refusal), and otherwise acks and ops. Errors are sent before the barrier's refusal;
    acks go out on the next tick, so an ack may arrive with a later frame's answers."""
    errors = [answer for answer in answers if answer["type"] == "error"]
    for answer in answers:
        assert answer["type"] in ("error", "ack", "ops"), answer
    for error in errors:
        assert error["code"] in DOCUMENTED, error
        assert error["message"], error
    expected = BINARY_REFUSED if isinstance(frame, bytes) else decode(frame)
    if not isinstance(expected, ProtocolError):
        assert len(errors) <= 1, (frame[:200], answers)
        return
    assert len(errors) == 1, (frame[:200], answers)
    if expected.code is not ErrorCode.TOO_LARGE and nesting(frame) > NEAR_RECURSION_LIMIT:
        return
    assert (errors[0]["code"], errors[0]["field"]) == (expected.code.value, expected.field), (
        frame[:200],
        errors,
        expected,
    )
    named = op_id_of(frame) if isinstance(frame, str) and len(frame) <= LIMITS.max_frame_bytes else None
    assert errors[0]["id"] == named, (frame[:200], errors)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(frame=frames)
def test_any_frame_gets_documented_answers_on_an_open_socket(fuzz_board: FuzzBoard, frame: Frame) -> None:
    check_answers(frame, fuzz_board.fuzzer.answers_to(frame))


HOSTILE: list[Frame] = [
    b"\xff\xfe\x00garbage",
    b'{"type":"op","id":"bin","op":{"kind":"delete","id":"no-such-object"}}',
    json.dumps(valid_op)[:-7],
    '{"type":"cursor","x":NaN,"y":0}',
    '{"type":"cursor","x":' + "9" * 400 + ',"y":0}',
    "[" * 50000 + "]" * 50000,
    '{"a":' * 30000 + "1" + "}" * 30000,
    '{"type":"op","id":"big","op":{"kind":"delete","id":"' + "a" * LIMITS.max_frame_bytes + '"}}',
    '{"type":"op","id":"wrong","op":{"kind":"create","obj":{"type":"note","id":"n","x":"left","y":0}}}',
    '{"type":"teleport"}',
    '{"type":"hello","v":1,"board":"again"}',
    '{"type":"hello","v":2,"board":"again"}',
    '{"type":"signal","kind":"summon"}',
]
"""One frame of each hostile kind, so the check below means something when run alone."""


def wait_until(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_nobody_else_saw_anything_of_the_fuzz_and_the_server_is_well(fuzz_board: FuzzBoard) -> None:
    """Whatever the fuzz above sent (if it ran), and the hostile frames here: the watcher on
    the board was sent no error and no op but the fuzzer's good ones. A good op last proves
    the watcher was listening all along."""
    fuzzer = fuzz_board.fuzzer
    for frame in HOSTILE:
        check_answers(frame, fuzzer.answers_to(frame))
    socket = fuzzer.connection()
    note = {"type": "note", "id": "control", "x": 0, "y": 0}
    socket.send(json.dumps({"type": "op", "id": "control", "op": {"kind": "create", "obj": note}}))
    fuzzer.sent += 1
    while True:
        message = json.loads(socket.recv(timeout=10))
        if message["type"] == "ack":
            fuzzer.acked.update(message["ops"].values())
            if "control" in message["ops"]:
                break
        assert message["type"] != "error" or message["id"] != "control", message
    watcher = fuzz_board.watcher

    def put_ids() -> set[str]:
        return {
            change["obj"]["id"]
            for m in list(watcher.received)
            if m["type"] == "ops"
            for entry in m["ops"]
            for change in entry["changes"]
            if change["op"] == "put"
        }

    wait_until(lambda: "control" in put_ids())
    seen = [m for m in watcher.received if m["type"] not in ("welcome", "snapshot", "presence", "cursors")]
    assert [m for m in seen if m["type"] != "ops"] == [], "no error, ack or anything else"
    shown = {entry["seq"] for m in seen for entry in m["ops"]}
    assert shown, "the watcher was sent the control op"
    assert shown <= fuzzer.acked, "only ops the fuzzer got right (and was acked for)"
    assert httpx.get(f"{fuzz_board.server.base_url}/healthz").json()["status"] == "ok"
