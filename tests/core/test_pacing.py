"""How often a board's op frames go out (`core/pacing.py`), with the send times given."""

from __future__ import annotations

import pytest

from board.core.pacing import FAN_OUT_MEMORY, FAN_OUT_SHARE, HOLD_PER_LAG, OPS_TICK, SLACK, FanOutCost, hold


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
