""" "Raised in N of M groups" in Chromium (issues 5 and 10): when a facilitator merges
near-duplicates from two breakout boards, the note that stays says so on its board, live for
whoever is there and for whoever comes later, in English and in Welsh, and under its board's
thumbnail in the gallery; M counts every group with notes, the main board's included, as the
record does."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.browser.helpers import (
    OpenWorkshop,
    Person,
    module_server,
    new_workshop,
    note,
    open_board,
    wait_online,
)
from tests.conftest import RunningServer
from tests.support import BoardClient

pytestmark = pytest.mark.browser
board_server = module_server()


@pytest.fixture
async def people(browser: Any) -> AsyncIterator[list[Person]]:
    opened: list[Person] = []
    yield opened
    for person in opened:
        await person.close()


async def add_note(workshop: OpenWorkshop, board: str, note_id: str, text: str) -> None:
    """A participant's note on `board`, over a real websocket."""
    async with httpx.AsyncClient(base_url=workshop.base_url) as http:
        token = (await http.post("/api/join", json={"code": workshop.join_code})).json()["token"]
    ws_url = workshop.base_url.replace("http://", "ws://") + "/ws"
    client = await BoardClient(ws_url, board, token).connect()
    try:
        op = await client.op(
            {"kind": "create", "obj": {"type": "note", "id": note_id, "x": 0, "y": 0, "text": text}}
        )
        await client.wait_acked(op)
    finally:
        await client.close()


async def on_board(browser: Any, workshop: OpenWorkshop, number: int, lang: str = "en") -> Person:
    """A participant in a browser, sent by the facilitator to breakout board `number` (a
    participant nobody sent anywhere is taken to the main board)."""
    person = await open_board(browser, workshop, lang=lang)
    auth = {"Authorization": f"Bearer {workshop.facilitator_token}"}
    async with httpx.AsyncClient(base_url=workshop.base_url, headers=auth) as http:
        present = (await http.get(f"/api/workshops/{workshop.id}/present")).json()["people"]
        (newcomer,) = [p for p in present if p["board"] == 0]
        moved = await http.post(
            f"/api/workshops/{workshop.id}/move", json={"person": newcomer["cid"], "board": number}
        )
        assert moved.status_code == 200, moved.text
    await person.page.wait_for_url(f"**/b/{workshop.boards[number]}")
    await wait_online(person.page)
    return person


async def test_a_merged_note_says_how_many_groups_raised_it_on_its_board_and_in_the_gallery(
    board_server: RunningServer, browser: Any, people: list[Person]
) -> None:
    workshop = await new_workshop(board_server.base_url, breakouts=2)
    main, one, two = workshop.boards
    await add_note(workshop, one, "fg1", "Focus groups in planning")
    await add_note(workshop, two, "fg2", "planning focus group")
    await add_note(workshop, main, "tea", "Tea and cake")
    there = await on_board(browser, workshop, 1)
    facilitator = await open_board(browser, workshop, role="facilitator")
    people += [there, facilitator]
    await facilitator.page.get_by_role("button", name="Gallery").click()
    thumb = facilitator.page.locator('.fac-thumb[data-board="1"]')
    await thumb.locator(".fac-count", has_text="1 note").wait_for()
    assert await thumb.locator(".fac-raised li").count() == 0, "nothing merged yet"
    assert await note(there.page, "Focus groups in planning").locator(".note-raised").is_hidden()

    async with httpx.AsyncClient(base_url=workshop.base_url) as http:
        merged = await http.post(
            f"/api/workshops/{workshop.id}/duplicates/merge",
            json={"notes": ["1:fg1", "2:fg2"], "keep": "1:fg1"},
            headers={"Authorization": f"Bearer {workshop.facilitator_token}"},
        )
        assert merged.status_code == 200, merged.text
        assert merged.json()["groups"] == [1, 2]

    # Live, for whoever is on the board: N from the note, M (3: boards 0, 1 and 2) from the server.
    raised = note(there.page, "Focus groups in planning").locator(".note-raised")
    await raised.filter(has_text="Raised in 2 of 3 groups").wait_for()
    described = await note(there.page, "Focus groups in planning").get_attribute("aria-describedby")
    assert described is not None
    assert "raised-of-fg1" in described.split(), "read with the note"
    await thumb.locator(
        ".fac-raised li", has_text="Focus groups in planning: Raised in 2 of 3 groups"
    ).wait_for()
    await facilitator.page.locator(
        '.fac-thumb[data-board="2"] .fac-count', has_text=re.compile(r"^0 notes$")
    ).wait_for()

    # Someone arriving later, in Welsh.
    welsh = await on_board(browser, workshop, 1, lang="cy")
    people.append(welsh)
    await (
        note(welsh.page, "Focus groups in planning")
        .locator(".note-raised", has_text="Codwyd gan 2 o'r 3 grŵp")
        .wait_for()
    )
