"""The facilitator's workshop-wide actions over HTTP against a running server (issue 4), with
participants on real websockets: workshops from templates, breakout boards, allocation and
`goto` notices, moving one person, everyone back, the gallery pull, closing; every action
refused to a participant and to a stranger."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from board.core.taxonomies import WAKEFIELD
from board.services.templates import templates
from tests.conftest import ROOT, RunningServer
from tests.support import BoardClient, Workshop, create_workshop, join


@dataclass
class Facilitator:
    server: RunningServer
    workshop: Workshop

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.workshop.facilitator_token}"}

    async def get(self, path: str, token: str | None = None) -> httpx.Response:
        async with httpx.AsyncClient(base_url=self.server.base_url) as http:
            return await http.get(path, headers=_bearer(token) if token else self.headers)

    async def post(
        self, path: str, body: dict[str, Any] | None = None, token: str | None = None
    ) -> httpx.Response:
        async with httpx.AsyncClient(base_url=self.server.base_url) as http:
            return await http.post(path, json=body or {}, headers=_bearer(token) if token else self.headers)

    def api(self, action: str) -> str:
        return f"/api/workshops/{self.workshop.id}/{action}"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def from_template(server: RunningServer, key: str, **body: Any) -> tuple[Facilitator, dict[str, Any]]:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.post(f"/api/templates/{key}/workshops", json=body)
    assert response.status_code == 201, response.text
    data = response.json()
    workshop = Workshop(
        data["id"], data["join_code"], data["token"], [b["id"] for b in data["boards"]], server.base_url
    )
    return Facilitator(server, workshop), data


def notices(client: BoardClient) -> list[dict[str, Any]]:
    return [message for message in client.received if message["type"] == "notice"]


def objects_of(client: BoardClient, kind: str) -> list[dict[str, Any]]:
    return [obj for oid, obj in client.objects.items() if oid != "__settings__" and obj.get("type") == kind]


@pytest.fixture
async def people() -> AsyncIterator[list[BoardClient]]:
    """Sockets a test opens, closed at its end."""
    opened: list[BoardClient] = []
    yield opened
    for client in opened:
        await client.close()


async def on_board(opened: list[BoardClient], server: RunningServer, board: str, token: str) -> BoardClient:
    client = await BoardClient(server.ws_url, board, token).connect()
    opened.append(client)
    return client


# --- templates ----------------------------------------------------------------------------------


async def test_a_workshop_from_a_template_is_laid_out_on_every_board(
    make_server: Callable[..., RunningServer], database_url: str, people: list[BoardClient]
) -> None:
    server = make_server(database_url=database_url)
    facilitator, created = await from_template(server, "engagement-network", lang="cy")
    assert created["title"] == "Adeiladu rhwydwaith ymgysylltu"
    assert [board["number"] for board in created["boards"]] == [0, 1, 2, 3]
    assert created["dashboard_url"].endswith(f"/w/{created['id']}/dashboard")
    main = await on_board(people, server, facilitator.workshop.main, facilitator.workshop.facilitator_token)
    columns = [frame for frame in objects_of(main, "frame") if frame.get("category")]
    assert [frame["category"] for frame in columns] == list(WAKEFIELD.keys)
    assert [frame["title"] for frame in columns][:2] == ["Rhoi Gwybodaeth", "Casglu Gwybodaeth"]
    assert len(objects_of(main, "definition")) == 6
    assert main.objects["__settings__"]["title"] == "Prif fwrdd"
    participant = await on_board(
        people, server, facilitator.workshop.boards[2], await join(facilitator.workshop)
    )
    assert participant.objects["__settings__"]["title"] == "Bwrdd 2"
    prompt = objects_of(participant, "text")[0]["text"]
    assert prompt.startswith("Bwrdd 2: rhestrwch bob ymgysylltiad")
    details = (await server.call(server.services.directory.workshop(facilitator.workshop.id))).details
    assert details["poll_question"]["en"].startswith("Write one or two words")
    assert details["purpose"]["cy"].startswith("Gweledigaeth")
    assert details["taxonomy"] == "wakefield"
    assert details["vote_budget"] == 3
    record = json.loads((await facilitator.get(facilitator.api("export.json"))).text)
    assert record["workshop"]["template"] == "engagement-network"
    assert any("Every engagement in the last 2 years" in line for line in record["workshop"]["agenda"])


async def test_a_bilingual_templates_board_text_reaches_everyone_in_both_languages_until_rewritten(
    make_server: Callable[..., RunningServer], database_url: str, people: list[BoardClient]
) -> None:
    """The board text of a template in English and Welsh reaches every socket in both languages
    (each page shows its own); rewritten by someone, it is their words alone, for everyone,
    and stays so when the board is read again from the store."""
    server = make_server(database_url=database_url)
    facilitator, _ = await from_template(server, "take-part-dialogue", lang="en", breakouts=1)
    breakout = facilitator.workshop.boards[1]
    reader = await on_board(people, server, breakout, await join(facilitator.workshop))
    prompt = objects_of(reader, "text")[0]
    assert prompt["text"].startswith("Group 1: what do we mean by active citizenship?")
    assert prompt["texts"]["cy"].startswith("Grŵp 1: beth rydyn ni'n ei olygu wrth ddinasyddiaeth weithgar?")
    frames = {frame["title"]: frame.get("titles") for frame in objects_of(reader, "frame")}
    assert frames["Active citizenship means..."] == {
        "en": "Active citizenship means...",
        "cy": "Mae dinasyddiaeth weithgar yn golygu...",
    }
    settings = reader.objects["__settings__"]
    assert (settings["title"], settings["titles"]) == ("Group 1", {"en": "Group 1", "cy": "Grŵp 1"})

    writer = await on_board(people, server, breakout, facilitator.workshop.facilitator_token)
    changed = {"kind": "update", "id": prompt["id"], "props": {"text": "Our question: who decides?"}}
    await writer.wait_acked(await writer.op(changed))
    meaning = next(f for f in objects_of(writer, "frame") if f["title"] == "Active citizenship means...")
    await writer.wait_acked(await writer.op({"kind": "update", "id": meaning["id"], "props": {"x": 50.0}}))
    await reader.wait_for(lambda: reader.objects[prompt["id"]]["text"] == "Our question: who decides?")
    assert reader.objects[prompt["id"]].get("texts") is None, "the translations went with the patch"
    # So does the board's title, renamed by a facilitator.
    await writer.wait_acked(await writer.op({"kind": "settings", "props": {"title": "Who decides"}}))
    await reader.wait_for(lambda: reader.objects["__settings__"]["title"] == "Who decides")
    assert reader.objects["__settings__"].get("titles") is None
    again = await on_board(people, server, breakout, facilitator.workshop.facilitator_token)
    assert "texts" not in again.objects[prompt["id"]]
    assert "titles" not in again.objects["__settings__"]
    moved = again.objects[meaning["id"]]
    assert (moved["x"], moved["titles"]["cy"]) == (50.0, "Mae dinasyddiaeth weithgar yn golygu..."), (
        "a move keeps them"
    )


async def test_the_templates_are_listed_and_an_unknown_one_is_refused(server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        listed = (await http.get("/api/templates")).json()
        missing = await http.post("/api/templates/no-such-session/workshops", json={})
        bad = await http.post("/api/templates/engagement-network/workshops", json={"lang": "fr"})
    keys = [template["key"] for template in listed["templates"]]
    assert keys == ["coproduction-spectrum", "engagement-network", "take-part-dialogue"]
    assert [template["languages"] for template in listed["templates"]] == [["en", "cy"]] * 3
    assert listed["invalid"] == []
    assert missing.status_code == 404
    assert missing.json()["error"] == {
        "code": "not_found",
        "field": "template",
        "message": "there is no template 'no-such-session'",
    }
    assert bad.status_code == 400
    assert bad.json()["error"]["field"] == "lang"


def test_an_invalid_template_is_listed_with_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("title: {en: A, cy: B}\npurpose: 7\n", encoding="utf-8")
    found = templates(tmp_path)
    assert found.plans == {}
    problems = [str(problem) for problem in found.invalid["broken"].problems]
    assert (
        f"{tmp_path}/broken.yaml, line 2: purpose: must be some text, or English and Welsh: "
        "{en: ..., cy: ...}" in problems
    )
    assert (
        f"{tmp_path}/broken.yaml, line 1: taxonomy: is required: a built-in key or a taxonomy of your own"
        in (problems)
    )


# --- breakouts -------------------------------------------------------------------------------------


async def test_allocation_sends_everyone_present_to_a_board_in_groups_of_the_chosen_size(
    make_server: Callable[..., RunningServer], database_url: str, people: list[BoardClient]
) -> None:
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url)
    facilitator = Facilitator(server, workshop)
    await on_board(people, server, workshop.main, workshop.facilitator_token)
    tokens = [await join(workshop) for _ in range(7)]
    participants = [await on_board(people, server, workshop.main, token) for token in tokens]
    present = (await facilitator.get(facilitator.api("present"))).json()
    assert present["count"] == 7, "the facilitator is not counted"
    assert present["boards"] == {"0": 7}
    names = {p["name"] for p in present["people"]}
    assert names == {client.welcome["you"]["name"] for client in participants}

    allocated = await facilitator.post(facilitator.api("allocate"), {"size": 2, "seed": 7})
    assert allocated.status_code == 200, allocated.text
    groups = allocated.json()["groups"]
    assert sorted(len(group["people"]) for group in groups) == [2, 2, 3], "rooms with 1 or 2 others"
    assert [group["number"] for group in groups] == [1, 2, 3], "boards opened as needed"
    boards = {board["number"]: board["id"] for board in allocated.json()["boards"]}
    for client, token in zip(participants, tokens, strict=True):
        await client.wait_for(lambda c=client: any(n["kind"] == "goto" for n in notices(c)))
        goto = notices(client)[-1]
        assert goto["board"] == boards[goto["number"]]
        assert goto["number"] in (1, 2, 3)
        where = (await facilitator.get(facilitator.api("where"), token=token)).json()
        assert where == {"board": goto["board"], "number": goto["number"]}, "a reconnecting page finds it"
    by_board = {n: sum(1 for c in participants if notices(c)[-1]["number"] == n) for n in (1, 2, 3)}
    assert sorted(by_board.values()) == [2, 2, 3]

    again = await facilitator.post(facilitator.api("allocate"), {"size": 2, "seed": 7})
    assert again.json()["groups"] == groups, "the same seed gives the same groups"


async def test_moving_one_person_and_everyone_back(server: RunningServer, people: list[BoardClient]) -> None:
    workshop = await create_workshop(server.base_url, breakouts=2)
    facilitator = Facilitator(server, workshop)
    tokens = [await join(workshop) for _ in range(3)]
    clients = [await on_board(people, server, workshop.main, token) for token in tokens]
    chosen = clients[1].welcome["you"]["cid"]
    moved = await facilitator.post(facilitator.api("move"), {"person": chosen, "board": 2})
    assert moved.json() == {"person": chosen, "name": clients[1].welcome["you"]["name"], "board": 2}
    await clients[1].wait_for(lambda: len(notices(clients[1])) == 1)
    assert notices(clients[1]) == [
        {"type": "notice", "kind": "goto", "board": workshop.boards[2], "number": 2}
    ]
    assert (await facilitator.get(facilitator.api("where"), token=tokens[1])).json()["number"] == 2
    assert (await facilitator.get(facilitator.api("where"), token=tokens[0])).json() == {
        "board": None,
        "number": None,
    }, "nobody sent them anywhere"
    await clients[0].wait_seq(0)
    assert notices(clients[0]) == [], "only the person moved is told"

    on_two = await on_board(people, server, workshop.boards[2], tokens[1])
    back = await facilitator.post(facilitator.api("back"))
    assert back.json() == {"board": workshop.main, "moved": 1, "boards": [0, 1, 2]}
    for client in (*clients, on_two):
        await client.wait_for(lambda c=client: any(n["number"] == 0 for n in notices(c)))
    assert (await facilitator.get(facilitator.api("where"), token=tokens[1])).json()["number"] == 0

    unknown = await facilitator.post(facilitator.api("move"), {"person": "nobody-1", "board": 1})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["field"] == "person"
    no_board = await facilitator.post(facilitator.api("move"), {"person": chosen, "board": 9})
    assert no_board.json()["error"] == {
        "code": "not_found",
        "field": "board",
        "message": "there is no board 9",
    }


async def test_everyone_back_from_chosen_boards_leaves_the_other_boards_where_they_are(
    server: RunningServer, people: list[BoardClient]
) -> None:
    """Ending two groups' breakout: those on boards 1 and 2 are sent to the main board and
    their allocations cleared; the person on board 3 is not told and stays allocated there."""
    workshop = await create_workshop(server.base_url, breakouts=3)
    facilitator = Facilitator(server, workshop)
    tokens = [await join(workshop) for _ in range(3)]
    on_main = [await on_board(people, server, workshop.main, token) for token in tokens]
    for number, client in enumerate(on_main, start=1):
        sent = await facilitator.post(
            facilitator.api("move"), {"person": client.welcome["you"]["cid"], "board": number}
        )
        assert sent.status_code == 200, sent.text
    on_breakouts = [
        await on_board(people, server, workshop.boards[number], token)
        for number, token in enumerate(tokens, start=1)
    ]

    back = await facilitator.post(facilitator.api("back"), {"boards": [1, 2]})
    assert back.json() == {"board": workshop.main, "moved": 2, "boards": [1, 2]}
    for client in on_breakouts[:2]:
        await client.wait_for(
            lambda c=client: any(n["kind"] == "goto" and n["number"] == 0 for n in notices(c))
        )
    # A message sent after "back" reaches board 3 after any goto would have: none came.
    await facilitator.post(facilitator.api("message"), {"boards": [3], "text": "carry on"})
    three = on_breakouts[2]
    await three.wait_for(lambda: any(n["kind"] == "message" for n in notices(three)))
    assert [n for n in notices(three) if n["kind"] == "goto" and n["number"] == 0] == []
    wheres = [
        (await facilitator.get(facilitator.api("where"), token=token)).json()["number"] for token in tokens
    ]
    assert wheres == [0, 0, 3]

    for boards, status, field in (([9], 404, "boards[0]"), ([], 400, "boards"), ("every", 400, "boards")):
        refused = await facilitator.post(facilitator.api("back"), {"boards": boards})
        assert (refused.status_code, refused.json()["error"]["field"]) == (status, field)
    assert (await facilitator.get(facilitator.api("where"), token=tokens[2])).json()["number"] == 3


async def test_opening_breakouts_adds_boards_laid_out_from_the_template_and_never_removes_any(
    server: RunningServer, people: list[BoardClient]
) -> None:
    facilitator, _ = await from_template(server, "take-part-dialogue")
    opened = await facilitator.post(facilitator.api("breakouts"), {"boards": 5})
    boards = opened.json()["boards"]
    assert [board["number"] for board in boards] == [0, 1, 2, 3, 4, 5]
    assert boards[:4] == [{"id": b, "number": n} for n, b in enumerate(facilitator.workshop.boards)]
    fewer = await facilitator.post(facilitator.api("breakouts"), {"boards": 1})
    assert [board["number"] for board in fewer.json()["boards"]] == [0, 1, 2, 3, 4, 5]
    five = await on_board(people, server, boards[5]["id"], facilitator.workshop.facilitator_token)
    assert five.objects["__settings__"]["title"] == "Group 5"
    assert {f["title"] for f in objects_of(five, "frame")} >= {"Active citizenship means..."}
    too_many = await facilitator.post(facilitator.api("breakouts"), {"boards": 51})
    assert too_many.status_code == 400
    assert too_many.json()["error"]["field"] == "boards"


# --- the gallery ----------------------------------------------------------------------------------


async def test_pulling_copies_each_boards_notes_into_a_numbered_frame_on_the_main_board(
    make_server: Callable[..., RunningServer], database_url: str, people: list[BoardClient]
) -> None:
    server = make_server(database_url=database_url)
    facilitator, _ = await from_template(server, "engagement-network")
    workshop = facilitator.workshop
    fac_main = await on_board(people, server, workshop.main, workshop.facilitator_token)
    writer = await on_board(people, server, workshop.boards[1], await join(workshop))
    other = await on_board(people, server, workshop.boards[2], await join(workshop))
    await writer.wait_acked(await writer.create_note("a", "Citizens' panel", 100, 100, color="pink"))
    await writer.wait_acked(
        await writer.create_note("b", "Satisfaction survey", 500, 100, category="getting_information")
    )
    await other.wait_acked(await other.create_note("a", "Drop-in at the library", 100, 100))
    fac_two = await on_board(people, server, workshop.boards[2], workshop.facilitator_token)
    await fac_two.wait_acked(await fac_two.op({"kind": "settings", "props": {"voting": True}}))
    await other.wait_acked(
        await other.op({"kind": "create", "obj": {"type": "vote", "id": "v1", "target": "a"}})
    )

    pulled = await facilitator.post(facilitator.api("pull"))
    assert pulled.json() == {"pulled": {"1": 2, "2": 1, "3": 0}}
    await fac_main.wait_for(lambda: len(objects_of(fac_main, "note")) == 3)
    frames = {f["title"]: f for f in objects_of(fac_main, "frame") if f["id"].startswith("gallery-")}
    assert set(frames) == {"Board 1", "Board 2", "Board 3"}
    copies = {note["text"]: note for note in objects_of(fac_main, "note")}
    assert copies["Citizens' panel"]["color"] == "pink"
    assert copies["Satisfaction survey"]["category"] == "getting_information"
    votes = objects_of(fac_main, "vote")
    assert [vote["target"] for vote in votes] == [copies["Drop-in at the library"]["id"]]

    again = await facilitator.post(facilitator.api("pull"), {"boards": [1]})
    assert again.json() == {"pulled": {"1": 0}}, "nothing twice"
    nothing = await facilitator.post(facilitator.api("pull"), {"boards": [7]})
    assert nothing.json()["error"] == {
        "code": "not_found",
        "field": "boards[0]",
        "message": "there is no breakout board 7",
    }


# --- closing ---------------------------------------------------------------------------------------


async def test_closing_makes_every_board_read_only_and_export_still_works(
    server: RunningServer, people: list[BoardClient]
) -> None:
    workshop = await create_workshop(server.base_url, breakouts=1)
    facilitator = Facilitator(server, workshop)
    participant = await on_board(people, server, workshop.boards[1], await join(workshop))
    await participant.wait_acked(await participant.create_note("n", "before closing"))
    closed = await facilitator.post(facilitator.api("close"))
    assert closed.status_code == 200
    await participant.wait_for(lambda: participant.objects["__settings__"].get("closed") is True)
    refused = await participant.create_note("m", "after closing")
    error = await participant.wait_error()
    assert (error["id"], error["code"]) == (refused, "read_only")
    fac = await on_board(people, server, workshop.main, workshop.facilitator_token)
    await fac.op({"kind": "create", "obj": {"type": "note", "id": "f", "x": 0, "y": 0}})
    assert (await fac.wait_error())["code"] == "read_only", "facilitators too"
    exported = await facilitator.get(facilitator.api("export.csv"))
    assert exported.status_code == 200
    assert "before closing" in exported.text
    info = await server.call(server.services.directory.workshop(workshop.id))
    assert info.closed_at == closed.json()["closed_at"]
    late = await facilitator.post(facilitator.api("breakouts"), {"boards": 3})
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "read_only"


async def test_the_join_link_is_a_qr_code(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    facilitator = Facilitator(server, workshop)
    response = await facilitator.get(facilitator.api("qr.svg"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.text.startswith("<svg")
    assert "<path" in response.text


# --- the presenter screen ----------------------------------------------------------------------


async def test_what_the_presenter_screens_show_reaches_facilitators_only_and_is_remembered(
    server: RunningServer, people: list[BoardClient]
) -> None:
    """A facilitator's choice reaches every facilitator's socket as a `presenter` notice, never
    a participant's, and a presenter screen that opens later asks for it."""
    workshop = await create_workshop(server.base_url, breakouts=2)
    facilitator = Facilitator(server, workshop)
    participant = await on_board(people, server, workshop.main, await join(workshop))
    screen = await on_board(people, server, workshop.main, workshop.facilitator_token)
    assert (await facilitator.get(facilitator.api("presenter"))).json() == {"show": None}

    switched = await facilitator.post(facilitator.api("presenter"), {"show": "board-2"})
    assert switched.json() == {"show": "board-2"}
    await screen.wait_for(lambda: any(n["kind"] == "presenter" for n in notices(screen)))
    assert [n for n in notices(screen) if n["kind"] == "presenter"] == [
        {"type": "notice", "kind": "presenter", "show": "board-2"}
    ]
    # A message sent afterwards reaches the participant after the notice would have: none came.
    await facilitator.post(facilitator.api("message"), {"boards": "main", "text": "look at the screen"})
    await participant.wait_for(lambda: any(n["kind"] == "message" for n in notices(participant)))
    assert [n for n in notices(participant) if n["kind"] == "presenter"] == []
    assert (await facilitator.get(facilitator.api("presenter"))).json() == {"show": "board-2"}

    for show, status in (("board-3", 404), ("board-51", 400), ("board-123", 400), ("everything", 400)):
        refused = await facilitator.post(facilitator.api("presenter"), {"show": show})
        assert (refused.status_code, refused.json()["error"]["field"]) == (status, "show"), show
    assert (await facilitator.get(facilitator.api("presenter"))).json() == {"show": "board-2"}


# --- refusals ------------------------------------------------------------------------------------


ACTIONS = [
    ("get", "present", None),
    ("post", "breakouts", {"boards": 2}),
    ("post", "allocate", {"size": 2}),
    ("post", "move", {"person": "x-1", "board": 0}),
    ("post", "back", {}),
    ("post", "pull", {}),
    ("post", "boards/settings", {"boards": "all", "settings": {"locked": True}}),
    ("post", "boards/timer", {"boards": "all", "timer": {"action": "start", "ms": 60_000}}),
    ("post", "message", {"boards": "all", "text": "hello"}),
    ("post", "close", {}),
    ("get", "qr.svg", None),
    ("get", "presenter", None),
    ("post", "presenter", {"show": "join"}),
]


@pytest.mark.parametrize(("method", "action", "body"), ACTIONS, ids=[a[1] for a in ACTIONS])
async def test_every_facilitator_action_is_refused_to_a_participant_and_a_stranger(
    server: RunningServer, method: str, action: str, body: dict[str, Any] | None
) -> None:
    workshop = await create_workshop(server.base_url, breakouts=1)
    participant = await join(workshop)
    path = f"/api/workshops/{workshop.id}/{action}"
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        as_participant = await http.request(method, path, json=body, headers=_bearer(participant))
        as_stranger = await http.request(method, path, json=body)
        cross_site = await http.request(
            method,
            path,
            json=body,
            headers={**_bearer(workshop.facilitator_token), "Origin": "https://evil.example"},
        )
    assert as_participant.status_code == 403
    assert as_participant.json()["error"] == {
        "code": "forbidden",
        "field": "",
        "message": "only facilitators may do this",
    }
    assert as_stranger.status_code == 401
    if method == "post":
        assert cross_site.status_code == 403
    info = await server.call(server.services.directory.workshop(workshop.id))
    assert info.closed_at is None
    assert len(info.boards) == 2, "nothing changed"


async def test_a_participant_stays_on_the_board_they_opened_until_someone_sends_them(
    server: RunningServer, people: list[BoardClient]
) -> None:
    """A facilitator posts "Group 3: <link>": who opens it stays on board 3 (`where` names no
    board), while someone sent to board 2 is still taken there. After "everyone back", a
    person who was offline goes to the main board on reconnecting, not to their breakout; once
    there, a link to a breakout board keeps them there again."""
    workshop = await create_workshop(server.base_url, breakouts=3)
    facilitator = Facilitator(server, workshop)
    linked, sent, offline = [await join(workshop) for _ in range(3)]

    async def where(token: str) -> Any:
        return (await facilitator.get(facilitator.api("where"), token=token)).json()["number"]

    await on_board(people, server, workshop.boards[3], linked)
    assert await where(linked) is None, "nobody sent them: the board they opened stands"

    for token, number in ((sent, 2), (offline, 1)):
        client = await on_board(people, server, workshop.main, token)
        cid = client.welcome["you"]["cid"]
        assert (await facilitator.post(facilitator.api("move"), {"person": cid, "board": number})).is_success
        await client.close()
    await on_board(people, server, workshop.boards[3], sent)
    assert await where(sent) == 2, "someone sent to board 2 is still followed there"

    back = await facilitator.post(facilitator.api("back"))
    assert back.json()["moved"] == 2
    assert [await where(token) for token in (linked, sent, offline)] == [0, 0, 0], (
        "after everyone back, everyone goes to the main board, whoever was offline too"
    )

    # Back on the main board, they have done what they were asked: the next round's link keeps
    # them on the board it opens.
    await on_board(people, server, workshop.main, offline)
    assert await where(offline) is None
    await on_board(people, server, workshop.boards[2], offline)
    assert await where(offline) is None


async def test_where_is_for_members_only(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.get(f"/api/workshops/{workshop.id}/where")
    assert response.status_code == 401


# --- the demo ----------------------------------------------------------------------------------


def run_demo_twice(url: str) -> list[str]:
    """`board migrate`, then `board demo` twice, as `make run` does on every start."""
    command = [sys.executable, "-m", "board.cli"]
    subprocess.run([*command, "migrate", "--database-url", url], cwd=ROOT, check=True, capture_output=True)
    return [
        subprocess.run(
            [*command, "demo", "--database-url", url, "--base-url", "http://board.example"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for _ in range(2)
    ]


async def test_the_demo_is_the_engagement_network_session_made_once(
    make_server: Callable[..., RunningServer], tmp_path: Path, people: list[BoardClient]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/demo.db"
    outputs = run_demo_twice(url)
    key = outputs[1].split("#key=")[1].split()[0]
    workshop_id = outputs[1].split("/w/")[1].split("/")[0]
    assert f"http://board.example/w/{workshop_id}/dashboard" in outputs[1]
    server = make_server(database_url=url)
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        admitted = await http.post(f"/api/workshops/{workshop_id}/facilitate", json={"key": key})
    assert admitted.status_code == 200, "the latest key works"
    workshop = await server.call(server.services.directory.workshop(workshop_id))
    assert workshop is not None
    assert workshop.template == "engagement-network"
    assert workshop.details["demo"] is True
    assert [board.number for board in workshop.boards] == [0, 1, 2, 3]
    assert await server.call(server.services.directory.workshop_ids_with_template("engagement-network")) == [
        workshop_id
    ], "made once"
    main = await on_board(people, server, workshop.main_board.id, admitted.json()["token"])
    assert len([f for f in objects_of(main, "frame") if f.get("category")]) == 6


async def test_allocating_and_moving_reach_people_on_every_process(
    make_server: Callable[..., RunningServer], postgres_url: str, redis_url: str, people: list[BoardClient]
) -> None:
    """The facilitator's request is served by a process with nobody on it: it still sees
    everyone (names only), and still sends each of them to their board."""
    answering, serving = (make_server(database_url=postgres_url, broker_url=redis_url) for _ in range(2))
    workshop = await create_workshop(serving.base_url, breakouts=2)
    facilitator = Facilitator(answering, workshop)
    screen = await on_board(people, serving, workshop.main, workshop.facilitator_token)
    tokens = [await join(workshop) for _ in range(4)]
    participants = [await on_board(people, serving, workshop.main, token) for token in tokens]

    present = (await facilitator.get(facilitator.api("present"))).json()
    assert present["count"] == 4, "the facilitator's socket on the other process is not counted"
    assert {p["name"] for p in present["people"]} == {c.welcome["you"]["name"] for c in participants}
    assert all(set(person) == {"cid", "name", "board"} for person in present["people"]), "no refs"

    allocated = await facilitator.post(facilitator.api("allocate"), {"size": 2, "seed": 3})
    assert allocated.status_code == 200, allocated.text
    for client in participants:
        await client.wait_for(lambda c=client: any(n["kind"] == "goto" for n in notices(c)))
    assert sorted(notices(c)[-1]["number"] for c in participants) == [1, 1, 2, 2]

    chosen = participants[0]
    target = 2 if notices(chosen)[-1]["number"] == 1 else 1
    moved = await facilitator.post(
        facilitator.api("move"), {"person": chosen.welcome["you"]["cid"], "board": target}
    )
    assert moved.status_code == 200, moved.text
    await chosen.wait_for(lambda: notices(chosen)[-1]["number"] == target)

    # What the presenter screens show, chosen on one process, reaches the facilitator's socket
    # on the other, which remembers it for a screen opened there later.
    shown = await facilitator.post(facilitator.api("presenter"), {"show": "gallery"})
    assert shown.status_code == 200, shown.text
    await screen.wait_for(lambda: any(n["kind"] == "presenter" for n in notices(screen)))
    assert [n["show"] for n in notices(screen) if n["kind"] == "presenter"] == ["gallery"]
    there = Facilitator(serving, workshop)
    assert (await there.get(there.api("presenter"))).json() == {"show": "gallery"}
