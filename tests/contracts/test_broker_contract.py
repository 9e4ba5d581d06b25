"""The broker contract, run against the in-process broker and a real Redis (each test once
per broker). Two broker instances stand for two server processes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from board.broker import connect
from board.broker.base import Broker
from board.broker.memory import MemoryBroker
from tests.conftest import RedisServer

WAIT = 5.0


@pytest.fixture(params=["memory", "redis"])
async def pair(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Broker, Broker]]:
    """Two brokers that share messages, as two processes would."""
    if request.param == "memory":
        shared = MemoryBroker()
        yield shared, shared
        return
    url: str = request.getfixturevalue("redis_url")
    brokers = [connect(url), connect(url)]
    for broker in brokers:
        await broker.start()
    yield brokers[0], brokers[1]
    for broker in brokers:
        await broker.stop()


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.arrived = asyncio.Event()

    def __call__(self, message: bytes) -> None:
        self.messages.append(message)
        self.arrived.set()

    async def wait(self, count: int) -> list[bytes]:
        async def until() -> None:
            while len(self.messages) < count:
                self.arrived.clear()
                await self.arrived.wait()

        await asyncio.wait_for(until(), WAIT)
        return self.messages


async def settle(broker: Broker) -> None:
    """Let a subscription reach the server before publishing (pub/sub keeps nothing)."""
    if not isinstance(broker, MemoryBroker):
        await asyncio.sleep(0.1)


async def test_b1_a_message_reaches_every_subscriber_in_every_process(pair: tuple[Broker, Broker]) -> None:
    here, there = pair
    local, remote = Inbox(), Inbox()
    here.subscribe("board:x:ops", local)
    there.subscribe("board:x:ops", remote)
    await settle(there)
    await here.publish("board:x:ops", b"one")
    assert await local.wait(1) == [b"one"]
    assert await remote.wait(1) == [b"one"]


async def test_b2_messages_from_one_publisher_arrive_in_order(pair: tuple[Broker, Broker]) -> None:
    here, there = pair
    inbox = Inbox()
    there.subscribe("board:x:ops", inbox)
    await settle(there)
    for i in range(100):
        await here.publish("board:x:ops", str(i).encode())
    assert await inbox.wait(100) == [str(i).encode() for i in range(100)]


async def test_b3_other_channels_are_not_delivered(pair: tuple[Broker, Broker]) -> None:
    here, there = pair
    inbox = Inbox()
    there.subscribe("board:x:ops", inbox)
    await settle(there)
    await here.publish("board:y:ops", b"elsewhere")
    await here.publish("board:x:ops", b"here")
    assert await inbox.wait(1) == [b"here"]


async def test_b4_a_closed_subscription_receives_nothing_more(pair: tuple[Broker, Broker]) -> None:
    here, there = pair
    kept, closed = Inbox(), Inbox()
    there.subscribe("board:x:ops", kept)
    subscription = there.subscribe("board:x:ops", closed)
    await settle(there)
    subscription.close()
    await here.publish("board:x:ops", b"after")
    await kept.wait(1)
    await asyncio.sleep(0.05)
    assert closed.messages == []


async def test_b5_the_last_listener_leaving_unsubscribes_upstream(redis_url: str) -> None:
    broker = connect(redis_url)
    await broker.start()
    client = Redis.from_url(redis_url)
    try:
        subscription = broker.subscribe("board:z:ops", Inbox())
        await settle(broker)
        assert dict(await client.pubsub_numsub("board:z:ops")) == {b"board:z:ops": 1}
        subscription.close()
        await asyncio.sleep(0.1)
        assert dict(await client.pubsub_numsub("board:z:ops")) == {b"board:z:ops": 0}
    finally:
        await client.aclose()
        await broker.stop()


async def test_b6_after_redis_restarts_the_broker_resubscribes_and_says_so(
    redis_url: str, redis_server: RedisServer
) -> None:
    broker = connect(redis_url)
    await broker.start()
    publisher = connect(redis_url)
    reconnected = asyncio.Event()
    broker.on_reconnect(reconnected.set)
    inbox = Inbox()
    broker.subscribe("board:r:ops", inbox)
    try:
        await settle(broker)
        redis_server.stop()
        await asyncio.sleep(0.3)
        redis_server.start()
        await asyncio.wait_for(reconnected.wait(), 15)
        await publisher.start()
        await publisher.publish("board:r:ops", b"back")
        assert await inbox.wait(1) == [b"back"]
    finally:
        await broker.stop()
        await publisher.stop()
