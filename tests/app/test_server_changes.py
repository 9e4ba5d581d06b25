"""Server-made changes (a duplicate merge, a gallery pull) go through a board's worker like any
op: sequenced, stored with their authors, and delivered to everyone on the board."""

from __future__ import annotations

import asyncio

import msgspec
import pytest
from sqlalchemy import select

import board.sync.room as room_module
from board.broker.memory import MemoryBroker
from board.core.effects import apply_effects, from_record
from board.core.errors import ErrorCode, ProtocolError
from board.core.model import AnyObject, Settings
from board.core.ops import Applied, Op
from board.core.state import Actor, BoardState
from board.store import tables
from board.store.database import Database
from board.store.directory import Directory, NewBoard
from board.store.oplog import OpLog
from board.sync.hub import Hub


async def test_an_adopted_copy_is_stored_as_its_authors_and_withdrawn_with_them(database_url: str) -> None:
    database = Database(database_url)
    await Directory(database).create_workshop(
        workshop_id="w",
        title="W",
        join_code="ABCDEFGH",
        key_hash="0" * 64,
        now=1,
        boards=[NewBoard("main", 0, Settings())],
    )
    hub = Hub(OpLog(database), MemoryBroker(), now=lambda: 5, networked=False)
    try:
        room = await hub.room("main")
        copy = msgspec.convert(
            {"type": "note", "id": "pulled", "x": 10, "y": 10, "text": "from board 2"}, AnyObject
        )
        applied = await room.adopt([(copy, "author-7")])
        assert room.sequencer.head == 1
        assert dict(applied.state.authors) == {"pulled": "author-7"}
        async with database.read() as connection:
            stored = (await connection.execute(select(tables.objects.c.id, tables.objects.c.author_id))).all()
            logged = (await connection.execute(select(tables.ops.c.seq, tables.ops.c.participant_id))).all()
        assert [tuple(row) for row in stored] == [("pulled", "author-7")]
        assert [tuple(row) for row in logged] == [(1, None)], "the op itself is attributed to nobody"
        assert await room.withdraw("author-7") == 1
        assert dict(room.sequencer.state.objects) == {}
    finally:
        await hub.close()
        await database.dispose()


async def test_an_op_applied_over_http_is_checked_as_if_from_a_socket(database_url: str) -> None:
    database = Database(database_url)
    main = NewBoard("main", 0, Settings())
    await Directory(database).create_workshop(
        workshop_id="w", title="W", join_code="ABCDEFGH", key_hash="0" * 64, now=1, boards=[main]
    )
    hub = Hub(OpLog(database), MemoryBroker(), now=lambda: 5, networked=False)
    try:
        room = await hub.room("main")
        lock = msgspec.convert({"kind": "settings", "props": {"locked": True}}, Op)
        refused = await room.apply(lock, Actor("someone"))
        assert isinstance(refused, ProtocolError)
        assert refused.code is ErrorCode.FORBIDDEN
        assert room.sequencer.head == 0, "a refused op takes no seq"
        assert isinstance(await room.apply(lock, Actor("fac", facilitator=True)), Applied)
        assert room.sequencer.head == 1
        assert room.sequencer.state.settings.locked
    finally:
        await hub.close()
        await database.dispose()


async def test_what_an_op_applied_over_http_creates_is_its_actors_everywhere(database_url: str) -> None:
    """Another process (or this one after a restart) rebuilds the board from the op log: the
    author link withdrawal needs must be there too, not only in the applying process."""
    database = Database(database_url)
    main = NewBoard("main", 0, Settings())
    await Directory(database).create_workshop(
        workshop_id="w", title="W", join_code="ABCDEFGH", key_hash="0" * 64, now=1, boards=[main]
    )
    hub = Hub(OpLog(database), MemoryBroker(), now=lambda: 5, networked=False)
    try:
        room = await hub.room("main")
        note = msgspec.convert({"kind": "create", "obj": {"type": "note", "id": "n1", "x": 0, "y": 0}}, Op)
        assert isinstance(await room.apply(note, Actor("author-3")), Applied)
        async with database.read() as connection:
            logged = (await connection.execute(select(tables.ops.c.participant_id))).scalars().all()
        assert logged == ["author-3"], "the op log names who asked, so withdrawal finds it"
        [logged_op] = await OpLog(database).since("main", 0)
        assert logged_op.effects is not None
        replayed = apply_effects(BoardState(), from_record(logged_op.effects), logged_op.participant_id)
        assert dict(replayed.authors) == {"n1": "author-3"}
    finally:
        await hub.close()
        await database.dispose()


async def test_a_room_opened_without_a_socket_closes_when_idle(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(room_module, "ROOM_IDLE", 0.05)
    database = Database(database_url)
    await Directory(database).create_workshop(
        workshop_id="w",
        title="W",
        join_code="ABCDEFGH",
        key_hash="0" * 64,
        now=1,
        boards=[NewBoard("main", 0, Settings())],
    )
    hub = Hub(OpLog(database), MemoryBroker(), now=lambda: 5, networked=False)
    try:
        room = await hub.room("main")
        assert hub.rooms == {"main": room}
        for _ in range(100):
            if not hub.rooms:
                break
            await asyncio.sleep(0.01)
        assert hub.rooms == {}, "nobody came: the room let go of the board"
        assert room.closed
    finally:
        await hub.close()
        await database.dispose()
