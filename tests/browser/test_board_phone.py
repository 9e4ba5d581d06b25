"""The board on a phone (390 x 844, touch): add a note, type into it, edit it again, move around
and zoom with two fingers, and every control big enough for a finger (44 px). The phone layout
(issue 18) at 360, 390 and 430 px in English and Welsh: a short header, every tool a tap away
without sideways scrolling, a template's board opening readable on its prompt or one's own
notes, the note menu beside its note and clear of the exit poll; and at 1280 px the header in
one row in both languages."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from board import i18n
from tests.browser.helpers import (
    OpenWorkshop,
    add_note,
    module_server,
    new_workshop,
    note,
    object_box,
    open_board,
    screenshot,
    server_objects,
    settle,
    view_still,
    wait_online,
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


# --- the phone layout (issue 18) ----------------------------------------------------------------

PHONES = [(360, 740), (390, 844), (430, 932)]
READABLE = 0.4
"""The least zoom a board may open at: the template's 36 px prompt is 14 px and more on screen."""

LAYOUT = """() => {
  const rect = (node) => node.getBoundingClientRect();
  const bar = document.getElementById('toolbar');
  const header = rect(document.querySelector('.board-topbar'));
  const title = document.querySelector('.board-topbar h1');
  return {header: header.height, page: document.documentElement.scrollWidth,
          title: title.scrollHeight - title.clientHeight,
          bar: bar.scrollWidth, barWidth: bar.clientWidth,
          zoom: parseInt(document.querySelector('.zoom-level').textContent, 10) / 100};
}"""
SEEN = """([selector, below]) => {
  const node = document.querySelector(selector);
  if (!node) return false;
  const r = node.getBoundingClientRect();
  const c = document.getElementById('canvas').getBoundingClientRect();
  return r.bottom > c.top && r.top < c.bottom - below && r.right > c.left && r.left < c.right && r.width > 0;
}"""

PROMPT = """(zoom) => {
  const item = document.querySelector(".item[data-id='tpl-prompt']");
  const range = document.createRange();
  range.selectNodeContents(item);
  const lines = [...range.getClientRects()].filter((r) => r.width > 0);
  const canvas = document.getElementById('canvas').getBoundingClientRect();
  const words = [...item.querySelectorAll('*')].find((el) => el.textContent.trim()) || item;
  return {type: parseFloat(getComputedStyle(words).fontSize) * zoom,
          left: Math.min(...lines.map((r) => r.left)), right: Math.max(...lines.map((r) => r.right)),
          canvasLeft: canvas.left, canvasRight: canvas.right};
}"""
"""The template's prompt on screen: its type in CSS px, and where its lines start and end."""


async def template_workshop(base_url: str) -> Any:
    """A workshop made from the Take Part template in both languages, as a facilitator makes it."""
    async with httpx.AsyncClient(base_url=base_url, headers={"Origin": base_url}) as http:
        answer = await http.post(
            "/api/templates/take-part-dialogue/workshops", json={"lang": "both", "breakouts": 1}
        )
        answer.raise_for_status()
        data = answer.json()
    return OpenWorkshop.made(data, base_url)


def inside(box: dict[str, float], width: int, height: int) -> bool:
    """Whether a box is wholly on the screen."""
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= width
        and box["y"] + box["height"] <= height
    )


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_on_phones_the_header_is_short_every_tool_is_a_tap_away_and_menus_leave_the_note_in_sight(
    browser: Any, board_server: RunningServer, lang: str
) -> None:
    workshop = await template_workshop(board_server.base_url)
    phone = await open_board(browser, workshop, lang=lang, **PHONE)
    page = phone.page
    fingers = Fingers(await phone.context.new_cdp_session(page))
    more_name = i18n.translate(lang, "board.toolbar.more_tools")
    try:
        for width, height in PHONES:
            await page.set_viewport_size({"width": width, "height": height})
            await page.goto(f"/b/{workshop.main}")  # afresh: no place in the address
            await wait_online(page)
            await view_still(page)
            layout = await page.evaluate(LAYOUT)
            assert layout["header"] <= height * 0.1, f"the header at {width}x{height}"
            assert layout["title"] <= 1, f"the workshop's title loses its last words at {width}"
            assert layout["page"] <= width, f"the page scrolls sideways at {width}"
            assert layout["bar"] <= layout["barWidth"] <= width, f"the toolbar scrolls sideways at {width}"
            # A template's board opens readable, on its prompt, not at a tenth behind a notice.
            assert layout["zoom"] >= READABLE, f"opening zoom at {width}"
            assert await page.evaluate(SEEN, [".item[data-id='tpl-prompt']", 0]), f"the prompt at {width}"
            # Its words are 14 px and up on screen, and its lines are whole: no panning sideways
            # to read each one.
            prompt = await page.evaluate(PROMPT, layout["zoom"])
            assert prompt["type"] >= 14, f"the prompt's type at {width}: {prompt}"
            assert prompt["left"] >= prompt["canvasLeft"] - 1, f"the prompt's start at {width}: {prompt}"
            assert prompt["right"] <= prompt["canvasRight"] + 1, f"the prompt's lines at {width}: {prompt}"
            assert await page.locator("#far-notice").is_hidden()

            # Every tool is on the bar, in the screen, and a tap chooses it.
            for tool in await page.locator("#toolbar .tool[data-tool]").all():
                box = await object_box(tool)
                assert inside(box, width, height)
                await tool.tap()
                assert await tool.get_attribute("aria-pressed") == "true"
            await page.locator("#toolbar .tool[data-tool='select']").tap()
            # The rest is behind "More tools": each shown whole once it is open.
            more = page.get_by_role("button", name=more_name, exact=True)
            await more.tap()
            rest = page.locator("#toolbar-more button:visible")
            assert await rest.count() >= 4  # undo, redo, the exit poll, your contributions
            for button in await rest.all():
                box = await object_box(button)
                assert inside(box, width, height)
            await page.locator("#toolbar-more .poll-button").tap()
            await page.locator("#poll-panel").wait_for()
            assert await page.locator("#toolbar-more").is_hidden()
            await screenshot(page, f"phone-{lang}-{width}")
            await page.locator("#poll-panel .panel-close").tap()

        # A note of one's own, with the exit poll's panel open: its menu covers neither.
        await add_note(page, "Buses after six")
        mine = note(page, "Buses after six")
        async with httpx.AsyncClient(
            base_url=board_server.base_url, headers={"Authorization": f"Bearer {workshop.facilitator_token}"}
        ) as http:
            (await http.put(f"/api/workshops/{workshop.id}/poll", json={"open": True})).raise_for_status()
        panel = page.locator("#poll-panel")
        await panel.locator(".poll-form").wait_for()
        box = await object_box(mine)
        await fingers.tap(box["x"] + box["width"] / 2, box["y"] + 12)
        menu = page.locator(".object-menu")
        await menu.wait_for()
        await view_still(page)
        await settle(page)
        menu_box, note_box, panel_box = (
            await object_box(menu),
            await object_box(mine),
            await object_box(panel),
        )
        await screenshot(page, f"phone-menu-{lang}")
        assert not overlap(menu_box, note_box), "the note menu covers its note"
        assert not overlap(menu_box, panel_box), "the note menu is under the exit poll"

        # Back on the board later, it opens on this person's own notes, readable.
        await page.goto(f"/b/{workshop.main}")
        await wait_online(page)
        await view_still(page)
        assert (await page.evaluate(LAYOUT))["zoom"] >= 0.75
        assert await page.evaluate(SEEN, [".item.note", 0])
    finally:
        await phone.close()


async def test_at_1280_the_board_header_is_one_row_in_english_and_welsh(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await template_workshop(board_server.base_url)
    for lang in ["en", "cy"]:
        person = await open_board(browser, workshop, lang=lang, viewport={"width": 1280, "height": 800})
        try:
            rows = await person.page.evaluate(
                """() => {
                  const shown = [...document.querySelector('.board-topbar').children]
                    .map((node) => node.getBoundingClientRect()).filter((r) => r.width > 1 && r.height > 1);
                  return {top: Math.max(...shown.map((r) => r.top)),
                          bottom: Math.min(...shown.map((r) => r.bottom)),
                          page: document.documentElement.scrollWidth};
                }"""
            )
            await screenshot(person.page, f"board-header-1280-{lang}")
            assert rows["top"] < rows["bottom"], f"the header wraps in {lang}"
            assert rows["page"] <= 1280
        finally:
            await person.close()
