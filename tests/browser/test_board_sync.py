"""Two or more people on one board, each in their own Chromium context (issue 3): what one does,
the others see, through the real server and the real websocket protocol."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import (
    add_note,
    canvas_centre,
    connection_state,
    draw,
    module_server,
    new_workshop,
    note,
    object_box,
    open_board,
    screenshot,
    server_objects,
)
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()


async def test_a_note_and_its_text_reach_the_other_person_and_a_move_comes_back(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop, via="page")  # the real join flow, once
    b = await open_board(browser, workshop)
    try:
        mine = await add_note(a.page, "Citizens' jury")
        seen = note(b.page, "Citizens' jury")
        await seen.wait_for()
        assert await seen.count() == 1

        before = await object_box(mine)
        box = await object_box(seen)
        await b.page.mouse.move(box["x"] + 40, box["y"] + 40)
        await b.page.mouse.down()
        await b.page.mouse.move(box["x"] + 140, box["y"] + 100, steps=8)
        await b.page.mouse.up()
        await a.page.wait_for_function(
            """([x, y]) => {
                const node = [...document.querySelectorAll('.item.note')]
                  .find((n) => n.textContent.includes("Citizens' jury"));
                const box = node && node.getBoundingClientRect();
                return box && Math.abs(box.x - x - 100) < 2 && Math.abs(box.y - y - 60) < 2;
            }""",
            arg=[before["x"], before["y"]],
        )
        await screenshot(a.page, "board-note-moved-seen-by-a")
        await screenshot(b.page, "board-note-moved-by-b")
    finally:
        await a.close()
        await b.close()


async def test_a_pen_stroke_drawn_with_the_mouse_reaches_the_other_person(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    b = await open_board(browser, workshop)
    try:
        await a.page.get_by_role("button", name="Pen").click()
        x, y = await canvas_centre(a.page)
        await draw(a.page, [(x - 120 + i * 12, y + 40 * ((i % 4) - 1.5)) for i in range(20)])
        stroke = b.page.locator(".item.stroke")
        await stroke.wait_for()
        assert await stroke.count() == 1
        path = await stroke.locator("path.stroke-ink").get_attribute("d")
        assert path is not None
        assert path.count("Q") >= 3, "the stroke is drawn as a smooth curve"
        [stored] = [obj for obj in (await server_objects(workshop)).values() if obj["type"] == "stroke"]
        assert 4 <= len(stored["points"]) <= 2 * 2000
        assert await a.page.locator(".item.stroke").count() == 1, "the pen stays chosen and drew once"
        await screenshot(b.page, "board-pen-stroke-seen-by-b")
    finally:
        await a.close()
        await b.close()


async def test_a_comment_on_someone_elses_note_reaches_them_with_no_name(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    b = await open_board(browser, workshop)
    try:
        await add_note(b.page, "More buses on Sundays")
        theirs = note(a.page, "More buses on Sundays")
        await theirs.click()
        await a.page.locator(".object-menu").get_by_role("button", name="Comment").click()
        await a.page.get_by_label("Write a comment").fill("Which routes?")
        await a.page.get_by_role("button", name="Add comment").click()

        pin = b.page.locator(".comment-pin")
        await pin.wait_for()
        await pin.click()
        panel = b.page.locator(".comment-panel")
        await panel.get_by_text("Which routes?").wait_for()
        text = await panel.inner_text()
        assert "Anonymous" in text
        name_of_a = await a.page.evaluate(
            "() => [...document.querySelectorAll('.cursor-name')].map((n) => n.textContent)"
        )
        welcome_names = await b.page.evaluate(
            "() => [...document.querySelectorAll('.cursor-name')].map((n) => n.textContent)"
        )
        for name in [*name_of_a, *welcome_names]:
            assert name not in text, "a comment never carries a name"
        [comment] = [obj for obj in (await server_objects(workshop)).values() if obj["type"] == "comment"]
        assert comment["text"] == "Which routes?"
        assert set(comment) <= {"type", "id", "text", "target", "created"}, (
            "nothing on the wire names its author"
        )
        assert await panel.get_by_role("button", name="Mark as resolved").count() == 0, (
            "only its author resolves"
        )

        await panel.get_by_label("Write a reply").fill("The 12 and the 40")
        await panel.get_by_role("button", name="Reply").click()
        await a.page.locator(".comment-panel").get_by_text("The 12 and the 40").wait_for()
        assert await panel.get_by_label("Write a reply").input_value() == "", "the box empties once sent"
        await a.page.get_by_role("button", name="Mark as resolved").click()
        await panel.get_by_text("This comment has been resolved.").wait_for()
        await b.page.locator(".comment-pin.resolved", has_text="2").wait_for()
        await screenshot(b.page, "board-comment-seen-by-note-author")
    finally:
        await a.close()
        await b.close()


async def test_notes_made_offline_arrive_exactly_once_and_survive_a_reload(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    b = await open_board(browser, workshop)
    try:
        await a.context.set_offline(True)
        await a.page.wait_for_function(
            "() => document.getElementById('connection').dataset.connection === 'offline'"
        )
        for i in range(3):
            await add_note(a.page, f"Offline idea {i}")
        status = a.page.locator("#connection")
        assert "3 changes saved on this device" in await status.inner_text()
        assert await connection_state(a.page) == "offline"
        assert await b.page.locator(".item.note").count() == 0, "nothing left A while offline"

        await a.context.set_offline(False)
        for i in range(3):
            await note(b.page, f"Offline idea {i}").wait_for()
        await a.page.wait_for_function(
            "() => document.getElementById('connection').dataset.connection === 'online'"
        )
        notes = [obj for obj in (await server_objects(workshop)).values() if obj["type"] == "note"]
        assert sorted(obj["text"] for obj in notes) == [f"Offline idea {i}" for i in range(3)]
        assert await b.page.locator(".item.note").count() == 3, "each note once"

        await a.page.reload()
        await a.page.wait_for_function("() => document.documentElement.dataset.connection === 'online'")
        for i in range(3):
            await note(a.page, f"Offline idea {i}").wait_for()
        assert await a.page.locator(".item.note").count() == 3
        assert len([o for o in (await server_objects(workshop)).values() if o["type"] == "note"]) == 3
        await screenshot(a.page, "board-offline-notes-after-reload")
        await screenshot(b.page, "board-offline-notes-seen-by-b")
    finally:
        await a.close()
        await b.close()


async def wait_note_at(page: Any, text: str, x: float, y: float) -> None:
    """Wait until the note showing `text` is drawn with its top-left corner at (x, y)."""
    await page.wait_for_function(
        """([text, x, y]) => {
            const node = [...document.querySelectorAll('.item.note')]
              .find((n) => n.textContent.includes(text));
            const box = node && node.getBoundingClientRect();
            return box && Math.abs(box.x - x) < 2 && Math.abs(box.y - y) < 2;
        }""",
        arg=[text, x, y],
    )


async def test_undo_and_redo_of_a_move_and_a_delete_round_trip_for_both(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    b = await open_board(browser, workshop)
    try:
        mine = await add_note(a.page, "Move me")
        await note(b.page, "Move me").wait_for()
        start = await object_box(mine)
        await draw(a.page, [(start["x"] + 50, start["y"] + 50), (start["x"] + 200, start["y"] + 90)])
        moved = (start["x"] + 150, start["y"] + 40)
        for page in (a.page, b.page):
            await wait_note_at(page, "Move me", *moved)

        await a.page.keyboard.press("Control+z")
        for page in (a.page, b.page):
            await wait_note_at(page, "Move me", start["x"], start["y"])
        await a.page.keyboard.press("Control+y")
        for page in (a.page, b.page):
            await wait_note_at(page, "Move me", *moved)

        await mine.click()
        await a.page.keyboard.press("Delete")
        for page in (a.page, b.page):
            await note(page, "Move me").wait_for(state="detached")
        await a.page.keyboard.press("Control+z")
        for page in (a.page, b.page):
            await wait_note_at(page, "Move me", *moved)
        await a.page.keyboard.press("Control+Shift+z")
        for page in (a.page, b.page):
            await note(page, "Move me").wait_for(state="detached")
        await a.page.keyboard.press("Control+z")
        for page in (a.page, b.page):
            await wait_note_at(page, "Move me", *moved)
        assert [o["text"] for o in (await server_objects(workshop)).values() if o["type"] == "note"] == [
            "Move me"
        ]
        await screenshot(a.page, "board-undo-redo-a")
        await screenshot(b.page, "board-undo-redo-b")
    finally:
        await a.close()
        await b.close()
