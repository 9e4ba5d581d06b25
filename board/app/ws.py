"""The websocket endpoint: one loop per socket, two phases.

    AWAITING_HELLO --hello (token and board check out)--> JOINED --disconnect--> done

Every frame is size-capped, rate-limited and decoded into a typed message before anything
else looks at it. A bad frame gets an `error` frame naming the code, the field and the rule,
and the socket stays open; nothing of it reaches the board or anyone else. Only faults of the
connection itself close it: a foreign Origin (refused before the handshake completes), a
frame past `hard_frame_bytes` (1009), invalid UTF-8 in a text frame (1007), a frame breaking
the websocket protocol (1002), a flood (1008: `FLOOD_REFUSALS`), a slow reader (1013:
`outlet.py`); each with a close frame, after the acks of the ops sent before it. A binary frame
is refused (`bad_json`) and the socket stays open.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from collections.abc import Callable
from typing import Any

from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from websockets.protocol import State
from websockets.server import ServerProtocol

from board.app.auth import same_origin
from board.app.services import Services
from board.app.wsprotocol import FAULT
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.protocol import CloseCode, Cursor, Hello, OpMessage, Signal, decode, encode_error, op_id_of
from board.core.ratelimit import TokenBucket
from board.core.state import Actor
from board.services.copies import check as check_copies
from board.services.copies import names_another_board
from board.services.credentials import digest
from board.services.facilitation import arrived
from board.sync.outlet import Outlet, WriteWire
from board.sync.room import Client, Room

log = logging.getLogger(__name__)

SOCKET_PATH = "/ws"
"""The board's websocket: `main.SocketFirst` sends it here, around Starlette."""
FLOOD_REFUSALS = 5 * LIMITS.message_burst
"""Messages refused for rate that a socket may have to its name before it is closed with 1008:
a client that ignores `rate_limited` errors this long is not a person. Counted over time, not
in a row (one accepted message every 20 ms must not wipe the count): the count drains at
`FLOOD_FORGIVEN_PER_SECOND`, so 1,000 refusals close the socket at once, or a socket sending
over 150 messages a second for a while."""
FLOOD_FORGIVEN_PER_SECOND = 2 * LIMITS.messages_per_second
"""How fast refused messages are forgotten: 100 a second, twice the rate a socket may send."""
FLOOD_ERROR_INTERVAL = 1.0
"""Seconds between `rate_limited` errors, so a flood does not become a flood of errors."""


BINARY_REFUSED = ProtocolError(
    ErrorCode.BAD_JSON, "", "messages are JSON in text frames; binary frames are refused"
)
COPY_UNCHECKED = ProtocolError(
    ErrorCode.NOT_STORED, "op", "the board this was copied from could not be read; try again"
)
"""A paste from another board when that board could not be read (`board/services/copies.py`)."""
SETTLE_TIMEOUT = 5.0
"""Seconds a socket closing for a bad frame waits for its ops' acks before closing anyway."""


class Rate(enum.Enum):
    """What the socket's rates make of one frame (`BoardSession._rate`)."""

    WITHIN = "within"
    DROPPED = "dropped"
    """Over a rate: dropped unread; an occasional `rate_limited` error says so."""
    FLOOD = "flood"
    """Dropped past `FLOOD_REFUSALS` over time: the socket is closed with 1008, after its acks."""


class Phase(enum.Enum):
    AWAITING_HELLO = "awaiting_hello"
    JOINED = "joined"


async def board_socket(scope: Scope, receive: Receive, send: Send) -> None:
    """The ASGI app for one board socket. `send` is the server's own (no middleware wraps it):
    the outlet asks it whether the socket can take a frame now (`outlet.py`)."""
    websocket = WebSocket(scope, receive, send)
    services: Services = websocket.app.state.services
    if not same_origin(websocket, services.settings.allowed_origins):
        await websocket.close(code=CloseCode.POLICY, reason="origin not allowed")
        return
    await websocket.accept()
    session = BoardSession(services, websocket, receive, send)
    try:
        await session.run()
    finally:
        session.leave()
    # A socket the server closed (a flood, a slow client) sends its close frame before this
    # endpoint returns: returning first would let the server drop the connection with no
    # close frame, and unread messages would turn it into a TCP reset (the client sees 1006
    # and cannot tell "do not retry").
    await session.outlet.wait_closed()


def _outlet(websocket: WebSocket, raw_send: Send) -> Outlet:
    socket = _Socket(websocket, raw_send)
    return Outlet(
        socket.send_text, socket.writable(), socket.close, LIMITS.max_outbox_bytes, socket.wire_writer()
    )


def _never() -> bool:
    return False


class _Socket:
    """One socket as its outlet sends to it (`outlet.py`): through the server's `send`, and,
    under uvicorn's sans-I/O websocket protocol, by direct writes of pre-built frames. Bound
    methods of one slotted object rather than closures: a closure with its cells takes ~200
    bytes, a bound method 64, and every open socket holds three (issue 19)."""

    __slots__ = ("_connection", "_protocol", "_send", "_transport", "_websocket")

    def __init__(self, websocket: WebSocket, raw_send: Send) -> None:
        self._websocket = websocket
        self._send = raw_send
        self._protocol: Any = getattr(raw_send, "__self__", None)
        self._transport: Any = getattr(self._protocol, "transport", None)
        self._connection: Any = getattr(self._protocol, "conn", None)

    def writable(self) -> Callable[[], bool]:
        """Whether the socket can take a frame now: never, under a server we cannot ask."""
        event = getattr(self._protocol, "writable", None)
        return event.is_set if isinstance(event, asyncio.Event) else _never

    def wire_writer(self) -> WriteWire | None:
        """Direct writes of pre-built frames to uvicorn's sans-I/O websocket protocol, when this
        is one: the socket must be open, with no close sent. None under any other server."""
        # uvloop's transports do not subclass asyncio's, so ask for what is used.
        if not isinstance(self._connection, ServerProtocol) or not callable(
            getattr(self._transport, "write", None)
        ):
            return None
        if not isinstance(getattr(self._protocol, "close_sent", None), bool):
            return None
        return self.write

    def write(self, wire: bytes) -> bool:
        transport = self._transport
        if self._protocol.close_sent or self._connection.state is not State.OPEN or transport.is_closing():
            return False
        transport.write(wire)
        return True

    async def send_text(self, text: str | bytes) -> None:
        if isinstance(text, bytes):
            await self._send({"type": "websocket.send", "bytes": text})
        else:
            await self._send({"type": "websocket.send", "text": text})

    async def close(self, code: int, reason: str) -> None:
        await self._websocket.close(code, reason)


KEPT_SCOPE = ("type", "client", "app")
"""What of the server's scope a joined socket keeps, for anyone who would log it. Nothing reads
the rest after the join: uvicorn reads the path, query and client only to log the handshake,
Starlette's `WebSocket` reads none of it to receive, send or close, and this endpoint reads the
origin, the cookie and the app before the join (`paths.refusal` the query, before that)."""


def _forget_handshake(websocket: WebSocket) -> None:
    """Let the handshake go once joined: the scope's ~15 entries and what they hold (the
    headers with the cookie and origin, the path and query, the ASGI and state dicts) are read
    before and never after, but the server holds the scope for as long as the socket is open
    (issue 19: memory per idle connection). Cleared, not popped: popping would keep the dict's
    table at its full size."""
    scope = websocket.scope
    kept = {key: scope[key] for key in KEPT_SCOPE if key in scope}
    scope.clear()
    scope.update(kept)
    # What Starlette parsed from the scope stays cached on the connection: the headers, and
    # the cookies (a session token among them) when the hello came without a token.
    for cached in ("_headers", "_cookies"):
        vars(websocket).pop(cached, None)


def _utf8_size(text: str) -> int:
    """The bytes a text frame took on the wire: what the byte rates and budgets count. Its
    length only when it is ASCII (which CPython knows without looking); an emoji is 4 bytes,
    and counted as one character a script sent four times what the limits say."""
    return len(text) if text.isascii() else len(text.encode())


class BoardSession:
    __slots__ = (
        "bucket",
        "bytes",
        "client",
        "last_flood_error",
        "outlet",
        "phase",
        "receive",
        "refusals",
        "room",
        "services",
        "websocket",
    )
    """One per open socket, for as long as it is open: slots, not a dict (issue 19)."""

    def __init__(self, services: Services, websocket: WebSocket, receive: Receive, raw_send: Send) -> None:
        self.services = services
        self.websocket = websocket
        self.receive = receive
        """The server's own, past Starlette's `WebSocket.receive` (whose state checks guard
        the handshake, done by now): one coroutine fewer waiting on every idle socket."""
        self.outlet = _outlet(websocket, raw_send)
        self.phase = Phase.AWAITING_HELLO
        self.client: Client | None = None
        self.room: Room | None = None
        self.bucket = TokenBucket(LIMITS.messages_per_second, LIMITS.message_burst)
        self.bytes = TokenBucket(LIMITS.socket_bytes_per_second, LIMITS.socket_bytes_burst)
        self.refusals = TokenBucket(FLOOD_FORGIVEN_PER_SECOND, FLOOD_REFUSALS)
        """What is left of the socket's allowance of refused messages (`FLOOD_REFUSALS`)."""
        self.last_flood_error = float("-inf")

    async def run(self) -> None:
        # One frame at a time in `_take`, whose locals (the frame's text, its message, the
        # decoded hello) go when it returns: an idle socket waits here holding none of them.
        while not self.outlet.closed:
            if not await self._take(await self.receive()):
                return

    async def _take(self, message: Message) -> bool:
        """Handle one message from the socket; False when the socket is done with."""
        if message["type"] == "websocket.disconnect":
            return False
        fault = message.get(FAULT)
        if fault is not None:  # a frame the websocket layer refused (wsprotocol.py)
            await self.close_after_acks(*fault)
            return False
        frame: Any = message.get("text")
        size = _utf8_size(frame) if frame is not None else len(message.get("bytes") or b"")
        rate = self._rate(asyncio.get_running_loop().time(), size)
        if rate is Rate.FLOOD:
            await self.close_after_acks(CloseCode.POLICY, "too many messages")
            return False
        if rate is Rate.DROPPED:
            return True
        if frame is None:
            self.refuse(BINARY_REFUSED)
            return True
        decoded = decode(frame)
        if isinstance(decoded, ProtocolError):
            self.refuse(decoded, op_id_of(frame) if len(frame) <= LIMITS.max_frame_bytes else None)
            return True
        await self.handle(decoded, size)
        return True

    def _rate(self, now: float, size: int) -> Rate:
        """Whether this frame is within the socket's rates, in messages and in bytes (checked
        before decoding: a dropped frame costs the server next to nothing), dropped, or the
        last straw of a flood. A facilitator's socket has no byte rate: they hold the key, and
        lay out whole activities."""
        trusted = self.client is not None and self.client.actor.facilitator
        if self.bucket.take(now) and (trusted or self.bytes.take(now, size)):
            return Rate.WITHIN
        if not self.refusals.take(now):
            return Rate.FLOOD
        if now - self.last_flood_error >= FLOOD_ERROR_INTERVAL:
            self.last_flood_error = now
            self.refuse(
                ProtocolError(
                    ErrorCode.RATE_LIMITED,
                    "",
                    f"at most {LIMITS.messages_per_second:g} messages and "
                    f"{LIMITS.socket_bytes_per_second // 1024} KiB a second; "
                    "messages over the limit were dropped",
                )
            )
        return Rate.DROPPED

    async def handle(self, message: Hello | OpMessage | Cursor | Signal, size: int = 0) -> None:
        """`size`: the frame's length, what an op costs against the byte budgets."""
        if isinstance(message, Hello):
            if self.phase is Phase.JOINED:
                self.refuse(
                    ProtocolError(
                        ErrorCode.BAD_MESSAGE,
                        "type",
                        "already joined; open a new connection to change board",
                    )
                )
                return
            await self.join(message)
            return
        if self.phase is Phase.AWAITING_HELLO or self.room is None or self.client is None:
            self.refuse(
                ProtocolError(ErrorCode.NOT_JOINED, "type", "send hello first"),
                getattr(message, "id", None),
            )
            return
        if isinstance(message, OpMessage):
            if names_another_board(message):  # a paste from another board: checked there first
                try:
                    checked = await check_copies(
                        self.services.hub, self.services.directory, self.room, self.client.actor, message
                    )
                except Exception:  # a store error refuses this op alone, as in a commit
                    log.warning("a paste's origin could not be checked", exc_info=True)
                    checked = COPY_UNCHECKED
                if isinstance(checked, ProtocolError):
                    self.refuse(checked, message.id)
                    return
                message = checked
            self.room.submit(self.client, message, size)
        elif isinstance(message, Cursor):
            self.room.move_cursor(self.client, message)
        else:
            refused = self.room.signal(self.client, message)
            if refused:
                self.refuse(refused)

    async def join(self, hello: Hello) -> None:
        services = self.services
        located = await services.directory.board_workshop(hello.board)
        if located is None:
            self.refuse(ProtocolError(ErrorCode.UNAUTHORIZED, "board", "no such board, or not yours"))
            return
        workshop_id, number = located
        token = hello.token or services.sessions.token_for(self.websocket, workshop_id)
        if token is None:
            self.refuse(ProtocolError(ErrorCode.UNAUTHORIZED, "token", "join the workshop first"))
            return
        member = await services.directory.member(digest(token))
        if member is None or member.workshop_id != workshop_id:
            self.refuse(ProtocolError(ErrorCode.UNAUTHORIZED, "board", "no such board, or not yours"))
            return
        # Before the welcome, after which the page asks `where`.
        await arrived(services.directory, member, hello.board, number)
        room = await services.hub.room(hello.board)
        if self.outlet.closed:
            return
        client = Client(
            services.hub.new_cid(),
            Actor(member.id, member.facilitator),
            member.name,
            self.outlet,
            compressed=hello.compressed,
        )
        welcome = {
            "board": hello.board,
            "role": member.role,
            "you": {"cid": client.cid, "name": member.name},
            "workshop": {"id": workshop_id, "number": number},
        }
        room.attach(client, hello.since, welcome)
        self.client, self.room, self.phase = client, room, Phase.JOINED
        _forget_handshake(self.websocket)

    async def close_after_acks(self, code: int, reason: str) -> None:
        """Close the socket, once the ops it sent before are committed (or refused) and their
        acks sent: a client closed for a bad frame still learns what was kept."""
        if self.room is not None and self.client is not None:
            with contextlib.suppress(Exception):  # a board that failed (1011) owes no acks
                await asyncio.wait_for(self._settled(self.room, self.client), SETTLE_TIMEOUT)
        if self.outlet.closed:
            return
        self.outlet.closed = True
        with contextlib.suppress(Exception):  # awaited, so it is sent before the endpoint returns
            await self.websocket.close(code, reason)

    async def _settled(self, room: Room, client: Client) -> None:
        await room.settle(client)
        await self.outlet.flushed()

    def refuse(self, error: ProtocolError, op_id: str | None = None) -> None:
        self.outlet.push(encode_error(error, op_id))

    def leave(self) -> None:
        if self.room is not None and self.client is not None:
            self.room.detach(self.client)
        self.outlet.closed = True
