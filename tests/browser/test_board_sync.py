"""Two or more people on one board, each in their own Chromium context (issue 3): what one does,
the others see, through the real server and the real websocket protocol."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import (
    add_note,
    module_server,
    new_workshop,
    note,
    object_box,
    open_board,
    screenshot,
)
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()


async def test_a_note_and_its_text_reach_the_other_person_and_a_move_comes_back(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    b = await open_board(browser, workshop)
    try:
        mine = await add_note(a.page, "Citizens' jury")
        seen = note(b.page, "Citizens' jury")
        await seen.wait_for()
        assert await seen.count() == 1

        before = await object_box(mine)
        box = await object_box(seen)
        await b.page.mouse.move(box["x"] + 40, box["y"] + 40)
        await b.page.mouse.down()
        await b.page.mouse.move(box["x"] + 140, box["y"] + 100, steps=8)
        await b.page.mouse.up()
        await a.page.wait_for_function(
            """([x, y]) => {
                const node = [...document.querySelectorAll('.item.note')]
                  .find((n) => n.textContent.includes("Citizens' jury"));
                const box = node && node.getBoundingClientRect();
                return box && Math.abs(box.x - x - 100) < 2 && Math.abs(box.y - y - 60) < 2;
            }""",
            arg=[before["x"], before["y"]],
        )
        await screenshot(a.page, "board-note-moved-seen-by-a")
        await screenshot(b.page, "board-note-moved-by-b")
    finally:
        await a.close()
        await b.close()
