"""Server-made changes (a duplicate merge, a gallery pull) go through a board's worker like any
op: sequenced, stored with their authors, and delivered to everyone on the board."""

from __future__ import annotations

import msgspec
from sqlalchemy import select

from board.broker.memory import MemoryBroker
from board.core.errors import ErrorCode, ProtocolError
from board.core.model import AnyObject, Settings
from board.core.ops import Applied, Op
from board.core.state import Actor
from board.hub import Hub
from board.store import tables
from board.store.database import Database
from board.store.directory import Directory, NewBoard
from board.store.oplog import OpLog


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
