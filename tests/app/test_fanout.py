"""The fan-out design of DESIGN.md §7 holds under the server configuration we ship: frames go
to each socket as pre-built bytes, and a frame is encoded once however many receive it."""

from __future__ import annotations

from typing import Any

from board.sync.outlet import Bundle, Frame, Outlet
from tests.conftest import RunningServer
from tests.support import BoardClient, create_workshop, join


async def test_sockets_get_pre_built_frames_written_directly(server: RunningServer) -> None:
    """If an upgrade of uvicorn or websockets stops the probe finding the socket, frames
    still arrive (through the queue), but this test says the fast path is gone."""
    workshop = await create_workshop(server.base_url)
    client = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    room = server.services.hub.rooms[workshop.main]
    (only,) = room.clients
    assert only.outlet._write_wire is not None
    assert only.outlet._writable()
    await client.close()


async def test_one_frame_is_encoded_once_for_everyone(server: RunningServer, monkeypatch: Any) -> None:
    workshop = await create_workshop(server.base_url)
    clients = [
        await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect() for _ in range(5)
    ]
    pushed: list[Frame | Bundle | str] = []
    original = Outlet.push

    def recording(self: Outlet, message: Frame | Bundle | str) -> None:
        pushed.append(message)
        original(self, message)

    monkeypatch.setattr(Outlet, "push", recording)
    await clients[0].wait_acked(await clients[0].create_note("n", text="hello"))
    for client in clients:
        await client.wait_seq(1)
    frames = [f for m in pushed if isinstance(m, Bundle) for f in m.frames]
    ops_frames = [f for f in frames if f.text.startswith('{"type":"ops"')]
    assert len(ops_frames) == 5
    assert len({id(frame) for frame in ops_frames}) == 1, "the same frame object, encoded once"
    writes = [m for m in pushed if isinstance(m, Bundle) and any(f in ops_frames for f in m.frames)]
    assert len(writes) == 5, "one write per socket"
    (submitter,) = [m for m in writes if any(f.text.startswith('{"type":"ack"') for f in m.frames)]
    kinds = [f.text[:13] for f in submitter.frames if not f.text.startswith('{"type":"presence"')]
    assert kinds == ['{"type":"ops"', '{"type":"ack"'], "the ack follows its op (presence may ride along)"
    assert all(c.objects == clients[0].objects for c in clients)
