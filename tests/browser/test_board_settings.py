"""What the board does with the facilitator's settings and signals, and with the view: a locked
board is read-only for participants, private mode marks and keeps notes to their author, the
cursors switch hides other people's cursors, summon and follow move everyone's view, the wheel
zooms around the pointer, and the page speaks Welsh when asked."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import (
    add_note,
    canvas_centre,
    draw,
    facilitator_socket,
    module_server,
    new_workshop,
    note,
    object_box,
    open_board,
    screenshot,
    settle,
)
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()


async def settings(client: Any, **props: Any) -> None:
    op_id = await client.op({"kind": "settings", "props": props})
    await client.wait_acked(op_id)


async def test_a_locked_board_is_read_only_for_participants_and_says_so(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    facilitator = await facilitator_socket(workshop)
    page = a.page
    try:
        await add_note(page, "Before the lock")
        await settings(facilitator, locked=True)
        badge = page.locator("#board-mode")
        await badge.get_by_text("Locked: you can look but not change anything").wait_for()
        assert await page.get_by_role("button", name="Note", exact=True).is_disabled()
        await page.locator("#canvas").focus()
        await page.keyboard.press("n")
        await note(page, "Before the lock").dblclick()
        await settle(page)
        assert await page.locator("textarea.editor").count() == 0, "nothing opens for editing"
        assert await page.locator(".item.note").count() == 1, "N adds nothing"
        await screenshot(page, "board-locked")

        await settings(facilitator, locked=False)
        await badge.wait_for(state="hidden")
        assert await page.get_by_role("button", name="Note", exact=True).is_enabled()

        # Closed: nobody changes anything, facilitators included.
        f = await open_board(browser, workshop, role="facilitator")
        try:
            await settings(facilitator, closed=True)
            for person in (page, f.page):
                await person.locator("#board-mode").get_by_text("This workshop is closed").wait_for()
                assert await person.get_by_role("button", name="Pen", exact=True).is_disabled()
        finally:
            await f.close()
    finally:
        await facilitator.close()
        await a.close()


async def test_private_mode_marks_a_note_as_only_yours_until_the_facilitator_reveals_it(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    b = await open_board(browser, workshop)
    f = await open_board(browser, workshop, role="facilitator")
    socket = await facilitator_socket(workshop)
    try:
        await settings(socket, private_mode=True)
        await a.page.locator("#private-badge").get_by_text("Private mode").wait_for()
        mine = await add_note(a.page, "Just between us")
        await mine.locator(".tag", has_text="Only you can see this").wait_for()
        await note(f.page, "Just between us").locator(".tag", has_text="Private").wait_for()
        assert await note(b.page, "Just between us").count() == 0
        await screenshot(a.page, "board-private-mode")

        # On a board big enough to be sent compressed, a reload gets the snapshot everyone
        # gets and then the author's own notes (docs/protocol.md, "Compressed snapshots").
        await socket.wait_acked(await socket.op({"kind": "batch", "ops": _far_notes(60)}))
        binary: list[bool] = []
        a.page.on(
            "websocket",
            lambda ws: ws.on("framereceived", lambda data: binary.append(isinstance(data, bytes))),
        )
        await a.page.reload()
        await note(a.page, "Just between us").locator(".tag", has_text="Only you can see this").wait_for()
        assert any(binary), "the snapshot came compressed"
        mine = note(a.page, "Just between us")

        await settings(socket, private_mode=False)
        await note(b.page, "Just between us").wait_for()
        await a.page.locator("#private-badge").wait_for(state="hidden")
        assert await mine.locator(".tag").count() == 0
    finally:
        await socket.close()
        for person in (a, b, f):
            await person.close()


def _far_notes(count: int) -> list[dict[str, Any]]:
    """Creates of `count` wordy notes well away from the view: tens of kilobytes of snapshot."""
    words = "the bus stops before the library closes, so the youth club meets in the park " * 4
    return [
        {
            "kind": "create",
            "obj": {"type": "note", "id": f"far{i}", "x": 20_000.0 + i * 230, "y": 20_000.0, "text": words},
        }
        for i in range(count)
    ]


async def test_cursors_carry_friendly_names_and_the_facilitator_can_switch_them_off(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    b = await open_board(browser, workshop)
    socket = await facilitator_socket(workshop)
    try:
        await b.page.locator("#people[data-count='3']").wait_for()
        assert await b.page.locator("#people").inner_text() == "3 people here"
        x, y = await canvas_centre(a.page)
        await a.page.mouse.move(x, y)
        await a.page.mouse.move(x + 30, y + 20, steps=3)
        cursor = b.page.locator(".cursor .cursor-name")
        await cursor.wait_for()
        name = await cursor.inner_text()
        assert len(name.split()) == 2, f"a friendly two-word name, not {name!r}"

        await settings(socket, cursors=False)
        await cursor.wait_for(state="detached")
    finally:
        await socket.close()
        await a.close()
        await b.close()


async def test_summon_and_follow_move_the_view_until_the_person_moves(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    socket = await facilitator_socket(workshop)
    page = a.page
    try:
        await socket.create_note("far", text="Over here", x=4900, y=2900)
        await socket.send({"type": "signal", "kind": "summon", "x": 5000, "y": 3000, "zoom": 2})
        far = note(page, "Over here")
        await far.wait_for()
        await page.locator(".zoom-level", has_text="200%").wait_for()
        await page.wait_for_function("() => !document.querySelector('.world').getAnimations().length")
        await settle(page)
        cx, cy = await canvas_centre(page)
        box = await object_box(far)
        assert box["x"] + box["width"] / 2 == pytest.approx(cx, abs=3)
        assert box["y"] + box["height"] / 2 == pytest.approx(cy, abs=3)

        await socket.send({"type": "signal", "kind": "follow", "x": 0, "y": 0, "zoom": 1})
        banner = page.locator("#following")
        await banner.wait_for()
        await draw(page, [(cx - 200, cy + 200), (cx - 100, cy + 150)])
        await banner.wait_for(state="hidden")
        await page.locator(".toast", has_text="You stopped following").wait_for()
    finally:
        await socket.close()
        await a.close()


async def test_the_wheel_zooms_around_the_pointer_and_show_everything_fits_the_board(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    page = a.page
    try:
        target = await add_note(page, "Anchor")
        await page.keyboard.press("Escape")
        box = await object_box(target)
        px, py = box["x"] + 20, box["y"] + 20
        await page.mouse.move(px, py)
        await page.mouse.wheel(0, -200)
        await settle(page)
        zoomed = await object_box(target)
        assert zoomed["width"] > box["width"] * 1.2
        # The point under the pointer stays under it.
        assert (px - zoomed["x"]) / zoomed["width"] == pytest.approx((px - box["x"]) / box["width"], abs=0.01)
        assert (py - zoomed["y"]) / zoomed["height"] == pytest.approx(
            (py - box["y"]) / box["height"], abs=0.01
        )

        await page.keyboard.press("0")
        await page.locator(".zoom-level", has_text="100%").wait_for()
        for _ in range(12):
            await page.keyboard.press("-")
        await page.locator(".zoom-level", has_text="10%").wait_for()
        await page.get_by_role("button", name="Show everything").click()
        await page.locator(".zoom-level", has_text="150%").wait_for()
    finally:
        await a.close()


async def test_the_board_speaks_welsh_when_asked(browser: Any, board_server: RunningServer) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop, lang="cy")
    page = a.page
    try:
        assert await page.get_attribute("html", "lang") == "cy"
        await page.get_by_role("button", name="Nodyn", exact=True).wait_for()
        assert "Ar-lein" in await page.locator("#connection").inner_text()
        mine = await add_note(page, "Bws i'r ysbyty")
        assert await mine.get_attribute("aria-label") == "Nodyn melyn: Bws i'r ysbyty"
        await screenshot(page, "board-welsh")
    finally:
        await a.close()


async def test_frames_definition_cards_and_vote_counts_are_drawn_with_their_words(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    socket = await facilitator_socket(workshop)
    page = a.page
    try:
        frame = {"type": "frame", "id": "col", "x": -450, "y": -250, "w": 900, "h": 500, "title": "Ideas"}
        card = {
            "type": "definition",
            "id": "card",
            "x": -420,
            "y": -200,
            "category": "informing",
            "definition": "Telling people what is decided",
            "why": "So nobody is surprised",
            "excellent": "Plain words, on time",
        }
        for obj in (frame, card):
            await socket.wait_acked(await socket.op({"kind": "create", "obj": obj}))
        await socket.create_note("voted", text="Voted for", x=0, y=-100)
        await settings(socket, voting=True, votes_shown=True)
        for i in range(2):
            vote = {"type": "vote", "id": f"v{i}", "target": "voted"}
            await socket.wait_acked(await socket.op({"kind": "create", "obj": vote}))

        await page.locator(".item.frame .frame-title", has_text="Ideas").wait_for()
        drawn = page.locator(".item.definition")
        await drawn.get_by_text("Telling people what is decided").wait_for()
        assert await drawn.locator(".definition-category").inner_text() == "Informing", "the taxonomy's label"
        assert "Why we would use it" in await drawn.text_content()
        badge = note(page, "Voted for").locator(".vote-count")
        await badge.wait_for()
        assert await badge.inner_text() == "2"
        assert await badge.get_attribute("aria-label") == "2 votes"
        await screenshot(page, "board-frame-definition-votes")
    finally:
        await socket.close()
        await a.close()
