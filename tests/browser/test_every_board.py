"""Every board at once from the dashboard (issue 17), in Chromium: a facilitator with ten
breakout boards, one participant's page on each (one of them reading Welsh) and their own page
on the main board, starts one timer for all breakouts, turns private mode on everywhere, opens
voting everywhere and sends a message to every board, pressing the dashboard's buttons; every
page shows each change. A pause where no timer runs says which boards refused and why."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.browser.helpers import (
    OpenWorkshop,
    Person,
    add_note,
    module_server,
    new_workshop,
    open_board,
    screenshot,
    wait_online,
    wait_ready,
)
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()

BREAKOUTS = 10
MESSAGE = "2 minutes left, start wrapping up <b>now</b>"


async def dashboard(browser: Any, workshop: OpenWorkshop) -> Any:
    """The facilitator's dashboard, signed in with the workshop's key."""
    context = await browser.new_context(base_url=workshop.base_url, viewport={"width": 1280, "height": 1000})
    page = await context.new_page()
    answer = await context.request.post(
        f"/api/workshops/{workshop.id}/facilitate", data={"key": workshop.facilitator_key}
    )
    assert answer.ok, await answer.text()
    await page.goto(f"/w/{workshop.id}/dashboard")
    await wait_ready(page)
    return page


async def one_on_each_breakout(browser: Any, workshop: OpenWorkshop) -> list[Person]:
    """A participant per breakout board: each joins on the main board and is moved to their own
    board (setting the scene over the API; the page follows its `goto` notice)."""
    people = [await open_board(browser, workshop, lang="cy" if i == 0 else "en") for i in range(BREAKOUTS)]
    headers = {"Authorization": f"Bearer {workshop.facilitator_token}"}
    async with httpx.AsyncClient(base_url=workshop.base_url, headers=headers) as http:
        present = (await http.get(f"/api/workshops/{workshop.id}/present")).json()
        assert len(present["people"]) == BREAKOUTS, present
        for number, person in enumerate(present["people"], start=1):
            moved = await http.post(
                f"/api/workshops/{workshop.id}/move", json={"person": person["cid"], "board": number}
            )
            assert moved.status_code == 200, moved.text
    for person in people:
        await person.page.wait_for_url(re.compile(rf"/b/(?!{workshop.main})[^/#?]+"))
        await wait_ready(person.page)
        await wait_online(person.page)
    on = {re.search(r"/b/([^/#?]+)", person.page.url).group(1) for person in people}  # type: ignore[union-attr]
    assert on == set(workshop.boards[1:]), "one page on every breakout board"
    return people


async def test_a_facilitator_changes_ten_breakout_boards_at_once_from_the_dashboard(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url, breakouts=BREAKOUTS)
    page = await dashboard(browser, workshop)
    people = await one_on_each_breakout(browser, workshop)
    people.append(await open_board(browser, workshop, role="facilitator"))  # on the main board
    pages = [person.page for person in people]
    facilitator = pages[BREAKOUTS]
    panel = page.locator("#every-board")
    status = panel.get_by_role("status")
    try:
        assert await panel.get_by_label("All breakout boards").is_checked()

        # One timer for every room.
        await panel.get_by_label("Minutes").fill("3")
        await panel.get_by_role("button", name="Start the timer").click()
        await status.filter(has_text=f"Done on {BREAKOUTS} boards").wait_for()
        for board in pages[:BREAKOUTS]:
            await board.locator(".fac-timer").filter(has_text=re.compile(r"^[23]:\d\d")).wait_for()
        assert await facilitator.locator(".fac-timer").is_hidden(), "the main board has no timer"

        # Private mode everywhere: a new note is its author's only.
        await panel.get_by_role("button", name="Private mode on").click()
        await status.filter(has_text=f"Done on {BREAKOUTS} boards").wait_for()
        for i, board in enumerate(pages[:BREAKOUTS]):
            await board.locator("#private-badge:not([hidden])").wait_for()
            mine = await add_note(board, f"Idea from room {i + 1}")
            await (
                mine.locator(".tag")
                .filter(has_text=re.compile("Only you can see this|Dim ond chi"))
                .wait_for()
            )

        # Voting everywhere, two votes each: the vote is offered on a note.
        await panel.get_by_label("Votes each").fill("2")
        await panel.get_by_role("button", name="Open voting").click()
        await status.filter(has_text=f"Done on {BREAKOUTS} boards").wait_for()
        for i, board in enumerate(pages[:BREAKOUTS]):
            await board.locator(".item.note .note-text", has_text=f"Idea from room {i + 1}").click()
            vote = board.locator('[data-action="vote"]')
            await vote.filter(has_text=re.compile(r"\(2 (left|ar ôl)\)")).wait_for()
            assert await vote.is_enabled()

        # A message to every board, main board included, shown and announced, as written.
        await panel.get_by_label("All boards", exact=True).check()
        await panel.get_by_label("Message to the boards").fill(MESSAGE)
        await panel.get_by_role("button", name="Send to every board").click()
        await status.filter(has_text=f"Sent to {BREAKOUTS + 1} boards").wait_for()
        assert await panel.get_by_label("Message to the boards").input_value() == ""
        for i, board in enumerate(pages):  # the facilitator on the main board too
            banner = board.locator(".message-banner")
            await banner.locator(".message-text").filter(has_text=MESSAGE).wait_for()
            chrome = "Neges gan yr hwylusydd" if i == 0 else "Message from the facilitator"
            assert await banner.locator(".message-from").inner_text() == chrome
            await board.locator("#announcer").filter(has_text=f"{chrome}: {MESSAGE}").wait_for()
            # Above the board: the toolbar stays uncovered.
            banner_box = await banner.bounding_box()
            toolbar_box = await board.locator("#toolbar").bounding_box()
            assert banner_box is not None
            assert toolbar_box is not None
            assert banner_box["y"] + banner_box["height"] <= toolbar_box["y"]
        await screenshot(pages[1], "every-board-message")
        await pages[1].get_by_role("button", name="Dismiss the message").click()
        await pages[1].locator(".message-banner").wait_for(state="hidden")

        # Where a board refuses its part, the dashboard says which and why.
        await panel.get_by_label("All breakout boards").check()
        await panel.get_by_role("button", name="Clear").click()
        await status.filter(has_text=f"Done on {BREAKOUTS} boards").wait_for()
        await panel.get_by_role("button", name="Pause").click()
        await status.filter(
            has_text=f"Done on 0 of {BREAKOUTS} boards. Not done on Board 1, Board 2, Board 3"
        ).wait_for()
        assert "problem" in (await status.get_attribute("class") or "")
        await screenshot(page, "every-board-dashboard")
    finally:
        for person in people:
            await person.close()
        await page.context.close()
