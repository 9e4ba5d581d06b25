"""Near-duplicate notes across a workshop's boards ("be specific… but don't duplicate").

Each note's text becomes a comparison key (`key`: plain by default, `welsh.py` can supply one
that folds mutations); two notes are near-duplicates when rapidfuzz's `token_sort_ratio` of
their keys reaches `threshold`, so word order and small differences do not matter
("Focus groups in planning" ~ "planning focus group"). Clusters are the connected groups of
near-duplicates: the same notes give the same clusters whatever order they come in, with the
same ids, in the same order.

A cluster can be merged into one note (`plan_merge`). The plan keeps every vote: each vote on
a note that goes is moved to the note that stays, so the kept note ends with all the votes of
the cluster. Comments on removed notes move the same way. The plan is data; the server carries
it out.

Cost: each distinct key is scored against every later one, in rapidfuzz's C loop: about 0.05 s
for 500 notes and 3 s for 3,000 on the 2-core machine of DESIGN.md §7. The server should run it
off the event loop (a worker thread) for a large workshop, not on every keystroke.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

from rapidfuzz import fuzz, process

from board.core.errors import ErrorCode, ProtocolError
from board.core.model import AnyObject, Comment, Note, Vote
from board.core.stemming import TextKey
from board.core.tokens import words

DEFAULT_THRESHOLD: Final = 90.0
"""token_sort_ratio (0-100) from which two notes are near-duplicates. At 90, "citizens' jury"
and "Citizen juries" (100), "Focus groups in planning" and "planning focus group" (100),
"questionaire for tenants" and "questionnaire for tenants" (97) meet; "parish council
meeting" and "town council meeting" (76), "focus group with young people" and "… older
people" (75), "citizen jury" and "citizen panel" (64) do not. Short notes differ by whole
words, so a lower threshold soon joins notes that merely share a topic."""


def plain_key(text: str) -> str:
    """The default comparison key: the note's meaningful words, normalised (`categorise.words`)."""
    return " ".join(words(text))


@dataclass(frozen=True, slots=True, order=True)
class NoteRef:
    """A note in a workshop: note ids are chosen per board, so the board is part of the name."""

    board: int
    note: str

    def __str__(self) -> str:
        return f"{self.board}:{self.note}"


N = TypeVar("N")


@dataclass(frozen=True, slots=True)
class Cluster(Generic[N]):
    """Notes that make the same point. Found on the boards, its notes are `NoteRef`s and its id
    is the first note's reference; in the record (`record.RecordCluster`), the record's ids."""

    id: str
    """The first note's reference (`board:note`): the same while that note stays in the cluster;
    in the record, `c1`, `c2`, …"""
    notes: tuple[N, ...]
    """By board, then time of creation, then id."""
    boards: tuple[int, ...]
    """The distinct boards its notes are on, ascending."""
    groups: int
    """How many boards the workshop's notes came from (the M of "raised in N of M groups")."""
    similarity: float
    """The weakest link that joined the cluster (0-100): 100 means word for word the same."""

    @property
    def raised_in(self) -> int:
        return len(self.boards)

    def raised_in_text(self) -> str:
        return raised_in_text(self.raised_in, self.groups)


def raised_in_text(raised: int, groups: int) -> str:
    """ "raised in 2 of 3 groups": how many of the workshop's groups made a point."""
    noun = "group" if groups == 1 else "groups"
    return f"raised in {raised} of {groups} {noun}"


def _notes(boards: Mapping[int, Iterable[AnyObject]]) -> list[tuple[NoteRef, Note]]:
    found = [(NoteRef(board, obj.id), obj) for board, objects in boards.items() for obj in objects]
    notes = [(ref, obj) for ref, obj in found if isinstance(obj, Note)]
    return sorted(notes, key=lambda item: (item[0].board, item[1].created, item[0].note))


def find_duplicates(
    boards: Mapping[int, Iterable[AnyObject]],
    *,
    key: TextKey = plain_key,
    threshold: float = DEFAULT_THRESHOLD,
    groups: int | None = None,
) -> tuple[Cluster[NoteRef], ...]:
    """Clusters of near-duplicate notes among the given boards' objects (other objects are
    ignored, so a board's whole object list can be passed). Notes with no words never match.

    `groups` is the M of "raised in N of M groups"; by default the number of boards that hold
    at least one note. The caller chooses which notes take part (hidden ones, say, should not).
    """
    notes = _notes(boards)
    if groups is None:
        groups = len({ref.board for ref, _ in notes})
    refs = [ref for ref, _ in notes]
    keys = [key(note.text) for _, note in notes]
    sets, weakest = _link(keys, threshold)
    components: dict[int, list[int]] = defaultdict(list)
    for index, text in enumerate(keys):
        if text.strip():
            components[sets.root(index)].append(index)
    clusters = []
    for members in components.values():
        if len(members) < 2:
            continue
        ordered = sorted(members)  # notes are already in (board, created, id) order
        member_refs = tuple(refs[i] for i in ordered)
        clusters.append(
            Cluster(
                id=str(member_refs[0]),
                notes=member_refs,
                boards=tuple(sorted({ref.board for ref in member_refs})),
                groups=groups,
                similarity=round(min(weakest[i] for i in ordered), 1),
            )
        )
    position = {ref: i for i, ref in enumerate(refs)}
    return tuple(sorted(clusters, key=lambda c: position[c.notes[0]]))


class _Sets:
    """Disjoint sets of note indexes (union-find): a cluster is every note linked to another
    by a chain of similar pairs. The smallest index is a set's root."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def root(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _link(keys: Sequence[str], threshold: float) -> tuple[_Sets, dict[int, float]]:
    """Join the notes whose keys score at least `threshold`, and each note's weakest link
    score. Identical keys join without scoring; then each distinct key is scored against the
    later ones."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for index, text in enumerate(keys):
        if text.strip():
            by_key[text].append(index)
    distinct = sorted(by_key)
    sets = _Sets(len(keys))
    weakest: dict[int, float] = {}  # note index -> weakest link score touching it
    for members in by_key.values():
        for other in members[1:]:
            sets.join(members[0], other)
        if len(members) > 1:
            for member in members:
                weakest[member] = min(weakest.get(member, 100.0), 100.0)
    for i, text in enumerate(distinct):
        later = distinct[i + 1 :]
        if not later:
            break
        for _, score, j in process.extract(
            text, later, scorer=fuzz.token_sort_ratio, processor=None, score_cutoff=threshold, limit=None
        ):
            sets.join(by_key[text][0], by_key[later[j]][0])
            for member in (*by_key[text], *by_key[later[j]]):
                weakest[member] = min(weakest.get(member, 100.0), float(score))
    return sets, weakest


# --- merging ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Move:
    """A vote or comment (`obj`, on board `board`) whose target note goes: it is to point at
    `to` instead. A model object's target never changes in place, so the server replaces it
    with a new object on `to.board` that keeps the internal author link (withdrawal and vote
    budgets keep working)."""

    board: int
    obj: str
    old: NoteRef
    to: NoteRef


@dataclass(frozen=True, slots=True)
class MergePlan:
    keep: NoteRef
    remove: tuple[NoteRef, ...]
    votes: tuple[Move, ...]
    """Every vote on a removed note, in (board, created, id) order."""
    comments: tuple[Move, ...]
    """Every comment on a removed note (replies after the comment they answer)."""
    votes_after: int
    """Votes on the kept note once merged: all the votes the cluster's notes had."""


def plan_merge(
    members: Sequence[NoteRef],
    boards: Mapping[int, Iterable[AnyObject]],
    *,
    keep: NoteRef | None = None,
) -> MergePlan | ProtocolError:
    """How to merge these notes into one. `keep` is the note that stays; by default the one
    with most votes, then the earliest, then the first by board and id. Answers a
    `ProtocolError` naming the field when the request cannot be carried out."""
    if len(set(members)) < 2:
        return ProtocolError(ErrorCode.TOO_SHORT, "notes", "must name at least 2 different notes")
    objects = {board: {obj.id: obj for obj in objs} for board, objs in boards.items()}
    notes: dict[NoteRef, Note] = {}
    for i, ref in enumerate(members):
        found = objects.get(ref.board, {}).get(ref.note)
        if not isinstance(found, Note):
            return ProtocolError(ErrorCode.NOT_FOUND, f"notes[{i}]", f"there is no note {ref}")
        notes[ref] = found
    votes: dict[NoteRef, list[tuple[int, Vote | Comment]]] = defaultdict(list)
    comments: dict[NoteRef, list[tuple[int, Vote | Comment]]] = defaultdict(list)
    for board, by_id in objects.items():
        for obj in by_id.values():
            if isinstance(obj, Vote) and NoteRef(board, obj.target) in notes:
                votes[NoteRef(board, obj.target)].append((board, obj))
            elif isinstance(obj, Comment):
                pinned = _comment_target(obj, by_id)
                if pinned is not None and NoteRef(board, pinned) in notes:
                    comments[NoteRef(board, pinned)].append((board, obj))
    if keep is None:
        keep = min(notes, key=lambda ref: (-len(votes[ref]), notes[ref].created, ref))
    elif keep not in notes:
        return ProtocolError(ErrorCode.BAD_VALUE, "keep", f"{keep} is not one of the notes to merge")
    remove = tuple(
        sorted((ref for ref in notes if ref != keep), key=lambda ref: (ref.board, notes[ref].created, ref))
    )

    def moves(found: Mapping[NoteRef, list[tuple[int, Vote | Comment]]]) -> tuple[Move, ...]:
        planned: list[Move] = []
        for ref in remove:
            ordered = sorted(found[ref], key=lambda item: (_reply_rank(item[1]), item[1].created, item[1].id))
            planned += [Move(board, obj.id, ref, keep) for board, obj in ordered]
        return tuple(planned)

    return MergePlan(
        keep=keep,
        remove=remove,
        votes=moves(votes),
        comments=moves(comments),
        votes_after=sum(len(votes[ref]) for ref in notes),
    )


def _comment_target(comment: Comment, by_id: Mapping[str, AnyObject]) -> str | None:
    """The object a comment is pinned on: its own target, or (for a reply) its parent's."""
    if comment.target is not None:
        return comment.target
    parent = by_id.get(comment.parent) if comment.parent is not None else None
    return parent.target if isinstance(parent, Comment) else None


def _reply_rank(obj: AnyObject) -> int:
    return 1 if isinstance(obj, Comment) and obj.parent is not None else 0
