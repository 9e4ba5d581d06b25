"""Breakout allocation (`core/breakout.py`): the laws, as Hypothesis properties, and the seed's
own example, "a room with 1 or 2 other people"."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from board.core.breakout import allocate, by_board, group_count, smallest_board

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
