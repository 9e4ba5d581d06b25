"""Random allocation into breakout groups (seed 000: "you will be randomly allocated to a room
with 1 or 2 other people").

The facilitator chooses a group size `size`; the people present are shuffled with a seeded
`random.Random` (passed in: the core never draws its own randomness) and dealt as evenly as
can be into the number of groups that keeps every group nearest `size`: `n // size` groups
or one more, whichever strays less from `size`, the fewer groups on a tie. So with `size` 2,
seven people make groups of 3, 2 and 2 ("1 or 2 other people"), never 2, 2, 2 and 1; with
`size` 4, seven make 4 and 3. Nobody is alone unless only one person is present.

When fewer boards are open than groups would be made, the people are spread over the boards
there are (groups grow; sizes still differ by at most one). Group `i` goes to board `i + 1`.

Laws (tests/core/test_breakout.py): everyone is placed exactly once; sizes differ by at most
one; no other number of groups keeps every group nearer `size`; nobody is alone when two or
more are present; the same seed gives the same groups.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Final

MIN_GROUP_SIZE: Final = 2
"""A group of one is not a breakout: the smallest size a facilitator may choose."""
MAX_GROUP_SIZE: Final = 20
"""Largest chosen size: a breakout bigger than this is a second plenary."""


def group_count(people: int, size: int, boards: int | None = None) -> int:
    """How many groups `people` make at `size` a group (at least one group once anyone is
    there), capped at the number of `boards` open."""
    if people <= 0:
        return 0
    fewer = max(1, people // size)
    count = min((fewer, fewer + 1), key=lambda groups: (_stray(people, groups, size), groups))
    return min(count, boards) if boards is not None and boards > 0 else count


def _stray(people: int, groups: int, size: int) -> int:
    """How far from `size` the biggest or smallest group is when `people` are dealt evenly
    into `groups` groups."""
    small, extra = divmod(people, groups)
    return max(abs(small - size), abs(small + (1 if extra else 0) - size))


def allocate(
    people: Sequence[str], size: int, rng: random.Random, boards: int | None = None
) -> list[list[str]]:
    """Deal `people` (refs, in any order; duplicates ignored) into groups of `size` or
    `size + 1`. The input order does not matter: it is sorted before shuffling, so one seed
    gives one allocation however the caller listed the people."""
    if size < 1:
        raise ValueError("a group has at least one person")
    everyone = sorted(set(people))
    rng.shuffle(everyone)
    count = group_count(len(everyone), size, boards)
    if count == 0:
        return []
    base, extra = divmod(len(everyone), count)
    groups: list[list[str]] = []
    start = 0
    for index in range(count):
        end = start + base + (1 if index < extra else 0)
        groups.append(everyone[start:end])
        start = end
    return groups


def by_board(groups: Sequence[Sequence[str]]) -> dict[str, int]:
    """Each person's board number: group `i` is board `i + 1`."""
    return {person: index + 1 for index, group in enumerate(groups) for person in group}


def smallest_board(counts: Mapping[int, int], boards: int) -> int:
    """Where a latecomer goes: the breakout board (1..boards) with fewest people, the lowest
    number on a tie."""
    if boards < 1:
        raise ValueError("no breakout board is open")
    return min(range(1, boards + 1), key=lambda number: (counts.get(number, 0), number))
