"""What a board tells other processes on one channel, in the order it was said, without
waiting for it.

A board has two: its ops (`board:<id>:ops`, which the sequencer publishes once a group is
committed) and what is live (`board:<id>:live`: who is here, cursors, facilitator signals,
which the room publishes). Nobody waits for a publication: an op is committed before it is
published, so its ack, this process's fan-out and the board's next group commit need not wait a
round trip to the broker (a wake-up of another process, which on a busy machine takes longer
than the commit: BENCHMARKS.md, issue 19). One queue and one task per channel keep its
messages in order, so another process never sees ops 7-8 before ops 5-6 and reads the store
for a gap that was only late; the two channels apart, so an op never waits behind cursors.

A broker that takes publications slower than the board makes them holds them here, at most
`MAX_UNPUBLISHED_BYTES` per channel; past it the oldest are dropped. Nothing is lost by that:
other processes read dropped ops from the store when they notice the gap (the next
publication, or their poll every `HEAD_POLL`), and rosters are published again on that poll.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Final

from board.broker.base import Broker

log = logging.getLogger(__name__)

MAX_UNPUBLISHED_BYTES: Final = 4 * 1024 * 1024
"""Bytes of publications waiting for the broker, at most, per channel: past this the oldest are
dropped (see the module's docstring). Only a broker that accepts slower than the board
commits ever holds any of it."""


class Publisher:
    """One channel's publications, sent one at a time in the order `publish` was called."""

    __slots__ = ("_broker", "_channel", "_failing", "_task", "_waiting", "_waiting_bytes")

    def __init__(self, broker: Broker, channel: str) -> None:
        self._broker = broker
        self._channel = channel
        self._waiting: deque[bytes] = deque()
        self._waiting_bytes = 0
        self._task: asyncio.Task[None] | None = None
        self._failing = False
        """The last publication failed: the next failures are not logged again until one
        goes through (a broker outage would otherwise log every roster and every group)."""

    def publish(self, message: bytes) -> None:
        """Send `message` after what came before."""
        self._waiting.append(message)
        self._waiting_bytes += len(message)
        while self._waiting_bytes > MAX_UNPUBLISHED_BYTES:
            self._waiting_bytes -= len(self._waiting.popleft())
        if self._task is None:
            self._task = asyncio.create_task(self._send(), name=f"publisher-{self._channel}")

    async def _send(self) -> None:
        try:
            while self._waiting:
                message = self._waiting.popleft()
                self._waiting_bytes -= len(message)
                try:
                    await self._broker.publish(self._channel, message)
                except Exception:
                    # Committed regardless: other processes notice the gap on the next op or poll.
                    if not self._failing:
                        log.warning("%s: publishing failed", self._channel, exc_info=True)
                    self._failing = True
                else:
                    self._failing = False
        finally:
            self._task = None

    def tasks(self) -> list[asyncio.Task[None]]:
        """The publication in flight, if any (cancelled by `stop`)."""
        return [] if self._task is None else [self._task]

    def stop(self) -> None:
        """Drop what is not published yet: the board is closing, and a broker that hangs must
        not hold it open. Other processes read those ops from the store, as after a lost one."""
        self._waiting.clear()
        self._waiting_bytes = 0
        if self._task is not None:
            self._task.cancel()
