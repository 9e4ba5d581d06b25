"""The engagement loop on the dashboard in Chromium (issue 10): the purpose statement written in
English and Welsh, each change a version people joining from then on read (checked on the real
join page in both languages); how long everything is kept and the withdrawal cut-off; "what
happens next" written, previewed by the facilitator only, published (link and QR code for
everyone) and taken down; the exit poll opened from the dashboard and its own page reached."""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.browser.helpers import WAIT_MS, OpenWorkshop, module_server, new_workshop, screenshot
from tests.browser.test_access import axe_violations
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()


@pytest.fixture
async def dashboard(browser: Any) -> AsyncIterator[Any]:
    """Opens a workshop's dashboard as its facilitator: `await dashboard(workshop)`."""
    contexts: list[Any] = []
    errors: list[str] = []

    async def open_dashboard(workshop: OpenWorkshop, lang: str = "en") -> Any:
        locale = "cy-GB" if lang == "cy" else "en-GB"
        context = await browser.new_context(base_url=workshop.base_url, locale=locale, bypass_csp=True)
        contexts.append(context)
        context.set_default_timeout(WAIT_MS)
        answer = await context.request.post(
            f"/api/workshops/{workshop.id}/facilitate", data={"key": workshop.facilitator_key}
        )
        assert answer.ok
        page = await context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(f"/w/{workshop.id}/dashboard")
        await page.wait_for_selector("html[data-phase=ready]")
        return page

    yield open_dashboard
    for context in contexts:
        await context.close()
    assert errors == [], "no script error on the dashboard"


async def join_page(workshop: OpenWorkshop, lang: str) -> str:
    """The join page someone new reads, in their language."""
    async with httpx.AsyncClient(base_url=workshop.base_url) as http:
        page = await http.get(f"/j/{workshop.join_code}", headers={"Accept-Language": lang})
        assert page.status_code == 200
        return page.text


def in_days(days: int) -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=days)


async def test_the_purpose_is_written_in_two_languages_kept_in_versions_and_dates_set(
    board_server: RunningServer, dashboard: Any
) -> None:
    workshop = await new_workshop(board_server.base_url)
    page = await dashboard(workshop)
    panel = page.get_by_role("region", name="Purpose and consent")
    assert await page.locator("#purpose-versions").is_hidden(), "a blank workshop has no purpose yet"

    await panel.get_by_label("What the session is for, and how the notes will be used (English)").fill(
        "We want to hear how the library could serve you better."
    )
    await panel.get_by_label("What the session is for, and how the notes will be used (Welsh)").fill(
        "Rydyn ni eisiau clywed sut gallai'r llyfrgell eich gwasanaethu'n well."
    )
    await panel.get_by_label("Who will see the record (English)").fill("The library's staff and its board.")
    await panel.get_by_label("Who to ask").fill("library@example.org")
    await panel.get_by_role("button", name="Save a new version").click()
    await panel.get_by_text("Saved as version 1: everyone who joins from now on reads it.").wait_for()
    english = await join_page(workshop, "en")
    assert "how the library could serve you better" in english
    assert "library@example.org" in english
    assert "The library&#39;s staff and its board." in english
    welsh = await join_page(workshop, "cy")
    assert "sut gallai&#39;r llyfrgell eich gwasanaethu&#39;n well" in welsh

    await panel.get_by_label("What the session is for, and how the notes will be used (English)").fill(
        "We want to hear how the library and its mobile service could serve you better."
    )
    await panel.get_by_role("button", name="Save a new version").click()
    await panel.get_by_text("Saved as version 2: everyone who joins from now on reads it.").wait_for()
    await panel.get_by_text("Versions (2)").click()
    versions = page.locator("#purpose-version-list li")
    assert await versions.count() == 2
    assert "mobile service" in await versions.nth(0).inner_text(), "newest first"
    assert "Version 1, shown from" in await versions.nth(1).inner_text()
    assert "its mobile service" in await join_page(workshop, "en")
    await panel.get_by_role("button", name="Save a new version").click()
    await panel.get_by_text("Nothing changed, so there is no new version.").wait_for()

    # Keeping and taking back: the dates people are told before they join.
    keep, cutoff = in_days(30), in_days(7)
    await panel.get_by_text(f"Everything is kept until {in_days(365).day} ").wait_for()
    await panel.get_by_label("Keep until").fill(keep.isoformat())
    await panel.get_by_label("Withdrawal codes work until").fill(cutoff.isoformat())
    await panel.get_by_role("button", name="Save the dates").click()
    await panel.get_by_text("Dates saved.").wait_for()
    told = f"Everything is kept until {keep.day} {keep.strftime('%B')} {keep.year}"
    await panel.get_by_text(told).wait_for()
    english = await join_page(workshop, "en")
    assert f"{keep.day} {keep.strftime('%B')} {keep.year}, then erased" in english
    assert f"until {cutoff.day} {cutoff.strftime('%B')} {cutoff.year}" in english
    await screenshot(page, "dashboard-purpose")
    assert await axe_violations(page) is None

    # A cut-off after the erasure means nothing: the server says why, in place.
    await panel.get_by_label("Withdrawal codes work until").evaluate(
        "(input) => input.removeAttribute('max')"
    )
    await panel.get_by_label("Withdrawal codes work until").fill(in_days(40).isoformat())
    await panel.get_by_role("button", name="Save the dates").click()
    await page.locator("#keep-status.problem", has_text="withdraw_until").wait_for()

    # In Welsh, the same panel.
    cymraeg = await dashboard(workshop, lang="cy")
    await cymraeg.get_by_role("region", name="Pwrpas a chaniatâd").wait_for()
    assert "llyfrgell" in await cymraeg.locator("#purpose-cy").input_value()


async def test_a_templates_purpose_fills_the_panel_and_a_missing_contact_is_asked_for(
    board_server: RunningServer, dashboard: Any
) -> None:
    async with httpx.AsyncClient(base_url=board_server.base_url) as http:
        made = await http.post("/api/templates/take-part-dialogue/workshops", json={})
        assert made.status_code == 201, made.text
        data = made.json()
    workshop = OpenWorkshop.made(data, board_server.base_url)
    page = await dashboard(workshop)
    panel = page.get_by_role("region", name="Purpose and consent")
    statement = panel.get_by_label("What the session is for, and how the notes will be used (English)")
    assert "The partners use it to choose the practical solutions" in await statement.input_value()
    assert "sefydliadau partner" in await panel.get_by_label("Who will see the record (Welsh)").input_value()
    warning = page.locator("#purpose-contact-missing")
    await warning.wait_for()
    assert "Nobody is named to ask yet" in await warning.inner_text()
    await panel.get_by_label("Who to ask").fill("takepart@example.org")
    await panel.get_by_role("button", name="Save a new version").click()
    await panel.get_by_text("Saved as version 2: everyone who joins from now on reads it.").wait_for()
    await warning.wait_for(state="hidden")
    assert "takepart@example.org" in await join_page(workshop, "cy")


async def test_what_we_heard_is_previewed_published_and_taken_down_and_the_exit_poll_opened(
    board_server: RunningServer, dashboard: Any
) -> None:
    workshop = await new_workshop(board_server.base_url)
    page = await dashboard(workshop)
    heard = page.get_by_role("region", name="What we heard")
    await heard.get_by_text("Not published yet: only facilitators can see the preview.").wait_for()
    await heard.get_by_label("What happens next, and by when (English)").fill(
        "We report to the council by 30 June."
    )
    await heard.get_by_label("What happens next, and by when (Welsh)").fill(
        "Byddwn ni'n adrodd i'r cyngor erbyn 30 Mehefin."
    )
    await heard.get_by_role("button", name="Save the text").click()
    await heard.get_by_text("Saved. Preview the page to see it.").wait_for()

    async with page.context.expect_page() as opened:
        await heard.get_by_role("link", name="Preview the page").click()
    preview = await opened.value
    await preview.get_by_text("Preview: only facilitators see this page until it is published.").wait_for()
    await preview.get_by_text("We report to the council by 30 June.").wait_for()
    await preview.wait_for_function("() => document.querySelector('img.qr').naturalWidth > 0")
    await preview.close()
    async with httpx.AsyncClient(base_url=workshop.base_url) as http:
        assert (await http.get(f"/heard/{workshop.id}")).status_code == 404, "not public before publishing"

        await heard.get_by_role("button", name="Publish the page").click()
        await heard.get_by_text("Published. Share the link or show the QR code.").wait_for()
        link = heard.get_by_label("Link to the page")
        assert await link.input_value() == f"{workshop.base_url}/heard/{workshop.id}"
        assert await link.evaluate("(input) => input === document.activeElement"), "ready to copy"
        qr = page.locator("#heard-qr")
        await page.wait_for_function("() => document.getElementById('heard-qr').naturalWidth > 0")
        assert await qr.get_attribute("alt") == "QR code of the link to the “What we heard” page"
        public = await http.get(f"/heard/{workshop.id}", headers={"Accept-Language": "cy"})
        assert public.status_code == 200
        assert "Byddwn ni&#39;n adrodd i&#39;r cyngor erbyn 30 Mehefin." in public.text
        await screenshot(page, "dashboard-heard")
        assert await axe_violations(page) is None

        await heard.get_by_role("button", name="Take the page down").click()
        await heard.get_by_text("Taken down: the link shows “not found” until you publish again.").wait_for()
        assert await page.locator("#heard-published").is_hidden()
        assert (await http.get(f"/heard/{workshop.id}")).status_code == 404

        # The exit poll: opened for everyone from here; its own page has the rest.
        poll = page.get_by_role("region", name="Exit poll")
        await poll.get_by_text("The exit poll is closed. No answers yet.").wait_for()
        await poll.get_by_role("button", name="Open the exit poll").click()
        await poll.get_by_text("The exit poll is open: everyone can answer now.").wait_for()
        token = (await http.post("/api/join", json={"code": workshop.join_code})).json()["token"]
        answered = await http.post(
            f"/api/workshops/{workshop.id}/poll/entries",
            json={"text": "hopeful"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answered.status_code == 201, answered.text
    await page.reload()
    await page.wait_for_selector("html[data-phase=ready]")
    await poll.get_by_text("The exit poll is open. 1 answer so far.").wait_for()
    assert (
        await poll.get_by_role("button", name="Close the exit poll").get_attribute("aria-pressed") == "true"
    )
    await poll.get_by_role(
        "link", name="The exit poll's page: its question, word cloud and downloads"
    ).click()
    await page.wait_for_url(f"**/w/{workshop.id}/poll")
    await page.get_by_text("Question and word limit").first.wait_for()
