"""The exit poll as a panel over the board (issue 6): it opens by itself for everyone, on the
main board and on a breakout board, when the facilitator opens the poll; answers from both
boards reach everyone's cloud; the toolbar button shows and hides it; an answer given on a
breakout board is listed, on its author's withdrawal page, as given on that board (issue 18)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.conftest import RunningServer

WAIT_MS = 15_000


@pytest.fixture
async def contexts() -> AsyncIterator[list[Any]]:
    opened: list[Any] = []
    yield opened
    for context in opened:
        await context.close()


async def on_board(browser: Any, contexts: list[Any], base_url: str, code: str, board: str) -> Any:
    context = await browser.new_context(viewport={"width": 1100, "height": 900}, base_url=base_url)
    contexts.append(context)
    joined = await context.request.post("/api/join", data={"code": code})
    assert joined.ok
    page = await context.new_page()
    page.withdrawal_code = (await joined.json())["withdrawal_code"]
    page.joined_name = (await joined.json())["name"]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    await page.goto(f"/b/{board}")
    await expect(page.locator("html")).to_have_attribute("data-phase", "ready", timeout=WAIT_MS)
    await expect(page.locator("html")).to_have_attribute("data-connection", "online", timeout=WAIT_MS)
    return page


def count_of(page: Any, word: str) -> Any:
    row = page.locator(
        ".poll-table tbody tr", has=page.locator("th", has_text=re.compile(f"^{re.escape(word)}$"))
    )
    return row.locator("td").first


@pytest.mark.browser
async def test_the_poll_panel_opens_over_every_board_and_answers_reach_everyone(
    browser: Any, contexts: list[Any], server: RunningServer, artifacts: Any
) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        made = (await http.post("/api/workshops", json={"title": "Board poll", "breakouts": 1})).json()
    boards = {board["number"]: board["id"] for board in made["boards"]}  # by number, whatever the order
    main = await on_board(browser, contexts, server.base_url, made["join_code"], boards[0])
    # Everyone joins on the main board (a page opened on a breakout board nobody sent them to
    # would stay there); the facilitator sends this one to Board 1.
    breakout = await on_board(browser, contexts, server.base_url, made["join_code"], boards[0])
    async with httpx.AsyncClient(
        base_url=server.base_url, headers={"Authorization": f"Bearer {made['token']}"}
    ) as facilitator:
        present = (await facilitator.get(f"/api/workshops/{made['id']}/present")).json()["people"]
        [person] = [p for p in present if p["name"] == breakout.joined_name]
        moved = await facilitator.post(
            f"/api/workshops/{made['id']}/move", json={"person": person["cid"], "board": 1}
        )
        assert moved.status_code == 200, moved.text
    await breakout.wait_for_url(re.compile(rf"/b/{boards[1]}"))
    await expect(breakout.locator("html")).to_have_attribute("data-phase", "ready", timeout=WAIT_MS)
    for page in (main, breakout):
        await expect(page.locator("#poll-panel")).to_be_hidden()

    async with httpx.AsyncClient(
        base_url=server.base_url, headers={"Authorization": f"Bearer {made['token']}"}
    ) as facilitator:
        opened = await facilitator.put(
            f"/api/workshops/{made['id']}/poll", json={"open": True, "question": {"en": "How was today?"}}
        )
        assert opened.status_code == 200

    for page in (main, breakout):
        await expect(page.locator("#poll-panel")).to_be_visible(timeout=WAIT_MS)
        await expect(page.locator("#poll-panel .poll-question")).to_have_text("How was today?")
    await main.get_by_label("Your answer").fill("Connected")
    await main.get_by_role("button", name="Add", exact=True).click()
    await breakout.get_by_label("Your answer").fill("connected!")
    await breakout.get_by_label("Your answer").press("Enter")
    await expect(breakout.get_by_label("Your answer")).to_have_value("", timeout=WAIT_MS)
    await breakout.get_by_label("Your answer").fill("a very long sentence")
    await breakout.get_by_label("Your answer").press("Enter")
    await expect(breakout.get_by_role("alert").filter(has_text="One or two")).to_have_text(
        "One or two words only, please.", timeout=WAIT_MS
    )
    for page in (main, breakout):
        await expect(count_of(page, "connected")).to_have_text("2", timeout=WAIT_MS)

    button = main.get_by_role("button", name="Exit poll", exact=True)
    await expect(button).to_have_attribute("aria-expanded", "true")
    await main.get_by_role("button", name="Close the exit poll panel").click()
    await expect(main.locator("#poll-panel")).to_be_hidden()
    await expect(button).to_have_attribute("aria-expanded", "false")
    await button.click()
    await expect(main.locator("#poll-panel")).to_be_visible()
    await expect(main.get_by_label("Your answer")).to_be_focused()

    # Later, with their withdrawal code, the answer is named by the board it was given on.
    await breakout.goto("/withdraw")
    await breakout.get_by_label("Withdrawal code").fill(breakout.withdrawal_code)
    await breakout.get_by_role("button", name="Show what I wrote").click()
    given = breakout.locator("#item-list li", has_text="connected!")
    await expect(given.locator(".item-kind")).to_have_text("Exit poll answer · board 1", timeout=WAIT_MS)

    artifacts_dir = artifacts / "browser"
    artifacts_dir.mkdir(exist_ok=True)
    await breakout.screenshot(path=str(artifacts_dir / "poll-on-breakout-board.png"))
    for page in (main, breakout):
        assert page.errors == []
