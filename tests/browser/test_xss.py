"""Hostile text (issue 7): an XSS payload list put into a workshop title, frame titles, notes,
shapes, free text, comments, definition cards and exit-poll answers executes nothing in
Chromium on any page that shows it, reaches the page as text, and is escaped in every export.

Two traps on each page: the payloads set `window.__xss` or call `alert`, and a
`securitypolicyviolation` listener records any inline script or handler the browser refused.
A refusal would mean markup got into the page and only the CSP stopped it: escaping failed.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from board.app import facilitation as app_facilitation
from board.services import facilitation, templates
from tests.browser.helpers import OpenWorkshop, module_server, new_workshop, open_board, screenshot
from tests.conftest import RunningServer
from tests.support import BoardClient

pytestmark = pytest.mark.browser
board_server = module_server()

PAYLOADS = (
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '"><svg onload=window.__xss=1>',
    "</textarea><script>alert(1)</script>",
    "<iframe srcdoc='<script>parent.__xss=1</script>'></iframe>",
    "javascript:window.__xss=1",
    '<a href="javascript:alert(1)">click</a>',
    "{{7*7}} ${window.__xss=1}",
    '=HYPERLINK("javascript:alert(1)","x")',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
)
POLL_PAYLOADS = ("<script>alert", "</script>hi", "<b>hi", "love<3", "<b>bold</b>")
TITLE = '<img src=x onerror="window.__xss=1"> Workshop'
TRAP = """
window.__xss = 0;
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
"""


async def seed(workshop: OpenWorkshop) -> list[str]:
    """Every payload on the main board, in every kind of object that holds text; and the poll
    answers the word rule accepts. Returns the accepted poll answers."""
    ws_url = workshop.base_url.replace("http://", "ws://") + "/ws"
    client = await BoardClient(ws_url, workshop.main, workshop.facilitator_token).connect()
    try:
        ops: list[dict[str, Any]] = [
            {
                "kind": "create",
                "obj": {"type": "frame", "id": "f", "x": -900, "y": -700, "title": PAYLOADS[2]},
            }
        ]
        for i, text in enumerate(PAYLOADS):
            x, y = (i % 5) * 230 - 500, (i // 5) * 230 - 250
            ops += [
                {"kind": "create", "obj": {"type": "note", "id": f"n{i}", "x": x, "y": y, "text": text}},
                {
                    "kind": "create",
                    "obj": {"type": "shape", "id": f"s{i}", "x": x, "y": y + 520, "text": text},
                },
                {
                    "kind": "create",
                    "obj": {"type": "text", "id": f"t{i}", "x": x, "y": y + 800, "text": text},
                },
                {
                    "kind": "create",
                    "obj": {"type": "comment", "id": f"c{i}", "target": f"n{i}", "text": text},
                },
            ]
        ops.append(
            {
                "kind": "create",
                "obj": {
                    "type": "definition",
                    "id": "d",
                    "x": 700,
                    "y": 0,
                    "category": "participation",
                    "definition": PAYLOADS[0],
                    "why": PAYLOADS[1],
                    "excellent": PAYLOADS[3],
                },
            }
        )
        await client.wait_acked(await client.op({"kind": "batch", "ops": ops}))
    finally:
        await client.close()
    headers = {"Authorization": f"Bearer {workshop.facilitator_token}"}
    accepted: list[str] = []
    async with httpx.AsyncClient(base_url=workshop.base_url, headers=headers) as http:
        opened = await http.put(
            f"/api/workshops/{workshop.id}/poll", json={"open": True, "question": {"en": PAYLOADS[0]}}
        )
        assert opened.status_code == 200, opened.text
        for text in POLL_PAYLOADS:
            answer = await http.post(f"/api/workshops/{workshop.id}/poll/entries", json={"text": text})
            if answer.status_code == 201:
                accepted.append(text)
        published = await http.put(
            f"/api/workshops/{workshop.id}/heard", json={"published": True, "next_steps": {"en": PAYLOADS[1]}}
        )
        assert published.status_code == 200, published.text
    assert any("<" in text for text in accepted), "some markup-looking answer got into the poll"
    return accepted


async def assert_inert(page: Any, name: str) -> None:
    await page.wait_for_function(
        "() => document.readyState === 'complete' && document.documentElement.dataset.phase === 'ready'"
    )
    await page.evaluate(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )
    assert await page.evaluate("window.__xss") == 0, f"{name}: a payload ran"
    assert await page.evaluate("window.__violations") == [], f"{name}: markup reached the page"
    await screenshot(page, f"xss-{name}")


async def test_payloads_run_nowhere_and_read_as_text(browser: Any, board_server: RunningServer) -> None:
    workshop = await new_workshop(board_server.base_url, title=TITLE)
    await seed(workshop)
    dialogs: list[str] = []
    for role in ("participant", "facilitator"):
        person = await open_board(browser, workshop, role=role)  # type: ignore[arg-type]
        page = person.page
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        await page.add_init_script(TRAP)
        try:
            await page.reload()
            await page.wait_for_function("() => document.documentElement.dataset.connection === 'online'")
            await assert_inert(page, f"board-{role}")
            for text in PAYLOADS[:5]:
                assert await page.get_by_text(text, exact=True).count() >= 1, f"{text!r} shows as text"
            assert TITLE in await page.title()
            pages = {
                "poll": f"/w/{workshop.id}/poll",
                "heard": f"/heard/{workshop.id}",
                "join": f"/j/{workshop.join_code}",
            }
            if role == "facilitator":
                pages["dashboard"] = f"/w/{workshop.id}/dashboard"
            for kind, path in pages.items():
                await page.goto(path)
                await assert_inert(page, f"{kind}-{role}")
        finally:
            await person.close()
    assert dialogs == []

    report = await download(workshop, "html")
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.add_init_script(TRAP)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

        async def serve(route: Any) -> None:
            await route.fulfill(status=200, body=report, headers={"Content-Type": "text/html; charset=utf-8"})

        await page.route("https://report.example/", serve)
        await page.goto("https://report.example/")
        assert await page.evaluate("window.__xss") == 0
        hostile = "script, iframe, svg[onload], img[onerror], a[href^='javascript']"
        assert await page.evaluate(f"document.querySelectorAll({hostile!r}).length") == 0
        body = await page.locator("body").inner_text()
        assert PAYLOADS[0] in body, "the report shows the payload as text"
    finally:
        await context.close()
    assert dialogs == []


async def download(workshop: OpenWorkshop, fmt: str) -> bytes:
    headers = {"Authorization": f"Bearer {workshop.facilitator_token}"}
    async with httpx.AsyncClient(base_url=workshop.base_url, headers=headers) as http:
        response = await http.get(f"/api/workshops/{workshop.id}/export.{fmt}")
    assert response.status_code == 200, response.text
    return response.content


async def test_every_export_keeps_payloads_as_data(board_server: RunningServer) -> None:
    workshop = await new_workshop(board_server.base_url, title=TITLE)
    await seed(workshop)
    record = json.loads(await download(workshop, "json"))
    assert {note["text"] for note in record["notes"]} >= set(PAYLOADS), "JSON keeps the text exactly"
    rows = list(csv.DictReader(io.StringIO((await download(workshop, "csv")).decode("utf-8-sig"))))
    by_text = {row["text"] for row in rows}
    assert "'" + PAYLOADS[8] in by_text, "a formula is neutralised"
    markdown = (await download(workshop, "md")).decode("utf-8")
    html = (await download(workshop, "html")).decode("utf-8")
    for raw in ("<script", "<img src=x", "<svg onload", "<iframe", '<a href="javascript'):
        assert raw not in markdown, f"Markdown passes {raw!r} through"
        assert raw not in html.lower(), f"the HTML report contains {raw!r}"
    assert r"&lt;script&gt;window.\_\_xss=1&lt;/script&gt;" in markdown, "shown as written, never markup"


CURSOR_NAME = "<img src=x onerror=window.__xss=1>"
"""A name chosen to show beside one's cursor (at most 40 characters): markup that would run."""


async def test_a_chosen_cursor_name_runs_nothing_on_another_board_or_in_the_facilitators_list(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    headers = {"Authorization": f"Bearer {workshop.facilitator_token}"}
    async with httpx.AsyncClient(base_url=workshop.base_url, headers=headers) as http:
        (await http.put(f"/api/workshops/{workshop.id}/names", json={"allowed": True})).raise_for_status()
    sam = await open_board(browser, workshop)
    other = await open_board(browser, workshop)
    facilitator = await open_board(browser, workshop, role="facilitator")
    dialogs: list[str] = []
    try:
        for person in (other, facilitator):
            person.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            await person.page.add_init_script(TRAP)
        await other.page.reload()
        await other.page.wait_for_function("() => document.documentElement.dataset.connection === 'online'")
        await facilitator.page.goto(f"/w/{workshop.id}/dashboard")

        await sam.page.get_by_role("button", name="Your name").click()
        await sam.page.get_by_label("Name to show").fill(CURSOR_NAME)
        await sam.page.get_by_role("button", name="Show this name").click()
        await sam.page.get_by_text(f"Others now see you as {CURSOR_NAME}.").wait_for()
        box = await sam.page.locator("#canvas").bounding_box()
        assert box is not None
        await sam.page.mouse.move(box["x"] + 300, box["y"] + 200)
        await sam.page.mouse.move(box["x"] + 340, box["y"] + 230, steps=3)

        label = other.page.locator(".cursor .cursor-name")
        await label.filter(has_text=CURSOR_NAME).wait_for()
        assert await label.evaluate("(node) => node.children.length") == 0, "the name is text, not markup"
        await assert_inert(other.page, "cursor-name-board")

        listed = facilitator.page.locator("#people .name", has_text=CURSOR_NAME)
        await listed.wait_for()  # the list of people present (polled every 3 s)
        assert await listed.evaluate("(node) => node.children.length") == 0
        assert await facilitator.page.locator("#people img").count() == 0
        await assert_inert(facilitator.page, "cursor-name-dashboard")
    finally:
        for person in (sam, other, facilitator):
            await person.close()
    assert dialogs == []


HOSTILE_TITLE = '<img src=x onerror="window.__xss=1">Hostile'
HOSTILE_TEMPLATE = {
    "title": {"en": HOSTILE_TITLE, "cy": "<svg onload=window.__xss=1>"},
    "purpose": {"en": PAYLOADS[0], "cy": PAYLOADS[1]},
    "taxonomy": "iap2",
    "breakouts": 1,
    "exit_poll": {"question": {"en": PAYLOADS[3], "cy": PAYLOADS[4]}},
    "agenda": [
        {
            "title": {"en": PAYLOADS[0], "cy": PAYLOADS[2]},
            "minutes": 5,
            "prompt": {"en": PAYLOADS[1], "cy": PAYLOADS[4]},
        },
        {
            "title": {"en": PAYLOADS[6], "cy": PAYLOADS[7]},
            "minutes": 10,
            "where": "breakouts",
            "prompt": {"en": PAYLOADS[3], "cy": PAYLOADS[5]},
        },
    ],
    "boards": {
        "main": {
            "title": {"en": PAYLOADS[2], "cy": PAYLOADS[0]},
            "prompt": {"en": PAYLOADS[4], "cy": PAYLOADS[1]},
            "frames": [{"title": {"en": PAYLOADS[1], "cy": PAYLOADS[3]}, "x": 0, "y": 0, "w": 800, "h": 600}],
        },
        "breakouts": {
            "title": {"en": PAYLOADS[0] + " {number}", "cy": PAYLOADS[2] + " {number}"},
            "frames": [{"title": {"en": PAYLOADS[4], "cy": PAYLOADS[6]}, "x": 0, "y": 0, "w": 800, "h": 600}],
        },
    },
}
"""A template whose every text a page shows is a payload: title, step titles and prompts,
board titles and prompts, frame titles, the exit-poll question."""


async def test_a_hostile_template_runs_nothing_on_new_the_template_list_or_the_dashboard(
    browser: Any, board_server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Templates are files a facilitator (or whoever can write `sessions/`) provides: their
    text is shown as text on /new, served as data by GET /api/templates, and shown as text on
    the dashboard (steps, prompts) and the boards made from it."""
    (tmp_path / "hostile.yaml").write_text(yaml.safe_dump(HOSTILE_TEMPLATE, allow_unicode=True))
    found = templates.templates(tmp_path)
    assert list(found.plans) == ["hostile"], found.invalid
    monkeypatch.setattr(app_facilitation, "templates", lambda: templates.templates(tmp_path))
    monkeypatch.setattr(app_facilitation, "load", lambda key: templates.load(key, tmp_path))
    monkeypatch.setattr(facilitation, "load", lambda key: templates.load(key, tmp_path))

    async with httpx.AsyncClient(base_url=board_server.base_url) as http:
        listed = await http.get("/api/templates")
    assert listed.headers["content-type"].startswith("application/json")
    assert listed.headers["x-content-type-options"] == "nosniff"
    assert listed.json()["templates"][0]["title"]["en"] == HOSTILE_TITLE, "served as data, exactly"

    context = await browser.new_context(base_url=board_server.base_url)
    dialogs: list[str] = []
    try:
        page = await context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        await page.add_init_script(TRAP)
        await page.goto("/new")
        await page.get_by_text(HOSTILE_TITLE, exact=False).first.wait_for()
        await assert_inert(page, "template-new")
        assert await page.locator("img[src='x'], svg[onload]").count() == 0

        await page.goto("/api/templates")  # opened directly: JSON, shown as text
        assert await page.evaluate("window.__xss") == 0
        assert await page.locator("img, svg, script:not([src])").count() == 0

        made = await context.request.post("/api/templates/hostile/workshops", data={"lang": "both"})
        assert made.status == 201, await made.text()
        workshop = await made.json()
        await page.goto(f"/w/{workshop['id']}/dashboard")
        await page.get_by_text(PAYLOADS[1], exact=False).first.wait_for()  # a step's prompt, as text
        await assert_inert(page, "template-dashboard")
        assert await page.locator("img[src='x'], svg[onload], iframe").count() == 0
        await page.goto(f"/b/{workshop['boards'][0]['id']}")
        await page.wait_for_function("() => document.documentElement.dataset.connection === 'online'")
        await assert_inert(page, "template-board")
        assert await page.locator("img[src='x'], svg[onload], iframe").count() == 0
    finally:
        await context.close()
    assert dialogs == []
