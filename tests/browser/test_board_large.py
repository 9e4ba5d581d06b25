"""A board of 5,000 objects loads and pans in Chromium (issue 3). Not timed: how smoothly is
measured by `python -m bench.frames`. What is checked here is that it works: the board loads,
only what is near the view has an element, and panning brings the rest in. Also: a link that
names a place opens the board there."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import (
    canvas_centre,
    draw,
    facilitator_socket,
    module_server,
    new_workshop,
    open_board,
    screenshot,
    settle,
)
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()
COLUMNS = 100
STEP = 230


def grid(count: int) -> list[dict[str, Any]]:
    """Notes, with a shape and a pen stroke now and then, on a grid 100 wide."""
    objects: list[dict[str, Any]] = []
    for i in range(count):
        x, y = (i % COLUMNS) * STEP, (i // COLUMNS) * STEP
        if i % 20 == 19:
            objects.append(
                {"type": "stroke", "id": f"o{i}", "x": x, "y": y, "points": [0, 0, 90, 60, 180, 0]}
            )
        elif i % 20 == 18:
            objects.append({"type": "shape", "id": f"o{i}", "x": x, "y": y, "w": 180, "h": 90})
        else:
            objects.append({"type": "note", "id": f"o{i}", "x": x, "y": y, "text": f"Idea {i}"})
    return objects


async def test_a_board_of_5000_objects_loads_and_pans(browser: Any, board_server: RunningServer) -> None:
    workshop = await new_workshop(board_server.base_url)
    socket = await facilitator_socket(workshop)
    try:
        objects = grid(5000)
        ids = [
            await socket.op(
                {"kind": "batch", "ops": [{"kind": "create", "obj": obj} for obj in objects[i : i + 250]]}
            )
            for i in range(0, len(objects), 250)
        ]
        for op_id in ids:
            await socket.wait_acked(op_id)
    finally:
        await socket.close()

    # Open it looking at the top-left corner, at 100 %, by a link that names the place.
    a = await open_board(browser, workshop, online=False)
    page = a.page
    try:
        await page.goto("about:blank")
        await page.goto(f"/b/{workshop.main}#@600,300,100")
        await page.wait_for_function("() => document.documentElement.dataset.connection === 'online'")
        await page.locator(".item.note[data-id='o0']").wait_for()
        await settle(page)
        drawn = await page.locator("#world .item").count()
        assert 20 < drawn < 400, f"only what is near the view has an element ({drawn})"
        assert await page.locator(".zoom-level").inner_text() == "100%"

        x, y = await canvas_centre(page)
        far_right = page.locator(".item.note[data-id='o12']")  # 12 * 230 = 2760 units right
        assert await far_right.count() == 0
        await page.keyboard.down("Space")  # pan whatever is under the pointer
        for _ in range(3):
            await draw(page, [(x + 400, y + 150), (x - 400, y + 150)])  # 800 px to the left, each time
        await page.keyboard.up("Space")
        await far_right.wait_for()
        assert "Idea 12" in await far_right.inner_text()
        assert await page.locator(".item.note[data-id='o0']").count() == 0, (
            "what left the view let go of its element"
        )
        await page.wait_for_function("() => location.hash === '#@3000,300,100'")

        await page.keyboard.press("f")
        await page.locator("#overview:not([hidden])").wait_for()
        await page.wait_for_function("() => document.querySelectorAll('#world .item').length === 0")
        await screenshot(page, "board-5000-objects")
    finally:
        await a.close()
