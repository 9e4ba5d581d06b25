"""A template's board text in each person's language (issue 18): on a workshop made from a
bilingual template, someone reading in Welsh sees its prompt, its frame and column titles and
its exit-poll question in Welsh, someone reading in English sees them in English, and
switching language switches them; a board's title too, where it is shown (the gallery). A
template written in one language says so where a facilitator chooses it, and on the
dashboard of every workshop made from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from board.app import facilitation as app_facilitation
from board.services import facilitation as services_facilitation
from board.services import templates
from tests.browser.helpers import WAIT_MS, OpenWorkshop, module_server, open_board, wait_ready
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser

board_server = module_server()

WELSH = {
    "prompt": "Ymarferwch yma: beth yw'r gweithgaredd ymgysylltu gorau i chi fod yn rhan ohono?",
    "frame": "Ymarfer: y gweithgaredd ymgysylltu gorau",
    "column": "Rhoi Gwybodaeth",
    "question": "Ysgrifennwch un neu ddau air (yn unig) sy'n disgrifio'ch meddyliau neu'ch teimladau am "
    "sesiwn heddiw",
}
ENGLISH = {
    "prompt": "Practise here: what is the best engagement activity you have been part of?",
    "frame": "Practice: the best engagement activity",
    "column": "Giving Information",
    "question": "Write one or two words (only) that describe your thoughts or feelings about today's session",
}


async def assert_board_reads(page: Any, words: dict[str, str]) -> None:
    """What a person reads on the main board: the prompt, a frame, a column, the poll."""
    await expect(page.locator(".text-body", has_text=words["prompt"])).to_have_text(words["prompt"])
    await expect(page.locator(".frame-title", has_text=words["frame"])).to_have_text(words["frame"])
    await expect(page.locator(".frame-title").filter(has_text=words["column"]).first).to_be_visible()
    await expect(page.locator("#poll-panel .poll-question")).to_have_text(words["question"])


async def test_each_person_reads_a_bilingual_templates_board_in_their_own_language(
    browser: Any, board_server: RunningServer
) -> None:
    async with httpx.AsyncClient(base_url=board_server.base_url) as http:
        made = await http.post(
            "/api/templates/engagement-network/workshops", json={"lang": "en", "breakouts": 0}
        )
        assert made.status_code == 201, made.text
        data = made.json()
        opened = await http.put(
            f"/api/workshops/{data['id']}/poll",
            json={"open": True},
            headers={"Authorization": f"Bearer {data['token']}"},
        )
        assert opened.status_code == 200, opened.text
    workshop = OpenWorkshop.made(data, board_server.base_url)
    # Near enough to read: the prompt above the practice frame, the columns' titles below it.
    place = f"{workshop.main}#@1200,400,40"
    welsh = await open_board(browser, workshop, lang="cy", board=place)
    english = await open_board(browser, workshop, lang="en", board=place)
    try:
        await assert_board_reads(welsh.page, WELSH)
        await assert_board_reads(english.page, ENGLISH)
        for page in (welsh.page, english.page):
            assert (
                await page.get_by_text(ENGLISH["prompt"] if page is welsh.page else WELSH["prompt"]).count()
                == 0
            )

        # Switching language switches the template's words too.
        await welsh.page.locator(".language-switch a[hreflang='en']").click()
        await welsh.page.wait_for_url(f"**/b/{workshop.main}**")
        await wait_ready(welsh.page)
        await assert_board_reads(welsh.page, ENGLISH)
    finally:
        await welsh.close()
        await english.close()


ENGLISH_ONLY = """\
title: Listening to the library
purpose: To hear what readers want from the library.
taxonomy: iap2
exit_poll:
  question: "In one or two words: how was today?"
agenda:
  - title: Welcome
    minutes: 5
boards:
  main:
    title: Main board
    prompt: What would bring you to the library more often?
"""


async def test_a_template_in_one_language_says_so_where_it_is_chosen(
    browser: Any, board_server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "library.yaml").write_text(ENGLISH_ONLY, encoding="utf-8")
    (tmp_path / "network.yaml").write_text(
        (templates.SESSIONS / "engagement-network.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    found = templates.templates(tmp_path)
    assert sorted(found.plans) == ["library", "network"], found.invalid
    monkeypatch.setattr(app_facilitation, "templates", lambda: templates.templates(tmp_path))

    for locale, flagged in (
        ("en-GB", "This template is in English only: Welsh speakers will see its prompts in English."),
        (
            "cy-GB",
            "Mae'r templed hwn yn Saesneg yn unig: bydd siaradwyr Cymraeg yn gweld ei gwestiynau yn Saesneg.",
        ),
    ):
        context = await browser.new_context(base_url=board_server.base_url, locale=locale)
        context.set_default_timeout(WAIT_MS)
        try:
            page = await context.new_page()
            await page.goto("/new")
            await wait_ready(page)
            library = page.get_by_role("radio", name="Listening to the library")
            await expect(library).to_have_accessible_description(
                "To hear what readers want from the library. " + flagged
            )
            await expect(page.locator("#template-library-languages")).to_have_text(flagged)
            await expect(page.locator("#template-network-languages")).to_have_count(0)
        finally:
            await context.close()


async def test_a_welsh_facilitator_reads_board_titles_in_welsh_and_is_told_when_a_template_has_one_language(
    browser: Any, board_server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "library.yaml").write_text(ENGLISH_ONLY, encoding="utf-8")

    def load(key: str) -> Any:
        """The test's template, or a shipped one."""
        return templates.load(key, tmp_path) or templates.load(key)

    monkeypatch.setattr(app_facilitation, "load", load)
    monkeypatch.setattr(services_facilitation, "load", load)

    made: dict[str, OpenWorkshop] = {}
    async with httpx.AsyncClient(base_url=board_server.base_url) as http:
        for key, breakouts in (("engagement-network", 1), ("library", 0)):
            answer = await http.post(
                f"/api/templates/{key}/workshops", json={"lang": "en", "breakouts": breakouts}
            )
            assert answer.status_code == 201, answer.text
            made[key] = OpenWorkshop.made(answer.json(), board_server.base_url)
    bilingual, english_only = made["engagement-network"], made["library"]

    welsh = await open_board(browser, bilingual, role="facilitator", lang="cy")
    page = welsh.page
    try:
        # The breakout board, named "Board 1" in the workshop's English, is "Bwrdd 1" to her,
        # once drawn (before, every card is named by its number in her language), and so is
        # its frame.
        await page.goto(f"/w/{bilingual.id}/gallery")
        await page.locator(".gallery-card .gallery-frame").first.wait_for()
        await expect(page.locator(".gallery-card .gallery-title")).to_have_text("Bwrdd 1")
        frame = await page.locator(".gallery-card .gallery-frame-text").first.evaluate(
            "(text) => text.textContent.replaceAll('\\u00ad', '')"
        )
        assert frame == "Ein hymgysylltiadau yn y 2 flynedd diwethaf"
        # A bilingual template's workshop has nothing to warn of.
        await page.goto(f"/w/{bilingual.id}/dashboard")
        await wait_ready(page)
        await expect(page.locator("#template-languages")).to_have_count(0)
    finally:
        await welsh.close()

    for lang, warned in (
        ("cy", "Mae templed y gweithdy hwn yn Saesneg yn unig: mae siaradwyr Cymraeg yn gweld ei gwestiynau"),
        ("en", "This workshop's template is in English only: Welsh speakers see its prompts"),
    ):
        facilitator = await open_board(browser, english_only, role="facilitator", lang=lang)
        try:
            await facilitator.page.goto(f"/w/{english_only.id}/dashboard")
            await expect(facilitator.page.locator("#template-languages")).to_contain_text(warned)
        finally:
            await facilitator.close()
