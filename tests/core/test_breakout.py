"""Breakout allocation (`core/breakout.py`): the laws, as Hypothesis properties, and the seed's
own example, "a room with 1 or 2 other people"."""

from __future__ import annotations

import random

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from board.core.breakout import (
    Source,
    allocate,
    by_board,
    gallery_frame_id,
    group_count,
    pull,
    smallest_board,
)
from board.core.model import Frame, Note, Vote
from board.core.ops import Applied, Op, adopt, apply
from board.core.state import Actor, BoardState

people_lists = st.lists(st.text("abcdefghijklmnop", min_size=1, max_size=6), max_size=80, unique=True)
sizes = st.integers(min_value=2, max_value=8)
seeds = st.integers(min_value=0, max_value=2**32)
board_caps = st.none() | st.integers(min_value=1, max_value=50)


@given(people_lists, sizes, seeds, board_caps)
def test_everyone_is_placed_exactly_once(people: list[str], size: int, seed: int, boards: int | None) -> None:
    groups = allocate(people, size, random.Random(seed), boards)
    placed = [person for group in groups for person in group]
    assert sorted(placed) == sorted(people)


@given(people_lists, sizes, seeds, board_caps)
def test_group_sizes_differ_by_at_most_one(
    people: list[str], size: int, seed: int, boards: int | None
) -> None:
    groups = allocate(people, size, random.Random(seed), boards)
    if groups:
        lengths = [len(group) for group in groups]
        assert max(lengths) - min(lengths) <= 1


@given(people_lists, sizes, seeds)
def test_nobody_is_alone_unless_only_one_person_is_there(people: list[str], size: int, seed: int) -> None:
    groups = allocate(people, size, random.Random(seed))
    if len(people) >= 2:
        assert all(len(group) >= 2 for group in groups)


@given(people_lists, sizes, seeds)
def test_no_other_number_of_groups_keeps_groups_nearer_the_chosen_size(
    people: list[str], size: int, seed: int
) -> None:
    def stray(lengths: list[int]) -> int:
        return max(abs(length - size) for length in lengths)

    groups = allocate(people, size, random.Random(seed))
    if groups:
        chosen = stray([len(group) for group in groups])
        n = len(people)
        for count in range(1, n + 1):
            even = [n // count + (1 if i < n % count else 0) for i in range(count)]
            assert chosen <= stray(even)


@given(people_lists, sizes, seeds, board_caps)
def test_never_more_groups_than_boards(people: list[str], size: int, seed: int, boards: int | None) -> None:
    groups = allocate(people, size, random.Random(seed), boards)
    assert len(groups) == group_count(len(people), size, boards)
    if boards is not None:
        assert len(groups) <= boards


@given(people_lists, sizes, seeds)
def test_the_same_seed_gives_the_same_groups_whatever_the_input_order(
    people: list[str], size: int, seed: int
) -> None:
    first = allocate(people, size, random.Random(seed))
    again = allocate(list(reversed(people)), size, random.Random(seed))
    assert first == again


def test_seven_people_in_rooms_with_one_or_two_others() -> None:
    groups = allocate([f"p{i}" for i in range(7)], 2, random.Random(4))
    assert sorted(len(group) for group in groups) == [2, 2, 3]


def test_one_person_is_a_group_of_one_and_nobody_is_no_group() -> None:
    assert allocate(["only"], 3, random.Random(1)) == [["only"]]
    assert allocate([], 3, random.Random(1)) == []


def test_a_remainder_bigger_than_the_groups_makes_one_group_more() -> None:
    groups = allocate([f"p{i}" for i in range(7)], 4, random.Random(2))
    assert sorted(len(group) for group in groups) == [3, 4]


def test_two_people_with_a_size_of_three_stay_together() -> None:
    assert sorted(map(sorted, allocate(["a", "b"], 3, random.Random(9)))) == [["a", "b"]]


def test_fewer_boards_than_groups_makes_bigger_groups() -> None:
    groups = allocate([f"p{i}" for i in range(12)], 2, random.Random(0), boards=3)
    assert sorted(len(group) for group in groups) == [4, 4, 4]


def test_different_seeds_usually_give_different_groups() -> None:
    people = [f"p{i}" for i in range(12)]
    allocations = {tuple(map(tuple, allocate(people, 3, random.Random(seed)))) for seed in range(20)}
    assert len(allocations) > 1


def test_group_i_is_board_i_plus_one() -> None:
    assert by_board([["a", "b"], ["c", "d", "e"]]) == {"a": 1, "b": 1, "c": 2, "d": 2, "e": 2}


def test_a_latecomer_goes_to_the_emptiest_board() -> None:
    assert smallest_board({1: 3, 2: 2, 3: 2}, 3) == 2
    assert smallest_board({1: 3, 2: 3}, 3) == 3, "an empty board counts as emptiest"
    with pytest.raises(ValueError, match="no breakout board"):
        smallest_board({}, 0)


# --- pulling into the main board --------------------------------------------------------------


def board_with(*objects: dict[str, object], voting: bool = True) -> BoardState:
    """A board where `alice` made each object (votes by `bob`), built through `apply`."""
    state = BoardState()
    settings = apply(state, msgspec.convert({"kind": "settings", "props": {"voting": voting}}, Op), FAC, 1)
    assert isinstance(settings, Applied)
    state = settings.state
    for obj in objects:
        author = Actor("bob") if obj["type"] == "vote" else Actor("alice")
        done = apply(state, msgspec.convert({"kind": "create", "obj": obj}, Op), author, 2)
        assert isinstance(done, Applied), done
        state = done.state
    return state


FAC = Actor("fac", facilitator=True)


def test_pulled_notes_keep_text_colour_category_votes_and_authors() -> None:
    breakout = board_with(
        {"type": "frame", "id": "col", "x": 0, "y": 0, "w": 500, "h": 500, "category": "participation"},
        {"type": "note", "id": "n1", "x": 10, "y": 10, "text": "Citizens' jury", "color": "pink"},
        {"type": "note", "id": "n2", "x": 900, "y": 10, "text": "Survey", "category": "getting_information"},
        {"type": "note", "id": "n3", "x": 900, "y": 900, "text": "Untidy"},
        {"type": "vote", "id": "v1", "target": "n1"},
        {"type": "vote", "id": "v2", "target": "n1"},
    )
    main = board_with({"type": "note", "id": "old", "x": 0, "y": 0, "text": "already here"})
    pulled = pull(main, [Source(2, "Board 2", breakout)], now=9)
    assert isinstance(pulled, Applied)
    objects = pulled.state.objects
    frame = objects[gallery_frame_id(2)]
    assert isinstance(frame, Frame)
    assert frame.title == "Board 2"
    assert frame.y >= 200, "below what was on the main board"
    copies = {obj.text: obj for obj in objects.values() if isinstance(obj, Note) and obj.id != "old"}
    assert set(copies) == {"Citizens' jury", "Survey", "Untidy"}
    assert copies["Citizens' jury"].color == "pink"
    assert copies["Citizens' jury"].category == "participation", "the column it sat in"
    assert copies["Survey"].category == "getting_information"
    assert copies["Untidy"].category is None
    for copy in copies.values():
        assert containing_frame_id(frame, copy), "every copy sits inside its board's frame"
    votes = [obj for obj in objects.values() if isinstance(obj, Vote)]
    assert [vote.target for vote in votes] == [copies["Citizens' jury"].id] * 2
    assert {pulled.state.authors[vote.id] for vote in votes} == {"bob"}
    assert pulled.state.authors[copies["Survey"].id] == "alice", "withdrawing takes the copies too"


def containing_frame_id(frame: Frame, note: Note) -> bool:
    return (
        frame.x <= note.x and note.x + note.w <= frame.x + frame.w and frame.y <= note.y <= frame.y + frame.h
    )


def test_a_note_merged_before_the_pull_is_copied_raised_in_its_groups() -> None:
    breakout = board_with({"type": "note", "id": "kept", "x": 0, "y": 0, "text": "Library drop-in"})
    merged = Note(**{**msgspec.structs.asdict(breakout.objects["kept"]), "groups": (1, 2)})
    breakout = adopt(breakout, [(merged, "alice")], remove=["kept"]).state  # as a merge places it
    pulled = pull(BoardState(), [Source(1, "Board 1", breakout)], now=9)
    assert isinstance(pulled, Applied)
    [copy] = [obj for obj in pulled.state.objects.values() if isinstance(obj, Note)]
    assert copy.groups == (1, 2), "the board shows 'raised in 2 of M groups' on the copy too"


def test_hidden_and_private_notes_stay_behind() -> None:
    breakout = board_with({"type": "note", "id": "shown", "x": 0, "y": 0, "text": "shown"})
    hide = apply(
        breakout, msgspec.convert({"kind": "update", "id": "shown", "props": {"hidden": True}}, Op), FAC, 3
    )
    assert isinstance(hide, Applied)
    pulled = pull(BoardState(), [Source(1, "Board 1", hide.state)], now=9)
    assert isinstance(pulled, Applied)
    assert [type(obj) for obj in pulled.state.objects.values()] == [Frame]


def test_pulling_again_adds_only_new_notes_and_grows_the_frame() -> None:
    notes = [{"type": "note", "id": f"n{i}", "x": 0, "y": 0, "text": f"note {i}"} for i in range(4)]
    first = pull(BoardState(), [Source(1, "Board 1", board_with(*notes))], now=9)
    assert isinstance(first, Applied)
    frame = first.state.objects[gallery_frame_id(1)]
    assert isinstance(frame, Frame)
    more = [*notes, *({"type": "note", "id": f"m{i}", "x": 0, "y": 0, "text": f"more {i}"} for i in range(3))]
    again = pull(first.state, [Source(1, "Board 1", board_with(*more))], now=10)
    assert isinstance(again, Applied)
    texts = sorted(obj.text for obj in again.state.objects.values() if isinstance(obj, Note))
    assert len(texts) == 7, "nothing twice"
    grown = again.state.objects[gallery_frame_id(1)]
    assert isinstance(grown, Frame)
    assert grown.h > frame.h
    assert pull(again.state, [Source(1, "Board 1", board_with(*more))], now=11) == Applied(again.state, ())


def test_several_boards_pull_into_frames_side_by_side() -> None:
    sources = [
        Source(n, f"Board {n}", board_with({"type": "note", "id": "same-id", "x": 0, "y": 0, "text": f"{n}"}))
        for n in (1, 2, 3)
    ]
    pulled = pull(BoardState(), sources, now=9)
    assert isinstance(pulled, Applied)
    frames = [pulled.state.objects[gallery_frame_id(n)] for n in (1, 2, 3)]
    assert [frame.x for frame in frames] == sorted({frame.x for frame in frames})  # type: ignore[union-attr]
    assert sum(isinstance(obj, Note) for obj in pulled.state.objects.values()) == 3, "ids per board"
