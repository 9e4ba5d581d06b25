"""A lean websocket client for load generation: an asyncio `Protocol`, no library in between.

The load generator has to read every frame a thousand sockets receive (up to ~70,000 frames a
second on this two-core machine, sharing it with the server), so each frame must cost it a few
microseconds. A full client library spends tens of microseconds per message on tasks, queues
and checks that a benchmark does not need; this one parses the server's unmasked frames
straight out of `data_received` and hands each complete text frame, with the time its bytes
arrived, to a callback.

What it does: the HTTP/1.1 upgrade handshake (no extensions, so no permessage-deflate),
masked client frames (RFC 6455 §5.3, with the `websockets` C masking helper), fragmented
messages, answering pings, and the closing handshake. What it does not: TLS, compression,
validating UTF-8 (the server's frames are trusted).
"""

from __future__ import annotations

import asyncio
import base64
import os
import struct
import time
from collections.abc import Callable
from typing import cast

from websockets.speedups import apply_mask

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA

OnText = Callable[["WsClient", bytes, int], None]
"""Called with the client, a complete message and `time.monotonic_ns()` of the read that
completed it. Our server sends only text; the Yjs peers (bench/peers) send binary."""


class HandshakeFailed(ConnectionError):
    pass


class WsClient(asyncio.Protocol):
    """One websocket. `opened` resolves after the 101; `closed` when the connection is gone."""

    __slots__ = (
        "_buffer",
        "_fragments",
        "_handshake",
        "_host",
        "_key",
        "_on_text",
        "_path",
        "bytes_received",
        "close_code",
        "closed",
        "frames_received",
        "opened",
        "tag",
        "transport",
    )

    def __init__(self, host: str, path: str, on_text: OnText, tag: object = None) -> None:
        loop = asyncio.get_running_loop()
        self._host = host
        self._path = path
        self._on_text = on_text
        self._key = base64.b64encode(os.urandom(16)).decode()
        self._handshake: bytearray | None = bytearray()
        self._buffer = bytearray()
        self._fragments: list[bytes] | None = None
        self.transport: asyncio.Transport | None = None
        self.opened: asyncio.Future[None] = loop.create_future()
        self.closed: asyncio.Future[None] = loop.create_future()
        self.close_code: int | None = None
        self.frames_received = 0
        self.bytes_received = 0
        self.tag = tag
        """Whatever the owner wants to find again from a callback."""

    # -- asyncio.Protocol -----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports do not subclass asyncio.Transport, but have its methods.
        self.transport = cast(asyncio.Transport, transport)
        request = (
            f"GET {self._path} HTTP/1.1\r\n"
            f"Host: {self._host}\r\n"
            "Upgrade: websocket\r\n"
            "Connection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {self._key}\r\n"
            "Sec-WebSocket-Version: 13\r\n"
            "\r\n"
        )
        self.transport.write(request.encode())

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.opened.done():
            self.opened.set_exception(HandshakeFailed(f"connection lost during handshake: {exc}"))
        if not self.closed.done():
            self.closed.set_result(None)

    def data_received(self, data: bytes) -> None:
        now = time.monotonic_ns()
        self.bytes_received += len(data)
        if self._handshake is not None:
            rest = self._read_handshake(data)
            if not rest:
                return
            data = rest
        buffer = self._buffer
        if buffer:
            buffer += data
            view: bytes | bytearray = buffer
        else:
            view = data
        size = len(view)
        pos = 0
        while size - pos >= 2:
            first = view[pos]
            length = view[pos + 1] & 0x7F
            start = pos + 2
            if length == 126:
                if size - pos < 4:
                    break
                length = (view[pos + 2] << 8) | view[pos + 3]
                start = pos + 4
            elif length == 127:
                if size - pos < 10:
                    break
                (length,) = struct.unpack_from("!Q", view, pos + 2)
                start = pos + 10
            end = start + length
            if end > size:
                break
            payload = bytes(view[start:end])
            pos = end
            self.frames_received += 1
            if not self._on_frame(first, payload, now):
                return
        if buffer:
            del buffer[:pos]
        elif pos < size:
            buffer += data[pos:]

    def _read_handshake(self, data: bytes) -> bytes:
        """Gather the server's handshake reply; once it is whole, open (or fail) and return the
        bytes after it, the first frames. Returns b"" while the reply is incomplete."""
        assert self._handshake is not None
        self._handshake += data
        end = self._handshake.find(b"\r\n\r\n")
        if end < 0:
            return b""
        head, rest = bytes(self._handshake[:end]), bytes(self._handshake[end + 4 :])
        self._handshake = None
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status + b" ":
            self.opened.set_exception(HandshakeFailed(status.decode(errors="replace")))
            self._abort()
            return b""
        self.opened.set_result(None)
        return rest

    def _on_frame(self, first: int, payload: bytes, now: int) -> bool:
        """One whole frame, by its first byte (FIN bit and opcode): messages to the owner,
        fragments gathered, pings answered. Returns False once the server has closed."""
        opcode = first & 0x0F
        if opcode in (OP_TEXT, OP_BINARY) and first & 0x80:
            self._on_text(self, payload, now)
        elif opcode in (OP_TEXT, OP_BINARY):
            self._fragments = [payload]
        elif opcode == OP_CONT and self._fragments is not None:
            self._fragments.append(payload)
            if first & 0x80:
                message = b"".join(self._fragments)
                self._fragments = None
                self._on_text(self, message, now)
        elif opcode == OP_PING:
            self._send_frame(OP_PONG, payload)
        elif opcode == OP_CLOSE:
            self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
            self._send_frame(OP_CLOSE, payload[:2])
            if self.transport is not None:
                self.transport.close()
            return False
        return True

    # -- sending --------------------------------------------------------------------------------

    def send_text(self, text: str) -> None:
        self._send_frame(OP_TEXT, text.encode())

    def send_binary(self, payload: bytes) -> None:
        self._send_frame(OP_BINARY, payload)

    def _send_frame(self, opcode: int, payload: bytes) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        length = len(payload)
        if length < 126:
            header = bytes((0x80 | opcode, 0x80 | length))
        elif length < 65536:
            header = struct.pack("!BBH", 0x80 | opcode, 0xFE, length)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0xFF, length)
        mask = os.urandom(4)
        transport.write(header + mask + apply_mask(payload, mask))

    def close(self, code: int = 1000) -> None:
        """Start the closing handshake; `closed` resolves when the server has closed the TCP
        connection (or at once if it is already gone)."""
        if self.transport is None or self.transport.is_closing():
            if not self.closed.done():
                self.closed.set_result(None)
            return
        self._send_frame(OP_CLOSE, code.to_bytes(2, "big"))

    def _abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    def abort(self) -> None:
        """Drop the connection without a closing handshake (a phone losing its network)."""
        self._abort()


async def open_ws(host: str, port: int, path: str, on_text: OnText, tag: object = None) -> WsClient:
    loop = asyncio.get_running_loop()
    _, client = await loop.create_connection(
        lambda: WsClient(f"{host}:{port}", path, on_text, tag), host, port
    )
    await client.opened
    return client
