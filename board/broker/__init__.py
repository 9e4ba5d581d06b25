"""Brokers carry committed ops and live presence between server processes."""

from __future__ import annotations

from board.broker.base import Broker


def connect(url: str) -> Broker:
    """The broker for a URL: `memory://` (one process, the embedded default) or `redis://...`."""
    if url.startswith("memory://"):
        from board.broker.memory import MemoryBroker

        return MemoryBroker()
    if url.startswith(("redis://", "rediss://", "unix://")):
        from board.broker.redis import RedisBroker

        return RedisBroker(url)
    raise ValueError(f"unknown broker URL {url!r}: use memory:// or redis://host:port/0")
