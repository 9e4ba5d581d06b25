"""The join page in Chromium (issue 10): the purpose in English and in Welsh before the board,
one button, then the withdrawal code shown once and saved as a file; no accessibility
violation on either page, on a desktop and on a phone. Helpers here serve the withdrawal and
'what we heard' browser tests too."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from itsdangerous import URLSafeSerializer
from playwright.async_api import expect

from tests.conftest import RunningServer
from tests.support import Workshop, create_workshop

pytestmark = pytest.mark.browser

WAIT_MS = 10_000
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PURPOSE = {
    "statement": {
        "en": "We are planning the new library in Y Fenni. Your notes shape the plan we publish.",
        "cy": "Rydyn ni'n cynllunio'r llyfrgell newydd yn y Fenni. Bydd eich nodiadau'n llunio'r cynllun.",
    },
    "audience": {"en": "The library team and the town council.", "cy": "Tîm y llyfrgell a chyngor y dref."},
    "contact": "llyfrgell@example.org",
}


async def context_for(browser: Any, server: RunningServer, *, lang: str = "en", phone: bool = False) -> Any:
    """A browser context of its own (cookies, storage), in a language, at a size. axe-core is
    injected into pages, which the strict CSP would forbid, so the CSP is bypassed here only."""
    context = await browser.new_context(
        base_url=server.base_url,
        viewport=PHONE if phone else DESKTOP,
        locale="cy-GB" if lang == "cy" else "en-GB",
        extra_http_headers={"Accept-Language": "cy" if lang == "cy" else "en-GB"},
        bypass_csp=True,
        accept_downloads=True,
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(WAIT_MS)
    return context


async def ready(page: Any) -> None:
    await page.wait_for_function("() => document.documentElement.dataset.phase === 'ready'")


async def no_violations(page: Any) -> None:
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


async def set_purpose(server: RunningServer, workshop: Workshop) -> None:
    async with httpx.AsyncClient(
        base_url=server.base_url, headers={"Authorization": f"Bearer {workshop.facilitator_token}"}
    ) as http:
        answer = await http.put(f"/api/workshops/{workshop.id}/purpose", json=PURPOSE)
        answer.raise_for_status()


async def join_in_browser(page: Any, workshop: Workshop) -> str:
    """Join through the real pages; the withdrawal code shown once."""
    await page.goto(f"/j/{workshop.join_code}")
    await ready(page)
    await page.get_by_role("button").click()
    code: str = (await page.locator(".receipt-code").inner_text()).strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    return code


async def token_of(context: Any, workshop: Workshop) -> str:
    """The participant token the browser holds in its HttpOnly session cookie (a test may read
    it to drive a websocket as the same person)."""
    (cookie,) = [c for c in await context.cookies() if c["name"] == "board_session"]
    tokens: dict[str, str] = URLSafeSerializer("test-secret-key", salt="board-session").loads(cookie["value"])
    return tokens[workshop.id]


async def test_the_purpose_comes_first_in_english_and_the_code_after_one_button(
    browser: Any, server: RunningServer, tmp_path: Path
) -> None:
    workshop = await create_workshop(server.base_url, title="Llyfrgell newydd")
    await set_purpose(server, workshop)
    context = await context_for(browser, server)
    try:
        page = await context.new_page()
        await page.goto(f"/j/{workshop.join_code}")
        await ready(page)
        await expect(page.get_by_role("heading", level=1)).to_have_text("Llyfrgell newydd")
        await expect(page.locator("#statement")).to_contain_text("We are planning the new library")
        await expect(page.locator("#audience")).to_have_text("The library team and the town council.")
        await expect(page.locator("#contact")).to_have_text("llyfrgell@example.org")
        await expect(page.locator("#kept-until")).to_contain_text(re.compile(r"kept until \d{1,2} \w+ \d{4}"))
        await expect(page.get_by_role("button")).to_have_count(1)
        await expect(page.get_by_role("textbox")).to_have_count(0)
        await no_violations(page)

        await page.get_by_role("button", name="Join the workshop").click()
        await expect(page.get_by_role("heading", level=1)).to_contain_text("withdrawal code")
        code = (await page.locator(".receipt-code").inner_text()).strip()
        await no_violations(page)
        async with page.expect_download() as downloading:
            await page.get_by_role("link", name="Save the code as a file").click()
        download = await downloading.value
        saved = tmp_path / download.suggested_filename
        await download.save_as(saved)
        assert download.suggested_filename == "withdrawal-code.txt"
        assert f"Withdrawal code: {code}" in saved.read_text(encoding="utf-8")
        assert f"{server.base_url}/withdraw" in saved.read_text(encoding="utf-8")

        await page.get_by_role("link", name="Go to the board").click()
        await page.wait_for_url(re.compile(f"/b/{workshop.main}$"))
        await page.goto(f"/j/{workshop.join_code}")
        await page.wait_for_url(re.compile(f"/b/{workshop.main}$"))
    finally:
        await context.close()


async def test_a_welsh_phone_reads_the_purpose_in_welsh(
    browser: Any, server: RunningServer, artifacts: Path
) -> None:
    workshop = await create_workshop(server.base_url, title="Llyfrgell newydd")
    await set_purpose(server, workshop)
    context = await context_for(browser, server, lang="cy", phone=True)
    try:
        page = await context.new_page()
        await page.goto(f"/j/{workshop.join_code}")
        await ready(page)
        assert await page.get_attribute("html", "lang") == "cy"
        await expect(page.locator("#statement")).to_contain_text("Rydyn ni'n cynllunio'r llyfrgell newydd")
        await expect(page.locator("#audience")).to_have_text("Tîm y llyfrgell a chyngor y dref.")
        await expect(page.locator("#kept-until")).to_contain_text("Bydd popeth a ysgrifennir")
        await no_violations(page)
        await page.screenshot(path=str(artifacts / "join-cy-phone.png"), full_page=True)
        await page.get_by_role("button", name="Ymuno â'r gweithdy").click()
        await expect(page.get_by_role("heading", level=1)).to_contain_text("cod tynnu'n ôl")
        await no_violations(page)
        await page.screenshot(path=str(artifacts / "join-code-cy-phone.png"), full_page=True)
        width = await page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], "nothing runs off the side of a phone"
    finally:
        await context.close()
