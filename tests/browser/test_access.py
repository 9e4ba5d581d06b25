"""Every page against WCAG 2.2 AA (issue 8): axe-core, run inside Chromium, reports no violation
of the `wcag2a`, `wcag2aa`, `wcag21a`, `wcag21aa` and `wcag22aa` rules on any page, in English
and in Welsh, at desktop size and on a 390x844 phone.

The pages are seen as people see them: the board with notes, a vote, a comment thread open,
the help dialog and the exit-poll panel; the facilitator's board with the object menu showing;
the dashboard with people present; the withdrawal page with a person's contributions listed;
the printable report of a workshop that has something in it. One server and one workshop
serve the whole module; each case opens its own browser context (cookies, language, size).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.browser.helpers import (
    WAIT_MS,
    OpenWorkshop,
    facilitator_socket,
    module_server,
    new_workshop,
    screenshot,
    view_still,
    wait_online,
    wait_ready,
)
from tests.conftest import RunningServer
from tests.support import BoardClient

pytestmark = pytest.mark.browser

board_server = module_server()

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PURPOSE = {
    "statement": {
        "en": "We are planning the new library in Y Fenni. Your notes shape the plan we publish.",
        "cy": "Rydyn ni'n cynllunio'r llyfrgell newydd yn y Fenni. Bydd eich nodiadau'n llunio'r cynllun.",
    },
    "audience": {"en": "The library team and the town council.", "cy": "Tîm y llyfrgell a chyngor y dref."},
    "contact": "llyfrgell@example.org",
}


@dataclass
class Scene:
    """One workshop with something in it: notes, a comment, a vote, a poll answer, published
    'what we heard', a purpose statement."""

    server: RunningServer
    workshop: OpenWorkshop


@pytest.fixture(scope="module")
async def scene(board_server: RunningServer) -> Scene:
    return await make_scene(board_server)


async def make_scene(board_server: RunningServer) -> Scene:
    """The shared workshop, for this module and any other that looks at the same pages."""
    workshop = await new_workshop(board_server.base_url, title="Llyfrgell y Fenni", breakouts=1)
    bearer = {"Authorization": f"Bearer {workshop.facilitator_token}"}
    async with httpx.AsyncClient(base_url=board_server.base_url, headers=bearer) as http:
        (await http.put(f"/api/workshops/{workshop.id}/purpose", json=PURPOSE)).raise_for_status()
        answer = await http.post("/api/join", json={"code": workshop.join_code})
        answer.raise_for_status()
        token = answer.json()["token"]
    facilitator = await BoardClient(board_server.ws_url, workshop.main, workshop.facilitator_token).connect()
    person = await BoardClient(board_server.ws_url, workshop.main, token).connect()
    try:
        await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"voting": True}}))
        for i, (text, colour) in enumerate(
            [("Longer opening hours", "yellow"), ("A quiet room to study", "blue"), ("Gwell cymuned", "pink")]
        ):
            await person.wait_acked(
                await person.create_note(f"n{i}", text=text, x=i * 240, y=0, color=colour)
            )
        await person.wait_acked(
            await person.op(
                {
                    "kind": "create",
                    "obj": {"type": "comment", "id": "c0", "target": "n0", "text": "Yes, evenings too"},
                }
            )
        )
        await person.wait_acked(
            await person.op({"kind": "create", "obj": {"type": "vote", "id": "v0", "target": "n0"}})
        )
        await person.wait_acked(
            await person.op(
                {
                    "kind": "create",
                    "obj": {
                        "type": "shape",
                        "id": "s0",
                        "kind": "ellipse",
                        "x": 0,
                        "y": 260,
                        "w": 160,
                        "h": 100,
                        "text": "Ideas",
                    },
                }
            )
        )
    finally:
        await person.close()
        await facilitator.close()
    async with httpx.AsyncClient(base_url=board_server.base_url, headers=bearer) as http:
        (await http.put(f"/api/workshops/{workshop.id}/poll", json={"open": True})).raise_for_status()
        (
            await http.post(
                f"/api/workshops/{workshop.id}/poll/entries",
                json={"text": "hopeful"},
                headers={"Authorization": f"Bearer {token}"},
            )
        ).raise_for_status()
        (
            await http.put(
                f"/api/workshops/{workshop.id}/heard",
                json={
                    "published": True,
                    "next_steps": {"en": "A draft plan by June.", "cy": "Cynllun drafft erbyn Mehefin."},
                },
            )
        ).raise_for_status()
    return Scene(board_server, workshop)


async def axe_violations(page: Any) -> str | None:
    """A report of what axe-core finds against the WCAG 2.2 AA rules, or None."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page, options=AXE_OPTIONS)
    return results.generate_report() if results.violations_count else None


# -- how to reach each page, in a fresh context ----------------------------------------------------


async def as_facilitator(page: Any, scene: Scene) -> None:
    answer = await page.context.request.post(
        f"/api/workshops/{scene.workshop.id}/facilitate", data={"key": scene.workshop.facilitator_key}
    )
    assert answer.ok, await answer.text()


async def as_participant(page: Any, scene: Scene) -> None:
    answer = await page.context.request.post("/api/join", data={"code": scene.workshop.join_code})
    assert answer.ok, await answer.text()


async def goto(page: Any, path: str) -> None:
    await page.goto(path)
    await wait_ready(page)


async def home(page: Any, scene: Scene) -> None:
    await goto(page, "/")


async def join(page: Any, scene: Scene) -> None:
    await goto(page, f"/j/{scene.workshop.join_code}")
    await page.locator("#statement").wait_for()


async def withdrawal_code(page: Any, scene: Scene) -> None:
    await join(page, scene)
    await page.locator("main form button").click()
    await page.locator(".receipt-code").wait_for()
    await wait_ready(page)


async def withdraw(page: Any, scene: Scene) -> None:
    await withdrawal_code(page, scene)
    code = (await page.locator(".receipt-code").inner_text()).strip()
    await page.locator("#to-board").click()
    await page.wait_for_url(re.compile(r"/b/"))
    await wait_online(page)
    await view_still(page)
    await page.locator("#canvas").focus()
    await page.keyboard.press("n")
    await page.locator("textarea.editor").wait_for()
    mine = f"My own note {uuid.uuid4().hex[:6]}"
    await page.keyboard.type(mine)
    await page.keyboard.press("Escape")
    await page.locator(".item.note", has_text=mine).wait_for()
    await page.wait_for_function(
        "() => document.querySelector('#connection').dataset.connection === 'online'"
    )
    await goto(page, "/withdraw")
    await page.locator("#code").fill(code)
    await page.locator("#code-form button").click()
    await page.locator("#item-list li").first.wait_for()


async def board(page: Any, scene: Scene) -> None:
    await as_participant(page, scene)
    await goto(page, f"/b/{scene.workshop.main}#@100,100,100")  # close to the first note
    await wait_online(page)
    await page.locator(".item.note").first.wait_for()


async def board_comment(page: Any, scene: Scene) -> None:
    await board_poll(page, scene)
    await page.locator("#poll-panel .panel-close").click()  # on a phone it covers the board
    await page.locator(".comment-pin").first.click()
    await page.locator(".comment-panel:not([hidden]) .comment-text").first.wait_for()


async def board_help(page: Any, scene: Scene) -> None:
    await board(page, scene)
    await page.locator("#help-button").click()
    await page.locator("#help[open]").wait_for()


async def board_poll(page: Any, scene: Scene) -> None:
    await board(page, scene)
    await page.locator("#poll-panel:not([hidden]) .poll-form").wait_for()


async def board_list(page: Any, scene: Scene) -> None:
    await board_poll(page, scene)
    await page.locator("#poll-panel .panel-close").click()
    await page.locator("#list-toggle").click()
    await page.locator(".list-note").first.wait_for()


async def board_facilitator(page: Any, scene: Scene) -> None:
    await as_facilitator(page, scene)
    await goto(page, f"/b/{scene.workshop.main}#@100,100,100")
    await wait_online(page)
    await page.locator("#poll-panel:not([hidden]) .panel-close").click()  # it opened with the poll
    await page.locator(".item.note").first.click()
    await page.locator(".object-menu:not([hidden])").wait_for()


async def dashboard(page: Any, scene: Scene) -> None:
    await as_facilitator(page, scene)
    await goto(page, f"/w/{scene.workshop.id}/dashboard")


async def new_workshop_page(page: Any, scene: Scene) -> None:
    await goto(page, "/new")
    await page.locator("#template-choices input").first.wait_for()


async def poll_page(page: Any, scene: Scene) -> None:
    await as_participant(page, scene)
    await goto(page, f"/w/{scene.workshop.id}/poll")
    await page.locator(".poll-form").wait_for()


async def heard(page: Any, scene: Scene) -> None:
    await goto(page, f"/heard/{scene.workshop.id}")


async def facilitate(page: Any, scene: Scene) -> None:
    await goto(page, f"/w/{scene.workshop.id}/facilitate")
    await page.locator("#key-form:not([hidden])").wait_for()


async def report(page: Any, scene: Scene) -> None:
    """The printable report is a download, in the facilitator's language: read it, then show it
    as the browser would."""
    await as_facilitator(page, scene)
    answer = await page.context.request.get(f"/api/workshops/{scene.workshop.id}/export.html")
    assert answer.ok
    await page.set_content(await answer.text())


# -- states of a page that the shared workshop must not be left in (locked, closed, names) --


async def own_workshop(scene: Scene, *, names: bool = False) -> OpenWorkshop:
    """A workshop of its own, for a state that would change the shared one: two notes, one
    with a category; with `names`, people may show a name of their own."""
    workshop = await new_workshop(scene.server.base_url, title="Cyngor y dref")
    facilitator = await facilitator_socket(workshop)
    try:
        await facilitator.wait_acked(
            await facilitator.create_note("o0", text="Tell people early", category="giving_information")
        )
        await facilitator.wait_acked(await facilitator.create_note("o1", text="More benches", x=240))
    finally:
        await facilitator.close()
    if names:
        bearer = {"Authorization": f"Bearer {workshop.facilitator_token}"}
        async with httpx.AsyncClient(base_url=workshop.base_url, headers=bearer) as http:
            (await http.put(f"/api/workshops/{workshop.id}/names", json={"allowed": True})).raise_for_status()
    return workshop


async def own_board(page: Any, workshop: OpenWorkshop, *, role: str = "participant") -> None:
    if role == "facilitator":
        answer = await page.context.request.post(
            f"/api/workshops/{workshop.id}/facilitate", data={"key": workshop.facilitator_key}
        )
    else:
        answer = await page.context.request.post("/api/join", data={"code": workshop.join_code})
    assert answer.ok, await answer.text()
    await goto(page, f"/b/{workshop.main}")
    await wait_online(page)
    await page.locator(".item.note").first.wait_for()


async def not_found(page: Any, scene: Scene) -> None:
    answer = await page.goto("/b/no-such-board")
    assert answer.status == 404
    await wait_ready(page)
    await page.get_by_role("alert").wait_for()


async def board_locked(page: Any, scene: Scene) -> None:
    workshop = await own_workshop(scene)
    facilitator = await facilitator_socket(workshop)
    try:
        await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"locked": True}}))
    finally:
        await facilitator.close()
    await own_board(page, workshop)
    await page.locator("#board-mode:not([hidden])").wait_for()


async def board_closed(page: Any, scene: Scene) -> None:
    workshop = await own_workshop(scene)
    joined = await page.context.request.post("/api/join", data={"code": workshop.join_code})
    assert joined.ok  # joined before it closed: a closed workshop takes nobody new
    bearer = {"Authorization": f"Bearer {workshop.facilitator_token}"}
    async with httpx.AsyncClient(base_url=workshop.base_url, headers=bearer) as http:
        (await http.post(f"/api/workshops/{workshop.id}/close", json={})).raise_for_status()
    await goto(page, f"/b/{workshop.main}")
    await page.locator(".item.note").first.wait_for()
    await page.locator("#board-mode:not([hidden])").wait_for()


async def press_tool(page: Any, selector: str) -> None:
    """Press a button features add to the toolbar: on a phone, behind "More tools" (issue 18)."""
    more = page.locator("#more-button")
    if await more.is_visible():
        await more.click()
    await page.locator(selector).click()


async def board_your_name(page: Any, scene: Scene) -> None:
    await own_board(page, await own_workshop(scene, names=True))
    await press_tool(page, ".yourname-button")
    await page.locator("#yourname-panel:not([hidden])").wait_for()


async def board_names_controls(page: Any, scene: Scene) -> None:
    await own_board(page, await own_workshop(scene, names=True), role="facilitator")
    await press_tool(page, ".fac-button")
    await page.locator("#fac-panel:not([hidden]) [data-control='names'][aria-pressed='true']").wait_for()


async def board_following(page: Any, scene: Scene) -> None:
    await board(page, scene)
    await page.locator("#poll-panel:not([hidden]) .panel-close").click()
    facilitator = await facilitator_socket(scene.workshop)
    try:
        await facilitator.send({"type": "signal", "kind": "follow", "x": 100, "y": 100, "zoom": 1})
        await page.locator("#following:not([hidden])").wait_for()
    finally:
        await facilitator.close()


async def board_list_by_category(page: Any, scene: Scene) -> None:
    await own_board(page, await own_workshop(scene))
    await page.locator("#list-toggle").click()
    await page.locator("#list-by-category").check()
    await page.locator(".list-group[data-kind='unsorted']").wait_for()


async def board_new_comment(page: Any, scene: Scene) -> None:
    """The composer of a comment pinned on the canvas, opened from the keyboard (C, Enter)."""
    await board(page, scene)
    await page.locator("#poll-panel:not([hidden]) .panel-close").click()
    await page.locator("#canvas").focus()
    await page.keyboard.press("Escape")  # nothing selected: the comment goes on the canvas
    await page.keyboard.press("c")
    await page.keyboard.press("Enter")
    await page.locator(".comment-panel:not([hidden]) #comment-text").wait_for()


PAGES: dict[str, Callable[[Any, Scene], Awaitable[None]]] = {
    "home": home,
    "join": join,
    "withdrawal-code": withdrawal_code,
    "withdraw": withdraw,
    "board": board,
    "board-comment": board_comment,
    "board-help": board_help,
    "board-poll": board_poll,
    "board-list": board_list,
    "board-facilitator": board_facilitator,
    "new-workshop": new_workshop_page,
    "dashboard": dashboard,
    "poll": poll_page,
    "heard": heard,
    "facilitate": facilitate,
    "report": report,
    "not-found": not_found,
    "board-locked": board_locked,
    "board-closed": board_closed,
    "board-your-name": board_your_name,
    "board-names-controls": board_names_controls,
    "board-following": board_following,
    "board-list-by-category": board_list_by_category,
    "board-new-comment": board_new_comment,
}


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("name", list(PAGES))
async def test_every_page_meets_wcag_2_2_aa(
    browser: Any, scene: Scene, name: str, lang: str, size: str
) -> None:
    phone = size == "phone"
    context = await browser.new_context(
        base_url=scene.server.base_url,
        viewport=PHONE if phone else DESKTOP,
        locale="cy-GB" if lang == "cy" else "en-GB",
        extra_http_headers={"Accept-Language": "cy" if lang == "cy" else "en-GB"},
        bypass_csp=True,  # to inject axe-core; the product's own pages never need it
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    try:
        page = await context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        await PAGES[name](page, scene)
        assert await page.get_attribute("html", "lang") == lang
        found = await axe_violations(page)
        if found:
            await screenshot(page, f"access-{name}-{lang}-{size}")
        assert found is None, found
    finally:
        await context.close()
    assert errors == []


RAW_KEYS = """() => {
  const key = /^[a-z_]+(\\.[a-z0-9_]+)+$/;
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (key.test(text) && !node.parentElement.closest('script, style')) found.push(text);
  }
  const named = ['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'aria-roledescription'];
  for (const element of document.querySelectorAll(named.map((n) => `[${n}]`).join(', '))) {
    for (const name of named) {
      const value = (element.getAttribute(name) ?? '').trim();
      if (key.test(value)) found.push(`${name}=${value}`);
    }
  }
  if (key.test(document.title.trim())) found.push(`title: ${document.title}`);
  return found;
}"""
"""Text on the page that looks like a catalogue key ("board.tool.pen"): a string the catalogue
lacks, shown as its key (static/js/i18n.js gives the key back for a missing one)."""


async def language_context(browser: Any, scene: Scene, lang: str) -> Any:
    context = await browser.new_context(
        base_url=scene.server.base_url,
        viewport=DESKTOP,
        locale="cy-GB" if lang == "cy" else "en-GB",
        extra_http_headers={"Accept-Language": "cy" if lang == "cy" else "en-GB"},
    )
    context.set_default_timeout(WAIT_MS)
    return context


SWITCHED = [
    (name, "en" if i % 2 == 0 else "cy") for i, name in enumerate(name for name in PAGES if name != "report")
]
"""Every page but the printable report (a downloaded file, in the language it was asked for:
the dashboard's, or `board export --lang`; it has no switch, docs/accessibility.md), each
switched once, from the language given: the pages alternate, so both ways are tried, and each
page is checked for raw keys in both languages, before and after."""


@pytest.mark.parametrize(("name", "lang"), SWITCHED)
async def test_every_page_switches_language_in_place_and_shows_no_raw_key(
    browser: Any, scene: Scene, name: str, lang: str
) -> None:
    other = "cy" if lang == "en" else "en"
    context = await language_context(browser, scene, lang)
    try:
        page = await context.new_page()
        await PAGES[name](page, scene)
        assert await page.evaluate(RAW_KEYS) == []
        on_board = await page.locator("#canvas").count() == 1
        if on_board:
            if await page.locator("#help[open]").count():
                await page.keyboard.press("Escape")  # the help is modal: close it to reach the switch
            await page.evaluate("() => { location.hash = '#@640,-320,150'; }")
            await page.wait_for_function("() => document.querySelector('.zoom-level').textContent === '150%'")
        before = {
            "path": await page.evaluate("() => location.pathname"),
            "text": await page.inner_text("body"),
        }
        skip = await page.locator(".skip-link").first.inner_text()
        receipt = page.locator(".receipt-code")
        code = await receipt.text_content() if await receipt.count() else None
        switch = page.locator(".language-switch")
        assert await switch.count() == 1
        await switch.locator(f"span[aria-current='true'][lang='{lang}']").wait_for(state="attached")
        # A link, or on the withdrawal code's page a button that posts the code back.
        await switch.locator(f":is(a[hreflang='{other}'], button[lang='{other}'])").click()
        await page.wait_for_function("(lang) => document.documentElement.lang === lang", arg=other)
        await wait_ready(page)
        assert await page.evaluate("() => location.pathname") == before["path"], "the switch comes back here"
        assert await page.locator(".skip-link").first.inner_text() != skip, "the page's own words changed"
        assert await page.inner_text("body") != before["text"]
        await switch.locator(f"span[aria-current='true'][lang='{other}']").wait_for(state="attached")
        if code is not None:
            assert await receipt.text_content() == code, "the withdrawal code is still there to keep"
        if on_board:
            await wait_online(page)
            assert await page.evaluate("() => location.hash") == "#@640,-320,150", "the same place"
            assert await page.locator(".zoom-level").text_content() == "150%"
        assert await page.evaluate(RAW_KEYS) == []
    finally:
        await context.close()


async def test_the_raw_key_check_sees_a_missing_string(browser: Any, scene: Scene) -> None:
    context = await language_context(browser, scene, "en")
    try:
        page = await context.new_page()
        await home(page, scene)
        await page.evaluate(
            """() => {
                const button = document.createElement('button');
                button.setAttribute('aria-label', 'board.tool.missing');
                document.body.append(button, document.createTextNode('home.not_there'));
            }"""
        )
        assert await page.evaluate(RAW_KEYS) == ["home.not_there", "aria-label=board.tool.missing"]
    finally:
        await context.close()
