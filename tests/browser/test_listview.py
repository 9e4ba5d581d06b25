"""Screen readers and the list view (issue 8), in Chromium with real websockets.

- The list of notes takes the canvas's place: grouped by frame (or by category), in reading
  order, each note naming its colour; a note is edited, voted for and commented on from the
  list with the keyboard, and the list follows others' changes live.
- Zoomed out below 30 %, where the canvas is one picture, a notice says so and opens the list.
- Others' changes are announced in a polite live region, summed up and throttled: a burst of
  remote edits (someone typing, several notes added) is one announcement, and this person's
  own changes are not announced at all.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import (
    WAIT_MS,
    OpenWorkshop,
    facilitator_socket,
    module_server,
    new_workshop,
    open_board,
    server_objects,
)
from tests.browser.test_keyboard import focused, tab_to
from tests.conftest import RunningServer
from tests.support import BoardClient

pytestmark = pytest.mark.browser

board_server = module_server()


async def participant_socket(workshop: OpenWorkshop) -> BoardClient:
    """Someone else on the board, on a real websocket."""
    import httpx

    async with httpx.AsyncClient(base_url=workshop.base_url) as http:
        answer = await http.post("/api/join", json={"code": workshop.join_code})
        answer.raise_for_status()
    ws_url = workshop.base_url.replace("http://", "ws://") + "/ws"
    return await BoardClient(ws_url, workshop.main, answer.json()["token"]).connect()


async def frames_and_notes(facilitator: BoardClient, other: BoardClient) -> None:
    """Two columns, a note in each, one note outside them, voting open."""
    for frame_id, title, x in (("f1", "Ideas", 0), ("f2", "Worries", 700)):
        await facilitator.wait_acked(
            await facilitator.op(
                {
                    "kind": "create",
                    "obj": {
                        "type": "frame",
                        "id": frame_id,
                        "x": x,
                        "y": 0,
                        "w": 600,
                        "h": 500,
                        "title": title,
                    },
                }
            )
        )
    await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"voting": True}}))
    await other.wait_acked(await other.create_note("n1", text="Open later", x=50, y=50, color="blue"))
    await other.wait_acked(await other.create_note("n2", text="Parking is hard", x=750, y=50, color="pink"))
    await other.wait_acked(await other.create_note("n3", text="Thank you", x=0, y=900))


async def test_the_list_of_notes_is_grouped_by_frame_and_worked_with_the_keyboard(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url, title="List view")
    facilitator = await facilitator_socket(workshop)
    other = await participant_socket(workshop)
    person = None
    try:
        await frames_and_notes(facilitator, other)
        person = await open_board(browser, workshop)
        page = person.page
        await tab_to(page, "#list-toggle")
        await page.keyboard.press("Enter")
        assert await focused(page, "#list-title"), "the list's heading takes focus"
        assert await page.locator("#canvas").is_hidden(), "the list takes the canvas's place"
        headings = page.locator(".list-group h3")
        await headings.first.wait_for()
        assert await headings.all_inner_texts() == [
            "Ideas (1 note)",
            "Worries (1 note)",
            "Not in a frame (1 note)",
        ]
        first = page.locator(".list-note[data-id='n1']")
        assert await first.locator(".list-note-text").inner_text() == "Open later"
        assert await first.locator(".list-colour").inner_text() == "blue", "its colour in words"
        actions = first.get_by_role("group", name="Open later")
        assert await actions.get_by_role("button").all_inner_texts() == [
            "Edit",
            "Vote (3 left)",
            "Comment",
            "Show on the board",
        ]

        # Edit from the list: its Edit button, the box, Ctrl+Enter; focus comes back.
        await tab_to(page, ".list-note[data-id='n1'] [data-action='edit']")
        await page.keyboard.press("Enter")
        assert await focused(page, ".list-note[data-id='n1'] textarea")
        await page.keyboard.type(" on Thursdays")
        await page.keyboard.press("Control+Enter")
        await first.locator(".list-note-text", has_text="Open later on Thursdays").wait_for()
        assert await focused(page, ".list-note[data-id='n1'] [data-action='edit']")
        await other.wait_for(lambda: other.objects.get("n1", {}).get("text") == "Open later on Thursdays")

        # Vote for it.
        await tab_to(page, ".list-note[data-id='n1'] [data-action='vote']")
        await page.keyboard.press("Enter")
        await first.get_by_role("button", name="Vote (2 left)").wait_for()
        await facilitator.wait_for(
            lambda: any(
                o.get("type") == "vote" and o.get("target") == "n1" for o in facilitator.objects.values()
            )
        )

        # Comment on it: the comment box opens, Ctrl+Enter posts, Escape comes back to the list.
        await tab_to(page, ".list-note[data-id='n1'] [data-action='comment']")
        await page.keyboard.press("Enter")
        assert await focused(page, ".comment-panel textarea")
        await page.keyboard.type("Yes please")
        await page.keyboard.press("Control+Enter")
        await page.locator(".comment-panel .comment-text", has_text="Yes please").wait_for()
        await page.keyboard.press("Escape")
        await page.wait_for_function(
            "() => document.activeElement?.matches(\".list-note[data-id='n1'] [data-action='comments']\")"
        )
        assert "1 comment" in await first.locator(".list-note-meta").inner_text()

        # Someone else's change shows at once; a new note joins its group.
        await other.wait_acked(
            await other.op({"kind": "update", "id": "n2", "props": {"text": "Parking is easy"}})
        )
        await page.locator(".list-note[data-id='n2'] .list-note-text", has_text="Parking is easy").wait_for()
        await other.wait_acked(await other.create_note("n4", text="More benches", x=300, y=50))
        await page.locator(".list-group", has_text="Ideas (2 notes)").wait_for()
        ideas = page.locator(".list-group", has_text="Ideas").locator(".list-note-text")
        assert await ideas.all_inner_texts() == ["Open later on Thursdays", "More benches"], "reading order"

        # Show it on the board: the canvas comes back with the note focused.
        await tab_to(page, ".list-note[data-id='n2'] [data-action='show']")
        await page.keyboard.press("Enter")
        assert await page.locator("#canvas").is_visible()
        assert await focused(page, ".item.note[data-id='n2']")
        assert await page.locator("#list-toggle").get_attribute("aria-pressed") == "false"
    finally:
        if person:
            await person.close()
        await other.close()
        await facilitator.close()


async def test_a_note_added_from_the_list_and_the_grouping_by_category(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url, title="List by category")
    facilitator = await facilitator_socket(workshop)
    other = await participant_socket(workshop)
    person = None
    try:
        await other.wait_acked(
            await other.create_note("c1", text="Tell people early", category="giving_information")
        )
        await other.wait_acked(await other.create_note("c2", text="Nothing set", x=300))
        person = await open_board(browser, workshop, lang="cy")
        page = person.page
        await page.locator("#list-toggle").press("Enter")
        await page.locator("#list-title").wait_for()
        await tab_to(page, "#list-by-frame")
        await page.keyboard.press("ArrowRight")  # a radio group: arrows choose
        groups = page.locator(".list-group h3")
        await page.locator(".list-group[data-kind='unsorted']").wait_for()
        titles = await groups.all_inner_texts()
        assert titles == ["Rhoi Gwybodaeth (1 nodyn)", "Dim categori eto (1 nodyn)"], (
            "the category's Welsh label, and notes with no category last"
        )
        await tab_to(page, "#list-new", backwards=True)
        await page.keyboard.type("Mwy o feinciau")
        await page.keyboard.press("Control+Enter")
        await page.locator(".list-note-text", has_text="Mwy o feinciau").wait_for()
        assert await focused(page, "#list-new"), "ready for the next note"
        notes = {o["text"] for o in (await server_objects(workshop)).values() if o["type"] == "note"}
        assert notes == {"Tell people early", "Nothing set", "Mwy o feinciau"}
    finally:
        if person:
            await person.close()
        await other.close()
        await facilitator.close()


async def test_zoomed_out_the_canvas_says_it_is_a_picture_and_opens_the_list(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url, title="Far away")
    other = await participant_socket(workshop)
    person = None
    try:
        await other.wait_acked(await other.create_note("a", text="Far note"))
        person = await open_board(browser, workshop)
        page = person.page
        notice = page.locator("#far-notice")
        assert await notice.is_hidden()
        await page.locator("#canvas").focus()
        while await page.locator(".item.note").count():
            await page.keyboard.press("-")
        await notice.wait_for()
        assert "far-text" in (await page.locator("#canvas").get_attribute("aria-describedby") or "")
        await tab_to(page, "#far-notice button")
        await page.keyboard.press("Enter")
        await page.locator(".list-note-text", has_text="Far note").wait_for()
        assert await focused(page, "#list-title")
    finally:
        if person:
            await person.close()
        await other.close()


async def announcements(page: Any) -> list[str]:
    said: list[str] = await page.evaluate("() => window.__said")
    return said


async def test_others_changes_are_announced_politely_in_one_summary_and_ones_own_are_not(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url, title="Announced")
    other = await participant_socket(workshop)
    person = None
    try:
        await other.wait_acked(await other.create_note("t", text=""))
        person = await open_board(browser, workshop)
        page = person.page
        region = page.locator("#announcer")
        assert await region.get_attribute("aria-live") == "polite"
        assert await region.get_attribute("role") == "status"
        await page.evaluate(
            """() => {
              const region = document.getElementById('announcer');
              window.__said = [];
              new MutationObserver(() => window.__said.push(region.textContent))
                .observe(region, {childList: true, characterData: true, subtree: true});
            }"""
        )
        # Someone types a note letter by letter, and adds two more: one summary.
        typed = ""
        for letter in "Benches":
            typed += letter
            await other.op({"kind": "update", "id": "t", "props": {"text": typed}})
        await other.wait_acked(await other.create_note("u", text="Shade", x=300))
        await other.wait_acked(await other.create_note("v", text="Water", x=600))
        await page.wait_for_function("() => window.__said.length > 0", timeout=WAIT_MS)
        assert await announcements(page) == ["On the board: 2 notes added, 1 note changed."]

        # This person's own note is not announced; someone else's removal is.
        await page.locator("#canvas").focus()
        await page.keyboard.press("n")
        await page.keyboard.type("Mine")
        await page.keyboard.press("Escape")
        await other.wait_for(lambda: any(o.get("text") == "Mine" for o in other.objects.values()))
        await other.wait_acked(await other.op({"kind": "delete", "id": "v"}))
        await page.wait_for_function("() => window.__said.length > 1", timeout=WAIT_MS)
        assert (await announcements(page))[1] == "On the board: 1 note removed."
        assert len(await announcements(page)) == 2
    finally:
        if person:
            await person.close()
        await other.close()


async def test_notes_shapes_and_comments_are_reached_with_tab_each_with_a_role_and_a_name(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url, title="Roles")
    other = await participant_socket(workshop)
    person = None
    try:
        await other.wait_acked(await other.create_note("a", text="Safe crossing", color="green"))
        await other.wait_acked(
            await other.op(
                {
                    "kind": "create",
                    "obj": {
                        "type": "shape",
                        "id": "s",
                        "kind": "ellipse",
                        "x": 260,
                        "y": 0,
                        "w": 160,
                        "h": 100,
                    },
                }
            )
        )
        await other.wait_acked(
            await other.op(
                {"kind": "create", "obj": {"type": "comment", "id": "c", "target": "a", "text": "Agreed"}}
            )
        )
        person = await open_board(browser, workshop)
        page = person.page
        await page.locator(".comment-pin").wait_for()
        await page.locator("#canvas").focus()
        reached = []
        for _ in range(3):
            await page.keyboard.press("Tab")
            reached.append(
                await page.evaluate(
                    """() => {
                      const e = document.activeElement;
                      return [e.getAttribute('role') ?? e.tagName.toLowerCase(),
                              e.getAttribute('aria-roledescription'), e.getAttribute('aria-label')];
                    }"""
                )
            )
        assert reached == [
            ["group", "sticky note", "green note: Safe crossing"],
            ["group", "shape", "Ellipse"],
            ["button", None, "Comment: Agreed (1 comment)"],
        ]
        await page.get_by_role("group", name="green note: Safe crossing").wait_for()
    finally:
        if person:
            await person.close()
        await other.close()
