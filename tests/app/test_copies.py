"""Copies on a running server (issue 14): a pulled note and a duplicate keep what they copy
through a restart; merging a repeated point after the pull takes the merged-away note's copies
on the main board too, so the record counts the point once with every vote once; a note pasted
from one board onto another is a copy too, checked against the board it came from."""

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
    for vote, target in [("v1", copy_of_two), ("v2", "dup"), ("v3", pulled_id("g", 1, "lib1"))]:
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
            ("1:lib1", 1, 1),
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
    main_notes = {oid: obj for oid, obj in looking.objects.items() if obj.get("type") == "note"}
    await looking.close()
    assert set(main_notes) == {pulled_id("g", 1, "lib1")}, "the merged-away note's copies went too"
    kept_copy = main_notes[pulled_id("g", 1, "lib1")]
    assert kept_copy["groups"] == [1, 2], "the kept note's copy says 'raised in 2 groups' too"
    assert kept_copy["origin"] == {"id": "lib1", "board": 1}
    assert [(oid, v["target"]) for oid, v in looking.objects.items() if v.get("type") == "vote"] == [
        ("v3", pulled_id("g", 1, "lib1"))
    ], "the vote on the copy stays on it"
    assert [(n["board"], n["text"], n["votes"], n["raised_in"]) for n in record["notes"]] == [
        (1, LIBRARY, 3, [1, 2])
    ]
    assert record["duplicates"] == []


async def test_a_note_pasted_onto_another_board_is_one_contribution_after_a_restart(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url, breakouts=3)
    _, one, two, three = workshop.boards
    writer, paster = await join(workshop), await join(workshop)
    on_two = await BoardClient(server.ws_url, two, writer).connect()
    await on_two.wait_acked(await on_two.create_note("lib", text=LIBRARY))
    await on_two.close()
    on_three = await BoardClient(server.ws_url, three, paster).connect()
    pasted = {
        "type": "note",
        "id": "pasted",
        "x": 0,
        "y": 0,
        "text": LIBRARY,
        "origin": {"id": "lib", "board": 2},
    }
    await on_three.wait_acked(await on_three.op({"kind": "create", "obj": pasted}))
    assert on_three.objects["pasted"]["origin"] == {"id": "lib", "board": 2}
    await on_three.close()
    # A paste of the paste, onto a third board, copies the same original.
    on_one = await BoardClient(server.ws_url, one, paster).connect()
    again = {**pasted, "id": "again", "origin": {"id": "pasted", "board": 3}}
    await on_one.wait_acked(await on_one.op({"kind": "create", "obj": again}))
    assert on_one.objects["again"]["origin"] == {"id": "lib", "board": 2}
    await on_one.close()

    server.stop()
    server = make_server(database_url=database_url)
    facilitating = {"Authorization": f"Bearer {workshop.facilitator_token}"}
    async with httpx.AsyncClient(base_url=server.base_url, headers=facilitating, timeout=30) as http:
        record = (await http.get(f"/api/workshops/{workshop.id}/export.json")).json()
        clusters = (await http.get(f"/api/workshops/{workshop.id}/duplicates")).json()["clusters"]
    notes = [(n["board"], n["text"], n["copies"]) for n in record["notes"]]
    assert notes == [(2, LIBRARY, 2)], "one contribution of board 2's, with its two copies"
    assert clusters == [], "a note pasted elsewhere is not a repeat of itself"


async def test_a_paste_naming_an_object_hidden_on_another_board_is_answered_as_a_made_up_one(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url, breakouts=3)
    _, one, two, three = workshop.boards
    writer, paster = await join(workshop), await join(workshop)
    facilitator = await BoardClient(server.ws_url, one, workshop.facilitator_token).connect()
    await facilitator.wait_acked(await facilitator.create_note("hid", text="Hidden by the facilitator"))
    await facilitator.wait_acked(
        await facilitator.op({"kind": "update", "id": "hid", "props": {"hidden": True}})
    )
    await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"private_mode": True}}))
    await facilitator.wait_acked(await facilitator.create_note("shape", text="A shape is not a note"))
    await facilitator.close()
    on_one = await BoardClient(server.ws_url, one, writer).connect()
    await on_one.wait_acked(await on_one.create_note("secret", text="Only mine until revealed"))
    await on_one.close()

    on_three = await BoardClient(server.ws_url, three, paster).connect()

    async def answer(origin: dict[str, object], kind: str = "note") -> dict[str, object]:
        obj = {"type": kind, "id": f"p{len(on_three.errors)}", "x": 0, "y": 0, "origin": origin}
        op_id = await on_three.op({"kind": "batch", "ops": [{"kind": "create", "obj": obj}]})
        error = await on_three.wait_error(len(on_three.errors) + 1)
        assert error["id"] == op_id
        return {k: v for k, v in error.items() if k != "id"}

    made_up = await answer({"id": "nothing", "board": 1})
    assert made_up["code"] == "not_found"
    assert made_up["field"] == "op.ops[0].obj.origin.id"
    assert await answer({"id": "secret", "board": 1}) == made_up, "someone else's private note"
    assert await answer({"id": "hid", "board": 1}) == made_up, "a hidden note"
    assert await answer({"id": "shape", "board": 1}, kind="text") == made_up, "another type"
    assert await answer({"id": "secret", "board": 7}) == made_up, "no such board"
    assert [oid for oid in on_three.objects if not oid.startswith("__")] == [], "nothing was placed"
    await on_three.close()

    # Its writer sees their private note, so may paste it elsewhere.
    own = await BoardClient(server.ws_url, two, writer).connect()
    copy = {"type": "note", "id": "mine", "x": 0, "y": 0, "origin": {"id": "secret", "board": 1}}
    await own.wait_acked(await own.op({"kind": "create", "obj": copy}))
    assert own.objects["mine"]["origin"] == {"id": "secret", "board": 1}
    await own.close()


async def test_the_categories_panel_leaves_out_contributions_as_the_record_does(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url, breakouts=1)
    main, one = workshop.boards
    writer = await join(workshop)
    facilitating = {"Authorization": f"Bearer {workshop.facilitator_token}"}
    group = await BoardClient(server.ws_url, one, writer).connect()
    for oid, words in [("gone", "Knock on doors"), ("kept", LIBRARY)]:
        await group.wait_acked(await group.create_note(oid, text=words))
    async with httpx.AsyncClient(base_url=server.base_url, headers=facilitating, timeout=30) as http:
        assert (await http.post(f"/api/workshops/{workshop.id}/pull", json={})).status_code == 200
    hiding = {1: await BoardClient(server.ws_url, one, workshop.facilitator_token).connect()}
    hiding[0] = await BoardClient(server.ws_url, main, workshop.facilitator_token).connect()
    # "Knock on doors" hidden on both boards: one contribution left out, not two. The library
    # point's pulled copy hidden, its note still shown: nothing left out.
    for board, oid in [(1, "gone"), (0, pulled_id("g", 1, "gone")), (0, pulled_id("g", 1, "kept"))]:
        await hiding[board].wait_acked(
            await hiding[board].op({"kind": "update", "id": oid, "props": {"hidden": True}})
        )
    await hiding[1].wait_acked(await hiding[1].op({"kind": "settings", "props": {"private_mode": True}}))
    # A private note and its duplicate: one contribution left out.
    await group.wait_acked(await group.create_note("mine", text="Only mine so far"))
    twin = {
        "type": "note",
        "id": "twin",
        "x": 0,
        "y": 0,
        "text": "Only mine so far",
        "origin": {"id": "mine"},
    }
    await group.wait_acked(await group.op({"kind": "create", "obj": twin}))
    for client in (group, *hiding.values()):
        await client.close()

    async with httpx.AsyncClient(base_url=server.base_url, headers=facilitating, timeout=30) as http:
        panel = (await http.get(f"/api/workshops/{workshop.id}/categories")).json()
        record = (await http.get(f"/api/workshops/{workshop.id}/export.json")).json()
    assert panel["excluded"] == {"hidden_notes": 1, "private_notes": 1}
    assert record["excluded"]["hidden_notes"] == 1
    assert record["excluded"]["private_notes"] == 1
    assert [n["text"] for n in record["notes"]] == [LIBRARY]
