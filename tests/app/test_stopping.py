"""Stopping the server (a deploy, a restart, the end of a test) while people are on boards and
the exit poll is being watched: everything of the server's finishes before its store closes,
so no query is left running against a closed event loop."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.conftest import RunningServer
from tests.support import BoardClient, create_workshop, join


@pytest.mark.parametrize("store", ["sqlite", "postgres+redis"])
async def test_a_server_stopped_mid_workshop_leaves_nothing_running(
    make_server: Callable[..., RunningServer], request: pytest.FixtureRequest, store: str
) -> None:
    if store == "sqlite":
        server = make_server()
    else:
        postgres, redis = request.getfixturevalue("postgres_url"), request.getfixturevalue("redis_url")
        server = make_server(database_url=postgres, broker_url=redis)
    workshops = [await create_workshop(server.base_url, f"Workshop {n}", breakouts=1) for n in range(3)]
    sockets = []
    for workshop in workshops:
        token = await join(workshop)
        async with httpx.AsyncClient(
            base_url=server.base_url, headers={"Authorization": f"Bearer {token}"}
        ) as http:
            answer = await http.get(f"/api/workshops/{workshop.id}/poll")
            assert answer.status_code == 200, answer.text
        for board in workshop.boards:
            socket = await BoardClient(server.ws_url, board, token).connect()
            await socket.wait_acked(await socket.create_note(f"n{len(sockets)}", "Benches by the library"))
            sockets.append(socket)
    for socket in sockets[::2]:
        await socket.close()  # some have left; the rest are still there when it stops

    server.stop()

    assert not server.thread.is_alive(), "the server stopped"
    assert server.server.leftover == [], "everything of the server's finished before its loop closed"
