"""The workshop record: what the facilitator exports and a council keeps (DESIGN.md §5).

A frozen tree of plain values, versioned (`RECORD_SCHEMA_VERSION`, and the JSON Schema in
`export/record.schema.json`), built by `build_record` from what the server gathers: the
workshop's facts, its taxonomy, each board's objects, the "defining our categories" cards and
the exit-poll counts. Every export (`export/`) renders this tree and nothing else.

Anonymity by construction. No type here has a field for a token, participant id, IP address,
cursor name or author, so nothing that identifies a person can be put in a record, let alone
exported. The builder takes board *objects*, which carry no author (authors live apart, in
`BoardState.authors`, which it never sees). Object ids are chosen by clients and could carry
anything, so none is kept either: notes are renumbered `n1`, `n2`, … in the order of the
record, and clusters `c1`, `c2`, ….

One contribution, one note. A note and its copies (pulled into the main board, duplicated,
pasted: `provenance.py`) are one note of the record, attributed to the group that wrote it,
with the votes and comments given to any of them; its words are the original's while the
original is there (a facilitator tidying a copy's wording on the main board changes the board,
not what the group said), its category the strongest any of them has. Version 2 of the schema
counts this way; version 1 counted each copy as a note.

What goes in: every contribution with a note that is not hidden by moderation; notes still
private (made in private mode and never revealed) only when `include_private` is set. How many
contributions were left out, and why, is in `excluded`: hiding one copy leaves the
contribution in while another copy is shown.

Times are milliseconds since the epoch, passed in; `iso_utc` writes them as ISO 8601 UTC
without a clock or a time zone database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from board.core import provenance
from board.core.categorise import Assignment, Source, categorise_workshop
from board.core.duplicates import (
    DEFAULT_THRESHOLD,
    Cluster,
    NoteRef,
    find_duplicates,
    plain_key,
    raised_in_text,
)
from board.core.model import AnyObject, Comment, Frame, Note, PollWord, Vote
from board.core.purpose import PurposeVersion
from board.core.stemming import TextKey
from board.core.taxonomies import Bilingual, Taxonomy

RECORD_SCHEMA_VERSION: Final = 2
"""Bump when a field changes meaning or goes; adding an optional field does not need it."""
RECORD_FORMAT: Final = "workshop-board.record"


# --- what the server gathers ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Workshop:
    title: str
    template: str | None = None
    """The template the workshop was made from (e.g. `engagement-network`), if any."""
    agenda: tuple[str, ...] = ()
    """The agenda, one line per item ("Part 1  Connections and capturing of activities")."""
    starts_at: int | None = None
    """When the workshop was created: often days before the session, when it was set up."""
    ends_at: int | None = None
    """When a facilitator closed it (None while it is open): possibly long after the session."""
    purpose: tuple[PurposeVersion, ...] = ()
    """Every version of the purpose statement participants read before joining, oldest first,
    each with when it was saved (people joining from then on read it; `core/purpose.py`)."""


@dataclass(frozen=True, slots=True)
class BoardInput:
    """One board as the server holds it: its number (0 is the main board), a title, and its
    objects (`state.objects.values()`; never the state itself, which knows the authors)."""

    number: int
    objects: tuple[AnyObject, ...]
    title: str = ""


@dataclass(frozen=True, slots=True)
class CategoryDefinition:
    """A card from "defining our categories" (seed 000): a group's consensus on one category."""

    category: str
    definition: str = ""
    why: str = ""
    """Why you would use this type of activity."""
    excellent: tuple[str, ...] = ()
    """A few bullet points on how this type of activity could be excellent."""
    board: int | None = None
    """The board (group) that wrote it, when groups each wrote their own."""


# --- the record -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordBoard:
    number: int
    title: str
    notes: int


@dataclass(frozen=True, slots=True)
class RecordNote:
    """One contribution: a note someone wrote, with all its copies (`provenance.py`)."""

    id: str
    """`n1`, `n2`, …: the note's place in the record, not its id on the board."""
    board: int
    """The board (group) that wrote it, wherever it was copied to since."""
    text: str
    category: str | None
    source: Source
    confidence: float | None
    """For a suggested category only."""
    votes: int
    comments: tuple[str, ...]
    created_at: int
    cluster: str | None
    """The duplicate cluster it belongs to (`c1`, …), if any."""
    raised_in: tuple[int, ...] = ()
    """The groups (board numbers) that raised the point this note makes, when more than one
    did: the boards of its duplicate cluster and every group whose notes were merged into it
    or into the cluster's other notes (`Note.groups`). The N of "raised in N of M groups"."""
    shown_on: tuple[int, ...] = ()
    """The boards it is on: the group's own and those it was copied to (pulled into the main
    board, pasted). Empty in a record made before copies were known."""
    copies: int = 0
    """How many copies of it the record holds besides the note that speaks for it. A copy is
    never a note of its own: it is counted, voted and categorised as this contribution."""


RecordCluster = Cluster[str]
"""A duplicate cluster in the record: its notes by their record ids (`n1`, …)."""


@dataclass(frozen=True, slots=True)
class PollCount:
    word: str
    count: int


@dataclass(frozen=True, slots=True)
class Excluded:
    """What was left out of the record, counted (so a reader knows the record is partial)."""

    hidden_notes: int = 0
    private_notes: int = 0
    definitions: int = 0
    """Definition cards for categories the taxonomy does not have."""
    withdrawn: int = 0
    """Contributions taken back by the people who made them: only how many, never what or whose."""


@dataclass(frozen=True, slots=True)
class CategoryCount:
    key: str
    confirmed: int
    """Set explicitly or by the frame the note sits in."""
    suggested: int
    """Only suggested from the note's words: not yet confirmed by anyone."""

    @property
    def total(self) -> int:
        return self.confirmed + self.suggested


@dataclass(frozen=True, slots=True)
class Record:
    workshop: Workshop
    taxonomy: Taxonomy
    boards: tuple[RecordBoard, ...]
    notes: tuple[RecordNote, ...]
    definitions: tuple[CategoryDefinition, ...]
    duplicates: tuple[RecordCluster, ...]
    exit_poll: tuple[PollCount, ...]
    exported_at: int
    excluded: Excluded = Excluded()
    schema_version: int = RECORD_SCHEMA_VERSION
    exit_poll_question: Bilingual | None = None
    """The exit poll's question as it was asked (Welsh None when given in English only); None
    when nothing was asked."""
    first_contribution_at: int | None = None
    """When the first contribution in the record was made (a note, a comment or a vote on one,
    an exit-poll answer): the session's date, where `workshop.starts_at` is only when the
    workshop was set up. None when nobody contributed anything."""

    def counts(self) -> tuple[CategoryCount, ...]:
        """Notes per category, in the taxonomy's order, confirmed and suggested apart."""
        confirmed = Counter(n.category for n in self.notes if n.source in (Source.EXPLICIT, Source.FRAME))
        suggested = Counter(n.category for n in self.notes if n.source == Source.SUGGESTED)
        return tuple(CategoryCount(key, confirmed[key], suggested[key]) for key in self.taxonomy.keys)

    @property
    def uncategorised(self) -> int:
        return sum(1 for n in self.notes if n.category is None)

    @property
    def groups(self) -> int:
        """How many groups the notes came from, the M of "raised in N of M groups": boards that
        hold a note, and boards whose notes were merged into another board's."""
        return len({b.number for b in self.boards if b.notes} | {g for n in self.notes for g in n.raised_in})

    def raised_in_text(self, note: RecordNote) -> str | None:
        """ "raised in 3 of 4 groups" for a point several groups raised; None otherwise."""
        return raised_in_text(len(note.raised_in), self.groups) if len(note.raised_in) > 1 else None

    def board(self, number: int) -> RecordBoard | None:
        return next((b for b in self.boards if b.number == number), None)

    def notes_on(self, number: int) -> tuple[RecordNote, ...]:
        return tuple(n for n in self.notes if n.board == number)

    def notes_in(self, category: str | None) -> tuple[RecordNote, ...]:
        return tuple(n for n in self.notes if n.category == category)


# --- building it --------------------------------------------------------------------------------


def board_title(number: int, title: str = "") -> str:
    """The title a board is shown by: its own, or "Main board" / "Board N"."""
    if title.strip():
        return title.strip()
    return "Main board" if number == 0 else f"Board {number}"


def build_record(
    *,
    workshop: Workshop,
    taxonomy: Taxonomy,
    boards: Sequence[BoardInput],
    exported_at: int,
    definitions: Iterable[CategoryDefinition] = (),
    exit_poll: Mapping[str, int] | None = None,
    exit_poll_question: Bilingual | None = None,
    include_private: bool = False,
    duplicate_key: TextKey = plain_key,
    duplicate_threshold: float = DEFAULT_THRESHOLD,
    fold: TextKey | None = None,
    withdrawn: int = 0,
) -> Record:
    """The record of a workshop. Categories come from `categorise.py` (with `fold` for Welsh
    mutations), duplicates from `duplicates.py` (with `duplicate_key`); both see exactly the
    notes that are in the record. Board numbers must be distinct."""
    numbers = [board.number for board in boards]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"board numbers must be distinct, got {sorted(numbers)}")
    read = _read_boards(boards, include_private)
    assignments: dict[NoteRef, Assignment] = {}
    for number, on_board in categorise_workshop(read.parts, taxonomy, fold=fold).items():
        assignments.update((NoteRef(number, oid), assignment) for oid, assignment in on_board.items())
    found = provenance.contributions({number: notes for number, (notes, _) in read.parts.items()})
    record_ids = {c.key: f"n{i}" for i, c in enumerate(found, start=1)}
    points = _repeated_points(found, record_ids, duplicate_key, duplicate_threshold)
    record_notes = [
        _record_note(c, record_ids[c.key], strongest(assignments[ref] for ref in c.refs), read, points)
        for c in found
    ]
    hidden, private = left_out({b.number: b.objects for b in boards}, include_private)
    by_group = Counter(c.board for c in found)
    known, dropped = _known_definitions(definitions, taxonomy)
    return Record(
        workshop=workshop,
        taxonomy=taxonomy,
        boards=tuple(
            RecordBoard(b.number, board_title(b.number, b.title), by_group[b.number])
            for b in sorted(boards, key=lambda b: b.number)
        ),
        notes=tuple(record_notes),
        definitions=known,
        duplicates=points.clusters,
        exit_poll=poll_counts(exit_poll or {}),
        exit_poll_question=exit_poll_question,
        # 0 is an object that never had a time stamped on it (made by hand, not by a board).
        first_contribution_at=min((t for t in read.contributed if t > 0), default=None),
        exported_at=exported_at,
        excluded=Excluded(
            hidden_notes=hidden, private_notes=private, definitions=dropped, withdrawn=withdrawn
        ),
    )


@dataclass(slots=True)
class _Read:
    """What the record takes from the boards, before contributions are worked out."""

    parts: dict[int, tuple[list[Note], list[Frame]]] = field(default_factory=dict)
    """Each board's recorded notes (by time of creation) and frames, categorised together."""
    votes: dict[NoteRef, set[NoteRef]] = field(default_factory=dict)
    """The votes on each note, by the vote they are or copy (a pulled vote is its original)."""
    comments: dict[NoteRef, list[Comment]] = field(default_factory=dict)
    contributed: list[int] = field(default_factory=list)
    """When each contribution the record holds was made (for `first_contribution_at`)."""


def _read_boards(boards: Sequence[BoardInput], include_private: bool) -> _Read:
    read = _Read()
    for board in sorted(boards, key=lambda b: b.number):
        by_id = {obj.id: obj for obj in board.objects}
        notes = [
            obj
            for obj in board.objects
            if isinstance(obj, Note) and not obj.hidden and (include_private or not obj.private)
        ]
        notes.sort(key=lambda n: (n.created, n.id))
        read.parts[board.number] = (notes, [obj for obj in board.objects if isinstance(obj, Frame)])
        note_ids = {n.id for n in notes}
        read.contributed += [n.created for n in notes]
        for obj in board.objects:
            if isinstance(obj, Vote) and obj.target in note_ids:
                voted = read.votes.setdefault(NoteRef(board.number, obj.target), set())
                voted.add(provenance.key(obj, board.number))
                read.contributed.append(obj.created)
            elif isinstance(obj, Comment) and _shown(obj, include_private):
                pinned = _pinned_on(obj, by_id, include_private)
                if pinned in note_ids:
                    read.comments.setdefault(NoteRef(board.number, pinned), []).append(obj)
                    read.contributed.append(obj.created)
            elif isinstance(obj, PollWord):
                read.contributed.append(obj.created)
    return read


@dataclass(frozen=True, slots=True)
class _Points:
    """Repeated points: the record's clusters, each contribution's cluster, and the groups each
    point was raised in (by a merge, by a cluster, or both)."""

    clusters: tuple[RecordCluster, ...]
    cluster_of: dict[NoteRef, str]
    raised_in: dict[NoteRef, tuple[int, ...]]


def _repeated_points(
    found: Sequence[provenance.Contribution],
    record_ids: Mapping[NoteRef, str],
    duplicate_key: TextKey,
    threshold: float,
) -> _Points:
    merged = {c.key: {g for _, note in c.shown for g in note.groups} for c in found}
    groups = provenance.group_count(found)
    clusters = find_duplicates(
        provenance.speaking(found), key=duplicate_key, threshold=threshold, groups=groups
    )
    cluster_of: dict[NoteRef, str] = {}
    raised_in = {ref: tuple(sorted(boards)) for ref, boards in merged.items() if len(boards) > 1}
    record_clusters: list[RecordCluster] = []
    for i, cluster in enumerate(clusters, start=1):
        cluster_id = cluster_label(i)
        cluster_of.update((ref, cluster_id) for ref in cluster.notes)
        raised = set(cluster.boards).union(*(merged[ref] for ref in cluster.notes))
        if len(raised) > 1:
            raised_in.update((ref, tuple(sorted(raised))) for ref in cluster.notes)
        notes = tuple(record_ids[ref] for ref in cluster.notes)
        record_clusters.append(Cluster(cluster_id, notes, cluster.boards, cluster.groups, cluster.similarity))
    return _Points(tuple(record_clusters), cluster_of, raised_in)


def _record_note(
    c: provenance.Contribution, record_id: str, assignment: Assignment, read: _Read, points: _Points
) -> RecordNote:
    """One contribution as the record holds it: the votes and comments on any of its notes
    counted once each."""
    said: dict[NoteRef, str] = {}
    for ref in c.refs:
        for comment in _threaded(read.comments.get(ref, [])):
            said.setdefault(provenance.key(comment, ref.board), comment.text)
    return RecordNote(
        id=record_id,
        board=c.board,
        text=c.note.text,
        category=assignment.category,
        source=assignment.source,
        confidence=assignment.confidence,
        votes=len(set().union(*(read.votes.get(ref, set()) for ref in c.refs))),
        comments=tuple(said.values()),
        created_at=c.note.created,
        cluster=points.cluster_of.get(c.key),
        raised_in=points.raised_in.get(c.key, ()),
        shown_on=tuple(sorted({ref.board for ref in c.refs})),
        copies=len(c.refs) - 1,
    )


def _known_definitions(
    definitions: Iterable[CategoryDefinition], taxonomy: Taxonomy
) -> tuple[tuple[CategoryDefinition, ...], int]:
    """Definition cards of the taxonomy's categories, in its order (the main board's first),
    and how many named a category it does not have."""
    cards = tuple(definitions)
    known = [d for d in cards if taxonomy.category(d.category) is not None]
    known.sort(key=lambda d: (taxonomy.index(d.category), -1 if d.board is None else d.board))
    return tuple(known), len(cards) - len(known)


_SOURCE_RANK: Final = {Source.EXPLICIT: 0, Source.FRAME: 1, Source.SUGGESTED: 2, Source.NONE: 3}
"""Which of a contribution's notes gives it its category: a category someone set wins over the
frame a copy was sorted into on the main board, which wins over a suggestion. Among equals, the
note that speaks for it (the original) wins."""


def left_out(boards: Mapping[int, Iterable[AnyObject]], include_private: bool = False) -> tuple[int, int]:
    """How many contributions the record leaves out because each of their notes is hidden, and
    how many because each is private (never revealed), unless `include_private`: (hidden,
    private). A contribution, not a note: a hidden pulled copy of a note still shown leaves
    nothing out, and a note hidden with its copy is one contribution left out, not two. One
    hidden note makes it hidden, else it is private."""
    why: dict[NoteRef, str] = {}
    held: set[NoteRef] = set()
    for number in sorted(boards):
        for obj in boards[number]:
            if not isinstance(obj, Note):
                continue
            ref = provenance.key(obj, number)
            if obj.hidden:
                why[ref] = "hidden"
            elif obj.private and not include_private:
                why.setdefault(ref, "private")
            else:
                held.add(ref)
    hidden = sum(1 for ref, reason in why.items() if reason == "hidden" and ref not in held)
    private = sum(1 for ref, reason in why.items() if reason == "private" and ref not in held)
    return hidden, private


def strongest(assignments: Iterable[Assignment]) -> Assignment:
    """The category of a contribution from those of its notes, the note that speaks for it
    first (`_SOURCE_RANK`)."""
    return min(assignments, key=lambda a: _SOURCE_RANK[a.source])


def cluster_label(index: int) -> str:
    """A cluster's id, wherever it is shown (the record, `GET .../duplicates`): `c1`, `c2`, …
    in the order `find_duplicates` gives, so the same notes give the same ids."""
    return f"c{index}"


def _shown(comment: Comment, include_private: bool) -> bool:
    return not comment.hidden and (include_private or not comment.private)


def _pinned_on(comment: Comment, by_id: Mapping[str, AnyObject], include_private: bool) -> str | None:
    """The note a comment is about: its target, or for a reply its (shown) parent's target."""
    if comment.target is not None:
        return comment.target
    parent = by_id.get(comment.parent) if comment.parent is not None else None
    if isinstance(parent, Comment) and _shown(parent, include_private):
        return parent.target
    return None


def _threaded(comments: list[Comment]) -> list[Comment]:
    """Comments in conversation order: each comment, then its replies, by time."""
    by_time = sorted(comments, key=lambda c: (c.created, c.id))
    tops = [c for c in by_time if c.parent is None]
    top_ids = {c.id for c in tops}
    ordered: list[Comment] = []
    for top in tops:
        ordered.append(top)
        ordered += [c for c in by_time if c.parent == top.id]
    return ordered + [c for c in by_time if c.parent is not None and c.parent not in top_ids]


def poll_counts(counts: Mapping[str, int]) -> tuple[PollCount, ...]:
    """Exit-poll answers by count, most first, then alphabetically; blank words and counts
    below one are left out, and words that differ only in surrounding spaces are added up."""
    total: Counter[str] = Counter()
    for word, count in counts.items():
        if word.strip() and count > 0:
            total[word.strip()] += count
    return tuple(
        PollCount(word, count) for word, count in sorted(total.items(), key=lambda wc: (-wc[1], wc[0]))
    )


# --- time, without a clock ------------------------------------------------------------------------------


def iso_utc(ms: int) -> str:
    """Milliseconds since the epoch as ISO 8601 UTC to the second: `2026-03-19T10:00:00Z`.

    Pure arithmetic (Howard Hinnant's `civil_from_days`), because the core imports no clock
    and no `datetime`; a test checks it against `datetime` over the whole range it is used in.
    """
    seconds, _ = divmod(ms, 1000)
    days, rest = divmod(seconds, 86_400)
    hour, rest = divmod(rest, 3600)
    minute, second = divmod(rest, 60)
    year, month, day = _civil_from_days(days)
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z"


def iso_date(ms: int) -> str:
    """The UTC date part only: `2026-03-19`."""
    return iso_utc(ms)[:10]


def _civil_from_days(days: int) -> tuple[int, int, int]:
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (1 if month <= 2 else 0), month, day
