"""The board when the connection misbehaves: a socket the server closes, an op lost on its way
in, an ack lost on its way out, a change the server refuses. The browser's own socket is routed
through Playwright (`page.route_web_socket`), which can drop or rewrite messages and close the
socket from the server's side; the server behind it is real."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.browser.helpers import (
    add_note,
    module_server,
    new_workshop,
    note,
    open_board,
    screenshot,
    server_objects,
    wait_online,
)
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()
SOCKET = re.compile(r"/ws$")


class Wire:
    """The browser's websocket, routed: forwards both ways unless told to drop."""

    def __init__(self) -> None:
        self.routes: list[Any] = []
        self.drop_ops = False
        self.drop_acks = False
        self.rewrite: Any = None
        self.ops_seen = 0

    async def attach(self, page: Any) -> None:
        await page.route_web_socket(SOCKET, self.handle)

    def handle(self, ws: Any) -> None:
        server = ws.connect_to_server()
        self.routes.append(ws)

        def upward(message: str | bytes) -> None:
            data = json.loads(message)
            if data.get("type") == "op":
                self.ops_seen += 1
                if self.drop_ops:
                    return
                if self.rewrite:
                    data = self.rewrite(data)
            server.send(json.dumps(data))

        def downward(message: str | bytes) -> None:
            if self.drop_acks and json.loads(message).get("type") == "ack":
                return
            ws.send(message)

        ws.on_message(upward)
        server.on_message(downward)

    async def close_from_server(self, code: int = 1012) -> None:
        await self.routes[-1].close(code=code, reason="restarting")


async def test_a_socket_closed_by_the_server_resends_what_was_lost_exactly_once(
    browser: Any, board_server: RunningServer
) -> None:
    """[P2] An op that never reached the server, and one whose ack never came back, both
    arrive once after the server closes the socket (1012) and the page reconnects."""
    workshop = await new_workshop(board_server.base_url)
    wire = Wire()
    a = await open_board(browser, workshop, online=False)
    b = await open_board(browser, workshop)
    try:
        await wire.attach(a.page)
        await a.page.reload()
        await wait_online(a.page)
        assert len(wire.routes) == 1

        wire.drop_ops = True
        await add_note(a.page, "Lost on the way in")
        wire.drop_ops = False
        wire.drop_acks = True
        await add_note(a.page, "Ack lost on the way out")
        await note(b.page, "Ack lost on the way out").wait_for()
        assert await note(b.page, "Lost on the way in").count() == 0

        await wire.close_from_server(1012)
        wire.drop_acks = False
        await a.page.wait_for_function(
            "() => document.getElementById('connection').dataset.connection !== 'online'"
        )
        await wait_online(a.page)
        await note(b.page, "Lost on the way in").wait_for()
        await a.page.wait_for_function(
            "() => !document.getElementById('connection').textContent.includes('saved on this device')"
        )
        texts = sorted(o["text"] for o in (await server_objects(workshop)).values() if o["type"] == "note")
        assert texts == ["Ack lost on the way out", "Lost on the way in"], "each note exactly once"
        assert await b.page.locator(".item.note").count() == 2
        assert len(wire.routes) == 2, "one reconnection"
        await screenshot(a.page, "board-reconnected-after-server-close")
    finally:
        await a.close()
        await b.close()


async def test_a_change_the_server_refuses_is_rolled_back_and_explained(
    browser: Any, board_server: RunningServer
) -> None:
    """The page checks lengths itself; a message rewritten on the way (as a buggy or hostile
    client would send it) shows what the server does: refuse it, and the page undoes it."""
    workshop = await new_workshop(board_server.base_url)
    wire = Wire()
    a = await open_board(browser, workshop, online=False)
    b = await open_board(browser, workshop)
    try:
        await wire.attach(a.page)
        await a.page.reload()
        await wait_online(a.page)
        mine = await add_note(a.page, "Short")
        await note(b.page, "Short").wait_for()

        def too_long(data: dict[str, Any]) -> dict[str, Any]:
            op = data["op"]
            if op.get("kind") == "update" and "text" in op.get("props", {}):
                op["props"]["text"] = "x" * 1001
            return data

        wire.rewrite = too_long
        await mine.dblclick()
        editor = a.page.locator("textarea.editor")
        await editor.fill("Changed")
        await editor.press("Escape")
        toast = a.page.locator(".toast-error")
        await toast.wait_for()
        assert "That text is too long" in await toast.inner_text()
        await note(a.page, "Short").wait_for()
        assert await note(a.page, "Changed").count() == 0, "the refused change is rolled back"
        assert await note(b.page, "Short").count() == 1
        assert await note(b.page, "xxxx").count() == 0, "nobody else saw it"
        await screenshot(a.page, "board-refused-change-rolled-back")
    finally:
        await a.close()
        await b.close()
