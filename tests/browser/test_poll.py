"""The exit poll end to end in Chromium (issue 6): a facilitator opens it, three participants
answer (one in Welsh), the cloud updates for everyone, and a sentence is refused with the
message in the person's language. Screenshots go to artifacts/browser/."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from board import i18n
from tests.conftest import RunningServer

WAIT_MS = 15_000


@dataclass
class Poll:
    id: str
    code: str
    key: str
    base_url: str


@pytest.fixture
async def poll_workshop(server: RunningServer) -> Poll:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        made = (await http.post("/api/workshops", json={"title": "Exit poll workshop"})).json()
    return Poll(made["id"], made["join_code"], made["facilitator_key"], server.base_url)


@pytest.fixture
async def contexts() -> AsyncIterator[list[Any]]:
    """Browser contexts a test opened (one per person: their own cookies), closed after it."""
    opened: list[Any] = []
    yield opened
    for context in opened:
        await context.close()


async def person(
    browser: Any, contexts: list[Any], poll: Poll, *, facilitator: bool = False, lang: str = "en"
) -> Any:
    context = await browser.new_context(viewport={"width": 900, "height": 1000}, base_url=poll.base_url)
    contexts.append(context)
    if facilitator:
        reply = await context.request.post(f"/api/workshops/{poll.id}/facilitate", data={"key": poll.key})
    else:
        reply = await context.request.post("/api/join", data={"code": poll.code})
    assert reply.ok
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    await page.goto(f"/lang/{lang}?next=/w/{poll.id}/poll")
    await expect(page.locator("html")).to_have_attribute("data-phase", "ready", timeout=WAIT_MS)
    return page


def count_cell(page: Any, word: str) -> Any:
    return row(page, word).locator("td").first


def row(page: Any, word: str) -> Any:
    return page.locator(
        ".poll-table tbody tr", has=page.locator("th", has_text=re.compile(f"^{re.escape(word)}$"))
    )


async def answer(page: Any, text: str, *, accepted: bool = True) -> None:
    """Type an answer and press Enter; when it should be accepted, wait until it was (the box
    empties), as a person waits to see their answer taken before typing the next."""
    box = page.get_by_label(re.compile("Your answer|Eich ateb"))
    await box.fill(text)
    await box.press("Enter")
    if accepted:
        await expect(box).to_have_value("", timeout=WAIT_MS)


@pytest.mark.browser
async def test_three_participants_answer_and_the_cloud_updates_for_everyone(
    browser: Any, contexts: list[Any], poll_workshop: Poll, artifacts: Any
) -> None:
    facilitator = await person(browser, contexts, poll_workshop, facilitator=True)
    people = [
        await person(browser, contexts, poll_workshop),
        await person(browser, contexts, poll_workshop),
        await person(browser, contexts, poll_workshop, lang="cy"),
    ]
    for page in people:
        await expect(page.locator(".poll-state")).to_have_text(
            i18n.translate("cy" if page is people[2] else "en", "poll.not_open"), timeout=WAIT_MS
        )

    await facilitator.get_by_role("button", name="Open the exit poll").click()
    await expect(facilitator.get_by_role("button", name="Close the exit poll")).to_be_visible(timeout=WAIT_MS)
    for page in people:
        await expect(page.locator(".poll-form")).to_be_visible(timeout=WAIT_MS)
    await expect(people[2].locator(".poll-question")).to_have_text(
        i18n.translate("cy", "poll.default_question")
    )

    await answer(people[0], "Inspired")
    await answer(people[1], "inspired!")
    await answer(people[2], "cymuned")
    await answer(people[2], "Gymuned")
    await answer(people[1], "hopeful")

    everyone = [facilitator, *people]
    for page in everyone:
        await expect(row(page, "inspired").locator("td").first).to_have_text("2", timeout=WAIT_MS)
        await expect(row(page, "cymuned").locator("td").first).to_have_text("2", timeout=WAIT_MS)
        await expect(row(page, "hopeful").locator("td").first).to_have_text("1", timeout=WAIT_MS)
    versions = {await page.locator(".poll-image").get_attribute("data-version") for page in everyone}
    assert len(versions) == 1, "everyone sees the same cloud"
    for page in everyone:
        image = page.locator(".poll-image")
        await expect(image).to_have_attribute("alt", re.compile(r"inspired \(2\)"))
        assert await image.evaluate("img => img.complete && img.naturalWidth > 0")

    await answer(people[0], "I really enjoyed today's session", accepted=False)
    await expect(people[0].get_by_role("alert")).to_have_text(
        "One or two words only, please.", timeout=WAIT_MS
    )
    await expect(people[0].get_by_label("Your answer")).to_have_attribute("aria-invalid", "true")
    await answer(people[2], "Roedd hi'n sesiwn dda iawn", accepted=False)
    await expect(people[2].get_by_role("alert")).to_have_text(
        "Un neu ddau air yn unig, os gwelwch yn dda.", timeout=WAIT_MS
    )
    await answer(people[1], "🎉", accepted=False)
    await expect(people[1].get_by_role("alert")).to_have_text(
        "One or two words only, please.", timeout=WAIT_MS
    )

    mine = people[1].locator(".poll-mine li")
    await expect(mine).to_have_count(2)
    await people[1].get_by_role("button", name="Remove “hopeful”").click()
    await expect(mine).to_have_count(1)
    for page in everyone:
        await expect(row(page, "hopeful")).to_have_count(0, timeout=WAIT_MS)

    artifacts_dir = artifacts / "browser"
    artifacts_dir.mkdir(exist_ok=True)
    await people[2].screenshot(path=str(artifacts_dir / "poll-participant-cy.png"), full_page=True)
    await facilitator.screenshot(path=str(artifacts_dir / "poll-facilitator.png"), full_page=True)
    for page in everyone:
        assert page.errors == []


@pytest.mark.browser
async def test_the_poll_page_has_no_accessibility_violations(
    browser: Any, contexts: list[Any], poll_workshop: Poll
) -> None:
    """axe-core on the participant's and the facilitator's view, with answers, a hidden word and
    a refusal showing."""
    from axe_playwright_python.async_playwright import Axe

    facilitator = await person(browser, contexts, poll_workshop, facilitator=True)
    participant = await person(browser, contexts, poll_workshop, lang="cy")
    await facilitator.get_by_role("button", name="Open the exit poll").click()
    await expect(participant.locator(".poll-form")).to_be_visible(timeout=WAIT_MS)
    for text in ("hapus", "diolch", "Hapus", "boring"):
        await answer(participant, text)
    await expect(count_cell(facilitator, "boring")).to_have_text("1", timeout=WAIT_MS)
    await facilitator.get_by_role("button", name="Hide “boring”").click()
    await expect(facilitator.locator(".poll-hidden li")).to_have_count(1, timeout=WAIT_MS)
    await answer(participant, "dim ond brawddeg hir", accepted=False)
    await expect(participant.get_by_role("alert")).not_to_be_empty(timeout=WAIT_MS)
    await facilitator.locator(".poll-settings summary").click()
    axe = Axe()
    for page in (participant, facilitator):
        results = await axe.run(page)
        assert results.violations_count == 0, results.generate_report()
