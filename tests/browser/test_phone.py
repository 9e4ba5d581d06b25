"""A participant's whole journey on a phone (issue 8): Chromium's device emulation at 390x844
with touch (`has_touch`, `is_mobile`), fingers only. Join by code through the real pages, add a
note on the board, vote for it, answer the exit poll; in English and in Welsh."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from board import i18n
from tests.browser.helpers import (
    WAIT_MS,
    facilitator_socket,
    module_server,
    new_workshop,
    note,
    object_box,
    screenshot,
    server_objects,
    wait_online,
    wait_ready,
)
from tests.browser.test_board_phone import PHONE, Fingers
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser

board_server = module_server()

KEYS = {
    "join": "home.join",
    "join_workshop": "join.button",
    "to_board": "join.to_board",
    "note": "board.tool.note",
    "add": "poll.send",
    "answer": "poll.your_answer",
}


@pytest.mark.parametrize("lang", ["en", "cy"])
async def test_on_a_phone_a_participant_joins_adds_a_note_votes_and_answers_the_poll(
    browser: Any, board_server: RunningServer, lang: str
) -> None:
    words = {name: i18n.translate("cy" if lang == "cy" else "en", key) for name, key in KEYS.items()}
    workshop = await new_workshop(board_server.base_url, title="Ar y ffôn")
    facilitator = await facilitator_socket(workshop)
    context = await browser.new_context(
        base_url=board_server.base_url, locale="cy-GB" if lang == "cy" else "en-GB", **PHONE
    )
    context.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    try:
        page = await context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        fingers = Fingers(await context.new_cdp_session(page))

        # Join: the code on the home page, the one button, past the withdrawal code.
        await page.goto("/")
        await wait_ready(page)
        await page.locator("#code").tap()
        await page.keyboard.type(workshop.join_code)
        await page.get_by_role("button", name=words["join"], exact=True).tap()
        await page.get_by_role("button", name=words["join_workshop"]).tap()
        await page.get_by_role("link", name=words["to_board"]).tap()
        await page.wait_for_url(re.compile(r"/b/"))
        await wait_ready(page)
        await wait_online(page)
        assert await page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]

        # Add a note: the Note tool, a tap on the board, type, a tap somewhere empty.
        canvas = await object_box(page.locator("#canvas"))
        cx, cy = canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 3
        await page.get_by_role("button", name=words["note"], exact=True).tap()
        await fingers.tap(cx, cy)
        editor = page.locator("textarea.editor")
        await editor.wait_for()
        await page.keyboard.type("Seats at the bus stop")
        await fingers.tap(cx, canvas["y"] + canvas["height"] - 90)
        await editor.wait_for(state="detached")
        added = note(page, "Seats at the bus stop")
        await added.wait_for()

        # Vote for it: voting opens, a tap on the note, Vote in its menu.
        await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"voting": True}}))
        box = await object_box(added)
        await fingers.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        vote = page.locator(".object-menu [data-action='vote']")
        await vote.tap()
        await added.locator(".vote-count").wait_for()
        await facilitator.wait_for(lambda: any(o.get("type") == "vote" for o in facilitator.objects.values()))

        # The exit poll opens over the board: type a word, tap Add.
        async with httpx.AsyncClient(
            base_url=board_server.base_url, headers={"Authorization": f"Bearer {workshop.facilitator_token}"}
        ) as http:
            (await http.put(f"/api/workshops/{workshop.id}/poll", json={"open": True})).raise_for_status()
        panel = page.locator("#poll-panel")
        await panel.locator(".poll-form").wait_for()
        await panel.get_by_label(words["answer"]).tap()
        await page.keyboard.type("hopeful")
        await panel.get_by_role("button", name=words["add"], exact=True).tap()
        await page.wait_for_function(
            "() => document.querySelector('#poll-panel .poll-form input').value === ''"
        )
        await screenshot(page, f"phone-journey-{lang}")

        notes = [o for o in (await server_objects(workshop)).values() if o["type"] == "note"]
        assert [n["text"] for n in notes] == ["Seats at the bus stop"]
        async with httpx.AsyncClient(
            base_url=board_server.base_url, headers={"Authorization": f"Bearer {workshop.facilitator_token}"}
        ) as http:
            poll = (await http.get(f"/api/workshops/{workshop.id}/poll")).json()
        assert "hopeful" in str(poll)
    finally:
        await context.close()
        await facilitator.close()
    assert errors == []
