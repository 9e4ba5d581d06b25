"""A copy knows what it copies, and the record counts every contribution once (DESIGN.md §4).

The properties drive the product's own actions on a workshop of four boards (main board 0,
breakouts 1-3): people write, duplicate and paste notes (on the board they copied them from or
on another), the facilitator pulls the breakouts into
the main board (again and again), edits, hides, deletes and merges, people vote and withdraw.
Beside the boards, the test keeps its own ledger of what each object is (which contribution a
note belongs to, which cast a vote is), from the actions alone and never from `origin`, and
checks the record against it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from board.core import breakout, provenance
from board.core.duplicates import NoteRef
from board.core.errors import ErrorCode, ProtocolError
from board.core.export.json import to_data
from board.core.export.markdown import render as render_markdown
from board.core.export.report import what_we_heard
from board.core.model import Note, Origin, Patch, SettingsPatch, Text, Vote
from board.core.ops import Applied, ChangeSettings, Create, Delete, Update, adopt, apply, withdraw
from board.core.provenance import copied_from, key
from board.core.record import BoardInput, Record, Workshop, build_record
from board.core.state import Actor, BoardState
from board.core.taxonomies import WAKEFIELD

T0 = 1_773_914_400_000
BOARDS = (0, 1, 2, 3)
PEOPLE = tuple(Actor(f"participant-{i}") for i in range(4))
WRITER = PEOPLE[0]
"""The one who withdraws in `test_writing_pulling_then_withdrawing_is_never_writing`."""
FACILITATOR = Actor("facilitator", facilitator=True)
TEXTS = (
    "Drop-in at the library on Saturday mornings",
    "Youth forum at the leisure centre",
    "Citizens jury on the council budget",
    "Walkabout with ward councillors",
)
"""Far apart from one another: two notes are near-duplicates here only when their words match."""


def ok(outcome: Applied | ProtocolError) -> BoardState:
    assert not isinstance(outcome, ProtocolError), outcome
    return outcome.state


def fresh() -> BoardState:
    open_voting = ChangeSettings(props=SettingsPatch(voting=True, vote_budget=50))
    return ok(apply(BoardState(), open_voting, FACILITATOR, T0))


# --- the unit rules --------------------------------------------------------------------------------


def note(oid: str, text: str = "Drop-in sessions", **fields: Any) -> Note:
    return Note(id=oid, x=0.0, y=0.0, text=text, **fields)


def create(state: BoardState, obj: Any, actor: Actor = PEOPLE[1]) -> Applied | ProtocolError:
    return apply(state, Create(obj=obj), actor, T0)


def test_a_duplicate_names_the_original_and_a_copy_of_a_copy_names_the_first() -> None:
    state = ok(create(fresh(), note("a")))
    state = ok(create(state, note("b", origin=Origin(id="a")), PEOPLE[2]))
    state = ok(create(state, note("c", origin=Origin(id="b")), PEOPLE[3]))
    assert state.objects["b"].origin == Origin(id="a")
    assert state.objects["c"].origin == Origin(id="a")


def test_a_copy_of_a_pulled_note_names_the_note_on_its_breakout_board() -> None:
    group = ok(create(fresh(), note("a")))
    main = ok(breakout.pull(fresh(), [breakout.Source(2, "Board 2", group)], T0))
    pulled = breakout.pulled_id("g", 2, "a")
    assert main.objects[pulled].origin == Origin(id="a", board=2)
    main = ok(create(main, note("b", origin=Origin(id=pulled)), FACILITATOR))
    assert main.objects["b"].origin == Origin(id="a", board=2)


def hide(state: BoardState) -> BoardState:
    return ok(apply(state, Update(id="a", props=Patch(hidden=True)), FACILITATOR, T0))


def remove(state: BoardState) -> BoardState:
    return ok(apply(state, Delete(id="a"), FACILITATOR, T0))


@pytest.mark.parametrize(("unseen", "name"), [(hide, "a"), (remove, "a"), (lambda s: s, "never-was")])
def test_a_copy_of_what_its_maker_cannot_see_is_refused_like_a_missing_one(unseen: Any, name: str) -> None:
    state = unseen(ok(create(fresh(), note("a"))))
    refused = create(state, note("b", origin=Origin(id=name)), PEOPLE[2])
    assert refused == ProtocolError(ErrorCode.NOT_FOUND, "obj.origin.id", "no such object to copy")


def test_a_private_note_is_copied_only_by_the_one_who_sees_it() -> None:
    private = ok(apply(fresh(), ChangeSettings(props=SettingsPatch(private_mode=True)), FACILITATOR, T0))
    state = ok(create(private, note("a"), PEOPLE[1]))
    refused = create(state, note("b", origin=Origin(id="a")), PEOPLE[2])
    assert refused == ProtocolError(ErrorCode.NOT_FOUND, "obj.origin.id", "no such object to copy")
    assert not isinstance(create(state, note("b", origin=Origin(id="a")), PEOPLE[1]), ProtocolError)


def test_a_client_names_another_board_only_through_the_servers_check_and_no_other_type() -> None:
    state = ok(create(fresh(), note("a")))
    unchecked = create(state, note("b", origin=Origin(id="a", board=2)))
    assert unchecked == ProtocolError(ErrorCode.NOT_FOUND, "obj.origin.id", "no such object to copy")
    checked = create(state, note("b", origin=provenance.Checked(id="z", board=2)))
    assert ok(checked).objects["b"].origin == Origin(id="z", board=2)
    assert type(ok(checked).objects["b"].origin) is Origin, "stored as a plain origin"
    other_type = create(state, Text(id="t", x=0.0, y=0.0, origin=Origin(id="a")))
    assert other_type == ProtocolError(
        ErrorCode.BAD_VALUE, "obj.origin.id", "a copy names an object of its own type"
    )
    vote = create(state, Vote(id="v", target="a", origin=Origin(id="a")))
    assert vote == ProtocolError(
        ErrorCode.BAD_VALUE, "obj.origin", "only objects placed on the board are copied"
    )


def test_a_paste_from_another_board_names_the_root_of_what_its_maker_sees_there() -> None:
    private = ok(apply(fresh(), ChangeSettings(props=SettingsPatch(private_mode=True)), FACILITATOR, T0))
    group = ok(create(private, note("mine"), PEOPLE[1]))
    group = ok(create(group, note("a"), FACILITATOR))
    group = ok(create(group, note("b", origin=Origin(id="a")), FACILITATOR))
    group = ok(create(group, Text(id="t", x=0.0, y=0.0), FACILITATOR))
    group = ok(create(group, note("h"), FACILITATOR))
    group = ok(apply(group, Update(id="h", props=Patch(hidden=True)), FACILITATOR, T0))
    across = provenance.copied_across
    assert across(group, 2, "b", Note, PEOPLE[2].viewer) == provenance.Checked(id="a", board=2)
    assert across(group, 2, "mine", Note, PEOPLE[1].viewer) == provenance.Checked(id="mine", board=2)
    assert across(group, 2, "h", Note, FACILITATOR.viewer) == provenance.Checked(id="h", board=2)
    for oid, kind in [("mine", Note), ("h", Note), ("t", Note), ("a", Text), ("never-was", Note)]:
        assert across(group, 2, oid, kind, PEOPLE[2].viewer) is None, oid


def test_origin_cannot_be_changed_by_an_update() -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"origin": {"id": "x"}}, Patch)


def record_of(states: dict[int, BoardState]) -> Record:
    return build_record(
        workshop=Workshop(title="Drop-ins"),
        taxonomy=WAKEFIELD,
        boards=[BoardInput(n, tuple(states[n].objects.values())) for n in sorted(states)],
        exported_at=T0 + 3_600_000,
    )


def test_a_pulled_note_is_one_note_of_its_group_with_its_votes_once() -> None:
    """The issue's workshop in small: one note and one vote on a breakout, pulled."""
    group = ok(create(fresh(), note("a", TEXTS[0])))
    group = ok(create(group, Vote(id="v", target="a")))
    main = ok(breakout.pull(fresh(), [breakout.Source(1, "Board 1", group)], T0))
    record = record_of({0: main, 1: group})
    assert [(n.board, n.text, n.votes, n.raised_in, n.copies, n.shown_on) for n in record.notes] == [
        (1, TEXTS[0], 1, (), 1, (0, 1))
    ]
    assert record.duplicates == ()
    assert record.groups == 1
    assert [(b.number, b.notes) for b in record.boards] == [(0, 0), (1, 1)]


# --- the properties ---------------------------------------------------------------------------------


@dataclass
class Workshop4:
    """Four boards and the test's own ledger of what each object is."""

    states: dict[int, BoardState] = field(default_factory=lambda: {n: fresh() for n in BOARDS})
    contribution: dict[NoteRef, int] = field(default_factory=dict)
    writer: dict[int, tuple[int, str]] = field(default_factory=dict)
    """Contribution -> (board, ref of the person) that wrote it."""
    merged: dict[int, set[int]] = field(default_factory=dict)
    """Contribution -> the groups of the contributions merged into it."""
    cast: dict[NoteRef, int] = field(default_factory=dict)
    """Vote -> the vote someone cast (a pulled or moved vote is the vote it copies)."""
    step: int = 0

    @property
    def now(self) -> int:
        return T0 + self.step * 1000

    def notes(self, board: int, *, avoid: str | None = None, shown: bool = True) -> list[Note]:
        """Notes on a board, by id; not those of `avoid`'s contributions."""
        found = []
        for obj in self.states[board].objects.values():
            if not isinstance(obj, Note) or (shown and obj.hidden):
                continue
            writer = self.writer[self.contribution[NoteRef(board, obj.id)]][1]
            if avoid is None or writer != avoid:
                found.append(obj)
        return sorted(found, key=lambda n: n.id)

    def pick(self, board: int, index: int, avoid: str | None) -> Note | None:
        notes = self.notes(board, avoid=avoid)
        return notes[index % len(notes)] if notes else None

    def run(self, action: tuple[Any, ...], avoid: str | None = None) -> None:
        self.step += 1
        getattr(self, action[0])(*action[1:], avoid=avoid)

    def write(self, board: int, person: int, text: int, avoid: str | None) -> None:
        oid = f"w{self.step}"
        made = create_at(self.states[board], note(oid, TEXTS[text]), PEOPLE[person], self.now)
        if not isinstance(made, ProtocolError):
            self.states[board] = made.state
            self.contribution[NoteRef(board, oid)] = self.step
            self.writer[self.step] = (board, PEOPLE[person].ref)

    def duplicate(self, board: int, person: int, pick: int, avoid: str | None) -> None:
        source = self.pick(board, pick, avoid)
        if source is None:
            return
        oid = f"d{self.step}"
        copy = note(oid, source.text, origin=Origin(id=source.id))
        made = create_at(self.states[board], copy, PEOPLE[person], self.now)
        if not isinstance(made, ProtocolError):
            self.states[board] = made.state
            self.contribution[NoteRef(board, oid)] = self.contribution[NoteRef(board, source.id)]

    def paste_across(self, board: int, person: int, pick: int, to: int, avoid: str | None) -> None:
        """Copying a note on one board and pasting it on another: checked as the server does
        (`board/services/copies.py`), then created with the origin the check gave."""
        source = self.pick(board, pick, avoid)
        if source is None:
            return
        origin = provenance.copied_across(self.states[board], board, source.id, Note, PEOPLE[person].viewer)
        if origin is None:
            return
        oid = f"x{self.step}"
        made = create_at(self.states[to], note(oid, source.text, origin=origin), PEOPLE[person], self.now)
        if not isinstance(made, ProtocolError):
            self.states[to] = made.state
            self.contribution[NoteRef(to, oid)] = self.contribution[NoteRef(board, source.id)]

    def paste_text(self, board: int, person: int, pick: int, avoid: str | None) -> None:
        """Pasting a note's words as plain text: a new note, a contribution of its own."""
        source = self.pick(board, pick, avoid)
        if source is not None:
            self.write_text(board, person, source.text)

    def write_text(self, board: int, person: int, text: str) -> None:
        oid = f"w{self.step}"
        made = create_at(self.states[board], note(oid, text), PEOPLE[person], self.now)
        if not isinstance(made, ProtocolError):
            self.states[board] = made.state
            self.contribution[NoteRef(board, oid)] = self.step
            self.writer[self.step] = (board, PEOPLE[person].ref)

    def pull(self, avoid: str | None) -> None:
        sources = [breakout.Source(n, f"Board {n}", self.states[n]) for n in BOARDS if n]
        main = ok(breakout.pull(self.states[0], sources, self.now))
        for source in sources:
            for oid, obj in source.state.objects.items():
                if isinstance(obj, Note) and breakout.pulled_id("g", source.number, oid) in main.objects:
                    copy = NoteRef(0, breakout.pulled_id("g", source.number, oid))
                    self.contribution.setdefault(copy, self.contribution[NoteRef(source.number, oid)])
                if isinstance(obj, Vote) and breakout.pulled_id("v", source.number, oid) in main.objects:
                    copy = NoteRef(0, breakout.pulled_id("v", source.number, oid))
                    self.cast.setdefault(copy, self.cast[NoteRef(source.number, oid)])
        self.states[0] = main

    def edit(self, board: int, pick: int, text: int, avoid: str | None) -> None:
        target = self.pick(board, pick, avoid)
        if target is not None:
            change = Update(id=target.id, props=Patch(text=TEXTS[text]))
            self.states[board] = ok(apply(self.states[board], change, FACILITATOR, self.now))

    def vote(self, board: int, person: int, pick: int, avoid: str | None) -> None:
        target = self.pick(board, pick, avoid)
        if target is None:
            return
        oid = f"v{self.step}"
        made = create_at(self.states[board], Vote(id=oid, target=target.id), PEOPLE[person], self.now)
        if not isinstance(made, ProtocolError):
            self.states[board] = made.state
            self.cast[NoteRef(board, oid)] = self.step

    def hide(self, board: int, pick: int, avoid: str | None) -> None:
        target = self.pick(board, pick, avoid)
        if target is not None:
            change = Update(id=target.id, props=Patch(hidden=True))
            self.states[board] = ok(apply(self.states[board], change, FACILITATOR, self.now))

    def delete(self, board: int, pick: int, avoid: str | None) -> None:
        target = self.pick(board, pick, avoid)
        if target is not None:
            self.states[board] = ok(apply(self.states[board], Delete(id=target.id), FACILITATOR, self.now))

    def withdraw(self, person: int, avoid: str | None) -> None:
        if PEOPLE[person].ref == avoid:
            return
        # As `board/services/withdrawal.py` does: their objects go, then every copy of their originals.
        originals = provenance.originals_of(self.states, PEOPLE[person].ref, None)
        for n in BOARDS:
            left = withdraw(self.states[n], PEOPLE[person].ref).state
            self.states[n] = adopt(left, [], provenance.copies_of(left, n, originals)).state

    def merge(self, board: int, pick: int, other_board: int, other: int, avoid: str | None) -> None:
        """What `board/services/duplicates.py` does, in one go: the kept note takes the groups, every note of
        the other contribution goes, on every board, and the votes on them move to the kept one."""
        kept = self.pick(board, pick, avoid)
        gone = self.pick(other_board, other, avoid)
        if kept is None or gone is None:
            return
        keep_c = self.contribution[NoteRef(board, kept.id)]
        gone_c = self.contribution[NoteRef(other_board, gone.id)]
        if keep_c == gone_c:
            return
        going = {
            n: [o.id for o in self.notes(n, shown=False) if self.contribution[NoteRef(n, o.id)] == gone_c]
            for n in BOARDS
        }
        groups = {key(kept, board).board, key(gone, other_board).board, *kept.groups, *gone.groups}
        moved: list[tuple[Any, str | None]] = []
        for n, ids in going.items():
            for obj in self.states[n].objects.values():
                if isinstance(obj, Vote) and obj.target in ids:
                    copy_id = "m" + hashlib.sha256(f"{n}:{obj.id}".encode()).hexdigest()[:31]
                    copy = msgspec.structs.replace(
                        obj, id=copy_id, target=kept.id, origin=copied_from(obj, n)
                    )
                    moved.append((copy, self.states[n].authors.get(obj.id)))
                    self.cast[NoteRef(board, copy_id)] = self.cast[NoteRef(n, obj.id)]
        state = self.states[board]
        again = msgspec.structs.replace(kept, groups=tuple(sorted(groups)))
        stays = [
            (o, state.authors.get(o.id))
            for o in state.objects.values()
            if isinstance(o, Vote) and o.target == kept.id
        ]
        self.states[board] = adopt(
            state, [(again, state.authors.get(kept.id)), *stays, *moved], remove=[kept.id, *going[board]]
        ).state
        for n, ids in going.items():
            if n != board:
                self.states[n] = adopt(self.states[n], [], remove=ids).state
        self.merged.setdefault(keep_c, set()).update({self.writer[gone_c][0]}, self.merged.get(gone_c, set()))

    # -- what the record should say ---------------------------------------------------------------

    def shown(self) -> Iterable[tuple[int, Note]]:
        for n in BOARDS:
            for obj in self.states[n].objects.values():
                if isinstance(obj, Note) and not obj.hidden and not obj.private:
                    yield n, obj

    def contributions(self) -> set[int]:
        return {self.contribution[NoteRef(n, note.id)] for n, note in self.shown()}

    def votes_cast(self) -> set[int]:
        shown = {NoteRef(n, note.id) for n, note in self.shown()}
        return {
            self.cast[NoteRef(n, obj.id)]
            for n in BOARDS
            for obj in self.states[n].objects.values()
            if isinstance(obj, Vote) and NoteRef(n, obj.target) in shown
        }

    def groups_saying(self, text: str) -> set[int]:
        """The groups that wrote a contribution a shown note of which says `text`."""
        found: set[int] = set()
        for n, shown in self.shown():
            if shown.text == text:
                c = self.contribution[NoteRef(n, shown.id)]
                found |= {self.writer[c][0], *self.merged.get(c, set())}
        return found

    def record(self) -> Record:
        return record_of(self.states)


def create_at(state: BoardState, obj: Any, actor: Actor, now: int) -> Applied | ProtocolError:
    return apply(state, Create(obj=obj), actor, now)


board = st.sampled_from(BOARDS)
person = st.integers(0, len(PEOPLE) - 1)
text = st.integers(0, len(TEXTS) - 1)
pick = st.integers(0, 50)
ACTIONS = st.one_of(
    st.tuples(st.just("write"), board, person, text),
    st.tuples(st.just("write"), st.sampled_from((1, 2, 3)), person, text),
    st.tuples(st.just("pull")),
    st.tuples(st.just("duplicate"), board, person, pick),
    st.tuples(st.just("paste_text"), board, person, pick),
    st.tuples(st.just("paste_across"), board, person, pick, board),
    st.tuples(st.just("edit"), board, pick, text),
    st.tuples(st.just("vote"), board, person, pick),
    st.tuples(st.just("hide"), board, pick),
    st.tuples(st.just("delete"), board, pick),
    st.tuples(st.just("withdraw"), person),
    st.tuples(st.just("merge"), board, pick, board, pick),
)
SEQUENCES = st.lists(ACTIONS, max_size=40)


@settings(max_examples=150, deadline=None)
@given(SEQUENCES)
def test_the_record_counts_each_contribution_once_and_each_vote_cast_once(
    actions: list[tuple[Any, ...]],
) -> None:
    workshop = Workshop4()
    for action in actions:
        workshop.run(action)
    for n, state in workshop.states.items():  # a copy names its root original, never a copy
        for obj in state.objects.values():
            if obj.origin is not None:
                at = n if obj.origin.board is None else obj.origin.board
                named = workshop.states[at].objects.get(obj.origin.id)
                assert named is None or named.origin is None, (obj, named)
    record = workshop.record()
    assert len(record.notes) == len(workshop.contributions())
    assert sum(n.votes for n in record.notes) == len(workshop.votes_cast())
    assert sum(b.notes for b in record.boards) == len(record.notes)
    assert sum(c.total for c in record.counts()) + record.uncategorised == len(record.notes)
    for n in record.notes:
        assert set(n.raised_in) <= workshop.groups_saying(n.text), (n, workshop.groups_saying(n.text))
        assert len(n.raised_in) <= record.groups


@settings(max_examples=80, deadline=None)
@given(SEQUENCES)
def test_pulling_twice_is_pulling_once(actions: list[tuple[Any, ...]]) -> None:
    workshop = Workshop4()
    for action in actions:
        workshop.run(action)
    workshop.run(("pull",))
    once = workshop.states[0], to_data(workshop.record())
    workshop.run(("pull",))
    assert (workshop.states[0], to_data(workshop.record())) == once


@settings(max_examples=80, deadline=None)
@given(SEQUENCES)
def test_writing_pulling_then_withdrawing_is_never_writing(actions: list[tuple[Any, ...]]) -> None:
    """`WRITER` only writes; nobody else touches what they wrote. Withdrawing them afterwards
    leaves the record as if they had never written (their pulled copies go with them)."""
    wrote = Workshop4()
    never = Workshop4()
    for action in [*actions, ("pull",)]:
        by_writer = (
            action[0] in ("write", "duplicate", "paste_text", "paste_across", "vote")
            and PEOPLE[action[2]] == WRITER
        )
        if by_writer and action[0] != "write":
            continue  # the writer only writes
        writes = by_writer
        wrote.run(action, avoid=WRITER.ref)
        if writes:
            never.step += 1
        else:
            never.run(action, avoid=WRITER.ref)
    wrote.run(("withdraw", 0))
    never.step += 1
    assert to_data(wrote.record()) == to_data(never.record())


# --- the report: what it leaves out, text as written ---------------------------------------------------


def groups_writing(texts: list[str]) -> dict[int, BoardState]:
    """Each text written once on breakouts 1 and 2, and everything pulled into the main board."""
    states = {n: fresh() for n in (1, 2)}
    for i, words in enumerate(texts):
        for n in states:
            states[n] = ok(create(states[n], note(f"n{i}", words)))
    main = ok(breakout.pull(fresh(), [breakout.Source(n, f"Board {n}", states[n]) for n in states], T0))
    return {0: main, **states}


def test_what_we_heard_says_how_many_repeated_points_it_left_out() -> None:
    record = record_of(groups_writing(list(TEXTS)))
    assert len(record.duplicates) == 4
    assert all(n.raised_in == (1, 2) for n in record.notes)
    [shared] = [s for s in what_we_heard(record) if s.startswith("Several groups")]
    assert shared.count("raised in 2 of 2 groups") == 3
    assert shared.endswith(" and 1 more.")


def test_markdown_keeps_a_repeated_point_as_written() -> None:
    words = "Drop-in  at the library,  Saturdays"
    markdown = render_markdown(record_of(groups_writing([words])))
    [line] = [line for line in markdown.splitlines() if line.startswith("- “")]
    assert line.startswith(f"- “{words}” / “{words}”: raised in 2 of 2 groups")
