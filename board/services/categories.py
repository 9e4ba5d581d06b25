"""Every note's category across a workshop, and accepting suggestions (DESIGN.md §5).

`overview` is what the facilitator's dashboard shows: each note the record will hold, its
category, where that came from (explicit, the frame it sits in, or a suggestion with how sure
it is and the example that matched) and counts per category, the same counts the export has.

`accept` turns suggestions into explicit categories: the only way a suggestion is ever
promoted. It is an ordinary `update` of each note's `category`, made as the facilitator and
checked exactly as if it came from their socket (a closed board refuses it), one op per board,
computed in the board's turn (`boards.in_turn`): a note whose category someone set, or which
was moved into a category frame, after the facilitator looked is left as it now is.

`place_columns` puts the taxonomy's category frames on boards after the fact, for a workshop
whose template placed none or whose facilitator chose another category system: one column per
category, laid out by the plan's own column builder (`core/plan.py`, as a template's `columns:`
is), to the right of everything already on the board. Each board gets them as one batch op
from the facilitator, computed in the board's turn, so everyone on it sees them appear at once.
A category that already has a frame on the board gets no second one, so pressing twice places
nothing twice. Frames of another system are left alone: their category is passed over, so
they work as plain frames (`categorise.py`).
"""

from __future__ import annotations

import dataclasses
import secrets
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Final

from board.core import provenance
from board.core.categorise import Assignment, Learned, Source, categorise_board, workshop_examples
from board.core.duplicates import NoteRef
from board.core.effects import Effect
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.model import AnyObject, Frame, Note, Patch, Placed, Stroke
from board.core.ops import Applied, Batch, Create, Update, apply
from board.core.plan import Lang, category_columns, frame_object
from board.core.record import CategoryCount, left_out, strongest
from board.core.state import Actor, BoardState
from board.core.taxonomies import Bilingual, Taxonomy
from board.services.boards import Located, in_turn, recorded_notes
from board.services.facilitation import workshop_plan
from board.store.directory import WorkshopInfo
from board.sync.hub import Hub
from board.sync.sequencer import Sequencer


@dataclass(frozen=True, slots=True)
class NoteCategory:
    ref: NoteRef
    text: str
    assignment: Assignment
    contribution: NoteRef | None = None
    """The contribution it is part of (`core/provenance.py`): its own ref, or its original's
    for a copy. Counts count each contribution once, as the record does."""
    created: int = 0
    """When the note was made: which of a contribution's notes gives it its category, among
    equally strong ones (`provenance.speaking_order`)."""

    @property
    def counted_as(self) -> NoteRef:
        return self.contribution or self.ref


@dataclass(frozen=True, slots=True)
class Overview:
    taxonomy: Taxonomy
    notes: tuple[NoteCategory, ...]
    """By board, then as the record orders them (time made, then id)."""
    hidden: int
    """Contributions left out because every note of them is hidden, as the record counts them
    (`record.left_out`)."""
    private: int
    """Contributions left out because every note of them is still private."""
    boards: tuple[int, ...] = ()
    """The workshop's board numbers (0 is the main board)."""

    def counts(self) -> tuple[CategoryCount, ...]:
        """Notes per category in the taxonomy's order, confirmed and suggested apart: the
        record's `summary.categories`."""
        confirmed = Counter(a.category for a in self.contributions() if a.confirmed)
        suggested = Counter(a.category for a in self.contributions() if a.source is Source.SUGGESTED)
        return tuple(CategoryCount(key, confirmed[key], suggested[key]) for key in self.taxonomy.keys)

    def contributions(self) -> list[Assignment]:
        """Each contribution's category, as the record gives it (`record.strongest`): a note
        and its copies (pulled into the main board, pasted) are counted once."""
        by_key: dict[NoteRef, list[Assignment]] = {}
        for n in sorted(self.notes, key=lambda n: provenance.speaking_order(n.counted_as, n.ref, n.created)):
            by_key.setdefault(n.counted_as, []).append(n.assignment)
        return [strongest(found) for found in by_key.values()]


def _parts(objects: Iterable[AnyObject]) -> tuple[list[Note], list[Frame]]:
    """A board's notes that the record holds (time made, then id) and its frames."""
    board = list(objects)
    notes = sorted(recorded_notes(board), key=lambda n: (n.created, n.id))
    return notes, [obj for obj in board if isinstance(obj, Frame)]


def learned_from(boards: Mapping[int, BoardState], taxonomy: Taxonomy) -> Learned | None:
    """The workshop's confirmed notes, as examples for suggesting the others (`categorise.py`)."""
    return workshop_examples((_parts(state.objects.values()) for state in boards.values()), taxonomy)


def categorise_notes(
    objects: Iterable[AnyObject], taxonomy: Taxonomy, learned: Learned | None = None
) -> dict[str, tuple[Note, Assignment]]:
    """The assignment of each note of one board that the record holds, by note id; with the
    workshop's confirmed notes (`learned_from`) the suggestions learn from them."""
    notes, frames = _parts(objects)
    assignments = categorise_board(notes, frames, taxonomy, learned=learned)
    return {note.id: (note, assignments[note.id]) for note in notes}


def overview(boards: Mapping[int, BoardState], taxonomy: Taxonomy) -> Overview:
    notes: list[NoteCategory] = []
    learned = learned_from(boards, taxonomy)
    for number in sorted(boards):
        objects = boards[number].objects.values()
        for note, assignment in categorise_notes(objects, taxonomy, learned).values():
            ref = NoteRef(number, note.id)
            notes.append(NoteCategory(ref, note.text, assignment, provenance.key(note, number), note.created))
    hidden, private = left_out({number: state.objects.values() for number, state in boards.items()})
    return Overview(taxonomy, tuple(notes), hidden, private, tuple(sorted(boards)))


def overview_data(view: Overview) -> dict[str, Any]:
    """The overview as the API answers it."""
    return {
        "taxonomy": taxonomy_data(view.taxonomy),
        "notes": [
            {
                "note": str(n.ref),
                "board": n.ref.board,
                "text": n.text,
                "category": n.assignment.category,
                "source": n.assignment.source.value,
                **(
                    {
                        "confidence": n.assignment.confidence,
                        "matched": n.assignment.matched,
                        "like": n.assignment.like,
                        "alternatives": list(n.assignment.alternatives),
                    }
                    if n.assignment.source is Source.SUGGESTED
                    else {}
                ),
            }
            for n in view.notes
        ],
        "counts": [
            {"category": c.key, "confirmed": c.confirmed, "suggested": c.suggested} for c in view.counts()
        ],
        "uncategorised": sum(1 for a in view.contributions() if a.category is None),
        "excluded": {"hidden_notes": view.hidden, "private_notes": view.private},
        "boards": list(view.boards),
    }


def taxonomy_data(taxonomy: Taxonomy) -> dict[str, Any]:
    """A taxonomy as the dashboard needs it: key, name, and each category's key and labels."""
    return {
        "key": taxonomy.key,
        "name": _bilingual(taxonomy.name),
        "categories": [
            {"key": c.key, "label": _bilingual(c.label), "group": c.group} for c in taxonomy.categories
        ],
    }


def _bilingual(text: Bilingual) -> dict[str, str | None]:
    return {"en": text.en, "cy": text.cy}


# --- accepting suggestions ----------------------------------------------------------------------


@dataclass(slots=True)
class Accepted:
    accepted: list[tuple[NoteRef, str]] = field(default_factory=list)
    """Each note whose suggestion became its category, with that category."""
    skipped: list[tuple[NoteRef, str]] = field(default_factory=list)
    """Each named note that had no suggestion to accept when its turn came, with why: its
    category's source now (`explicit`, `frame`, `none`) or `gone` (deleted, hidden or made
    private meanwhile)."""

    def data(self) -> dict[str, Any]:
        return {
            "accepted": [{"note": str(ref), "category": key} for ref, key in self.accepted],
            "skipped": [{"note": str(ref), "reason": why} for ref, why in self.skipped],
        }


async def accept(
    hub: Hub,
    workshop: WorkshopInfo,
    taxonomy: Taxonomy,
    actor: Actor,
    boards: Mapping[int, BoardState],
    notes: Sequence[NoteRef] | None,
) -> Accepted | ProtocolError:
    """Accept the suggested category of the named notes, or (`notes` None) of every note.

    `boards` is what the facilitator's request was checked against: a named note must be
    there (`not_found` otherwise, and nothing is changed); for "every note" only the boards
    that had suggestions are visited. Boards are changed one after the other: a refusal on one
    (a closed board) is answered, and boards before it keep what they accepted.
    """
    located = Located.of(workshop)
    learned = learned_from(boards, taxonomy)
    wanted: dict[int, list[str]] | None = None
    if notes is not None:
        problem = located.check(notes, "notes")
        if problem is not None:
            return problem
        wanted = {}
        for i, ref in enumerate(notes):
            if ref.note not in categorise_notes(boards[ref.board].objects.values(), taxonomy):
                return ProtocolError(ErrorCode.NOT_FOUND, f"notes[{i}]", f"there is no note {ref}")
            if ref.note not in wanted.setdefault(ref.board, []):
                wanted[ref.board].append(ref.note)
    else:
        wanted = {
            number: [
                oid
                for oid, (_, assignment) in categorise_notes(
                    state.objects.values(), taxonomy, learned
                ).items()
                if assignment.source is Source.SUGGESTED
            ]
            for number, state in sorted(boards.items())
        }
    result = Accepted()
    for number, note_ids in sorted(wanted.items()):
        if not note_ids:
            continue
        room = await hub.room(located.boards[number].id)
        accept = partial(
            _accept_on,
            number=number,
            note_ids=note_ids,
            taxonomy=taxonomy,
            learned=learned,
            actor=actor,
            result=result,
        )
        outcome = await in_turn(room, accept)
        if isinstance(outcome, ProtocolError):
            return outcome
    return result


def _accept_on(
    state: BoardState,
    now: int,
    number: int,
    note_ids: Sequence[str],
    taxonomy: Taxonomy,
    learned: Learned | None,
    actor: Actor,
    result: Accepted,
) -> Applied | ProtocolError:
    """One board's updates, computed from the board as it is in its turn (with the examples
    the facilitator's view was suggested from)."""
    current = categorise_notes(state.objects.values(), taxonomy, learned)
    updates: list[Update] = []
    accepted: list[tuple[NoteRef, str]] = []
    skipped: list[tuple[NoteRef, str]] = []
    for oid in note_ids:
        ref = NoteRef(number, oid)
        found = current.get(oid)
        if found is None:
            skipped.append((ref, "gone"))
            continue
        assignment = found[1]
        if assignment.source is not Source.SUGGESTED or assignment.category is None:
            skipped.append((ref, assignment.source.value))
            continue
        updates.append(Update(id=oid, props=Patch(category=assignment.category)))
        accepted.append((ref, assignment.category))
    outcome = _apply_in_batches(state, updates, actor, now)
    if not isinstance(outcome, ProtocolError):
        result.accepted += accepted
        result.skipped += skipped
    return outcome


def _apply_in_batches(
    state: BoardState, updates: Sequence[Update], actor: Actor, now: int
) -> Applied | ProtocolError:
    """Updates applied as batches of at most `max_batch_ops` (the bound of one batch op), all
    or nothing, stored together as one op."""
    effects: list[Effect] = []
    for start in range(0, len(updates), LIMITS.max_batch_ops):
        applied = apply(state, Batch(ops=tuple(updates[start : start + LIMITS.max_batch_ops])), actor, now)
        if isinstance(applied, ProtocolError):
            return applied
        state = applied.state
        effects += applied.effects
    return Applied(state, tuple(effects))


# --- category columns --------------------------------------------------------------------------

COLUMNS_GAP: Final = 200.0
"""Space left between what is already on a board and the first new column."""


@dataclass(slots=True)
class Columns:
    """What placing columns did, board by board."""

    placed: dict[int, list[str]] = field(default_factory=dict)
    """The categories that got a column, by board number, in the taxonomy's order."""
    present: dict[int, list[str]] = field(default_factory=dict)
    """The categories that already had a frame there, so got none."""

    def data(self) -> dict[str, Any]:
        return {
            "boards": [
                {"board": number, "placed": self.placed[number], "already": self.present[number]}
                for number in sorted(self.placed)
            ],
            "placed": sum(len(keys) for keys in self.placed.values()),
        }


async def place_columns(
    hub: Hub, workshop: WorkshopInfo, taxonomy: Taxonomy, actor: Actor, numbers: Sequence[int] | None
) -> Columns | ProtocolError:
    """Put a column for each category of `taxonomy` on the named boards (`numbers` None: every
    board), beside what is there. Boards are changed one after the other, each in one batch op
    checked as the facilitator's own (a closed board refuses it); a refusal is answered, and
    boards before it keep their columns."""
    located = {board.number: board for board in workshop.boards}
    wanted = sorted(located) if numbers is None else list(dict.fromkeys(numbers))
    for i, number in enumerate(wanted):
        if number not in located:
            return ProtocolError(ErrorCode.NOT_FOUND, f"boards[{i}]", f"there is no board {number}")
    _, lang = workshop_plan(workshop)
    result = Columns()
    for number in wanted:
        room = await hub.room(located[number].id)
        outcome = await room.run(_placing(number, taxonomy, lang, actor, result))
        if isinstance(outcome, ProtocolError):
            return outcome
    return result


def _placing(
    number: int, taxonomy: Taxonomy, lang: Lang, actor: Actor, result: Columns
) -> Callable[[Sequencer], Awaitable[Applied | ProtocolError]]:
    """One board's job: its columns computed in its turn and stored as the facilitator's op
    (`by`), so that they are theirs in every process and in the op log, as from their socket."""

    def job(sequencer: Sequencer) -> Awaitable[Applied | ProtocolError]:
        return sequencer.change(
            lambda state: _columns_on(state, sequencer.now(), number, taxonomy, lang, actor, result),
            by=actor.ref,
        )

    return job


def _columns_on(
    state: BoardState, now: int, number: int, taxonomy: Taxonomy, lang: Lang, actor: Actor, result: Columns
) -> Applied | ProtocolError:
    """One board's new columns, laid out from the board as it is in its turn."""
    framed = {obj.category for obj in state.objects.values() if isinstance(obj, Frame) and obj.category}
    missing = [c for c in taxonomy.categories if c.key not in framed]
    present = [c.key for c in taxonomy.categories if c.key in framed]
    placed = [obj for obj in state.objects.values() if isinstance(obj, Placed)]
    x = max((_right_edge(obj) for obj in placed), default=-COLUMNS_GAP) + COLUMNS_GAP
    y = min((obj.y for obj in placed), default=0.0)
    frames = _column_frames(dataclasses.replace(taxonomy, categories=tuple(missing)), x, y, lang)
    if frames is None or (frames and _right_edge(frames[-1]) > LIMITS.max_coordinate):
        rule = "there is no room for the columns to the right of what is on the board"
        return ProtocolError(ErrorCode.BAD_VALUE, "boards", f"board {number}: {rule}")
    applied: Applied | ProtocolError = Applied(state, ())
    if frames:
        applied = apply(state, Batch(ops=tuple(Create(obj=frame) for frame in frames)), actor, now)
    if not isinstance(applied, ProtocolError):
        result.placed[number] = [frame.category or "" for frame in frames]
        result.present[number] = present
    return applied


def _column_frames(taxonomy: Taxonomy, x: float, y: float, lang: Lang) -> list[Frame] | None:
    """The columns a template's `columns:` at (x, y) would make (with its default size and
        gap), titled as the workshop's boards are (`lang`) and in each language the taxonomy gives,
    with fresh ids; None when (x, y) is
        off the canvas."""
    if max(abs(x), abs(y)) > LIMITS.max_coordinate:
        return None
    return [
        frame_object(plan, lang, f"col-{secrets.token_hex(8)}") for plan in category_columns(taxonomy, x, y)
    ]


def _right_edge(obj: Placed) -> float:
    """Where an object ends on the right."""
    if isinstance(obj, Stroke):
        return obj.x + max(obj.points[0::2], default=0.0)
    width = getattr(obj, "w", 0.0)
    return obj.x + (width if isinstance(width, int | float) else 0.0)
