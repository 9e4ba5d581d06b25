"""Withdrawal with a code, end to end (issue 10), on SQLite and PostgreSQL: a participant
joins in Chromium and keeps the code, adds notes, a vote and an exit-poll word; later, from a
second browser context (a phone), they take back one note, then everything. Every other
client's view and the export change accordingly, and nothing in the database links what
remains to them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.async_api import expect
from sqlalchemy import or_, select

from board import i18n
from board.services.credentials import digest
from board.store import tables
from tests.browser.helpers import (
    WAIT_MS,
    OpenWorkshop,
    facilitator_socket,
    new_workshop,
    note,
    open_board,
    screenshot,
)
from tests.browser.test_join import context_for, join_in_browser, no_violations, ready, token_of
from tests.conftest import RunningServer
from tests.support import BoardClient, Workshop, create_workshop, rows

pytestmark = pytest.mark.browser


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


async def open_dashboard(browser: Any, workshop: OpenWorkshop) -> Any:
    """The workshop's dashboard, as its facilitator (the key exchanged for the cookie)."""
    context = await browser.new_context(base_url=workshop.base_url, locale="en-GB")
    context.set_default_timeout(WAIT_MS)
    answer = await context.request.post(
        f"/api/workshops/{workshop.id}/facilitate", data={"key": workshop.facilitator_key}
    )
    assert answer.ok
    page = await context.new_page()
    await page.goto(f"/w/{workshop.id}/dashboard")
    await page.wait_for_selector("html[data-phase=ready]")
    return page


def poll_row(page: Any, word: str) -> Any:
    """The exit-poll table's row for a word, in the panel over the board."""
    return page.locator(
        ".poll-table tbody tr", has=page.locator("th", has_text=re.compile(f"^{re.escape(word)}$"))
    )


async def test_a_withdrawal_by_code_changes_every_view_at_once(browser: Any, server: RunningServer) -> None:
    """Someone takes everything back with their code. Without a reload: another participant's
    board loses their note and its category, the vote tally they added and their word in the
    cloud; the facilitator's dashboard counts the category again, loses the repeated point
    their note made and counts what was withdrawn."""
    workshop = await new_workshop(server.base_url, title="Pob golwg", breakouts=1)
    facilitator = await facilitator_socket(workshop)
    await facilitator.wait_acked(
        await facilitator.op({"kind": "settings", "props": {"voting": True, "votes_shown": True}})
    )
    auth = {"Authorization": f"Bearer {workshop.facilitator_token}"}
    async with httpx.AsyncClient(base_url=server.base_url, headers=auth) as http:
        assert (await http.put(f"/api/workshops/{workshop.id}/poll", json={"open": True})).status_code == 200
        people = [(await http.post("/api/join", json={"code": workshop.join_code})).json() for _ in range(2)]
    leaver, other = people
    theirs = await BoardClient(server.ws_url, workshop.main, other["token"]).connect()
    elsewhere = await BoardClient(server.ws_url, workshop.boards[1], other["token"]).connect()
    mine = await BoardClient(server.ws_url, workshop.main, leaver["token"]).connect()
    await theirs.wait_acked(await theirs.create_note("hours", text="Longer opening hours", x=600))
    await elsewhere.wait_acked(await elsewhere.create_note("dup", text="More buses for the library"))
    await mine.wait_acked(
        await mine.create_note("buses", text="More buses to the library", category="participation")
    )
    await mine.wait_acked(
        await mine.op({"kind": "create", "obj": {"type": "vote", "id": "v1", "target": "hours"}})
    )
    await mine.wait_acked(
        await mine.op({"kind": "create", "obj": {"type": "pollword", "id": "p1", "text": "gobeithiol"}})
    )

    watcher = await open_board(browser, workshop)
    listing = await watcher.context.new_page()
    dashboard = await open_dashboard(browser, workshop)
    try:
        board = watcher.page
        tally = note(board, "Longer opening hours").locator(".vote-count:not([hidden])")
        await expect(tally).to_have_text("1")
        await expect(note(board, "More buses to the library").locator(".note-category")).to_have_text(
            "Participation"
        )
        await expect(poll_row(board, "gobeithiol")).to_have_count(1)
        await expect(board.locator(".poll-image")).to_have_attribute("alt", re.compile("gobeithiol"))
        await listing.goto(f"/b/{workshop.main}")
        await listing.wait_for_function("() => document.documentElement.dataset.connection === 'online'")
        await listing.locator("#list-toggle").click()
        await listing.locator("#list-by-category").check()
        group = listing.locator(".list-group h3", has_text="Participation (1 note)")
        await expect(group).to_have_count(1)
        participation = dashboard.locator('#category-counts tr[data-category="participation"] td').first
        await expect(participation).to_have_text("1")
        clusters = dashboard.locator("#clusters li.cluster")
        await expect(clusters).to_have_count(1)
        await expect(clusters.first).to_contain_text("More buses to the library")
        withdrawn = dashboard.locator("#withdrawn-count")
        await expect(withdrawn).to_have_text(i18n.translate("en", "dashboard.rec.withdrawn_none"))

        async with httpx.AsyncClient(base_url=server.base_url, headers={"Origin": server.base_url}) as http:
            taken = await http.post(
                "/api/withdrawal/withdraw", json={"code": leaver["withdrawal_code"], "all": True}
            )
        assert taken.json()["withdrawn"] == 3, "the note, the vote and the exit-poll word"

        # The other participant's board, as it is: nothing reloaded.
        await expect(note(board, "More buses to the library")).to_have_count(0)
        await expect(tally).to_have_count(0)
        await expect(note(board, "Longer opening hours")).to_have_count(1)
        await expect(poll_row(board, "gobeithiol")).to_have_count(0)
        await expect(board.locator(".poll-image")).not_to_have_attribute("alt", re.compile("gobeithiol"))
        await expect(group).to_have_count(0)
        await expect(listing.locator(".list-group h3", has_text="Participation")).to_have_count(0)
        # The dashboard, as it is: within a few seconds of the boards changing.
        await expect(participation).to_have_text("0", timeout=WAIT_MS)
        await expect(clusters).to_have_count(0, timeout=WAIT_MS)
        await expect(dashboard.locator("#duplicates-count")).to_have_text(
            i18n.translate("en", "dashboard.dup.none")
        )
        await expect(withdrawn).to_contain_text("3 items have been withdrawn", timeout=WAIT_MS)
        await screenshot(dashboard, "dashboard-after-a-withdrawal")
    finally:
        for socket in (facilitator, theirs, elsewhere, mine):
            await socket.close()
        await watcher.close()
        await dashboard.context.close()
