"""Op-log rows: what a group commit writes and what reading the log gives back, shared by the
SQLAlchemy store and the SQLite writer thread so both write the same thing."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import msgspec
import sqlalchemy.exc

from board.core.model import AnyObject, Settings

_encode = msgspec.json.encode


class BoardNotFound(LookupError):
    pass


class Unstorable(Exception):
    """The database refused a group's data (a value it cannot hold: a character, a size),
    as opposed to failing itself (unreachable, out of space). Nothing of the group was stored;
    the group's ops may be tried one by one to find the op that caused it."""


def data_refused(error: BaseException) -> bool:
    """Whether `error`, or an error it wraps, is the database refusing the data it was given."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, UnicodeError | sqlite3.DataError | sqlalchemy.exc.DataError | asyncpg.DataError):
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False


@dataclass(frozen=True, slots=True)
class LoggedOp:
    seq: int
    participant_id: str | None
    op_id: str | None
    effects: list[dict[str, Any]] | None
    """None once erased (at or below the board's floor)."""


@dataclass(frozen=True, slots=True)
class NewOp:
    seq: int
    participant_id: str | None
    op_id: str | None
    effects: list[dict[str, Any]]
    created_at: int
    encoded: bytes = field(init=False, repr=False, compare=False)
    """`effects` as JSON, encoded once: stored, published and counted against the budgets."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "encoded", _encode(self.effects))


def op_rows(board_id: str, head: int, ops: Sequence[NewOp]) -> list[dict[str, Any]]:
    """The rows for ops that must continue the log from `head` without a gap."""
    if [op.seq for op in ops] != list(range(head + 1, head + 1 + len(ops))):
        raise ValueError(f"ops must continue the log from seq {head + 1}")
    return [
        {
            "board_id": board_id,
            "seq": op.seq,
            "participant_id": op.participant_id,
            "op_id": op.op_id,
            "effects": op.encoded.decode(),
            "created_at": op.created_at,
        }
        for op in ops
    ]


MADE_PER_OP = 1 << 20
"""Places in `objects.made` per seq: more objects than one op can make (a board holds at most
`LIMITS.max_objects_per_board`), so what one op makes fits between its seq and the next."""


def made_at(seq: int, nth: int) -> int:
    """`objects.made` of the `nth` object (from 0) that the op at `seq` made: ordered as the
    board took them, by op and, within a batch or a server's copy, as the op lists them."""
    return seq * MADE_PER_OP + nth


def object_rows(
    board_id: str, puts: Mapping[str, tuple[AnyObject, str | None]], made: Mapping[str, int] | None = None
) -> list[dict[str, Any]]:
    """The rows for objects as they are now; `made`: where the ones just made were made
    (`made_at`), None for the others, whose stored place stays as it is."""
    made = made or {}
    return [
        {
            "board_id": board_id,
            "id": oid,
            "author_id": author,
            "data": _encode(obj).decode(),
            "made": made.get(oid),
        }
        for oid, (obj, author) in puts.items()
    ]


TOMBSTONE = '{"gone":true}'
"""The `data` of an `objects` row for an object removed from the board: its id stays claimed
(`BoardState.gone`), and the row's `author_id` is who removed it (NULL once they withdrew)."""


def tombstone_rows(board_id: str, gone: Mapping[str, str | None]) -> list[dict[str, Any]]:
    return [
        {"board_id": board_id, "id": oid, "author_id": by, "data": TOMBSTONE, "made": None}
        for oid, by in gone.items()
    ]


def removals(
    puts: Mapping[str, Any], deletes: Iterable[str], gone: Mapping[str, str | None] | None
) -> tuple[dict[str, str | None], list[str]]:
    """What an append removes: the deleted objects named in `gone` leave a tombstone (with
    their remover), the other deletes lose their row; an object put back in the same append
    is neither."""
    tombstones = {oid: by for oid, by in (gone or {}).items() if oid not in puts}
    removed = [oid for oid in deletes if oid not in puts and oid not in tombstones]
    return tombstones, removed


def settings_text(settings: Settings | None) -> str | None:
    return None if settings is None else _encode(settings).decode()
