"""Category columns from the dashboard in Chromium: "Add category columns" puts the current
system's columns on the chosen board, and a participant looking at that board sees them appear
without reloading; pressing again adds nothing; choosing another system says the old columns
stay as plain frames and the button adds the new ones; the Welsh dashboard says it all in
Welsh. The dashboard's `dashboard` fixture opens it as the facilitator."""

from __future__ import annotations

from typing import Any

import pytest

from board.core.taxonomies import IAP2, WAKEFIELD
from tests.browser.helpers import module_server, new_workshop, open_board, screenshot, server_objects
from tests.browser.test_access import axe_violations
from tests.browser.test_dashboard_record import dashboard
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()
__all__ = ["dashboard"]  # the fixture, shared with the record panels' tests


def columns(objects: dict[str, dict[str, Any]]) -> list[str]:
    framed = (obj for obj in objects.values() if obj.get("type") == "frame" and obj.get("category"))
    return [obj["category"] for obj in sorted(framed, key=lambda obj: obj["x"])]


async def test_the_dashboard_adds_the_systems_columns_and_the_board_shows_them_at_once(
    board_server: RunningServer, browser: Any, dashboard: Any
) -> None:
    workshop = await new_workshop(board_server.base_url, breakouts=1)
    main, one = workshop.boards
    participant = await open_board(browser, workshop)  # on the main board, where people start
    try:
        page = await dashboard(workshop)
        panel = page.get_by_role("region", name="Categories")
        where = panel.get_by_label("Put them on")
        assert await where.locator("option").all_inner_texts() == ["Every board", "Main board", "Board 1"]
        await where.select_option(label="Main board")
        await panel.get_by_role("button", name="Add category columns").click()
        await panel.get_by_text("6 columns added. Everyone on the board can see them now.").wait_for()

        titles = participant.page.locator(".frame-title", has_text=WAKEFIELD.categories[0].label.en)
        await titles.first.wait_for(state="visible")  # on the open board, without a reload
        assert columns(await server_objects(workshop, main)) == list(WAKEFIELD.keys)
        assert columns(await server_objects(workshop, one)) == [], "only the board chosen"
        await screenshot(participant.page, "category-columns-board")

        await panel.get_by_role("button", name="Add category columns").click()
        await panel.get_by_text("Nothing added: every category already has a column there.").wait_for()
        assert columns(await server_objects(workshop, main)) == list(WAKEFIELD.keys)

        await panel.get_by_label("Category system").select_option(
            label="IAP2 spectrum of public participation"
        )
        await panel.get_by_role("button", name="Use this system").click()
        await panel.get_by_text(
            "Notes are now sorted by IAP2 spectrum of public participation. Columns of the old system"
            " stay on the boards as plain frames."
        ).wait_for()
        assert await where.input_value() == "0", "the board chosen stays chosen"
        await panel.get_by_role("button", name="Add category columns").click()
        await panel.get_by_text("5 columns added. Everyone on the board can see them now.").wait_for()
        assert columns(await server_objects(workshop, main)) == [*WAKEFIELD.keys, *IAP2.keys], (
            "beside the old ones, which stay"
        )
        await screenshot(panel, "category-columns-dashboard")  # the panel, scrolled to
        assert await axe_violations(page) is None
    finally:
        await participant.close()


async def test_the_welsh_dashboard_adds_columns_in_welsh(board_server: RunningServer, dashboard: Any) -> None:
    workshop = await new_workshop(board_server.base_url, breakouts=1)
    page = await dashboard(workshop, lang="cy")
    panel = page.locator("#categories")
    where = panel.get_by_label("Eu rhoi ar")
    assert await where.locator("option").all_inner_texts() == ["Pob bwrdd", "Prif fwrdd", "Bwrdd 1"]
    await panel.get_by_role("button", name="Ychwanegu colofnau categori").click()
    await panel.get_by_text("Ychwanegwyd 12 colofn. Gall pawb ar y bwrdd eu gweld nawr.").wait_for()
    for board in workshop.boards:
        assert columns(await server_objects(workshop, board)) == list(WAKEFIELD.keys)
