"""A copy pasted from one board onto another of the same workshop (issue 14, DESIGN.md §4).

A participant copies a note on board 2 and pastes it on board 3: the pasted note names what it
copies, `origin: {"id", "board": 2}`, so the record counts the two as one contribution. Board
3's `apply` cannot check that (it sees only its own board), so the check is made here, before
the op joins board 3's order: the object must be on a board of the same workshop, of the
pasted object's type, and visible to the sender there (`provenance.copied_across`). A passing
origin is replaced by its root original as a `Checked` origin; anything else is refused with
exactly the error a missing object gets, so no answer tells whether a private or hidden object
exists on another board.

The other board's state is read from its room (opened from the store when it is not open in
this process, as a merge or a pull does); nothing waits for board 3's commit loop, and board
2's only when it may be behind another process and the object was not found.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from board.core.errors import ErrorCode, ProtocolError
from board.core.model import Origin, Placed
from board.core.ops import Batch, Create, Op
from board.core.protocol import OpMessage
from board.core.provenance import Checked, copied_across
from board.core.state import Actor, BoardState
from board.store.directory import Directory
from board.sync.hub import Hub
from board.sync.room import Room
from board.sync.sequencer import Sequencer

NO_SUCH_OBJECT = ProtocolError(ErrorCode.NOT_FOUND, "origin.id", "no such object to copy")
"""What `ops.py` answers for a copy of an object that is not there: the answer here too."""


def names_another_board(message: OpMessage) -> bool:
    """Whether an op creates a placed object naming an origin with a `board`: the cheap test
    that keeps every other op off the slower path."""
    return any(_board_origin(sub) is not None for sub in _parts(message))


async def check(
    hub: Hub, directory: Directory, room: Room, actor: Actor, message: OpMessage
) -> OpMessage | ProtocolError:
    """The op with each origin on another board checked and replaced by its root original, or
    the refusal of the whole op (the error `apply` gives for a missing object, at its place)."""
    batch = isinstance(message.op, Batch)
    boards: dict[int, str] | None = None
    checked: list[Op] = []
    for index, sub in enumerate(_parts(message)):
        origin = _board_origin(sub)
        if origin is None or origin.board is None:
            checked.append(sub)
            continue
        assert isinstance(sub, Create)
        found: Origin | None
        if origin.board == room.number:  # its own board: `apply` checks it there
            found = Origin(id=origin.id)
        else:
            if boards is None:
                workshop = await directory.workshop(room.workshop_id)
                boards = {} if workshop is None else {b.number: b.id for b in workshop.boards}
            board_id = boards.get(origin.board)
            if board_id is None:
                found = None
            else:
                source = await _state(hub, board_id, origin.id)
                found = copied_across(source, origin.board, origin.id, type(sub.obj), actor.viewer)
        if found is None:
            refusal = NO_SUCH_OBJECT.under("obj")
            return (refusal.under(f"ops[{index}]") if batch else refusal).under("op")
        checked.append(msgspec.structs.replace(sub, obj=msgspec.structs.replace(sub.obj, origin=found)))
    op = msgspec.structs.replace(message.op, ops=tuple(checked)) if batch else checked[0]
    return msgspec.structs.replace(message, op=op)


def _parts(message: OpMessage) -> Sequence[Op]:
    op = message.op
    return op.ops if isinstance(op, Batch) else (op,)


def _board_origin(sub: Op) -> Origin | None:
    """The origin naming a board that a create of a placed object carries (only placed
    objects are copies a client makes; `apply` refuses an origin on anything else)."""
    if not isinstance(sub, Create) or not isinstance(sub.obj, Placed):
        return None
    origin = sub.obj.origin
    if origin is None or origin.board is None or isinstance(origin, Checked):
        return None
    return origin


async def _state(hub: Hub, board_id: str, oid: str) -> BoardState:
    """Another board's state as this process knows it; brought up to the stored head first
    when another process may serve that board and the object is not (yet) known here: a note
    made a moment ago elsewhere may still be on its way over the broker."""
    source = await hub.room(board_id)
    if oid not in source.sequencer.state.objects and hub.networked:
        await source.check_head()
        await source.run(_caught_up)
    return source.sequencer.state


async def _caught_up(_: Sequencer) -> None:
    """A job that changes nothing: its turn comes after the room has caught up and committed
    what was before it."""
