"""How often a board's op frames go out: at once while the loop has slack, held for others to
join them as it gets busy, at most `OPS_TICK` apart (DESIGN.md §7, BENCHMARKS.md issue 19).

Two things slow them down, each read off the process rather than guessed from the op rate:
how late the sender wakes after being woken (other work ready before it), and how much of the
loop sending this board's frames has lately taken (`FanOutCost`). Frames, not ops, are what
cost, so holding ops a little to send fewer, bigger frames keeps fan-out a bounded share of
the loop as load rises.

Pure: the room measures the times and passes them in.
"""

from __future__ import annotations

import math

OPS_TICK = 0.025
"""Most seconds between op frames to one board when the loop is busy: bounds frames per socket
to 40/s however many ops arrive (frame count, not op count, is what costs: DESIGN.md §7)."""
SLACK = 0.0005
"""Seconds late the sender may wake with the loop counted as having slack: committed ops then
go out on the loop's next turn, unbatched."""
HOLD_PER_LAG = 4.0
"""Past `SLACK`, ops wait this many times the sender's lateness for others to join their frame
(up to `OPS_TICK`): the busier the loop, the bigger the batches, the fewer the writes."""
FAN_OUT_SHARE = 0.4
"""The share of the loop one board's op frames may take: once sending them has taken more
than this lately (`FAN_OUT_MEMORY`), the next frame waits until the last send's time divided
by this has passed since it began, up to `OPS_TICK`. A frame to 200 sockets takes about 2 ms
and 40 edits a second need 8 % of the loop: nothing waits. To 1,000 sockets it takes about
10 ms, and 200 edits a second sent as they come would need more than the whole loop, which
then falls behind and sends more, smaller frames, later. Measured at N=1000 (BENCHMARKS.md):
without this, p99 46-57 ms and 4.8 µs of CPU per delivery (95 % of a core); with a share of
0.5, 32-35 ms and 3.0-3.2 µs; 0.4, 34-37 ms and 2.6-2.8 µs."""
CURSOR_TICK = 0.050
"""Seconds between cursor frames: 20 updates a second looks live; positions in between are
dropped, only the latest per person is sent."""
FAN_OUT_MEMORY = 1.0
"""Seconds over which the share of the loop spent sending op frames is remembered (decaying)."""


class FanOutCost:
    """How much of the loop a board's op frames have lately taken (`FAN_OUT_SHARE`).

    Kept as a share decaying over `FAN_OUT_MEMORY` rather than a window of recent sends: a
    few floats per board, updated in constant time per send, and a busy spell that has passed
    weighs less with every send after it."""

    __slots__ = ("_at", "_last", "_share")

    def __init__(self) -> None:
        self._share = 0.0
        """Seconds spent sending per second, decaying over `FAN_OUT_MEMORY`."""
        self._last = 0.0
        """Seconds the last send took."""
        self._at = 0.0
        """When the last send began, in the caller's clock, to decay the share from."""

    def sent(self, began: float, ended: float) -> None:
        """A send of op frames ran from `began` to `ended` (seconds, any one clock)."""
        took = ended - began
        self._share = self._share * math.exp(-(began - self._at) / FAN_OUT_MEMORY) + took / FAN_OUT_MEMORY
        self._last, self._at = took, began

    def spacing(self) -> float:
        """Seconds the next op frame should follow the last one's start: none while sending
        takes less than `FAN_OUT_SHARE` of the loop."""
        return self._last / FAN_OUT_SHARE if self._share > FAN_OUT_SHARE else 0.0


def hold(lag: float, spacing: float) -> float:
    """Seconds committed ops may wait for more to share their frame, given how late the sender
    has lately woken (`lag`) and what `FanOutCost.spacing` asks: none while the loop has slack
    (they go on its next turn), more as it gets busy, never more than `OPS_TICK` so that a
    busy board still looks live."""
    lagging = HOLD_PER_LAG * lag if lag > SLACK else 0.0
    return min(OPS_TICK, max(lagging, spacing))


class CursorTick:
    """When a board's cursors go out: a tick after the last cursors frame, or up to half a tick
    early with an op frame, sharing its write rather than costing one of their own.

    Early ones keep the tick's rate: the next is due a tick after these were due, not a tick
    after now. Counted from now, at N=1000 with op frames every half tick, cursors rode every
    one of them and went out at 40 a second instead of 20 (39,000 cursor frames a second
    against 20,000, BENCHMARKS.md issue 19)."""

    __slots__ = ("_due",)

    def __init__(self) -> None:
        self._due = float("-inf")

    @property
    def due(self) -> float:
        """When the next cursors frame is due (in the past when none went out lately)."""
        return self._due

    def goes(self, now: float, with_ops: bool) -> bool:
        """Whether cursors waiting at `now` go out now: due, or nearly and an op frame goes."""
        return now >= self._due - (CURSOR_TICK / 2 if with_ops else 0.0)

    def went(self, now: float) -> None:
        """A cursors frame went out at `now`."""
        self._due = max(now, self._due) + CURSOR_TICK
