"""Workshop-wide actions (issue 17) over HTTP against a running server, with participants on
real websockets on several boards: one timer, private mode, voting with a budget and a message
for every chosen board at once, each reaching every socket on those boards and no other; a
board that refuses its part does not stop the rest; bad selections, bad messages, a closed
workshop and participants refused."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from board.core.limits import LIMITS
from tests.app.test_notify import subscribed
from tests.conftest import RunningServer
from tests.support import BoardClient, Workshop, create_workshop, join


def notices(client: BoardClient, kind: str) -> list[dict[str, Any]]:
    return [m for m in client.received if m["type"] == "notice" and m["kind"] == kind]


def settings(client: BoardClient) -> dict[str, Any]:
    found: dict[str, Any] = client.objects["__settings__"]
    return found


@pytest.fixture
async def people() -> AsyncIterator[list[BoardClient]]:
    opened: list[BoardClient] = []
    yield opened
    for client in opened:
        await client.close()


async def post(
    server: RunningServer, workshop: Workshop, action: str, body: Any, token: str | None = None
) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        return await http.post(
            f"/api/workshops/{workshop.id}/{action}",
            json=body,
            headers={"Authorization": f"Bearer {token or workshop.facilitator_token}"},
        )


async def seated(
    server: RunningServer, workshop: Workshop, people: list[BoardClient], per_board: int
) -> dict[int, list[BoardClient]]:
    """`per_board` participants on every board of the workshop, by board number."""
    found: dict[int, list[BoardClient]] = {}
    for number, board in enumerate(workshop.boards):
        for _ in range(per_board):
            client = await BoardClient(server.ws_url, board, await join(workshop)).connect()
            people.append(client)
            found.setdefault(number, []).append(client)
    return found


def applied(response: httpx.Response) -> list[tuple[int, bool]]:
    assert response.status_code == 200, response.text
    return [(board["number"], board["applied"]) for board in response.json()["boards"]]


async def test_one_request_runs_every_breakout_and_every_socket_on_them_sees_it(
    make_server: Callable[..., RunningServer], database_url: str, people: list[BoardClient]
) -> None:
    server = make_server(database_url=database_url)
    workshop = await create_workshop(server.base_url, breakouts=3)
    boards = await seated(server, workshop, people, per_board=2)
    breakouts = [client for number in (1, 2, 3) for client in boards[number]]
    main = boards[0]
    facilitator = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    people.append(facilitator)

    timer = await post(
        server, workshop, "boards/timer", {"boards": "breakouts", "timer": {"action": "start", "ms": 180_000}}
    )
    assert applied(timer) == [(1, True), (2, True), (3, True)]
    for client in breakouts:
        await client.wait_for(lambda c=client: settings(c).get("timer", {}).get("total") == 180_000)
        assert notices(client, "clock"), "a timer change comes with the server's time"

    private = await post(
        server, workshop, "boards/settings", {"boards": "all", "settings": {"private_mode": True}}
    )
    assert applied(private) == [(0, True), (1, True), (2, True), (3, True)]
    for client in [*breakouts, *main, facilitator]:
        await client.wait_for(lambda c=client: settings(c).get("private_mode") is True)
    for client in main:
        assert "timer" not in settings(client), "the main board's timer was not started"

    voting = await post(
        server,
        workshop,
        "boards/settings",
        {"boards": [1, 2, 3], "settings": {"voting": True, "vote_budget": 5}},
    )
    assert applied(voting) == [(1, True), (2, True), (3, True)]
    for client in breakouts:
        await client.wait_for(
            lambda c=client: settings(c).get("voting") is True and settings(c).get("vote_budget") == 5
        )
    shown = await post(
        server,
        workshop,
        "boards/settings",
        {"boards": "breakouts", "settings": {"votes_shown": True, "voting": True}},
    )
    assert applied(shown) == [(1, True), (2, True), (3, True)], (
        "a setting a board already has is applied again"
    )
    for client in breakouts:
        await client.wait_for(lambda c=client: settings(c).get("votes_shown") is True)

    text = "2 minutes left, start wrapping up"
    sent = await post(server, workshop, "message", {"boards": "all", "text": text})
    assert sent.status_code == 200, sent.text
    assert [board["number"] for board in sent.json()["boards"]] == [0, 1, 2, 3]
    expected = {"type": "notice", "kind": "message", "text": text, "boards": [0, 1, 2, 3]}
    for client in [*breakouts, *main, facilitator]:
        await client.wait_for(lambda c=client: notices(c, "message") == [expected])
    for client in main:
        assert "voting" not in settings(client), "voting stayed closed on the main board"


async def test_a_board_that_refuses_its_part_does_not_stop_the_others(
    server: RunningServer, people: list[BoardClient]
) -> None:
    workshop = await create_workshop(server.base_url, breakouts=2)
    boards = await seated(server, workshop, people, per_board=1)
    started = await post(
        server, workshop, "boards/timer", {"boards": [2], "timer": {"action": "start", "ms": 60_000}}
    )
    assert applied(started) == [(2, True)]
    paused = await post(server, workshop, "boards/timer", {"boards": "all", "timer": {"action": "pause"}})
    assert applied(paused) == [(0, False), (1, False), (2, True)]
    assert paused.json()["boards"][0]["error"] == {
        "code": "not_found",
        "field": "action",
        "message": "no timer is set",
    }
    await boards[2][0].wait_for(lambda: settings(boards[2][0])["timer"].get("remaining") is not None)
    sent = await post(server, workshop, "message", {"boards": [1], "text": "Board 1 only"})
    assert sent.status_code == 200
    await boards[1][0].wait_for(lambda: len(notices(boards[1][0], "message")) == 1)
    # A later message to every board arrives after the first on each socket: board 2 and the
    # main board, having seen only the later one, were never sent the first.
    await post(server, workshop, "message", {"boards": "all", "text": "everyone"})
    for number in (0, 2):
        client = boards[number][0]
        await client.wait_for(lambda c=client: len(notices(c, "message")) == 1)
        assert notices(client, "message")[0]["text"] == "everyone"


async def test_a_bad_selection_or_change_is_refused_naming_the_field(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url, breakouts=2)
    no_breakouts = await create_workshop(server.base_url)
    start = {"action": "start", "ms": 60_000}
    cases: list[tuple[Workshop, str, dict[str, Any], int, str, str]] = [
        (workshop, "boards/timer", {"boards": [1, 9], "timer": start}, 404, "not_found", "boards[1]"),
        (workshop, "boards/timer", {"boards": [], "timer": start}, 400, "too_short", "boards"),
        (workshop, "boards/timer", {"boards": "some", "timer": start}, 400, "bad_value", "boards"),
        (no_breakouts, "boards/timer", {"boards": "breakouts", "timer": start}, 404, "not_found", "boards"),
        (
            workshop,
            "boards/timer",
            {"boards": "all", "timer": {"action": "start"}},
            400,
            "missing_field",
            "timer.ms",
        ),
        (workshop, "boards/settings", {"boards": "all", "settings": {}}, 400, "missing_field", "settings"),
        (
            workshop,
            "boards/settings",
            {"boards": "all", "settings": {"closed": True}},
            400,
            "bad_value",
            "settings.closed",
        ),
        (
            workshop,
            "boards/settings",
            {"boards": "all", "settings": {"vote_budget": 999}},
            400,
            "out_of_range",
            "settings.vote_budget",
        ),
        (workshop, "message", {"boards": [51], "text": "hi"}, 400, "out_of_range", "boards[0]"),
        (workshop, "message", {"boards": "all", "text": "nul\u0000here"}, 400, "bad_character", "text"),
        (
            workshop,
            "message",
            {"boards": "all", "text": "x" * (LIMITS.max_message_text + 1)},
            400,
            "too_long",
            "text",
        ),
        (workshop, "message", {"boards": "all", "text": "   "}, 400, "too_short", "text"),
    ]
    for target, action, body, status, code, field in cases:
        response = await post(server, target, action, body)
        assert (
            response.status_code,
            response.json()["error"]["code"],
            response.json()["error"]["field"],
        ) == (
            status,
            code,
            field,
        ), (action, body, response.text)
    assert (
        await post(server, workshop, "message", {"boards": "all", "text": "x" * LIMITS.max_message_text})
    ).status_code == 200


async def test_a_closed_workshop_refuses_them_all(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url, breakouts=1)
    assert (await post(server, workshop, "close", {})).status_code == 200
    for action, body in [
        ("boards/timer", {"boards": "all", "timer": {"action": "clear"}}),
        ("boards/settings", {"boards": "all", "settings": {"locked": True}}),
        ("message", {"boards": "all", "text": "hello"}),
    ]:
        response = await post(server, workshop, action, body)
        assert response.status_code == 409, response.text
        assert response.json()["error"]["code"] == "read_only"


async def test_a_message_for_chosen_boards_reaches_them_on_every_process_and_no_other(
    make_server: Callable[..., RunningServer], postgres_url: str, redis_url: str, people: list[BoardClient]
) -> None:
    servers = [make_server(database_url=postgres_url, broker_url=redis_url) for _ in range(2)]
    workshop = await create_workshop(servers[0].base_url, breakouts=2)
    here = await BoardClient(servers[0].ws_url, workshop.boards[1], await join(workshop)).connect()
    there = [
        await BoardClient(servers[1].ws_url, board, await join(workshop)).connect()
        for board in workshop.boards
    ]
    people.extend([here, *there])
    await subscribed(redis_url, f"workshop:{workshop.id}:notices", 2)
    sent = await post(servers[0], workshop, "message", {"boards": [1], "text": "board 1, two minutes"})
    assert sent.status_code == 200, sent.text
    for client in (here, there[1]):
        await client.wait_for(lambda c=client: len(notices(c, "message")) == 1)
    await post(servers[0], workshop, "message", {"boards": [0, 2], "text": "the rest"})
    for client in (there[0], there[2]):
        await client.wait_for(lambda c=client: len(notices(c, "message")) == 1)
        assert notices(client, "message")[0]["text"] == "the rest", "board 1's message went to board 1 only"
