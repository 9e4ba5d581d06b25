"""A workshop's boards taken together: what the facilitator's whole-workshop actions (accepting
category suggestions, merging duplicates, exporting) read and how they change a board.

Reading: a board open in this process is read from its room (what its sockets see), any other
from the store, without opening a room for it. Either is a state every ack has already been
given for.

Changing: a change is computed from the board *as it is when its turn comes*, inside the
board's worker between groups of ops (`in_turn`), never from a copy read earlier. Accepting a
suggestion therefore never overwrites a category someone set a moment before, and a merge
never drops a vote cast while it was being planned.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from board.core.duplicates import NoteRef
from board.core.errors import ErrorCode, ProtocolError
from board.core.model import AnyObject, Note
from board.core.ops import Applied
from board.core.state import BoardState
from board.services.record import BoardLoader, store_loader
from board.store.directory import BoardRef, WorkshopInfo
from board.store.oplog import OpLog
from board.sync.hub import Hub
from board.sync.room import Room

NOTE_REF_PATTERN: Final = r"^[0-9]{1,3}:[A-Za-z0-9_-]{1,64}$"
"""How the API names a note in a workshop: `board number:note id` (`2:9f1c…`). Note ids are
chosen per board, so the board is part of the name."""
_NOTE_REF: Final = re.compile(NOTE_REF_PATTERN)


def parse_ref(text: str) -> NoteRef:
    """A note reference from the API (already checked against `NOTE_REF_PATTERN`)."""
    if not _NOTE_REF.match(text):
        raise ValueError(f"not a note reference: {text!r}")
    board, note = text.split(":", 1)
    return NoteRef(int(board), note)


def in_record(obj: AnyObject) -> bool:
    """Whether a note counts, as the record counts it: not hidden by a facilitator and not
    still private (made in private mode and never revealed)."""
    return isinstance(obj, Note) and not obj.hidden and not obj.private


def recorded_notes(objects: Iterable[AnyObject]) -> list[Note]:
    return [obj for obj in objects if isinstance(obj, Note) and in_record(obj)]


def reader(hub: Hub, oplog: OpLog) -> BoardLoader:
    """Read a board from its room when it is open here, else from the store."""
    from_store = store_loader(oplog)

    async def load(board: BoardRef) -> BoardState:
        room = hub.rooms.get(board.id)
        if room is not None and not room.closed:
            return room.sequencer.state
        return await from_store(board)

    return load


async def read_all(workshop: WorkshopInfo, load: BoardLoader) -> dict[int, BoardState]:
    """Every board of a workshop, by number."""
    return {board.number: await load(board) for board in workshop.boards}


@dataclass(frozen=True, slots=True)
class Located:
    """The boards a request names, checked against the workshop."""

    boards: Mapping[int, BoardRef]

    @classmethod
    def of(cls, workshop: WorkshopInfo) -> Located:
        return cls({board.number: board for board in workshop.boards})

    def check(self, refs: Iterable[NoteRef], field: str) -> ProtocolError | None:
        """`not_found` naming the first reference to a board the workshop does not have."""
        for i, ref in enumerate(refs):
            if ref.board not in self.boards:
                return ProtocolError(ErrorCode.NOT_FOUND, f"{field}[{i}]", f"there is no board {ref.board}")
        return None


Transform = Callable[[BoardState, int], Applied | ProtocolError]
"""A change computed from a board's state at time `now`: the change, or why there is none."""


async def in_turn(room: Room, transform: Transform) -> Applied | ProtocolError:
    """Run `transform` on the board as it is when its turn comes, and commit what it returns as
    one op (attributed to nobody, `Sequencer.change`). A refusal, or a change with no effects,
    takes no seq."""
    return await room.run(lambda sequencer: sequencer.change(lambda state: transform(state, sequencer.now())))
