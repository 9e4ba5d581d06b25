"""What a joined, idle board socket keeps on the server (issue 19: memory per idle connection).

The numbers come from `python -m bench.idle_memory` (BENCHMARKS.md); these tests hold the
shapes that make them, so that an upgrade of uvicorn or a new attribute cannot quietly undo
them: uvicorn's protocol object with every attribute in a slot, the handshake let go once
joined, no timer of its own for the next keepalive ping (and pings still go out)."""

from __future__ import annotations

import asyncio
import base64
import json
import os
from typing import Any

from websockets.asyncio.client import connect

from board.app.ws import KEPT_SCOPE
from board.app.wsprotocol import BoardWebSocketProtocol
from tests.conftest import RunningServer
from tests.support import BoardClient, browser_ws_headers, create_workshop, join


async def _sockets(server: RunningServer) -> list[BoardWebSocketProtocol]:
    """The server's open board sockets, read on its own loop (the set changes there)."""

    async def read() -> list[BoardWebSocketProtocol]:
        connections: Any = server.server.server_state.connections
        return [c for c in connections if isinstance(c, BoardWebSocketProtocol)]

    return await server.call(read())


async def test_a_joined_sockets_protocol_keeps_every_attribute_in_a_slot(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    client = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    [socket] = await _sockets(server)
    assert vars(socket) == {}, "an attribute outside the slots makes a 1.6 KiB dict per socket"
    await client.close()


async def test_a_joined_socket_lets_its_handshake_go_cookie_and_all(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    headers = await browser_ws_headers(workshop)
    cookie = headers["Cookie"].removeprefix("board_session=")
    async with connect(server.ws_url + "?v=1", additional_headers=headers) as ws:
        await ws.send(json.dumps({"type": "hello", "v": 1, "board": workshop.main}))
        assert json.loads(await ws.recv())["type"] == "welcome"
        [socket] = await _sockets(server)
        assert sorted(socket.scope) == sorted(KEPT_SCOPE), "the headers, path and query are gone"
        assert cookie not in repr(socket.scope)


async def test_an_idle_socket_has_no_timer_of_its_own_for_its_next_ping(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    client = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    [socket] = await _sockets(server)
    assert socket.ping_timer is None, "one timer pings every socket of the loop (wsprotocol.Pings)"
    await client.close()


async def test_a_socket_is_still_pinged_and_closed_with_1011_when_it_never_answers(
    server: RunningServer,
) -> None:
    config = server.server.config
    config.ws_ping_interval, config.ws_ping_timeout = 0.2, 0.5  # read by each new connection
    reader, writer = await asyncio.open_connection("127.0.0.1", server.settings.port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{server.settings.port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 101")

    async def frame() -> tuple[int, bytes]:
        """The next frame from the server (unmasked, short): its opcode and payload."""
        head = await reader.readexactly(2)
        return head[0] & 0x0F, await reader.readexactly(head[1] & 0x7F)

    opcode, _ = await asyncio.wait_for(frame(), 10)
    assert opcode == 0x9, "a ping"
    opcode, payload = await asyncio.wait_for(frame(), 10)  # the ping is never answered
    assert (opcode, int.from_bytes(payload[:2], "big")) == (0x8, 1011)
    writer.close()
