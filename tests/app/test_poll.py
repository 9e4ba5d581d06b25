"""The exit poll on a real server (issue 6), over real websockets and HTTP, on SQLite and
PostgreSQL: opening and closing, the word rule with its message, counts, withdrawal, the
facilitator's rights, breakout boards, the live notice, the cloud and its exports."""

from __future__ import annotations

import asyncio
import base64
import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest
from PIL import Image
from sqlalchemy import select

from board import i18n
from board.store import tables
from tests.conftest import ROOT, RunningServer
from tests.support import BoardClient, Workshop, create_workshop, join

SVG = "{http://www.w3.org/2000/svg}"


def http(workshop: Workshop, token: str, base_url: str | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url or workshop.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )


def poll_notices(client: BoardClient) -> list[dict[str, Any]]:
    return [m for m in client.received if m["type"] == "notice" and m["kind"] == "poll"]


async def configure(workshop: Workshop, **body: Any) -> dict[str, Any]:
    async with http(workshop, workshop.facilitator_token) as facilitator:
        response = await facilitator.put(f"/api/workshops/{workshop.id}/poll", json=body)
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data


async def give(workshop: Workshop, token: str, text: str, **extra: Any) -> httpx.Response:
    async with http(workshop, token) as client:
        return await client.post(f"/api/workshops/{workshop.id}/poll/entries", json={"text": text, **extra})


async def poll_of(workshop: Workshop, token: str) -> dict[str, Any]:
    async with http(workshop, token) as client:
        response = await client.get(f"/api/workshops/{workshop.id}/poll")
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data


def counts(poll: dict[str, Any]) -> dict[str, int]:
    return {row["word"]: row["count"] for row in poll["counts"]}


async def test_the_poll_opens_for_every_board_answers_count_and_a_sentence_is_refused(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url, breakouts=1)
    on_main, on_breakout = await join(workshop), await join(workshop)
    main_socket = await BoardClient(server.ws_url, workshop.boards[0], on_main).connect()
    breakout_socket = await BoardClient(server.ws_url, workshop.boards[1], on_breakout).connect()

    closed = await give(workshop, on_main, "inspired")
    assert closed.status_code == 409
    assert closed.json()["error"]["code"] == "poll_closed"

    opened = await configure(
        workshop, open=True, question={"en": "One or two words?", "cy": "Un neu ddau air?"}
    )
    assert opened["open"] is True
    assert opened["words"] == 2
    assert opened["question"] == {"en": "One or two words?", "cy": "Un neu ddau air?"}
    for socket in (main_socket, breakout_socket):
        await socket.wait_for(
            lambda s=socket: any(
                n["open"] and n["question"]["cy"] == "Un neu ddau air?" for n in poll_notices(s)
            )
        )

    assert (await give(workshop, on_main, "Inspired")).status_code == 201
    assert (await give(workshop, on_breakout, " inspired! ")).status_code == 201, (
        "answered from a breakout board"
    )
    assert (await give(workshop, on_breakout, "gymuned")).status_code == 201
    assert (await give(workshop, on_main, "cymuned")).status_code == 201

    sentence = await give(workshop, on_main, "I really enjoyed today's session")
    assert sentence.status_code == 400
    error = sentence.json()["error"]
    assert error["code"] == "not_one_or_two_words"
    assert error["field"] == "text"
    assert "not a sentence" in error["message"]
    assert i18n.translate("en", "error.not_one_or_two_words") == "One or two words only, please."
    assert i18n.translate("cy", "error.not_one_or_two_words") == "Un neu ddau air yn unig, os gwelwch yn dda."

    expected = {"inspired": 2, "cymuned": 2}
    assert counts(await poll_of(workshop, on_breakout)) == expected
    for socket in (main_socket, breakout_socket):
        await socket.wait_for(lambda s=socket: any(counts(n) == expected for n in poll_notices(s)))
    assert all("I really" not in json.dumps(n) for n in poll_notices(main_socket)), (
        "the refusal was not stored"
    )

    mine = (await poll_of(workshop, on_breakout))["mine"]
    assert sorted(entry["text"] for entry in mine) == [" inspired! ", "gymuned"]

    await configure(workshop, open=False)
    await main_socket.wait_for(lambda: not poll_notices(main_socket)[-1]["open"])
    late = await give(workshop, on_main, "late")
    assert late.json()["error"]["code"] == "poll_closed"


async def test_answers_are_private_to_their_author_and_the_socket_path_keeps_the_rule(
    server: RunningServer,
) -> None:
    workshop = await create_workshop(server.base_url)
    alice, bob = await join(workshop), await join(workshop)
    await configure(workshop, open=True)
    alice_socket = await BoardClient(server.ws_url, workshop.main, alice).connect()
    bob_socket = await BoardClient(server.ws_url, workshop.main, bob).connect()
    facilitator = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()

    refused = await alice_socket.op(
        {"kind": "create", "obj": {"type": "pollword", "id": "p1", "text": "this is a whole sentence"}}
    )
    error = await alice_socket.wait_error()
    assert (error["id"], error["code"], error["field"]) == (refused, "not_one_or_two_words", "op.obj.text")

    seq = await alice_socket.wait_acked(
        await alice_socket.op({"kind": "create", "obj": {"type": "pollword", "id": "p2", "text": "hopeful"}})
    )
    await facilitator.wait_seq(seq)
    await bob_socket.wait_seq(seq)
    assert alice_socket.objects["p2"]["text"] == "hopeful"
    assert facilitator.objects["p2"]["text"] == "hopeful"
    assert "p2" not in bob_socket.objects, "nobody else sees who wrote what"
    assert counts(await poll_of(workshop, bob)) == {"hopeful": 1}

    async with http(workshop, bob) as client:
        taken = await client.delete(f"/api/workshops/{workshop.id}/poll/entries/p2")
        assert taken.status_code == 404
    async with http(workshop, alice) as client:
        assert (await client.delete(f"/api/workshops/{workshop.id}/poll/entries/p2")).status_code == 204
    assert counts(await poll_of(workshop, bob)) == {}


async def test_participants_are_refused_the_facilitators_actions(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    participant = await join(workshop)
    await configure(workshop, open=True)
    assert (await give(workshop, participant, "useful")).status_code == 201
    base = f"/api/workshops/{workshop.id}/poll"
    async with http(workshop, participant) as client:
        for response in (
            await client.put(base, json={"open": False}),
            await client.put(f"{base}/hidden", json={"word": "useful"}),
            await client.get(f"{base}/cloud.png"),
            await client.get(f"{base}/counts.csv"),
        ):
            assert response.status_code == 403
            assert response.json()["error"]["code"] == "forbidden"
        assert (await client.get(f"{base}/cloud.svg")).status_code == 200, "everyone sees the cloud"
    async with httpx.AsyncClient(base_url=server.base_url) as stranger:
        assert (await stranger.get(base)).status_code == 401
        assert (await stranger.post(f"{base}/entries", json={"text": "hi"})).status_code == 401
    assert (await poll_of(workshop, participant))["open"] is True


async def test_withdrawing_removes_a_participants_words_everywhere(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url, breakouts=1)
    leaving, staying = await join(workshop), await join(workshop)
    watcher = await BoardClient(server.ws_url, workshop.boards[1], staying).connect()
    await configure(workshop, open=True)
    for text in ("Secretword", "useful"):
        assert (await give(workshop, leaving, text)).status_code == 201
    assert (await give(workshop, staying, "useful")).status_code == 201
    await watcher.wait_for(
        lambda: any(counts(n) == {"useful": 2, "Secretword": 1} for n in poll_notices(watcher))
    )

    async with http(workshop, leaving) as client:
        withdrawn = await client.post(f"/api/workshops/{workshop.id}/withdraw")
        assert withdrawn.json()["removed"] == 2

    assert counts(await poll_of(workshop, staying)) == {"useful": 1}
    await watcher.wait_for(lambda: counts(poll_notices(watcher)[-1]) == {"useful": 1})

    async def stored() -> list[str]:
        async with server.services.database.read() as connection:
            objects = [row.data for row in await connection.execute(select(tables.objects.c.data))]
            ops = [row.effects or "" for row in await connection.execute(select(tables.ops.c.effects))]
        return objects + ops

    assert not any("Secretword" in text for text in await server.call(stored())), "erased, op log included"
    async with http(workshop, workshop.facilitator_token) as facilitator:
        record = (await facilitator.get(f"/api/workshops/{workshop.id}/export.json")).json()
    assert record["exit_poll"] == [{"word": "useful", "count": 1}]


async def test_hidden_and_blocked_words_are_counted_apart_for_the_facilitator(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    participant = await join(workshop)
    await configure(workshop, open=True)
    for text in ("useful", "Useful", "shite", "Shite!", "boring", "gymuned"):
        assert (await give(workshop, participant, text)).status_code == 201
    async with http(workshop, workshop.facilitator_token) as facilitator:
        hidden = await facilitator.put(f"/api/workshops/{workshop.id}/poll/hidden", json={"word": "Boring"})
        assert hidden.status_code == 200
        view = hidden.json()
        assert counts(view) == {"useful": 2, "gymuned": 1}
        assert view["hidden"] == [{"word": "boring", "count": 1}]
        assert view["blocked"] == {"answers": 2, "words": [{"word": "shite", "count": 2}]}
        nobody = await facilitator.put(f"/api/workshops/{workshop.id}/poll/hidden", json={"word": "absent"})
        assert nobody.status_code == 404
    assert (await give(workshop, participant, "BORING")).status_code == 201
    seen = await poll_of(workshop, participant)
    assert counts(seen) == {"useful": 2, "gymuned": 1}
    assert "hidden" not in seen, "participants see only the cloud"
    assert "blocked" not in seen
    async with http(workshop, workshop.facilitator_token) as facilitator:
        shown = await facilitator.put(
            f"/api/workshops/{workshop.id}/poll/hidden", json={"word": "boring", "hidden": False}
        )
        assert counts(shown.json()) == {"boring": 2, "useful": 2, "gymuned": 1}


async def test_the_cloud_comes_as_svg_png_csv_and_in_the_record(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url, title="Cyfarfod y gymuned")
    participant = await join(workshop)
    await configure(workshop, open=True)
    for text in ("gŵr", "Gŵr", "=cmd", "hapus iawn"):
        assert (await give(workshop, participant, text)).status_code == 201
    poll = await poll_of(workshop, participant)
    base = f"/api/workshops/{workshop.id}/poll"
    async with http(workshop, participant) as client:
        svg = await client.get(f"{base}/cloud.svg", params={"v": poll["cloud"], "lang": "cy"})
        assert svg.headers["content-type"].startswith("image/svg+xml")
        assert "immutable" in svg.headers["cache-control"]
        root = ElementTree.fromstring(svg.content)
        assert root.find(f"{SVG}title").text == i18n.translate("cy", "poll.cloud_title")  # type: ignore[union-attr]
        assert sorted(t.text or "" for t in root.iter(f"{SVG}text")) == ["cmd", "gŵr", "hapus iawn"]
        again = await client.get(f"{base}/cloud.svg", params={"v": poll["cloud"], "lang": "cy"})
        assert again.content == svg.content
    async with http(workshop, workshop.facilitator_token) as facilitator:
        png = await facilitator.get(f"{base}/cloud.png", params={"download": "1"})
        assert png.headers["content-type"] == "image/png"
        assert 'filename="cyfarfod-y-gymuned-word-cloud-' in png.headers["content-disposition"]
        image = Image.open(io.BytesIO(png.content))
        width, height = image.size
        svg_width = float(root.get("width", "0"))
        assert width == round(svg_width * 2)
        assert height > 0
        table = await facilitator.get(f"{base}/counts.csv")
        assert table.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
        assert rows == [["word", "count"], ["gŵr", "2"], ["cmd", "1"], ["hapus iawn", "1"]]
        record = (await facilitator.get(f"/api/workshops/{workshop.id}/export.json")).json()
        assert record["exit_poll"] == [
            {"word": "gŵr", "count": 2},
            {"word": "cmd", "count": 1},
            {"word": "hapus iawn", "count": 1},
        ]
        report = await facilitator.get(f"/api/workshops/{workshop.id}/export.html")
        assert 'class="wordcloud"><img src="data:image/svg+xml' in report.text


async def test_a_burst_of_answers_makes_few_notices_and_each_cloud_is_drawn_once(
    server: RunningServer,
) -> None:
    workshop = await create_workshop(server.base_url)
    tokens = [await join(workshop) for _ in range(10)]
    viewer = await BoardClient(server.ws_url, workshop.main, tokens[0]).connect()
    await configure(workshop, open=True)
    await viewer.wait_for(lambda: len(poll_notices(viewer)) >= 1)
    words = ["useful", "hopeful", "tired", "inspired", "diolch"]
    answers = [
        give(workshop, token, words[(i + j) % len(words)]) for i, token in enumerate(tokens) for j in range(6)
    ]
    assert all(response.status_code == 201 for response in await asyncio.gather(*answers))
    await viewer.wait_for(lambda: sum(counts(poll_notices(viewer)[-1]).values()) == 60)
    assert len(poll_notices(viewer)) < 30, "answers arriving together share notices"

    final = poll_notices(viewer)[-1]
    async with http(workshop, tokens[1]) as client:
        bodies = await asyncio.gather(
            *[
                client.get(f"/api/workshops/{workshop.id}/poll/cloud.svg", params={"v": final["cloud"]})
                for _ in range(8)
            ]
        )
    assert len({body.content for body in bodies}) == 1
    drawn = [key for key in server.services.exit_poll.pictures() if key[0] == final["cloud"]]
    assert drawn == [(final["cloud"], "svg", "en")], "drawn once, sent to all"


async def test_a_page_without_a_socket_waits_for_the_next_version(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    participant = await join(workshop)
    await configure(workshop, open=True)
    before = await poll_of(workshop, participant)

    async def wait() -> dict[str, Any]:
        async with http(workshop, participant) as client:
            response = await client.get(
                f"/api/workshops/{workshop.id}/poll", params={"after": before["version"]}
            )
            data: dict[str, Any] = response.json()
            return data

    waiting = asyncio.create_task(wait())
    await asyncio.sleep(0.3)
    assert not waiting.done()
    assert (await give(workshop, participant, "patient")).status_code == 201
    after = await asyncio.wait_for(waiting, 20)
    assert counts(after) == {"patient": 1}
    assert after["version"] != before["version"]


async def test_sending_an_answer_twice_keeps_one(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    participant, other = await join(workshop), await join(workshop)
    await configure(workshop, open=True, words=1)
    first = await give(workshop, participant, "hopeful", id="mine-1")
    again = await give(workshop, participant, "hopeful", id="mine-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() == {"id": "mine-1", "text": "hopeful"}
    stolen = await give(workshop, other, "hopeful", id="mine-1")
    assert stolen.status_code == 409
    two = await give(workshop, participant, "very hopeful")
    assert two.json()["error"]["code"] == "not_one_or_two_words", "the facilitator set one word"
    assert counts(await poll_of(workshop, participant)) == {"hopeful": 1}


@pytest.mark.postgres
@pytest.mark.redis
async def test_an_answer_given_on_one_server_is_withdrawn_on_another(
    make_server: Callable[..., RunningServer], postgres_url: str, redis_url: str
) -> None:
    first, second = (make_server(database_url=postgres_url, broker_url=redis_url) for _ in range(2))
    workshop = await create_workshop(first.base_url, breakouts=1)
    person, other = await join(workshop), await join(workshop)
    on_first = await BoardClient(first.ws_url, workshop.main, other).connect()
    await configure(workshop, open=True)
    async with http(workshop, person, second.base_url) as client:
        made = await client.post(f"/api/workshops/{workshop.id}/poll/entries", json={"text": "Secretword"})
        assert made.status_code == 201
    await on_first.wait_for(lambda: any(counts(n) == {"Secretword": 1} for n in poll_notices(on_first)))
    async with http(workshop, person, first.base_url) as client:
        assert (await client.post(f"/api/workshops/{workshop.id}/withdraw")).json()["removed"] == 1
    async with http(workshop, other, second.base_url) as client:
        assert (await client.get(f"/api/workshops/{workshop.id}/poll")).json()["counts"] == []


async def test_a_servers_own_blocklist_adds_to_the_built_in_one(
    make_server: Callable[..., RunningServer], tmp_path: Path
) -> None:
    listed = tmp_path / "blocklist.txt"
    listed.write_text("# our own\nsprout\nwaste time\n", encoding="utf-8")
    server = make_server(poll_blocklist=str(listed))
    workshop = await create_workshop(server.base_url)
    participant = await join(workshop)
    await configure(workshop, open=True)
    for text in ("Sprouts", "sprout", "Waste time!", "cachu", "kale"):
        assert (await give(workshop, participant, text)).status_code == 201
    seen = await poll_of(workshop, workshop.facilitator_token)
    assert counts(seen) == {"kale": 1}
    assert seen["blocked"]["answers"] == 4, "an English plural counts with its singular"

    # The record leaves out what the live cloud leaves out: the server's own list, not only
    # the built-in one (nor whatever the environment names).
    async with http(workshop, workshop.facilitator_token) as facilitator:
        record = (await facilitator.get(f"/api/workshops/{workshop.id}/export.json")).json()
        report = (await facilitator.get(f"/api/workshops/{workshop.id}/export.html")).text
    assert record["exit_poll"] == [{"word": "kale", "count": 1}]
    pictured = r'class="wordcloud"><img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"'
    [cloud] = [base64.b64decode(data).decode("utf-8") for data in re.findall(pictured, report)]
    assert "kale" in cloud
    for blocked in ("sprout", "waste", "cachu"):
        assert blocked not in cloud.lower(), f"{blocked} is in the report's cloud"
        assert blocked not in report.lower(), f"{blocked} is in the report"

    # And so does the page sent back to participants, whose cloud is titled in their language.
    async with http(workshop, workshop.facilitator_token) as facilitator:
        published = await facilitator.put(f"/api/workshops/{workshop.id}/heard", json={"published": True})
        assert published.status_code == 200, published.text
        clouds = {}
        for lang in ("en", "cy"):
            page = (await facilitator.get(f"/heard/{workshop.id}", headers={"Accept-Language": lang})).text
            [data] = re.findall(
                r'<figure class="cloud">\s*<img src="data:image/svg\+xml;base64,([^"]+)"', page
            )
            clouds[lang] = base64.b64decode(data).decode("utf-8")
            for blocked in ("sprout", "waste", "cachu"):
                assert blocked not in page.lower(), f"{blocked} is on the {lang} what-we-heard page"
                assert blocked not in clouds[lang].lower(), f"{blocked} is in the {lang} page's cloud"
    assert "kale" in clouds["en"]
    assert clouds["en"] != clouds["cy"], "the cloud's title follows the page's language"


def test_serve_refuses_a_blocklist_file_it_cannot_read_and_names_it(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path}/poll.db"
    subprocess.run(
        [sys.executable, "-m", "board.cli", "migrate", "--database-url", database],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    missing = tmp_path / "no-such-list.txt"
    result = subprocess.run(
        [sys.executable, "-m", "board.cli", "serve", "--database-url", database],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "BOARD_POLL_BLOCKLIST": str(missing)},
    )
    assert result.returncode == 2
    assert f"BOARD_POLL_BLOCKLIST={missing} cannot be read" in result.stderr


async def test_a_breakout_board_refuses_the_polls_settings(server: RunningServer) -> None:
    """Answers are counted on the main board only: a breakout board that could open its own
    poll would collect answers nobody ever sees counted."""
    workshop = await create_workshop(server.base_url, breakouts=1)
    breakout = await BoardClient(server.ws_url, workshop.boards[1], workshop.facilitator_token).connect()
    for count, props in enumerate(
        ({"poll_open": True}, {"poll_words": 3}, {"locked": True, "poll_open": True}), 1
    ):
        op_id = await breakout.op({"kind": "settings", "props": props})
        error = await breakout.wait_error(count)
        assert (error["id"], error["code"], error["field"]) == (op_id, "forbidden", "op.props")
    locked = await breakout.wait_acked(await breakout.op({"kind": "settings", "props": {"locked": True}}))
    await breakout.wait_seq(locked)
    assert breakout.objects["__settings__"].get("poll_open") is None
    main = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    await main.wait_acked(await main.op({"kind": "settings", "props": {"poll_open": True}}))


async def test_the_record_holds_the_question_as_it_was_asked(server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as anyone:
        made = await anyone.post("/api/templates/engagement-network/workshops", json={})
    assert made.status_code == 201, made.text
    data = made.json()
    workshop = Workshop(
        data["id"], data["join_code"], data["token"], [b["id"] for b in data["boards"]], server.base_url
    )
    participant = await join(workshop)
    await configure(workshop, open=True)
    assert (await give(workshop, participant, "hopeful")).status_code == 201

    async def exported(fmt: str, lang: str = "en") -> str:
        async with http(workshop, workshop.facilitator_token) as facilitator:
            response = await facilitator.get(
                f"/api/workshops/{workshop.id}/export.{fmt}", headers={"Accept-Language": lang}
            )
            assert response.status_code == 200, response.text
            return response.text

    english = "Write one or two words (only) that describe your thoughts or feelings about today's session"
    welsh = (
        "Ysgrifennwch un neu ddau air (yn unig) sy'n disgrifio'ch meddyliau neu'ch teimladau am sesiwn heddiw"
    )
    record = json.loads(await exported("json"))
    assert record["exit_poll_question"] == {"en": english, "cy": welsh}, "the template's, in both languages"
    assert f"We asked: “{english}”" in await exported("md")
    assert "Gofynnwyd: “Ysgrifennwch un neu ddau air (yn unig)" in await exported("html", "cy")

    await configure(workshop, question={"en": "How was today?", "cy": ""})
    record = json.loads(await exported("json"))
    assert record["exit_poll_question"] == {"en": "How was today?", "cy": None}, "asked in English only"
    assert "Gofynnwyd: “How was today?”" in await exported("html", "cy")


async def test_the_welsh_reports_cloud_is_titled_in_welsh(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    participant = await join(workshop)
    await configure(workshop, open=True)
    assert (await give(workshop, participant, "hwyl")).status_code == 201
    titles = {}
    for lang in ("en", "cy"):
        async with http(workshop, workshop.facilitator_token) as facilitator:
            response = await facilitator.get(
                f"/api/workshops/{workshop.id}/export.html", headers={"Accept-Language": lang}
            )
        pictured = r'class="wordcloud"><img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"'
        [cloud] = [base64.b64decode(data) for data in re.findall(pictured, response.text)]
        svg = ElementTree.fromstring(cloud)
        titles[lang] = (svg.get("lang"), svg.findtext(f"{SVG}title"))
    assert titles == {
        "en": ("en", i18n.translate("en", "poll.cloud_title")),
        "cy": ("cy", i18n.translate("cy", "poll.cloud_title")),
    }
