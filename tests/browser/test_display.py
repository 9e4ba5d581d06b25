"""Seeing the board however one sees (issue 8), in Chromium:

- colour is never the only cue: every note colour has a name (palette, the note's accessible
  name, in English and Welsh) and a mark of its own shape, drawn on the note and its swatch;
  private and hidden notes say so in words;
- reduced motion is respected: with `prefers-reduced-motion: reduce` no CSS animation or
  transition runs anywhere on the board, the dashboard or the join page, and the view jumps
  rather than glides;
- text scales to 200 % without loss: at 200 % page zoom (a 1280x800 screen is 640x400 CSS
  pixels) and with the root font size doubled, the join page, the board's chrome and the
  dashboard keep every control whole, none on top of another, and nothing runs off the side.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.browser.helpers import (
    WAIT_MS,
    OpenWorkshop,
    facilitator_socket,
    module_server,
    new_workshop,
    open_board,
    screenshot,
    wait_online,
    wait_ready,
)
from tests.browser.test_access import PAGES, PURPOSE, Scene, make_scene
from tests.browser.test_listview import participant_socket
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser

board_server = module_server()

COLOURS = ["yellow", "orange", "pink", "purple", "blue", "green", "grey", "white"]


async def test_every_note_colour_has_a_name_and_a_mark_of_its_own(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url, title="Colours")
    other = await participant_socket(workshop)
    facilitator = await facilitator_socket(workshop)
    people = []
    try:
        for i, colour in enumerate(COLOURS):
            await other.wait_acked(
                await other.create_note(f"c{i}", text=colour, x=i * 220, y=0, color=colour)
            )
        await facilitator.wait_acked(
            await facilitator.op({"kind": "update", "id": "c1", "props": {"hidden": True}})
        )
        for lang, names in (
            ("en", COLOURS),
            ("cy", ["melyn", "oren", "pinc", "porffor", "glas", "gwyrdd", "llwyd", "gwyn"]),
        ):
            person = await open_board(browser, workshop, role="facilitator", lang=lang)
            people.append(person)
            page = person.page
            await page.goto(f"/b/{workshop.main}#@800,100,50")
            await wait_ready(page)
            await wait_online(page)
            await page.locator(".item.note").nth(len(COLOURS) - 1).wait_for()
            marks = await page.evaluate(
                """(colours) => colours.map((c) => getComputedStyle(
                     document.querySelector(`.item.note[data-color="${c}"]`), '::before').content)""",
                COLOURS,
            )
            assert all(mark not in ("none", "normal", '""') for mark in marks), marks
            assert len(set(marks)) == len(COLOURS), "each colour its own mark"
            labels = [
                await page.locator(f".item.note[data-color='{colour}']").get_attribute("aria-label")
                for colour in COLOURS
            ]
            assert all(name in (label or "").lower() for name, label in zip(names, labels, strict=True)), (
                labels
            )
            hidden = page.locator(".item.note[data-color='orange'] .tag")
            assert await hidden.inner_text() == (
                "Hidden from participants" if lang == "en" else "Wedi'i guddio rhag cyfranogwyr"
            )

            # The palette: the same names and the same marks.
            await page.locator(".item.note[data-color='yellow']").click()
            await page.locator(".object-menu [data-action='colour']").click()
            swatches = page.locator(".object-menu .swatch")
            assert [await s.get_attribute("aria-label") for s in await swatches.all()] == names
            swatch_marks = await page.evaluate(
                """(colours) => colours.map((c) => getComputedStyle(
                     document.querySelector(`.object-menu .swatch[data-color="${c}"]`), '::before'
                   ).content)""",
                COLOURS,
            )
            assert swatch_marks == marks
    finally:
        for person in people:
            await person.close()
        await other.close()
        await facilitator.close()


MOVING = """() => {
  const moving = [];
  for (const element of document.querySelectorAll('*')) {
    for (const pseudo of [null, '::before', '::after']) {
      const style = getComputedStyle(element, pseudo);
      const transitions = style.transitionDuration.split(',').some((d) => parseFloat(d) > 0);
      if (style.animationName !== 'none' || transitions) {
        moving.push(`${element.tagName.toLowerCase()}.${element.className}${pseudo ?? ''}`);
      }
    }
  }
  return {moving, running: document.getAnimations().length};
}"""


async def test_with_reduced_motion_nothing_moves_by_itself(browser: Any, board_server: RunningServer) -> None:
    workshop = await new_workshop(board_server.base_url, title="Still")
    facilitator = await facilitator_socket(workshop)
    other = await participant_socket(workshop)
    people = []
    try:
        await other.wait_acked(await other.create_note("a", text="Here", x=2000, y=2000))
        for motion in ("reduce", "no-preference"):
            # No timer left over: the one started below ends a second later, on the server's clock.
            await facilitator.wait_acked(await facilitator.op({"kind": "timer", "action": "clear"}))
            person = await open_board(browser, workshop, reduced_motion=motion)
            people.append(person)
            page = person.page
            # Things that move when motion is welcome: someone's cursor, a timer running out,
            # the view gliding back to 100 %.
            await other.send({"type": "cursor", "x": 10, "y": 10})
            await page.locator(".cursor").wait_for(state="attached")
            await facilitator.wait_acked(
                await facilitator.op({"kind": "timer", "action": "start", "ms": 1000})
            )
            await page.locator(".fac-timer.is-ended").wait_for()
            found = await page.evaluate(MOVING)
            if motion == "reduce":
                assert found == {"moving": [], "running": 0}
            else:
                assert found["moving"], "the check sees motion when motion is welcome"
            await page.locator("#canvas").focus()
            await page.keyboard.press("-")
            await page.wait_for_function("() => document.querySelector('.zoom-level').textContent !== '100%'")
            zooms: list[str] = await page.evaluate(
                """() => new Promise((done) => {
                  const seen = [];
                  const level = document.querySelector('.zoom-level');
                  const world = document.getElementById('world');
                  const watch = () => {
                    seen.push(world.style.transform);
                    const still = seen.length > 2 && seen.at(-1) === seen.at(-2);
                    if (level.textContent === '100%' && still) done(seen);
                    else requestAnimationFrame(watch);
                  };
                  const zero = new KeyboardEvent('keydown', {key: '0', bubbles: true});
                  document.getElementById('canvas').dispatchEvent(zero);
                  requestAnimationFrame(watch);
                })"""
            )
            distinct = list(dict.fromkeys(zooms))
            if motion == "reduce":
                assert len(distinct) == 1, "the view jumps to 100 %: no frames in between"
            else:
                assert len(distinct) > 2, "the view glides when motion is welcome"
        for path in ("/new", f"/j/{workshop.join_code}"):
            context = await browser.new_context(base_url=board_server.base_url, reduced_motion="reduce")
            try:
                page = await context.new_page()
                await page.goto(path)
                await wait_ready(page)
                assert await page.evaluate(MOVING) == {"moving": [], "running": 0}
            finally:
                await context.close()
    finally:
        for person in people:
            await person.close()
        await other.close()
        await facilitator.close()


LAYOUT = """() => {
  const shown = (e) => {
    const box = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    // A 1-pixel box is words kept for screen readers only (the phone layout's icon buttons).
    return box.width > 1 && box.height > 1 && style.visibility !== 'hidden'
      && !e.closest('.visually-hidden, [hidden]');
  };
  const outside = (e) => e.id === 'canvas' || e.closest('#world, #overlay, .grid');
  const chosen = 'button, a[href], input, select, textarea, label, h1, .topbar p';
  const controls = [...document.querySelectorAll(chosen)]
    .filter((e) => shown(e) && !outside(e));
  const overlapping = [];
  const boxes = controls.map((e) => [e, e.getBoundingClientRect()]);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, ra] = boxes[i];
      const [b, rb] = boxes[j];
      if (a.contains(b) || b.contains(a) || a.control === b || b.control === a) continue;
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 2 && h > 2) overlapping.push(`${a.outerHTML.slice(0, 80)} / ${b.outerHTML.slice(0, 80)}`);
    }
  }
  const clipped = [];
  for (const e of document.querySelectorAll('body *')) {
    if (!shown(e) || outside(e) || !e.textContent.trim()) continue;
    const style = getComputedStyle(e);
    const hides = (v) => v === 'hidden' || v === 'clip';
    const acrossCut = hides(style.overflowX) && e.scrollWidth > e.clientWidth + 1;
    const downCut = hides(style.overflowY) && e.scrollHeight > e.clientHeight + 1;
    if (acrossCut || downCut) {
      clipped.push(e.outerHTML.slice(0, 100));
    }
  }
  const wide = document.documentElement.scrollWidth > document.documentElement.clientWidth + 1;
  return {overlapping, clipped, wide};
}"""


async def dashboard_page(page: Any, workshop: OpenWorkshop) -> None:
    answer = await page.context.request.post(
        f"/api/workshops/{workshop.id}/facilitate", data={"key": workshop.facilitator_key}
    )
    assert answer.ok
    await page.goto(f"/w/{workshop.id}/dashboard")
    await wait_ready(page)


async def join_page(page: Any, workshop: OpenWorkshop) -> None:
    await page.goto(f"/j/{workshop.join_code}")
    await wait_ready(page)


async def board_page(page: Any, workshop: OpenWorkshop) -> None:
    answer = await page.context.request.post("/api/join", data={"code": workshop.join_code})
    assert answer.ok
    await page.goto(f"/b/{workshop.main}")
    await wait_ready(page)
    await wait_online(page)


@pytest.fixture(scope="module")
async def scene(board_server: RunningServer) -> Scene:
    """test_access's workshop (notes, a comment, a vote, a poll answer, 'what we heard'
    published), for the pages that show what is in a workshop."""
    return await make_scene(board_server)


SCENE_PAGES = {
    "home": "home",
    "poll": "poll",
    "withdraw": "withdraw",
    "heard": "heard",
    "facilitate": "facilitate",
}
"""Pages reached as test_access reaches them (its PAGES), by the name used here."""


@pytest.mark.parametrize("how", ["zoom", "font"])
@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("where", ["join", "board", "dashboard", *SCENE_PAGES])
async def test_text_at_200_percent_keeps_every_control_whole_and_apart(
    browser: Any, board_server: RunningServer, scene: Scene, where: str, lang: str, how: str
) -> None:
    workshop = await new_workshop(board_server.base_url, title="Llyfrgell newydd y Fenni a'r cylch")
    async with httpx.AsyncClient(
        base_url=board_server.base_url, headers={"Authorization": f"Bearer {workshop.facilitator_token}"}
    ) as http:
        (await http.put(f"/api/workshops/{workshop.id}/purpose", json=PURPOSE)).raise_for_status()
    # 200 % zoom: a 1280x800 screen is 640x400 CSS pixels; or the reader's font size doubled.
    viewport = {"width": 640, "height": 400} if how == "zoom" else {"width": 1280, "height": 800}
    context = await browser.new_context(
        base_url=board_server.base_url,
        viewport=viewport,
        device_scale_factor=2 if how == "zoom" else 1,
        locale="cy-GB" if lang == "cy" else "en-GB",
    )
    context.set_default_timeout(WAIT_MS)
    if how == "font":
        await context.add_init_script(
            "document.addEventListener('DOMContentLoaded',"
            " () => { document.documentElement.style.fontSize = '200%'; })"
        )
    try:
        page = await context.new_page()
        if where in SCENE_PAGES:
            await PAGES[where](page, scene)
        else:
            await {"join": join_page, "board": board_page, "dashboard": dashboard_page}[where](page, workshop)
        if how == "font":
            assert await page.evaluate("() => getComputedStyle(document.body).fontSize") == "32px"
        await screenshot(page, f"text-200-{where}-{lang}-{how}")
        found = await page.evaluate(LAYOUT)
        assert found == {"overlapping": [], "clipped": [], "wide": False}
    finally:
        await context.close()
