"""Withdrawal with a code, end to end (issue 10), on SQLite and PostgreSQL: a participant
joins in Chromium and keeps the code, adds notes, a vote and an exit-poll word; later, from a
second browser context (a phone), they take back one note, then everything. Every other
client's view and the export change accordingly, and nothing in the database links what
remains to them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.async_api import expect
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import create_async_engine

from board import i18n
from board.app.auth import digest
from board.store import tables
from tests.browser.test_join import context_for, join_in_browser, no_violations, ready, token_of
from tests.conftest import RunningServer
from tests.support import BoardClient, Workshop, create_workshop

pytestmark = pytest.mark.browser


async def rows(database_url: str, query: Any) -> list[Any]:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return list(await connection.execute(query))
    finally:
        await engine.dispose()


async def export(server: RunningServer, workshop: Workshop) -> dict[str, Any]:
    async with httpx.AsyncClient(
        base_url=server.base_url, headers={"Authorization": f"Bearer {workshop.facilitator_token}"}
    ) as http:
        data: dict[str, Any] = (await http.get(f"/api/workshops/{workshop.id}/export.json")).json()
        return data


async def test_a_participant_takes_back_some_then_all_of_their_words_from_another_device(
    browser: Any, make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url, title="Y llyfrgell")
    facilitator = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"voting": True}}))
    async with httpx.AsyncClient(
        base_url=server.base_url, headers={"Authorization": f"Bearer {workshop.facilitator_token}"}
    ) as http:
        assert (await http.put(f"/api/workshops/{workshop.id}/poll", json={"open": True})).status_code == 200
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        other_token = (await http.post("/api/join", json={"code": workshop.join_code})).json()["token"]
    other = await BoardClient(server.ws_url, workshop.main, other_token).connect()
    await other.wait_acked(await other.create_note("theirs", text="Longer opening hours"))

    first_device = await context_for(browser, server)
    phone = await context_for(browser, server, lang="cy", phone=True)
    try:
        page = await first_device.new_page()
        code = await join_in_browser(page, workshop)
        token = await token_of(first_device, workshop)
        member = (
            await rows(
                database_url,
                select(tables.participants.c.id).where(tables.participants.c.token_hash == digest(token)),
            )
        )[0][0]
        mine = await BoardClient(server.ws_url, workshop.main, token).connect()
        await mine.wait_acked(await mine.create_note("buses", text="More buses to the library"))
        await mine.wait_acked(await mine.create_note("quiet", text="A quiet room for studying"))
        await mine.wait_acked(
            await mine.op({"kind": "create", "obj": {"type": "vote", "id": "v1", "target": "theirs"}})
        )
        await mine.wait_acked(
            await mine.op({"kind": "create", "obj": {"type": "pollword", "id": "p1", "text": "gobeithiol"}})
        )
        await other.wait_for(lambda: {"buses", "quiet"} <= set(other.notes()))
        before = await export(server, workshop)
        assert {n["text"] for n in before["notes"]} >= {
            "More buses to the library",
            "A quiet room for studying",
        }
        assert before["exit_poll"] == [{"word": "gobeithiol", "count": 1}]
        assert next(n for n in before["notes"] if n["text"] == "Longer opening hours")["votes"] == 1

        withdraw = await phone.new_page()
        await withdraw.goto("/withdraw")
        await ready(withdraw)
        await withdraw.get_by_label("Cod tynnu'n ôl").fill(code.lower().replace("-", " "))
        await withdraw.get_by_role("button", name="Dangos beth ysgrifennais i").click()
        items = withdraw.locator("#item-list li")
        await expect(items).to_have_count(4)
        await expect(items.nth(0)).to_contain_text("More buses to the library")
        await expect(items.nth(2)).to_contain_text("Eich pleidlais dros")
        await expect(items.nth(2)).to_contain_text("Longer opening hours")
        await expect(items.nth(3)).to_contain_text("gobeithiol")
        await no_violations(withdraw)

        await withdraw.get_by_role("checkbox", name="More buses to the library").check()
        await withdraw.get_by_role("button", name="Tynnu'n ôl y rhai a diciais i").click()
        await expect(withdraw.locator("#confirm-text")).to_contain_text("Tynnu 1 peth yn ôl?")
        await no_violations(withdraw)
        await withdraw.get_by_role("button", name="Ie, tynnu'n ôl").click()
        await expect(withdraw.locator("#status")).to_contain_text("cafodd 1 peth ei dynnu'n ôl")
        await expect(items).to_have_count(3)
        await other.wait_for(lambda: "buses" not in other.objects)
        await facilitator.wait_for(lambda: "buses" not in facilitator.objects)
        middle = await export(server, workshop)
        assert "More buses to the library" not in {n["text"] for n in middle["notes"]}
        assert middle["summary"]["withdrawn"] == 1

        await withdraw.get_by_role("button", name="Tynnu popeth yn ôl").click()
        await expect(withdraw.locator("#confirm-text")).to_contain_text("Tynnu 3 peth yn ôl?")
        await withdraw.get_by_role("button", name="Ie, tynnu'n ôl").click()
        await expect(withdraw.locator("#status")).to_contain_text("cafodd 3 peth eu tynnu'n ôl")
        await expect(withdraw.locator("#nothing")).to_be_visible()
        await other.wait_for(lambda: set(other.notes()) == {"theirs"})
        await facilitator.wait_for(lambda: not {"quiet", "v1", "p1"} & set(facilitator.objects))
        assert set(mine.notes()) == {"theirs"}, "the first device sees it too"

        after = await export(server, workshop)
        assert [n["text"] for n in after["notes"]] == ["Longer opening hours"]
        assert after["notes"][0]["votes"] == 0
        assert after["exit_poll"] == []
        assert after["summary"]["withdrawn"] == 4

        linked = await rows(
            database_url,
            select(tables.objects.c.id).where(tables.objects.c.author_id == member),
        )
        logged = await rows(
            database_url, select(tables.ops.c.seq).where(tables.ops.c.participant_id == member)
        )
        assert (linked, logged) == ([], []), "nothing remaining points to them"
        everything = " ".join(
            [repr(await rows(database_url, select(table))) for table in tables.Base.metadata.sorted_tables]
        )
        for words in ("More buses to the library", "A quiet room for studying", "gobeithiol"):
            assert words not in everything
        remaining = await rows(
            database_url,
            select(tables.objects.c.author_id).where(
                or_(tables.objects.c.author_id.is_(None), tables.objects.c.author_id != member)
            ),
        )
        assert remaining, "other people's contributions are still there"

        await withdraw.get_by_role("button", name="Dangos beth ysgrifennais i").click()
        await expect(withdraw.locator("#nothing")).to_be_visible()
    finally:
        await first_device.close()
        await phone.close()


async def test_a_wrong_code_gets_one_plain_message(browser: Any, server: RunningServer) -> None:
    context = await context_for(browser, server)
    try:
        page = await context.new_page()
        await page.goto("/withdraw")
        await ready(page)
        await page.get_by_label("Withdrawal code").fill("ABCD-EFGH-JKMN")
        await page.get_by_role("button", name="Show what I wrote").click()
        await expect(page.locator("#status")).to_have_text(i18n.translate("en", "withdraw.wrong_code"))
        await expect(page.locator("#found")).to_be_hidden()
        await no_violations(page)
    finally:
        await context.close()
