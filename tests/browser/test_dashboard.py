"""The facilitator's dashboard in Chromium (issue 4), with participants on real websockets:
start a workshop from a template, see the key once, show the join code and QR code, watch
people arrive, allocate them to breakout boards, move one, bring everyone back, pull the
gallery, close (read-only, export still works) and delete."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import expect

from tests.conftest import RunningServer
from tests.support import BoardClient, Workshop, join

pytestmark = pytest.mark.browser


@pytest.fixture
async def page(browser: Any, server: RunningServer) -> AsyncIterator[Any]:
    context = await browser.new_context(base_url=server.base_url)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    await context.close()
    assert errors == [], "no script error on the page"


def notices(client: BoardClient) -> list[dict[str, Any]]:
    return [message for message in client.received if message["type"] == "notice"]


async def ready(page: Any) -> None:
    await page.wait_for_selector("html[data-phase=ready]")


async def start_from_template(page: Any, server: RunningServer) -> Workshop:
    await page.goto("/new")
    await ready(page)
    await page.get_by_label("Building an engagement network").check()
    assert await page.get_by_label("Breakout boards").input_value() == "3", "the template's boards"
    await page.get_by_label("Welsh", exact=True).check()
    await page.get_by_role("button", name="Create the workshop").click()
    await page.get_by_role("heading", name="Your workshop is ready.").wait_for()
    assert await page.locator("#create-form").is_hidden()
    key = await page.get_by_label("Your facilitator key").input_value()
    assert len(key) > 30
    await page.get_by_role("link", name="Open the dashboard").click()
    await page.wait_for_url(re.compile(r"/w/[0-9a-f]+/dashboard$"))
    await ready(page)
    workshop_id = page.url.split("/w/")[1].split("/")[0]
    info = await server.call(server.services.directory.workshop(workshop_id))
    assert info is not None
    return Workshop(info.id, info.join_code, "", [board.id for board in info.boards], server.base_url)


async def test_a_facilitator_runs_breakouts_from_the_dashboard(page: Any, server: RunningServer) -> None:
    workshop = await start_from_template(page, server)
    assert await page.locator("h1").inner_text() == "Adeiladu rhwydwaith ymgysylltu"
    code = await page.locator("#join-code").inner_text()
    assert code.replace("-", "") == workshop.join_code
    assert workshop.join_code in await page.get_by_label("Join link").input_value()
    assert await page.locator("#qr").evaluate("img => img.complete && img.naturalWidth > 0"), (
        "the QR code loads"
    )
    await page.get_by_role("status").filter(has_text="Nobody is on the boards yet").wait_for()

    tokens = [await join(workshop) for _ in range(5)]
    people = [await BoardClient(server.ws_url, workshop.main, token).connect() for token in tokens]
    try:
        await page.get_by_text("5 people are here").wait_for()
        for client in people:
            await page.locator("#people").get_by_text(client.welcome["you"]["name"]).first.wait_for()

        await page.get_by_label("People in each group").fill("2")
        await page.get_by_role("button", name="Put people into groups now").click()
        await page.get_by_text("5 people sent to 2 boards.").wait_for()
        for client in people:
            await client.wait_for(lambda c=client: any(n["kind"] == "goto" for n in notices(c)))
        numbers = sorted(notices(client)[-1]["number"] for client in people)
        assert numbers in ([1, 1, 2, 2, 2], [1, 1, 1, 2, 2])

        first = people[0]
        name = first.welcome["you"]["name"]
        row = page.locator("#people tr", has=page.get_by_text(name, exact=True)).first
        # Each "move to" box starts at the board its person is on: these clients stayed on the
        # main board; someone who opened Board 2 is on Board 2.
        visitor = await BoardClient(server.ws_url, workshop.boards[2], await join(workshop)).connect()
        for client, number in [(c, 0) for c in people] + [(visitor, 2)]:
            # By cursor id, not name: two people may draw the same name.
            box = page.locator(f"#people tr[data-id='{client.welcome['you']['cid']}'] select")
            await expect(box).to_have_value(str(number), timeout=10_000)  # the list polls every 3 s
        await visitor.close()
        await row.get_by_label(f"Move {name} to").select_option(label="Board 3")
        await row.get_by_role("button", name="Move").click()
        await page.get_by_text(f"{name} was sent to Board 3.").wait_for()
        await first.wait_for(lambda: notices(first)[-1]["number"] == 3)

        # With "All breakout boards" chosen (the first choice), everyone sent to one comes back.
        await page.get_by_role("button", name="Everyone back from the breakout boards").click()
        await page.get_by_text(
            "Everyone on Board 1, Board 2, Board 3 was sent back to the main board."
        ).wait_for()
        for client in people:
            await client.wait_for(lambda c=client: notices(c)[-1]["number"] == 0)

        board_two = await BoardClient(server.ws_url, workshop.boards[2], tokens[1]).connect()
        await board_two.wait_acked(await board_two.create_note("n1", "Citizens' jury on the bus station"))
        await page.get_by_role("button", name="Pull into the main board").click()
        await page.get_by_text("1 notes copied into the main board.").wait_for()
        await board_two.close()

        links = page.locator("#boards a")
        assert await links.count() == 4
        assert await links.first.get_attribute("href") == f"/b/{workshop.main}"

        await page.get_by_role("button", name="Close the workshop…").click()
        await page.get_by_role("button", name="Yes, close the workshop").click()
        await page.get_by_text("The workshop is closed.").wait_for()
        assert await page.locator("#closed-banner").is_visible()
        await people[2].wait_for(lambda: people[2].objects["__settings__"].get("closed") is True)
        record = await page.request.get(
            await page.get_by_role("link", name="Download JSON").get_attribute("href")
        )
        assert record.status == 200, "export still works"
        assert "Citizens' jury on the bus station" in await record.text()

        await page.get_by_role("button", name="Delete the workshop…").click()
        await page.get_by_role("button", name="Yes, delete everything").click()
        await page.get_by_text("The workshop and everything in it were deleted.").wait_for()
        assert await page.get_by_role("link", name="Start another workshop").is_visible()
        assert await server.call(server.services.directory.workshop(workshop.id)) is None
    finally:
        for client in people:
            await client.close()


async def test_the_facilitator_link_leads_to_the_dashboard_and_participants_never_see_it(
    page: Any, server: RunningServer, browser: Any
) -> None:
    await page.goto("/new")
    await ready(page)
    await page.get_by_label("Workshop title").fill("Drop-in at the library")
    await page.get_by_role("button", name="Create the workshop").click()
    await page.get_by_role("heading", name="Your workshop is ready.").wait_for()
    key = await page.get_by_label("Your facilitator key").input_value()
    dashboard = await page.get_by_role("link", name="Open the dashboard").get_attribute("href")
    assert dashboard is not None
    workshop_id = dashboard.split("/")[2]

    other = await browser.new_context(base_url=server.base_url)
    try:
        stranger = await other.request.get(dashboard, max_redirects=0)
        assert stranger.status == 303
        assert stranger.headers["location"] == f"/w/{workshop_id}/facilitate", (
            "a stranger is asked for the key"
        )
        keyed = await other.new_page()
        await keyed.goto(f"/w/{workshop_id}/facilitate#key={key}")
        await keyed.wait_for_url(re.compile(r"/dashboard$"))
        await ready(keyed)
        assert await keyed.locator("h1").inner_text() == "Drop-in at the library"

        participant = await browser.new_context(base_url=server.base_url)
        try:
            info = await server.call(server.services.directory.workshop(workshop_id))
            joined = await participant.request.post("/api/join", data={"code": info.join_code})
            assert joined.ok
            sent = await participant.request.get(dashboard, max_redirects=0)
            assert sent.status == 303
            assert sent.headers["location"] == f"/b/{info.main_board.id}", (
                "a participant is sent to their board"
            )
        finally:
            await participant.close()
    finally:
        await other.close()


async def test_the_join_code_shows_full_screen_and_escape_returns(page: Any, server: RunningServer) -> None:
    await start_from_template(page, server)
    await page.get_by_role("button", name="Show on screen").click()
    screen = page.locator("#screen")
    assert await screen.is_visible()
    assert await page.get_by_role("button", name="Back to the dashboard").evaluate(
        "b => b === document.activeElement"
    )
    await page.keyboard.press("Escape")
    assert not await screen.is_visible()
    assert await page.get_by_role("button", name="Show on screen").evaluate(
        "b => b === document.activeElement"
    )


async def test_the_dashboard_and_the_facilitator_panel_have_no_accessibility_violations(
    browser: Any, server: RunningServer
) -> None:
    """axe-core on the start page, a running dashboard with people present and a confirmation
    open, and the board page with the facilitator's panel, the gallery and a timer showing, in
    English and in Welsh."""
    from axe_playwright_python.async_playwright import Axe

    from tests.browser.helpers import OpenWorkshop, open_board

    axe = Axe()

    async def check(page: Any) -> None:
        results = await axe.run(page)
        assert results.violations_count == 0, results.generate_report()

    for locale in ("en-GB", "cy-GB"):
        context = await browser.new_context(base_url=server.base_url, bypass_csp=True, locale=locale)
        try:
            page = await context.new_page()
            await page.goto("/new")
            await ready(page)
            await check(page)
            await page.locator("#template-engagement-network").check()
            await page.locator("#create").click()
            await page.locator("#created:not([hidden])").wait_for()
            key = await page.locator("#created-key").input_value()
            await check(page)
            await page.locator("#created-dashboard").click()
            await page.wait_for_url(re.compile(r"/dashboard$"))
            await ready(page)
            workshop_id = page.url.split("/w/")[1].split("/")[0]
            info = await server.call(server.services.directory.workshop(workshop_id))
            workshop = OpenWorkshop(
                info.id, info.join_code, key, [b.id for b in info.boards], server.base_url
            )
            visitor = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
            try:
                await page.locator("#people tr").first.wait_for()
                await page.locator("#close").click()
                await check(page)
            finally:
                await visitor.close()
            lang = "cy" if locale == "cy-GB" else "en"
            board = await open_board(browser, workshop, role="facilitator", bypass_csp=True, lang=lang)
            try:
                await board.page.locator(".fac-button").click()
                await board.page.locator("[data-control=timer-start]").click()
                await board.page.locator(".fac-timer:not([hidden])").wait_for()
                await check(board.page)
                await board.page.locator("#fac-panel .panel-close").click()
                await board.page.locator("[aria-controls=fac-gallery]").click()
                await board.page.locator(".fac-thumb .fac-count").first.wait_for()
                await check(board.page)
            finally:
                await board.close()
        finally:
            await context.close()
