"""Welsh all the way through (issue 8), in Chromium: someone reading in Welsh sees the others'
made-up names in Welsh (beside their cursors and in the facilitator's list of people), the
workshop's categories by their Welsh labels on the board, in the list of notes and on the
dashboard, the session templates by their Welsh titles, and the server's refusals in Welsh,
never its English."""

from __future__ import annotations

from typing import Any

import pytest

from board import i18n
from tests.browser.helpers import facilitator_socket, module_server, new_workshop, open_board, wait_ready
from tests.browser.test_keyboard import tab_to
from tests.browser.test_listview import participant_socket
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser

board_server = module_server()


def welsh_name(name: str) -> str:
    """A made-up name as static/js/names.js shows it in Welsh, from the catalogue."""
    colour, creature = (word.lower() for word in name.split(" "))
    catalog = i18n.catalog()
    feminine = f"names.creature_f.{creature}" in catalog
    return i18n.translate(
        "cy",
        "names.name",
        colour=catalog[f"names.{'colour_f' if feminine else 'colour'}.{colour}"]["cy"],
        creature=catalog[f"names.{'creature_f' if feminine else 'creature'}.{creature}"]["cy"],
    )


def test_welsh_names_put_the_creature_first_and_the_colour_in_agreement() -> None:
    assert welsh_name("Teal Heron") == "Crëyr Gwyrddlas"
    assert welsh_name("Green Owl") == "Tylluan Werdd"
    assert welsh_name("Blue Squirrel") == "Gwiwer Las"


async def test_a_welsh_reader_sees_names_categories_and_refusals_in_welsh(
    browser: Any, board_server: RunningServer
) -> None:
    workshop = await new_workshop(board_server.base_url, title="Cymraeg")
    other = await participant_socket(workshop)
    facilitator = await facilitator_socket(workshop)
    people = []
    try:
        name = other.welcome["you"]["name"]
        await facilitator.wait_acked(
            await facilitator.op(
                {
                    "kind": "create",
                    "obj": {
                        "type": "frame",
                        "id": "f",
                        "x": 0,
                        "y": 0,
                        "w": 500,
                        "h": 400,
                        "title": "Syniadau",
                        "category": "participation",
                    },
                }
            )
        )
        await other.wait_acked(await other.create_note("n", text="Mwy o gyfarfodydd", x=100, y=100))

        # The board: the cursor's name, the frame's category.
        person = await open_board(browser, workshop, lang="cy")
        people.append(person)
        page = person.page
        await other.send({"type": "cursor", "x": 50, "y": 50})
        cursor = page.locator(".cursor-name")
        await cursor.wait_for(state="attached")
        assert await cursor.text_content() == welsh_name(name)
        assert await page.locator(".frame-category").inner_text() == "Cyfranogiad"
        await page.locator("#list-toggle").click()
        await page.locator("#list-by-category").check()
        assert await page.locator(".list-group h3").first.inner_text() == "Cyfranogiad (1 nodyn)"

        # The dashboard: the people present, and a refusal from the server.
        chair = await open_board(browser, workshop, role="facilitator", lang="cy")
        people.append(chair)
        page = chair.page
        await page.goto(f"/w/{workshop.id}/dashboard")
        await wait_ready(page)
        await page.locator("#people .name", has_text=welsh_name(name)).wait_for()
        counts = page.locator("#category-counts tbody th")
        await counts.first.wait_for()
        assert "Cyfranogiad" in await counts.all_inner_texts(), "the taxonomy's Welsh labels"
        await tab_to(page, "#board-count")
        await page.keyboard.press("Control+A")
        await page.keyboard.type("500")
        await page.locator("#open-boards").press("Enter")
        status = page.locator("#breakout-status.problem")
        await status.wait_for()
        said = await status.inner_text()
        assert i18n.translate("cy", "error.out_of_range") in said, said
        assert not any(word in said for word in ("must", "boards", "between")), "no English from the server"
        # Starting a workshop: the session templates by their Welsh titles.
        await page.goto("/new")
        await wait_ready(page)
        await page.get_by_label("Adeiladu rhwydwaith ymgysylltu").wait_for()
    finally:
        for person in people:
            await person.close()
        await other.close()
        await facilitator.close()
