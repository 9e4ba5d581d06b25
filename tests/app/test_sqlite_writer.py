"""The SQLite group commit runs on the event loop's thread (`store/sqlite_writer.py`), so what
could make it wait must not: another process holding SQLite's write lock, and the WAL's
checkpoints. A real server over loopback, a real SQLite file."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from board.store.sqlite_writer import CHECKPOINT_EVERY, COMMITTED
from tests.conftest import RunningServer
from tests.support import BoardClient, create_workshop, join


def _path(server: RunningServer) -> str:
    database = make_url(server.settings.database_url).database
    assert database
    return database


async def test_another_process_holding_the_write_lock_delays_an_edit_and_stops_nothing_else(
    server: RunningServer,
) -> None:
    workshop = await create_workshop(server.base_url)
    writer = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    reader = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    latecomer = await join(workshop)
    await writer.wait_acked(await writer.create_note("n", text="before"))

    other = sqlite3.connect(_path(server), isolation_level=None)  # as `board purge` would
    other.execute("BEGIN IMMEDIATE")
    try:
        op_id = await writer.op({"kind": "update", "id": "n", "props": {"text": "after"}})
        # While it waits, the server goes on serving what needs no write: a socket joining, a
        # request for the board's page data.
        late = await asyncio.wait_for(BoardClient(server.ws_url, workshop.main, latecomer).connect(), 5)
        assert late.notes()["n"]["text"] == "before"
        async with httpx.AsyncClient(base_url=server.base_url, timeout=5) as http:
            assert (await http.get("/healthz")).status_code == 200
        await asyncio.sleep(0.2)
        assert op_id not in writer.acks, "acknowledged while another process held the write lock"
    finally:
        other.execute("ROLLBACK")
        other.close()

    await writer.wait_acked(op_id)
    await reader.wait_for(lambda: reader.notes()["n"]["text"] == "after")
    await late.wait_for(lambda: late.notes()["n"]["text"] == "after")
    assert not writer.errors
    for client in (writer, reader, late):
        await client.close()


async def test_the_log_reaches_the_database_file_without_a_commit_waiting_for_it(
    server: RunningServer, tmp_path: Path
) -> None:
    """SQLite's own checkpoint would run inside the commit that grows the WAL too far; ours run
    beside the commits, so the database file itself still takes the log in."""
    workshop = await create_workshop(server.base_url)
    writers = [
        await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect() for _ in range(3)
    ]
    for index, writer in enumerate(writers):
        await writer.wait_acked(await writer.create_note(f"n{index}"))
    edits = 2 * CHECKPOINT_EVERY + 10
    for k in range(edits):
        writer = writers[k % len(writers)]
        await writer.wait_acked(
            await writer.op({"kind": "update", "id": f"n{k % len(writers)}", "props": {"text": f"{k}"}})
        )

    def ops_in_the_file_alone() -> int:
        copy = tmp_path / "alone.db"  # the database file without its WAL beside it
        shutil.copyfile(_path(server), copy)
        connection = sqlite3.connect(copy)
        try:
            return int(connection.execute("SELECT COUNT(*) FROM ops").fetchone()[0])
        finally:
            connection.close()
            for leftover in (copy, tmp_path / "alone.db-wal", tmp_path / "alone.db-shm"):
                leftover.unlink(missing_ok=True)

    await _eventually(lambda: ops_in_the_file_alone() >= CHECKPOINT_EVERY)
    for writer in writers:
        await writer.close()


async def _eventually(condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "the WAL was never checkpointed"
        await asyncio.sleep(0.05)


def test_a_groups_resend_check_looks_each_op_up_in_the_index(server: RunningServer) -> None:
    """Every group commit asks which of its ops are logged already; a scan of the op log there
    costs more with every op the board ever had."""
    connection = sqlite3.connect(_path(server))
    try:
        pairs = ",".join("(?, ?)" for _ in range(3))
        plan = connection.execute(
            "EXPLAIN QUERY PLAN " + COMMITTED.format(pairs=pairs), ["p", "o"] * 3
        ).fetchall()
    finally:
        connection.close()
    steps = [row[-1] for row in plan]
    assert any("USING INDEX ix_ops_dedup" in step for step in steps), steps
    assert not any(step.startswith("SCAN o") or step == "SCAN ops" for step in steps), steps
