"""Who may remove what, on the board (issue 4 moderation; `not_yours` in docs/protocol.md), in
Chromium: a participant selecting someone else's note may edit and move it but is offered no
Delete, and the Delete key leaves it with a clear message (and asks the server nothing), also
when it is selected with one's own, which goes; their own note they delete (and
undo, and delete again); the eraser leaves others' pen lines alone; the facilitator deletes
anyone's note from the same menu."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import (
    add_note,
    canvas_centre,
    draw,
    module_server,
    new_workshop,
    note,
    open_board,
    server_objects,
)
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()
NOT_YOURS = "Someone else added that, so only they or the facilitator can remove it."


async def test_a_participant_removes_only_what_they_added_and_the_facilitator_anything(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    author = await open_board(browser, workshop)
    other = await open_board(browser, workshop)
    facilitator = await open_board(browser, workshop, role="facilitator")
    page = other.page
    menu = page.locator(".object-menu")
    try:
        await add_note(author.page, "Theirs to keep")
        await author.page.keyboard.press("Escape")
        x, y = await canvas_centre(author.page)
        await author.page.keyboard.press("p")
        await draw(author.page, [(x - 300, y + 200), (x - 200, y + 240), (x - 100, y + 200)])
        await author.page.wait_for_function("() => document.querySelectorAll('.item.stroke').length === 1")

        theirs = note(page, "Theirs to keep")
        await theirs.click()
        await menu.get_by_role("button", name="Edit").wait_for()
        assert await menu.get_by_role("button", name="Colour").count() == 1, "others' notes may be changed"
        assert await menu.get_by_role("button", name="Delete").count() == 0, "no Delete offered"
        await page.keyboard.press("Delete")
        await page.locator(".toast-info", has_text=NOT_YOURS).wait_for()
        await theirs.wait_for()
        await note(author.page, "Theirs to keep").wait_for()
        assert await page.locator(".toast-error").count() == 0, "the page asked for no removal it may not"

        # The eraser rubs over the author's line and leaves it.
        await page.locator("#canvas").focus()
        await page.keyboard.press("e")
        await draw(page, [(x - 300, y + 160), (x - 200, y + 280), (x - 100, y + 160), (x - 200, y + 215)])
        await page.keyboard.press("v")
        assert await page.locator(".item.stroke").count() == 1
        assert await page.locator(".toast-error").count() == 0, "the eraser asked for nothing it may not"

        # Theirs and one's own selected together: Delete removes one's own, theirs stays
        # selected, with the reason.
        await page.keyboard.press("Escape")
        mixed = await add_note(page, "Mine among theirs")
        await page.keyboard.press("Escape")
        await note(page, "Theirs to keep").click()
        await mixed.click(modifiers=["Shift"])
        await page.keyboard.press("Delete")
        await note(author.page, "Mine among theirs").wait_for(state="detached")
        await page.locator(".toast-info", has_text=NOT_YOURS).wait_for()
        assert await page.locator(".item.selected").count() == 1
        await note(page, "Theirs to keep").and_(page.locator(".item.selected")).wait_for()
        await note(author.page, "Theirs to keep").wait_for()
        assert await page.locator(".toast-error").count() == 0

        # One's own: offered, removed, undone, removed again.
        mine = await add_note(page, "Mine to drop")
        await page.keyboard.press("Escape")
        await mine.click()
        await menu.get_by_role("button", name="Delete").click()
        await note(author.page, "Mine to drop").wait_for(state="detached")
        await page.keyboard.press("Control+z")
        await note(author.page, "Mine to drop").wait_for()
        await page.keyboard.press("Escape")
        await note(page, "Mine to drop").click()
        await menu.get_by_role("button", name="Delete").click()
        await note(author.page, "Mine to drop").wait_for(state="detached")

        # The facilitator moderates: anyone's note, from the menu.
        await note(facilitator.page, "Theirs to keep").click()
        await facilitator.page.locator(".object-menu").get_by_role("button", name="Delete").click()
        for person in (author, other):
            await note(person.page, "Theirs to keep").wait_for(state="detached")
        assert [obj["type"] for obj in (await server_objects(workshop)).values()] == ["stroke"]
    finally:
        for person in (author, other, facilitator):
            await person.close()
