"""Sending frames to one socket without making anyone wait.

The hub sends one pre-encoded frame to hundreds of sockets per tick. Awaiting each send in
turn would let one slow phone stall the whole board; a task per send would cost more than the
send itself (DESIGN.md §7). So `push` is synchronous:

- when the socket can take the frame now, it is written at once, inline;
- otherwise it joins this socket's queue, which one drainer task empties as the socket drains.

"Can take it now" comes from the server: uvicorn's websocket protocol pauses writing when the
transport's buffer passes its high-water mark, and its `send` waits for that pause to end.
Driving `send` one step (`coroutine.send(None)`) writes the frame and finishes when the socket
is writable; if it would wait instead, nothing has been written yet, so the coroutine is closed
and the frame queued. Under a server whose sockets we cannot probe, every frame goes through
the queue: slower, equally correct.

Fastest of all, when the server lets us reach its socket: a server's websocket text frame is
a 2-10 byte header and the payload, unmasked, so `Frame.wire` builds the bytes once and
every writable recipient gets them with a single `transport.write`, no per-recipient encoding
(DESIGN.md §7: "pre-encoded frames"). Only whole frames are ever written, so they cannot
interleave with the server's own pings and closes.

Slow-client policy: a socket more than `LIMITS.max_outbox_bytes` behind (counted as the memory
its queued frames take, `sys.getsizeof`, not their characters) is closed with 1013
(try again later). The client reconnects with the last seq it applied and resumes, from the
replay window or a fresh snapshot, so memory stays bounded and nobody is left inconsistent.
"""

from __future__ import annotations

import asyncio
import logging
import struct
import sys
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from board.core.protocol import CloseCode

log = logging.getLogger(__name__)

SendText = Callable[[str | bytes], Coroutine[Any, Any, None]]
"""Sends one message: text frames as `str`, binary frames (a compressed snapshot) as `bytes`."""
Close = Callable[[int, str], Awaitable[None]]
WriteWire = Callable[[bytes], bool]
"""Writes a whole pre-built websocket frame to the socket; False when it cannot right now."""


_closing: set[asyncio.Task[None]] = set()
"""Close tasks in flight: the event loop holds tasks weakly, so they are kept here."""


class Frame:
    """One server message, shared by every socket it goes to: its text (or, for a compressed
    snapshot, its bytes, sent as a binary frame), and its websocket wire bytes built at most
    once."""

    __slots__ = ("_wire", "text")

    def __init__(self, text: str | bytes) -> None:
        self.text = text
        self._wire: bytes | None = None

    @property
    def wire(self) -> bytes:
        if self._wire is None:
            text = self.text
            payload, opcode = (text, 0x82) if isinstance(text, bytes) else (text.encode(), 0x81)
            size = len(payload)
            if size < 126:
                header = struct.pack("!BB", opcode, size)
            elif size < 65536:
                header = struct.pack("!BBH", opcode, 126, size)
            else:
                header = struct.pack("!BBQ", opcode, 127, size)
            self._wire = header + payload
        return self._wire


class Bundle:
    """Several frames for one socket written with one `transport.write`: the websocket protocol
    allows frames back to back, and a socket write is the single largest cost of fan-out, so a
    tick's ops, cursors, presence and acks go out as one write (DESIGN.md §7)."""

    __slots__ = ("_wire", "frames")

    def __init__(self, frames: list[Frame]) -> None:
        self.frames = frames
        self._wire: bytes | None = None

    @property
    def wire(self) -> bytes:
        if self._wire is None:
            self._wire = b"".join(frame.wire for frame in self.frames)
        return self._wire


class Outlet:
    __slots__ = (
        "_close",
        "_closing",
        "_drainer",
        "_max_bytes",
        "_queue",
        "_queued_bytes",
        "_send",
        "_writable",
        "_write_wire",
        "closed",
    )

    def __init__(
        self,
        send: SendText,
        writable: Callable[[], bool],
        close: Close,
        max_bytes: int,
        write_wire: WriteWire | None = None,
    ) -> None:
        self._send = send
        self._write_wire = write_wire
        self._writable = writable
        self._close = close
        self._max_bytes = max_bytes
        self._queue: deque[str | bytes] | None = None
        """Made when a frame must wait (a deque is ~600 bytes, most sockets never need one)."""
        self._queued_bytes = 0
        self._drainer: asyncio.Task[None] | None = None
        self._closing: asyncio.Task[None] | None = None
        self.closed = False

    @property
    def backlog(self) -> int:
        """Bytes of memory the frames waiting to be sent take (a frame with one emoji takes 4
        bytes a character: Python's strings are as wide as their widest character)."""
        return self._queued_bytes

    def push(self, message: Frame | Bundle | str) -> None:
        if self.closed:
            return
        if isinstance(message, str):
            message = Frame(message)
        ready = self._drainer is None and not self._queue and self._writable()
        if ready and self._write_wire is not None and self._write_wire(message.wire):
            return
        for frame in message.frames if isinstance(message, Bundle) else (message,):
            self._push_text(frame.text, ready and not self._queue)

    def _push_text(self, text: str | bytes, ready: bool) -> None:
        if self.closed or (ready and self._send_now(text)):
            return
        if self._queue is None:
            self._queue = deque()
        self._queue.append(text)
        self._queued_bytes += sys.getsizeof(text)
        if self._queued_bytes > self._max_bytes:
            self.close(CloseCode.TOO_FAR_BEHIND, "too far behind; reconnect to resume")
            return
        if self._drainer is None:
            self._drainer = asyncio.create_task(self._drain())

    async def flushed(self) -> None:
        """Wait until every frame queued so far has been handed to the socket (or it failed)."""
        while self._drainer is not None and not self.closed:
            await asyncio.wait([self._drainer])

    def close(self, code: int, reason: str) -> None:
        if self.closed:
            return
        self.closed = True
        self._queue = None
        self._queued_bytes = 0
        task = self._closing = asyncio.create_task(self._close_quietly(code, reason))
        _closing.add(task)
        task.add_done_callback(_closing.discard)

    async def wait_closed(self) -> None:
        """Until a close asked for by `close` has been handed to the server (its close frame
        sent), if one was."""
        if self._closing is not None:
            await asyncio.shield(self._closing)

    def _send_now(self, frame: str | bytes) -> bool:
        coroutine = self._send(frame)
        try:
            coroutine.send(None)
        except StopIteration:
            return True
        except Exception:  # the peer went away: its connection task will clean up
            self.closed = True
            return True
        coroutine.close()
        return False

    async def _drain(self) -> None:
        try:
            while self._queue and not self.closed:
                frame = self._queue.popleft()
                self._queued_bytes -= sys.getsizeof(frame)
                await self._send(frame)
        except Exception:
            self.closed = True
        finally:
            self._drainer = None
            if not self._queue:
                self._queue = None

    async def _close_quietly(self, code: int, reason: str) -> None:
        try:
            await self._close(code, reason)
        except Exception:
            log.debug("closing a socket that was already gone", exc_info=True)
