"""What a joined, idle board socket keeps on the server (issue 19: memory per idle connection).

The numbers come from `python -m bench.idle_memory` (BENCHMARKS.md); these tests hold the
shapes that make them, so that an upgrade of uvicorn or a new attribute cannot quietly undo
them: uvicorn's protocol object with every attribute in a slot, the handshake let go once
joined."""

from __future__ import annotations

import json
from typing import Any

import httpx
from websockets.asyncio.client import connect

from board.app.ws import KEPT_SCOPE
from board.app.wsprotocol import BoardWebSocketProtocol
from tests.conftest import RunningServer
from tests.support import BoardClient, create_workshop, join


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
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        await http.post("/api/join", json={"code": workshop.join_code})
        cookie = http.cookies["board_session"]
    headers = {"Cookie": f"board_session={cookie}", "Origin": server.base_url}
    async with connect(server.ws_url + "?v=1", additional_headers=headers) as ws:
        await ws.send(json.dumps({"type": "hello", "v": 1, "board": workshop.main}))
        assert json.loads(await ws.recv())["type"] == "welcome"
        [socket] = await _sockets(server)
        assert sorted(socket.scope) == sorted(KEPT_SCOPE), "the headers, path and query are gone"
        assert cookie not in repr(socket.scope)
