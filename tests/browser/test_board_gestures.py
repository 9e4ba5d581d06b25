"""The board's pointer gestures and the toolbar's choices (issue 3), in Chromium against a real
server, with a second participant watching: a comment pinned on empty canvas, a note added by
double-clicking empty canvas, note colours from the object menu and the toolbar, the pen's
colour and width, sending to the back, zooming in up to 400 % and no further, and panning by
dragging empty canvas."""

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
    object_box,
    open_board,
    screenshot,
    server_objects,
    settle,
)
from tests.browser.test_board_tools import of_type
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()


async def test_a_comment_pinned_on_empty_canvas_is_seen_by_the_other_and_kept_at_its_point(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    b = await open_board(browser, workshop)
    page = a.page
    try:
        x, y = await canvas_centre(page)  # the view starts at (0, 0), 100 %
        await page.locator("#canvas").focus()
        await page.keyboard.press("c")
        await page.mouse.click(x + 120, y + 60)
        composer = page.locator(".comment-panel:not([hidden])")
        await composer.get_by_role("heading", name="New comment").wait_for()
        await page.keyboard.type("Benches along here")
        await composer.get_by_role("button", name="Add comment").click()
        pin = b.page.locator(".comment-pin")
        await pin.wait_for()
        assert "Benches along here" in (await pin.get_attribute("aria-label") or "")
        [comment] = of_type(await server_objects(workshop), "comment")
        assert comment["text"] == "Benches along here"
        assert comment.get("target") is None, "pinned on the canvas, not on an object"
        assert (comment["x"], comment["y"]) == (pytest.approx(120, abs=2), pytest.approx(60, abs=2))

        # With the Comment tool's button the same: the tool, then a click on the canvas.
        await page.get_by_role("button", name="Comment", exact=True).click()
        await page.mouse.click(x - 200, y - 100)
        await page.keyboard.type("And a bin")
        await page.keyboard.press("Control+Enter")
        await b.page.wait_for_function("() => document.querySelectorAll('.comment-pin').length === 2")
        second = next(
            c for c in of_type(await server_objects(workshop), "comment") if c["text"] == "And a bin"
        )
        assert second.get("target") is None
        assert (second["x"], second["y"]) == (pytest.approx(-200, abs=2), pytest.approx(-100, abs=2))
        await screenshot(b.page, "board-canvas-comment")
    finally:
        await a.close()
        await b.close()


async def test_double_clicking_empty_canvas_adds_a_note_there(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    b = await open_board(browser, workshop)
    page = a.page
    try:
        x, y = await canvas_centre(page)
        await page.mouse.dblclick(x + 250, y - 50)
        editor = page.locator("textarea.editor")
        await editor.wait_for()
        assert await editor.evaluate("(area) => document.activeElement === area"), "ready to type into"
        await page.keyboard.type("Here, exactly")
        await page.keyboard.press("Escape")
        await note(b.page, "Here, exactly").wait_for()
        [stored] = of_type(await server_objects(workshop), "note")
        # The note is centred on the point double-clicked (a 200 x 200 note at 100 %).
        assert (stored["x"] + stored["w"] / 2, stored["y"] + stored["h"] / 2) == (
            pytest.approx(250, abs=2),
            pytest.approx(-50, abs=2),
        )
        box = await object_box(note(page, "Here, exactly"))
        assert box["x"] + box["width"] / 2 == pytest.approx(x + 250, abs=2)
        assert box["y"] + box["height"] / 2 == pytest.approx(y - 50, abs=2)
    finally:
        await a.close()
        await b.close()


async def test_a_colour_from_the_menu_or_the_toolbar_is_the_notes_colour_for_everyone(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    b = await open_board(browser, workshop)
    page = a.page
    try:
        first = await add_note(page, "Recolour me")
        await first.click()
        menu = page.locator(".object-menu:not([hidden])")
        await menu.get_by_role("button", name="Colour").click()
        await menu.get_by_role("group", name="Note colours").get_by_role("button", name="blue").click()
        await b.page.locator(".item.note[data-color='blue']", has_text="Recolour me").wait_for()
        assert await menu.get_by_role("button", name="blue").get_attribute("aria-pressed") == "true"
        [stored] = of_type(await server_objects(workshop), "note")
        assert stored["color"] == "blue"

        # The toolbar: the Note tool, a colour among its options, then a click on the canvas.
        await page.keyboard.press("Escape")  # from the menu back to the note
        await page.keyboard.press("Escape")  # and nothing selected
        await menu.wait_for(state="detached")
        await page.get_by_role("button", name="Note", exact=True).click()
        colours = page.get_by_role("group", name="Colour for new notes")
        await colours.get_by_role("button", name="green").click()
        assert await colours.get_by_role("button", name="green").get_attribute("aria-pressed") == "true"
        x, y = await canvas_centre(page)
        await page.mouse.click(x + 300, y + 150)
        await page.locator("textarea.editor").fill("Born green")
        await page.keyboard.press("Escape")
        await b.page.locator(".item.note[data-color='green']", has_text="Born green").wait_for()
        assert "green note" in (await note(b.page, "Born green").get_attribute("aria-label") or "")
        colours_kept = {n["text"]: n["color"] for n in of_type(await server_objects(workshop), "note")}
        assert colours_kept == {"Recolour me": "blue", "Born green": "green"}
    finally:
        await a.close()
        await b.close()


async def test_the_pens_colour_and_width_are_kept_in_the_stroke(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    b = await open_board(browser, workshop)
    page = a.page
    try:
        await page.get_by_role("button", name="Pen", exact=True).click()
        await page.get_by_role("group", name="Colour", exact=True).get_by_role("button", name="Red").click()
        await page.get_by_role("group", name="Line width").get_by_role("button", name="Thick").click()
        x, y = await canvas_centre(page)
        await draw(page, [(x - 150, y), (x - 50, y + 40), (x + 50, y - 20), (x + 150, y + 10)])
        ink = b.page.locator(".item.stroke .stroke-ink")
        await ink.wait_for(state="attached")
        assert (await ink.get_attribute("stroke"), await ink.get_attribute("stroke-width")) == (
            "#b91c1c",
            "8",
        )
        [stroke] = of_type(await server_objects(workshop), "stroke")
        assert (stroke["color"], stroke["width"]) == ("#b91c1c", 8)
    finally:
        await a.close()
        await b.close()


async def test_send_to_back_gives_the_lowest_place_and_is_drawn_first(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    b = await open_board(browser, workshop)
    page = a.page
    try:
        for words in ("Bottom", "Middle", "Top"):
            await add_note(page, words)
        drawn = (
            "() => [...document.querySelectorAll('#world .item.note .note-text')].map((n) => n.textContent)"
        )

        async def lowest(text: str) -> None:
            await b.page.wait_for_function(f"() => ({drawn})()[0] === {text!r}")
            assert (await page.evaluate(drawn))[0] == text
            notes = of_type(await server_objects(workshop), "note")
            z = {n["text"]: n.get("z", "a0") for n in notes}
            assert z[text] == min(z.values()), z
            assert list(z.values()).count(z[text]) == 1, z

        await note(page, "Top").click()
        await page.keyboard.press("[")
        await lowest("Top")

        await note(page, "Middle").click()
        await page.locator(".object-menu:not([hidden])").get_by_role("button", name="To back").click()
        await lowest("Middle")
        assert await b.page.evaluate(drawn) == ["Middle", "Top", "Bottom"]
    finally:
        await a.close()
        await b.close()


async def test_plus_zooms_in_up_to_400_percent_and_no_further(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    page = a.page
    try:
        target = await add_note(page, "Closer")
        await page.keyboard.press("Escape")
        start = await object_box(target)
        level = page.locator(".zoom-level")
        await page.locator("#canvas").focus()
        for _ in range(10):  # 1.25 ** 10 is over 9: far past the cap
            await page.keyboard.press("+")
        await settle(page)
        assert await level.inner_text() == "400%"
        assert await level.get_attribute("aria-label") == "Zoom 400%: back to 100%"
        box = await object_box(target)
        assert box["width"] == pytest.approx(start["width"] * 4, rel=0.01)
        await page.keyboard.press("+")
        await settle(page)
        assert await level.inner_text() == "400%"
        assert (await object_box(target))["width"] == pytest.approx(box["width"], rel=0.001)
        await page.wait_for_function("() => location.hash.endsWith(',400')")
    finally:
        await a.close()


async def test_dragging_empty_canvas_pans_by_the_distance_dragged(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop)
    page = a.page
    try:
        target = await add_note(page, "Stays put on the board")
        await page.keyboard.press("Escape")
        before = await object_box(target)
        x, y = await canvas_centre(page)
        start = (x + 260, y + 200)  # empty canvas, away from the note in the middle
        await draw(page, [start, (start[0] - 90, start[1] - 40), (start[0] - 170, start[1] - 70)])
        await settle(page)
        after = await object_box(target)
        assert after["x"] - before["x"] == pytest.approx(-170, abs=1)
        assert after["y"] - before["y"] == pytest.approx(-70, abs=1)
        assert (after["width"], after["height"]) == (before["width"], before["height"])
        [stored] = of_type(await server_objects(workshop), "note")
        assert (stored["x"], stored["y"]) == (-100, -100), "panning moves the view, not the note"
    finally:
        await a.close()


async def test_the_keyboard_alone_pins_a_comment_in_the_middle_of_the_view(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    a = await open_board(browser, workshop, reduced_motion="reduce")  # the view jumps, never glides
    b = await open_board(browser, workshop)
    page = a.page
    try:
        await page.evaluate("() => { location.hash = '#@300,-200,100'; }")
        await page.wait_for_function(
            """() => {
                const canvas = document.getElementById('canvas');
                const [x, y] = [canvas.clientWidth / 2 - 300, canvas.clientHeight / 2 + 200];
                const world = document.getElementById('world');
                return world.style.transform === `translate(${x}px, ${y}px) scale(1)`;
            }"""
        )  # looking at (300, -200)
        await page.locator("#canvas").focus()
        await page.keyboard.press("c")
        await page.keyboard.press("Enter")
        composer = page.locator(".comment-panel:not([hidden])")
        await composer.get_by_role("heading", name="New comment").wait_for()
        assert await page.evaluate("() => document.activeElement.id") == "comment-text", "ready to type"
        await page.keyboard.type("Typed, not pointed")
        await page.keyboard.press("Control+Enter")
        await b.page.locator(".comment-pin").wait_for(state="attached")
        [comment] = of_type(await server_objects(workshop), "comment")
        assert comment.get("target") is None
        assert (comment["x"], comment["y"]) == (300, -200), "pinned where the view is centred"

        # The toolbar's Comment button, pressed from the keyboard, does the same; with a note
        # selected, the comment goes on the note.
        await add_note(page, "Talk about me")
        await page.locator("#toolbar [data-tool=comment]").press("Enter")
        await page.keyboard.type("On the note")
        await page.keyboard.press("Control+Enter")
        await b.page.wait_for_function("() => document.querySelectorAll('.comment-pin').length === 2")
        [on_note] = [
            c for c in of_type(await server_objects(workshop), "comment") if c["text"] == "On the note"
        ]
        [target] = of_type(await server_objects(workshop), "note")
        assert on_note.get("target") == target["id"]
    finally:
        await a.close()
        await b.close()
