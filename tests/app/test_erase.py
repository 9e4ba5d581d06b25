"""Withdrawal and deletion are real (DESIGN.md §4): a participant's contributions leave every
view, the objects table and the op log; a deleted workshop leaves no row behind. Run on SQLite
and on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
from sqlalchemy import func, select
from websockets.asyncio.client import connect

from board.store import tables
from tests.conftest import RunningServer
from tests.support import BoardClient, create_workshop, join, rows


async def test_withdrawal_removes_a_participants_contributions_everywhere(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url, breakouts=1)
    leaving_token = await join(workshop)
    leaving = await BoardClient(server.ws_url, workshop.main, leaving_token).connect()
    staying = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    facilitator = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    breakout = await BoardClient(server.ws_url, workshop.boards[1], leaving_token).connect()

    await facilitator.wait_acked(
        await facilitator.op({"kind": "settings", "props": {"private_mode": True, "voting": True}})
    )
    await leaving.wait_acked(await leaving.create_note("secret", text="my private words"))
    await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"private_mode": False}}))
    await leaving.wait_acked(await leaving.create_note("mine", text="withdraw me"))
    await staying.wait_acked(await staying.create_note("theirs", text="keep me"))
    await staying.wait_for(lambda: "mine" in staying.objects)
    await leaving.wait_acked(
        await leaving.op(
            {
                "kind": "create",
                "obj": {"type": "comment", "id": "c-mine", "target": "theirs", "text": "my comment"},
            }
        )
    )
    await staying.wait_acked(
        await staying.op(
            {
                "kind": "create",
                "obj": {"type": "comment", "id": "c-on-mine", "target": "mine", "text": "reply"},
            }
        )
    )
    await leaving.wait_acked(
        await leaving.op({"kind": "create", "obj": {"type": "vote", "id": "v-mine", "target": "theirs"}})
    )
    # Op ids are unique per participant across boards (docs/protocol.md): this socket is the
    # same person's as `leaving`, so it must not count from op-1 again.
    elsewhere = {
        "kind": "create",
        "obj": {"type": "note", "id": "elsewhere", "x": 0, "y": 0, "text": "breakout words"},
    }
    await breakout.wait_acked(await breakout.op(elsewhere, "breakout-op-1"))
    assert "elsewhere" in breakout.notes()
    behind = staying.seq
    await staying.drop()

    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.post(
            f"/api/workshops/{workshop.id}/withdraw", headers={"Authorization": f"Bearer {leaving_token}"}
        )
    assert response.status_code == 200
    assert response.json() == {"removed": 6}, (
        "two notes, a comment, a vote, a breakout note, and the comment on their note"
    )

    await facilitator.wait_for(lambda: set(facilitator.notes()) == {"theirs"})
    assert set(facilitator.objects) - {"__settings__"} == {"theirs"}, (
        "their comment, vote and the comment on their note went"
    )
    await leaving.wait_for(lambda: set(leaving.notes()) == {"theirs"})
    await breakout.wait_for(lambda: breakout.notes() == {})

    returning = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect(since=behind)
    assert [m["type"] for m in returning.received if m["type"] in ("snapshot", "ops")] == ["snapshot"], (
        "a client behind the withdrawal is never replayed erased ops"
    )
    assert set(returning.objects) - {"__settings__"} == {"theirs"}

    leaving_id = await member_id(database_url, leaving_token)
    assert (
        await rows(database_url, select(tables.objects).where(tables.objects.c.author_id == leaving_id)) == []
    )
    assert await rows(database_url, select(tables.ops).where(tables.ops.c.participant_id == leaving_id)) == []
    for board_id in workshop.boards:
        floor = (
            await rows(database_url, select(tables.boards.c.floor_seq).where(tables.boards.c.id == board_id))
        )[0][0]
        kept = await rows(
            database_url,
            select(func.count())
            .select_from(tables.ops)
            .where(
                tables.ops.c.board_id == board_id,
                tables.ops.c.seq <= floor,
                tables.ops.c.effects.is_not(None),
            ),
        )
        assert kept == [(0,)], "no erased effects survive at or below the floor"
    every_text = " ".join(
        [str(await rows(database_url, select(table))) for table in (tables.ops, tables.objects)]
    )
    for words in ("my private words", "withdraw me", "my comment", "breakout words"):
        assert words not in every_text


async def member_id(database_url: str, token: str) -> str:
    from board.services.credentials import digest

    found = await rows(
        database_url,
        select(tables.participants.c.id).where(tables.participants.c.token_hash == digest(token)),
    )
    return str(found[0][0])


async def test_deleting_a_workshop_erases_every_row_and_disconnects_everyone(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    doomed = await create_workshop(server.base_url, breakouts=2)
    kept = await create_workshop(server.base_url)
    participant = await BoardClient(server.ws_url, doomed.main, await join(doomed)).connect()
    await participant.wait_acked(await participant.create_note("n", text="gone soon"))
    other = await BoardClient(server.ws_url, kept.main, await join(kept)).connect()
    await other.wait_acked(await other.create_note("k", text="stays"))

    async with httpx.AsyncClient(base_url=server.base_url) as http:
        refused = await http.delete(
            f"/api/workshops/{doomed.id}", headers={"Authorization": f"Bearer {await join(doomed)}"}
        )
        deleted = await http.delete(
            f"/api/workshops/{doomed.id}", headers={"Authorization": f"Bearer {doomed.facilitator_token}"}
        )
        rejoin = await http.post("/api/join", json={"code": doomed.join_code})
    assert refused.status_code == 403, "participants cannot delete a workshop"
    assert deleted.status_code == 204
    assert rejoin.status_code == 404

    assert participant.ws is not None
    await asyncio.wait_for(participant.ws.wait_closed(), 5)
    assert participant.ws.close_code == 4410

    for table in (tables.workshops, tables.boards, tables.participants, tables.objects, tables.ops):
        column = (
            table.c.id
            if table is tables.workshops
            else table.c.workshop_id
            if "workshop_id" in table.c
            else table.c.board_id
        )
        wanted = [doomed.id] if "board_id" not in table.c else doomed.boards
        assert await rows(database_url, select(table).where(column.in_(wanted))) == [], table.name
    assert await rows(database_url, select(tables.objects.c.id)) == [("k",)]
    async with connect(server.ws_url) as ws:
        await ws.send('{"type":"hello","v":1,"board":"' + doomed.main + '","token":"x"}')
        assert '"unauthorized"' in str(await ws.recv())
