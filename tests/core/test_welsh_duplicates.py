"""Duplicate finding across a workshop's boards is Welsh-aware (issue 10): the facilitator's
duplicates list (`duplicates.clusters`) and the record (`record.build`) both fold mutations, so
"gwell cymuned" on one board and "well gymuned" on another are one point raised by two groups,
while "well done" and "gwell" stay apart."""

from __future__ import annotations

import msgspec

from board.core.duplicates import find_duplicates, plain_key
from board.core.model import AnyObject, Note
from board.core.record import BoardInput
from board.core.state import BoardState
from board.core.taxonomies import WAKEFIELD
from board.core.welsh import duplicate_key
from board.services.duplicates import clusters
from board.services.record import Gathered, build
from board.store.directory import BoardRef, WorkshopInfo

T0 = 1_773_914_400_000


def note(oid: str, text: str) -> Note:
    return msgspec.convert({"type": "note", "id": oid, "x": 0, "y": 0, "text": text, "created": T0}, Note)


BOARDS: dict[int, list[AnyObject]] = {
    1: [note("a", "Gwell cymuned"), note("b", "well done everyone")],
    2: [note("c", "well gymuned!"), note("d", "Diogelwch yn fy nghymuned")],
    3: [note("e", "diogelwch y gymuned"), note("f", "gwell")],
}


def test_mutated_notes_on_different_boards_are_near_duplicates_with_the_welsh_key() -> None:
    texts = [obj.text for objects in BOARDS.values() for obj in objects if isinstance(obj, Note)]
    assert find_duplicates(BOARDS, key=plain_key) == (), "letter by letter, they differ"
    found = find_duplicates(BOARDS, key=duplicate_key(texts))
    assert [[str(ref) for ref in c.notes] for c in found] == [["1:a", "2:c"], ["2:d", "3:e"]]
    assert [c.raised_in_text() for c in found] == ["raised in 2 of 3 groups"] * 2


async def test_the_facilitators_duplicates_list_folds_mutations() -> None:
    boards = {number: BoardState(objects={o.id: o for o in objects}) for number, objects in BOARDS.items()}
    found = await clusters(boards)
    assert [[str(ref) for ref in c.notes] for c in found] == [["1:a", "2:c"], ["2:d", "3:e"]]


def test_the_record_folds_mutations_when_it_finds_duplicates() -> None:
    workshop = WorkshopInfo(
        "w", "Gweithdy", "CODE", T0, None, None, {}, [BoardRef(str(n), n) for n in BOARDS]
    )
    gathered = Gathered(
        workshop=workshop,
        taxonomy=WAKEFIELD,
        agenda=(),
        boards=tuple(BoardInput(number, tuple(objects)) for number, objects in BOARDS.items()),
        definitions=(),
        exit_poll={},
    )
    record = build(gathered, now=T0)
    texts = {n.id: n.text for n in record.notes}
    assert [[texts[i] for i in c.notes] for c in record.duplicates] == [
        ["Gwell cymuned", "well gymuned!"],
        ["Diogelwch yn fy nghymuned", "diogelwch y gymuned"],
    ]
    assert {texts[n.id]: n.raised_in for n in record.notes if n.raised_in} == {
        "Gwell cymuned": (1, 2),
        "well gymuned!": (1, 2),
        "Diogelwch yn fy nghymuned": (2, 3),
        "diogelwch y gymuned": (2, 3),
    }
