"""The key screens, saved and measured (issue 18): a board of 50 notes with long words and long
thoughts in English and Welsh, read in English and in Welsh, on a desktop (1280x800) and a
phone (390x844); the dashboard; the gallery of breakout boards (and one on the presenter
screen); the report. Each is saved
under artifacts/screens/ for a person to look at, and fails when a note's text is cut off
without "Read more" (in the gallery, "…"), covered by a chip, or broken mid-word,
or when any label runs out of its box (tests/browser/overflow.py).

And the note that holds more than it shows: "Read more" and R open its whole text, which is
stored and edited without the soft hyphens it is drawn with."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import (
    OpenWorkshop,
    facilitator_socket,
    module_server,
    new_workshop,
    note,
    open_board,
    server_objects,
    settle,
    view_still,
)
from tests.browser.overflow import measure_text, screen_problems
from tests.browser.test_board_settings import settings
from tests.browser.test_listview import participant_socket
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser

board_server = module_server()

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

ENGLISH = [
    "Participatory budgeting",
    "More conversations with young people about the council website",
    "Community development workers in every neighbourhood",
    "Internationalisation of the town's twinning arrangements",
    "Accessibility: step-free access to every consultation venue, with hearing loops",
    "A survey is not engagement",
    "Counterproductive",
    "We want to hear about the budget before decisions are made, not afterwards when it is too late "
    "to change anything at all",
    "Intergenerational conversations",
    "Transport",
    "Responsibilities of the community council should be written down in plain English and shared",
    "Focus groups with carers",
    "Incomprehensibilities",
    "Why does every meeting happen at two in the afternoon on a weekday, when most of us are at work "
    "or collecting children from school? Evening and weekend sessions, please, and online ones too, "
    "with recordings for people who cannot come. And please publish the notes afterwards so that "
    "everyone can see what was said and what the council will do about it, with dates.",
    "Citizens' panel",
    "Decision-making should be transparent",
    "Neighbourhood representatives",
    "Environmentally sustainable regeneration",
    "Libraries",
    "Share the results",
    "Co-production means designing the service together from the start",
    "Uncharacteristically",
    "Play areas for older children and teenagers in the park near the leisure centre",
    "Wellbeing",
    "Telling people what has already been decided is not consultation",
]

WELSH = [
    "Cyllidebu cyfranogol",
    "Mwy o sgyrsiau gyda phobl ifanc am wefan y cyngor",
    "Gweithwyr datblygu cymunedol ym mhob cymdogaeth",
    "Rhyngwladoli trefniadau gefeillio'r dref",
    "Hygyrchedd: mynediad heb risiau i bob lleoliad ymgynghori, gyda dolenni sain",
    "Nid ymgysylltu yw arolwg",
    "Gwrthgynhyrchiol",
    "Rydym eisiau clywed am y gyllideb cyn gwneud penderfyniadau, nid wedyn pan mae'n rhy hwyr i "
    "newid dim byd o gwbl",
    "Sgyrsiau rhwng cenedlaethau",
    "Trafnidiaeth",
    "Dylai cyfrifoldebau'r cyngor cymuned gael eu hysgrifennu mewn Cymraeg clir a'u rhannu",
    "Grwpiau ffocws gyda gofalwyr",
    "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
    "Pam mae pob cyfarfod am ddau o'r gloch y prynhawn ar ddiwrnod gwaith, pan mae'r rhan fwyaf "
    "ohonom yn y gwaith neu'n casglu plant o'r ysgol? Sesiynau gyda'r nos ac ar y penwythnos, os "
    "gwelwch yn dda, a rhai ar-lein hefyd, gyda recordiadau i bobl sy'n methu dod. A chyhoeddwch y "
    "nodiadau wedyn fel y gall pawb weld beth a ddywedwyd a beth fydd y cyngor yn ei wneud.",
    "Panel dinasyddion",
    "Dylai gwneud penderfyniadau fod yn dryloyw",
    "Cynrychiolwyr cymdogaethau",
    "Adfywio amgylcheddol gynaliadwy",
    "Llyfrgelloedd",
    "Rhannwch y canlyniadau",
    "Mae cydgynhyrchu yn golygu cynllunio'r gwasanaeth gyda'n gilydd o'r dechrau",
    "Cyfrifoldebau",
    "Mannau chwarae i blant hŷn a phobl ifanc yn y parc ger y ganolfan hamdden",
    "Llesiant",
    "Nid ymgynghori yw dweud wrth bobl beth sydd eisoes wedi'i benderfynu",
]

COLOURS = ["yellow", "pink", "blue", "green", "orange", "purple", "white", "grey"]


async def fill_board(workshop: OpenWorkshop) -> None:
    """50 notes of 200x200 in ten columns, English and Welsh side by side; the first row in a
    category frame (their category shows), some voted for, some private (the facilitator sees
    "Private: not yet shown to everyone"), all from other people."""
    facilitator = await facilitator_socket(workshop)
    other = await participant_socket(workshop)
    try:
        frame = {"type": "frame", "id": "f", "x": -20, "y": -50, "w": 2200, "h": 270, "title": "Ideas"}
        await facilitator.wait_acked(
            await facilitator.op({"kind": "create", "obj": {**frame, "category": "participation"}})
        )
        await settings(facilitator, voting=True, votes_shown=True, vote_budget=10)
        texts = [text for pair in zip(ENGLISH, WELSH, strict=True) for text in pair]
        for i, text in enumerate(texts):
            x, y = (i % 10) * 220, (i // 10) * 220
            colour = COLOURS[i % len(COLOURS)]
            made = await other.create_note(f"n{i}", text=text, x=x, y=y, w=200, h=200, color=colour)
            if i == 39:  # the last row is written in private mode
                await other.wait_acked(made)
                await settings(facilitator, private_mode=True)
        for i in (1, 2, 3, 12, 13, 25):
            await other.op({"kind": "create", "obj": {"type": "vote", "id": f"v{i}", "target": f"n{i}"}})
        await other.wait_acked(
            await other.op({"kind": "create", "obj": {"type": "vote", "id": "v-last", "target": "n5"}})
        )
    finally:
        await other.close()
        await facilitator.close()


GROUP = [
    ("Neighbourhood forums every quarter, in the evening", "Fforymau cymdogaeth bob chwarter, gyda'r nos"),
    ("Uncharacteristically quiet", "Ymgynghoriad anarferol o dawel"),
    ("Misunderstandings about the planning application", "Camddealltwriaeth am y cais cynllunio"),
    ("Volunteering opportunities for retired people", "Cyfleoedd gwirfoddoli i bobl sydd wedi ymddeol"),
    ("Disproportionately affected households", "Aelwydydd sy'n cael eu heffeithio'n anghymesur"),
    ("Photographs of the riverside", "Ffotograffau o lan yr afon"),
    ("Straightforwardness", "Trawsnewidiad digidol"),
    ("Gardening club", "Clwb garddio"),
]
"""Breakout board 1's thoughts: other words than the main board's, but for REPEATED."""
REPEATED = (WELSH[12], ENGLISH[12])
"""Two of the main board's notes written on board 1 too: a repeated point, quoted on the
dashboard and in the report, long words and all."""
DRAWN = len(GROUP) * 2 + len(REPEATED)
"""Notes on breakout board 1."""


async def fill_breakout(workshop: OpenWorkshop) -> None:
    """Breakout board 1's notes, English and Welsh side by side, for the gallery to draw."""
    group = await facilitator_socket(workshop, workshop.boards[1])
    try:
        texts = [text for pair in GROUP for text in pair] + list(REPEATED)
        ops = [
            {
                "kind": "create",
                "obj": {
                    "type": "note",
                    "id": f"g{i}",
                    "text": text,
                    "x": (i % 4) * 220,
                    "y": (i // 4) * 220,
                    "w": 200,
                    "h": 200,
                    "color": COLOURS[i % len(COLOURS)],
                },
            }
            for i, text in enumerate(texts)
        ]
        await group.wait_acked(await group.op({"kind": "batch", "ops": ops}))
    finally:
        await group.close()


async def show_gallery(page: Any, workshop: OpenWorkshop) -> None:
    """The gallery with breakout board 1 drawn, its notes' hyphenation points arrived."""
    await page.goto(f"/w/{workshop.id}/gallery")
    await page.locator(".gallery-card .gallery-note").nth(DRAWN - 1).wait_for(state="attached")
    await page.locator("html[data-hyphenation='cy en']").wait_for(state="attached")
    await settle(page)


async def show_presented(page: Any, workshop: OpenWorkshop) -> None:
    """The presenter screen showing breakout board 1 large (key 1), as on a projector."""
    await page.goto(f"/w/{workshop.id}/present")
    await page.locator("#presenter-switcher").wait_for()
    await page.keyboard.press("1")
    shown = page.locator('main[data-showing="board-1"] .gallery-note')
    await shown.nth(DRAWN - 1).wait_for(state="attached")
    await page.locator("html[data-hyphenation='cy en']").wait_for(state="attached")
    await settle(page)


async def show_board(page: Any, size: dict[str, int], zoom_key: str) -> None:
    """The board at a window size, zoomed to fit (F) or to 100 % (0), at rest."""
    await page.set_viewport_size(size)
    await page.locator("#canvas").focus()
    await page.keyboard.press(zoom_key)
    await view_still(page)
    await settle(page)


async def show_report(page: Any, workshop: OpenWorkshop) -> None:
    """The printable report as its reader opens the downloaded file: in the browser."""
    path = f"/api/workshops/{workshop.id}/export.html"

    async def inline(route: Any) -> None:
        response = await route.fetch()
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-disposition"}
        await route.fulfill(response=response, headers=headers)

    await page.route(f"**{path}", inline)
    await page.goto(path)
    await page.wait_for_url(f"**{path}")
    await page.locator(".note .text").first.wait_for()


async def test_key_screens_keep_every_word_whole_and_in_view_at_both_sizes_in_both_languages(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url, title="Town centre engagement", breakouts=1)
    await fill_board(workshop)
    await fill_breakout(workshop)
    problems: list[str] = []
    for lang in ("en", "cy"):
        person = await open_board(browser, workshop, role="facilitator", lang=lang, viewport=DESKTOP)
        page = person.page
        try:
            await note(page, "Participatory budgeting").wait_for()
            # English and Welsh notes: both languages' hyphenation patterns have arrived.
            await page.locator("html[data-hyphenation='cy en']").wait_for(state="attached")
            # Far enough out to see every note, and at 100 %, on a desktop and a phone.
            await show_board(page, DESKTOP, "f")
            problems += await screen_problems(page, f"board-{lang}-desktop", min_notes=50)
            await show_board(page, DESKTOP, "0")
            problems += await screen_problems(page, f"board-{lang}-desktop-100", min_notes=12)
            await show_board(page, PHONE, "0")
            problems += await screen_problems(page, f"board-{lang}-phone", min_notes=2)
            for size, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
                await page.set_viewport_size(size)
                await page.goto(f"/w/{workshop.id}/dashboard")
                await page.locator("main").first.wait_for()
                # The repeated point, quoted with its long words broken at their syllables.
                await page.locator("#clusters .cluster").first.wait_for()
                await page.locator("html[data-hyphenation~='cy']").wait_for(state="attached")
                await settle(page)
                problems += await screen_problems(page, f"dashboard-{lang}-{suffix}", full_page=True)
                await show_gallery(page, workshop)
                problems += await screen_problems(
                    page, f"gallery-{lang}-{suffix}", min_notes=DRAWN, full_page=True
                )
                if size is DESKTOP:  # a projector's screen
                    await show_presented(page, workshop)
                    problems += await screen_problems(page, f"presenter-{lang}", min_notes=DRAWN)
                await show_report(page, workshop)
                problems += await screen_problems(page, f"report-{lang}-{suffix}", full_page=True)
        finally:
            await person.close()
    assert not problems, "\n".join(problems)


async def test_a_note_too_long_for_its_box_says_so_and_opens_whole(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url)
    other = await participant_socket(workshop)
    long = " ".join(ENGLISH[13] for _ in range(2))
    try:
        await other.wait_acked(await other.create_note("long", text=long, x=0, y=0, w=200, h=200))
        await other.wait_acked(await other.create_note("word", text=WELSH[12], x=240, y=0, w=120, h=120))
    finally:
        await other.close()
    person = await open_board(browser, workshop, viewport=DESKTOP)
    page = person.page
    try:
        held = page.locator('.item.note[data-id="long"]')
        more = held.get_by_role("button", name="Read more")
        await more.wait_for()
        size = await held.locator(".note-text").evaluate(
            "(text) => parseFloat(getComputedStyle(text).fontSize)"
        )
        assert size == 11, "shrunk to the documented minimum before saying it holds more"

        # A tap on "Read more" shows the whole text, as written (no soft hyphens).
        await more.click()
        reader = page.get_by_role("dialog", name="The whole note")
        await reader.wait_for()
        assert await reader.locator(".note-reader-text").text_content() == long
        await page.keyboard.press("Escape")
        await reader.wait_for(state="hidden")

        # R on a focused note does the same.
        await held.focus()
        await page.keyboard.press("r")
        await reader.wait_for()
        await page.keyboard.press("Escape")

        # A long Welsh word is drawn in Welsh with hyphens at its syllables; the text stored
        # and the editor's hold no soft hyphen.
        word = page.locator('.item.note[data-id="word"] .note-text')
        assert await word.get_attribute("lang") == "cy"
        # Its hyphenation points arrive with the Welsh patterns, loaded after the page.
        await page.locator("html[data-hyphenation~='cy']").wait_for(state="attached")
        drawn = await word.text_content()
        assert "\u00ad" in drawn, "hyphenation points, drawn as hyphens where a line breaks"
        assert drawn.replace("\u00ad", "") == WELSH[12]
        assert (await measure_text(page))["problems"] == []
        await word.dblclick()
        editor = page.locator("textarea.editor")
        await editor.wait_for()
        assert await editor.input_value() == WELSH[12]
        await editor.press("Escape")
        stored = await server_objects(workshop)
        assert stored["word"]["text"] == WELSH[12]
    finally:
        await person.close()
