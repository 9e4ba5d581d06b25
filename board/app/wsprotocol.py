"""uvicorn's sans-I/O websocket protocol, with the board's answer to a client's broken frame.

A frame the websocket layer itself must refuse ends the connection: invalid UTF-8 in a text
frame (1007), a message past `hard_frame_bytes` (1009), a frame breaking RFC 6455 (1002).
uvicorn does that at once, in the transport: the frames the client sent before it, still
queued for the app, are committed with no socket left to ack them on; the close is written and
the socket shut with the rest of the client's message unread, which the kernel answers with a
TCP reset, so the client may never see the close code; and invalid UTF-8 logs a traceback.

Here the fault is a message to the app instead, after the frames that came before it
(`FAULT`: the close code and reason). The app commits what it was sent, sends the acks, then
closes (`ws.py`); until then nothing more is read into the app. The close frame goes out after
the acks, the write side is shut (EOF), and whatever the client still sends is read and
dropped until it closes too, so the close code arrives. One line in uvicorn's log tells of it
(a warning), with no traceback.

What an idle socket holds is kept small (issue 19: memory per idle connection): uvicorn's
receive queue (an `asyncio.Queue`, four deques of ~600 bytes each) is replaced by `Inbox`, its
`writable` event keeps its waiters in a list, and the parsed handshake (request and response,
with their headers) is let go once the socket is accepted, its request's headers emptied, and
the protocol's ~40 attributes live in slots rather than a dict of their own per socket. The
socket's keepalive pings come from one timer per event loop (`Pings`), not one per socket.
`python -m bench.idle_memory` measures it.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from uvicorn._types import ASGIReceiveEvent
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from board.core.protocol import CloseCode
from board.sync.outlet import Frame

FAULT = "board.fault"
"""Key of a `websocket.receive` message standing for a frame the client got wrong: its value
is `(code, reason)`, the close code the socket must be closed with."""
ABANDON_AFTER = 10.0
"""Seconds the app has to close after a fault (it waits at most `ws.SETTLE_TIMEOUT` for acks)
before the socket is closed without it."""
_SERVER_ADDRESSES: dict[tuple[str, int | None], tuple[str, int | None]] = {}
"""The server's own address, as every socket accepted on it is told it: one tuple shared by
all of them, rather than a tuple, a string and an int per socket (issue 19). One entry per
address the server listens on."""


class Inbox:
    """What uvicorn's protocol asks of its receive queue, for its one reader (the app's
    `receive`): a list and at most one waiter, instead of `asyncio.Queue`'s four deques."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, item: Any) -> None:
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def empty(self) -> bool:
        return not self._items

    def arrival(self) -> asyncio.Future[None]:
        """A future done once an item is put. Awaited by the protocol's `receive` itself: a
        coroutine of the inbox's own would be one more frame for every idle socket."""
        waiter = self._waiter = asyncio.get_running_loop().create_future()
        return waiter

    def pop(self) -> Any:
        self._waiter = None
        return self._items.pop(0)


PING_TICK = 1.0
"""Seconds between looks at which sockets are due a keepalive ping: a ping goes out up to this
late, against an interval of `server.PING_INTERVAL` (20 s)."""


class Pings:
    """Keepalive pings for every socket of one event loop, from one timer.

    uvicorn gives each socket a timer of its own for its next ping, ~600 bytes per idle socket
    under uvloop (issue 19). Here a socket waiting for its next ping is a dict entry, its due
    time, and one timer looks every `PING_TICK` for those due. Each ping is sent by a callback
    of its own, so one socket's failure is logged by the loop and touches no other. The pong
    deadline stays uvicorn's timer: it exists only while a ping is in flight."""

    __slots__ = ("_due", "_timer")

    def __init__(self) -> None:
        self._due: dict[BoardWebSocketProtocol, float] = {}
        self._timer: asyncio.TimerHandle | None = None

    def add(self, socket: BoardWebSocketProtocol, delay: float) -> None:
        loop = socket.loop
        self._due[socket] = loop.time() + delay
        if self._timer is None:
            self._timer = loop.call_later(PING_TICK, self._tick, loop)

    def discard(self, socket: BoardWebSocketProtocol) -> None:
        self._due.pop(socket, None)
        if not self._due and self._timer is not None:
            # Nothing left to ping: no timer keeps this (and, through it, the loop) alive.
            self._timer.cancel()
            self._timer = None

    def _tick(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        now = loop.time()
        for socket in [socket for socket, due in self._due.items() if due <= now]:
            del self._due[socket]
            loop.call_soon(socket.send_keepalive_ping)
        if self._due and self._timer is None:
            self._timer = loop.call_later(PING_TICK, self._tick, loop)


_PINGS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Pings] = weakref.WeakKeyDictionary()
"""Each event loop's `Pings` (a test process runs several servers, each on a loop of its own)."""


class BoardWebSocketProtocol(WebSocketsSansIOProtocol):
    # Every attribute uvicorn's protocol (0.55) and ours set, in slots: ~40 of them overflow
    # CPython's key-sharing instance dict (30 keys), which then becomes a 1.6 KiB table of its
    # own per socket; a slot takes 8 bytes (issue 19). One uvicorn adds later lands in the
    # instance dict and works as before (`tests/app/test_idle_socket.py` notices).
    __slots__ = (
        "_abandon",
        "app",
        "app_state",
        "asgi_version",
        "client",
        "close_sent",
        "close_timeout",
        "close_timer",
        "config",
        "conn",
        "connections",
        "curr_msg_data_type",
        "default_headers",
        "disconnected",
        "fault",
        "frames",
        "handshake_complete",
        "handshake_initiated",
        "held_close",
        "initial_response",
        "last_ping_rtt",
        "logger",
        "loop",
        "pending_ping_payload",
        "ping_interval",
        "ping_sent_at",
        "ping_timeout",
        "ping_timer",
        "pong_timer",
        "queue",
        "read_paused",
        "request",
        "response",
        "root_path",
        "scheme",
        "scope",
        "server",
        "tasks",
        "transport",
        "writable",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue: Any = Inbox()
        # An empty list for the event's waiters, not a ~600-byte deque: it is waited on only
        # while the socket's buffer is full.
        self.writable._waiters = []  # type: ignore[assignment]
        self.fault: tuple[int, str] | None = None
        """The close code and reason of the client's broken frame, once handed to the app;
        the frames after it are dropped."""
        self.held_close: bytes | None = None
        """The close frame the websocket layer wrote when it refused a frame, held back until
        the app has sent what it owes (acks)."""
        self._abandon: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        if self.server is not None:
            self.server = _SERVER_ADDRESSES.setdefault(self.server, self.server)

    # -- reading ------------------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        self.conn.receive_data(data)
        if self.conn.handshake_exc is not None and not self.handshake_initiated:
            self.handle_handshake_exception()
            return
        # The frames before a broken one reach the app first (uvicorn would drop them). After
        # a parser fault the websocket layer reads and drops whatever else the client sends,
        # so closing the socket never meets unread data (which the kernel answers with a
        # reset, losing the close code).
        self.handle_events()
        if self.conn.parser_exc is not None and self.held_close is None and not self.close_sent:
            close = self.conn.close_sent
            self.held_close = b"".join(self.conn.data_to_send())
            if self.fault is None:
                self._fault(
                    *((close.code, close.reason) if close is not None else (CloseCode.PROTOCOL_ERROR, ""))
                )

    def send_receive_event_to_app(self) -> None:
        if self.fault is not None:
            self.frames = []
            return
        if self.curr_msg_data_type == "text" and not self.close_sent:
            data = self.frames[0] if len(self.frames) == 1 else b"".join(self.frames)
            try:
                data.decode()
            except UnicodeDecodeError as error:
                self.frames = []
                self._fault(CloseCode.INVALID_DATA, f"invalid UTF-8 in a text frame at byte {error.start}")
                return
        super().send_receive_event_to_app()

    def _fault(self, code: int, reason: str) -> None:
        self.fault = (code, reason)
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
        self.logger.warning("%s - websocket closed with %d: %s", client, code, reason)
        # A receive event as ASGI knows it (empty bytes), marked for `ws.py`.
        event: Any = {"type": "websocket.receive", "bytes": b"", FAULT: (code, reason)}
        self.queue.put_nowait(event)
        self._abandon = self.loop.call_later(ABANDON_AFTER, self._release)

    async def receive(self) -> ASGIReceiveEvent:
        # uvicorn's, with the inbox's wait inlined (`Inbox.arrival`).
        inbox: Inbox = self.queue
        while inbox.empty():
            await inbox.arrival()
        message: ASGIReceiveEvent = inbox.pop()
        if self.read_paused and inbox.empty():
            self.read_paused = False
            self.transport.resume_reading()
        return message

    # -- writing ------------------------------------------------------------------------------

    async def send(self, message: Any) -> None:
        if message["type"] == "websocket.close" and self._abandon is not None:
            self._abandon.cancel()
            self._abandon = None
        if self.held_close is None:
            await super().send(message)
            if self.handshake_complete and self.response is not None:
                # Accepted: the parsed handshake is not looked at again. The request stays
                # referenced by the websockets parser (a local of its generator, for the
                # socket's life), so its headers are emptied as well as let go.
                self.request.headers.clear()
                self.request = self.response = None  # type: ignore[assignment]
            return
        # The websocket layer refused a frame and is closing: the app's last frames (acks)
        # are written as they are, then the held close frame.
        if message["type"] == "websocket.send" and message.get("text") is not None:
            if not self.transport.is_closing():
                self.transport.write(Frame(message["text"]).wire)
        elif message["type"] == "websocket.close":
            self._release()

    def _release(self) -> None:
        """Close: with the held close frame, or the fault's code if the app never closed."""
        self._abandon = None
        if self.transport.is_closing() or self.close_sent:
            return
        code = self.fault[0] if self.fault is not None else CloseCode.PROTOCOL_ERROR
        self.queue.put_nowait({"type": "websocket.disconnect", "code": code})
        if self.held_close is None:
            self.conn.send_close(code, "")
            self.transport.write(b"".join(self.conn.data_to_send()))
        else:
            self.transport.write(self.held_close)
            self.held_close = None
            if self.transport.can_write_eof():
                self.transport.write_eof()
        self.close_sent = True
        self.close_timer = self.loop.call_later(self.close_timeout, self.transport.close)

    def schedule_ping(self) -> None:
        assert self.ping_interval is not None
        pings = _PINGS.get(self.loop)
        if pings is None:
            pings = _PINGS[self.loop] = Pings()
        pings.add(self, max(0.0, self.ping_interval - self.last_ping_rtt))

    def stop_keepalive(self) -> None:
        super().stop_keepalive()
        pings = _PINGS.get(self.loop)
        if pings is not None:
            pings.discard(self)

    def send_keepalive_ping(self) -> None:
        if self.held_close is None:
            super().send_keepalive_ping()

    def keepalive_timeout(self) -> None:
        if self.held_close is None:
            super().keepalive_timeout()

    def shutdown(self) -> None:
        if self.held_close is not None:
            self._release()
            self.transport.close()
            return
        super().shutdown()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._abandon is not None:
            self._abandon.cancel()
            self._abandon = None
        super().connection_lost(exc)
