"""Purpose and consent at join, and withdrawal with a code (issue 10), on a real server over
real websockets and HTTP, on SQLite and PostgreSQL where the store is touched."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from board import i18n
from board.store import tables
from board.store.details import update_details
from tests.conftest import RunningServer
from tests.support import BoardClient, Workshop, create_workshop, rows

PURPOSE = {
    "statement": {
        "en": "We are planning the new library in Y Fenni.\nYour notes go into the plan we publish.",
        "cy": "Rydyn ni'n cynllunio'r llyfrgell newydd yn y Fenni.\nBydd eich nodiadau'n mynd i'r cynllun.",
    },
    "audience": {"en": "The library team and the town council.", "cy": "Tîm y llyfrgell a chyngor y dref."},
    "contact": "llyfrgell@example.org",
}
WELSH_MONTHS = (
    "Ionawr Chwefror Mawrth Ebrill Mai Mehefin Gorffennaf Awst Medi Hydref Tachwedd Rhagfyr".split()
)
SOON, LATER = date.today() + timedelta(days=30), date.today() + timedelta(days=60)
YESTERDAY = date.today() - timedelta(days=1)
CODE = re.compile(r"\b([A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4})\b")


def as_member(server: RunningServer, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=server.base_url, headers={"Authorization": f"Bearer {token}"})


async def set_purpose(server: RunningServer, workshop: Workshop, body: dict[str, Any]) -> httpx.Response:
    async with as_member(server, workshop.facilitator_token) as http:
        return await http.put(f"/api/workshops/{workshop.id}/purpose", json=body)


async def joined(server: RunningServer, workshop: Workshop) -> tuple[str, str]:
    """A participant joined over the API: (token, withdrawal code)."""
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.post("/api/join", json={"code": workshop.join_code})
    response.raise_for_status()
    data = response.json()
    return data["token"], data["withdrawal_code"]


async def every_row(database_url: str, but: Any = None) -> str:
    """Every row of every table (`but` one), as text: to look for what must not be there."""
    found = []
    for table in tables.Base.metadata.sorted_tables:
        if table is but:
            continue
        found += [repr(row) for row in await rows(database_url, select(table))]
    return "\n".join(found)


# --- purpose and consent at join -----------------------------------------------------------------


async def test_the_join_page_shows_the_purpose_in_english_and_in_welsh(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url, title="Llyfrgell newydd")
    assert (await set_purpose(server, workshop, PURPOSE)).status_code == 200
    code = workshop.join_code.replace("-", "")
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        english = await http.get(f"/j/{code}", headers={"Accept-Language": "en-GB"})
        welsh = await http.get(f"/j/{code}", headers={"Accept-Language": "cy"})
    assert english.status_code == welsh.status_code == 200
    assert "We are planning the new library in Y Fenni." in english.text
    assert "<p>Your notes go into the plan we publish.</p>" in english.text, "one paragraph a line"
    assert "The library team and the town council." in english.text
    assert "llyfrgell@example.org" in english.text
    assert i18n.translate("en", "join.button") in english.text
    assert "Rydyn ni&#39;n cynllunio&#39;r llyfrgell newydd yn y Fenni." in welsh.text
    assert "Tîm y llyfrgell a chyngor y dref." in welsh.text
    assert i18n.translate("cy", "join.button").replace("'", "&#39;") in welsh.text
    assert '<html lang="cy"' in welsh.text
    assert len(re.findall(r"<(?:input|textarea|select)\b", english.text)) == 0, "nothing is asked"
    assert len(re.findall(r"<button\b", english.text)) == 1, "one button to continue"


async def test_the_join_page_shows_a_templates_whole_purpose_in_both_languages(server: RunningServer) -> None:
    """What the template says the notes are for, how they will be used and who sees the record
    reaches the join page; the contact it leaves empty is asked for on the dashboard, and once
    the facilitator gives one the join page shows it."""
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        made = await http.post("/api/templates/engagement-network/workshops", json={})
    assert made.status_code == 201, made.text
    data = made.json()
    boards = [b["id"] for b in data["boards"]]
    workshop = Workshop(data["id"], data["join_code"], data["token"], boards, server.base_url)
    code = workshop.join_code.replace("-", "")
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        english = (await http.get(f"/j/{code}")).text
        welsh = (await http.get(f"/j/{code}", headers={"Accept-Language": "cy"})).text
    assert "<p>A vision for engagement: create a shared language" in english
    assert "<p>Your notes, votes and exit-poll words go into a record of the session" in english
    assert "The facilitators and the members of the engagement network." in english
    assert "<p>Gweledigaeth ar gyfer ymgysylltu" in welsh
    assert "<p>Bydd eich nodiadau, eich pleidleisiau a&#39;ch geiriau" in welsh
    assert "Yr hwyluswyr ac aelodau&#39;r rhwydwaith ymgysylltu." in welsh
    assert 'id="contact"' not in english, "no contact yet: the template leaves it to the facilitator"
    async with as_member(server, workshop.facilitator_token) as http:
        settings = (await http.get(f"/api/workshops/{workshop.id}/purpose")).json()
    assert settings["purpose"]["audience"]["cy"].startswith("Yr hwyluswyr")
    assert settings["purpose"]["contact"] == ""
    body = {key: settings["purpose"][key] for key in ("statement", "audience")}
    saved = await set_purpose(server, workshop, {**body, "contact": "rhwydwaith@example.org"})
    assert saved.status_code == 200, saved.text
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        english = (await http.get(f"/j/{code}")).text
    assert '<span id="contact">rhwydwaith@example.org</span>' in english
    assert "<p>Your notes, votes and exit-poll words go into a record of the session" in english


async def test_the_join_page_says_until_when_everything_is_kept(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    keep, cutoff = date.today() + timedelta(days=400), date.today() + timedelta(days=100)
    async with as_member(server, workshop.facilitator_token) as http:
        set_dates = await http.put(
            f"/api/workshops/{workshop.id}/retention",
            json={"keep_until": keep.isoformat(), "withdraw_until": cutoff.isoformat()},
        )
    assert set_dates.status_code == 200, set_dates.text
    assert (set_dates.json()["keep_until"], set_dates.json()["withdraw_until"]) == (
        keep.isoformat(),
        cutoff.isoformat(),
    )
    code = workshop.join_code.replace("-", "")
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        english = (await http.get(f"/j/{code}")).text
        welsh = (await http.get(f"/j/{code}", headers={"Accept-Language": "cy"})).text
    assert f"kept until {keep.day} {keep.strftime('%B')} {keep.year}, then erased" in english
    assert f"until {cutoff.day} {cutoff.strftime('%B')} {cutoff.year}." in english
    assert f"tan {keep.day} {WELSH_MONTHS[keep.month - 1]} {keep.year}" in welsh
    assert f"tan {cutoff.day} {WELSH_MONTHS[cutoff.month - 1]} {cutoff.year}." in welsh
    assert i18n.translate("en", "join.no_purpose") in english, "no purpose written yet: it says so"


async def test_an_english_only_purpose_is_shown_on_a_welsh_page_marked_as_english(
    server: RunningServer,
) -> None:
    workshop = await create_workshop(server.base_url)
    assert (
        await set_purpose(server, workshop, {"statement": {"en": "Only English here."}})
    ).status_code == 200
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        welsh = (await http.get(f"/j/{workshop.join_code}", headers={"Accept-Language": "cy"})).text
    assert '<div class="statement" id="statement" lang="en">' in welsh
    assert i18n.translate("cy", "join.english_only") in welsh


async def test_joining_shows_a_withdrawal_code_once_and_stores_only_its_hash(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url)
    code = workshop.join_code.replace("-", "")
    async with httpx.AsyncClient(base_url=server.base_url, headers={"Origin": server.base_url}) as http:
        page = await http.post(f"/j/{code}")
        again = await http.post(f"/j/{code}")
        reload = await http.get(f"/j/{code}")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    found = re.search(r'class="receipt-code"[^>]*>([^<]+)<', page.text)
    assert found is not None
    receipt = found.group(1)
    assert CODE.fullmatch(receipt)
    assert i18n.translate("en", "join.to_board") in page.text
    assert f'href="/b/{workshop.main}"' in page.text
    assert again.status_code == reload.status_code == 303, "a browser that joined is not shown a second code"
    assert again.headers["location"] == f"/b/{workshop.main}"

    stored = await rows(
        database_url,
        select(tables.participants.c.receipt_hash).where(tables.participants.c.role == "participant"),
    )
    plain = receipt.replace("-", "")
    assert stored == [(hashlib.sha256(f"receipt:{plain}".encode()).hexdigest(),)]
    everything = await every_row(database_url)
    assert plain not in everything
    assert receipt not in everything


async def test_the_code_page_switches_language_only_for_the_browser_that_holds_the_code(
    server: RunningServer,
) -> None:
    workshop = await create_workshop(server.base_url)
    code = workshop.join_code.replace("-", "")
    shown = r'class="receipt-code"[^>]*>([^<]+)<'
    origin = {"Origin": server.base_url}
    async with (
        httpx.AsyncClient(base_url=server.base_url, headers=origin) as carys,
        httpx.AsyncClient(base_url=server.base_url, headers=origin) as dafydd,
    ):
        carys_code = re.findall(shown, (await carys.post(f"/j/{code}")).text)[0]
        dafydd_code = re.findall(shown, (await dafydd.post(f"/j/{code}")).text)[0]

        welsh = await carys.post(f"/j/{code}", data={"receipt": carys_code, "lang": "cy"})
        assert welsh.status_code == 200
        assert re.findall(shown, welsh.text) == [carys_code], "the same code, to keep"
        assert '<html lang="cy"' in welsh.text
        assert i18n.translate("cy", "join.to_board") in html.unescape(welsh.text)
        assert welsh.headers["cache-control"] == "no-store"
        assert welsh.cookies.get(i18n.COOKIE) == "cy", "the choice is remembered like any switch"

        for body in (
            {"receipt": dafydd_code, "lang": "cy"},  # someone else's code: nothing shown
            {"receipt": "ABCD-EFGH-JKMN", "lang": "cy"},
            {"receipt": carys_code, "lang": "fr"},
            {},
        ):
            refused = await carys.post(f"/j/{code}", data=body)
            assert refused.status_code == 303, body
            assert refused.headers["location"] == f"/b/{workshop.main}"
            assert "receipt-code" not in refused.text


async def test_joining_over_the_api_gives_the_code_too(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    token, code = await joined(server, workshop)
    assert CODE.fullmatch(code)
    assert token != code


# --- the facilitator's settings ----------------------------------------------------------------------


async def test_each_purpose_version_is_kept_and_appears_in_the_record(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    first = await set_purpose(server, workshop, PURPOSE)
    same = await set_purpose(server, workshop, PURPOSE)
    second = await set_purpose(server, workshop, {**PURPOSE, "statement": {"en": "We changed our plans."}})
    assert first.status_code == same.status_code == second.status_code == 200
    data = second.json()
    assert [v["version"] for v in data["versions"]] == [1, 2], "saying the same again is no new version"
    assert data["purpose"]["statement"] == {"en": "We changed our plans.", "cy": None}
    assert data["purpose"]["contact"] == "llyfrgell@example.org"

    async with as_member(server, workshop.facilitator_token) as http:
        record = (await http.get(f"/api/workshops/{workshop.id}/export.json")).json()
        markdown = (await http.get(f"/api/workshops/{workshop.id}/export.md")).text
    assert [(v["version"], v["statement"]["en"][:12]) for v in record["workshop"]["purpose"]] == [
        (1, "We are plann"),
        (2, "We changed o"),
    ]
    assert record["workshop"]["purpose"][0]["audience"]["cy"] == "Tîm y llyfrgell a chyngor y dref."
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["workshop"]["purpose"][1]["since"])
    assert "## Purpose, as participants read it" in markdown


async def test_only_facilitators_set_the_purpose_and_the_dates(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    participant, _ = await joined(server, workshop)
    async with as_member(server, participant) as http:
        purpose = await http.put(f"/api/workshops/{workshop.id}/purpose", json=PURPOSE)
        dates = await http.put(f"/api/workshops/{workshop.id}/retention", json={"keep_until": "2099-01-01"})
        reading = await http.get(f"/api/workshops/{workshop.id}/purpose")
    async with httpx.AsyncClient(base_url=server.base_url) as stranger:
        anonymous = await stranger.put(f"/api/workshops/{workshop.id}/purpose", json=PURPOSE)
    assert (purpose.status_code, dates.status_code, reading.status_code) == (403, 403, 403)
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"statement": {"en": "  "}}, "statement.en", "too_short"),
        ({"statement": {"en": "x" * 1001}}, "statement.en", "too_long"),
        ({"statement": {"en": "ok"}, "contact": "c" * 201}, "contact", "too_long"),
        ({"statement": {"en": "ok"}, "colour": "red"}, "colour", "unknown_field"),
    ],
)
async def test_a_bad_purpose_is_refused_naming_the_field(
    server: RunningServer, body: dict[str, Any], field: str, code: str
) -> None:
    workshop = await create_workshop(server.base_url)
    refused = await set_purpose(server, workshop, body)
    assert refused.status_code == 400
    assert (refused.json()["error"]["field"], refused.json()["error"]["code"]) == (field, code)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"keep_until": "2001-01-01"}, "keep_until"),
        ({"keep_until": "2099-02-30"}, "keep_until"),
        ({"keep_until": "9999-01-01"}, "keep_until"),
        ({"keep_until": "19/03/2099"}, "keep_until"),
        ({"keep_until": SOON.isoformat(), "withdraw_until": LATER.isoformat()}, "withdraw_until"),
        ({"keep_until": SOON.isoformat(), "withdraw_until": "2001-01-01"}, "withdraw_until"),
        (
            {
                "keep_until": SOON.isoformat(),
                "withdraw_until": (date.today() - timedelta(days=1)).isoformat(),
            },
            "withdraw_until",
        ),
    ],
)
async def test_bad_dates_are_refused_naming_the_field(
    server: RunningServer, body: dict[str, Any], field: str
) -> None:
    workshop = await create_workshop(server.base_url)
    async with as_member(server, workshop.facilitator_token) as http:
        refused = await http.put(f"/api/workshops/{workshop.id}/retention", json=body)
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["field"] == field
    assert "note" not in refused.json()["error"]["message"], "a date is not worded as a note reference"


async def test_keep_until_is_never_put_back_past_what_someone_who_joined_was_told(
    server: RunningServer,
) -> None:
    """Brought forward, always; put back, only until the earliest date told to anyone who joined
    (before anyone joins, to any date). A withdrawal cut-off is today or later."""
    workshop = await create_workshop(server.base_url)

    def day(days: int) -> str:
        return (date.today() + timedelta(days=days)).isoformat()

    async def retain(keep: int, cutoff: int | None = None) -> httpx.Response:
        async with as_member(server, workshop.facilitator_token) as http:
            body = {"keep_until": day(keep), "withdraw_until": None if cutoff is None else day(cutoff)}
            return await http.put(f"/api/workshops/{workshop.id}/retention", json=body)

    assert (await retain(60)).status_code == 200
    first = await retain(400)
    assert first.status_code == 200, "nobody has joined: any date"
    assert first.json()["promised_until"] is None
    await joined(server, workshop)  # told: kept until day 400
    later = await retain(401)
    assert later.status_code == 400
    assert later.json()["error"] == {
        "code": "out_of_range",
        "field": "keep_until",
        "message": f"must be no later than {day(400)}: people who joined were told everything is erased "
        "by then (an earlier date is fine)",
    }
    shorter = await retain(300)
    assert shorter.status_code == 200, "bringing it forward is always fine"
    assert shorter.json()["promised_until"] == day(400)
    assert (await retain(350)).status_code == 200, "still before what the first person was told"
    await joined(server, workshop)  # told: kept until day 350
    assert (await retain(351)).json()["error"]["message"].startswith(f"must be no later than {day(350)}")
    assert (await retain(200, cutoff=0)).status_code == 200, "a cut-off today is fine"
    async with as_member(server, workshop.facilitator_token) as http:
        settings = (await http.get(f"/api/workshops/{workshop.id}/purpose")).json()
    assert (settings["keep_until"], settings["withdraw_until"], settings["promised_until"]) == (
        day(200),
        day(0),
        day(350),
    )
    past = await retain(200, cutoff=-1)
    assert past.status_code == 400
    assert past.json()["error"]["field"] == "withdraw_until"
    assert "today or later" in past.json()["error"]["message"]


# --- withdrawing with the code --------------------------------------------------------------------------


async def open_code(server: RunningServer, code: str, origin: bool = True) -> httpx.Response:
    headers = {"Origin": server.base_url} if origin else {}
    async with httpx.AsyncClient(base_url=server.base_url, headers=headers) as http:
        return await http.post("/api/withdrawal", json={"code": code})


async def take_back(server: RunningServer, **body: Any) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.base_url, headers={"Origin": server.base_url}) as http:
        return await http.post("/api/withdrawal/withdraw", json=body)


async def test_a_code_lists_what_its_holder_made_and_takes_back_some_then_all(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url, breakouts=1)
    token, code = await joined(server, workshop)
    other_token, _ = await joined(server, workshop)
    facilitator = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"voting": True}}))
    mine = await BoardClient(server.ws_url, workshop.main, token).connect()
    breakout = await BoardClient(server.ws_url, workshop.boards[1], token).connect()
    other = await BoardClient(server.ws_url, workshop.main, other_token).connect()
    await other.wait_acked(await other.create_note("theirs", text="Longer opening hours"))
    await mine.wait_acked(await mine.create_note("buses", text="More buses to the library"))
    await mine.wait_acked(await mine.create_note("quiet", text="A quiet room"))
    await mine.wait_acked(
        await mine.op({"kind": "create", "obj": {"type": "vote", "id": "v1", "target": "theirs"}})
    )
    await mine.wait_acked(
        await mine.op(
            {"kind": "create", "obj": {"type": "comment", "id": "c1", "target": "theirs", "text": "Yes!"}}
        )
    )
    kids = {"type": "note", "id": "kids", "x": 0, "y": 0, "text": "Story time for children"}
    # An op id of its own: the server deduplicates ops by (participant, op id) across boards.
    await breakout.wait_acked(await breakout.op({"kind": "create", "obj": kids}, op_id="breakout-1"))
    await other.wait_for(lambda: {"buses", "quiet", "c1"} <= set(other.objects))

    listed = await open_code(server, code.lower().replace("-", " "))
    assert listed.status_code == 200, listed.text
    data = listed.json()
    assert data["workshop"] == {"title": "Test workshop"}
    assert [(i["item"].split(":")[0], i["kind"], i["text"]) for i in data["items"]] == [
        ("0", "note", "More buses to the library"),
        ("0", "note", "A quiet room"),
        ("0", "vote", "Longer opening hours"),
        ("0", "comment", "Yes!"),
        ("1", "note", "Story time for children"),
    ]
    assert token not in listed.text
    assert "participant" not in listed.text

    some = await take_back(server, code=code, items=["0:buses", "0:v1", "0:theirs"])
    assert some.status_code == 200, some.text
    assert some.json()["withdrawn"] == 2, "their note and vote; someone else's note is not theirs to take"
    assert [i["text"] for i in some.json()["items"]] == ["A quiet room", "Yes!", "Story time for children"]
    await other.wait_for(lambda: "buses" not in other.objects)
    await facilitator.wait_for(lambda: "v1" not in facilitator.objects and "buses" not in facilitator.objects)
    assert "theirs" in other.objects

    async with as_member(server, workshop.facilitator_token) as http:
        record = (await http.get(f"/api/workshops/{workshop.id}/export.json")).json()
    assert sorted(n["text"] for n in record["notes"]) == [
        "A quiet room",
        "Longer opening hours",
        "Story time for children",
    ]
    assert record["summary"]["withdrawn"] == 2
    assert next(n for n in record["notes"] if n["text"] == "Longer opening hours")["votes"] == 0

    everything = await take_back(server, code=code, all=True)
    assert everything.json()["withdrawn"] == 3
    assert everything.json()["items"] == []
    await other.wait_for(lambda: set(other.notes()) == {"theirs"} and "c1" not in other.objects)
    await breakout.wait_for(lambda: breakout.notes() == {})

    async with as_member(server, workshop.facilitator_token) as http:
        record = (await http.get(f"/api/workshops/{workshop.id}/export.json")).json()
    assert [n["text"] for n in record["notes"]] == ["Longer opening hours"]
    assert record["summary"]["withdrawn"] == 5
    member_id = (
        await rows(
            database_url,
            select(tables.participants.c.id).where(
                tables.participants.c.token_hash == hashlib.sha256(token.encode()).hexdigest()
            ),
        )
    )[0][0]
    assert (
        await rows(database_url, select(tables.objects).where(tables.objects.c.author_id == member_id)) == []
    )
    assert await rows(database_url, select(tables.ops).where(tables.ops.c.participant_id == member_id)) == []
    text = await every_row(database_url)
    for words in ("More buses to the library", "A quiet room", "Story time for children", "Yes!"):
        assert words not in text, "gone from the op log too"


async def test_taking_a_note_back_takes_every_copy_of_it_whoever_made_the_copy(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    """Someone else's duplicate of my note, its pull into the main board and the facilitator's
    duplicate of that hold my words: they go with my note, from every board and the store."""
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url, breakouts=1)
    main, one = workshop.boards
    token, code = await joined(server, workshop)
    other_token, _ = await joined(server, workshop)
    mine = await BoardClient(server.ws_url, one, token).connect()
    await mine.wait_acked(await mine.create_note("lib", text="Drop-in at the library"))
    other = await BoardClient(server.ws_url, one, other_token).connect()
    await other.wait_for(lambda: "lib" in other.objects)
    copy = {
        "type": "note",
        "id": "dup",
        "x": 300,
        "y": 0,
        "text": "Drop-in at the library",
        "origin": {"id": "lib"},
    }
    await other.wait_acked(await other.op({"kind": "create", "obj": copy}))
    await other.wait_acked(await other.create_note("own", text="Longer opening hours"))
    async with as_member(server, workshop.facilitator_token) as http:
        pulled = await http.post(f"/api/workshops/{workshop.id}/pull", json={})
        assert pulled.json() == {"pulled": {"1": 3}}
    facilitator = await BoardClient(server.ws_url, main, workshop.facilitator_token).connect()
    pulled_lib = next(
        oid for oid, obj in facilitator.objects.items() if obj.get("origin") == {"id": "lib", "board": 1}
    )
    again = {**copy, "id": "again", "origin": {"id": pulled_lib}}
    await facilitator.wait_acked(await facilitator.op({"kind": "create", "obj": again}))

    taken = await take_back(server, code=code, all=True)
    assert taken.status_code == 200, taken.text
    assert taken.json()["withdrawn"] == 1, "one note of theirs; the copies were not theirs to count"
    await other.wait_for(lambda: set(other.notes()) == {"own"})
    await facilitator.wait_for(
        lambda: (
            [o["text"] for o in facilitator.objects.values() if o.get("type") == "note"]
            == ["Longer opening hours"]
        )
    )
    async with as_member(server, workshop.facilitator_token) as http:
        record = (await http.get(f"/api/workshops/{workshop.id}/export.json")).json()
    assert [n["text"] for n in record["notes"]] == ["Longer opening hours"]
    assert "Drop-in at the library" not in await every_row(database_url), "gone from the op log too"
    for client in (mine, other, facilitator):
        await client.close()


async def test_taking_everything_back_takes_copies_of_a_note_its_writer_had_deleted(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    """docs/categories.md: withdrawing takes a participant's notes "and every copy of them, on
    every board, whoever made the copy: a copy holds their words". Someone pastes my note onto
    their board; I delete mine (the paste still speaks for it in the record); then I take
    everything back: the paste holds my words, so it goes too."""
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url, breakouts=2)
    _, one, two = workshop.boards
    token, code = await joined(server, workshop)
    other_token, _ = await joined(server, workshop)
    mine = await BoardClient(server.ws_url, one, token).connect()
    await mine.wait_acked(await mine.create_note("lib", text="Drop-in at the library"))
    other = await BoardClient(server.ws_url, two, other_token).connect()
    paste = {"type": "note", "id": "pasted", "x": 0, "y": 0, "text": "Drop-in at the library"}
    await other.wait_acked(
        await other.op({"kind": "create", "obj": {**paste, "origin": {"id": "lib", "board": 1}}})
    )
    await mine.wait_acked(await mine.op({"kind": "delete", "id": "lib"}))

    taken = await take_back(server, code=code, all=True)
    assert taken.status_code == 200, taken.text
    async with as_member(server, workshop.facilitator_token) as http:
        record = (await http.get(f"/api/workshops/{workshop.id}/export.json")).json()
    assert [n["text"] for n in record["notes"]] == [], "their words are nowhere in the record"
    await other.wait_for(lambda: other.notes() == {})
    for client in (mine, other):
        await client.close()


async def test_a_wrong_code_an_expired_code_and_a_gone_workshop_get_one_answer(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url)
    _, expired = await joined(server, workshop)
    other = await create_workshop(server.base_url)
    _, deleted = await joined(server, other)
    _, working = await joined(server, other)
    assert (await open_code(server, working)).status_code == 200

    await server.call(update_details(server.services.database, workshop.id, {"withdraw_until": 1_000}))
    async with as_member(server, other.facilitator_token) as http:
        assert (await http.delete(f"/api/workshops/{other.id}")).status_code == 204

    answers = [
        await open_code(server, code)
        for code in ("ABCD-EFGH-JKMN", expired, deleted, "not a code at all", "0000-0000-0000")
    ]
    assert [a.status_code for a in answers] == [404] * 5
    assert len({a.text for a in answers}) == 1, "nothing tells one failure from another"
    assert answers[0].json()["error"] == {
        "code": "not_found",
        "field": "code",
        "message": "that code does not open anything here; check it and try again",
    }
    refused = await take_back(server, code=expired, all=True)
    assert (refused.status_code, refused.text) == (404, answers[0].text)


async def test_guessing_codes_is_rate_limited(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    _, code = await joined(server, workshop)
    statuses = [
        (await open_code(server, f"ABCD-EFGH-{i:04d}".replace("0", "A"))).status_code for i in range(25)
    ]
    assert statuses[:19] == [404] * 19
    assert statuses[-1] == 429
    assert (await open_code(server, code)).status_code == 429, (
        "even a right code waits once the budget is spent"
    )


async def test_a_withdrawal_from_another_site_is_refused(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    _, code = await joined(server, workshop)
    async with httpx.AsyncClient(
        base_url=server.base_url, headers={"Origin": "https://evil.example"}
    ) as http:
        listed = await http.post("/api/withdrawal", json={"code": code})
        taken = await http.post("/api/withdrawal/withdraw", json={"code": code, "all": True})
    assert (listed.status_code, taken.status_code) == (403, 403)


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"code": "ABCD-EFGH-JKMN"}, "items", "missing_field"),
        ({"code": "ABCD-EFGH-JKMN", "all": True, "items": ["0:a"]}, "all", "bad_value"),
        ({"code": "ABCD-EFGH-JKMN", "items": ["not an item"]}, "items[0]", "bad_format"),
        ({"code": "ABCD-EFGH-JKMN", "items": []}, "items", "too_short"),
        ({"code": "x" * 65, "all": True}, "code", "too_long"),
    ],
)
async def test_a_bad_withdrawal_request_names_the_field(
    server: RunningServer, body: dict[str, Any], field: str, code: str
) -> None:
    answer = await take_back(server, **body)
    assert answer.status_code == 400, answer.text
    assert (answer.json()["error"]["field"], answer.json()["error"]["code"]) == (field, code)


async def test_withdrawing_everything_from_the_device_still_counts_for_the_record(
    server: RunningServer,
) -> None:
    workshop = await create_workshop(server.base_url)
    token, _ = await joined(server, workshop)
    socket = await BoardClient(server.ws_url, workshop.main, token).connect()
    await socket.wait_acked(await socket.create_note("a", text="one"))
    await socket.wait_acked(await socket.create_note("b", text="two"))
    async with as_member(server, token) as http:
        assert (await http.post(f"/api/workshops/{workshop.id}/withdraw")).json() == {"removed": 2}
    async with as_member(server, workshop.facilitator_token) as http:
        settings = (await http.get(f"/api/workshops/{workshop.id}/purpose")).json()
        record = (await http.get(f"/api/workshops/{workshop.id}/export.json")).json()
    assert settings["withdrawn"] == record["summary"]["withdrawn"] == 2


async def test_the_device_takes_back_nothing_after_the_cut_off_or_once_the_workshop_is_closed(
    server: RunningServer,
) -> None:
    """From the device, as with a code: nothing after the facilitator's cut-off; and once the
    workshop is closed the code is the way. Each refusal says why, and nothing goes."""
    late = await create_workshop(server.base_url)
    token, code = await joined(server, late)
    socket = await BoardClient(server.ws_url, late.main, token).connect()
    await socket.wait_acked(await socket.create_note("a", text="kept after the cut-off"))
    await server.call(update_details(server.services.database, late.id, {"withdraw_until": 86_400_000}))
    async with as_member(server, token) as http:
        refused = await http.post(f"/api/workshops/{late.id}/withdraw")
    assert refused.status_code == 403
    assert refused.json()["error"] == {
        "code": "read_only",
        "field": "",
        "message": "taking contributions back ended with 1970-01-01, the last day the facilitator allowed",
    }
    assert (await open_code(server, code)).status_code == 404, "the code is past the same cut-off"

    closed = await create_workshop(server.base_url)
    token, code = await joined(server, closed)
    other = await BoardClient(server.ws_url, closed.main, token).connect()
    await other.wait_acked(await other.create_note("b", text="written before the close"))
    async with as_member(server, closed.facilitator_token) as http:
        assert (await http.post(f"/api/workshops/{closed.id}/close")).status_code == 200
    async with as_member(server, token) as http:
        refused = await http.post(f"/api/workshops/{closed.id}/withdraw")
    assert refused.status_code == 403
    message = refused.json()["error"]["message"]
    assert message.startswith("the workshop is closed: take your words back with your withdrawal code")
    async with as_member(server, late.facilitator_token) as http:
        record = (await http.get(f"/api/workshops/{late.id}/export.json")).json()
    assert [n["text"] for n in record["notes"]] == ["kept after the cut-off"]
    assert record["summary"]["withdrawn"] == 0
    assert other.objects.get("b", {}).get("text") == "written before the close"
    assert (await open_code(server, code)).status_code == 200, "the code still works until the cut-off"
    taken = await take_back(server, code=code, all=True)
    assert taken.json()["withdrawn"] == 1
    await socket.close()
    await other.close()


# --- a merged point belongs to everyone who raised it ------------------------------------------


async def merged_point(server: RunningServer) -> dict[str, Any]:
    """Two groups raise the same point on their own boards; each note gets a vote from someone
    else; the facilitator merges them into the note of board 1. Returns the people and sockets."""
    workshop = await create_workshop(server.base_url, breakouts=2)
    (ana, ana_code), (bryn, bryn_code), (voter, _) = [await joined(server, workshop) for _ in range(3)]
    for board in workshop.boards:
        facilitator = await BoardClient(server.ws_url, board, workshop.facilitator_token).connect()
        await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"voting": True}}))
        await facilitator.close()
    one = await BoardClient(server.ws_url, workshop.boards[1], ana).connect()
    two = await BoardClient(server.ws_url, workshop.boards[2], bryn).connect()
    await one.wait_acked(await one.create_note("fg1", text="Focus groups in planning"))
    await two.wait_acked(await two.create_note("fg2", text="planning focus group"))
    votes = {}
    for number, target in ((1, "fg1"), (2, "fg2")):
        voting = await BoardClient(server.ws_url, workshop.boards[number], voter).connect()
        vote = {"type": "vote", "id": f"v{number}", "target": target}
        await voting.wait_acked(await voting.op({"kind": "create", "obj": vote}, op_id=f"vote-{number}"))
        votes[number] = voting
    # Ana also votes for her own point: that vote is hers, and goes when she withdraws.
    await one.wait_acked(
        await one.op({"kind": "create", "obj": {"type": "vote", "id": "va", "target": "fg1"}})
    )
    watcher = await BoardClient(server.ws_url, workshop.boards[1], voter).connect()
    async with as_member(server, workshop.facilitator_token) as http:
        merged = await http.post(
            f"/api/workshops/{workshop.id}/duplicates/merge",
            json={"notes": ["1:fg1", "2:fg2"], "keep": "1:fg1"},
        )
    assert merged.status_code == 200, merged.text
    assert merged.json()["groups"] == [1, 2]
    assert merged.json()["votes"] == 3
    await watcher.wait_for(lambda: watcher.objects.get("fg1", {}).get("groups") == [1, 2])
    return {
        "workshop": workshop,
        "ana": (ana, ana_code),
        "bryn": (bryn, bryn_code),
        "watcher": watcher,
        "sockets": [one, two, watcher, *votes.values()],
    }


async def record_of(server: RunningServer, workshop: Workshop) -> dict[str, Any]:
    async with as_member(server, workshop.facilitator_token) as http:
        found: dict[str, Any] = (await http.get(f"/api/workshops/{workshop.id}/export.json")).json()
        return found


def votes_on(client: BoardClient, note: str) -> int:
    return sum(
        1 for obj in client.objects.values() if obj.get("type") == "vote" and obj.get("target") == note
    )


async def member_of(database_url: str, token: str) -> str:
    found = await rows(
        database_url,
        select(tables.participants.c.id).where(
            tables.participants.c.token_hash == hashlib.sha256(token.encode()).hexdigest()
        ),
    )
    member: str = found[0][0]
    return member


async def test_withdrawing_the_kept_note_of_a_merged_point_passes_it_to_the_other_group(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    point = await merged_point(server)
    workshop, watcher = point["workshop"], point["watcher"]
    ana, ana_code = point["ana"]

    taken = await take_back(server, code=ana_code, all=True)
    assert taken.json()["withdrawn"] == 2, "her note (her share of the point) and her vote"
    # Every socket on the board sees the point stay, in Bryn's words, raised by his group only,
    # with the other voters' votes.
    await watcher.wait_for(
        lambda: (
            watcher.objects.get("fg1", {}).get("text") == "planning focus group"
            and "va" not in watcher.objects
        )
    )
    assert watcher.objects["fg1"].get("groups") == [2]
    assert votes_on(watcher, "fg1") == 2, "the voter's two votes (a vote is seen by its voter only)"
    record = await record_of(server, workshop)
    (note,) = record["notes"]
    assert (note["text"], note["votes"]) == ("planning focus group", 2)
    assert record["summary"]["withdrawn"] == 2
    ana_id = await member_of(database_url, ana)
    everything = await every_row(database_url)
    assert "Focus groups in planning" not in everything, "her words are gone, op log included"
    assert ana_id not in await every_row(database_url, but=tables.participants), (
        "nothing but her own (anonymous) participant row names her: nothing links what is left to her"
    )

    # Bryn now holds the point; when he, its last contributor, withdraws, it goes, votes and all.
    bryn, bryn_code = point["bryn"]
    listed = (await open_code(server, bryn_code)).json()["items"]
    assert [(i["item"], i["kind"], i["text"]) for i in listed] == [("1:fg1", "note", "planning focus group")]
    assert (await take_back(server, code=bryn_code, all=True)).json()["withdrawn"] == 1
    await watcher.wait_for(lambda: "fg1" not in watcher.objects and votes_on(watcher, "fg1") == 0)
    record = await record_of(server, workshop)
    assert record["notes"] == []
    assert record["summary"]["withdrawn"] == 3
    everything = await every_row(database_url)
    assert "planning focus group" not in everything
    assert await member_of(database_url, bryn) not in await every_row(database_url, but=tables.participants)
    for socket in point["sockets"]:
        await socket.close()


async def test_withdrawing_a_note_merged_into_another_takes_only_that_groups_share(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    point = await merged_point(server)
    workshop, watcher = point["workshop"], point["watcher"]
    bryn, bryn_code = point["bryn"]
    async with as_member(server, workshop.facilitator_token) as http:
        before = (await http.get(f"/api/workshops/{workshop.id}/duplicates")).json()
    assert before["groups"] == 2, "boards 1 and 2 raised something"

    listed = (await open_code(server, bryn_code)).json()["items"]
    assert [(i["kind"], i["text"]) for i in listed] == [("note", "planning focus group")], (
        "his note, merged into another, is still his to take back"
    )
    some = await take_back(server, code=bryn_code, items=[listed[0]["item"]])
    assert some.json()["withdrawn"] == 1
    assert some.json()["items"] == []
    await watcher.wait_for(lambda: watcher.objects.get("fg1", {}).get("groups") == [1])
    assert watcher.objects["fg1"]["text"] == "Focus groups in planning"
    assert votes_on(watcher, "fg1") == 2, (
        "the voter still sees both their votes, the one cast on his note too"
    )
    record = await record_of(server, workshop)
    (note,) = record["notes"]
    assert (note["text"], note["votes"], note.get("groups", [1])) == ("Focus groups in planning", 3, [1])
    async with as_member(server, workshop.facilitator_token) as http:
        after = (await http.get(f"/api/workshops/{workshop.id}/duplicates")).json()
    assert after["groups"] == 1, "his group raised nothing any more"
    everything = await every_row(database_url)
    assert "planning focus group" not in everything, "his words are gone, op log included"
    assert await member_of(database_url, bryn) not in await every_row(database_url, but=tables.participants)

    _, ana_code = point["ana"]
    assert (await take_back(server, code=ana_code, all=True)).json()["withdrawn"] == 2
    await watcher.wait_for(lambda: "fg1" not in watcher.objects and votes_on(watcher, "fg1") == 0)
    assert "Focus groups in planning" not in await every_row(database_url)
    for socket in point["sockets"]:
        await socket.close()


async def test_things_made_in_the_same_millisecond_are_listed_as_made_before_and_after_a_restart(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    """A batch is applied at one time, so what it makes shares a millisecond: the list keeps
    the order it was made in, not the ids' order, live and once the board is read back from
    the store (the board's objects then come back in id order)."""
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url)
    token, code = await joined(server, workshop)
    mine = await BoardClient(server.ws_url, workshop.main, token).connect()
    made = ["zebra", "moth", "ant"]
    creates = [
        {"kind": "create", "obj": {"type": "note", "id": oid, "x": 0, "y": 0, "text": f"The {oid}"}}
        for oid in made
    ]
    await mine.wait_acked(await mine.op({"kind": "batch", "ops": creates}))
    await mine.wait_acked(await mine.op({"kind": "update", "id": "zebra", "props": {"text": "Crossing"}}))
    await mine.close()

    async def listed() -> list[str]:
        response = await open_code(server, code)
        assert response.status_code == 200, response.text
        return [item["item"] for item in response.json()["items"]]

    assert await listed() == [f"0:{oid}" for oid in made], "an update leaves where a thing was made"
    server.stop()
    server = make_server(database_url=server.settings.database_url)
    assert await listed() == [f"0:{oid}" for oid in made]
