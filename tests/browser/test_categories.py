"""Categories on the board in Chromium (issue 5, "Assigning categories"): a note's menu sets
its category for everyone, in their language, and clearing it falls back to the column it
sits in; a facilitator sees a suggestion marked apart and accepts it from the note in one
click; participants see no suggestion until someone accepts it. Real server, real sockets,
two or more people in browsers of their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.browser.helpers import (
    OpenWorkshop,
    Person,
    facilitator_socket,
    module_server,
    new_workshop,
    note,
    open_board,
    screenshot,
    server_objects,
)
from tests.browser.test_access import axe_violations
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()

COLUMN = {
    "type": "frame",
    "id": "col-participation",
    "x": -100,
    "y": -100,
    "w": 600,
    "h": 800,
    "title": "Participation",
    "category": "participation",
}
"""A category column around the middle of everyone's first view."""


@pytest.fixture
async def people(browser: Any) -> AsyncIterator[list[Person]]:
    opened: list[Person] = []
    yield opened
    for person in opened:
        await person.close()


async def label(page: Any, text: str) -> Any:
    """The category label of the note showing `text`."""
    return note(page, text).locator(".note-category")


async def category_of(workshop: OpenWorkshop, text: str) -> str | None:
    objects = await server_objects(workshop)
    found = [obj for obj in objects.values() if obj.get("type") == "note" and obj.get("text") == text]
    assert len(found) == 1
    category: str | None = found[0].get("category")
    return category


async def choose(page: Any, text: str, category: str) -> None:
    """Select the note and choose `category` from its menu's row of categories."""
    await note(page, text).click()
    menu = page.locator(".object-menu")
    await menu.get_by_role("button", name="Category", exact=True).click()
    await (
        menu.get_by_role("group", name="Choose a category")
        .get_by_role("button", name=category, exact=True)
        .click()
    )


async def test_a_note_takes_its_category_from_its_menu_for_everyone_and_falls_back_to_its_column(
    board_server: RunningServer, browser: Any, people: list[Person]
) -> None:
    workshop = await new_workshop(board_server.base_url)
    facilitator = await facilitator_socket(workshop)
    try:
        await facilitator.op({"kind": "create", "obj": COLUMN})
        await facilitator.op(
            {"kind": "create", "obj": {"type": "note", "id": "n1", "x": 0, "y": 0, "text": "Youth forum"}}
        )
        await facilitator.wait_for(lambda: "n1" in facilitator.objects)
    finally:
        await facilitator.close()
    a = await open_board(browser, workshop, bypass_csp=True)
    b = await open_board(browser, workshop)
    welsh = await open_board(browser, workshop, lang="cy")
    people += [a, b, welsh]

    # In the column: its category, in words, marked as coming from the column.
    for person, words in ((a, "Participation"), (b, "Participation"), (welsh, "Cyfranogiad")):
        shown = await label(person.page, "Youth forum")
        await shown.filter(has_text=words).wait_for()
        assert await shown.get_attribute("data-source") == "frame"

    await choose(a.page, "Youth forum", "Empowerment")
    for person, words in ((a, "Empowerment"), (b, "Empowerment"), (welsh, "Grymuso")):
        shown = await label(person.page, "Youth forum")
        await shown.filter(has_text=words).wait_for()
        assert await shown.get_attribute("data-source") == "explicit"
    assert await category_of(workshop, "Youth forum") == "empowerment"
    chosen = a.page.locator(".object-menu").get_by_role("button", name="Category", exact=True)
    assert await chosen.evaluate("(button) => button === document.activeElement"), (
        "the keyboard stays on Category"
    )
    await screenshot(welsh.page, "categories-note-cy")

    # "No category": the note follows its column again, for everyone.
    await a.page.locator(".object-menu").get_by_role("button", name="Category", exact=True).click()
    row = a.page.locator(".object-menu").get_by_role("group", name="Choose a category")
    assert await axe_violations(a.page) is None, "the note's label and the row of categories"
    assert (
        await row.get_by_role("button", name="Empowerment", exact=True).get_attribute("aria-pressed")
        == "true"
    )
    await row.get_by_role("button", name="No category").click()
    shown = await label(b.page, "Youth forum")
    await shown.filter(has_text="Participation").wait_for()
    assert await shown.get_attribute("data-source") == "frame"
    assert await category_of(workshop, "Youth forum") is None


async def test_a_facilitator_sees_a_suggestion_apart_and_accepts_it_from_the_note(
    board_server: RunningServer, browser: Any, people: list[Person]
) -> None:
    workshop = await new_workshop(board_server.base_url)
    text = "Satisfaction survey in children's services"
    socket = await facilitator_socket(workshop)
    try:
        await socket.op(
            {"kind": "create", "obj": {"type": "note", "id": "s1", "x": 900, "y": 0, "text": text}}
        )
        await socket.wait_acked(
            await socket.op(
                {
                    "kind": "create",
                    "obj": {"type": "note", "id": "s2", "x": 1200, "y": 0, "text": "Tea and cake"},
                }
            )
        )
    finally:
        await socket.close()
    # The board asks for suggestions once connected, then at most every ten seconds.
    participant = await open_board(browser, workshop)
    facilitator = await open_board(browser, workshop, role="facilitator")
    people += [participant, facilitator]

    suggested = await label(facilitator.page, text)
    await suggested.filter(has_text="Suggested: Getting Information").wait_for()
    assert await suggested.get_attribute("data-source") == "suggested"
    await note(participant.page, text).wait_for()
    assert await (await label(participant.page, text)).is_hidden(), "participants see no suggestion"
    assert await (await label(facilitator.page, "Tea and cake")).is_hidden(), (
        "nothing suggested, nothing shown"
    )
    await screenshot(facilitator.page, "categories-suggested")

    await note(facilitator.page, text).click()
    await (
        facilitator.page.locator(".object-menu")
        .get_by_role("button", name="Accept: Getting Information")
        .click()
    )
    shown = await label(participant.page, text)
    await shown.filter(has_text="Getting Information").wait_for()
    assert await shown.get_attribute("data-source") == "explicit"
    confirmed = await label(facilitator.page, text)
    await confirmed.and_(facilitator.page.locator('[data-source="explicit"]')).wait_for()
    assert await category_of(workshop, text) == "getting_information"
