"""Redis pub/sub broker: for several server processes sharing boards.

One pub/sub connection per process carries every channel this process listens to; one reader
task dispatches each message to its handlers. When the connection drops, messages published
meanwhile are gone for good (Redis pub/sub keeps nothing), so the reader reconnects with
backoff, resubscribes, and then calls the `on_reconnect` callbacks: each hub room catches up
from the store. That is why the reader handles reconnection itself rather than letting
redis-py reconnect silently inside `get_message`. The moment it notices the loss it calls the
`on_disconnect` callbacks (rooms then poll the store and tell their sockets changes from
others may be delayed), and until it is back `publish` drops what it is given rather than
fail every commit: nobody could hear it, and every process catches up from the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from board.broker.base import Handler

log = logging.getLogger(__name__)

RECONNECT_DELAYS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0)
"""Seconds between reconnection attempts; the last repeats until Redis is back."""

_LOST = (RedisConnectionError, RedisTimeoutError, OSError)


class _Subscription:
    def __init__(self, broker: RedisBroker, channel: str, handler: Handler) -> None:
        self._broker = broker
        self._channel = channel
        self._handler = handler

    def close(self) -> None:
        self._broker.unsubscribe(self._channel, self._handler)


class RedisBroker:
    def __init__(self, url: str) -> None:
        self.url = url
        self._client = Redis.from_url(url)
        self._listener = Redis.from_url(url, retry=Retry(NoBackoff(), 0))
        self._pubsub: PubSub | None = None
        self._handlers: dict[str, list[Handler]] = {}
        self._reconnect_callbacks: list[Callable[[], None]] = []
        self._disconnect_callbacks: list[Callable[[], None]] = []
        self._reader: asyncio.Task[None] | None = None
        self._changes: set[asyncio.Task[None]] = set()
        self.connected = asyncio.Event()

    async def start(self) -> None:
        await self._connect()
        self._reader = asyncio.create_task(self._read(), name="redis-broker-reader")

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        for task in list(self._changes):
            task.cancel()
        if self._pubsub is not None:
            with contextlib.suppress(*_LOST):
                await self._pubsub.aclose()
        await self._listener.aclose()
        await self._client.aclose()

    async def publish(self, channel: str, message: bytes) -> None:
        if not self.connected.is_set():
            return  # lost anyway (at most once): other processes read the store meanwhile
        await self._client.publish(channel, message)

    def subscribe(self, channel: str, handler: Handler) -> _Subscription:
        handlers = self._handlers.setdefault(channel, [])
        handlers.append(handler)
        if len(handlers) == 1:
            self._change("subscribe", channel)
        return _Subscription(self, channel, handler)

    def unsubscribe(self, channel: str, handler: Handler) -> None:
        handlers = self._handlers.get(channel)
        if not handlers or handler not in handlers:
            return
        handlers.remove(handler)
        if not handlers:
            del self._handlers[channel]
            self._change("unsubscribe", channel)

    def on_reconnect(self, callback: Callable[[], None]) -> None:
        self._reconnect_callbacks.append(callback)

    def on_disconnect(self, callback: Callable[[], None]) -> None:
        self._disconnect_callbacks.append(callback)

    async def ping(self) -> None:
        await self._client.ping()

    # -- the reader -----------------------------------------------------------------------

    def _change(self, command: str, channel: str) -> None:
        pubsub = self._pubsub
        if pubsub is None or not self.connected.is_set():
            return  # resubscribed with everything else on reconnect
        method = pubsub.subscribe if command == "subscribe" else pubsub.unsubscribe

        async def run() -> None:
            try:
                await method(channel)
            except _LOST:
                log.warning("redis %s %s failed; the reader will reconnect", command, channel)

        task = asyncio.create_task(run())
        self._changes.add(task)
        task.add_done_callback(self._changes.discard)

    async def _connect(self) -> None:
        pubsub = self._listener.pubsub(ignore_subscribe_messages=True)
        # A pub/sub connection exists only once something is subscribed: this process's own
        # channel keeps it open even when no board is being watched.
        await pubsub.subscribe("board:process", *self._handlers)
        self._pubsub = pubsub
        self.connected.set()

    async def _read(self) -> None:
        while True:
            pubsub = self._pubsub
            try:
                assert pubsub is not None
                message = await pubsub.get_message(timeout=1.0)
            except _LOST:
                await self._reconnect()
                continue
            if message is None or message.get("type") != "message":
                continue
            channel = message["channel"].decode()
            for handler in list(self._handlers.get(channel, ())):
                try:
                    handler(message["data"])
                except Exception:
                    log.exception("broker handler for %s failed", channel)

    async def _reconnect(self) -> None:
        self.connected.clear()
        log.warning("lost the redis pub/sub connection; reconnecting")
        self._call(self._disconnect_callbacks)
        if self._pubsub is not None:
            with contextlib.suppress(*_LOST):
                await self._pubsub.aclose()
            self._pubsub = None
        attempt = 0
        while True:
            await asyncio.sleep(RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)])
            attempt += 1
            try:
                await self._connect()
            except _LOST:
                continue
            break
        log.warning("redis pub/sub reconnected after %d attempts", attempt)
        self._call(self._reconnect_callbacks)

    @staticmethod
    def _call(callbacks: list[Callable[[], None]]) -> None:
        for callback in list(callbacks):
            try:
                callback()
            except Exception:
                log.exception("broker callback %r failed", callback)
