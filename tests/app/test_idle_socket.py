"""What a joined, idle board socket keeps on the server (issue 19: memory per idle connection).

The numbers come from `python -m bench.idle_memory` (BENCHMARKS.md); these tests hold the
shapes that make them, so that an upgrade of uvicorn or a new attribute cannot quietly undo
them: uvicorn's protocol object with every attribute in a slot, the handshake let go once
joined."""

from __future__ import annotations

from typing import Any

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
