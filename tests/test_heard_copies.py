"""What we heard lists a participant's own notes once, not once more for each pulled copy
(issue 14: "showed each person's notes twice")."""

from __future__ import annotations

from board.core import breakout
from board.core.model import Note
from board.core.ops import Create, apply
from board.core.state import Actor, BoardState
from board.core.taxonomies import WAKEFIELD
from board.services.heard import categorised, your_notes

ALICE = Actor("alice-ref")


def test_your_notes_lists_a_note_and_its_pulled_copy_once() -> None:
    group = BoardState()
    for oid, text in [("a", "Drop-in at the library"), ("b", "Youth forum")]:
        made = apply(group, Create(obj=Note(id=oid, x=0.0, y=0.0, text=text)), ALICE, 1000)
        assert not isinstance(made, Exception)
        group = made.state
    main = breakout.pull(BoardState(), [breakout.Source(1, "Board 1", group)], 2000)
    assert not isinstance(main, Exception)
    boards = {0: main.state, 1: group}
    assert len(boards[0].owned_by(ALICE.ref)) == 2, "the pull's copies are hers"
    mine = your_notes(boards, categorised(boards, WAKEFIELD), ALICE.ref, WAKEFIELD, "en")
    assert sorted(n.text for n in mine) == ["Drop-in at the library", "Youth forum"]
