"""The board on a phone (390 x 844, touch): add a note, type into it, edit it again, move around
and zoom with two fingers, and every control big enough for a finger (44 px)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import (
    module_server,
    new_workshop,
    note,
    object_box,
    open_board,
    screenshot,
    server_objects,
)
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
    "device_scale_factor": 2,
}
TOUCH_TARGET = 44


class Fingers:
    """Real touch input, through the DevTools protocol: Chromium turns it into touch pointer
    events exactly as it does for a finger on glass."""

    def __init__(self, cdp: Any) -> None:
        self.cdp = cdp

    async def send(self, kind: str, points: list[tuple[float, float]]) -> None:
        touch_points = [
            {"x": x, "y": y, "id": i, "radiusX": 4, "radiusY": 4, "force": 1}
            for i, (x, y) in enumerate(points)
        ]
        await self.cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touch_points})

    async def gesture(
        self, start: list[tuple[float, float]], end: list[tuple[float, float]], steps: int = 10
    ) -> None:
        await self.send("touchStart", start)
        for step in range(1, steps + 1):
            t = step / steps
            await self.send(
                "touchMove",
                [
                    (sx + (ex - sx) * t, sy + (ey - sy) * t)
                    for (sx, sy), (ex, ey) in zip(start, end, strict=True)
                ],
            )
        await self.send("touchEnd", [])

    async def tap(self, x: float, y: float) -> None:
        await self.send("touchStart", [(x, y)])
        await self.send("touchEnd", [])


async def test_on_a_phone_a_note_is_added_edited_and_the_board_pans_and_zooms_with_two_fingers(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    phone = await open_board(browser, workshop, **PHONE)
    page = phone.page
    fingers = Fingers(await phone.context.new_cdp_session(page))
    try:
        canvas = await object_box(page.locator("#canvas"))
        cx, cy = canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2

        await page.get_by_role("button", name="Note", exact=True).tap()
        await fingers.tap(cx, cy)
        editor = page.locator("textarea.editor")
        await editor.wait_for()
        await page.keyboard.type("Bus stop by the library")
        await fingers.tap(cx, canvas["y"] + canvas["height"] - 80)  # somewhere empty: done
        await editor.wait_for(state="detached")
        added = note(page, "Bus stop by the library")
        await added.wait_for()

        box = await object_box(added)
        middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        await fingers.tap(*middle)
        await fingers.tap(*middle)  # a double tap edits
        await editor.wait_for()
        await page.keyboard.press("End")
        await page.keyboard.type(", please")
        await fingers.tap(cx, canvas["y"] + canvas["height"] - 80)
        await note(page, "Bus stop by the library, please").wait_for()

        # Two fingers apart: twice the zoom, around the point between them.
        before = await object_box(added)
        mx, my = cx, cy - 150
        await fingers.gesture([(mx - 50, my), (mx + 50, my)], [(mx - 100, my), (mx + 100, my)])
        after = await object_box(added)
        assert after["width"] == pytest.approx(before["width"] * 2, abs=2)
        assert after["x"] == pytest.approx(mx + (before["x"] - mx) * 2, abs=3)
        assert after["y"] == pytest.approx(my + (before["y"] - my) * 2, abs=3)
        assert await page.locator(".zoom-level").inner_text() == "200%"

        # Two fingers together: the board follows them.
        await fingers.gesture([(mx - 60, my), (mx + 60, my)], [(mx - 20, my + 90), (mx + 100, my + 90)])
        panned = await object_box(added)
        assert panned["x"] == pytest.approx(after["x"] + 40, abs=3)
        assert panned["y"] == pytest.approx(after["y"] + 90, abs=3)

        [stored] = [o for o in (await server_objects(workshop)).values() if o["type"] == "note"]
        assert stored["text"] == "Bus stop by the library, please"

        small = await page.evaluate(
            """(size) => [...document.querySelectorAll('button, a, [role=button]')]
                .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().right > 0)
                .map((el) => [el.getAttribute('aria-label') || el.textContent.trim(),
                              el.getBoundingClientRect()])
                .filter(([, r]) => r.width < size - 0.5 || r.height < size - 0.5)
                .map(([name, r]) => `${name}: ${Math.round(r.width)}x${Math.round(r.height)}`)""",
            TOUCH_TARGET,
        )
        assert small == [], "every control is at least 44 px each way"
        await screenshot(page, "board-phone")
    finally:
        await phone.close()
