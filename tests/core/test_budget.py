"""Byte budgets (`core/budget.py`), with sizes and time passed in."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from board.core.budget import MIB, Ledger, ReplayRing, WriteBudgets, board_full
from board.core.delivery import Entry
from board.core.errors import ErrorCode
from board.core.limits import LIMITS


@given(
    st.integers(1, 50),
    st.integers(1, 10_000),
    st.lists(st.integers(0, 5_000), max_size=200),
)
def test_the_replay_window_keeps_the_newest_ops_within_both_bounds(
    max_entries: int, max_bytes: int, sizes: list[int]
) -> None:
    ring = ReplayRing(max_entries, max_bytes)
    for seq, size in enumerate(sizes, 1):
        ring.append(Entry(seq, None, ()), size)
        assert len(ring) <= max_entries
        assert ring.bytes <= max_bytes
    kept = [entry.seq for entry in ring]
    assert kept == list(range(len(sizes) - len(kept) + 1, len(sizes) + 1)), "the newest, in order"
    assert ring.bytes == sum(sizes[seq - 1] for seq in kept)
    # The newest op that fits on its own is always kept: a resume from just before it replays.
    if sizes and sizes[-1] <= max_bytes:
        assert kept[-1] == len(sizes)


def test_the_ledger_refuses_what_would_pass_the_budget_naming_the_code() -> None:
    ledger = Ledger(10 * MIB)
    ledger.change(9 * MIB)
    assert ledger.refuses(MIB) is None
    refused = ledger.refuses(MIB + 1)
    assert refused is not None
    assert (refused.code, refused.field) == (ErrorCode.SERVER_FULL, "op")
    assert ledger.refuses(MIB + 1, small=True) is None, "small writes have headroom"
    assert ledger.refuses(2 * MIB + MIB // 4 + 1, small=True) is not None, "and no more"
    ledger.change(-9 * MIB)
    assert (ledger.held, ledger.peak) == (0, 9 * MIB)


def test_a_workshop_shares_one_budget_between_its_people() -> None:
    budgets = WriteBudgets(participant=4 * MIB, workshop=6 * MIB)
    assert budgets.spend("ann", "w1", 4 * MIB, now=0.0) is None
    over = budgets.spend("ann", "w1", 1, now=0.0)
    assert over is not None
    assert (over.code, over.field) == (ErrorCode.RATE_LIMITED, "op")
    assert budgets.spend("bob", "w1", 2 * MIB, now=0.0) is None
    shared = budgets.spend("cat", "w1", 1, now=0.0)
    assert shared is not None
    assert "workshop" in shared.rule
    assert budgets.spend("dan", "w2", 4 * MIB, now=0.0) is None, "another workshop has its own"
    assert budgets.spend("ann", "w1", MIB // 10, now=6.0) is None, (
        "a minute's budget comes back over the minute"
    )


@given(st.integers(0, 2 * MIB), st.integers(0, LIMITS.max_frame_bytes))
def test_a_board_past_its_bytes_refuses_what_adds_but_not_what_removes(held: int, size: int) -> None:
    """The room asks `board_full` only for ops that add (an op that only deletes is never
    refused for size); here with a 1 MiB board."""
    refused = board_full(held, size, limit=MIB)
    assert (refused is None) == (held + size <= MIB)
    if refused is not None:
        assert (refused.code, refused.field) == (ErrorCode.BOARD_FULL, "op")
    assert board_full(0, LIMITS.max_frame_bytes) is None, "an empty board takes any op"
