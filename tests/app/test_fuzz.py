"""[P7] Hostile input, fuzzed: random, truncated, oversized and deeply nested frames, wrong types,
huge numbers, NaN. The server answers each with a documented error on the same open socket,
never crashes, and nobody else on the board sees anything of it."""

from __future__ import annotations

import contextlib
import itertools
import json
import string
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.sync.client import ClientConnection, connect

from board.core.errors import ErrorCode
from board.core.limits import LIMITS
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
)


class Fuzzer:
    """Sockets joined to the board, each used for at most PER_CONNECTION frames."""

    def __init__(self, server: RunningServer, board: str, code: str) -> None:
        self.server, self.board, self.code = server, board, code
        self.socket: ClientConnection | None = None
        self.sockets = contextlib.ExitStack()
        self.sent = 0
        self.barriers = itertools.count()
        self.acks = 0

    def connection(self) -> ClientConnection:
        if self.socket is None or self.sent >= PER_CONNECTION:
            token = httpx.post(f"{self.server.base_url}/api/join", json={"code": self.code}).json()["token"]
            self.socket = self.sockets.enter_context(connect(self.server.ws_url, max_size=None))
            self.socket.send(json.dumps({"type": "hello", "v": 1, "board": self.board, "token": token}))
            self.sent = 0
            while json.loads(self.socket.recv(timeout=10))["type"] != "welcome":
                pass
        return self.socket

    def answers_to(self, frame: str) -> list[dict[str, Any]]:
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


class Watcher(threading.Thread):
    """Someone else on the board for the whole fuzz, recording what they are sent."""

    def __init__(self, server: RunningServer, board: str, code: str) -> None:
        super().__init__(daemon=True)
        token = httpx.post(f"{server.base_url}/api/join", json={"code": code}).json()["token"]
        self.sockets = contextlib.ExitStack()
        self.socket = self.sockets.enter_context(connect(server.ws_url, max_size=None))
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


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(frame=frames)
def test_any_frame_gets_documented_answers_on_an_open_socket(fuzz_board: FuzzBoard, frame: str) -> None:
    for answer in fuzz_board.fuzzer.answers_to(frame):
        if answer["type"] == "error":
            assert answer["code"] in DOCUMENTED, answer
            assert answer["message"], answer
        else:
            assert answer["type"] in ("ack", "ops"), answer
            fuzz_board.fuzzer.acks += answer["type"] == "ack"


def test_nobody_else_saw_anything_of_the_fuzz_and_the_server_is_well(fuzz_board: FuzzBoard) -> None:
    seen = [
        m["type"] for m in fuzz_board.watcher.received if m["type"] not in ("welcome", "snapshot", "presence")
    ]
    assert "error" not in seen
    assert seen.count("ops") <= fuzz_board.fuzzer.acks, "only ops the fuzzer happened to get right, if any"
    assert httpx.get(f"{fuzz_board.server.base_url}/healthz").json()["status"] == "ok"
