"""Who may remove what, on the board (issue 4 moderation; `not_yours` in docs/protocol.md), in
Chromium: a participant selecting someone else's note may edit and move it but is offered no
Delete, and the Delete key leaves it with a clear message (and asks the server nothing), also
when it is selected with one's own, which goes; their own note they delete (and
undo, and delete again); the eraser leaves others' pen lines alone; the facilitator deletes
anyone's note from the same menu."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
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
    wait_online,
    wait_ready,
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


async def test_a_pulled_note_deleted_and_undone_is_still_a_copy_of_its_groups_note(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url, breakouts=1)
    facilitator = await open_board(browser, workshop, role="facilitator", board=workshop.boards[1])
    page = facilitator.page
    try:
        await add_note(page, "Library drop-in")
        await page.keyboard.press("Escape")
        [original] = [oid for oid in await stored_notes(workshop, workshop.boards[1])]
        auth = {"Authorization": f"Bearer {workshop.facilitator_token}"}
        async with httpx.AsyncClient(base_url=workshop.base_url, headers=auth) as http:
            pulled = await http.post(f"/api/workshops/{workshop.id}/pull", json={})
            assert pulled.status_code == 200, pulled.text
        await page.goto(f"/b/{workshop.main}")
        await wait_ready(page)
        await wait_online(page)
        copy = note(page, "Library drop-in")
        await copy.click()
        await page.locator(".object-menu").get_by_role("button", name="Delete").click()
        await copy.wait_for(state="detached")
        assert await stored_notes(workshop, workshop.main, wanted=False) == {}, "deleted on the server"
        await page.keyboard.press("Control+z")
        await copy.wait_for()
        [restored] = (await stored_notes(workshop, workshop.main)).values()
        assert restored["origin"] == {"id": original, "board": 1}, "still the group's note, counted once"
        assert await page.locator(".toast-error").count() == 0
    finally:
        await facilitator.close()


async def stored_notes(workshop: Any, board: str, wanted: bool = True) -> dict[str, dict[str, Any]]:
    """The notes on a board once the server has some (or, not `wanted`, has none): a page sends
    a change a moment after it draws it."""
    for _ in range(100):
        found = {
            oid: obj for oid, obj in (await server_objects(workshop, board)).items() if obj["type"] == "note"
        }
        if bool(found) == wanted:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError("the server's notes did not change")
