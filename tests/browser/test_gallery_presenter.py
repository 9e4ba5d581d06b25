"""The live gallery and the presenter screen in Chromium (issue 17).

The gallery page: fifteen breakout boards of forty notes each, every note's words on its
thumbnail in type of at least 9 CSS px once scaled, the same words in the list alternative, a
note written on a board arriving in the open gallery without a reload, who is there, and a board
opened large. The presenter screen: the join code and an SVG QR code, the exit poll's word cloud
growing as a participant answers, switched from the dashboard to the cloud, a board and the
timer, also on another computer (a separate browser) which opens on the latest choice; a
participant is not let in."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.browser.helpers import OpenWorkshop, module_server, new_workshop, screenshot, wait_ready
from tests.conftest import RunningServer
from tests.support import BoardClient

pytestmark = pytest.mark.browser
board_server = module_server()

BOARDS = 15
NOTES = 40
COLUMNS = 8
MIN_DRAWN_PX = 9
"""Smallest a note's type may be drawn, in CSS px after the thumbnail's scale."""


def words(board: int, i: int) -> str:
    return f"B{board} idea {i}: community cafe on Tuesdays"


async def fill(workshop: OpenWorkshop, number: int, token: str) -> None:
    """Forty notes on breakout board `number` in one batch, over a real websocket."""
    ws_url = workshop.base_url.replace("http://", "ws://") + "/ws"
    client = await BoardClient(ws_url, workshop.boards[number], token).connect()
    try:
        ops = [
            {
                "kind": "create",
                "obj": {
                    "type": "note",
                    "id": f"n{number}-{i}",
                    "x": (i % COLUMNS) * 220,
                    "y": (i // COLUMNS) * 220,
                    "text": words(number, i),
                    "color": ["yellow", "blue", "green", "pink"][i % 4],
                },
            }
            for i in range(NOTES)
        ]
        await client.wait_acked(await client.op({"kind": "batch", "ops": ops}))
    finally:
        await client.close()


@pytest.fixture
async def facilitator(browser: Any) -> AsyncIterator[Any]:
    context = await browser.new_context(locale="en-GB", bypass_csp=True)  # axe-core is injected
    context.set_default_timeout(20_000)
    yield context
    await context.close()


async def sign_in(context: Any, workshop: OpenWorkshop) -> None:
    answer = await context.request.post(
        f"{workshop.base_url}/api/workshops/{workshop.id}/facilitate", data={"key": workshop.facilitator_key}
    )
    assert answer.ok, await answer.text()


async def join_token(workshop: OpenWorkshop) -> str:
    async with httpx.AsyncClient(base_url=workshop.base_url) as http:
        token: str = (await http.post("/api/join", json={"code": workshop.join_code})).json()["token"]
    return token


async def accessible(page: Any) -> None:
    """axe-core finds nothing wrong with the page as it is now."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


DRAWN_TYPE = """() => [...document.querySelectorAll('#gallery-view .gallery-card')].map((card) => {
  const stage = card.querySelector('.gallery-stage');
  const scale = Number(stage.dataset.scale);
  const notes = [...stage.querySelectorAll('.gallery-note')];
  return {
    board: Number(card.dataset.board),
    // the scale the browser really draws with, from the note's box on screen
    drawn: notes[0].getBoundingClientRect().width / notes[0].offsetWidth,
    scale,
    smallest: Math.min(...notes.map((n) =>
      parseFloat(getComputedStyle(n.querySelector('.gallery-note-text')).fontSize) * scale)),
    // drawn with soft hyphens at the words' hyphenation points; listed as written
    texts: notes.map((n) => n.textContent.replaceAll('\u00ad', '')).sort(),
    listed: [...card.querySelectorAll('.gallery-list-note')].map((li) => li.textContent).sort(),
  };
})"""


async def test_the_gallery_shows_fifteen_boards_of_forty_notes_readably_and_live(
    board_server: RunningServer, facilitator: Any
) -> None:
    workshop = await new_workshop(board_server.base_url, "Gallery", breakouts=BOARDS)
    token = await join_token(workshop)
    await asyncio.gather(*(fill(workshop, number, token) for number in range(1, BOARDS + 1)))
    await sign_in(facilitator, workshop)
    page = await facilitator.new_page()
    await page.goto(f"{workshop.base_url}/w/{workshop.id}/gallery")
    await wait_ready(page)
    await page.wait_for_function(
        f"() => document.querySelectorAll('#gallery-view .gallery-note').length === {BOARDS * NOTES}"
    )

    await screenshot(page, "gallery")
    boards = await page.evaluate(DRAWN_TYPE)
    assert [b["board"] for b in boards] == list(range(1, BOARDS + 1))
    for board in boards:
        expected = sorted(words(board["board"], i) for i in range(NOTES))
        assert board["texts"] == expected, f"board {board['board']}: every note's words are drawn"
        assert board["listed"] == expected, f"board {board['board']}: and listed for screen readers"
        assert board["scale"] < 1, "the board is drawn smaller than life"
        assert abs(board["drawn"] - board["scale"]) < 0.01
        assert board["smallest"] >= MIN_DRAWN_PX, (
            f"board {board['board']}: type drawn at {board['smallest']} px"
        )

    # Someone joins board 3, and a note is written on board 7: both reach the open gallery.
    ws_url = workshop.base_url.replace("http://", "ws://") + "/ws"
    there = await BoardClient(ws_url, workshop.boards[3], token).connect()
    try:
        await page.locator(
            '.gallery-card[data-board="3"] .gallery-counts', has_text="1 person here"
        ).wait_for()
        writer = await BoardClient(ws_url, workshop.boards[7], token).connect()
        op = await writer.op(
            {
                "kind": "create",
                "obj": {"type": "note", "id": "late", "x": 0, "y": 1200, "text": "Youth forum"},
            }
        )
        await writer.wait_acked(op)
        await writer.close()
    finally:
        await there.close()
    card = page.locator('.gallery-card[data-board="7"]')
    await card.locator(".gallery-note-text", has_text="Youth forum").wait_for()
    assert await card.locator(".gallery-list-note", has_text="Youth forum").count() == 1
    await card.locator(".gallery-counts", has_text=f"{NOTES + 1} notes").wait_for()

    # One board large, without leaving the gallery; Escape closes it.
    await card.get_by_role("button", name="Open large").click()
    dialog = page.get_by_role("dialog", name="Board 7")
    await dialog.locator(".gallery-note-text", has_text="Youth forum").wait_for()
    await screenshot(page, "gallery-large")
    await accessible(page)
    await page.keyboard.press("Escape")
    await dialog.wait_for(state="hidden")

    # The lists instead of the pictures, for whoever prefers them.
    switch = page.get_by_role("button", name="Show as lists")
    await switch.click()
    await card.locator(".gallery-list-note", has_text="Youth forum").wait_for(state="visible")

    # A note longer than its thumbnail holds, written while the lists show: back on the
    # pictures it stops at its last whole line with "…".
    writer = await BoardClient(ws_url, workshop.boards[7], token).connect()
    try:
        long = " ".join(words(7, i) for i in range(6))
        late = {"type": "note", "id": "long", "x": 220, "y": 1200, "text": long}
        await writer.wait_acked(await writer.op({"kind": "create", "obj": late}))
    finally:
        await writer.close()
    await card.locator('.gallery-list-note[data-id="long"]').wait_for(state="visible")
    await switch.click()
    await card.locator('.gallery-note[data-id="long"][data-more]').wait_for()


async def test_the_presenter_screen_follows_the_dashboard_and_shows_the_word_cloud_live(
    board_server: RunningServer, facilitator: Any, browser: Any
) -> None:
    workshop = await new_workshop(board_server.base_url, "Presenting", breakouts=2)
    token = await join_token(workshop)
    await sign_in(facilitator, workshop)
    dashboard = await facilitator.new_page()
    await dashboard.goto(f"{workshop.base_url}/w/{workshop.id}/dashboard")
    await wait_ready(dashboard)
    async with facilitator.expect_page() as opened:
        await dashboard.get_by_role("link", name="Open the presenter screen").click()
    screen = await opened.value
    await wait_ready(screen)

    # The join code and the join link's QR code, an SVG.
    code = screen.locator("#presenter-code")
    assert (await code.text_content() or "").replace("-", "") == workshop.join_code.replace("-", "")
    qr = screen.locator("img.presenter-qr")
    await screen.wait_for_function("() => document.querySelector('img.presenter-qr').naturalWidth > 0")
    picture = await facilitator.request.get(f"{workshop.base_url}{await qr.get_attribute('src')}")
    assert picture.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in await picture.body()

    await screenshot(screen, "presenter-join")
    await accessible(screen)

    # The dashboard puts the word cloud on the screen; a participant's answer appears in it.
    bearer = {"Authorization": f"Bearer {workshop.facilitator_token}"}
    async with httpx.AsyncClient(base_url=workshop.base_url, headers=bearer) as http:
        (await http.put(f"/api/workshops/{workshop.id}/poll", json={"open": True})).raise_for_status()
    section = dashboard.locator("#presenter-screen")
    await section.get_by_role("button", name="Word cloud").click()
    await screen.locator('main[data-showing="cloud"]').wait_for()
    await section.get_by_role("status").filter(has_text="The screen shows: Word cloud").wait_for()
    assert await section.get_by_role("button", name="Word cloud").get_attribute("aria-pressed") == "true"
    async with httpx.AsyncClient(base_url=workshop.base_url) as http:
        answer = await http.post(
            f"/api/workshops/{workshop.id}/poll/entries",
            json={"text": "hopeful"},
            headers={"Authorization": f"Bearer {token}"},
        )
        answer.raise_for_status()
    await screen.locator('.poll-table tr[data-word="hopeful"]').wait_for(state="attached")
    await screen.wait_for_function(
        "() => document.querySelector('.presenter-cloud .poll-image').alt.includes('hopeful')"
    )

    await screenshot(screen, "presenter-cloud")
    await accessible(screen)

    # A board, without editing chrome, chosen from the dashboard.
    async with httpx.AsyncClient(base_url=workshop.base_url, headers=bearer) as http:
        ws_url = workshop.base_url.replace("http://", "ws://") + "/ws"
        writer = await BoardClient(ws_url, workshop.boards[2], token).connect()
        await writer.wait_acked(
            await writer.op(
                {"kind": "create", "obj": {"type": "note", "id": "p1", "x": 0, "y": 0, "text": "Bus times"}}
            )
        )
        await writer.close()
        started = await http.post(
            f"/api/workshops/{workshop.id}/boards/timer",
            json={"boards": "main", "timer": {"action": "start", "ms": 180_000}},
        )
        started.raise_for_status()
    await section.get_by_label("Board", exact=True).select_option("2")
    await section.get_by_role("button", name="Show this board").click()
    await screen.locator('main[data-showing="board-2"] .gallery-note-text', has_text="Bus times").wait_for()
    assert await screen.locator("#presenter-other .toolbar, #presenter-other textarea").count() == 0

    await screenshot(screen, "presenter-board")

    # The screen's own switcher, by keyboard: the timer, large.
    await screen.keyboard.press("t")
    await screen.locator(".presenter-clock", has_text=re.compile(r"^[23]:[0-5][0-9]$")).wait_for()
    assert await screen.locator(".presenter-timer .presenter-caption").text_content() == "Main board"
    await section.get_by_role("status").filter(has_text="The screen shows: Timer").wait_for()

    # The projector's own laptop: a presenter screen in another browser, signed in as a
    # facilitator, opens on the latest choice and follows the dashboard from then on.
    projector = await browser.new_context(locale="en-GB")
    try:
        await sign_in(projector, workshop)
        far = await projector.new_page()
        await far.goto(f"{workshop.base_url}/w/{workshop.id}/present")
        await wait_ready(far)
        await far.locator('main[data-showing="timer"] .presenter-clock').wait_for()
        await section.get_by_role("button", name="Word cloud").click()
        await far.locator('main[data-showing="cloud"]').wait_for()
        await screen.locator('main[data-showing="cloud"]').wait_for()
    finally:
        await projector.close()

    # A participant cannot open the presenter screen (nor the gallery).
    participant = await browser.new_context()
    try:
        answer = await participant.request.post(
            f"{workshop.base_url}/api/join", data={"code": workshop.join_code}
        )
        assert answer.ok
        page = await participant.new_page()
        for path in ("present", "gallery"):
            await page.goto(f"{workshop.base_url}/w/{workshop.id}/{path}")
            assert f"/w/{workshop.id}/" not in page.url, "sent to their board"
            assert await page.locator("#presenter-code, #gallery-view").count() == 0
    finally:
        await participant.close()
