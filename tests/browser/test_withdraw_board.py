"""'Withdraw my contributions' from the board itself (issue 4; DESIGN.md §4), in Chromium: a
participant adds a note, votes for someone else's note and comments on it; another participant
(reading in Welsh) sees all three. The first opens "My contributions", is asked once more in
plain words, withdraws, and is told how many things went; the note, the vote and the comment
vanish from the other's screen at once, and the other's own note stays. A refusal from the
server (a facilitator's cut-off) is shown in the server's own words, and nothing goes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.helpers import (
    add_note,
    facilitator_socket,
    module_server,
    new_workshop,
    note,
    open_board,
    screenshot,
    server_objects,
)
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()


async def test_a_participant_withdraws_their_note_vote_and_comment_from_the_board(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    facilitator = await facilitator_socket(workshop)
    await facilitator.wait_acked(
        await facilitator.op({"kind": "settings", "props": {"voting": True, "votes_shown": True}})
    )
    other = await open_board(browser, workshop, lang="cy")
    leaver = await open_board(browser, workshop)
    page = leaver.page
    try:
        await add_note(other.page, "Aros yma")
        theirs = note(page, "Aros yma")
        await theirs.wait_for()
        await add_note(page, "Mine to take back")
        await page.keyboard.press("Escape")

        # A vote and a comment on the other's note, from its menu.
        await theirs.click()
        await page.get_by_role("button", name="Vote (3 left)").click()
        await page.get_by_role("button", name="Vote (2 left)").wait_for()
        await theirs.click()
        await page.locator(".object-menu").get_by_role("button", name="Comment", exact=True).click()
        composer = page.locator(".comment-panel:not([hidden])")
        await composer.locator("#comment-text").fill("Yes, and on Saturdays")
        await composer.get_by_role("button", name="Add comment").click()

        seen = other.page
        mine_there = note(seen, "Mine to take back")
        votes_there = note(seen, "Aros yma").locator(".vote-count:not([hidden])")
        pin_there = seen.locator(".comment-pin")
        for shown in (mine_there, votes_there, pin_there):
            await shown.wait_for()

        # The other reads the panel in Welsh, and keeps their things.
        await seen.get_by_role("button", name="Fy nghyfraniadau").click()
        await seen.get_by_role("button", name="Tynnu'n ôl bopeth a ychwanegais i").click()
        await seen.get_by_text(
            "Ydych chi'n siŵr? Bydd popeth a ychwanegoch chi'n cael ei dynnu i bawb"
        ).wait_for()
        await seen.get_by_role("button", name="Na, eu cadw").click()
        await seen.get_by_role("button", name="Tynnu'n ôl bopeth a ychwanegais i").wait_for()

        # Refused (a facilitator's cut-off): the server's reason, and nothing goes.
        async def cut_off(route: Any) -> None:
            error = {"code": "read_only", "field": "", "message": "the facilitator has closed withdrawals"}
            await route.fulfill(
                status=409, content_type="application/json", body=json.dumps({"error": error})
            )

        await page.route(f"**/api/workshops/{workshop.id}/withdraw", cut_off)
        yours = page.get_by_role("button", name="My contributions")
        await yours.click()
        panel = page.locator("#withdraw-panel")
        await panel.get_by_text("You can take back everything you added to this workshop").wait_for()
        await panel.get_by_role("button", name="Withdraw everything I added").click()
        await panel.get_by_text("Are you sure? Everything you added will be removed for everyone").wait_for()
        await panel.get_by_role("button", name="Yes, withdraw everything").click()
        await panel.get_by_text("Nothing was withdrawn: the facilitator has closed withdrawals").wait_for()
        await page.unroute(f"**/api/workshops/{workshop.id}/withdraw")
        assert await mine_there.count() == 1

        # Withdrawn: told how many, and gone from the other's screen at once.
        await panel.get_by_role("button", name="Withdraw everything I added").click()
        await panel.get_by_role("button", name="Yes, withdraw everything").click()
        await panel.get_by_text("Done: 3 things you added were removed from every board.").wait_for()
        for gone in (mine_there, votes_there, pin_there):
            await gone.wait_for(state="detached")
        await note(seen, "Aros yma").wait_for()
        await note(page, "Mine to take back").wait_for(state="detached")
        left = {obj.get("text") for obj in (await server_objects(workshop)).values()}
        assert left == {"Aros yma"}
        await screenshot(page, "withdraw-from-the-board")

        await panel.get_by_role("button", name="Withdraw everything I added").click()
        await panel.get_by_role("button", name="Yes, withdraw everything").click()
        await panel.get_by_text("There was nothing of yours on the boards to withdraw.").wait_for()
    finally:
        await facilitator.close()
        for person in (other, leaver):
            await person.close()
