"""One hostile participant cannot hurt anyone else (issue 15): floods end with a close frame
and the documented code, and what the server holds in memory has byte budgets. Real servers
over loopback; the hostile client knows only docs/protocol.md."""

from __future__ import annotations

import asyncio
import json
import time

from tests.conftest import RunningServer
from tests.support import BoardClient, create_workshop, join

CURSOR = json.dumps({"type": "cursor", "x": 1, "y": 2})


async def _joined(server: RunningServer) -> tuple[BoardClient, BoardClient]:
    workshop = await create_workshop(server.base_url)
    hostile = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    bystander = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    return hostile, bystander


async def _close_code_after(client: BoardClient, send: float) -> int | None:
    """The code of the close frame the server sent, once the socket is closed (None: the
    connection ended without one, which the client sees as 1006)."""
    assert client.ws is not None
    await asyncio.wait_for(client.ws.wait_closed(), send)
    close = client.ws.protocol.close_rcvd
    return None if close is None else close.code


async def test_a_sustained_flood_is_closed_with_1008_though_some_messages_get_through(
    server: RunningServer,
) -> None:
    """~8,000 messages a second: the rate lets one through every 20 ms, which must not wipe
    the flood's count ("2,000 refused in a row" never closed it)."""
    hostile, bystander = await _joined(server)
    assert hostile.ws is not None
    started = time.monotonic()
    while time.monotonic() - started < 8 and hostile.ws.close_code is None:
        for _ in range(80):
            if hostile.ws.close_code is not None:
                break
            try:
                await hostile.ws.send(CURSOR)
            except Exception:
                break
        await asyncio.sleep(0.01)
    assert await _close_code_after(hostile, 5) == 1008
    await bystander.wait_acked(await bystander.create_note("after"))
    await bystander.close()


async def test_three_thousand_messages_at_once_end_with_a_close_frame(server: RunningServer) -> None:
    hostile, bystander = await _joined(server)
    assert hostile.ws is not None
    for _ in range(3_000):
        try:
            await hostile.ws.send(CURSOR)
        except Exception:
            break
    assert await _close_code_after(hostile, 10) == 1008, "a close frame with the documented code"
    await bystander.wait_acked(await bystander.create_note("after"))
    await bystander.close()
