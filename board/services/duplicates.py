"""Near-duplicate notes across a workshop's boards, and merging a cluster of them into one note
that keeps every vote (DESIGN.md §5; the clustering and the plan are `core/duplicates.py`).

`clusters` finds them among the notes the record holds. `merge` carries out `plan_merge`.

The order, and why. No transaction spans boards (each board has its own order, and may be
served by another process), so a merge is two steps:

1. On the kept note's board, in one op: the kept note is replaced by a copy that carries
   `groups` (the board numbers of the groups that raised the point; `groups` is set by the
   server only, so it is not something an `update` can change); the votes and comments on every
   other note of the cluster are placed on it as copies that keep their authors (a moved vote
   still counts against its voter's budget and still goes when they withdraw); and the
   cluster's other notes on that same board go.
2. Then, board by board, the cluster's notes on the other boards are removed, with what hangs
   on them.
3. Last, on every board, the other notes of the point that stays (the kept note's pulled copy
   on the main board; its original, when a copy was kept) are placed again carrying the same
   `groups`, so each says "raised in N of M groups" where it is shown (`with_groups`).

Each step also records, in the same turn, who contributed what (`store/shares.py`): the kept
note's writer and the writer of every note merged into it, with their group and their words.
Withdrawing then takes only one's own share of the point (`withdrawal.py`).

A crash between the two leaves the point twice, its votes counted on both: a duplicate, never a
lost vote. Merging again finishes the job without counting anything twice: a copy's id is
derived from what it copies (`moved_id`), and `adopt` never places an id that is taken.

Each step is computed from the board as it is in its turn (`boards.in_turn`), not from what
was read when planning: a vote cast on a note after the plan was made is copied before its
note goes; a vote removed meanwhile (taken back, withdrawn) has its copy taken back too.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import defaultdict
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import msgspec

from board.core import provenance
from board.core.duplicates import Cluster, NoteRef, find_duplicates, plan_merge
from board.core.errors import ErrorCode, ProtocolError
from board.core.model import AnyObject, Comment, Note, Vote
from board.core.ops import Applied, adopt
from board.core.provenance import Contribution, contributions, copied_from
from board.core.record import cluster_label
from board.core.state import BoardState
from board.core.welsh import duplicate_key
from board.services.boards import Located, Transform, in_turn, recorded_notes
from board.store.database import Database
from board.store.directory import WorkshopInfo
from board.store.shares import Share, Source, gather
from board.sync.hub import Hub
from board.sync.room import Room
from board.sync.sequencer import Sequencer

MAX_ROUNDS: Final = 5
"""Times the removal on one board is tried again after votes arrived on its notes mid-merge.
Each round copies the newcomers first; past this the merge stops with the notes still there
(a duplicate, no vote lost) and says to try again."""

Authored = tuple[AnyObject, str | None]


# --- finding clusters ---------------------------------------------------------------------------


async def clusters(boards: Mapping[int, BoardState]) -> tuple[Cluster[NoteRef], ...]:
    """Clusters of near-duplicate contributions among the notes the record holds, compared
    Welsh-aware (`welsh.duplicate_key`: "well gymuned" meets "gwell cymuned"): a note and its
    copies are one contribution, never a cluster (`core/provenance.py`), and a cluster names
    each contribution by its original. Scoring runs in a worker thread: it is the one costly
    step (`core/duplicates.py` gives its cost)."""
    # Keyed by every note's words, as the export keys them (`record.build`): the same clusters,
    # so the same ids (`c1`, …) here and in the record.
    texts = [obj.text for state in boards.values() for obj in state.objects.values() if isinstance(obj, Note)]
    return await asyncio.to_thread(_find, contributions_of(boards), texts)


def contributions_of(boards: Mapping[int, BoardState]) -> list[Contribution]:
    """The contributions the record holds, as the record finds them."""
    return contributions({number: recorded_notes(state.objects.values()) for number, state in boards.items()})


def _find(found: Sequence[Contribution], texts: Sequence[str]) -> tuple[Cluster[NoteRef], ...]:
    key = duplicate_key(texts)
    return find_duplicates(provenance.speaking(found), key=key, groups=provenance.group_count(found))


def group_count(boards: Mapping[int, BoardState]) -> int:
    """The M of "raised in N of M groups" for a workshop's boards as they are now: groups that
    wrote a contribution, and groups whose notes were merged into another's."""
    return provenance.group_count(contributions_of(boards))


def clusters_data(found: Sequence[Cluster[NoteRef]], boards: Mapping[int, BoardState]) -> dict[str, Any]:
    """The clusters as the API answers them, with the ids the record gives them (`c1`, …):
    each with its contributions (named by the note that speaks for each, with the votes given
    to it and its copies), "raised in N of M groups", and the note a merge keeps unless told
    otherwise."""
    by_key = {c.key: c for c in contributions_of(boards)}
    objects = {number: state.objects.values() for number, state in boards.items()}
    out = []
    for index, cluster in enumerate(found, start=1):
        members = [by_key[ref] for ref in cluster.notes]
        votes = {c.key: len(provenance.vote_keys(objects, c.refs)) for c in members}
        keep = max(members, key=lambda c: (votes[c.key], -c.note.created))
        out.append(
            {
                "id": cluster_label(index),
                "notes": [
                    {
                        "note": str(c.refs[0]),
                        "board": c.board,
                        "text": c.note.text,
                        "votes": votes[c.key],
                    }
                    for c in members
                ],
                "boards": list(cluster.boards),
                "raised_in": cluster.raised_in,
                "groups": cluster.groups,
                "raised_in_text": cluster.raised_in_text(),
                "similarity": cluster.similarity,
                "keep": str(keep.refs[0]),
            }
        )
    return {"groups": group_count(boards), "clusters": out}


def _text(state: BoardState, oid: str) -> str:
    note = state.objects.get(oid)
    return note.text if isinstance(note, Note) else ""


# --- merging ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Merged:
    kept: NoteRef
    removed: tuple[NoteRef, ...]
    votes: int
    """Votes on the kept note once merged."""
    groups: tuple[int, ...]

    def data(self) -> dict[str, Any]:
        return {
            "kept": str(self.kept),
            "removed": [str(ref) for ref in self.removed],
            "votes": self.votes,
            "groups": list(self.groups),
        }


def moved_id(board: int, oid: str) -> str:
    """The id of the copy, on the kept note's board, of object `oid` of board `board`: derived,
    not drawn, so that a merge run twice places no second copy. 32 characters."""
    return "m" + hashlib.sha256(f"{board}:{oid}".encode()).hexdigest()[:31]


def hanging_on(state: BoardState, note_ids: Collection[str]) -> list[AnyObject]:
    """The votes and comments on these notes, then the replies to those comments, each by time:
    what goes when the notes go (`ops.adopt` removes it with them)."""
    objects = state.objects.values()
    votes = [o for o in objects if isinstance(o, Vote) and o.target in note_ids]
    comments = [o for o in objects if isinstance(o, Comment) and o.parent is None and o.target in note_ids]
    pinned = {c.id for c in comments}
    replies = [o for o in objects if isinstance(o, Comment) and o.parent in pinned]
    return [obj for group in (votes, comments, replies) for obj in sorted(group, key=_by_time)]


def _by_time(obj: AnyObject) -> tuple[int, str]:
    return (obj.created, obj.id)


def _copy(obj: AnyObject, board: int, keep: str) -> AnyObject:
    """A vote or comment of board `board`, re-pointed at the kept note; a reply at the copy of
    the comment it answers."""
    origin = copied_from(obj, board)
    if isinstance(obj, Comment) and obj.parent is not None:
        return msgspec.structs.replace(
            obj, id=moved_id(board, obj.id), parent=moved_id(board, obj.parent), origin=origin
        )
    if isinstance(obj, Vote | Comment):
        return msgspec.structs.replace(obj, id=moved_id(board, obj.id), target=keep, origin=origin)
    raise TypeError(f"only votes and comments move with a merge, not {type(obj).__name__}")


def _authored(state: BoardState, objects: Sequence[AnyObject], board: int, keep: str) -> list[Authored]:
    return [(_copy(obj, board, keep), state.authors.get(obj.id)) for obj in objects]


async def merge(
    hub: Hub, workshop: WorkshopInfo, members: Sequence[NoteRef], keep: NoteRef | None
) -> Merged | ProtocolError:
    """Merge these notes (one cluster, on any boards of the workshop) into `keep`, by default
    the one with most votes, then the earliest (`plan_merge`). Every copy of a note merged
    away goes too, wherever it is (a pulled copy on the main board), its votes moved onto the
    kept note: the point is then one contribution, its votes each counted once."""
    located = Located.of(workshop)
    problem = located.check(members, "notes")
    if problem is not None:
        return problem
    rooms = {number: await hub.room(board.id) for number, board in sorted(located.boards.items())}
    states = {number: room.sequencer.state for number, room in rooms.items()}
    objects = {n: s.objects.values() for n, s in states.items()}
    plan = plan_merge(members, objects, keep=keep)
    if isinstance(plan, ProtocolError):
        return plan
    plan = plan_merge(_with_copies(plan.keep, members, states), objects, keep=plan.keep)
    if isinstance(plan, ProtocolError):
        return plan
    kept = plan.keep
    elsewhere: dict[int, list[str]] = defaultdict(list)
    here: list[str] = []
    for ref in plan.remove:
        (here if ref.board == kept.board else elsewhere[ref.board]).append(ref.note)
    kept_note, groups = _point(kept, plan.remove, states)
    moving = {number: hanging_on(states[number], note_ids) for number, note_ids in elsewhere.items()}
    arriving = [
        copy
        for number, objects in moving.items()
        for copy in _authored(states[number], objects, number, kept.note)
    ]

    database = hub.oplog.database
    kept_board = located.boards[kept.board].id
    gathering = _Gathering(kept, kept_board, here, groups, arriving)
    first = await _then(rooms[kept.board], gathering.gather, gathering.record(database))
    if isinstance(first, ProtocolError):
        return first
    for number, note_ids in sorted(elsewhere.items()):
        moved = {obj.id for obj in moving[number]}
        removal = _Removal(number, note_ids, kept.note, moved, located.boards[number].id, kept_board)
        refused = await _remove(rooms[number], rooms[kept.board], removal, database)
        if refused is not None:
            return refused
    # Every other note of the point that stays (its pulled copy on the main board, its
    # original when a copy was kept) says it too: "raised in N of M groups" is the point's.
    kept_key = provenance.key(kept_note, kept.board)
    for number, room in rooms.items():
        await in_turn(room, _grouping(number, kept_key, groups))
    final = rooms[kept.board].sequencer.state
    votes = sum(1 for obj in final.objects.values() if isinstance(obj, Vote) and obj.target == kept.note)
    return Merged(kept, plan.remove, votes, groups)


def _point(
    kept: NoteRef, removed: Sequence[NoteRef], states: Mapping[int, BoardState]
) -> tuple[Note, tuple[int, ...]]:
    """The kept note, and every group that raised the point: those that wrote its notes, and
    those earlier merges gave them."""
    cluster: list[tuple[NoteRef, Note]] = []
    for ref in (kept, *removed):
        note = states[ref.board].objects[ref.note]
        assert isinstance(note, Note)  # plan_merge checked
        cluster.append((ref, note))
    wrote = {provenance.key(note, ref.board).board for ref, note in cluster}
    merged = {g for _, note in cluster for g in note.groups}
    return cluster[0][1], tuple(sorted(wrote | merged))


def _with_copies(
    keep: NoteRef, members: Sequence[NoteRef], states: Mapping[int, BoardState]
) -> list[NoteRef]:
    """The notes a merge into `keep` takes in: those named, and every copy of them on any board,
    but none of the kept note's own copies (they are the point that stays)."""
    found = contributions(
        {
            number: [o for o in state.objects.values() if isinstance(o, Note)]
            for number, state in states.items()
        }
    )
    of = {ref: c.key for c in found for ref in c.refs}
    kept_key = of.get(keep)
    named = {of[ref] for ref in members if ref in of}
    taken = [ref for c in found if c.key in named and c.key != kept_key for ref in c.refs]
    return [keep, *sorted(set(taken))]


def with_groups(state: BoardState, board: int, point: NoteRef, groups: tuple[int, ...]) -> Applied:
    """The notes of contribution `point` on board `board` placed again carrying `groups`, with
    what hangs on them (as the kept note is in step 1: `groups` is set by the server only).
    Notes that already carry them are left alone, so a merge run again changes nothing."""
    notes = [
        obj
        for obj in state.objects.values()
        if isinstance(obj, Note) and obj.groups != groups and provenance.key(obj, board) == point
    ]
    ids = [note.id for note in notes]
    placed: list[Authored] = [
        (msgspec.structs.replace(note, groups=groups), state.authors.get(note.id)) for note in notes
    ]
    placed += [(obj, state.authors.get(obj.id)) for obj in hanging_on(state, ids)]
    return adopt(state, placed, remove=ids)


def _grouping(board: int, point: NoteRef, groups: tuple[int, ...]) -> Transform:
    def transform(state: BoardState, now: int) -> Applied:
        return with_groups(state, board, point, groups)

    return transform


def fresh_share(state: BoardState, board: int, oid: str, share_id: str) -> Share:
    """A note's share in a merged point when it has none yet: its group (the board it was
    written on, or the one group it carries), its writer, its words."""
    note = state.objects[oid]
    assert isinstance(note, Note)
    group = note.groups[0] if len(note.groups) == 1 else provenance.key(note, board).board
    return Share(share_id, group, state.authors.get(oid), note.text, note.created)


Job = Callable[[], Awaitable[None]]


async def _then(room: Room, transform: Transform, after: Job) -> Applied | ProtocolError:
    """`boards.in_turn`, and then, still in the board's turn, `after` (when the change was made)."""

    async def job(sequencer: Sequencer) -> Applied | ProtocolError:
        applied = await sequencer.change(lambda state: transform(state, sequencer.now()))
        if not isinstance(applied, ProtocolError):
            await after()
        return applied

    return await room.run(job)


@dataclass(slots=True)
class _Gathering:
    """Step 1, on the kept note's board: the kept note again with `groups`, what already hangs
    on it, the copies from the cluster's notes on this board (which go) and from other boards;
    then the shares of the notes it took in here, and its own."""

    kept: NoteRef
    board_id: str
    here: Sequence[str]
    groups: tuple[int, ...]
    arriving: list[Authored]
    sources: list[Source] = field(default_factory=list)

    def gather(self, state: BoardState, now: int) -> Applied | ProtocolError:
        kept = self.kept
        note = state.objects.get(kept.note)
        if not isinstance(note, Note):
            return ProtocolError(ErrorCode.NOT_FOUND, "keep", f"there is no note {kept} any more")
        going = [oid for oid in self.here if isinstance(state.objects.get(oid), Note)]
        self.sources = [
            Source(self.board_id, oid, fresh_share(state, kept.board, oid, share_id))
            for oid, share_id in [(kept.note, kept.note)]
            + [(oid, moved_id(kept.board, oid)) for oid in going]
        ]
        placed: list[Authored] = [
            (msgspec.structs.replace(note, groups=self.groups), state.authors.get(kept.note))
        ]
        placed += [(obj, state.authors.get(obj.id)) for obj in hanging_on(state, [kept.note])]
        placed += _authored(state, hanging_on(state, going), kept.board, kept.note)
        placed += self.arriving
        return adopt(state, placed, remove=[kept.note, *going])

    def record(self, database: Database) -> Job:
        async def after() -> None:
            await gather(database, self.board_id, self.kept.note, self.sources)

        return after


@dataclass(slots=True)
class _Removal:
    """Step 2, on another board: remove the cluster's notes there once everything hanging on
    them has its copy on the kept note (latecomers are copied first, and the removal tried
    again), then take back the copies of what went from them meanwhile."""

    number: int
    note_ids: Sequence[str]
    keep: str
    planned: set[str]
    """Ids, on this board, of what has been copied to the kept note."""
    board_id: str
    keep_board_id: str
    late: list[Authored] = field(default_factory=list)
    late_ids: set[str] = field(default_factory=set)
    gone: set[str] = field(default_factory=set)
    sources: list[Source] = field(default_factory=list)
    """The shares of the notes removed here, for the kept note (`store/shares.py`)."""

    def remove(self, state: BoardState, now: int) -> Applied | ProtocolError:
        self.late, self.late_ids, self.gone, self.sources = [], set(), set(), []
        present = [oid for oid in self.note_ids if isinstance(state.objects.get(oid), Note)]
        hanging = hanging_on(state, present)
        newcomers = [obj for obj in hanging if obj.id not in self.planned]
        if newcomers:
            self.late = _authored(state, newcomers, self.number, self.keep)
            self.late_ids = {obj.id for obj in newcomers}
            return ProtocolError(ErrorCode.CONFLICT, "notes", "votes or comments arrived while merging")
        self.gone = self.planned - {obj.id for obj in hanging}
        self.sources = [
            Source(self.board_id, oid, fresh_share(state, self.number, oid, moved_id(self.number, oid)))
            for oid in present
        ]
        return adopt(state, [], remove=present)

    def record(self, database: Database) -> Job:
        async def after() -> None:
            if self.sources:
                await gather(database, self.keep_board_id, self.keep, self.sources)

        return after

    def place_late(self, state: BoardState, now: int) -> Applied | ProtocolError:
        if not isinstance(state.objects.get(self.keep), Note):
            return ProtocolError(
                ErrorCode.CONFLICT,
                "keep",
                "the note to keep was removed while merging; the others are still there",
            )
        return adopt(state, self.late)

    def take_back(self, state: BoardState, now: int) -> Applied | ProtocolError:
        return adopt(state, [], remove=[moved_id(self.number, oid) for oid in sorted(self.gone)])


async def _remove(room: Room, kept_room: Room, removal: _Removal, database: Database) -> ProtocolError | None:
    for _ in range(MAX_ROUNDS):
        await _then(room, removal.remove, removal.record(database))
        if removal.late:
            copied = await in_turn(kept_room, removal.place_late)
            if isinstance(copied, ProtocolError):
                return copied
            removal.planned |= removal.late_ids
            continue
        if removal.gone:
            await in_turn(kept_room, removal.take_back)
        return None
    return ProtocolError(
        ErrorCode.CONFLICT,
        "notes",
        "the notes kept changing while merging; they are all still there, merge again",
    )
