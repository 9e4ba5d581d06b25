"""Category columns placed from the dashboard (DESIGN.md §5), over HTTP and real websockets:
one column per category of the workshop's current taxonomy, beside what is on the board, as
one batch everyone on the board sees at once; pressing twice places nothing twice; after the
category system changes, its columns go beside the old ones, which work as plain frames."""

from __future__ import annotations

from typing import Any

import httpx

from board.core.taxonomies import IAP2, WAKEFIELD
from tests.conftest import RunningServer
from tests.support import BoardClient, Workshop, create_workshop, join

COLUMN_W, COLUMN_GAP, GAP_BESIDE = 420, 40, 200
"""The plan's default column size and gap, and the space left beside existing content."""


def facilitator(workshop: Workshop, **headers: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=workshop.base_url,
        headers={"Authorization": f"Bearer {workshop.facilitator_token}", **headers},
        timeout=30,
    )


async def add_columns(workshop: Workshop, body: dict[str, Any], token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token or workshop.facilitator_token}"}
    async with httpx.AsyncClient(base_url=workshop.base_url, headers=headers, timeout=30) as http:
        return await http.post(f"/api/workshops/{workshop.id}/categories/columns", json=body)


def frames(client: BoardClient) -> dict[str, dict[str, Any]]:
    return {oid: obj for oid, obj in client.objects.items() if obj.get("type") == "frame"}


async def categories(workshop: Workshop) -> dict[str, Any]:
    async with facilitator(workshop) as http:
        response = await http.get(f"/api/workshops/{workshop.id}/categories")
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data


async def test_columns_for_the_taxonomy_appear_beside_the_content_for_everyone_at_once(
    server: RunningServer,
) -> None:
    workshop = await create_workshop(server.base_url, breakouts=1)
    person = await join(workshop)
    on_board = await BoardClient(server.ws_url, workshop.boards[1], person).connect()
    watching = await BoardClient(server.ws_url, workshop.boards[1], await join(workshop)).connect()
    on_main = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    made = await on_board.create_note("idea", "A cup of tea afterwards", x=-50, y=300, w=200)
    await on_board.wait_acked(made)
    await on_board.wait_acked(
        await on_board.op(
            {
                "kind": "create",
                "obj": {"type": "frame", "id": "plain", "x": 100, "y": -80, "w": 500, "h": 400},
            }
        )
    )

    response = await add_columns(workshop, {"boards": [1]})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "boards": [{"board": 1, "placed": list(WAKEFIELD.keys), "already": []}],
        "placed": 6,
    }

    for client in (on_board, watching):
        await client.wait_for(lambda c=client: len(frames(c)) == 7)
    [batch] = [
        entry
        for message in watching.received
        if message["type"] == "ops"
        for entry in message["ops"]
        if any(item.get("obj", {}).get("category") for item in entry["changes"])
    ]
    assert [item["obj"]["category"] for item in batch["changes"]] == list(WAKEFIELD.keys), (
        "all the columns come in one op, under one seq"
    )
    columns = sorted((f for f in frames(watching).values() if f["id"] != "plain"), key=lambda f: f["x"])
    assert [(c["category"], c["title"]) for c in columns] == [
        (c.key, c.label.en) for c in WAKEFIELD.categories
    ]
    first_x = 100 + 500 + GAP_BESIDE
    assert [c["x"] for c in columns] == [first_x + i * (COLUMN_W + COLUMN_GAP) for i in range(6)]
    assert {c["y"] for c in columns} == {-80}, "level with the top of what is there"
    assert {(c["w"], c["h"]) for c in columns} == {(COLUMN_W, 1600)}
    assert watching.objects["idea"]["x"] == -50, "what was there stays where it was"
    assert frames(on_main) == {}, "only the board asked for"

    participation = next(c for c in columns if c["category"] == "participation")
    moved = {"x": participation["x"] + 100, "y": 200}
    await on_board.wait_acked(await on_board.op({"kind": "update", "id": "idea", "props": moved}))
    [note] = (await categories(workshop))["notes"]
    assert (note["category"], note["source"]) == ("participation", "frame"), "a note in a column takes it"

    again = await add_columns(workshop, {"all": True})
    assert again.status_code == 200
    assert again.json()["boards"] == [
        {"board": 0, "placed": list(WAKEFIELD.keys), "already": []},
        {"board": 1, "placed": [], "already": list(WAKEFIELD.keys)},
    ], "a board that has them gets none twice"
    await on_main.wait_for(lambda: len(frames(on_main)) == 6)
    assert len(frames(on_board)) == 7

    # Another category system: its columns go beside the old ones, which stay as plain frames.
    async with facilitator(workshop, Origin=server.base_url) as http:
        chosen = await http.put(f"/api/workshops/{workshop.id}/taxonomy", json={"taxonomy": "iap2"})
        assert chosen.status_code == 200, chosen.text
    [note] = (await categories(workshop))["notes"]
    assert (note["category"], note["source"]) == (None, "none"), "the old column no longer categorises"
    switched = await add_columns(workshop, {"boards": [1]})
    assert switched.json()["boards"] == [{"board": 1, "placed": list(IAP2.keys), "already": []}]
    await on_board.wait_for(lambda: len(frames(on_board)) == 12)
    new = [f for f in frames(on_board).values() if f.get("category") in IAP2.keys]
    assert min(f["x"] for f in new) == columns[-1]["x"] + COLUMN_W + GAP_BESIDE
    assert {f["category"] for f in frames(on_board).values() if f.get("category")} == {
        *WAKEFIELD.keys,
        *IAP2.keys,
    }

    for client in (on_board, watching, on_main):
        await client.close()


async def test_only_a_facilitator_from_this_site_may_place_columns(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url, breakouts=1)
    participant = await join(workshop)
    refused = await add_columns(workshop, {"all": True}, token=participant)
    assert refused.status_code == 403
    assert (await add_columns(workshop, {"all": True}, token="not-a-token")).status_code == 401
    async with facilitator(workshop, Origin="https://evil.example") as http:
        cross_site = await http.post(f"/api/workshops/{workshop.id}/categories/columns", json={"all": True})
    assert cross_site.status_code == 403, "a page on another site cannot press the button"

    missing = await add_columns(workshop, {"boards": [1, 7]})
    assert missing.status_code == 404
    assert missing.json()["error"]["field"] == "boards[1]"
    assert (await add_columns(workshop, {})).json()["error"]["field"] == "boards"
    assert (await add_columns(workshop, {"boards": [1], "all": True})).status_code == 400

    on_board = await BoardClient(server.ws_url, workshop.boards[1], participant).connect()
    assert frames(on_board) == {}, "nothing refused was placed"
    async with facilitator(workshop, Origin=server.base_url) as http:
        closed = await http.post(f"/api/workshops/{workshop.id}/close", json={})
        assert closed.status_code == 200, closed.text
    late = await add_columns(workshop, {"all": True})
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "read_only"
    await on_board.close()


async def test_a_request_that_names_neither_or_both_is_refused_naming_the_field(
    server: RunningServer,
) -> None:
    workshop = await create_workshop(server.base_url, breakouts=1)
    watching = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    both = await add_columns(workshop, {"boards": [0], "all": True})
    neither = await add_columns(workshop, {})
    assert (both.status_code, both.json()["error"]["code"], both.json()["error"]["field"]) == (
        400,
        "bad_value",
        "all",
    )
    assert (neither.status_code, neither.json()["error"]["code"], neither.json()["error"]["field"]) == (
        400,
        "missing_field",
        "boards",
    )
    async with facilitator(workshop) as http:
        accept = f"/api/workshops/{workshop.id}/categories/accept"
        both = await http.post(accept, json={"notes": ["0:idea"], "all": True})
        neither = await http.post(accept, json={})
    assert (both.status_code, both.json()["error"]["field"]) == (400, "all")
    assert (neither.status_code, neither.json()["error"]["field"]) == (400, "notes")
    assert frames(watching) == {}, "nothing was placed"
    await watching.close()
