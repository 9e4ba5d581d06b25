"""Each tool and shortcut of the board, in Chromium against a real server: shapes with labels,
free text, the eraser, selecting (click, shift-click, marquee), copy and paste, duplicate,
stacking order, resizing, moving from the keyboard, and the help panel."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.browser.helpers import (
    add_note,
    canvas_centre,
    draw,
    module_server,
    new_workshop,
    note,
    object_box,
    open_board,
    screenshot,
    selected,
    server_objects,
)
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()


def of_type(objects: dict[str, dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [obj for obj in objects.values() if obj["type"] == kind]


async def test_shapes_with_labels_free_text_and_the_eraser(browser: Any, board_server: RunningServer) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    b = await open_board(browser, workshop)
    page = a.page
    try:
        x, y = await canvas_centre(page)
        await page.get_by_role("button", name="Shape", exact=True).click()
        await page.get_by_role("button", name="Ellipse").click()
        await draw(page, [(x - 300, y - 200), (x - 120, y - 80)])
        ellipse = b.page.locator(".item.shape[data-kind='ellipse']")
        await ellipse.wait_for()
        await page.locator(".item.shape").dblclick()
        await page.locator("textarea.editor").fill("Council")
        await page.keyboard.press("Escape")
        await ellipse.locator(".shape-label", has_text="Council").wait_for()

        await page.keyboard.press("s")
        await page.get_by_role("button", name="Arrow").click()
        await draw(page, [(x - 100, y - 140), (x + 60, y - 140)])
        await b.page.locator(".item.shape[data-kind='arrow'] polygon").wait_for()
        [arrow] = [o for o in of_type(await server_objects(workshop), "shape") if o.get("kind") == "arrow"]
        assert arrow["w"] == pytest.approx(160, abs=2)
        assert arrow.get("h", 100) == pytest.approx(0, abs=2)

        await page.keyboard.press("t")
        await page.mouse.click(x + 100, y + 100)
        await page.keyboard.type("Free words")
        await page.keyboard.press("Escape")
        await b.page.locator(".item.text", has_text="Free words").wait_for()
        await page.keyboard.press("t")
        await page.mouse.click(x + 100, y + 200)
        await page.keyboard.press("Escape")  # nothing typed: nothing kept
        assert len(of_type(await server_objects(workshop), "text")) == 1

        await page.keyboard.press("p")
        await draw(page, [(x - 300, y + 60), (x - 200, y + 80), (x - 100, y + 60)])
        await draw(page, [(x - 300, y + 160), (x - 200, y + 180), (x - 100, y + 160)])
        await b.page.wait_for_function("() => document.querySelectorAll('.item.stroke').length === 2")
        await page.keyboard.press("e")
        await draw(page, [(x - 200, y + 40), (x - 200, y + 120)])  # across the first stroke only
        await b.page.wait_for_function("() => document.querySelectorAll('.item.stroke').length === 1")
        assert await page.locator(".item.note").count() == 0
        await page.keyboard.press("Escape")
        await page.keyboard.press("Control+z")
        await b.page.wait_for_function("() => document.querySelectorAll('.item.stroke').length === 2")
        await screenshot(b.page, "board-shapes-text-strokes")
    finally:
        await a.close()
        await b.close()


async def test_selecting_copying_duplicating_stacking_and_resizing(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    page = a.page
    try:
        for words in ("One", "Two", "Three"):
            await add_note(page, words)
        one, two, three = note(page, "One"), note(page, "Two"), note(page, "Three")
        await one.click()
        await two.click(modifiers=["Shift"])
        assert await selected(page) == 2

        # A marquee (Shift+drag on empty canvas) around "Three" alone.
        box = await object_box(three)
        await page.keyboard.press("Escape")
        await page.mouse.move(box["x"] - 10, box["y"] - 10)
        await page.keyboard.down("Shift")
        await page.mouse.down()
        await page.mouse.move(box["x"] + box["width"] + 10, box["y"] + box["height"] + 10, steps=5)
        await page.mouse.up()
        await page.keyboard.up("Shift")
        assert await selected(page) == 1

        await page.keyboard.press("Control+c")
        await page.keyboard.press("Control+v")
        await page.wait_for_function("() => document.querySelectorAll('.item.note').length === 4")
        await page.keyboard.press("Control+d")
        await page.wait_for_function("() => document.querySelectorAll('.item.note').length === 5")
        notes = of_type(await server_objects(workshop), "note")
        assert sorted(n["text"] for n in notes) == ["One", "Three", "Three", "Three", "Two"]

        await one.click()
        await page.keyboard.press("]")
        await page.wait_for_function(
            "() => [...document.querySelectorAll('.item.note')].pop().textContent.includes('One')"
        )
        stored = {
            n["text"]: n for n in of_type(await server_objects(workshop), "note") if n["text"] != "Three"
        }
        assert stored["One"].get("z", "a0") > stored["Two"].get("z", "a0"), "brought to the front"

        start = await object_box(one)
        handle = page.locator(".resize-handle")
        grip = await object_box(handle)
        await draw(page, [(grip["x"] + 22, grip["y"] + 22), (grip["x"] + 122, grip["y"] + 62)])
        resized = await object_box(one)
        assert resized["width"] == pytest.approx(start["width"] + 100, abs=2)
        assert resized["height"] == pytest.approx(start["height"] + 40, abs=2)

        await page.keyboard.press("ArrowRight")
        await page.keyboard.press("Shift+ArrowDown")
        moved = await object_box(one)
        assert moved["x"] == pytest.approx(resized["x"] + 10, abs=1)
        assert moved["y"] == pytest.approx(resized["y"] + 50, abs=1)
        [kept] = [n for n in of_type(await server_objects(workshop), "note") if n["text"] == "One"]
        assert (kept["w"], kept["h"]) == (300, 240)
        await screenshot(page, "board-selection-copy-resize")
    finally:
        await a.close()


async def test_the_keyboard_alone_adds_edits_moves_and_deletes_and_the_help_lists_the_keys(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    page = a.page
    try:
        await add_note(page, "Typed")
        await page.keyboard.press("Escape")  # clear the selection
        await page.locator("#canvas").focus()
        await page.keyboard.press("Tab")
        focused = await page.evaluate("() => document.activeElement.getAttribute('aria-label')")
        assert focused == "yellow note: Typed"
        await page.keyboard.press("Enter")
        await page.keyboard.press("End")
        await page.keyboard.type(" and edited")
        await page.keyboard.press("Escape")
        await note(page, "Typed and edited").wait_for()
        assert await page.evaluate("() => document.activeElement.classList.contains('note')"), "focus returns"
        await page.keyboard.press("Delete")
        await note(page, "Typed and edited").wait_for(state="detached")

        await page.keyboard.press("?")
        dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
        await dialog.wait_for()
        assert "Undo your last change" in await dialog.inner_text()
        await screenshot(page, "board-help")
        await page.keyboard.press("Escape")
        await dialog.wait_for(state="hidden")
    finally:
        await a.close()


async def test_pasted_text_becomes_one_note_per_paragraph(browser: Any, board_server: RunningServer) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    page = a.page
    try:
        await page.locator("#canvas").focus()
        await page.evaluate(
            """() => {
                const data = new DataTransfer();
                data.setData('text/plain', 'Walking bus\\n\\nCycle hub\\n\\nLate buses');
                document.getElementById('canvas').dispatchEvent(
                  new ClipboardEvent('paste', {clipboardData: data, bubbles: true}));
            }"""
        )
        for words in ("Walking bus", "Cycle hub", "Late buses"):
            await note(page, words).wait_for()
        assert len(of_type(await server_objects(workshop), "note")) == 3
    finally:
        await a.close()


async def notes_stored(workshop: Any, board: str) -> list[dict[str, Any]]:
    """The notes on a board once the server has some (a page's note is sent a moment after it
    is drawn)."""
    for _ in range(100):
        found = of_type(await server_objects(workshop, board), "note")
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError("no note reached the server")


COPY_SELECTION = """() => {
    const data = new DataTransfer();
    document.getElementById('canvas').dispatchEvent(
      new ClipboardEvent('copy', {clipboardData: data, bubbles: true}));
    return data.getData('application/x-workshop-board');
}"""
PASTE = """(copied) => {
    const data = new DataTransfer();
    data.setData('application/x-workshop-board', copied);
    document.getElementById('canvas').dispatchEvent(
      new ClipboardEvent('paste', {clipboardData: data, bubbles: true}));
}"""


async def test_a_note_copied_on_one_board_and_pasted_on_another_is_a_copy_of_it(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url, breakouts=2)
    _, one, two = workshop.boards
    # Facilitators go where they like (a participant is sent to the board they are given).
    a = await open_board(browser, workshop, board=one, role="facilitator")
    b = await open_board(browser, workshop, board=two, role="facilitator")
    try:
        await add_note(a.page, "Library drop-in")
        assert await selected(a.page) == 1
        copied = await a.page.evaluate(COPY_SELECTION)
        [original] = await notes_stored(workshop, one)
        await b.page.locator("#canvas").focus()
        await b.page.evaluate(PASTE, copied)
        await note(b.page, "Library drop-in").wait_for()
        [pasted] = await notes_stored(workshop, two)
        assert pasted["text"] == "Library drop-in"
        assert pasted["origin"] == {"id": original["id"], "board": 1}
    finally:
        await a.close()
        await b.close()


async def test_far_out_the_board_is_painted_and_objects_can_still_be_picked_and_moved(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    b = await open_board(browser, workshop)
    page = a.page
    try:
        target = await add_note(page, "Seen from afar")
        await page.keyboard.press("Escape")
        box = await object_box(target)
        centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        await page.mouse.move(*centre)
        for _ in range(12):  # about 16 %
            await page.mouse.wheel(0, 100)
        await page.locator("#overview:not([hidden])").wait_for()
        await page.wait_for_function("() => document.querySelectorAll('#world .item').length === 0")
        painted = await page.evaluate(
            """([x, y]) => {
                const canvas = document.getElementById('overview');
                const box = canvas.getBoundingClientRect();
                const ratio = canvas.width / box.width;
                const pixel = canvas.getContext('2d')
                  .getImageData((x - box.x) * ratio, (y - box.y) * ratio, 1, 1).data;
                return [...pixel];
            }""",
            list(centre),
        )
        assert painted[:3] == [0xFE, 0xF0, 0x8A], "the note is painted in its colour where it is"
        await draw(page, [centre, (centre[0] + 30, centre[1])])
        assert await selected(page) == 1, "pressing on the painted note selects it"
        await b.page.wait_for_function(
            """(x) => [...document.querySelectorAll('.item.note')]
                .some((n) => n.getBoundingClientRect().x > x + 150)""",
            arg=box["x"],
        )  # dragged 30 screen px at about 16 %: some 180 units for B, at 100 % (same screen size)
        await screenshot(page, "board-far-overview")
        await page.keyboard.press("0")
        await note(page, "Seen from afar").wait_for()
        await note(b.page, "Seen from afar").wait_for()
    finally:
        await a.close()
        await b.close()
