"""Workshop notices (`Hub.notify`): a frame for every socket on every board of a workshop, or
for chosen participants only, across processes; never for another workshop."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import redis.asyncio

from board.services.credentials import digest
from tests.conftest import RunningServer
from tests.support import BoardClient, create_workshop, join


async def subscribed(redis_url: str, channel: str, count: int) -> None:
    """Wait until `count` processes listen on a channel: subscribing is sent to Redis in the
    background when a board opens, and a notice published before it is lost (by design)."""
    client = redis.asyncio.Redis.from_url(redis_url)
    try:
        for _ in range(200):
            [(_, listening)] = await client.pubsub_numsub(channel)
            if listening >= count:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"{channel} has fewer than {count} listeners")
    finally:
        await client.aclose()


def notices(client: BoardClient) -> list[dict[str, object]]:
    return [m for m in client.received if m["type"] == "notice"]


async def member_ref(server: RunningServer, token: str) -> str:
    member = await server.call(server.services.directory.member(digest(token)))
    assert member is not None
    return member.id


async def test_a_notice_reaches_every_board_of_the_workshop_and_only_it(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url, breakouts=2)
    stranger_workshop = await create_workshop(server.base_url)
    on_boards = [
        await BoardClient(server.ws_url, board, await join(workshop)).connect() for board in workshop.boards
    ]
    stranger = await BoardClient(
        server.ws_url, stranger_workshop.main, await join(stranger_workshop)
    ).connect()
    frame = json.dumps({"type": "notice", "kind": "test", "n": 1})
    await server.call(server.services.hub.notify(workshop.id, frame))
    for client in on_boards:
        await client.wait_for(lambda c=client: notices(c) == [{"type": "notice", "kind": "test", "n": 1}])
    await stranger.wait_seq(0)
    assert notices(stranger) == []


async def test_a_notice_for_chosen_people_reaches_only_them(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url, breakouts=1)
    tokens = [await join(workshop) for _ in range(3)]
    clients = [
        await BoardClient(server.ws_url, workshop.boards[i % 2], token).connect()
        for i, token in enumerate(tokens)
    ]
    chosen = await member_ref(server, tokens[1])
    await server.call(server.services.hub.notify(workshop.id, '{"type":"notice","kind":"you"}', [chosen]))
    await clients[1].wait_for(lambda: len(notices(clients[1])) == 1)
    await server.call(server.services.hub.notify(workshop.id, '{"type":"notice","kind":"all"}'))
    for client in clients:
        await client.wait_for(lambda c=client: any(n["kind"] == "all" for n in notices(c)))
    assert [n["kind"] for n in notices(clients[0])] == ["all"]
    assert [n["kind"] for n in notices(clients[2])] == ["all"]


async def test_a_notice_crosses_servers_once(
    make_server: Callable[..., RunningServer], postgres_url: str, redis_url: str
) -> None:
    servers = [make_server(database_url=postgres_url, broker_url=redis_url) for _ in range(2)]
    workshop = await create_workshop(servers[0].base_url, breakouts=1)
    tokens = [await join(workshop) for _ in range(2)]
    here = await BoardClient(servers[0].ws_url, workshop.boards[0], tokens[0]).connect()
    there = await BoardClient(servers[1].ws_url, workshop.boards[1], tokens[1]).connect()
    await subscribed(redis_url, f"workshop:{workshop.id}:notices", 2)
    await servers[0].call(servers[0].services.hub.notify(workshop.id, '{"type":"notice","kind":"all"}'))
    for client in (here, there):
        await client.wait_for(lambda c=client: len(notices(c)) == 1)
    ref = await member_ref(servers[1], tokens[1])
    await servers[1].call(
        servers[1].services.hub.notify(workshop.id, '{"type":"notice","kind":"one"}', [ref])
    )
    await there.wait_for(lambda: len(notices(there)) == 2)
    await here.send({"type": "cursor", "x": 1, "y": 1})
    await here.wait_seq(0)
    assert [n["kind"] for n in notices(here)] == ["all"], "delivered once, and only where wanted"
