"""Everyone's view from the facilitator's panel (issue 4), in Chromium: the facilitator presses
"Follow me" and moves the board twice, and each participant's view follows each time, to where
the facilitator stopped (screens of other sizes centred on the same point); one participant
drags the board, is told they stopped following, and stays where they are when the
facilitator moves on (another still follows); "Bring everyone here" then brings both to the
facilitator's view, and leading again takes the one who left along again."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import (
    WAIT_MS,
    canvas_centre,
    draw,
    module_server,
    new_workshop,
    open_board,
    screenshot,
)
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()

VIEW = """() => {
  const world = document.getElementById('world');
  const canvas = document.getElementById('canvas');
  const m = new DOMMatrix(getComputedStyle(world).transform);
  return {x: (canvas.clientWidth / 2 - m.e) / m.a, y: (canvas.clientHeight / 2 - m.f) / m.a, zoom: m.a};
}"""
"""The world point in the middle of a page's canvas, and its zoom, as drawn."""

SAME_VIEW = """([expected, tolerance]) => {
  const view = (VIEW)();
  return Math.abs(view.x - expected.x) <= tolerance && Math.abs(view.y - expected.y) <= tolerance
    && Math.abs(view.zoom - expected.zoom) <= 0.01;
}""".replace("VIEW", VIEW)


async def view_of(page: Any) -> dict[str, float]:
    view: dict[str, float] = await page.evaluate(VIEW)
    return view


async def shows(page: Any, view: dict[str, float], tolerance: float = 2.0) -> None:
    """Wait until the page's view is centred on `view` (the middle of the screen, whatever its
    size), at its zoom."""
    await page.wait_for_function(SAME_VIEW, arg=[view, tolerance], timeout=WAIT_MS)


async def pan(page: Any, dx: float, dy: float) -> dict[str, float]:
    """Drag empty board with the mouse, then the view it rests on."""
    cx, cy = await canvas_centre(page)
    start = (cx - 150, cy + 100)
    await draw(page, [start, (start[0] + dx / 2, start[1] + dy / 2), (start[0] + dx, start[1] + dy)])
    return await view_of(page)


def apart(a: dict[str, float], b: dict[str, float]) -> bool:
    return abs(a["x"] - b["x"]) > 50 or abs(a["y"] - b["y"]) > 50


async def test_follow_me_and_bring_everyone_here_from_the_facilitators_panel(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    facilitator = await open_board(
        browser, workshop, role="facilitator", viewport={"width": 1280, "height": 800}
    )
    leaver = await open_board(browser, workshop, viewport={"width": 1024, "height": 700})
    follower = await open_board(browser, workshop, viewport={"width": 900, "height": 900})
    fac = facilitator.page
    try:
        await fac.get_by_role("button", name="Facilitate", exact=True).click()
        panel = fac.locator("#fac-panel")
        start = await pan(fac, -300, -200)
        assert apart(start, await view_of(leaver.page)), "the views start apart"

        await panel.get_by_role("button", name="Follow me").click()
        for person in (leaver, follower):
            await person.page.locator("#following:not([hidden])").wait_for()
            following = person.page.locator(".toast", has_text="You are following the facilitator's view.")
            await following.wait_for()
            await shows(person.page, start)
        for dx, dy in ((-250, 120), (200, 180)):
            here = await pan(fac, dx, dy)
            assert apart(here, start)
            for person in (leaver, follower):
                await shows(person.page, here)
            start = here

        # The leaver drags the board: they stop following, are told so, and stay put.
        await pan(leaver.page, 220, -160)
        await leaver.page.locator("#following").wait_for(state="hidden")
        await leaver.page.locator(".toast", has_text="You stopped following the facilitator.").wait_for()
        own = await view_of(leaver.page)
        elsewhere = await pan(fac, -200, -220)
        await shows(follower.page, elsewhere)
        await fac.wait_for_timeout(300)  # the leaver got the same signals as the follower
        assert await leaver.page.locator("#following").is_hidden()
        await shows(leaver.page, own, tolerance=0.5)
        assert apart(await view_of(leaver.page), elsewhere)

        # Bring everyone here: both views go to the facilitator's, the leaver's too.
        await panel.get_by_role("button", name="Stop leading").click()
        await follower.page.locator("#following").wait_for(state="hidden")
        there = await pan(fac, 260, 140)
        await panel.get_by_role("button", name="Bring everyone here").click()
        for person in (leaver, follower):
            await shows(person.page, there)
            await person.page.locator(".toast", has_text="The facilitator brought everyone here.").wait_for()
        await screenshot(leaver.page, "facilitation-panel-brought-here")

        # Leading again takes the leaver along again.
        await panel.get_by_role("button", name="Follow me").click()
        await leaver.page.locator("#following:not([hidden])").wait_for()
        await shows(leaver.page, await pan(fac, -180, 90))
    finally:
        for person in (facilitator, leaver, follower):
            await person.close()
