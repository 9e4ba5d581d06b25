"""A real websocket client for tests, keeping a replica of the board the way a browser does."""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import create_async_engine
from websockets.asyncio.client import ClientConnection, connect

from board.core.effects import apply_items
from board.core.protocol import PROTOCOL_VERSION

WAIT = 10.0


@dataclass
class Workshop:
    id: str
    join_code: str
    facilitator_token: str
    boards: list[str]
    base_url: str

    @property
    def main(self) -> str:
        return self.boards[0]


async def create_workshop(base_url: str, title: str = "Test workshop", breakouts: int = 0) -> Workshop:
    async with httpx.AsyncClient(base_url=base_url) as http:
        response = await http.post("/api/workshops", json={"title": title, "breakouts": breakouts})
        response.raise_for_status()
        data = response.json()
    return Workshop(data["id"], data["join_code"], data["token"], [b["id"] for b in data["boards"]], base_url)


async def join(workshop: Workshop) -> str:
    async with httpx.AsyncClient(base_url=workshop.base_url) as http:
        response = await http.post("/api/join", json={"code": workshop.join_code})
        response.raise_for_status()
        token: str = response.json()["token"]
        return token


async def browser_ws_headers(workshop: Workshop) -> dict[str, str]:
    """Join `workshop` as a browser does (its `board_session` cookie, no token): the headers
    that browser's websocket handshake sends, the cookie and the board's own origin."""
    async with httpx.AsyncClient(base_url=workshop.base_url) as http:
        (await http.post("/api/join", json={"code": workshop.join_code})).raise_for_status()
        cookie = http.cookies["board_session"]
    return {"Cookie": f"board_session={cookie}", "Origin": workshop.base_url}


async def rows(database_url: str, query: Any) -> list[Any]:
    """One statement run straight on the database and committed: its rows, if it returns any."""
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(query)
            return list(result) if result.returns_rows else []
    finally:
        await engine.dispose()


class RateLimited(RuntimeError):
    """The test sent faster than the server's documented rate: an op's fate is unknowable.
    Not an AssertionError, so the loops that retry a lost connection do not swallow it."""


@dataclass
class BoardClient:
    """One socket on one board: sends ops, applies what it receives to `objects`, in order."""

    url: str
    board: str
    token: str
    ws: ClientConnection | None = None
    seq: int = -1
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)
    binary: list[bytes] = field(default_factory=list)
    """Binary frames received, as they came (compressed snapshots)."""
    seqs_applied: list[int] = field(default_factory=list)
    acks: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    outbox: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Ops sent but not yet acked, in sending order: resent after a reconnect."""
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Every op this client sent, by op id."""
    welcome: dict[str, Any] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _prefix: str = field(default_factory=lambda: f"{random.getrandbits(32):08x}")
    """Op ids are unique per participant across boards (docs/protocol.md): two sockets of one
    person must not both count from 1, or the server rightly takes the second for a resend."""
    _errors_when_sent: dict[str, int] = field(default_factory=dict)
    _reader: asyncio.Task[None] | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def connect(
        self, since: int | None = None, *, compressed: bool = False, **options: Any
    ) -> BoardClient:
        """`compressed`: ask for a big snapshot compressed in a binary frame, as browsers do."""
        self.welcome = {}
        self.ws = await connect(self.url, max_size=None, **options)
        hello: dict[str, Any] = {
            "type": "hello",
            "v": PROTOCOL_VERSION,
            "board": self.board,
            "token": self.token,
        }
        if since is not None:
            hello["since"] = since
        if compressed:
            hello["compressed"] = True
        await self.ws.send(json.dumps(hello))
        self._reader = asyncio.create_task(self._read())
        await self.wait_for(lambda: bool(self.welcome) and self.seq >= self.welcome["seq"])
        return self

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for raw in self.ws:
                if isinstance(raw, bytes):  # a compressed snapshot (docs/protocol.md)
                    self.binary.append(raw)
                    raw = zlib.decompress(raw)
                message = json.loads(raw)
                self.received.append(message)
                self._take(message)
                self._changed.set()
        except Exception:
            pass
        finally:
            self._changed.set()

    def _take(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "welcome":
            self.welcome = message
        elif kind == "snapshot":
            self.objects = {obj["id"]: obj for obj in message["objects"]}
            self.objects["__settings__"] = message["settings"]
            self.seq = message["seq"]
        elif kind == "own":
            assert message["seq"] == self.seq, "own objects come at the seq just reached"
            self.objects.update({obj["id"]: obj for obj in message["objects"]})
        elif kind == "ops":
            if message["from"] != self.seq + 1:
                raise AssertionError(f"gap: have {self.seq}, frame starts at {message['from']}")
            for entry in message["ops"]:
                apply_items(self.objects, entry["changes"])
                self.seqs_applied.append(entry["seq"])
            self.seq = message["to"]
        elif kind == "ack":
            self.acks.update(message["ops"])
            for op_id in message["ops"]:
                self.outbox.pop(op_id, None)
        elif kind == "error":
            self.errors.append(message)
            self.outbox.pop(message.get("id"), None)

    async def send(self, message: dict[str, Any]) -> None:
        assert self.ws is not None
        await self.ws.send(json.dumps(message))

    async def op(self, op: dict[str, Any], op_id: str | None = None) -> str:
        op_id = op_id or f"op-{self._prefix}-{next(self._ids)}"
        message = {"type": "op", "id": op_id, "op": op}
        self.outbox[op_id] = self.sent[op_id] = message
        self._errors_when_sent[op_id] = len(self.errors)
        await self.send(message)
        return op_id

    async def reconnect(self) -> None:
        """Come back after a lost connection as a browser does: resume from the last seq
        applied, then resend every op not yet acked, in order."""
        await self.drop()
        await self.connect(since=self.seq)
        for message in list(self.outbox.values()):
            await self.send(message)

    async def create_note(
        self, note_id: str, text: str = "", x: float = 0, y: float = 0, **props: Any
    ) -> str:
        return await self.op(
            {
                "kind": "create",
                "obj": {"type": "note", "id": note_id, "x": x, "y": y, "text": text, **props},
            }
        )

    async def wait_for(self, condition: Callable[[], bool], timeout: float = WAIT) -> None:
        async def watch() -> None:
            while not condition():
                if self._reader is not None and self._reader.done() and not condition():
                    raise AssertionError("connection closed while waiting")
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(watch(), timeout)

    async def wait_acked(self, op_id: str) -> int:
        await self.wait_for(
            lambda: (
                op_id in self.acks
                or any(e.get("id") == op_id for e in self.errors)
                or bool(self.dropped_since(op_id))
            )
        )
        dropped = self.dropped_since(op_id)
        if dropped and op_id not in self.acks:
            raise RateLimited(f"op {op_id} may have been dropped: the server said {dropped[0]}")
        if op_id not in self.acks:
            raise AssertionError(f"op {op_id} refused: {[e for e in self.errors if e.get('id') == op_id]}")
        return self.acks[op_id]

    async def wait_error(self, count: int = 1) -> dict[str, Any]:
        await self.wait_for(lambda: len(self.errors) >= count)
        return self.errors[count - 1]

    async def wait_seq(self, seq: int) -> None:
        await self.wait_for(lambda: self.seq >= seq)

    def dropped_since(self, op_id: str) -> list[dict[str, Any]]:
        """`rate_limited` errors since this op was sent: messages were dropped without being
        named, so if it is not acknowledged yet it may never be."""
        since = self._errors_when_sent.get(op_id, 0)
        return [e for e in self.errors[since:] if e.get("code") == "rate_limited"]

    def notes(self) -> dict[str, dict[str, Any]]:
        return {oid: obj for oid, obj in self.objects.items() if obj.get("type") == "note"}

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    async def drop(self) -> None:
        """Lose the connection abruptly (no closing handshake), as a phone going offline."""
        if self.ws is not None:
            self.ws.transport.abort()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)


async def reconnect_until_back(client: BoardClient) -> None:
    for attempt in range(200):
        try:
            await client.reconnect()
            return
        except (OSError, AssertionError, TimeoutError):
            await asyncio.sleep(min(0.05 * (attempt + 1), 0.5))
    raise AssertionError("the server did not come back")


async def write(client: BoardClient, prefix: str, stop: asyncio.Event, rng: random.Random) -> None:
    """Create notes until told to stop, as a person keeps working while the server vanishes:
    an op whose send fails is already in the outbox and goes again on `reconnect`.

    At about 30 a second, the browser's own pace (`SEND_RATE` in static/js/board/sync.js):
    faster, a quick machine passes the server's 50 a second and the ops over it are dropped
    unnamed (`rate_limited`), which is the limit working, not the fault under test."""
    i = 0
    while not stop.is_set():
        try:
            await client.create_note(f"{prefix}-{i}", text=f"{prefix} {i}")
        except Exception:
            await asyncio.sleep(0.05)
        i += 1
        await asyncio.sleep(rng.uniform(0.02, 0.045))
