"""A participant (or facilitator) of one workshop can neither read nor change another
workshop, whatever they send (issue 7): every workshop route of the app, taken from the route
table itself so a new route is covered the day it is added, answers a member of another
workshop with 401, 403 or 404 and changes nothing; a board page of another workshop is not
found. (The socket refusing their hello: `test_sync.py`.)

CSRF, route by route: every state-changing route in the table (POST, PUT, DELETE, PATCH), asked
from another site's page with the workshop's own facilitator's cookie (what a browser would
send along), answers 403 and changes no row of the database."""

from __future__ import annotations

import hashlib
import re
import sqlite3
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


UNSAFE = {"POST", "PUT", "DELETE", "PATCH"}
CROSS_SITE = "https://evil.example"


def state_changing_routes() -> list[tuple[str, str]]:
    """(method, path template) for every route that may change something."""
    return sorted(
        (method, route.path)
        for route in routes
        if isinstance(route, Route)
        for method in route.methods or ()
        if method in UNSAFE
    )


def test_the_state_changing_routes_are_read() -> None:
    found = state_changing_routes()
    assert len(found) > 20
    assert ("DELETE", "/api/workshops/{workshop_id}") in found
    assert ("POST", "/api/workshops") in found


def database_digest(server: RunningServer) -> dict[str, str]:
    """Every table's rows, hashed: any change anywhere shows."""
    path = server.settings.database_url.split("///", 1)[1]
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            table: hashlib.sha256(
                repr(sorted(map(repr, db.execute(f'SELECT * FROM "{table}"')))).encode()
            ).hexdigest()
            for table in tables
        }


@pytest.mark.parametrize(("method", "template"), state_changing_routes())
async def test_a_cross_site_request_with_a_facilitators_cookie_is_refused_and_changes_nothing(
    server: RunningServer, method: str, template: str
) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        created = await http.post("/api/workshops", json={"title": "Victim", "breakouts": 1})
        assert created.status_code == 201
        workshop = created.json()
        assert http.cookies.get("board_session"), "the browser holds its facilitator's cookie"
        values = {
            "workshop_id": workshop["id"],
            "code": workshop["join_code"].replace("-", ""),
            "key": "engagement-network",
            "entry_id": "x",
            "format": "json",
        }
        path = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)
        before = database_digest(server)
        answer = await http.request(
            method, path, json=BODIES.get(template, {}), headers={"Origin": CROSS_SITE}
        )
    assert answer.status_code == 403, f"{method} {path}: {answer.status_code} {answer.text[:200]}"
    assert "cross-site request refused" in answer.text
    assert database_digest(server) == before, "nothing changed"


async def test_another_workshops_board_is_closed_to_a_member(server: RunningServer) -> None:
    victim = await create_workshop(server.base_url)
    elsewhere = await create_workshop(server.base_url)
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        await http.post("/api/join", json={"code": elsewhere.join_code})  # the cookie of a member elsewhere
        assert (await http.get(f"/b/{victim.main}")).status_code == 404
        for page in ("dashboard", "gallery", "present"):
            assert refused(await http.get(f"/w/{victim.id}/{page}"), victim.id)
