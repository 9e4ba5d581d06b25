"""Retention (issue 10): a workshop past its keep-until date leaves no row in any table, on
SQLite and on PostgreSQL, whether `board purge` erases it or the server on its schedule; a
workshop still within its date keeps every row."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
from sqlalchemy import select, update

from board.cli import main as cli
from board.services.retention import DAY_MS, due, purge
from board.store import tables
from board.store.database import Database
from tests.conftest import RunningServer, in_thread
from tests.support import BoardClient, Workshop, create_workshop, rows

T_NOW = 1_900_000_000_000
"""A moment to purge at, for the tests that pass the time (2030-03-17)."""
LONG_AGO = 1_000
"""A keep-until date every clock has passed, for the tests where the server or CLI reads its own."""


async def everything(database_url: str) -> dict[str, list[str]]:
    """Every row of every table the schema has, as text, by table."""
    return {
        table.name: [repr(tuple(row)) for row in await rows(database_url, select(table))]
        for table in tables.Base.metadata.sorted_tables
    }


async def busy_workshop(server: RunningServer, title: str) -> tuple[Workshop, list[str]]:
    """A workshop with breakout boards, participants with withdrawal codes, notes, a vote, a
    comment, a poll answer, a merged point: something in every table. Returns it and the
    words written."""
    workshop = await create_workshop(server.base_url, title=title, breakouts=2)
    answer = f"{title.replace(' ', '')}answer"  # an exit-poll answer is one or two words
    words = [f"{title} note one", f"{title} note two", f"{title} comment", answer, f"{title} note two again"]
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        joined = [(await http.post("/api/join", json={"code": workshop.join_code})).json() for _ in range(2)]
    facilitating = {"Authorization": f"Bearer {workshop.facilitator_token}"}
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        opened = await http.put(
            f"/api/workshops/{workshop.id}/poll", json={"open": True}, headers=facilitating
        )
        assert opened.status_code == 200, opened.text
        polled = await http.post(
            f"/api/workshops/{workshop.id}/poll/entries",
            json={"text": answer},
            headers={"Authorization": f"Bearer {joined[0]['token']}"},
        )
        assert polled.status_code == 201, polled.text
    facilitator = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    await facilitator.wait_acked(await facilitator.op({"kind": "settings", "props": {"voting": True}}))
    alice = await BoardClient(server.ws_url, workshop.main, joined[0]["token"]).connect()
    bob = await BoardClient(server.ws_url, workshop.boards[1], joined[1]["token"]).connect()
    await alice.wait_acked(await alice.create_note("n1", text=words[0]))
    await bob.wait_acked(await bob.create_note("n2", text=words[1]))
    await alice.wait_acked(
        await alice.op({"kind": "create", "obj": {"type": "vote", "id": "v", "target": "n1"}})
    )
    await alice.wait_acked(
        await alice.op(
            {"kind": "create", "obj": {"type": "comment", "id": "c", "target": "n1", "text": words[2]}}
        )
    )
    again = await BoardClient(server.ws_url, workshop.boards[2], joined[0]["token"]).connect()
    await again.wait_acked(await again.create_note("n3", text=words[4]))
    async with httpx.AsyncClient(base_url=server.base_url, headers=facilitating) as http:
        merged = await http.post(
            f"/api/workshops/{workshop.id}/duplicates/merge", json={"notes": ["1:n2", "2:n3"]}
        )
        assert merged.status_code == 200, merged.text
    for client in (facilitator, alice, bob, again):
        await client.close()
    return workshop, words


def identities(workshop: Workshop) -> list[str]:
    return [workshop.id, *workshop.boards]


async def test_board_purge_erases_every_row_of_a_workshop_past_its_date_and_nothing_else(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    doomed, doomed_words = await busy_workshop(server, "Doomed")
    kept, kept_words = await busy_workshop(server, "Kept")
    async with httpx.AsyncClient(
        base_url=server.base_url, headers={"Authorization": f"Bearer {doomed.facilitator_token}"}
    ) as http:
        settings = (await http.get(f"/api/workshops/{doomed.id}/purpose")).json()
    assert settings["keep_until"] is not None
    server.stop()

    before = await everything(database_url)
    assert all(before.values()), "a row in every table: poll answers and merged points' contributors too"
    assert any("pollword" in row and doomed_words[3] in row for row in before["objects"])
    await rows(
        database_url,
        update(tables.workshops).where(tables.workshops.c.id == doomed.id).values(keep_until=LONG_AGO),
    )
    in_thread(lambda: cli(["purge", "--database-url", database_url]))

    after = await everything(database_url)
    for name, found in after.items():
        text = "\n".join(found)
        for identity in identities(doomed):
            assert identity not in text, f"{name} still holds a row of the erased workshop"
        for words in doomed_words:
            assert words not in text, f"{name} still holds what was written in it"
        for words in kept_words:
            assert words in "\n".join(after["objects"]) + "\n".join(after["ops"])
    kept_rows = {
        name: [row for row in found if any(i in row for i in identities(kept))]
        for name, found in after.items()
    }
    assert kept_rows == {
        name: [row for row in found if any(i in row for i in identities(kept))]
        for name, found in before.items()
    }, "the other workshop keeps every row"
    assert len(after["participants"]) == len(before["participants"]) - 3, "the facilitator and two people"


async def test_the_default_date_is_keep_days_after_the_workshop_was_made(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    old = await create_workshop(server.base_url, title="Old")
    new = await create_workshop(server.base_url, title="New")
    server.stop()
    await rows(
        database_url,
        update(tables.workshops)
        .where(tables.workshops.c.id == old.id)
        .values(created_at=T_NOW - 31 * DAY_MS),
    )
    await rows(
        database_url,
        update(tables.workshops)
        .where(tables.workshops.c.id == new.id)
        .values(created_at=T_NOW - 29 * DAY_MS),
    )
    database = Database(database_url)
    try:
        assert await due(database, T_NOW, keep_days=30) == [old.id]
        assert await purge(database, T_NOW, keep_days=30) == [old.id]
        assert await due(database, T_NOW, keep_days=30) == []
    finally:
        await database.dispose()
    assert [row.id for row in await rows(database_url, select(tables.workshops.c.id))] == [new.id]


async def test_a_date_shown_on_the_join_page_is_written_down_and_kept(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    """Once people are told "kept until …", a later change of BOARD_KEEP_DAYS does not keep
    their words any longer than that."""
    server = make_server(database_url=database_url, keep_days=10)
    workshop = await create_workshop(server.base_url)
    stored = select(tables.workshops.c.keep_until, tables.workshops.c.created_at)
    assert (await rows(database_url, stored))[0][0] is None
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        assert (await http.get(f"/j/{workshop.join_code}")).status_code == 200
    keep_until, created_at = (await rows(database_url, stored))[0]
    assert keep_until == created_at + 10 * DAY_MS
    database = Database(database_url)
    try:
        assert await due(database, created_at + 11 * DAY_MS, keep_days=1000) == [workshop.id]
    finally:
        await database.dispose()


async def test_the_server_purges_on_its_schedule(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    first = make_server(database_url=database_url)
    doomed, _ = await busy_workshop(first, "Past its date")
    kept, _ = await busy_workshop(first, "Still wanted")
    first.stop()
    await rows(
        database_url,
        update(tables.workshops).where(tables.workshops.c.id == doomed.id).values(keep_until=LONG_AGO),
    )
    await rows(
        database_url,
        update(tables.workshops).where(tables.workshops.c.id == kept.id).values(keep_until=T_NOW * 2),
    )

    second = make_server(database_url=database_url)
    for _ in range(500):  # the lifespan purges as the server starts; wait for it, not for a time
        if (
            await rows(database_url, select(tables.workshops.c.id).where(tables.workshops.c.id == doomed.id))
            == []
        ):
            break
        await asyncio.sleep(0.02)
    after = await everything(database_url)
    assert not any(doomed.id in row for row in after["workshops"] + after["boards"] + after["participants"])
    assert not any(board in row for board in doomed.boards for row in after["objects"] + after["ops"])
    async with httpx.AsyncClient(base_url=second.base_url) as http:
        assert (await http.get(f"/j/{doomed.join_code}")).status_code == 404
        assert (await http.get(f"/j/{kept.join_code}")).status_code == 200
