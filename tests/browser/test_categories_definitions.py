""" "Defining our categories" on the board in Chromium (issue 5, seed 000): a definition card is
added from a category frame's menu or the toolbar's "Define a category", opened for typing at
once, seen by the others as it is typed, and exported in the record; a locked board offers
no new card to participants."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.browser.helpers import (
    Person,
    facilitator_socket,
    module_server,
    new_workshop,
    open_board,
    server_objects,
)
from tests.conftest import RunningServer

pytestmark = pytest.mark.browser
board_server = module_server()

COLUMN = {
    "type": "frame",
    "id": "col-participation",
    "x": -300,
    "y": -300,
    "w": 600,
    "h": 500,
    "title": "Participation column",
    "category": "participation",
}


@pytest.fixture
async def people(browser: Any) -> AsyncIterator[list[Person]]:
    opened: list[Person] = []
    yield opened
    for person in opened:
        await person.close()


def cards(objects: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {obj["category"]: obj for obj in objects.values() if obj.get("type") == "definition"}


async def type_and_finish(page: Any, text: str) -> None:
    editor = page.locator("textarea.editor")
    await editor.wait_for()
    await editor.fill(text)
    await editor.press("Escape")
    await editor.wait_for(state="detached")


async def test_definition_cards_come_from_a_frames_menu_and_the_toolbar_and_reach_the_record(
    board_server: RunningServer, browser: Any, people: list[Person]
) -> None:
    workshop = await new_workshop(board_server.base_url)
    socket = await facilitator_socket(workshop)
    try:
        await socket.op({"kind": "create", "obj": COLUMN})
        a = await open_board(browser, workshop)
        b = await open_board(browser, workshop)
        people += [a, b]

        # From the category frame's menu: a card for its category, under it, open for typing.
        await a.page.locator(".item.frame .frame-title").click()
        await a.page.locator(".object-menu").get_by_role("button", name="Define Participation").click()
        await type_and_finish(a.page, "People shape what happens")
        card = a.page.locator(".item.definition")
        await card.locator(".definition-category", has_text="Participation").wait_for()
        await b.page.get_by_role("button", name="Show everything").click()
        await b.page.locator(
            ".item.definition .definition-definition", has_text="People shape what happens"
        ).wait_for()
        # Both boxes read in one frame: the view may still be gliding to the new card.
        frame_box, card_box = await a.page.evaluate(
            """() => [".item.frame", ".item.definition"].map((selector) => {
                const box = document.querySelector(selector).getBoundingClientRect();
                return { y: box.y, height: box.height };
            })"""
        )
        assert card_box["y"] > frame_box["y"] + frame_box["height"], "under its frame"

        # From the toolbar: choose the category; the card appears in view, open for typing.
        await b.page.get_by_role("button", name="Define a category").click()
        await (
            b.page.get_by_role("region", name="Defining our categories")
            .get_by_role("button", name="Empowerment")
            .click()
        )
        await type_and_finish(b.page, "Power is handed over")
        await a.page.get_by_role("button", name="Show everything").click()
        await a.page.locator(
            ".item.definition .definition-definition", has_text="Power is handed over"
        ).wait_for()

        await socket.wait_for(
            lambda: (
                len(cards(socket.objects)) == 2
                and cards(socket.objects)["empowerment"].get("definition") == "Power is handed over"
            )
        )
        found = cards(await server_objects(workshop))
        assert found["participation"]["definition"] == "People shape what happens"
        assert found["empowerment"]["definition"] == "Power is handed over"
        async with httpx.AsyncClient(base_url=workshop.base_url) as http:
            record = (
                await http.get(
                    f"/api/workshops/{workshop.id}/export.json",
                    headers={"Authorization": f"Bearer {workshop.facilitator_token}"},
                )
            ).json()
        exported = {d["category"]: d["definition"] for d in record["definitions"]}
        assert exported == {
            "participation": "People shape what happens",
            "empowerment": "Power is handed over",
        }

        # A locked board: participants get no new card (the facilitator still would).
        define = a.page.get_by_role("button", name="Define a category")
        assert await define.is_enabled()
        await socket.op({"kind": "settings", "props": {"locked": True}})
        await a.page.wait_for_function("() => document.querySelector('.define-button').disabled")
    finally:
        await socket.close()
