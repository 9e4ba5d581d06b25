"""Suggestions that learn from the workshop itself (DESIGN.md §5, issue #20), over HTTP and
real websockets: a note the group set on one board is an example for a near-copy on another;
the dashboard's API says which note a suggestion is like, and "accept all" (one action) makes
exactly what it showed explicit."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import RunningServer
from tests.support import BoardClient, create_workshop


async def test_a_confirmed_note_is_the_example_for_its_near_copy_and_accepting_takes_what_was_shown(
    server: RunningServer,
) -> None:
    workshop = await create_workshop(server.base_url, breakouts=1)
    main = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    breakout = await BoardClient(server.ws_url, workshop.boards[1], workshop.facilitator_token).connect()

    async def note(client: BoardClient, oid: str, text: str, category: str | None = None) -> None:
        obj: dict[str, Any] = {"type": "note", "id": oid, "x": 0, "y": 0, "text": text}
        if category is not None:
            obj["category"] = category
        await client.wait_acked(await client.op({"kind": "create", "obj": obj}, op_id=f"{oid}-op"))

    # The group's own reading: their residents' panel was a debate, not a survey.
    example = "Residents' panel on the library opening hours"
    await note(breakout, "set", example, "forums_for_debate")
    await note(main, "copy", "Residents panel about library hours")
    await note(main, "other", "Online questionnaire for parents")
    await note(main, "cake", "best thing was the cake, thanks all")  # about no way of engaging

    api = f"/api/workshops/{workshop.id}/categories"
    headers = {"Authorization": f"Bearer {workshop.facilitator_token}"}
    async with httpx.AsyncClient(base_url=workshop.base_url, headers=headers, timeout=30) as http:
        shown = (await http.get(api)).json()
        by_note = {n["note"]: n for n in shown["notes"]}
        copy, other, cake = by_note["0:copy"], by_note["0:other"], by_note["0:cake"]
        assert (cake["source"], cake["category"]) == ("none", None)
        assert (copy["source"], copy["category"], copy["like"]) == ("suggested", "forums_for_debate", example)
        assert 0.5 <= copy["confidence"] < 1
        assert (other["source"], other["category"], other["like"]) == (
            "suggested",
            "getting_information",
            None,
        )
        assert other["matched"] == "Questionnaires"
        accepted = (await http.post(f"{api}/accept", json={"all": True})).json()
    assert sorted((a["note"], a["category"]) for a in accepted["accepted"]) == [
        ("0:copy", "forums_for_debate"),
        ("0:other", "getting_information"),
    ]
    await main.close()
    await breakout.close()
