"""The in-process broker: the embedded default, for one server process."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from board.broker.base import Handler


class _Subscription:
    def __init__(self, broker: MemoryBroker, channel: str, handler: Handler) -> None:
        self._broker = broker
        self._channel = channel
        self._handler = handler

    def close(self) -> None:
        handlers = self._broker.handlers.get(self._channel)
        if handlers and self._handler in handlers:
            handlers.remove(self._handler)
            if not handlers:
                del self._broker.handlers[self._channel]


class MemoryBroker:
    def __init__(self) -> None:
        self.handlers: dict[str, list[Handler]] = {}

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        self.handlers.clear()

    async def publish(self, channel: str, message: bytes) -> None:
        # Delivered on a later loop turn, as a network broker would: a publisher never runs
        # its subscribers' code inside its own call.
        loop = asyncio.get_running_loop()
        for handler in list(self.handlers.get(channel, ())):
            loop.call_soon(handler, message)

    def subscribe(self, channel: str, handler: Handler) -> _Subscription:
        self.handlers.setdefault(channel, []).append(handler)
        return _Subscription(self, channel, handler)

    def on_reconnect(self, callback: Callable[[], None]) -> None:
        """Never called: an in-process broker cannot lose its connection."""

    def on_disconnect(self, callback: Callable[[], None]) -> None:
        """Never called, likewise."""

    async def ping(self) -> None:
        pass
