"""The record on a running server (issue 5, DESIGN.md §5): the scripted seed-000 run
(`seed_000.py`) exported in every format over HTTP, on SQLite and on PostgreSQL. Counts equal
the script's and the dashboard's Categories panel's (after a pull into the main board and
"accept all" too), the JSON validates against the shipped schema, the CSV round-trips through
the `csv` module, no identity of anyone reaches any byte of any format, and the HTML report
renders in Chromium."""

from __future__ import annotations

import asyncio
import base64
import csv
import io
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from board.core.breakout import pulled_id
from board.core.export.csv import restore
from board.core.export.json import load_schema
from board.core.taxonomies import WAKEFIELD
from tests.app import seed_000
from tests.app.seed_000 import FORMULA, NOTES, TITLE, VOTES, WELSH, Seeded
from tests.conftest import ROOT, RunningServer
from tests.support import create_workshop, join

FORMATS = ("json", "csv", "md", "html")
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


@pytest.fixture
async def seeded(
    make_server: Callable[..., RunningServer], database_url: str
) -> AsyncIterator[tuple[RunningServer, Seeded]]:
    server = make_server(database_url=database_url)
    run = await seed_000.run(server.base_url, server.ws_url, database_url)
    yield server, run
    await run.close()


async def download(server: RunningServer, workshop_id: str, fmt: str, token: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        return await http.get(
            f"/api/workshops/{workshop_id}/export.{fmt}", headers={"Authorization": f"Bearer {token}"}
        )


async def every_format(server: RunningServer, run: Seeded) -> dict[str, bytes]:
    found = {}
    for fmt in FORMATS:
        response = await download(server, run.workshop.id, fmt, run.workshop.facilitator_token)
        assert response.status_code == 200, response.text
        found[fmt] = response.content
    return found


def csv_rows(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for spreadsheets"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def counts_in(exports: dict[str, bytes]) -> dict[str, dict[str, tuple[int, int]]]:
    """(confirmed, suggested) per category as each format shows it."""
    record = json.loads(exports["json"])
    tally = Counter((row["category"], row["category_source"]) for row in csv_rows(exports["csv"]))
    markdown = exports["md"].decode("utf-8")
    html = exports["html"].decode("utf-8")
    found: dict[str, dict[str, tuple[int, int]]] = {
        "json": {c["key"]: (c["confirmed"], c["suggested"]) for c in record["summary"]["categories"]},
        "csv": {
            key: (tally[(key, "explicit")] + tally[(key, "frame")], tally[(key, "suggested")])
            for key in WAKEFIELD.keys
        },
        "md": {},
        "html": {},
    }
    for category in WAKEFIELD.categories:
        label = re.escape(f"{category.label.en} / {category.label.cy}")
        [(confirmed, suggested)] = re.findall(rf"^\| {label} \| (\d+) \| (\d+) \|$", markdown, re.MULTILINE)
        found["md"][category.key] = (int(confirmed), int(suggested))
        row = rf'<tr><th scope="row">{re.escape(category.label.en)}</th><td>(\d+)</td><td>(\d+)</td></tr>'
        [(confirmed, suggested)] = re.findall(row, html)
        found["html"][category.key] = (int(confirmed), int(suggested))
    return found


async def test_every_format_counts_what_the_script_placed(seeded: tuple[RunningServer, Seeded]) -> None:
    server, run = seeded
    exports = await every_format(server, run)
    expected = seed_000.expected_counts()

    record = json.loads(exports["json"])
    assert {c["key"]: (c["confirmed"], c["suggested"]) for c in record["summary"]["categories"]} == expected
    assert record["summary"]["uncategorised"] == 1
    assert record["summary"]["notes"] == len(NOTES)
    assert record["excluded"] == {"hidden_notes": 1, "private_notes": 0, "definitions": 0}
    by_text = {note["text"]: note for note in record["notes"]}
    for planned in NOTES:
        note = by_text[planned.text]
        assert (note["board"], note["category"], note["category_source"]) == (
            planned.board,
            planned.category,
            planned.source,
        ), planned.key
        assert note["votes"] == VOTES.get(planned.key, 0), planned.key
        assert (note["confidence"] is not None) == (planned.source == "suggested")
    assert by_text["planning focus group"]["comments"] == ["Same as board 1?", "Yes, but with the youth club"]
    assert [(d["category"], d["board"], d["excellent"]) for d in record["definitions"]] == [
        ("participation", 1, ["Everyone can take part", "Feedback happens"]),
        ("empowerment", 2, ["Real money", "Real power"]),
    ]
    [cluster] = record["duplicates"]
    assert (cluster["raised_in"], cluster["groups"]) == (2, 3)
    clustered = {n["text"] for n in record["notes"] if n["duplicate_cluster"] == cluster["id"]}
    assert clustered == {"Focus groups in planning", "planning focus group"}
    assert record["workshop"]["title"] == TITLE
    assert [b["number"] for b in record["boards"]] == [0, 1, 2, 3]
    assert {p["word"]: p["count"] for p in record["exit_poll"]} == seed_000.POLL_COUNTS
    assert record["exit_poll_question"] == seed_000.POLL_QUESTION
    first, created = record["workshop"]["first_contribution_at"], record["workshop"]["starts_at"]
    assert first is not None
    assert first >= created, "the first note comes after the workshop was set up"

    assert counts_in(exports) == dict.fromkeys(FORMATS, expected)


async def test_the_json_validates_against_the_schema_and_the_csv_round_trips(
    seeded: tuple[RunningServer, Seeded],
) -> None:
    server, run = seeded
    exports = await every_format(server, run)
    jsonschema.Draft202012Validator(load_schema()).validate(json.loads(exports["json"]))

    rows = csv_rows(exports["csv"])
    assert len(rows) == len(NOTES)
    texts = {row["text"] for row in rows}
    assert WELSH in texts, "Welsh letters intact"
    [formula] = [row for row in rows if "HYPERLINK" in row["text"]]
    assert formula["text"] == "'" + FORMULA, "a formula is neutralised: shown as text, never run"
    assert {restore(text) for text in texts} == {note.text for note in NOTES}
    again = io.StringIO(newline="")
    writer = csv.DictWriter(again, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    assert again.getvalue().encode("utf-8-sig") == exports["csv"], "read and written back, byte for byte"


def assert_no_identity(run: Seeded, exports: dict[str, bytes]) -> None:
    """No token, id, cursor name or client-chosen object id of the run in any byte of any
    format, pictures (the chart, the word cloud) included."""
    for fmt, body in exports.items():
        text = body.decode("utf-8-sig")
        pictures = [
            base64.b64decode(data).decode("utf-8")
            for data in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", text)
        ]
        every_byte = "\n".join([text, json.dumps(text), *pictures])
        leaked = sorted(identity for identity in run.identities if identity in every_byte)
        assert leaked == [], f"{fmt} leaks {leaked}"
        assert seed_000.HIDDEN_TEXT not in every_byte, "a hidden note stays out of the record"


async def test_no_identity_of_anyone_appears_in_any_format(seeded: tuple[RunningServer, Seeded]) -> None:
    server, run = seeded
    exports = await every_format(server, run)
    assert set(run.ids.values()) <= run.identities, "every object id the run chose is looked for"
    assert len(run.identities) > 70, "every token, id, cursor name and object id of the run"
    poll_ids = {
        oid for c in run.facilitator.values() for oid, o in c.objects.items() if o.get("type") == "pollword"
    }
    assert len(poll_ids) == len(seed_000.POLL_ANSWERS)
    assert poll_ids <= run.identities, "the exit poll's answers are looked for too"
    assert json.loads(exports["json"])["exit_poll"], "and the poll is in the record"
    assert "Ysbrydoledig" in exports["md"].decode("utf-8")
    assert_no_identity(run, exports)


async def test_accepting_suggestions_and_merging_duplicates_reach_the_record(
    seeded: tuple[RunningServer, Seeded],
) -> None:
    server, run = seeded
    before = json.loads((await every_format(server, run))["json"])
    curated = await seed_000.curate(run)

    suggested = [n for n in NOTES if n.source == "suggested"]
    assert [a["note"] for a in curated.accepted_one["accepted"]] == [run.ref(seed_000.ACCEPT_FIRST)]
    rest = {a["note"]: a["category"] for a in curated.accepted_rest["accepted"]}
    assert rest == {run.ref(n.key): n.category for n in suggested if n.key != seed_000.ACCEPT_FIRST}
    assert curated.accepted_rest["skipped"] == []
    focus = {run.ref("focus-1"), run.ref("focus-2")}
    assert {n["note"] for n in curated.cluster["notes"]} == focus
    assert curated.merged["kept"] == run.ref("focus-1"), "both have 2 votes: the earlier one stays"
    assert curated.merged["removed"] == [run.ref("focus-2")]

    exports = await every_format(server, run)
    record = json.loads(exports["json"])
    jsonschema.Draft202012Validator(load_schema()).validate(record)
    by_text = {note["text"]: note for note in record["notes"]}
    for planned in suggested:
        note = by_text[planned.text]
        assert (note["category"], note["category_source"], note["confidence"]) == (
            planned.category,
            "explicit",
            None,
        ), f"{planned.key}: accepted, its suggestion is now its category"
    was = {c["key"]: c["confirmed"] + c["suggested"] for c in before["summary"]["categories"]}
    now = {c["key"]: (c["confirmed"], c["suggested"]) for c in record["summary"]["categories"]}
    was["forums_for_debate"] -= 1  # the merged-away "planning focus group"
    assert now == {key: (total, 0) for key, total in was.items()}, "nothing is left only suggested"

    assert "planning focus group" not in by_text
    kept = by_text["Focus groups in planning"]
    assert kept["votes"] == VOTES["focus-1"] + VOTES["focus-2"], "the kept note keeps every vote"
    assert sorted(kept["comments"]) == sorted(
        ["We ran these in 2023", "Same as board 1?", "Yes, but with the youth club"]
    ), "and every comment"
    assert kept["raised_in"] == [1, 2]
    assert record["duplicates"] == []
    assert record["summary"]["notes"] == len(NOTES) - 1
    assert sum(n["votes"] for n in record["notes"]) == sum(VOTES.values()), "no vote lost anywhere"
    markdown = exports["md"].decode("utf-8")
    assert "Focus groups in planning (4 votes" in markdown
    assert_no_identity(run, exports)


async def test_the_dashboard_and_every_export_count_each_category_alike_through_a_pull_and_accept_all(
    seeded: tuple[RunningServer, Seeded],
) -> None:
    """docs/facilitating.md, "Sorting into categories": the groups have placed notes in their
    columns and left some to suggestion; the facilitator pulls every breakout board into the
    main board, sorts a pulled note into the main board's column, sets another's category,
    reads the dashboard's Categories panel, accepts every suggestion with one press and exports.
    The panel and the four formats give one count per category, each note once (the pulled
    copies are not notes of their own), and a suggestion is confirmed only once accepted."""
    server, run = seeded
    api = f"/api/workshops/{run.workshop.id}"
    main = run.facilitator[0]
    async with seed_000.http(run.workshop, run.workshop.facilitator_token) as as_facilitator:
        pulled = (await as_facilitator.post(f"{api}/pull", json={})).json()["pulled"]
        assert pulled == {"1": 4, "2": 4, "3": 4}, "every shown note, the hidden one stays behind"
        placed = await as_facilitator.post(f"{api}/categories/columns", json={"boards": [0]})
        assert placed.json()["placed"] == len(WAKEFIELD.categories)

        def copy_of(key: str) -> str:
            note = next(n for n in NOTES if n.key == key)
            return pulled_id("g", note.board, run.ids[key])

        def participation() -> list[dict[str, Any]]:
            return [
                o
                for o in main.objects.values()
                if o.get("type") == "frame" and o.get("category") == "participation"
            ]

        await main.wait_for(lambda: copy_of("tea") in main.objects and bool(participation()))
        [column] = participation()
        # The note nobody categorised goes into a column on the main board; a suggested one's
        # copy gets a category from its menu: both confirm their group's note, once.
        moved = {"x": column["x"] + 100, "y": column["y"] + 100}
        await seed_000.do(main, {"kind": "update", "id": copy_of("tea"), "props": moved})
        set_here = {"category": "forums_for_debate"}
        await seed_000.do(main, {"kind": "update", "id": copy_of("jury"), "props": set_here})

        expected = dict(seed_000.expected_counts())
        expected["participation"] = (1, 0)  # the tea, in its column; the jury is no longer suggested there
        expected["forums_for_debate"] = (expected["forums_for_debate"][0] + 1, 0)
        panel = (await as_facilitator.get(f"{api}/categories")).json()
        shown = {c["category"]: (c["confirmed"], c["suggested"]) for c in panel["counts"]}
        assert shown == expected
        assert panel["uncategorised"] == 0
        assert sum(c + s for c, s in shown.values()) == len(NOTES), "a pulled note is its group's, once"
        exports = await every_format(server, run)
        assert counts_in(exports) == dict.fromkeys(FORMATS, shown)

        waiting = {n["note"] for n in panel["notes"] if n["source"] == "suggested"}
        accepted = (await as_facilitator.post(f"{api}/categories/accept", json={"all": True})).json()
        assert {a["note"] for a in accepted["accepted"]} == waiting, "one press takes every suggestion shown"
        assert {run.ref("survey"), f"0:{copy_of('survey')}", run.ref("budgeting")} <= waiting
        panel = (await as_facilitator.get(f"{api}/categories")).json()
    after = {c["category"]: (c["confirmed"], c["suggested"]) for c in panel["counts"]}
    assert after == {key: (confirmed + suggested, 0) for key, (confirmed, suggested) in shown.items()}, (
        "each suggestion became its note's category, and nothing else moved"
    )
    assert [n for n in panel["notes"] if n["source"] == "suggested"] == []
    exports = await every_format(server, run)
    assert counts_in(exports) == dict.fromkeys(FORMATS, after)
    assert len(csv_rows(exports["csv"])) == len(NOTES)


async def test_the_html_report_renders_in_chromium(
    seeded: tuple[RunningServer, Seeded], browser: Any, artifacts: Path, database_url: str
) -> None:
    server, run = seeded
    response = await download(server, run.workshop.id, "html", run.workshop.facilitator_token)
    database = "postgres" if database_url.startswith("postgresql") else "sqlite"
    saved = artifacts / f"seed-000-report-{database}.html"
    saved.write_bytes(response.content)

    context = await browser.new_context(viewport={"width": 1000, "height": 900})
    try:
        page = await context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        await page.goto(saved.as_uri())
        assert await page.title() == f"{TITLE}: workshop record"
        assert requests == [saved.as_uri()], "a downloaded report fetches nothing"
        assert await page.evaluate("getComputedStyle(document.body).maxWidth") == "768px", "its own CSS"
        headings = await page.locator("h2").all_inner_texts()
        assert headings[:3] == ["What we heard", "By category", "Most votes"]
        chart = page.locator("figure.chart img")
        assert await chart.evaluate("img => img.complete && img.naturalWidth > 0"), "the bar chart draws"
        cloud = page.locator("figure.wordcloud img")
        assert await cloud.evaluate("img => img.complete && img.naturalWidth > 0"), "so does the cloud"
        assert "Ysbrydoledig" in (await cloud.get_attribute("alt") or "")
        assert WELSH in await page.locator("main").inner_text()
        await page.screenshot(path=str(artifacts / f"seed-000-report-{database}.png"), full_page=True)
        await page.emulate_media(media="print")
        await page.screenshot(path=str(artifacts / f"seed-000-report-{database}-print.png"), full_page=True)

        # Served with its own Content-Security-Policy, the report's inline stylesheet is allowed
        # (by its hash) and nothing is refused.
        violations: list[str] = []
        page.on(
            "console", lambda message: violations.append(message.text) if message.type == "error" else None
        )
        await page.emulate_media(media="screen")

        async def serve(route: Any) -> None:
            await route.fulfill(
                status=200,
                body=response.content,
                headers={
                    "Content-Type": response.headers["content-type"],
                    "Content-Security-Policy": response.headers["content-security-policy"],
                },
            )

        await page.route("https://report.example/", serve)
        await page.goto("https://report.example/")
        assert await page.evaluate("getComputedStyle(document.body).maxWidth") == "768px"
        assert violations == []
    finally:
        await context.close()


async def test_downloads_are_named_from_title_and_date_and_never_cached(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url, title='Cyfarfod ŵyr / "Take part" <2026>')
    for fmt in FORMATS:
        response = await download(server, workshop.id, fmt, workshop.facilitator_token)
        assert response.status_code == 200
        assert response.headers["content-type"] == MEDIA_TYPES[fmt]
        disposition = response.headers["content-disposition"]
        assert re.fullmatch(
            rf'attachment; filename="cyfarfod-wyr-take-part-2026-\d{{4}}-\d\d-\d\d\.{fmt}"', disposition
        )
        assert response.headers["cache-control"] == "no-store"
    empty = json.loads((await download(server, workshop.id, "json", workshop.facilitator_token)).content)
    jsonschema.Draft202012Validator(load_schema()).validate(empty)
    assert empty["notes"] == []
    assert empty["exit_poll"] == []
    html = (await download(server, workshop.id, "html", workshop.facilitator_token)).text
    assert "No notes were added in this workshop." in html
    assert "Exit poll" not in html, "no poll yet: the report renders without its section"


async def test_exports_are_for_facilitators_only(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    participant = await join(workshop)
    other = await create_workshop(server.base_url)
    for fmt in FORMATS:
        assert (await download(server, workshop.id, fmt, participant)).status_code == 403
        assert (await download(server, workshop.id, fmt, "not-a-token")).status_code == 401
        assert (await download(server, workshop.id, fmt, other.facilitator_token)).status_code == 401, (
            "another workshop's facilitator is a stranger here"
        )
    unknown = await download(server, workshop.id, "pdf", workshop.facilitator_token)
    assert unknown.status_code == 404
    assert unknown.json()["error"]["field"] == "format"


async def test_the_command_line_exports_what_the_dashboard_downloads(
    seeded: tuple[RunningServer, Seeded], database_url: str, tmp_path: Path
) -> None:
    server, run = seeded
    downloaded = (await download(server, run.workshop.id, "csv", run.workshop.facilitator_token)).content

    def board(*args: str) -> subprocess.CompletedProcess[bytes]:
        command = [sys.executable, "-m", "board.cli", "export", *args, "--database-url", database_url]
        return subprocess.run(command, cwd=ROOT, capture_output=True, timeout=120, check=False)

    piped = await asyncio.to_thread(board, run.workshop.id, "--format", "csv", "-o", "-")
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == downloaded, "the same bytes as the download"
    assert b"Reading boards" in piped.stderr, "progress goes to stderr, never into the file"

    saved = tmp_path / "record.md"
    by_code = await asyncio.to_thread(
        board, run.workshop.join_code.lower(), "--format", "md", "-o", str(saved)
    )
    assert by_code.returncode == 0, by_code.stderr
    assert saved.read_text(encoding="utf-8").startswith(f"# {TITLE}")

    unknown = await asyncio.to_thread(board, "no-such-workshop")
    assert unknown.returncode == 1
    assert b"no workshop with the id or join code 'no-such-workshop'" in unknown.stderr
