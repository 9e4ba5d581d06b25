"""The broker contract: publish bytes on a channel; call a handler for each message on it.

Delivery is at most once and carries no order guarantee across publishers, and that is
enough: committed ops carry their `seq`, and a hub that sees a gap fills it from the store.
Handlers are plain callables run on the event loop, so subscribing costs no task and no queue
per subscriber. When the connection is lost the broker calls its `on_disconnect` callbacks
(until it is back, this process hears nothing from the others, nor they from it: rooms poll the
store instead, and tell their sockets); once it is restored, its `on_reconnect` callbacks,
because anything published meanwhile was lost and must be caught up from the store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

Handler = Callable[[bytes], None]


class Subscription(Protocol):
    def close(self) -> None:
        """Stop calling the handler; the broker unsubscribes upstream when nobody listens."""


class Broker(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, channel: str, message: bytes) -> None:
        """Send to every subscriber of `channel` in every process (this one included)."""

    def subscribe(self, channel: str, handler: Handler) -> Subscription: ...

    def on_reconnect(self, callback: Callable[[], None]) -> None: ...

    def on_disconnect(self, callback: Callable[[], None]) -> None: ...

    async def ping(self) -> None:
        """Raise if the broker cannot be reached (for /healthz)."""
