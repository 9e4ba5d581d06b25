"""The issue's scripted workshop in Chromium (issue 4): the facilitator at the dashboard and on
the main board, three participants in browsers and four on bare websockets. Creation from the
seed-000 template, allocation to three boards (browsers are taken there by themselves), notes
on each board, the live gallery and its pull, voting from the note's menu with hidden then
shown results, private mode and its reveal, the timer to its end, the lock and closing, with
what each person sees checked at every step."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.browser.helpers import OpenWorkshop, Person, add_note, note, open_board, wait_online
from tests.conftest import RunningServer
from tests.support import BoardClient

pytestmark = pytest.mark.browser


TALL = {"width": 1280, "height": 1500}
"""Tall enough that "show everything" shows the pulled frames below the template's columns."""


def notices(client: BoardClient) -> list[dict[str, Any]]:
    return [message for message in client.received if message["type"] == "notice"]


async def board_of(page: Any) -> str:
    match = re.search(r"/b/([^/?#]+)", page.url)
    assert match, page.url
    return match.group(1)


async def show_everything(page: Any) -> None:
    """Zoom to fit the whole board: the board draws only what is in view."""
    await page.get_by_role("button", name="Show everything").click()


async def test_a_scripted_workshop_in_the_browser(
    browser: Any, make_server: Callable[..., RunningServer]
) -> None:
    server = make_server()
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        data = (await http.post("/api/templates/engagement-network/workshops", json={"breakouts": 0})).json()
        tokens = [
            (await http.post("/api/join", json={"code": data["join_code"]})).json()["token"] for _ in range(4)
        ]
    workshop = OpenWorkshop(
        data["id"],
        data["join_code"],
        data["facilitator_key"],
        [b["id"] for b in data["boards"]],
        server.base_url,
        data["token"],
    )
    people: list[Person] = []
    sockets: list[BoardClient] = []
    try:
        facilitator = await open_board(browser, workshop, role="facilitator", viewport=TALL)
        people.append(facilitator)
        dashboard = await facilitator.context.new_page()
        await dashboard.goto(f"/w/{workshop.id}/dashboard")
        participants = [await open_board(browser, workshop, viewport=TALL) for _ in range(3)]
        people += participants
        sockets = [await BoardClient(server.ws_url, workshop.main, token).connect() for token in tokens]
        await dashboard.get_by_text("7 people are here").wait_for()

        # Allocation: three boards of 2-3; the browsers go to their boards by themselves.
        await dashboard.get_by_label("People in each group").fill("2")
        await dashboard.get_by_role("button", name="Put people into groups now").click()
        await dashboard.get_by_text("7 people sent to 3 boards.").wait_for()
        info = await server.call(server.services.directory.workshop(workshop.id))
        boards = {board.id: board.number for board in info.boards}
        for person in participants:
            await person.page.wait_for_url(re.compile(r"/b/"))
            await wait_online(person.page)
        where = {i: boards[await board_of(p.page)] for i, p in enumerate(participants)}
        assert all(number in (1, 2, 3) for number in where.values())
        for client in sockets:
            await client.wait_for(lambda c=client: any(n["kind"] == "goto" for n in notices(c)))
        socket_boards = [notices(c)[-1] for c in sockets]
        counts = sorted(
            [*where.values(), *(n["number"] for n in socket_boards)].count(number) for number in (1, 2, 3)
        )
        assert counts == [2, 2, 3]

        # Notes on each board: one from every browser, from the keyboard.
        for i, person in enumerate(participants):
            await add_note(person.page, f"Engagement {i} on board {where[i]}")
        for i, person in enumerate(participants):
            for j in range(3):
                if where[j] == where[i]:
                    await note(person.page, f"Engagement {j} on board {where[j]}").wait_for()
        for i, person in enumerate(participants):
            for j in range(3):
                if where[j] != where[i]:
                    shown = await note(person.page, f"Engagement {j} on board {where[j]}").count()
                    assert shown == 0, "each board shows only its own notes"

        # The gallery: live thumbnails on the main board, then the pull.
        await facilitator.page.get_by_role("button", name="Gallery").click()
        thumbs = facilitator.page.locator(".fac-thumb")
        await thumbs.nth(2).wait_for()
        for number in (1, 2, 3):
            expected = sum(1 for n in where.values() if n == number)
            thumb = facilitator.page.locator(f'.fac-thumb[data-board="{number}"] .fac-count')
            await thumb.filter(
                has_text=re.compile(rf"^({expected} note|{expected} notes|No notes yet)$")
            ).wait_for()
        await facilitator.page.get_by_role("button", name="Pull into the main board").click()
        await facilitator.page.get_by_text("3 notes copied into the main board.").wait_for()
        await show_everything(facilitator.page)
        for i in range(3):
            await note(facilitator.page, f"Engagement {i} on board {where[i]}").wait_for()

        # Everyone back to the main board, from every breakout board (the first choice).
        await dashboard.get_by_role("button", name="Everyone back from the breakout boards").click()
        for person in participants:
            await person.page.wait_for_url(re.compile(rf"/b/{workshop.main}(#@[^#]*)?$"))
            await wait_online(person.page)
        first, second, third = (p.page for p in participants)
        for page in (first, second, third):
            await show_everything(page)
        pulled = note(first, "Engagement 0 on board")
        await pulled.wait_for()

        # Dot voting: a vote from the note's menu, hidden from others until shown.
        await facilitator.page.get_by_role("button", name="Facilitate").click()
        await facilitator.page.get_by_role("button", name="Open voting").click()
        await pulled.click()
        await first.get_by_role("button", name="Vote (3 left)").click()
        await first.get_by_role("button", name="Vote (2 left)").wait_for()
        await pulled.locator(".vote-count:not([hidden])").wait_for()  # the voter sees their own dot
        seen_by_second = note(second, "Engagement 0 on board").locator(".vote-count:not([hidden])")
        assert await seen_by_second.count() == 0, "votes stay hidden from others"
        await facilitator.page.get_by_role("button", name="Show the results").click()
        await seen_by_second.wait_for()
        await facilitator.page.get_by_role("button", name="Close voting").click()

        # Private mode: a note is seen by its author only, until the reveal.
        await facilitator.page.get_by_role("button", name="Private mode on").click()
        await second.get_by_text(
            "Private mode: only you and the facilitator can see your new notes"
        ).first.wait_for()
        await add_note(second, "A thought for later")
        await note(facilitator.page, "A thought for later").wait_for()
        assert await note(third, "A thought for later").count() == 0
        await facilitator.page.get_by_role("button", name="Reveal everyone's notes").click()
        await note(third, "A thought for later").wait_for()

        # The timer: everyone sees it; it ends with "Time is up".
        await facilitator.page.get_by_label("Minutes").fill("3")
        await facilitator.page.get_by_role("button", name="Start", exact=True).click()
        clock = third.locator(".fac-timer")
        await clock.filter(has_text=re.compile(r"^[23]:\d\d")).wait_for()
        await facilitator.page.get_by_role("button", name="Pause").click()
        await clock.filter(has_text="Paused").wait_for()
        await facilitator.page.get_by_role("button", name="+1 minute").click()
        await clock.filter(has_text=re.compile(r"^[34]:\d\dPaused")).wait_for()
        await facilitator.page.get_by_label("Minutes").fill("0.02")
        await facilitator.page.get_by_role("button", name="Start", exact=True).click()
        await clock.filter(has_text="Time is up").wait_for()
        assert "is-ended" in (await clock.get_attribute("class") or "")

        # The lock: participants look but cannot change anything.
        await facilitator.page.get_by_role("button", name="Lock the board").click()
        await third.get_by_text("Locked: you can look but not change anything").first.wait_for()
        refused = await sockets[0].op(
            {"kind": "create", "obj": {"type": "note", "id": "late", "x": 0, "y": 0}}, uuid.uuid4().hex
        )
        error = await sockets[0].wait_error()
        assert (error["id"], error["code"]) == (refused, "read_only")

        # Close from the dashboard: read-only for everyone, the record still exports.
        await dashboard.get_by_role("button", name="Close the workshop…").click()
        await dashboard.get_by_role("button", name="Yes, close the workshop").click()
        await first.get_by_text("This workshop is closed").first.wait_for()
        record = await dashboard.request.get(f"/api/workshops/{workshop.id}/export.json")
        assert record.ok
        assert "A thought for later" in await record.text()
    finally:
        for client in sockets:
            await client.close()
        for person in people:
            await person.close()
