"""Every board at once (issue 17), in Chromium, as a facilitator runs ten breakout groups: 25
participants (one of them reading Welsh), each in a browser context of their own, are put into
groups from the dashboard, whose "who is where" table then shows each person's board in their
"move to" box. From the Facilitate panel on the main board the facilitator chooses "All
breakout boards" and, without visiting one, starts one three-minute timer, turns private mode
on, opens voting with two votes each, sends a message to every board and reveals everyone's
notes; every participant's page shows each change. Back on the dashboard, a pause where no
timer runs says which boards refused and why, the exported record counts every note once,
on its own board, and "Everyone back" for Boards 1 and 2 brings back those two groups, whose
notes on the main board the record then counts there, once."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from playwright.async_api import expect

from tests.browser.helpers import (
    OpenWorkshop,
    Person,
    add_note,
    module_server,
    new_workshop,
    note,
    open_board,
    screenshot,
    wait_online,
    wait_ready,
)
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()

BREAKOUTS = 10
PARTICIPANTS = 25
MESSAGE = "2 minutes left, start wrapping up <b>now</b>"
WAIT_MS = 60_000
"""Longer than the helpers' wait: 25 pages share two cores with the server."""


async def dashboard(browser: Any, workshop: OpenWorkshop) -> Any:
    """The facilitator's dashboard, signed in with the workshop's key."""
    context = await browser.new_context(base_url=workshop.base_url, viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(WAIT_MS)
    page = await context.new_page()
    answer = await context.request.post(
        f"/api/workshops/{workshop.id}/facilitate", data={"key": workshop.facilitator_key}
    )
    assert answer.ok, await answer.text()
    await page.goto(f"/w/{workshop.id}/dashboard")
    await wait_ready(page)
    return page


async def on_every(pages: list[Any], check: Callable[[int, Any], Awaitable[None]]) -> None:
    """Run `check(i, page)` on every page at once (each waits for what its person should see)."""
    await asyncio.gather(*(check(i, page) for i, page in enumerate(pages)))


def idea(i: int) -> str:
    """Person i's note ("Idea 1." is not part of "Idea 14.")."""
    return f"Idea {i + 1}."


def board_of(workshop: OpenWorkshop, page: Any) -> int:
    """The number of the board a page is on."""
    found = re.search(r"/b/([^/#?]+)", page.url)
    assert found is not None, page.url
    return workshop.boards.index(found.group(1))


async def into_groups(dash: Any, workshop: OpenWorkshop, people: list[Person]) -> dict[int, int]:
    """Allocate everyone from the dashboard and wait for each page to reach its board; the
    "who is where" table then shows each person's board, in words and in the "move to" box.
    Returns how many people are on each board."""
    await dash.get_by_text(f"{PARTICIPANTS} people are here").wait_for()
    await dash.get_by_label("People in each group").fill("2")
    await dash.get_by_role("button", name="Put people into groups now").click()

    async def arrived(_: int, page: Any) -> None:
        await page.wait_for_url(re.compile(rf"/b/(?!{workshop.main})[^/#?]+"), timeout=WAIT_MS)
        await wait_ready(page)
        await wait_online(page)

    await on_every([person.page for person in people], arrived)
    sent = f"{PARTICIPANTS} people sent to {BREAKOUTS} boards."
    await expect(dash.locator("#breakout-status")).to_have_text(sent, timeout=WAIT_MS)
    counts = Counter(board_of(workshop, person.page) for person in people)
    assert sorted(counts) == list(range(1, BREAKOUTS + 1)), "someone on every breakout board"
    rows = dash.locator("#people tr")
    await dash.wait_for_function(
        """(count) => {
          const rows = [...document.querySelectorAll('#people tr')];
          const shown = (row) => row.querySelector('.where').textContent;
          const chosen = (row) => `Board ${row.querySelector('select').value}`;
          return rows.length === count && rows.every((row) => shown(row) === chosen(row));
        }""",
        arg=PARTICIPANTS,
        timeout=WAIT_MS,
    )
    shown = Counter(
        [int(value) for value in await rows.locator("select").evaluate_all("s => s.map(x => x.value)")]
    )
    assert shown == counts, "each 'move to' box starts at its person's board"
    return counts


@pytest.mark.timeout(900)  # 26 board pages and a dashboard in one browser
async def test_a_facilitator_runs_ten_breakout_boards_from_the_facilitate_panel(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url, breakouts=BREAKOUTS)
    dash = await dashboard(browser, workshop)
    people: list[Person] = []
    try:
        for i in range(PARTICIPANTS):
            people.append(await open_board(browser, workshop, lang="cy" if i == 0 else "en", wait_ms=WAIT_MS))
        pages = [person.page for person in people]
        counts = await into_groups(dash, workshop, people)

        facilitator = await open_board(
            browser, workshop, role="facilitator", wait_ms=WAIT_MS, viewport={"width": 1280, "height": 1000}
        )
        people.append(facilitator)
        fac = facilitator.page
        await fac.get_by_role("button", name="Facilitate", exact=True).click()
        panel = fac.locator("#fac-panel")
        status = panel.get_by_role("status")
        await panel.get_by_label("All breakout boards").check()
        done = f"Done on {BREAKOUTS} boards"
        panel_back = panel.locator('[data-control="back"]')
        await expect(panel_back).to_have_text("Everyone back from the breakout boards")  # says whom

        # One timer for every room.
        await panel.get_by_label("Minutes").fill("3")
        await panel.get_by_role("button", name="Start", exact=True).click()
        await status.filter(has_text=done).wait_for()
        await on_every(
            pages,
            lambda _, page: page.locator(".fac-timer").filter(has_text=re.compile(r"^[23]:\d\d")).wait_for(),
        )
        assert await fac.locator(".fac-timer").is_hidden(), "the main board has no timer"

        # Private mode everywhere: each person's new note is theirs alone.
        await panel.get_by_role("button", name="Private mode on").click()
        await status.filter(has_text=done).wait_for()

        async def private_note(i: int, page: Any) -> None:
            await page.locator("#private-badge:not([hidden])").wait_for()
            mine = await add_note(page, idea(i))
            await (
                mine.locator(".tag")
                .filter(has_text=re.compile("Only you can see this|Dim ond chi"))
                .wait_for()
            )

        for i, page in enumerate(pages):  # typing goes one page at a time: keyboards are per page
            await private_note(i, page)

        # Voting everywhere, two votes each: offered on each person's note.
        await panel.get_by_label("Votes each").fill("2")
        await panel.get_by_role("button", name="Open voting").click()
        await status.filter(has_text=done).wait_for()
        for i, page in enumerate(pages):
            await note(page, idea(i)).locator(".note-text").click()
            vote = page.locator('[data-action="vote"]')
            await vote.filter(has_text=re.compile(r"\(2 (left|ar ôl)\)")).wait_for()
            assert await vote.is_enabled()
            await page.keyboard.press("Escape")

        # A message to every board, the main board too: shown above the board, as written.
        await panel.get_by_label("All boards", exact=True).check()
        await expect(panel_back).to_have_text("Everyone back to the main board")
        await panel.get_by_label("Message to the boards").fill(MESSAGE)
        await panel.get_by_role("button", name="Send the message").click()
        await status.filter(has_text=f"Sent to {BREAKOUTS + 1} boards").wait_for()
        assert await panel.get_by_label("Message to the boards").input_value() == ""

        async def message_shown(i: int, page: Any) -> None:
            banner = page.locator(".message-banner")
            await banner.locator(".message-text").filter(has_text=MESSAGE).wait_for()
            chrome = "Neges gan yr hwylusydd" if i == 0 else "Message from the facilitator"
            assert await banner.locator(".message-from").inner_text() == chrome
            await page.locator("#announcer").filter(has_text=f"{chrome}: {MESSAGE}").wait_for()
            banner_box = await banner.bounding_box()
            toolbar_box = await page.locator("#toolbar").bounding_box()
            assert banner_box is not None
            assert toolbar_box is not None
            assert banner_box["y"] + banner_box["height"] <= toolbar_box["y"], "the toolbar stays uncovered"

        await on_every([*pages, fac], message_shown)
        await screenshot(pages[1], "every-board-message")

        # The reveal everywhere: everyone sees every note of their own board.
        await panel.get_by_label("All breakout boards").check()
        await panel.get_by_role("button", name="Reveal everyone's notes").click()
        await status.filter(has_text=done).wait_for()
        on_board = {i: board_of(workshop, page) for i, page in enumerate(pages)}

        async def revealed(i: int, page: Any) -> None:
            await page.locator("#private-badge").wait_for(state="hidden")
            for j, board in on_board.items():
                if board == on_board[i]:
                    await note(page, idea(j)).wait_for()
            assert await page.locator(".item.note").count() >= counts[on_board[i]]

        await on_every(pages, revealed)
        await screenshot(fac, "every-board-panel")

        # The next step: on the dashboard, a pause where no timer runs is refused board by
        # board, and the record counts every note once, on its own board.
        await fac.get_by_role("link", name="Open the dashboard").click()
        await fac.wait_for_url(re.compile(r"/dashboard$"))
        await wait_ready(fac)
        every = fac.locator("#every-board")
        assert await every.get_by_label("All breakout boards").is_checked()
        await every.get_by_role("button", name="Clear").click()
        await every.get_by_role("status").filter(has_text=done).wait_for()
        await every.get_by_role("button", name="Pause").click()
        await (
            every.get_by_role("status")
            .filter(has_text=f"Done on 0 of {BREAKOUTS} boards. Not done on Board 1, Board 2, Board 3")
            .wait_for()
        )
        await screenshot(fac, "every-board-dashboard")
        href = await fac.get_by_role("link", name="Download JSON").get_attribute("href")
        record = await (await fac.request.get(href)).json()
        assert record["summary"]["notes"] == PARTICIPANTS
        assert sorted(n["text"] for n in record["notes"]) == sorted(idea(i) for i in range(PARTICIPANTS))
        per_board = {board["number"]: board["notes"] for board in record["boards"]}
        assert per_board == {0: 0, **counts}, "each note counted once, on the board it was written on"

        # The end of two groups' breakout: "Everyone back" says whom it brings back, and only
        # the people on Boards 1 and 2 come to the main board.
        await every.get_by_label("Boards I choose").check()
        for number in (1, 2):
            await every.get_by_label(f"Board {number}", exact=True).check()
        back = every.locator("#back")
        await expect(back).to_have_text("Everyone on Board 1, Board 2 back to the main board")
        await back.click()
        brought = "Everyone on Board 1, Board 2 was sent back to the main board."
        await every.get_by_role("status").filter(has_text=brought).wait_for()
        returned = {i: page for i, page in enumerate(pages) if on_board[i] in (1, 2)}

        async def writes_on_main(i: int, page: Any) -> None:
            await page.wait_for_url(re.compile(rf"/b/{workshop.main}(?:[#?]|$)"))
            await wait_ready(page)
            await wait_online(page)
            await add_note(page, f"Back {idea(i)}")

        await asyncio.gather(*(writes_on_main(i, page) for i, page in returned.items()))

        # The next step: what they wrote on the main board is in the record once, beside
        # what every group wrote on its own board, which stays counted there.
        async def counted() -> dict[str, Any]:
            answer = await fac.request.get(href)
            return dict(await answer.json())

        for _ in range(50):
            record = await counted()
            if record["summary"]["notes"] == PARTICIPANTS + len(returned):
                break
            await asyncio.sleep(0.2)
        assert record["summary"]["notes"] == PARTICIPANTS + len(returned)
        per_board = {board["number"]: board["notes"] for board in record["boards"]}
        assert per_board == {0: len(returned), **counts}
        assert len(returned) == counts[1] + counts[2]
    finally:
        for person in people:
            await person.close()
        await dash.context.close()
