"""Copies on a running server (issue 14): a pulled note and a duplicate keep what they copy
through a restart; merging a repeated point after the pull takes the merged-away note's copies
on the main board too, so the record counts the point once with every vote once."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from board.core.breakout import pulled_id
from tests.conftest import RunningServer
from tests.support import BoardClient, create_workshop, join

LIBRARY = "Drop-in at the library on Saturday mornings"


async def test_a_point_merged_after_the_pull_is_one_note_with_each_vote_once_after_a_restart(
    make_server: Callable[..., RunningServer],
) -> None:
    server = make_server()
    workshop = await create_workshop(server.base_url, breakouts=2)
    main, one, two = workshop.boards
    facilitating = {"Authorization": f"Bearer {workshop.facilitator_token}"}
    writers = [await join(workshop), await join(workshop)]
    for board, token, oid in [(one, writers[0], "lib1"), (two, writers[1], "lib2")]:
        client = await BoardClient(server.ws_url, board, token).connect()
        await client.wait_acked(await client.create_note(oid, text=LIBRARY))
        await client.close()
    async with httpx.AsyncClient(base_url=server.base_url, headers=facilitating, timeout=30) as http:
        pulled = await http.post(f"/api/workshops/{workshop.id}/pull", json={})
        assert pulled.json() == {"pulled": {"1": 1, "2": 1}}
    facilitator = await BoardClient(server.ws_url, main, workshop.facilitator_token).connect()
    await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"voting": True}}))
    copy_of_two = pulled_id("g", 2, "lib2")
    duplicate = {
        "type": "note",
        "id": "dup",
        "x": 0,
        "y": 900,
        "text": LIBRARY,
        "origin": {"id": copy_of_two},
    }
    await facilitator.wait_acked(await facilitator.op({"kind": "create", "obj": duplicate}))
    voter = await BoardClient(server.ws_url, main, writers[0]).connect()
    for vote, target in [("v1", copy_of_two), ("v2", "dup")]:
        await voter.wait_acked(
            await voter.op({"kind": "create", "obj": {"type": "vote", "id": vote, "target": target}})
        )
    await voter.close()
    await facilitator.close()

    server.stop()  # what a copy copies is in the store, not only in memory
    server = make_server(database_url=server.settings.database_url)
    async with httpx.AsyncClient(base_url=server.base_url, headers=facilitating, timeout=30) as http:
        [cluster] = (await http.get(f"/api/workshops/{workshop.id}/duplicates")).json()["clusters"]
        assert cluster["id"] == "c1"
        assert [(n["note"], n["board"], n["votes"]) for n in cluster["notes"]] == [
            ("1:lib1", 1, 0),
            ("2:lib2", 2, 2),
        ]
        merged = await http.post(
            f"/api/workshops/{workshop.id}/duplicates/merge",
            json={"notes": ["1:lib1", "2:lib2"], "keep": "1:lib1"},
        )
        assert merged.status_code == 200, merged.text
        assert merged.json()["groups"] == [1, 2]
        record = (await http.get(f"/api/workshops/{workshop.id}/export.json")).json()
    looking = await BoardClient(server.ws_url, main, workshop.facilitator_token).connect()
    main_notes = {oid for oid, obj in looking.objects.items() if obj.get("type") == "note"}
    await looking.close()
    assert main_notes == {pulled_id("g", 1, "lib1")}, "the merged-away note's copies went too"
    assert [(n["board"], n["text"], n["votes"], n["raised_in"]) for n in record["notes"]] == [
        (1, LIBRARY, 2, [1, 2])
    ]
    assert record["duplicates"] == []
