"""How often a board's op frames go out (`core/pacing.py`), with the send times given."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from board.core.pacing import (
    CURSOR_TICK,
    FAN_OUT_MEMORY,
    FAN_OUT_SHARE,
    HOLD_PER_LAG,
    OPS_TICK,
    SLACK,
    CursorTick,
    FanOutCost,
    hold,
)


def test_op_frames_wait_only_once_sending_them_takes_more_than_its_share_of_the_loop() -> None:
    """`FanOutCost`: 40 frames a second to 200 sockets (2 ms each) take 8 % of the loop, and
    none waits; 200 a second to 1,000 sockets (12 ms each) would take more than all of it, so
    each next frame waits the last send's time over the share (`OPS_TICK` caps it)."""
    few, many = FanOutCost(), FanOutCost()
    for k in range(200):
        few.sent(k / 40, k / 40 + 0.002)
        many.sent(k / 200, k / 200 + 0.012)
    assert few.spacing() == 0.0
    assert many.spacing() == pytest.approx(0.012 / FAN_OUT_SHARE)
    idle_since = 200 / 200 + 10 * FAN_OUT_MEMORY  # the load went away: the share decays
    many.sent(idle_since, idle_since + 0.012)
    assert many.spacing() == 0.0


def test_ops_go_at_once_while_the_loop_has_slack_and_wait_longer_as_it_gets_busy() -> None:
    """A sender waking within `SLACK` holds nothing; later, a few times its lateness; what the
    fan-out's cost asks wins if longer; nothing waits past `OPS_TICK`."""
    assert hold(SLACK, 0.0) == 0.0
    assert hold(0.002, 0.0) == pytest.approx(HOLD_PER_LAG * 0.002)
    assert hold(0.001, 0.02) == pytest.approx(0.02)
    assert hold(1.0, 0.0) == OPS_TICK
    assert hold(0.0, 1.0) == OPS_TICK


def _cursor_frames(wakes: list[tuple[float, bool]]) -> list[float]:
    """When cursors went out, for a sender waking at these times (with an op frame or not)
    while cursors always wait to go."""
    tick, sent = CursorTick(), []
    for now, with_ops in wakes:
        if tick.goes(now, with_ops):
            tick.went(now)
            sent.append(now)
    return sent


def test_cursors_ride_op_frames_every_half_tick_at_their_own_rate() -> None:
    """At N=1000 op frames go every 25 ms, half a cursor tick: cursors ride every other one,
    20 a second, not every one (40 a second, as when the next tick was counted from now)."""
    second = [(k * OPS_TICK, True) for k in range(int(1 / OPS_TICK))]
    sent = _cursor_frames(second)
    assert len(sent) == pytest.approx(1 / CURSOR_TICK, abs=1)
    assert all(b - a >= CURSOR_TICK / 2 - 1e-9 for a, b in pairwise(sent))


@given(
    st.lists(st.tuples(st.floats(min_value=0, max_value=10, allow_nan=False), st.booleans()), max_size=120)
)
def test_cursors_go_no_more_often_than_their_tick_and_never_wait_past_it(
    wakes: list[tuple[float, bool]],
) -> None:
    """Whenever the sender wakes (woken by ops, moves or its timer), cursors go at most once a
    tick on average over any stretch, and a wake at or past their due time always sends them."""
    wakes.sort()
    sent = _cursor_frames(wakes)
    for i, start in enumerate(sent):
        for j in range(i, len(sent)):
            assert j - i <= (sent[j] - start) / CURSOR_TICK + 1 + 1e-9
    tick = CursorTick()
    for now, with_ops in wakes:
        if now >= tick.due:
            assert tick.goes(now, with_ops)
        if tick.goes(now, with_ops):
            tick.went(now)
