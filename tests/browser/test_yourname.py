"""A name of one's own beside the cursor (issue 4), in Chromium: hidden until the facilitator
allows names from their panel, then a participant shows one and the others' view of their
cursor changes at once; the facilitator stopping it puts the made-up name back."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import canvas_centre, module_server, new_workshop, open_board, screenshot
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()


async def test_a_participant_shows_a_name_where_the_facilitator_allows_it(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    sam = await open_board(browser, workshop)
    other = await open_board(browser, workshop)
    facilitator = await open_board(browser, workshop, role="facilitator")
    try:
        yours = sam.page.get_by_role("button", name="Your name")
        assert await yours.is_hidden(), "nobody is offered a name until the facilitator allows it"
        x, y = await canvas_centre(sam.page)

        async def point() -> None:
            """Sam's pointer over the board, so the others see Sam's cursor and its name."""
            await sam.page.mouse.move(x, y)
            await sam.page.mouse.move(x + 30, y + 20, steps=3)

        await point()
        label = other.page.locator(".cursor .cursor-name")
        await label.wait_for()
        made_up = await label.inner_text()

        fac = facilitator.page
        await fac.get_by_role("button", name="Facilitate", exact=True).click()
        await fac.get_by_role("button", name="Let people show a name").click()
        await fac.get_by_role("button", name="Made-up names only").wait_for()

        await yours.click()
        await sam.page.get_by_label("Name to show").fill("Sam")
        await sam.page.get_by_role("button", name="Show this name").click()
        await sam.page.get_by_text("Others now see you as Sam.").wait_for()
        await point()
        await other.page.locator(".cursor .cursor-name", has_text="Sam").wait_for()
        await screenshot(sam.page, "yourname-chosen")

        await fac.get_by_role("button", name="Made-up names only").click()
        await point()
        await other.page.locator(".cursor .cursor-name", has_text=made_up).wait_for()
        await yours.wait_for(state="hidden")
    finally:
        for person in (sam, other, facilitator):
            await person.close()
