"""A whole workshop as docs/facilitating.md runs it, and every count a person reads (issue 14):
three breakout groups write, the facilitator pulls them into the main board from the dashboard
(twice), duplicates and pastes pulled notes in Chromium (and a participant duplicates one on
their breakout board), runs dot voting on the main board and
the exit poll, closes, and exports. The dashboard, the JSON, the CSV, the Markdown, the HTML
report and What we heard all count 12 notes from 3 groups, 4 votes and one repeated point."""

from __future__ import annotations

import csv
import io
import re
import uuid
from typing import Any

import httpx
import pytest

from board.core.breakout import pulled_id
from tests.browser.helpers import (
    add_note,
    module_server,
    new_workshop,
    note,
    open_board,
    server_objects,
    settle,
)
from tests.browser.test_dashboard_record import as_facilitator, counts, someone
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()

LIBRARY = "Drop-in at the library on Saturday mornings"
WRITTEN = {
    1: [
        (0, "l1", LIBRARY),
        (0, "y1", "Youth forum at the leisure centre"),
        (1, "j1", "Citizens jury"),
        (1, "w1", "Walkabout with ward councillors"),
    ],
    2: [
        (0, "l2", LIBRARY),
        (0, "s2", "Survey in Welsh and English"),
        (1, "p2", "Participatory budgeting"),
        (1, "t2", "Tenants panel every quarter"),
    ],
    3: [
        (0, "f3", "Focus group with carers"),
        (0, "n3", "Newsletter through every door"),
        (1, "m3", "Market stall on Fridays"),
        (1, "r3", "Radio phone-in with the leader"),
    ],
}
"""Board -> (writer of the pair, note id, words): 12 notes, one point written by groups 1 and 2."""


async def test_a_whole_workshop_counts_every_contribution_once_everywhere(
    board_server: RunningServer, browser: Any
) -> None:
    workshop = await new_workshop(board_server.base_url, title="Counting workshop", breakouts=3)
    main = workshop.main
    people = {n: [await someone(workshop), await someone(workshop)] for n in WRITTEN}
    for n, notes in WRITTEN.items():
        for i, (writer, oid, words) in enumerate(notes):
            await people[n][writer].add(
                workshop.boards[n], {"type": "note", "id": oid, "x": 220 * i, "y": 0, "text": words}
            )

    # Someone in group 2 duplicates a note of their group's: still their group's 4 notes.
    duplicate = {"type": "note", "id": "p2copy", "x": 0, "y": 300, "text": "Participatory budgeting"}
    await people[2][0].add(workshop.boards[2], {**duplicate, "origin": {"id": "p2"}})

    facilitator = await open_board(browser, workshop, role="facilitator")
    page = facilitator.page
    await page.get_by_role("button", name="Gallery").click()
    await page.locator('.fac-thumb[data-board="2"] .fac-count', has_text=re.compile(r"^4 notes$")).wait_for()
    dashboard = await facilitator.context.new_page()
    await dashboard.goto(f"/w/{workshop.id}/dashboard")
    await dashboard.wait_for_selector("html[data-phase=ready]")
    await dashboard.locator("#pull").click()
    await dashboard.get_by_text("13 notes copied into the main board.").wait_for()
    pulled = {pulled_id("g", n, oid) for n, notes in WRITTEN.items() for _, oid, _ in notes}
    pulled.add(pulled_id("g", 2, "p2copy"))

    # The facilitator duplicates a pulled note and pastes another on the main board: copies of copies.
    youth = note(page, "Youth forum at the leisure centre")
    await youth.first.wait_for()
    await youth.first.click()
    await page.keyboard.press("Control+d")
    await youth.nth(1).wait_for()
    await page.keyboard.press("Escape")  # the copy's menu may sit over the next note
    await note(page, "Citizens jury").click()
    await page.keyboard.press("Control+c")
    await page.keyboard.press("Control+v")
    await note(page, "Citizens jury").nth(1).wait_for()
    on_main = await server_objects(workshop)
    made_here = {
        o["text"]: o["origin"] for oid, o in on_main.items() if oid not in pulled and o.get("origin")
    }
    assert made_here == {
        "Youth forum at the leisure centre": {"id": "y1", "board": 1},
        "Citizens jury": {"id": "j1", "board": 1},
    }

    # Pulling again copies nothing twice.
    await dashboard.locator("#pull").click()
    await dashboard.get_by_text("0 notes copied into the main board.").wait_for()

    # Dot voting on the main board: 4 votes, 2 of them on one note through two of its copies.
    await as_facilitator(workshop, main, {"kind": "settings", "props": {"voting": True, "votes_shown": True}})
    mine = {o.get("text"): oid for oid, o in on_main.items() if oid not in pulled}
    youth_copy = mine["Youth forum at the leisure centre"]
    for person, target in [
        (people[1][0], pulled_id("g", 1, "l1")),
        (people[2][1], pulled_id("g", 1, "y1")),
        (people[3][0], youth_copy),
        (people[3][1], pulled_id("g", 3, "m3")),
    ]:
        await person.add(main, {"type": "vote", "id": uuid.uuid4().hex[:12], "target": target})

    # The exit poll, then close.
    http = httpx.AsyncClient(
        base_url=workshop.base_url,
        timeout=30,
        headers={"Authorization": f"Bearer {workshop.facilitator_token}"},
    )
    async with http:
        opened = await http.put(f"/api/workshops/{workshop.id}/poll", json={"open": True})
        assert opened.status_code == 200, opened.text
        for person, words in [(people[1][0], "useful"), (people[2][0], "friendly")]:
            async with httpx.AsyncClient(
                base_url=workshop.base_url, headers={"Authorization": f"Bearer {person.token}"}
            ) as as_them:
                given = await as_them.post(
                    f"/api/workshops/{workshop.id}/poll/entries",
                    json={"text": words, "id": uuid.uuid4().hex[:12]},
                )
                assert given.status_code == 201, given.text
        await dashboard.reload()
        await dashboard.wait_for_selector("html[data-phase=ready]")
        await dashboard.locator("#close").click()
        await dashboard.locator("#close-yes").click()
        await dashboard.locator("#closed-banner").wait_for()

        # The dashboard: 12 notes in the Categories panel, one repeated point of 2 groups out of 3.
        await dashboard.get_by_text("1 point was raised more than once.").wait_for()
        await dashboard.get_by_role("group", name=f"“{LIBRARY}”: raised in 2 of 3 groups").wait_for()
        panel = dashboard.get_by_role("region", name="Categories")
        said = re.search(r"(\d+) notes? (?:is|are) not yet categorised", await panel.inner_text())
        table = await counts(dashboard)
        assert sum(c + s for c, s in table.values()) + (int(said.group(1)) if said else 0) == 12

        exports = {
            fmt: await http.get(f"/api/workshops/{workshop.id}/export.{fmt}")
            for fmt in ("json", "csv", "md", "html")
        }
        preview = await http.get(f"/heard/{workshop.id}")
    assert all(answer.status_code == 200 for answer in exports.values())

    record = exports["json"].json()
    assert len(record["notes"]) == 12
    assert sum(n["votes"] for n in record["notes"]) == 4
    assert [(b["number"], b["notes"]) for b in record["boards"]] == [(0, 0), (1, 4), (2, 4), (3, 4)]
    votes = {n["text"]: n["votes"] for n in record["notes"] if n["votes"]}
    assert votes == {LIBRARY: 1, "Youth forum at the leisure centre": 2, "Market stall on Fridays": 1}
    [cluster] = record["duplicates"]
    assert (cluster["id"], cluster["boards"], cluster["groups"]) == ("c1", [1, 2], 3)
    youth_note = next(n for n in record["notes"] if n["text"] == "Youth forum at the leisure centre")
    assert (youth_note["board"], youth_note["shown_on"], youth_note["copies"]) == (1, [0, 1], 2)

    rows = list(csv.DictReader(io.StringIO(exports["csv"].content.decode("utf-8-sig"))))
    assert len(rows) == 12
    assert sum(int(row["votes"]) for row in rows) == 4

    heard = "We heard 12 notes from 3 groups."
    assert heard in exports["md"].text
    assert heard in exports["html"].text
    assert "raised in 2 of 3 groups" in exports["html"].text
    assert "raised in 3 of" not in exports["html"].text + exports["md"].text
    assert preview.status_code == 200
    assert "We heard 12 notes." in preview.text
    assert "They came from 3 groups." in preview.text
    assert preview.text.count(LIBRARY) >= 1
    await facilitator.close()


async def test_cut_and_paste_moves_a_note_and_a_pasted_copy_still_names_its_original(
    board_server: RunningServer, browser: Any
) -> None:
    workshop = await new_workshop(board_server.base_url, title="Cut and paste")
    person = await open_board(browser, workshop)
    page = person.page
    try:
        await add_note(page, "Cafe conversations")
        original = note(page, "Cafe conversations")
        await original.click()
        await page.keyboard.press("Control+d")
        await original.nth(1).wait_for()
        await page.keyboard.press("Control+x")  # the duplicate, selected: cut, then pasted back
        await original.nth(1).wait_for(state="detached")
        await page.keyboard.press("Control+v")
        await original.nth(1).wait_for()
        await settle(page)
        notes = [o for o in (await server_objects(workshop)).values() if o.get("type") == "note"]
        [first] = [o for o in notes if "origin" not in o]
        assert [o["origin"] for o in notes if "origin" in o] == [{"id": first["id"]}]

        # Cut the original itself and paste it: a note of its own again (nothing to name), not refused.
        await page.keyboard.press("Escape")  # nothing selected: no menu over the notes
        await page.locator(f'.item.note[data-id="{first["id"]}"]').click(position={"x": 8, "y": 8})
        await page.keyboard.press("Control+x")
        await page.keyboard.press("Control+v")
        await settle(page)
        await page.wait_for_function("() => document.querySelectorAll('.item.note').length === 2")
        notes = [o for o in (await server_objects(workshop)).values() if o.get("type") == "note"]
        assert len(notes) == 2
        assert first["id"] not in {o["id"] for o in notes}
    finally:
        await person.close()
