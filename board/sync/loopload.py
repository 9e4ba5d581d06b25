"""How busy the event loop is: the share of wall time its thread lately spent on the CPU.

A room's sender holds committed ops for others to share their frame only when the loop is
busy (`room.Room._hold`), because a frame's cost is a write per socket whatever it holds.
How late the sender wakes after being woken was the first measure of load tried, and it does
not see it: uvloop runs a ready callback between socket reads, so the wake-up stays under a
millisecond late with the loop's thread at 95 % of a core (the benchmark at N=500 sent a frame
per op, 44,000 writes a second, and saturated). The thread's own CPU time over wall time is
the load itself, for one `clock_gettime` a read.
"""

from __future__ import annotations

import time
from collections.abc import Callable

WINDOW = 0.050
"""Seconds of wall time a reading covers at least: shorter ones are all noise (one burst of
writes is a millisecond or two of a 100 % busy thread)."""


class LoopLoad:
    """The calling thread's busy share, smoothed over the last few windows.

    Read it from the thread it measures (the event loop's): `time.thread_time` is per thread."""

    __slots__ = ("_cpu", "_cpu_clock", "_wall", "_wall_clock", "busy")

    def __init__(
        self,
        wall_clock: Callable[[], float] = time.monotonic,
        cpu_clock: Callable[[], float] = time.thread_time,
    ) -> None:
        self._wall_clock, self._cpu_clock = wall_clock, cpu_clock
        self._wall = wall_clock()
        self._cpu = cpu_clock()
        self.busy = 0.0
        """0 (idle) to 1 (never off the CPU), as of the last complete window."""

    def read(self) -> float:
        """The busy share, brought up to date when a window has passed since the last reading."""
        wall = self._wall_clock()
        elapsed = wall - self._wall
        if elapsed >= WINDOW:
            cpu = self._cpu_clock()
            share = min(1.0, (cpu - self._cpu) / elapsed)
            # Half the last reading and half this one: a burst moves it, noise does not; after
            # a long quiet gap the old reading says nothing and is dropped.
            self.busy = share if elapsed > 4 * WINDOW else (self.busy + share) / 2
            self._wall, self._cpu = wall, cpu
        return self.busy
