"""'What we heard' (issue 10): published by the facilitator, made from the record, in English
and Welsh, naming nobody, showing each participant their own notes on their own device only,
and following withdrawals."""

from __future__ import annotations

import asyncio
import base64
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import httpx
import msgspec

from board.core.model import Note, Vote
from board.core.record import BoardInput, Workshop, build_record
from board.core.taxonomies import WAKEFIELD, Bilingual
from board.services.heard import view
from tests.conftest import RunningServer
from tests.support import BoardClient, create_workshop

T0 = 1_773_914_400_000
NEXT = {
    "en": "We will share a draft plan by 30 June.\nThe council decides in September.",
    "cy": "Byddwn ni'n rhannu cynllun drafft erbyn 30 Mehefin.\nBydd y cyngor yn penderfynu ym mis Medi.",
}


def as_member(server: RunningServer, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(base_url=server.base_url, headers=headers)


async def publish(server: RunningServer, token: str, workshop_id: str, **body: Any) -> httpx.Response:
    async with as_member(server, token) as http:
        return await http.put(f"/api/workshops/{workshop_id}/heard", json=body)


def text_of(html: str) -> str:
    """The page's words as a reader meets them (tags and the config block left out)."""
    html = re.sub(r'<script type="application/json" id="config">.*?</script>', "", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


async def joined(server: RunningServer, code: str) -> str:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        token: str = (await http.post("/api/join", json={"code": code})).json()["token"]
        return token


async def a_workshop_that_happened(server: RunningServer) -> dict[str, Any]:
    """Two groups, notes in categories, votes, a point both groups raised, a private and a
    hidden note that must not appear."""
    workshop = await create_workshop(server.base_url, title="Llyfrgell y Fenni", breakouts=2)
    alice, bob = await joined(server, workshop.join_code), await joined(server, workshop.join_code)
    facilitator = await BoardClient(server.ws_url, workshop.boards[1], workshop.facilitator_token).connect()
    other_board = await BoardClient(server.ws_url, workshop.boards[2], workshop.facilitator_token).connect()
    for number, board in enumerate((facilitator, other_board)):
        # Op ids of their own: the server deduplicates by (participant, op id) across boards.
        await board.wait_acked(
            await board.op({"kind": "settings", "props": {"voting": True}}, f"vote-on-{number}")
        )
    one = await BoardClient(server.ws_url, workshop.boards[1], alice).connect()
    two = await BoardClient(server.ws_url, workshop.boards[2], bob).connect()

    async def create(client: BoardClient, obj: dict[str, Any]) -> None:
        await client.wait_acked(await client.op({"kind": "create", "obj": obj}, op_id=f"{obj['id']}-op"))

    async def note(client: BoardClient, oid: str, text: str, category: str | None = None) -> None:
        obj = {"type": "note", "id": oid, "x": 0, "y": 0, "text": text}
        await create(client, {**obj, "category": category} if category else obj)

    await note(one, "a1", "Longer opening hours", "participation")
    await note(one, "a2", "Gwell cymuned", "forums_for_debate")
    await note(one, "a3", "A newsletter through every door", "giving_information")
    await note(two, "b1", "well gymuned!", "forums_for_debate")
    await note(two, "b2", "Ask young people first", "participation")
    await note(two, "b3", "Something nobody sorted")
    await create(one, {"type": "vote", "id": "v1", "target": "a1"})
    await create(two, {"type": "vote", "id": "v2", "target": "b2"})
    await create(facilitator, {"type": "vote", "id": "v3", "target": "a1"})
    await note(one, "hidden", "Rude words")
    hide = {"kind": "update", "id": "hidden", "props": {"hidden": True}}
    await facilitator.wait_acked(await facilitator.op(hide))
    for client in (facilitator, other_board, one, two):
        await client.close()
    return {"workshop": workshop, "alice": alice, "bob": bob}


async def test_nothing_is_shown_until_the_facilitator_publishes_it(server: RunningServer) -> None:
    made = await a_workshop_that_happened(server)
    workshop = made["workshop"]
    async with as_member(server) as http:
        before = await http.get(f"/heard/{workshop.id}")
        qr_before = await http.get(f"/heard/{workshop.id}/qr.svg")
        nowhere = await http.get("/heard/nosuchworkshop")
    assert (before.status_code, qr_before.status_code, nowhere.status_code) == (404, 404, 404)

    async with as_member(server, made["alice"]) as http:
        assert (await http.get(f"/heard/{workshop.id}")).status_code == 404, "a participant waits too"
    async with as_member(server, workshop.facilitator_token) as http:
        preview = await http.get(f"/heard/{workshop.id}")
        preview_qr = await http.get(f"/heard/{workshop.id}/qr.svg")
    assert preview.status_code == 200
    assert "Preview: only facilitators see this page until it is published." in preview.text
    assert preview.headers["cache-control"] == "no-store"
    assert f'src="/heard/{workshop.id}/qr.svg"' in preview.text
    assert preview_qr.status_code == 200, "the preview's QR code is there for its facilitators"
    assert preview_qr.headers["content-type"].startswith("image/svg+xml")
    assert preview_qr.headers["cache-control"] == "no-store"
    assert b"<svg" in preview_qr.content
    async with as_member(server, made["alice"]) as http:
        assert (await http.get(f"/heard/{workshop.id}/qr.svg")).status_code == 404, "not for participants"

    refused = await publish(server, made["alice"], workshop.id, published=True)
    assert refused.status_code == 403, "participants cannot publish"
    done = await publish(server, workshop.facilitator_token, workshop.id, published=True, next_steps=NEXT)
    assert done.status_code == 200, done.text
    assert done.json()["published"] is True
    assert done.json()["url"].endswith(f"/heard/{workshop.id}")
    async with as_member(server) as http:
        page = await http.get(f"/heard/{workshop.id}")
        qr = await http.get(done.json()["qr"])
    assert page.status_code == 200
    assert 'id="preview"' not in page.text
    assert qr.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in qr.content

    await publish(server, workshop.facilitator_token, workshop.id, published=False)
    async with as_member(server) as http:
        assert (await http.get(f"/heard/{workshop.id}")).status_code == 404


async def test_the_page_shows_themes_top_votes_shared_points_and_what_happens_next_in_both_languages(
    server: RunningServer,
) -> None:
    made = await a_workshop_that_happened(server)
    workshop = made["workshop"]
    await publish(server, workshop.facilitator_token, workshop.id, published=True, next_steps=NEXT)
    async with as_member(server) as http:
        english = await http.get(f"/heard/{workshop.id}")
        welsh = await http.get(f"/heard/{workshop.id}", headers={"Accept-Language": "cy"})
    page, tudalen = text_of(english.text), text_of(welsh.text)

    assert "We will share a draft plan by 30 June." in page
    assert "<p>The council decides in September.</p>" in english.text
    assert "We heard 6 notes. They came from 2 groups." in page
    participation = page[page.index("Participation (2 notes)") :]
    assert participation.index("Longer opening hours 2 votes Ask young people first 1 vote") < 200
    debate = page[page.index("Forums for Debate (2 notes)") :]
    assert debate.index("Gwell cymuned raised in 2 of 2 groups well gymuned! raised in 2 of 2 groups") < 200
    assert "Giving Information (1 note)" in page
    assert "1 note is not sorted into a category yet." in page
    top = page[page.index("The ideas with most votes") :]
    assert top.startswith(
        "The ideas with most votes Longer opening hours 2 votes Ask young people first 1 vote"
    )
    shared = page[page.index("Points several groups raised") :]
    assert shared.startswith("Points several groups raised Gwell cymuned raised in 2 of 2 groups"), (
        "the Welsh-aware duplicate key joins 'well gymuned' to it"
    )
    assert "Rude words" not in page, "hidden by the facilitator"
    assert "In a word or two" not in page, "no exit poll answers: the section is left out"
    assert "Your notes" not in page, "a visitor took part on no device"

    assert "Byddwn ni'n rhannu cynllun drafft erbyn 30 Mehefin." in tudalen
    assert "Beth sy'n digwydd nesaf, ac erbyn pryd" in tudalen
    participation_cy = WAKEFIELD.category("participation").label.cy  # type: ignore[union-attr]
    assert f"{participation_cy} (2 nodyn)" in tudalen
    assert "codwyd gan 2 o'r 2 grŵp" in tudalen
    assert '<html lang="cy"' in welsh.text


async def test_a_participant_sees_their_own_notes_and_categories_only_on_their_own_device(
    server: RunningServer,
) -> None:
    made = await a_workshop_that_happened(server)
    workshop = made["workshop"]
    await publish(server, workshop.facilitator_token, workshop.id, published=True)
    async with as_member(server, made["alice"]) as http:
        alice = await http.get(f"/heard/{workshop.id}")
    async with as_member(server, made["bob"]) as http:
        bob = await http.get(f"/heard/{workshop.id}", headers={"Accept-Language": "cy"})
    async with as_member(server, workshop.facilitator_token) as http:
        facilitator = await http.get(f"/heard/{workshop.id}")
    yours = text_of(alice.text)
    mine = yours[yours.index("Your notes") : yours.index("Themes, by category")]
    assert "Longer opening hours Category: Participation" in mine
    assert "Gwell cymuned Category: Forums for Debate" in mine
    assert "Ask young people first" not in mine, "Bob's"
    assert "Rude words" not in mine, "hidden notes are not in the record"
    assert alice.headers["cache-control"] == "no-store"
    theirs = text_of(bob.text)
    assert "Eich nodiadau" in theirs
    assert "Something nobody sorted Heb gael ei roi mewn categori eto" in theirs
    assert "Your notes" not in text_of(facilitator.text), "a facilitator has no notes of their own here"
    for token in (made["alice"], made["bob"], workshop.facilitator_token):
        for page in (alice.text, bob.text, facilitator.text):
            assert token not in page


async def test_the_page_follows_withdrawals_and_shows_the_exit_poll(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url)
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        carys = (await http.post("/api/join", json={"code": workshop.join_code})).json()
        dafydd = (await http.post("/api/join", json={"code": workshop.join_code})).json()
    async with as_member(server, workshop.facilitator_token) as http:
        assert (await http.put(f"/api/workshops/{workshop.id}/poll", json={"open": True})).status_code == 200
    for person, word in ((carys, "gobeithiol"), (dafydd, "obeithiol"), (dafydd, "hopeful")):
        async with as_member(server, person["token"]) as http:
            answer = await http.post(f"/api/workshops/{workshop.id}/poll/entries", json={"text": word})
            assert answer.status_code == 201, answer.text
    socket = await BoardClient(server.ws_url, workshop.main, carys["token"]).connect()
    await socket.wait_acked(await socket.create_note("n", text="Mwy o feinciau", category="participation"))
    await publish(server, workshop.facilitator_token, workshop.id, published=True)

    async with as_member(server) as http:
        page = (await http.get(f"/heard/{workshop.id}")).text
    before = text_of(page)
    assert "Mwy o feinciau" in before
    words = before[before.index("In a word or two") :]
    assert "gobeithiol: 2" in words or "obeithiol: 2" in words, "mutations folded in the count"
    assert "hopeful: 1" in words
    shown, cloud = the_cloud(page)
    assert re.fullmatch(r"Word cloud of the exit poll: g?obeithiol 2, hopeful 1", shown), shown
    assert cloud.count("<text") == 2, "one word a box"
    by_word = {
        word: float(size) for size, word in re.findall(r'font-size="([0-9.]+)"[^>]*>([^<]+)</text>', cloud)
    }
    assert len(by_word) == 2, cloud
    folded = next(word for word in by_word if word.endswith("obeithiol"))
    assert by_word[folded] > by_word["hopeful"], "the word said twice is drawn bigger"

    async with httpx.AsyncClient(base_url=server.base_url, headers={"Origin": server.base_url}) as http:
        gone = await http.post(
            "/api/withdrawal/withdraw", json={"code": carys["withdrawal_code"], "all": True}
        )
    assert gone.json()["withdrawn"] == 2, "the note and the poll answer"
    async with as_member(server) as http:
        page = (await http.get(f"/heard/{workshop.id}")).text
    after = text_of(page)
    assert "Mwy o feinciau" not in after
    assert "obeithiol: 1" in after
    assert "No notes were added in this workshop." in after
    shown, cloud = the_cloud(page)
    assert shown.startswith("Word cloud of the exit poll: ")
    assert set(shown.removeprefix("Word cloud of the exit poll: ").split(", ")) == {
        "obeithiol 1",
        "hopeful 1",
    }, "its text follows the withdrawal"
    assert "gobeithiol" not in cloud


def the_cloud(page: str) -> tuple[str, str]:
    """The word cloud's image on a page: its text alternative, and the SVG it shows."""
    found = re.search(
        r'<figure class="cloud">\s*<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)">', page
    )
    assert found, "the page shows the word cloud as an image"
    return unescape(found.group(2)), base64.b64decode(found.group(1)).decode("utf-8")


def test_the_view_is_made_from_the_record_and_keeps_suggestions_out_of_the_themes() -> None:
    def note(oid: str, text: str, category: str | None = None, groups: tuple[int, ...] = ()) -> Note:
        data = {
            "type": "note",
            "id": oid,
            "x": 0,
            "y": 0,
            "text": text,
            "created": T0,
            "groups": list(groups),
        }
        if category:
            data["category"] = category
        return msgspec.convert(data, Note)

    set_up_days_before = T0 - 3 * 86_400_000
    record = build_record(
        workshop=Workshop(title="Prawf", starts_at=set_up_days_before),
        taxonomy=WAKEFIELD,
        boards=[
            BoardInput(1, (note("a", "Citizens' jury on parking", "empowerment", groups=(1, 2)),)),
            BoardInput(2, (note("b", "a satisfaction survey"), Vote(id="v", target="b"))),
        ],
        exported_at=T0,
    )
    page = view(record, "cy", Bilingual("Next", "Nesaf"), None)
    assert (page.notes, page.groups) == (2, 2)
    assert page.date == "2026-03-19", "the day people took part, not the day it was set up"
    assert [(t.key, t.count) for t in page.themes] == [("empowerment", 1)]
    assert page.unsorted == 1, "a suggested category is not a theme until someone confirms it"
    assert page.next_steps == ("Nesaf", "cy")
    assert [(n.text, n.raised_in) for n in page.shared] == [("Citizens' jury on parking", 2)]
    assert [n.text for n in page.top_voted] == ["a satisfaction survey"]
    assert page.themes[0].label == WAKEFIELD.category("empowerment").label.text("cy")  # type: ignore[union-attr]


async def test_the_page_is_built_once_until_a_board_moves_on(server: RunningServer) -> None:
    """Many visitors at once share one build; a new note makes the next visitor see it."""
    workshop = await create_workshop(server.base_url)
    token = await joined(server, workshop.join_code)
    socket = await BoardClient(server.ws_url, workshop.main, token).connect()
    await socket.wait_acked(await socket.create_note("a", text="First thought", category="participation"))
    await publish(server, workshop.facilitator_token, workshop.id, published=True)
    async with as_member(server) as http:
        pages = await asyncio.gather(*(http.get(f"/heard/{workshop.id}") for _ in range(8)))
        app: Any = server.server.config.loaded_app
        while not hasattr(app, "state"):
            app = app.app
        built = app.state.heard_pages._built[workshop.id]
        again = await http.get(f"/heard/{workshop.id}")
        assert app.state.heard_pages._built[workshop.id] is built, "nothing changed: no rebuild"
        await socket.wait_acked(
            await socket.create_note("b", text="Second thought", category="participation")
        )
        later = await http.get(f"/heard/{workshop.id}")
    assert all(page.text == pages[0].text for page in [*pages, again])
    assert "Second thought" not in pages[0].text
    assert "Second thought" in later.text
