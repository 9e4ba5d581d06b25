"""The issue's scripted workshop over real websockets (issue 4), on SQLite and PostgreSQL: a
facilitator and seven participants, from creation through allocation to three boards, notes on
each board, the gallery pull, voting, private mode and its reveal, the timer, the lock and
closing, with assertions at each step about who sees what."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from tests.conftest import RunningServer
from tests.support import BoardClient, Workshop, join

PARTICIPANTS = 7


def notices(client: BoardClient) -> list[dict[str, Any]]:
    return [message for message in client.received if message["type"] == "notice"]


def notes(client: BoardClient) -> dict[str, dict[str, Any]]:
    return client.notes()


def votes(client: BoardClient) -> list[dict[str, Any]]:
    return [obj for oid, obj in client.objects.items() if oid != "__settings__" and obj.get("type") == "vote"]


def settings(client: BoardClient) -> dict[str, Any]:
    return client.objects["__settings__"]


class Room:
    """Everyone's sockets, and the facilitator's HTTP client."""

    def __init__(self, server: RunningServer, workshop: Workshop, tokens: list[str]) -> None:
        self.server = server
        self.workshop = workshop
        self.tokens = tokens
        self.sockets: list[BoardClient] = []

    async def connect(self, board: str, token: str) -> BoardClient:
        client = await BoardClient(self.server.ws_url, board, token).connect()
        self.sockets.append(client)
        return client

    async def post(self, action: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=self.server.base_url) as http:
            response = await http.post(
                f"/api/workshops/{self.workshop.id}/{action}",
                json=body or {},
                headers={"Authorization": f"Bearer {self.workshop.facilitator_token}"},
            )
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    async def settle(self, *clients: BoardClient) -> None:
        """Wait until every client has everything its board has committed."""
        for client in clients:
            room = await self.server.call(self.server.services.hub.room(client.board))
            await client.wait_seq(room.sequencer.head)

    async def close(self) -> None:
        for client in self.sockets:
            await client.close()


def op_id() -> str:
    """Op ids are UUIDs, as the protocol asks: the server deduplicates by (person, op id) across
    boards, and these people move between boards with new sockets."""
    return uuid.uuid4().hex


async def do(client: BoardClient, op: dict[str, Any]) -> int:
    return await client.wait_acked(await client.op(op, op_id()))


async def refused(client: BoardClient, op: dict[str, Any]) -> dict[str, Any]:
    """Send an op that must be refused; the error frame for it."""
    sent = await client.op(op, op_id())
    await client.wait_for(lambda: any(error.get("id") == sent for error in client.errors))
    return next(error for error in client.errors if error.get("id") == sent)


async def test_a_scripted_workshop_from_creation_to_close(
    make_server: Callable[..., RunningServer], database_url: str
) -> None:
    server = make_server(database_url=database_url)
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        created = (
            await http.post("/api/templates/engagement-network/workshops", json={"breakouts": 0})
        ).json()
    workshop = Workshop(
        created["id"],
        created["join_code"],
        created["token"],
        [b["id"] for b in created["boards"]],
        server.base_url,
    )
    tokens = [await join(workshop) for _ in range(PARTICIPANTS)]
    room = Room(server, workshop, tokens)
    try:
        # Everyone arrives on the main board.
        facilitator = await room.connect(workshop.main, workshop.facilitator_token)
        on_main = [await room.connect(workshop.main, token) for token in tokens]
        assert facilitator.welcome["role"] == "facilitator"
        assert {c.welcome["role"] for c in on_main} == {"participant"}

        # Allocation to three boards, groups of 2-3.
        allocation = await room.post("allocate", {"size": 2, "seed": 2026})
        assert [g["number"] for g in allocation["groups"]] == [1, 2, 3]
        assert sorted(len(g["people"]) for g in allocation["groups"]) == [2, 2, 3]
        boards = {b["number"]: b["id"] for b in allocation["boards"]}
        where: dict[int, list[int]] = {1: [], 2: [], 3: []}
        for index, client in enumerate(on_main):
            await client.wait_for(lambda c=client: any(n["kind"] == "goto" for n in notices(c)))
            goto = notices(client)[-1]
            assert goto["board"] == boards[goto["number"]]
            where[goto["number"]].append(index)
        assert facilitator not in [c for c in on_main if notices(c)]
        assert notices(facilitator) == [], "the facilitator is not sent anywhere"

        # Everyone follows their notice; notes on each board.
        for client in on_main:
            await client.close()
        groups = {
            number: [await room.connect(boards[number], tokens[i]) for i in members]
            for number, members in where.items()
        }
        for number, members in groups.items():
            for i, client in enumerate(members):
                await do(
                    client,
                    {
                        "kind": "create",
                        "obj": {
                            "type": "note",
                            "id": f"b{number}-p{i}",
                            "x": 50 + 220 * i,
                            "y": 100,
                            "text": f"Board {number}, note {i}",
                        },
                    },
                )
        for number, members in groups.items():
            await room.settle(*members)
            for client in members:
                assert sorted(notes(client)) == sorted(f"b{number}-p{i}" for i in range(len(members))), (
                    "each board sees its own notes and nobody else's"
                )

        # The gallery: every board's notes copied into the main board.
        pulled = await room.post("pull")
        assert pulled == {"pulled": {str(n): len(m) for n, m in groups.items()}}
        back = await room.post("back")
        assert back["moved"] == PARTICIPANTS
        for members in groups.values():
            for client in members:
                await client.wait_for(lambda c=client: notices(c)[-1]["number"] == 0)
                await client.close()
        everyone = [await room.connect(workshop.main, token) for token in tokens]
        await room.settle(facilitator, *everyone)
        pulled_notes = {n["text"] for n in notes(everyone[0]).values()}
        assert pulled_notes == {f"Board {n}, note {i}" for n, m in groups.items() for i in range(len(m))}
        gallery_frames = [
            obj["title"] for oid, obj in everyone[0].objects.items() if oid.startswith("gallery-")
        ]
        assert sorted(gallery_frames) == ["Board 1", "Board 2", "Board 3"]

        # Dot voting: votes are anonymous and hidden until the facilitator shows them.
        await do(facilitator, {"kind": "settings", "props": {"voting": True, "vote_budget": 2}})
        target = sorted(notes(facilitator))[0]
        for client in everyone[:3]:
            await do(
                client,
                {
                    "kind": "create",
                    "obj": {"type": "vote", "id": f"v-{client.welcome['you']['cid']}", "target": target},
                },
            )
        await do(everyone[0], {"kind": "create", "obj": {"type": "vote", "id": "v-second", "target": target}})
        over = await refused(
            everyone[0], {"kind": "create", "obj": {"type": "vote", "id": "v-3", "target": target}}
        )
        assert over["code"] == "vote_budget"
        await room.settle(facilitator, *everyone)
        assert len(votes(everyone[0])) == 2, "a participant sees only their own votes"
        assert len(votes(everyone[5])) == 0
        assert len(votes(facilitator)) == 4
        assert all("author" not in vote for vote in votes(facilitator)), "a vote never names its voter"
        await do(facilitator, {"kind": "settings", "props": {"votes_shown": True}})
        await room.settle(*everyone)
        assert len(votes(everyone[5])) == 4, "results shown to everyone"
        await do(facilitator, {"kind": "settings", "props": {"voting": False}})

        # Private mode: each sees only their own new notes until the reveal.
        await do(facilitator, {"kind": "settings", "props": {"private_mode": True}})
        for i, client in enumerate(everyone[:4]):
            await do(
                client,
                {
                    "kind": "create",
                    "obj": {"type": "note", "id": f"secret-{i}", "x": 0, "y": 4000, "text": f"private {i}"},
                },
            )
        await room.settle(facilitator, *everyone)
        for i, client in enumerate(everyone):
            private = sorted(oid for oid in notes(client) if oid.startswith("secret-"))
            assert private == ([f"secret-{i}"] if i < 4 else []), f"participant {i} sees only their own"
        assert sorted(oid for oid in notes(facilitator) if oid.startswith("secret-")) == [
            f"secret-{i}" for i in range(4)
        ]
        await do(facilitator, {"kind": "settings", "props": {"private_mode": False}})
        await room.settle(*everyone)
        for client in everyone:
            assert sorted(oid for oid in notes(client) if oid.startswith("secret-")) == [
                f"secret-{i}" for i in range(4)
            ]

        # Moderation: a hidden note goes from participants' views at once.
        await do(facilitator, {"kind": "update", "id": "secret-3", "props": {"hidden": True}})
        await room.settle(*everyone)
        assert all("secret-3" not in notes(client) for client in everyone)
        assert notes(facilitator)["secret-3"]["hidden"] is True

        # The timer, on the server's clock: everyone sees it run and pause.
        before = int(time.time() * 1000)
        await do(facilitator, {"kind": "timer", "action": "start", "ms": 300_000})
        await room.settle(*everyone)
        after = int(time.time() * 1000)
        (ends_at,) = {settings(c)["timer"]["ends_at"] for c in everyone}
        assert before + 300_000 <= ends_at <= after + 300_000, "ends_at is the server's time"
        assert all(c.welcome["now"] <= before for c in everyone), "welcome says the server's time"
        await do(facilitator, {"kind": "timer", "action": "pause"})
        await room.settle(*everyone)
        left = {settings(c)["timer"].get("remaining") for c in everyone}
        assert len(left) == 1
        assert 290_000 < left.pop() <= 300_000
        assert all(
            any(m["type"] == "notice" and m["kind"] == "clock" for m in c.received) for c in everyone
        ), "every timer change comes with the server's time"
        error = await refused(everyone[1], {"kind": "timer", "action": "clear"})
        assert error["code"] == "forbidden", "only facilitators run the timer"

        # The lock: participants look but cannot change; the facilitator can.
        await do(facilitator, {"kind": "settings", "props": {"locked": True}})
        await room.settle(*everyone)
        late = {
            "kind": "create",
            "obj": {"type": "note", "id": "late", "x": 0, "y": 0, "text": "after the lock"},
        }
        assert (await refused(everyone[2], late))["code"] == "read_only"
        await do(
            facilitator,
            {"kind": "create", "obj": {"type": "note", "id": "fac-note", "x": 0, "y": 0, "text": "summary"}},
        )

        # Close: every board read-only for everyone, the record still exports.
        await room.post("close")
        await room.settle(facilitator, *everyone)
        assert all(settings(c)["closed"] for c in (facilitator, *everyone))
        after = {
            "kind": "create",
            "obj": {"type": "note", "id": "after", "x": 0, "y": 0, "text": "after closing"},
        }
        assert (await refused(facilitator, after))["code"] == "read_only"
        async with httpx.AsyncClient(base_url=server.base_url) as http:
            record = await http.get(
                f"/api/workshops/{workshop.id}/export.json",
                headers={"Authorization": f"Bearer {workshop.facilitator_token}"},
            )
        assert record.status_code == 200
        texts = {note["text"] for note in record.json()["notes"]}
        assert "Board 2, note 1" in texts
        assert "private 0" in texts
        assert "private 3" not in texts, "a hidden note stays out of the record"
    finally:
        await room.close()
