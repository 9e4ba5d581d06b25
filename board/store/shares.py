"""Who contributed to a merged point: the `shares` rows (`tables.ShareRow`).

A merge (`board/services/duplicates.py`) keeps one note and removes the others of its cluster; each note it
took in, and the kept note itself, leaves a share here: its group, its writer and its words.
Withdrawing (`board/services/withdrawal.py`) then takes only the withdrawer's share: the point stays,
passed to another contributor, until its last contributor withdraws.

Rows are written in the turn of the board the merged note was on, and a withdrawal deletes its
contributor's rows once every board has taken its turn, so a merge racing a withdrawal leaves
no words of the person who withdrew.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, delete, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from board.store import tables
from board.store.database import Database

_shares = tables.shares


@dataclass(frozen=True, slots=True)
class Share:
    id: str
    group: int
    """The board (group) whose note it was."""
    author: str | None
    text: str
    created: int


@dataclass(frozen=True, slots=True)
class Source:
    """A note going into a merged point: where it is now, and its share if it has none yet."""

    board_id: str
    note_id: str
    fresh: Share


def _share(row: object) -> Share:
    return Share(row.id, row.group_number, row.author_id, row.text, row.created_at)  # type: ignore[attr-defined]


async def gather(database: Database, board_id: str, note_id: str, sources: Sequence[Source]) -> None:
    """Make every source's shares the kept note's (`board_id`, `note_id`): the shares a
    source already has (it was itself a merged point), else its fresh one. Running it again
    adds nothing twice."""
    async with database.write() as connection:
        kept = {share.id for share in await _of_note(connection, board_id, note_id)}
        moving: list[Share] = []
        for source in sources:
            if (source.board_id, source.note_id) == (board_id, note_id):
                found = list(await _of_note(connection, board_id, note_id))
                moving += [] if found else [source.fresh]
                continue
            found = list(await _of_note(connection, source.board_id, source.note_id))
            if found:
                await connection.execute(
                    delete(_shares).where(
                        _shares.c.board_id == source.board_id, _shares.c.note_id == source.note_id
                    )
                )
            moving += found or [source.fresh]
        rows = []
        for share in moving:
            if share.id in kept:
                continue
            kept.add(share.id)
            rows.append(
                {
                    "board_id": board_id,
                    "note_id": note_id,
                    "id": share.id,
                    "group_number": share.group,
                    "author_id": share.author,
                    "text": share.text,
                    "created_at": share.created,
                }
            )
        if rows:
            await connection.execute(insert(_shares), rows)


async def _of_note(connection: AsyncConnection, board_id: str, note_id: str) -> Sequence[Share]:
    result = await connection.execute(
        select(_shares).where(_shares.c.board_id == board_id, _shares.c.note_id == note_id)
    )
    return [_share(row) for row in result]


async def on_board(database: Database, board_id: str) -> dict[str, list[Share]]:
    """The shares of every merged point on a board, by the kept note's id, oldest first."""
    async with database.read() as connection:
        result = await connection.execute(select(_shares).where(_shares.c.board_id == board_id))
        found: dict[str, list[Share]] = {}
        for row in result:
            found.setdefault(row.note_id, []).append(_share(row))
    for shares in found.values():
        shares.sort(key=lambda share: (share.created, share.id))
    return found


async def of_author(
    database: Database, board_ids: Collection[str], author: str
) -> list[tuple[str, str, Share]]:
    """A contributor's shares on these boards: (board id, kept note id, share)."""
    if not board_ids:
        return []
    async with database.read() as connection:
        result = await connection.execute(
            select(_shares).where(_shares.c.board_id.in_(list(board_ids)), _shares.c.author_id == author)
        )
        return [(row.board_id, row.note_id, _share(row)) for row in result]


async def forget(database: Database, board_id: str, keys: Iterable[tuple[str, str]]) -> None:
    """Delete these shares of a board, each named (kept note id, share id)."""
    wanted = list(keys)
    if not wanted:
        return
    async with database.write() as connection:
        await connection.execute(
            delete(_shares).where(
                _shares.c.board_id == board_id,
                or_(*(and_(_shares.c.note_id == note, _shares.c.id == share) for note, share in wanted)),
            )
        )


async def forget_notes(database: Database, board_id: str, note_ids: Iterable[str]) -> None:
    """Delete every share of these notes of a board (notes that are gone)."""
    gone = list(note_ids)
    if not gone:
        return
    async with database.write() as connection:
        await connection.execute(
            delete(_shares).where(_shares.c.board_id == board_id, _shares.c.note_id.in_(gone))
        )


async def forget_author(database: Database, board_ids: Collection[str], author: str) -> None:
    """Delete every share a contributor has on these boards (they withdrew everything)."""
    if not board_ids:
        return
    async with database.write() as connection:
        await connection.execute(
            delete(_shares).where(_shares.c.board_id.in_(list(board_ids)), _shares.c.author_id == author)
        )
