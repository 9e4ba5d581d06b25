"""A participant (or facilitator) of one workshop can neither read nor change another
workshop, whatever they send (issue 7): every workshop route of the app, taken from the route
table itself so a new route is covered the day it is added, answers a member of another
workshop with 401, 403 or 404 and changes nothing; a board page of another workshop is not
found. (The socket refusing their hello: `test_sync.py`.)"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from starlette.routing import Route

from board.app.routes import routes
from tests.conftest import RunningServer
from tests.support import create_workshop, join

PARAMS = {"workshop_id": None, "format": "json", "entry_id": "x"}
REFUSED = {401, 403, 404}
SIGN_IN = ("GET", "/w/{workshop_id}/facilitate")
"""The facilitator sign-in page: open to anyone with the link, it asks for the key and shows
nothing of the workshop beyond its title (the id in the link is not guessable)."""
BODIES = {"/api/workshops/{workshop_id}/facilitate": {"key": "not-the-key"}}
"""Bodies that get a request past its own validation to the check that matters."""


def refused(answer: httpx.Response, workshop_id: str) -> bool:
    """Refused outright, or (a page) sent to the facilitator sign-in."""
    if answer.status_code == 303:
        return answer.headers["location"] == f"/w/{workshop_id}/facilitate"
    return answer.status_code in REFUSED


def workshop_routes() -> list[tuple[str, str]]:
    """(method, path template) for every route that names a workshop."""
    found = []
    for route in routes:
        if isinstance(route, Route) and "{workshop_id}" in route.path:
            for method in sorted(route.methods or {"GET"}):
                if method != "HEAD" and (method, route.path) != SIGN_IN:
                    found.append((method, route.path))
    return found


def test_the_route_table_is_read() -> None:
    assert len(workshop_routes()) > 20


async def snapshot_of(server: RunningServer, workshop_id: str) -> Any:
    info = await server.call(server.services.directory.workshop(workshop_id))
    assert info is not None
    return (info.title, info.closed_at, len(info.boards), info.details)


@pytest.mark.parametrize(("method", "template"), workshop_routes())
async def test_a_member_of_another_workshop_is_refused_everything(
    server: RunningServer, method: str, template: str
) -> None:
    victim = await create_workshop(server.base_url, breakouts=1)
    elsewhere = await create_workshop(server.base_url)
    outsiders = {"participant": await join(elsewhere), "facilitator": elsewhere.facilitator_token}
    path = re.sub(r"\{(\w+)\}", lambda m: PARAMS[m.group(1)] or victim.id, template)
    before = await snapshot_of(server, victim.id)
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        for who, token in outsiders.items():
            body = BODIES.get(template, {})
            answer = await http.request(method, path, json=body, headers={"Authorization": f"Bearer {token}"})
            assert refused(answer, victim.id), (
                f"{method} {path} as another workshop's {who}: {answer.status_code}"
            )
    assert await snapshot_of(server, victim.id) == before, "nothing changed"


async def test_another_workshops_board_is_closed_to_a_member(server: RunningServer) -> None:
    victim = await create_workshop(server.base_url)
    elsewhere = await create_workshop(server.base_url)
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        await http.post("/api/join", json={"code": elsewhere.join_code})  # the cookie of a member elsewhere
        assert (await http.get(f"/b/{victim.main}")).status_code == 404
        assert refused(await http.get(f"/w/{victim.id}/dashboard"), victim.id)
