"""The keyboard alone (issue 8): a participant and a facilitator each go through their core
journey in Chromium with key presses only. No mouse, no `click()`, no `fill()`: a page is
opened by its address, then everything is reached with Tab (and the keys each widget
documents) and typed with the keyboard.

- Participant: join by code -> add a note -> edit it -> comment on it -> vote for it -> answer
  the exit poll.
- Facilitator: create a workshop from the dashboard -> open breakout boards -> start the timer
  -> download the export.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.browser.helpers import (
    WAIT_MS,
    module_server,
    new_workshop,
    server_objects,
    wait_online,
    wait_ready,
)
from tests.conftest import RunningServer
from tests.support import BoardClient

pytestmark = pytest.mark.browser

board_server = module_server()

MAX_TABS = 80
"""Tab presses allowed to reach something: a keyboard user would give up long before."""


async def focused(page: Any, selector: str) -> bool:
    """Whether the element with focus matches `selector`."""
    matched: bool = await page.evaluate(
        "(selector) => Boolean(document.activeElement && document.activeElement.matches(selector))", selector
    )
    return matched


async def tab_to(page: Any, selector: str, *, backwards: bool = False) -> int:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`; how many presses."""
    for presses in range(MAX_TABS + 1):
        if await focused(page, selector):
            return presses
        await page.keyboard.press("Shift+Tab" if backwards else "Tab")
    where = await page.evaluate("() => document.activeElement?.outerHTML.slice(0, 200)")
    raise AssertionError(f"{selector} not reached with {MAX_TABS} Tab presses; focus is on {where}")


async def press_on(page: Any, selector: str, key: str = "Enter") -> None:
    """Tab to an element and press a key on it."""
    await tab_to(page, selector)
    await page.keyboard.press(key)


async def test_a_participant_joins_writes_comments_votes_and_answers_the_poll_by_keyboard(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url, title="Keyboard workshop")
    facilitator = await BoardClient(board_server.ws_url, workshop.main, workshop.facilitator_token).connect()
    context = await browser.new_context(
        base_url=board_server.base_url, viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    try:
        page = await context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto("/")
        await wait_ready(page)

        # Join by code: the code box, Enter; the purpose page's one button; past the code.
        await tab_to(page, "#code")
        await page.keyboard.type(workshop.join_code)
        await page.keyboard.press("Enter")
        await page.wait_for_url(re.compile(r"/j/|/join"))
        await wait_ready(page)
        await press_on(page, "main form button")
        await page.locator(".receipt-code").wait_for()
        await press_on(page, "#to-board")
        await page.wait_for_url(re.compile(r"/b/"))
        await wait_ready(page)
        await wait_online(page)

        # To the board from page load: the first Tab reaches "Skip to the board" (issue 18: at
        # most 3 Tabs, where the header and toolbar took 15).
        assert await tab_to(page, "a.skip-link[href='#canvas']") <= 3
        await page.keyboard.press("Enter")
        assert await focused(page, "#canvas")

        # Add a note: N, type, Escape.
        await page.keyboard.press("n")
        assert await focused(page, "textarea.editor")
        await page.keyboard.type("A quiet room")
        await page.keyboard.press("Escape")
        assert await focused(page, ".item.note"), "focus goes back to the note"

        # Edit it: Enter on the note, to the end, type more, Escape.
        await page.keyboard.press("Enter")
        assert await focused(page, "textarea.editor")
        await page.keyboard.press("End")
        await page.keyboard.type(" to study")
        await page.keyboard.press("Escape")
        note = page.locator(".item.note", has_text="A quiet room to study")
        await note.wait_for()

        # Comment on it: its menu (M), Comment, type, Ctrl+Enter, Escape.
        assert await focused(page, ".item.note")
        await page.keyboard.press("m")
        assert await focused(page, ".object-menu button"), "M moves into the note's menu"
        await tab_to(page, ".object-menu [data-action='comment']")
        await page.keyboard.press("Enter")
        assert await focused(page, ".comment-panel textarea")
        await page.keyboard.type("Evenings too, please")
        await page.keyboard.press("Control+Enter")
        await page.locator(".comment-panel .comment-text", has_text="Evenings too, please").wait_for()
        await page.keyboard.press("Escape")
        await page.locator(".comment-panel").wait_for(state="hidden")

        # Vote for it, once the facilitator opens voting: back to the note, M, Vote.
        await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"voting": True}}))
        await tab_to(page, ".item.note", backwards=True)
        await page.keyboard.press("m")
        await tab_to(page, ".object-menu [data-action='vote']")
        await page.keyboard.press("Enter")
        await page.locator(".item.note .vote-count").wait_for()
        await page.keyboard.press("Escape")
        assert await focused(page, ".item.note"), "Escape leaves the menu for its note"

        # Answer the exit poll, once it opens: Tab to the answer, type, Enter.
        async with httpx.AsyncClient(
            base_url=board_server.base_url, headers={"Authorization": f"Bearer {workshop.facilitator_token}"}
        ) as http:
            (await http.put(f"/api/workshops/{workshop.id}/poll", json={"open": True})).raise_for_status()
        await page.locator("#poll-panel:not([hidden]) .poll-form").wait_for()
        # From a fresh page load the poll box is at most 3 Tabs away too, by its skip link.
        await page.reload()
        await wait_ready(page)
        await page.locator("#poll-panel:not([hidden]) .poll-form").wait_for()
        assert await tab_to(page, "a.skip-poll") <= 3
        await page.keyboard.press("Enter")
        assert await focused(page, "#poll-panel .poll-form input")
        await page.keyboard.type("hopeful")
        await page.keyboard.press("Enter")
        await page.wait_for_function(
            "() => document.querySelector('#poll-panel .poll-form input').value === ''"
        )

        objects = await server_objects(workshop)
        notes = [obj for obj in objects.values() if obj["type"] == "note"]
        assert [n["text"] for n in notes] == ["A quiet room to study"]
        comments = [obj for obj in objects.values() if obj["type"] == "comment"]
        assert [(c["text"], c.get("target")) for c in comments] == [("Evenings too, please", notes[0]["id"])]
        await facilitator.wait_for(lambda: any(o.get("type") == "vote" for o in facilitator.objects.values()))
        votes = [obj for obj in facilitator.objects.values() if obj.get("type") == "vote"]
        assert [v["target"] for v in votes] == [notes[0]["id"]], "the facilitator sees the vote"
        async with httpx.AsyncClient(
            base_url=board_server.base_url, headers={"Authorization": f"Bearer {workshop.facilitator_token}"}
        ) as http:
            poll = (await http.get(f"/api/workshops/{workshop.id}/poll")).json()
        assert "hopeful" in str(poll)
    finally:
        await context.close()
        await facilitator.close()
    assert errors == []


async def test_a_facilitator_creates_opens_breakouts_times_and_exports_by_keyboard(
    browser: Any, board_server: RunningServer
) -> None:
    context = await browser.new_context(
        base_url=board_server.base_url, viewport={"width": 1280, "height": 800}, accept_downloads=True
    )
    context.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    try:
        page = await context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto("/new")
        await wait_ready(page)

        # Create: a blank workshop (chosen already), its title, Enter.
        await tab_to(page, "#title")
        await page.keyboard.type("Keyboard only")
        await page.keyboard.press("Enter")
        await page.locator("#created:not([hidden])").wait_for()
        assert await focused(page, "#created-title"), "focus moves to what happened"
        await press_on(page, "#created-dashboard")
        await page.wait_for_url(re.compile(r"/dashboard$"))
        await wait_ready(page)
        workshop_id = page.url.split("/w/")[1].split("/")[0]

        # Open two breakout boards.
        await tab_to(page, "#board-count")
        await page.keyboard.press("Control+A")
        await page.keyboard.type("2")
        await press_on(page, "#open-boards")
        await page.locator("#boards li").nth(2).wait_for()
        info = await board_server.call(board_server.services.directory.workshop(workshop_id))
        assert info is not None
        assert [b.number for b in info.boards] == [0, 1, 2]

        # Start a timer on the main board: its link, the Facilitate panel, minutes, Start.
        await press_on(page, "#boards li:first-child a")
        await page.wait_for_url(re.compile(r"/b/"))
        await wait_ready(page)
        await wait_online(page)
        await press_on(page, ".fac-button")
        await tab_to(page, "#fac-minutes")
        await page.keyboard.press("Control+A")
        await page.keyboard.type("3")
        await press_on(page, "[data-control='timer-start']")
        await page.locator(".fac-timer:not([hidden])").wait_for()
        assert re.fullmatch(r"[23]:\d\d", await page.locator(".fac-timer-time").inner_text())

        # Back to the dashboard from the panel, and download the record.
        await press_on(page, "#fac-panel a[href$='/dashboard']")
        await page.wait_for_url(re.compile(r"/dashboard$"))
        await wait_ready(page)
        await tab_to(page, "#record a[href$='export.json']")
        async with page.expect_download() as downloading:
            await page.keyboard.press("Enter")
        download = await downloading.value
        assert download.suggested_filename.endswith(".json")
        record = (await download.path()).read_text(encoding="utf-8")
        assert "Keyboard only" in record
    finally:
        await context.close()
    assert errors == []
