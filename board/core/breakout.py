"""Breakouts: random allocation into groups (seed 000: "you will be randomly allocated to a
room with 1 or 2 other people"), and pulling what the groups wrote into the main board (the
"gallery of your activities").

The facilitator chooses a group size `size`; the people present are shuffled with a seeded
`random.Random` (passed in: the core never draws its own randomness) and dealt as evenly as
can be into the number of groups that keeps every group nearest `size`: `n // size` groups
or one more, whichever strays less from `size`, the fewer groups on a tie. So with `size` 2,
seven people make groups of 3, 2 and 2 ("1 or 2 other people"), never 2, 2, 2 and 1; with
`size` 4, seven make 4 and 3. Nobody is alone unless only one person is present.

When fewer boards are open than groups would be made, the people are spread over the boards
there are (groups grow; sizes still differ by at most one). Group `i` goes to board `i + 1`.

Laws (tests/core/test_breakout.py): everyone is placed exactly once; sizes differ by at most
one; no other number of groups keeps every group nearer `size`; nobody is alone when two or
more are present; the same seed gives the same groups.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from board.core.categorise import containing_frame
from board.core.errors import ProtocolError
from board.core.limits import LIMITS
from board.core.model import AnyObject, Frame, Note, Patch, Placed, Vote
from board.core.ops import Applied, Update, adopt, apply
from board.core.provenance import copied_from
from board.core.state import Actor, BoardState

MIN_GROUP_SIZE: Final = 2
"""A group of one is not a breakout: the smallest size a facilitator may choose."""
MAX_GROUP_SIZE: Final = 20
"""Largest chosen size: a breakout bigger than this is a second plenary."""


def group_count(people: int, size: int, boards: int | None = None) -> int:
    """How many groups `people` make at `size` a group (at least one group once anyone is
    there), capped at the number of `boards` open."""
    if people <= 0:
        return 0
    fewer = max(1, people // size)
    count = min((fewer, fewer + 1), key=lambda groups: (_stray(people, groups, size), groups))
    return min(count, boards) if boards is not None and boards > 0 else count


def _stray(people: int, groups: int, size: int) -> int:
    """How far from `size` the biggest or smallest group is when `people` are dealt evenly
    into `groups` groups."""
    small, extra = divmod(people, groups)
    return max(abs(small - size), abs(small + (1 if extra else 0) - size))


def allocate(
    people: Sequence[str], size: int, rng: random.Random, boards: int | None = None
) -> list[list[str]]:
    """Deal `people` (refs, in any order; duplicates ignored) into groups of `size` or
    `size + 1`. The input order does not matter: it is sorted before shuffling, so one seed
    gives one allocation however the caller listed the people."""
    if size < 1:
        raise ValueError("a group has at least one person")
    everyone = sorted(set(people))
    rng.shuffle(everyone)
    count = group_count(len(everyone), size, boards)
    if count == 0:
        return []
    base, extra = divmod(len(everyone), count)
    groups: list[list[str]] = []
    start = 0
    for index in range(count):
        end = start + base + (1 if index < extra else 0)
        groups.append(everyone[start:end])
        start = end
    return groups


def by_board(groups: Sequence[Sequence[str]]) -> dict[str, int]:
    """Each person's board number: group `i` is board `i + 1`."""
    return {person: index + 1 for index, group in enumerate(groups) for person in group}


def smallest_board(counts: Mapping[int, int], boards: int) -> int:
    """Where a latecomer goes: the breakout board (1..boards) with fewest people, the lowest
    number on a tie."""
    if boards < 1:
        raise ValueError("no breakout board is open")
    return min(range(1, boards + 1), key=lambda number: (counts.get(number, 0), number))


# --- pulling breakout notes into the main board ("gallery of your activities") -----------------

PULL_COLUMNS: Final = 4
"""Notes a row in a pulled frame."""
PULL_NOTE: Final = 200.0
"""Width and height of a pulled note: the gallery is a tidy grid whatever sizes the notes had."""
PULL_GAP: Final = 20.0
PULL_HEADER: Final = 100.0
"""Room at the top of a pulled frame for its title."""
PULL_SPACING: Final = 200.0
"""Between pulled frames, and between them and what was on the main board already."""
PULL_FRAME_WIDTH: Final = PULL_COLUMNS * (PULL_NOTE + PULL_GAP) + PULL_GAP
SERVER: Final = Actor("server", facilitator=True)
"""Who grows a pulled frame: the server, with a facilitator's rights (a lock does not stop it;
a closed workshop does)."""


@dataclass(frozen=True, slots=True)
class Source:
    """A breakout board to pull from: its number, the title its frame gets, and its state."""

    number: int
    title: str
    state: BoardState


def pulled_id(kind: str, board: int, oid: str) -> str:
    """The id, on the main board, of the copy of object `oid` of board `board`: derived, not
    drawn, so pulling twice places nothing twice (`adopt` skips ids already taken). 32
    characters, whatever the length of the original id."""
    return kind + hashlib.sha256(f"{board}:{oid}".encode()).hexdigest()[:31]


def gallery_frame_id(board: int) -> str:
    return f"gallery-{board}"


def _bottom(objects: Iterable[AnyObject]) -> tuple[float, float] | None:
    """The leftmost x and the lowest bottom edge of what is placed on a board."""
    placed = [obj for obj in objects if isinstance(obj, Placed)]
    if not placed:
        return None
    left = min(obj.x for obj in placed)
    bottom = max(obj.y + max(0.0, float(getattr(obj, "h", 0.0))) for obj in placed)
    return left, bottom


def _frame_height(count: int) -> float:
    rows = max(1, math.ceil(count / PULL_COLUMNS))
    return PULL_HEADER + rows * (PULL_NOTE + PULL_GAP) + PULL_GAP


def _cell(frame: Frame, index: int) -> tuple[float, float]:
    row, column = divmod(index, PULL_COLUMNS)
    return (
        frame.x + PULL_GAP + column * (PULL_NOTE + PULL_GAP),
        frame.y + PULL_HEADER + row * (PULL_NOTE + PULL_GAP),
    )


def _pullable(board: BoardState) -> list[Note]:
    """A breakout board's notes that are pulled: all but the hidden and still-private ones, in
    the order they were written."""
    notes = (o for o in board.objects.values() if isinstance(o, Note) and not o.hidden and not o.private)
    return sorted(notes, key=lambda note: (note.created, note.id))


def _copies(
    source: Source, notes: Sequence[Note], frame: Frame, index: int, now: int
) -> list[tuple[AnyObject, str | None]]:
    """The main board's copies of these notes, placed in `frame` from cell `index` on, each
    with its category (its own, or the frame it sat in) and a copy of each vote on it; each
    copy keeps its original's author."""
    objects = source.state.objects
    authors = source.state.authors
    frames = [obj for obj in objects.values() if isinstance(obj, Frame)]
    votes_on: dict[str, list[Vote]] = {}
    for vote in sorted((o for o in objects.values() if isinstance(o, Vote)), key=lambda v: (v.created, v.id)):
        votes_on.setdefault(vote.target, []).append(vote)
    placed: list[tuple[AnyObject, str | None]] = []
    for cell, note in enumerate(notes, start=index):
        x, y = _cell(frame, cell)
        sat_in = containing_frame(note, frames)
        copy = Note(
            id=pulled_id("g", source.number, note.id),
            x=x,
            y=y,
            w=PULL_NOTE,
            h=PULL_NOTE,
            text=note.text,
            color=note.color,
            category=note.category or (sat_in.category if sat_in is not None else None),
            groups=note.groups,  # a point merged before the pull is raised where it is copied
            created=now,
            origin=copied_from(note, source.number),
        )
        placed.append((copy, authors.get(note.id)))
        for vote in votes_on.get(note.id, ()):
            dot = Vote(
                id=pulled_id("v", source.number, vote.id),
                target=copy.id,
                created=now,
                origin=copied_from(vote, source.number),
            )
            placed.append((dot, authors.get(vote.id)))
    return placed


def pull(main: BoardState, sources: Sequence[Source], now: int) -> Applied | ProtocolError:
    """Copy each breakout board's notes into a frame titled with its number on the main board,
    keeping each note's text, colour, category (set on it, or given by the frame it sat in)
    and votes, and who made each (so withdrawing takes the copies too). Hidden and
    still-private notes stay where they are.

    New frames go in a row below everything on the main board. Pulling again adds only the
    notes that arrived since, in the board's existing frame (wherever it was moved to), and
    grows the frame to hold them."""
    placed: list[tuple[AnyObject, str | None]] = []
    grow: list[tuple[str, float]] = []
    start = _bottom(main.objects.values())
    left, top = (0.0, 0.0) if start is None else (start[0], start[1] + PULL_SPACING)
    slot = 0
    for source in sources:
        notes = _pullable(source.state)
        frame_id = gallery_frame_id(source.number)
        frame = main.objects.get(frame_id)
        if not isinstance(frame, Frame):
            x = left + slot * (PULL_FRAME_WIDTH + PULL_SPACING)
            frame = Frame(
                id=frame_id,
                x=x,
                y=top,
                w=PULL_FRAME_WIDTH,
                h=_frame_height(len(notes)),
                title=source.title,
                titles=source.state.settings.titles,  # the board's title in each language
            )
            slot += 1
            placed.append((frame, None))
        new = [note for note in notes if pulled_id("g", source.number, note.id) not in main.objects]
        index = len(notes) - len(new)
        placed.extend(_copies(source, new, frame, index, now))
        needed = _frame_height(index + len(new))
        if frame.id in main.objects and needed > frame.h:
            grow.append((frame.id, needed))
    applied = adopt(main, placed)
    effects = list(applied.effects)
    state = applied.state
    for frame_id, height in grow:
        grown = apply(state, Update(id=frame_id, props=Patch(h=min(height, LIMITS.max_extent))), SERVER, now)
        if isinstance(grown, ProtocolError):
            return grown
        state = grown.state
        effects.extend(grown.effects)
    return Applied(state, tuple(effects))
