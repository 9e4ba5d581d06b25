"""The store contract, run against SQLite and PostgreSQL (the `database_url` fixture runs each
test once per database). Rule ids in brackets, as in DESIGN.md §3 for the promises they carry."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from board.core.limits import LIMITS
from board.core.model import Note, Settings
from board.store.database import Database, NotMigrated
from board.store.directory import Directory, NewBoard
from board.store.oplog import _HOT_APPEND_AT, OpLog, _append_at_params
from board.store.rows import NewOp, made_at
from board.store.withdrawal import made_where

BOARD = "b1"


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[OpLog]:
    database = Database(database_url)
    directory = Directory(database)
    await directory.create_workshop(
        workshop_id="w1",
        title="Contract",
        join_code="CODE1234",
        key_hash="0" * 64,
        now=1,
        boards=[NewBoard(BOARD, 0, Settings(title="main"))],
    )
    await directory.add_member(
        member_id="p1", workshop_id="w1", token_hash="1" * 64, role="participant", name="N", now=1
    )
    yield OpLog(database)
    await database.dispose()


def new_op(seq: int, op_id: str, participant: str | None = "p1") -> NewOp:
    return NewOp(
        seq,
        participant,
        op_id,
        [
            {
                "id": f"n{seq}",
                "a0": None,
                "a1": "all",
                "obj": {"type": "note", "id": f"n{seq}", "x": 0, "y": 0},
            }
        ],
        1,
    )


def note(oid: str, text: str = "") -> Note:
    return Note(id=oid, x=0, y=0, text=text)


async def test_s1_ops_get_consecutive_seqs_and_the_head_moves(store: OpLog) -> None:
    async with store.sequence(BOARD) as sequencing:
        assert sequencing.head == 0
        await sequencing.append([new_op(1, "a"), new_op(2, "b")], {"n1": (note("n1"), "p1")}, [], None)
    async with store.sequence(BOARD) as sequencing:
        assert sequencing.head == 2
        await sequencing.append([new_op(3, "c")], {}, [], None)
    assert await store.head(BOARD) == 3


async def test_s2_a_group_that_fails_stores_nothing(store: OpLog) -> None:
    with pytest.raises(RuntimeError):
        async with store.sequence(BOARD) as sequencing:
            await sequencing.append([new_op(1, "a")], {"n1": (note("n1"), "p1")}, [], Settings(locked=True))
            raise RuntimeError("the process failed before commit")
    loaded = await store.load(BOARD, 100)
    assert (loaded.head, dict(loaded.state.objects), loaded.state.settings.locked) == (0, {}, False)
    assert await store.since(BOARD, 0) == []


async def test_s3_committed_finds_resent_ops_with_their_seq(store: OpLog) -> None:
    async with store.sequence(BOARD) as sequencing:
        await sequencing.append([new_op(1, "a"), new_op(2, "b")], {}, [], None)
    async with store.sequence(BOARD) as sequencing:
        found = await sequencing.committed([("p1", "b"), ("p1", "zzz"), ("p2", "a")])
    assert found == {("p1", "b"): 2}


async def test_s4_load_restores_objects_authors_settings_head_and_recent_ops(store: OpLog) -> None:
    async with store.sequence(BOARD) as sequencing:
        await sequencing.append(
            [new_op(1, "a"), new_op(2, "b"), new_op(3, "c")],
            {"n1": (note("n1", "Ŵ ŷ café"), "p1"), "n2": (note("n2"), None)},
            [],
            Settings(voting=True, vote_budget=5),
        )
    async with store.sequence(BOARD) as sequencing:
        await sequencing.append([new_op(4, "d")], {"n1": (note("n1", "edited"), "p1")}, ["n2"], None)
    loaded = await store.load(BOARD, replay_window=2)
    assert loaded.head == 4
    assert dict(loaded.state.objects) == {"n1": note("n1", "edited")}
    assert dict(loaded.state.authors) == {"n1": "p1"}
    assert loaded.state.settings == Settings(voting=True, vote_budget=5)
    assert [op.seq for op in loaded.recent] == [3, 4]
    assert [op.seq for op in await store.since(BOARD, 1)] == [2, 3, 4]


async def test_s5_append_refuses_seqs_that_do_not_follow_the_head(store: OpLog) -> None:
    with pytest.raises(ValueError, match="continue the log"):
        async with store.sequence(BOARD) as sequencing:
            await sequencing.append([new_op(2, "a")], {}, [], None)
    assert await store.head(BOARD) == 0


async def test_s6_an_op_id_is_stored_once_per_participant(store: OpLog) -> None:
    async with store.sequence(BOARD) as sequencing:
        await sequencing.append([new_op(1, "same")], {}, [], None)
    with pytest.raises((IntegrityError, sqlite3.IntegrityError)):  # SQLAlchemy's, or SQLite's own
        async with store.sequence(BOARD) as sequencing:
            await sequencing.append([new_op(2, "same")], {}, [], None)
    assert await store.head(BOARD) == 1


async def test_s7_an_unmigrated_database_is_refused_with_the_command_to_run(tmp_path: object) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/empty.db")
    with pytest.raises(NotMigrated, match="run `board migrate`"):
        await database.check_migrated()
    await database.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_s8_two_processes_sequencing_one_board_never_share_or_skip_a_seq(
    database_url: str, store: OpLog
) -> None:
    """Several server processes may commit to one board (PostgreSQL only: SQLite serves one
    process). Each stands in for a process with its own connection pool."""
    others = [OpLog(Database(database_url)) for _ in range(2)]

    async def writer(log: OpLog, name: str) -> None:
        for i in range(25):
            async with log.sequence(BOARD) as sequencing:
                await sequencing.append([new_op(sequencing.head + 1, f"{name}{i}")], {}, [], None)

    await asyncio.gather(*(writer(log, f"w{n}-") for n, log in enumerate(others)))
    seqs = [op.seq for op in await store.since(BOARD, 0)]
    assert seqs == list(range(1, 51))
    for log in others:
        await log.database.dispose()


async def test_s9_where_an_object_was_made_is_stored_by_the_op_that_made_it_and_kept_by_updates(
    store: OpLog,
) -> None:
    """`objects.made`: the order of things made in the same millisecond, which the objects do
    not carry, so that a board read back from the store lists them as they were made."""
    async with store.sequence(BOARD) as sequencing:
        puts = {"n1": (note("n1"), "p1"), "n2": (note("n2"), "p1")}
        await sequencing.append(
            [new_op(1, "a")], puts, [], None, made={"n2": made_at(1, 0), "n1": made_at(1, 1)}
        )
    async with store.sequence(BOARD) as sequencing:
        await sequencing.append([new_op(2, "b")], {"n1": (note("n1", "edited"), "p1")}, [], None)
    expected = {(BOARD, "n2"): made_at(1, 0), (BOARD, "n1"): made_at(1, 1)}
    if store.appends_at_once:  # PostgreSQL's one-statement group commit too
        puts = {"n2": (note("n2", "edited"), "p1"), "n3": (note("n3"), "p1")}
        answer = await store.append_at(
            BOARD, (2, 0), [], [new_op(3, "c")], puts, [], None, made={"n3": made_at(3, 0)}
        )
        assert answer.stored
        expected[(BOARD, "n3")] = made_at(3, 0)
    assert await made_where(store.database, [BOARD], "p1") == expected
    assert made_at(1, LIMITS.max_objects_per_board) < made_at(2, 0), (
        "one op's objects fit before the next op's"
    )


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_s10_a_group_commit_that_removes_objects_reads_those_objects_alone(store: OpLog) -> None:
    """PostgreSQL's one-statement group commit (`OpLog.append_at`) on a board of 10,000 objects
    removes two: its plan, as the commit path runs it (generic, on the hot pool), reads those
    two rows and no other, even while the table has no statistics yet (a new database)."""
    pool = await store.database.hot_pool()
    async with pool.acquire() as connection:
        # This database's own: no autovacuum comes round during the test to analyse the table.
        await connection.execute("ALTER TABLE objects SET (autovacuum_enabled = off)")
    puts = {f"n{i}": (note(f"n{i}"), "p1") for i in range(10_000)}
    assert (await store.append_at(BOARD, (0, 0), [("p1", "a")], [new_op(1, "a")], puts, [], None)).stored
    params = _append_at_params(BOARD, (1, 0), [("p1", "b")], [new_op(2, "b")], {}, ["n5", "n6"], None, {}, {})
    async with pool.acquire() as connection:
        await connection.execute("PREPARE append_at AS " + _HOT_APPEND_AT.sql)
        types = await connection.fetchval(
            "SELECT parameter_types FROM pg_prepared_statements WHERE name = 'append_at'"
        )
        # EXECUTE takes no bound parameters: each value goes in as a literal, quoted by the server.
        literals = [
            await connection.fetchval(
                f"SELECT quote_nullable(CAST($1 AS {kind})) || '::{kind}'", params[name]
            )
            for name, kind in zip(_HOT_APPEND_AT.names, types, strict=True)
        ]
        plan = await connection.fetchval(
            f"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE append_at({', '.join(literals)})"
        )
        await connection.execute("DEALLOCATE append_at")
    assert set((await store.load(BOARD, 0)).state.objects) == set(puts) - {"n5", "n6"}
    removal = next(
        node for node in _nodes(json.loads(plan)[0]["Plan"]) if node.get("Subplan Name") == "CTE removed"
    )
    read = {
        f"{node['Node Type']} {node.get('Index Name', '')}".strip(): _rows_read(node)
        for node in _nodes(removal)
        if node.get("Relation Name") == "objects" and node["Node Type"] != "ModifyTable"
    }
    assert read, "the removal reads the objects table"
    assert all(rows <= 2 for rows in read.values()), read


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def _rows_read(node: dict[str, Any]) -> int:
    """Rows a scan node looked at in all its loops: those it returned and those it filtered out."""
    per_loop = (
        node["Actual Rows"]
        + node.get("Rows Removed by Filter", 0)
        + node.get("Rows Removed by Index Recheck", 0)
    )
    return int(per_loop * node["Actual Loops"])
