"""'What we heard' in Chromium (issue 10): no accessibility violation at desktop size and at
390×844, in English and in Welsh; the participant who took part on this device sees their own
notes and where each ended up, a visitor does not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.test_join import PHONE, context_for, join_in_browser, no_violations, ready, token_of
from tests.conftest import RunningServer
from tests.support import BoardClient, Workshop, create_workshop

pytestmark = pytest.mark.browser


async def as_facilitator(server: RunningServer, workshop: Workshop) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=server.base_url, headers={"Authorization": f"Bearer {workshop.facilitator_token}"}
    )


async def test_what_we_heard_reads_well_everywhere_and_shows_each_person_their_own_notes(
    browser: Any, server: RunningServer, artifacts: Path
) -> None:
    workshop = await create_workshop(server.base_url, title="Llyfrgell y Fenni", breakouts=1)
    async with await as_facilitator(server, workshop) as http:
        assert (await http.put(f"/api/workshops/{workshop.id}/poll", json={"open": True})).status_code == 200
    participant = await context_for(browser, server)
    visitors = [
        await context_for(browser, server, lang=lang, phone=phone)
        for lang in ("en", "cy")
        for phone in (False, True)
    ]
    try:
        page = await participant.new_page()
        await join_in_browser(page, workshop)
        token = await token_of(participant, workshop)
        main = await BoardClient(server.ws_url, workshop.main, token).connect()
        breakout = await BoardClient(server.ws_url, workshop.boards[1], token).connect()
        facilitator = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
        await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"voting": True}}))
        await main.wait_acked(
            await main.create_note("a", text="Longer opening hours", category="participation")
        )
        await main.wait_acked(await main.create_note("b", text="Gwell cymuned"))
        await breakout.wait_acked(
            await breakout.op(
                {
                    "kind": "create",
                    "obj": {"type": "note", "id": "c", "x": 0, "y": 0, "text": "well gymuned"},
                },
                "breakout-1",  # the server deduplicates by (participant, op id) across boards
            )
        )
        await facilitator.wait_acked(
            await facilitator.op({"kind": "create", "obj": {"type": "vote", "id": "v", "target": "a"}})
        )
        await main.wait_acked(
            await main.op({"kind": "create", "obj": {"type": "pollword", "id": "p", "text": "gobeithiol"}})
        )
        async with await as_facilitator(server, workshop) as http:
            published = await http.put(
                f"/api/workshops/{workshop.id}/heard",
                json={
                    "published": True,
                    "next_steps": {
                        "en": "A draft plan by 30 June; the council decides in September.",
                        "cy": "Cynllun drafft erbyn 30 Mehefin; bydd y cyngor yn penderfynu ym mis Medi.",
                    },
                },
            )
        url = published.json()["url"]

        await page.goto(url)
        await ready(page)
        yours = page.locator("#yours")
        await expect(yours).to_contain_text("Longer opening hours")
        await expect(yours).to_contain_text("Category: Participation")
        await expect(yours).to_contain_text("well gymuned")
        await expect(page.locator("#shared")).to_contain_text("raised in 2 of 2 groups")
        await expect(page.locator("#top-voted")).to_contain_text("Longer opening hours")
        await expect(page.locator("#poll-words")).to_contain_text("gobeithiol")
        await no_violations(page)
        await page.screenshot(path=str(artifacts / "heard-participant.png"), full_page=True)

        for context in visitors:
            visitor = await context.new_page()
            await visitor.goto(url)
            await ready(visitor)
            await expect(visitor.locator("#yours")).to_have_count(0)
            welsh = await visitor.get_attribute("html", "lang") == "cy"
            await expect(visitor.locator("#next-steps")).to_contain_text(
                "Cynllun drafft erbyn 30 Mehefin" if welsh else "A draft plan by 30 June"
            )
            await expect(visitor.locator("#shared")).to_contain_text(
                "codwyd gan 2 o'r 2 grŵp" if welsh else "raised in 2 of 2 groups"
            )
            await expect(visitor.get_by_role("img", name="QR")).to_be_visible()
            await no_violations(visitor)
            size = "phone" if visitor.viewport_size == PHONE else "desktop"
            lang = "cy" if welsh else "en"
            await visitor.screenshot(path=str(artifacts / f"heard-{lang}-{size}.png"), full_page=True)
            if visitor.viewport_size == PHONE:
                width = await visitor.evaluate("() => document.documentElement.scrollWidth")
                assert width <= PHONE["width"], "nothing runs off the side of a phone"
    finally:
        await participant.close()
        for context in visitors:
            await context.close()
