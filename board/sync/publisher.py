"""What one board tells other processes, in the order it was said, without waiting for it.

Every publication of a board goes through its one `Publisher`: the ops a group commit stored
(`board:<id>:ops`, by the sequencer) and who is here, cursors and facilitator signals
(`board:<id>:live`, by the room). None of them is waited for by whoever says it: an op is
committed before it is published, so its ack, this process's fan-out and the board's next
group commit need not wait a round trip to the broker (a wake-up of another process, which on
a busy machine takes longer than the commit: BENCHMARKS.md, issue 19). One queue and one task
per board keep them in order, so another process never sees ops 7-8 before ops 5-6 and has to
read the store for a gap that was only late, and cost one task per board rather than one per
publication.

A broker that takes publications slower than the board makes them holds them here, at most
`MAX_UNPUBLISHED_BYTES`; past it the oldest are dropped. Nothing is lost by that: other
processes read dropped ops from the store when they notice the gap (the next publication, or
their poll every `HEAD_POLL`), and rosters are published again on the same poll.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Final

from board.broker.base import Broker

log = logging.getLogger(__name__)

MAX_UNPUBLISHED_BYTES: Final = 4 * 1024 * 1024
"""Bytes of publications waiting for the broker, at most, per board: past this the oldest are
dropped (see the module's docstring). Only a broker that accepts slower than the board
commits ever holds any of it."""


class Publisher:
    """One board's publications, sent one at a time in the order `publish` was called."""

    __slots__ = ("_board_id", "_broker", "_failing", "_task", "_waiting", "_waiting_bytes")

    def __init__(self, broker: Broker, board_id: str) -> None:
        self._broker = broker
        self._board_id = board_id
        self._waiting: deque[tuple[str, bytes]] = deque()
        self._waiting_bytes = 0
        self._task: asyncio.Task[None] | None = None
        self._failing = False
        """The last publication failed: the next failures are not logged again until one
        goes through (a broker outage would otherwise log every roster and every group)."""

    def publish(self, channel: str, message: bytes) -> None:
        """Send `message` on this board's `channel` ("ops", "live") after what came before."""
        self._waiting.append((channel, message))
        self._waiting_bytes += len(message)
        while self._waiting_bytes > MAX_UNPUBLISHED_BYTES:
            self._waiting_bytes -= len(self._waiting.popleft()[1])
        if self._task is None:
            self._task = asyncio.create_task(self._send(), name=f"board-{self._board_id}-publisher")

    async def _send(self) -> None:
        try:
            while self._waiting:
                channel, message = self._waiting.popleft()
                self._waiting_bytes -= len(message)
                try:
                    await self._broker.publish(f"board:{self._board_id}:{channel}", message)
                except Exception:
                    # Committed regardless: other processes notice the gap on the next op or poll.
                    if not self._failing:
                        log.warning("board %s: publishing failed", self._board_id, exc_info=True)
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
