"""What a copy copies, and one contribution however many copies it has (DESIGN.md §4).

A note pulled into the main board, duplicated or pasted by someone, or moved by a merge is a
copy: it carries `origin`, the root original it copies (`model.Origin`). A contribution is an
original and all its copies, named by the original's place (`key`): the record, the duplicate
clusters, the category counts and every export count it once, attributed to the group (board)
that wrote it, with the votes given to any of its copies.

Who may name an origin. The server names any (a pull, a merge: it copies what it read). A
client names an object it can see: on the board it is on (`ops.py` checks it there), or on
another board of its workshop (`board: N`: a paste from one board to another), which the
server checks against that board before the op joins this board's order (`copied_across`,
`services/copies.py`) and hands on as a `Checked` origin, a type no client message decodes to. Anything
else is refused with the answer a missing object gets, so a reference reveals nothing, and a
client cannot make its note a copy of what it never saw, nor put it in someone else's group.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

import msgspec

from board.core.duplicates import NoteRef
from board.core.model import AnyObject, Note, Origin, Vote
from board.core.state import BoardState, Viewer


def key(obj: AnyObject, board: int) -> NoteRef:
    """The contribution an object on board `board` belongs to: its root original's place, or
    its own when it is no copy."""
    if obj.origin is None:
        return NoteRef(board, obj.id)
    return NoteRef(board if obj.origin.board is None else obj.origin.board, obj.origin.id)


def copied_from(source: AnyObject, board: int) -> Origin:
    """The origin of a copy, made on another board, of `source` of board `board`: the root."""
    root = key(source, board)
    return Origin(id=root.note, board=root.board)


def copied_here(source: AnyObject) -> Origin:
    """The origin of a copy, made on the same board, of `source`: its root, which may be on
    another board (a pulled note duplicated on the main board)."""
    return source.origin if source.origin is not None else Origin(id=source.id)


class Checked(Origin, frozen=True, kw_only=True):
    """An origin on another board that the server has checked for the client naming it
    (`copied_across`): already the root original. The wire decoder makes only `Origin`s, so a
    client cannot pass a board's check off as done; `ops.py` stores it as a plain `Origin`."""


def copied_across(
    source: BoardState, board: int, oid: str, kind: type[AnyObject], viewer: Viewer
) -> Checked | None:
    """The origin of a copy of object `oid` on board `board` (whose state is `source`) that
    `viewer` pastes on another board of the workshop: its root original, or None when there is
    no such object of that type for them to see. None covers a missing object, one of another
    type and one hidden from them (hidden, someone's private note) alike: the answer to each
    must be the same, so that no answer tells that something exists."""
    obj = source.objects.get(oid)
    if obj is None or type(obj) is not kind or not viewer.sees(source.audience_of(oid)):
        return None
    root = key(obj, board)
    return Checked(id=root.note, board=root.board)


@dataclass(frozen=True, slots=True)
class Contribution:
    """One thing a group wrote, with every copy of it the record holds."""

    key: NoteRef
    """The original's place: its board is the group that wrote it."""
    shown: tuple[tuple[int, Note], ...]
    """Its notes the record holds (board, note), the one that speaks for it first: the
    original when it is there, else the earliest copy."""

    @property
    def board(self) -> int:
        return self.key.board

    @property
    def note(self) -> Note:
        return self.shown[0][1]

    @property
    def refs(self) -> tuple[NoteRef, ...]:
        return tuple(NoteRef(board, note.id) for board, note in self.shown)


def contributions(notes: Mapping[int, Iterable[Note]]) -> list[Contribution]:
    """The contributions among these notes (each board's notes the record holds), by group,
    then time, then the original's id."""
    members: dict[NoteRef, list[tuple[int, Note]]] = {}
    for number in sorted(notes):
        for note in notes[number]:
            members.setdefault(key(note, number), []).append((number, note))
    found = []
    for root, shown in members.items():
        shown.sort(key=lambda bn: speaking_order(root, NoteRef(bn[0], bn[1].id), bn[1].created))
        found.append(Contribution(root, tuple(shown)))
    found.sort(key=lambda c: (c.key.board, c.note.created, c.key.note))
    return found


def speaking_order(root: NoteRef, ref: NoteRef, created: int) -> tuple[bool, int, int, str]:
    """Where note `ref`, made at `created`, comes among the notes of the contribution `root`:
    the original first, then its copies by when they were made (then board, then id). The
    first speaks for it, and of notes whose categories are equally strong the first gives it
    its category (`record.strongest`): whatever counts categories orders a contribution's
    notes by this, or the dashboard and the record disagree on a contribution whose copies
    sit in different columns."""
    return (ref != root, created, ref.board, ref.note)


def speaking(found: Iterable[Contribution]) -> dict[int, list[Note]]:
    """The note that speaks for each contribution, under its group's board and its original's
    id: what duplicate clustering compares, so a note is never a near-duplicate of its own
    copy and a cluster names contributions (`NoteRef`s of originals)."""
    by_group: dict[int, list[Note]] = {}
    for c in found:
        by_group.setdefault(c.board, []).append(msgspec.structs.replace(c.note, id=c.key.note))
    return by_group


def group_count(found: Iterable[Contribution]) -> int:
    """The M of "raised in N of M groups": groups that wrote a contribution, and groups whose
    notes were merged into one (`Note.groups`)."""
    groups: set[int] = set()
    for c in found:
        groups.add(c.board)
        groups.update(g for _, note in c.shown for g in note.groups)
    return len(groups)


def vote_keys(objects: Mapping[int, Iterable[AnyObject]], notes: Iterable[NoteRef]) -> set[NoteRef]:
    """The distinct votes on these notes: a vote and its copies (pulled with its note, moved by
    a merge) are one vote."""
    wanted = set(notes)
    return {
        key(obj, board)
        for board, found in objects.items()
        for obj in found
        if isinstance(obj, Vote) and NoteRef(board, obj.target) in wanted
    }


def originals_of(
    boards: Mapping[int, BoardState], ref: str, only: Mapping[int, Collection[str]] | None
) -> set[NoteRef]:
    """The originals participant `ref` made (their objects that copy nothing), on every board,
    or those `only` names: what withdrawing them takes away, copies and all."""
    return {
        NoteRef(number, oid)
        for number, state in boards.items()
        for oid in state.owned_by(ref)
        if (only is None or oid in only.get(number, ()))
        and (obj := state.objects.get(oid)) is not None
        and obj.origin is None
    }


def copies_of(state: BoardState, board: int, originals: Collection[NoteRef]) -> list[str]:
    """The objects on board `board` that copy one of `originals`, whoever made the copy: their
    words are the original's, so a withdrawal takes them with it."""
    return [
        oid for oid, obj in state.objects.items() if obj.origin is not None and key(obj, board) in originals
    ]
