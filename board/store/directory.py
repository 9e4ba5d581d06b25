"""Workshops, their boards, and the people in them (tokens stored only as hashes)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from board.core.model import Settings
from board.store import tables
from board.store.database import Database

_workshops = tables.workshops
_boards = tables.boards
_participants = tables.participants


@dataclass(frozen=True, slots=True)
class BoardRef:
    id: str
    number: int


@dataclass(frozen=True, slots=True)
class WorkshopInfo:
    id: str
    title: str
    join_code: str
    created_at: int
    closed_at: int | None
    template: str | None
    details: dict[str, Any]
    boards: list[BoardRef]

    @property
    def main_board(self) -> BoardRef:
        return min(self.boards, key=lambda board: board.number)


@dataclass(frozen=True, slots=True)
class Member:
    """Someone in a workshop: a participant or a facilitator."""

    id: str
    workshop_id: str
    role: str
    name: str
    board_id: str | None

    @property
    def facilitator(self) -> bool:
        return self.role == "facilitator"


@dataclass(frozen=True, slots=True)
class NewBoard:
    id: str
    number: int
    settings: Settings


class Directory:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._board_workshops: dict[str, tuple[str, int]] = {}

    async def create_workshop(
        self,
        *,
        workshop_id: str,
        title: str,
        join_code: str,
        key_hash: str,
        now: int,
        boards: Sequence[NewBoard],
        template: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> bool:
        """Store a new workshop and its boards; False (nothing stored) when the join code or
        an id is already taken: draw again."""
        try:
            async with self.database.write() as connection:
                await connection.execute(
                    _workshops.insert().values(
                        id=workshop_id,
                        title=title,
                        join_code=join_code,
                        facilitator_key_hash=key_hash,
                        created_at=now,
                        template=template,
                        details=msgspec.json.encode(details or {}).decode(),
                    )
                )
                await connection.execute(_boards.insert(), _board_rows(workshop_id, boards))
        except IntegrityError:
            return False
        return True

    async def add_boards(self, workshop_id: str, boards: Sequence[NewBoard]) -> None:
        """More boards for a workshop (breakouts opened)."""
        async with self.database.write() as connection:
            await connection.execute(_boards.insert(), _board_rows(workshop_id, boards))

    async def workshop(self, workshop_id: str) -> WorkshopInfo | None:
        return await self._workshop(_workshops.c.id == workshop_id)

    async def workshop_by_code(self, join_code: str) -> WorkshopInfo | None:
        return await self._workshop(_workshops.c.join_code == join_code)

    async def _workshop(self, where: Any) -> WorkshopInfo | None:
        async with self.database.read() as connection:
            row = (await connection.execute(select(_workshops).where(where))).one_or_none()
            if row is None:
                return None
            boards = await connection.execute(
                select(_boards.c.id, _boards.c.number)
                .where(_boards.c.workshop_id == row.id)
                .order_by(_boards.c.number)
            )
            refs = [BoardRef(board_id, number) for board_id, number in boards]
        return WorkshopInfo(
            row.id,
            row.title,
            row.join_code,
            row.created_at,
            row.closed_at,
            row.template,
            msgspec.json.decode(row.details),
            refs,
        )

    async def facilitator_key_hash(self, workshop_id: str) -> str | None:
        async with self.database.read() as connection:
            found: str | None = await connection.scalar(
                select(_workshops.c.facilitator_key_hash).where(_workshops.c.id == workshop_id)
            )
        return found

    async def replace_facilitator_key(self, workshop_id: str, key_hash: str) -> None:
        async with self.database.write() as connection:
            await connection.execute(
                _workshops.update()
                .where(_workshops.c.id == workshop_id)
                .values(facilitator_key_hash=key_hash)
            )

    async def workshop_ids_with_template(self, template: str) -> list[str]:
        async with self.database.read() as connection:
            rows = await connection.execute(
                select(_workshops.c.id)
                .where(_workshops.c.template == template)
                .order_by(_workshops.c.created_at)
            )
            return [row.id for row in rows]

    async def add_member(
        self, *, member_id: str, workshop_id: str, token_hash: str, role: str, name: str, now: int
    ) -> Member:
        async with self.database.write() as connection:
            await connection.execute(
                _participants.insert().values(
                    id=member_id,
                    workshop_id=workshop_id,
                    token_hash=token_hash,
                    role=role,
                    name=name,
                    created_at=now,
                )
            )
        return Member(member_id, workshop_id, role, name, None)

    async def member(self, token_hash: str) -> Member | None:
        async with self.database.read() as connection:
            row = (
                await connection.execute(
                    select(_participants).where(_participants.c.token_hash == token_hash)
                )
            ).one_or_none()
        if row is None:
            return None
        return Member(row.id, row.workshop_id, row.role, row.chosen_name or row.name, row.board_id)

    async def board_workshop(self, board_id: str) -> tuple[str, int] | None:
        """(workshop id, board number) of a board. Cached: a board never changes workshop."""
        cached = self._board_workshops.get(board_id)
        if cached is not None:
            return cached
        async with self.database.read() as connection:
            row = (
                await connection.execute(
                    select(_boards.c.workshop_id, _boards.c.number).where(_boards.c.id == board_id)
                )
            ).one_or_none()
        if row is None:
            return None
        self._board_workshops[board_id] = (row.workshop_id, row.number)
        return self._board_workshops[board_id]

    async def boards_seq(self, workshop_id: str) -> int:
        """How far the workshop's boards have come: the sum of their heads, which grows with
        every change on any of them (a note, a vote, a withdrawal), in every process."""
        async with self.database.read() as connection:
            found = await connection.execute(
                select(func.coalesce(func.sum(_boards.c.head_seq), 0)).where(
                    _boards.c.workshop_id == workshop_id
                )
            )
            return int(found.scalar_one())

    async def choose_name(self, workshop_id: str, member_id: str, name: str | None) -> str:
        """Set (or clear, with None) the name a person chose for their cursor; their made-up
        name, which shows when they have none."""
        async with self.database.write() as connection:
            await connection.execute(
                update(_participants)
                .where(_participants.c.id == member_id, _participants.c.workshop_id == workshop_id)
                .values(chosen_name=name)
            )
            made_up = await connection.scalar(
                select(_participants.c.name).where(_participants.c.id == member_id)
            )
        return str(made_up)

    async def clear_chosen_names(self, workshop_id: str) -> list[tuple[str, str]]:
        """Clear every chosen name in the workshop; (member id, made-up name) of those who had one."""
        async with self.database.write() as connection:
            rows = (
                await connection.execute(
                    select(_participants.c.id, _participants.c.name).where(
                        _participants.c.workshop_id == workshop_id, _participants.c.chosen_name.is_not(None)
                    )
                )
            ).all()
            await connection.execute(
                update(_participants)
                .where(_participants.c.workshop_id == workshop_id)
                .values(chosen_name=None)
            )
        return [(row.id, row.name) for row in rows]

    async def allocate(self, workshop_id: str, boards: Mapping[str, str], main_id: str) -> None:
        """Each participant's board (member id -> board id): those named get theirs; those sent
        somewhere before and not named now are sent to the main board (`main_id`); those never
        sent anywhere stay so."""
        in_workshop = _participants.c.workshop_id == workshop_id
        async with self.database.write() as connection:
            await connection.execute(
                update(_participants)
                .where(in_workshop, _participants.c.board_id.is_not(None))
                .values(board_id=main_id)
            )
            by_board: defaultdict[str, list[str]] = defaultdict(list)
            for member_id, board_id in boards.items():
                by_board[board_id].append(member_id)
            for board_id, members in by_board.items():
                await connection.execute(
                    update(_participants)
                    .where(in_workshop, _participants.c.id.in_(members))
                    .values(board_id=board_id)
                )

    async def assign(self, workshop_id: str, member_id: str, board_id: str | None) -> None:
        """The board one person was sent to (the main board's id when sent there; None: nobody
        has sent them anywhere now)."""
        async with self.database.write() as connection:
            await connection.execute(
                update(_participants)
                .where(_participants.c.id == member_id, _participants.c.workshop_id == workshop_id)
                .values(board_id=board_id)
            )

    async def send_to_main(
        self,
        workshop_id: str,
        main_id: str,
        *,
        from_boards: Collection[str] | None = None,
        members: Collection[str] = (),
    ) -> tuple[list[str], int]:
        """Record that participants were sent to the main board (`main_id`), rather than
        forgetting where they were sent, so a page that reconnects later goes there too: every
        participant of the workshop without `from_boards`; with it, those sent to these boards
        (ids) and `members` (people on them now). Returns the participants concerned and how
        many of them had been sent to another board."""
        concerned = [_participants.c.workshop_id == workshop_id, _participants.c.role == "participant"]
        if from_boards is not None:
            concerned.append(
                or_(_participants.c.board_id.in_(list(from_boards)), _participants.c.id.in_(list(members)))
            )
        async with self.database.write() as connection:
            rows = (
                await connection.execute(
                    select(_participants.c.id, _participants.c.board_id).where(*concerned)
                )
            ).all()
            await connection.execute(update(_participants).where(*concerned).values(board_id=main_id))
        moved = sum(1 for row in rows if row.board_id is not None and row.board_id != main_id)
        return [row.id for row in rows], moved

    async def close_workshop(self, workshop_id: str, closed_at: int) -> None:
        async with self.database.write() as connection:
            await connection.execute(
                update(_workshops).where(_workshops.c.id == workshop_id).values(closed_at=closed_at)
            )


def _board_rows(workshop_id: str, boards: Sequence[NewBoard]) -> list[dict[str, Any]]:
    return [
        {
            "id": board.id,
            "workshop_id": workshop_id,
            "number": board.number,
            "head_seq": 0,
            "floor_seq": 0,
            "settings": msgspec.json.encode(board.settings).decode(),
        }
        for board in boards
    ]
