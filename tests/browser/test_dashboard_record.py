"""The dashboard's record panels in Chromium (issue 5): counts per category (confirmed and
suggested apart), suggestions accepted one at a time and all at once, the category system
changed; near-duplicates across boards merged keeping the chosen note, which keeps every
vote; the record's count of withdrawn items. Participants are real websocket clients; the
facilitator uses the dashboard in a browser."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.browser.helpers import (
    WAIT_MS,
    OpenWorkshop,
    module_server,
    new_workshop,
    screenshot,
    server_objects,
)
from tests.browser.test_access import axe_violations
from tests.conftest import RunningServer
from tests.support import BoardClient

pytestmark = pytest.mark.browser
board_server = module_server()


@dataclass
class Someone:
    """A participant on bare websockets, with the withdrawal code they were given."""

    token: str
    code: str
    workshop: OpenWorkshop

    async def on(self, board: str) -> BoardClient:
        ws_url = self.workshop.base_url.replace("http://", "ws://") + "/ws"
        return await BoardClient(ws_url, board, self.token).connect()

    async def add(self, board: str, obj: dict[str, Any]) -> None:
        client = await self.on(board)
        try:
            # Op ids are unique per person across boards (the server deduplicates by them).
            await client.wait_acked(await client.op({"kind": "create", "obj": obj}, uuid.uuid4().hex))
        finally:
            await client.close()


async def someone(workshop: OpenWorkshop) -> Someone:
    async with httpx.AsyncClient(base_url=workshop.base_url) as http:
        data = (await http.post("/api/join", json={"code": workshop.join_code})).json()
    return Someone(data["token"], data["withdrawal_code"], workshop)


async def as_facilitator(workshop: OpenWorkshop, board: str, op: dict[str, Any]) -> None:
    ws_url = workshop.base_url.replace("http://", "ws://") + "/ws"
    client = await BoardClient(ws_url, board, workshop.facilitator_token).connect()
    try:
        await client.wait_acked(await client.op(op, uuid.uuid4().hex))
    finally:
        await client.close()


async def facilitator_view(workshop: OpenWorkshop, board: str) -> dict[str, dict[str, Any]]:
    """A board as its facilitator sees it (votes included, which a participant sees only as
    their own until the results are shown)."""
    ws_url = workshop.base_url.replace("http://", "ws://") + "/ws"
    client = await BoardClient(ws_url, board, workshop.facilitator_token).connect()
    await client.close()
    return client.objects


@pytest.fixture
async def dashboard(browser: Any) -> AsyncIterator[Any]:
    """Opens a workshop's dashboard as its facilitator: `await dashboard(workshop)`."""
    contexts: list[Any] = []
    errors: list[str] = []

    async def open_dashboard(workshop: OpenWorkshop, lang: str = "en") -> Any:
        context = await browser.new_context(
            base_url=workshop.base_url, locale="cy-GB" if lang == "cy" else "en-GB", bypass_csp=True
        )
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


async def counts(page: Any) -> dict[str, tuple[int, int]]:
    """The Categories panel's table: label -> (confirmed, suggested). Read in one go in the
    page: read row by row, a table redrawn between two reads (another system chosen) is half
    the old one and half the new."""
    rows = await page.locator("#category-counts tbody tr").evaluate_all(
        """rows => rows.map(row => [row.querySelector("th").innerText,
            [...row.querySelectorAll("td")].map(cell => Number(cell.innerText))])"""
    )
    return {label: (confirmed, suggested) for label, (confirmed, suggested) in rows}


async def test_categories_are_counted_suggestions_accepted_and_the_system_chosen_from_the_dashboard(
    board_server: RunningServer, browser: Any, dashboard: Any
) -> None:
    workshop = await new_workshop(board_server.base_url, breakouts=2)
    main, one, two = workshop.boards
    person = await someone(workshop)
    column = {
        "type": "frame",
        "id": "giving",
        "x": 0,
        "y": 0,
        "w": 400,
        "h": 800,
        "category": "giving_information",
    }
    await as_facilitator(workshop, main, {"kind": "create", "obj": column})
    await person.add(main, {"type": "note", "id": "leaf", "x": 100, "y": 100, "text": "Leaflet drop"})
    await person.add(
        one,
        {
            "type": "note",
            "id": "survey",
            "x": 0,
            "y": 0,
            "text": "Satisfaction survey in children's services",
        },
    )
    await person.add(one, {"type": "note", "id": "tea", "x": 300, "y": 0, "text": "Tea and cake"})
    await person.add(two, {"type": "note", "id": "pb", "x": 0, "y": 0, "text": "Participatory budgeting"})
    # A near-copy of the note the group put in the Giving Information column: it follows it.
    await person.add(two, {"type": "note", "id": "elm", "x": 300, "y": 0, "text": "Leaflet drop on Elm Road"})

    page = await dashboard(workshop)
    panel = page.get_by_role("region", name="Categories")
    assert await counts(page) == {
        "Giving Information": (1, 1),
        "Getting Information": (0, 1),
        "Forums for Debate": (0, 0),
        "Participation": (0, 0),
        "Partnership": (0, 0),
        "Empowerment": (0, 1),
    }
    await panel.get_by_text("1 note is not yet categorised.").wait_for()
    suggestions = panel.locator("#suggestions li")
    assert await suggestions.count() == 3
    await suggestions.filter(
        has_text="Board 1 · suggested: Getting Information, from “satisfaction survey” · 71 % sure"
    ).wait_for()
    await suggestions.filter(
        has_text="Board 2 · suggested: Giving Information, like “Leaflet drop”, which you put in Giving"
    ).wait_for()
    await screenshot(page, "dashboard-categories")
    assert await axe_violations(page) is None

    # One, from its own button: it becomes the note's category for everyone.
    await panel.get_by_role(
        "button", name="Accept Getting Information for “Satisfaction survey in children's services”"
    ).click()
    await panel.get_by_text("Accepted: the note's category is now Getting Information.").wait_for()
    assert (await counts(page))["Getting Information"] == (1, 0)
    assert await suggestions.count() == 2
    assert (await server_objects(workshop, one))["survey"]["category"] == "getting_information"

    # All the rest at once.
    await panel.get_by_role("button", name="Accept all suggestions").click()
    await panel.get_by_text("2 suggestions accepted.").wait_for()
    await panel.get_by_text("No suggestions waiting.").wait_for()
    assert await panel.get_by_role("button", name="Accept all suggestions").is_disabled()
    assert (await counts(page))["Empowerment"] == (1, 0)
    assert (await server_objects(workshop, two))["pb"]["category"] == "empowerment"

    # Another system: notes set under the first no longer count, until it is chosen again.
    await panel.get_by_label("Category system").select_option(label="IAP2 spectrum of public participation")
    await panel.get_by_role("button", name="Use this system").click()
    await panel.get_by_text("Notes are now sorted by IAP2 spectrum of public participation.").wait_for()
    iap2 = await counts(page)  # the table is redrawn before the panel says so
    assert list(iap2) == ["Inform", "Consult", "Involve", "Collaborate", "Empower"]
    assert all(confirmed == 0 for confirmed, _ in iap2.values()), "Wakefield's keys mean nothing here"
    await panel.get_by_label("Category system").select_option("wakefield")
    await panel.get_by_role("button", name="Use this system").click()
    # The same sentence stood under the other system's table: wait for Wakefield's rows.
    await page.locator("#category-counts tbody th", has_text="Getting Information").wait_for()
    await panel.get_by_text("1 note is not yet categorised.").wait_for()
    assert (await counts(page))["Getting Information"] == (1, 0)


async def vote(person: Someone, board: str, target: str) -> None:
    await person.add(board, {"type": "vote", "id": f"v-{target}-{person.token[:6]}", "target": target})


async def test_repeated_points_merge_keeping_the_chosen_note_with_every_vote_and_withdrawals_are_counted(
    board_server: RunningServer, browser: Any, dashboard: Any
) -> None:
    workshop = await new_workshop(board_server.base_url, breakouts=2)
    main, one, two = workshop.boards
    for board in (one, two):
        await as_facilitator(workshop, board, {"kind": "settings", "props": {"voting": True}})
    a, b, c = await someone(workshop), await someone(workshop), await someone(workshop)
    await a.add(one, {"type": "note", "id": "fg1", "x": 0, "y": 0, "text": "Focus groups in planning"})
    await b.add(two, {"type": "note", "id": "fg2", "x": 0, "y": 0, "text": "planning focus group"})
    await c.add(main, {"type": "note", "id": "tea", "x": 0, "y": 0, "text": "Tea and cake"})
    await vote(a, one, "fg1")
    await vote(b, one, "fg1")
    await vote(c, two, "fg2")

    page = await dashboard(workshop)
    panel = page.get_by_role("region", name="Repeated points")
    await panel.get_by_text("1 point was raised more than once.").wait_for()
    cluster = panel.get_by_role("group", name="“Focus groups in planning”: raised in 2 of 3 groups")
    kept_by_default = cluster.get_by_label("“Focus groups in planning”, Board 1, 2 votes")
    assert await kept_by_default.is_checked(), "most votes is kept unless you choose"
    await cluster.get_by_text(
        "The note you keep gets every vote of the cluster (3) and its comments."
    ).wait_for()
    await screenshot(page, "dashboard-duplicates")
    assert await axe_violations(page) is None

    await cluster.get_by_label("“planning focus group”, Board 2, 1 vote").check()
    await cluster.get_by_role("button", name="Merge, keeping the chosen note").click()
    await panel.get_by_text("Merged. The note kept has 3 votes, raised in 2 of 3 groups.").wait_for()
    await panel.get_by_text("No repeated points found.").wait_for()
    board_two = await facilitator_view(workshop, two)
    assert board_two["fg2"]["groups"] == [1, 2]
    assert sum(1 for obj in board_two.values() if obj.get("type") == "vote" and obj["target"] == "fg2") == 3
    assert "fg1" not in await server_objects(workshop, one)

    # Withdrawals: only how many, in the Record panel.
    record = page.get_by_role("region", name="The record")
    await record.get_by_text("Nobody has withdrawn anything yet.").wait_for()
    async with httpx.AsyncClient(base_url=workshop.base_url) as http:
        gone = await http.post("/api/withdrawal/withdraw", json={"code": c.code, "all": True})
        assert gone.status_code == 200, gone.text
        assert gone.json()["withdrawn"] == 2
    await page.reload()
    await page.wait_for_selector("html[data-phase=ready]")
    await record.get_by_text(
        "2 items have been withdrawn by the people who made them.", exact=False
    ).wait_for()
