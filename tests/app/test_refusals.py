"""Every facilitator action is refused to a participant of the same workshop (issue 4; DESIGN.md
§4: "facilitator-only actions are refused to participants with a clear error"), over HTTP and
over the websocket, and changes nothing for anyone.

Over HTTP the routes come from the route table itself, so a route added tomorrow is covered the
day it is added: every route naming a workshop is the facilitators' unless it is in
`PARTICIPANT_ROUTES`, the documented list of what participants (and, for some, anyone) may use.
Over the websocket the facilitator-only things come from the protocol's own types: every
setting a `settings` op may change, every op kind a participant may not send, `hidden` on an
object, every signal kind."""

from __future__ import annotations

import re
import typing
from datetime import date, timedelta
from typing import Any, Final

import httpx
import pytest
from sqlalchemy import func, select
from starlette.routing import Route

from board.app.routes import routes
from board.core.model import Settings, SettingsPatch
from board.core.ops import Op
from board.core.protocol import Signal
from board.store import tables
from tests.conftest import RunningServer
from tests.support import BoardClient, Workshop, create_workshop, join

PARTICIPANT_ROUTES: Final = {
    ("GET", "/w/{workshop_id}/facilitate"): "the facilitator sign-in page: it asks for the key",
    ("POST", "/api/workshops/{workshop_id}/facilitate"): "exchanging the key: whoever holds it",
    ("POST", "/api/workshops/{workshop_id}/withdraw"): "withdrawing one's own contributions",
    ("GET", "/api/workshops/{workshop_id}/groups"): 'the M of "raised in N of M groups"',
    ("GET", "/api/workshops/{workshop_id}/where"): "the board one was sent to",
    ("GET", "/w/{workshop_id}/poll"): "the exit poll page",
    ("GET", "/api/workshops/{workshop_id}/poll"): "the exit poll as everyone sees it",
    ("POST", "/api/workshops/{workshop_id}/poll/entries"): "answering the exit poll",
    ("DELETE", "/api/workshops/{workshop_id}/poll/entries/{entry_id}"): "withdrawing one's answer",
    ("GET", "/api/workshops/{workshop_id}/poll/cloud.svg"): "the word cloud everyone sees",
    ("PUT", "/api/workshops/{workshop_id}/me/name"): "one's own name, where names are allowed",
    ("GET", "/heard/{workshop_id}"): "'what we heard', public once published",
    ("GET", "/heard/{workshop_id}/qr.svg"): "its QR code, public once published",
}
"""(method, path) a participant may use, and why. Everything else naming a workshop is for its
facilitators. A path with a `{format}` is listed once per format (`FORMATS`)."""

FORMATS: Final = {
    "/api/workshops/{workshop_id}/export.{format}": ("json", "csv", "md", "html"),
    "/api/workshops/{workshop_id}/poll/cloud.{format}": ("svg", "png"),
}
PAGES: Final = {
    ("GET", "/w/{workshop_id}/dashboard"),
    ("GET", "/w/{workshop_id}/gallery"),
    ("GET", "/w/{workshop_id}/present"),
}
"""Facilitators' pages: a participant is sent to their board instead (303), not shown them."""

BODIES: Final[dict[str, dict[str, Any]]] = {
    "/api/workshops/{workshop_id}/categories/accept": {"all": True},
    "/api/workshops/{workshop_id}/categories/columns": {"all": True},
    "/api/workshops/{workshop_id}/taxonomy": {"taxonomy": "arnstein"},
    "/api/workshops/{workshop_id}/duplicates/merge": {"notes": ["0:mine", "0:theirs"]},
    "/api/workshops/{workshop_id}/purpose": {"statement": {"en": "Taken over", "cy": "Wedi'i gymryd"}},
    "/api/workshops/{workshop_id}/retention": {"keep_until": (date.today() + timedelta(days=30)).isoformat()},
    "/api/workshops/{workshop_id}/heard": {"published": True, "next_steps": {"en": "Nothing"}},
    "/api/workshops/{workshop_id}/breakouts": {"boards": 4},
    "/api/workshops/{workshop_id}/allocate": {"size": 2},
    "/api/workshops/{workshop_id}/move": {"person": "anyone", "board": 1},
    "/api/workshops/{workshop_id}/poll": {"open": True, "words": 3},
    "/api/workshops/{workshop_id}/poll/hidden": {"word": "ours", "hidden": True},
    "/api/workshops/{workshop_id}/names": {"allowed": True},
    "/api/workshops/{workshop_id}/boards/settings": {"boards": "all", "settings": {"locked": True}},
    "/api/workshops/{workshop_id}/boards/timer": {
        "boards": "all",
        "timer": {"action": "start", "ms": 60_000},
    },
    "/api/workshops/{workshop_id}/message": {"boards": "all", "text": "Taken over"},
    "/api/workshops/{workshop_id}/presenter": {"show": "gallery"},
}
"""A body the facilitator's request would act on, so a refusal is about who asks, not what."""


def facilitator_routes() -> list[tuple[str, str, str]]:
    """(method, path template, path with its format) of every facilitator-only workshop route."""
    found = []
    for route in routes:
        if not isinstance(route, Route) or "{workshop_id}" not in route.path:
            continue
        for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
            for fmt in FORMATS.get(route.path, (None,)):
                path = route.path.replace("{format}", fmt) if fmt else route.path
                if (method, path) not in PARTICIPANT_ROUTES and (method, path) not in PAGES:
                    found.append((method, route.path, path))
    return found


def test_the_allow_list_names_only_routes_that_exist() -> None:
    paths = set()
    for route in routes:
        if isinstance(route, Route):
            for method in route.methods or {"GET"}:
                for fmt in FORMATS.get(route.path, (None,)):
                    paths.add((method, route.path.replace("{format}", fmt) if fmt else route.path))
    assert set(PARTICIPANT_ROUTES) | PAGES <= paths
    assert len(facilitator_routes()) >= 30, "the route table is read"


async def stored(server: RunningServer, workshop_id: str) -> dict[str, Any]:
    """Everything the database holds of a workshop: its row, its boards (settings, heads), its
    members, every object and how many ops were logged."""
    w, b, p, o, ops = tables.workshops, tables.boards, tables.participants, tables.objects, tables.ops

    async def rows(connection: Any, query: Any) -> list[dict[str, Any]]:
        found = [dict(row._mapping) for row in await connection.execute(query)]
        return sorted(found, key=repr)

    async def read() -> dict[str, Any]:
        boards = select(b.c.id).where(b.c.workshop_id == workshop_id)
        async with server.services.database.read() as connection:
            return {
                "workshop": await rows(connection, select(w).where(w.c.id == workshop_id)),
                "boards": await rows(connection, select(b).where(b.c.workshop_id == workshop_id)),
                "members": await rows(connection, select(p).where(p.c.workshop_id == workshop_id)),
                "objects": await rows(connection, select(o).where(o.c.board_id.in_(boards))),
                "ops": await connection.scalar(
                    select(func.count()).select_from(ops).where(ops.c.board_id.in_(boards))
                ),
            }

    return await server.call(read())


async def lived_in(server: RunningServer) -> tuple[Workshop, str, list[BoardClient]]:
    """A workshop with a breakout board and notes by two participants (one of them the asker),
    and the asker's token."""
    workshop = await create_workshop(server.base_url, breakouts=1)
    asker, other = await join(workshop), await join(workshop)
    sockets = []
    for token, note in ((asker, "mine"), (other, "theirs")):
        client = await BoardClient(server.ws_url, workshop.main, token).connect()
        sockets.append(client)
        await client.wait_acked(await client.create_note(note, text=f"A note of {note}"))
    return workshop, asker, sockets


def clearly_refused(answer: httpx.Response) -> str:
    """The refusal's message, once it is a 403 `forbidden` saying it is for facilitators."""
    assert answer.status_code == 403, answer.text
    error = answer.json()["error"]
    assert error["code"] == "forbidden"
    assert isinstance(error["field"], str)
    assert "facilitator" in error["message"]
    message: str = error["message"]
    return message


@pytest.mark.parametrize(("method", "template", "path"), facilitator_routes(), ids=lambda v: str(v))
async def test_every_facilitator_route_is_refused_to_a_participant_of_the_workshop(
    server: RunningServer, method: str, template: str, path: str
) -> None:
    workshop, asker, sockets = await lived_in(server)
    url = re.sub(r"\{(\w+)\}", lambda m: {"workshop_id": workshop.id, "entry_id": "mine"}[m.group(1)], path)
    body = BODIES.get(template, {})
    by_cookie = httpx.AsyncClient(base_url=server.base_url)  # a browser's way: another participant
    joined = await by_cookie.post("/api/join", json={"code": workshop.join_code})
    assert [cookie.name for cookie in joined.cookies.jar] == ["board_session"]
    before = await stored(server, workshop.id)
    try:
        async with httpx.AsyncClient(base_url=server.base_url) as by_token:
            clearly_refused(
                await by_token.request(method, url, json=body, headers={"Authorization": f"Bearer {asker}"})
            )
        clearly_refused(await by_cookie.request(method, url, json=body, headers={"Origin": server.base_url}))
        assert await stored(server, workshop.id) == before, "nothing changed"
        assert all(not client.errors for client in sockets)
        async with httpx.AsyncClient(base_url=server.base_url) as facilitator:
            answer = await facilitator.request(
                method, url, json=body, headers={"Authorization": f"Bearer {workshop.facilitator_token}"}
            )
        assert answer.status_code not in {400, 401, 403, 405}, f"the facilitator may: {answer.text}"
    finally:
        await by_cookie.aclose()
        for client in sockets:
            await client.close()


async def test_a_participant_is_sent_from_the_dashboard_to_their_board(server: RunningServer) -> None:
    workshop, asker, sockets = await lived_in(server)
    for client in sockets:
        await client.close()
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        for method, template in PAGES:
            answer = await http.request(
                method,
                template.replace("{workshop_id}", workshop.id),
                headers={"Authorization": f"Bearer {asker}"},
            )
            assert answer.status_code == 303
            assert answer.headers["location"] == f"/b/{workshop.main}"


# --- the websocket -------------------------------------------------------------------------------

PARTICIPANT_OPS: Final = {"create", "update", "delete", "batch"}
"""Op kinds a participant may send (with the rules of `core/ops.py`); every other is the
facilitators'."""


def changed_value(name: str) -> Any:
    """A value for a setting other than its default, as a facilitator would set it."""
    default = getattr(Settings(), name)
    if isinstance(default, bool):
        return not default
    if isinstance(default, int):
        return default + 1
    return "Taken over"


def facilitator_ops() -> list[tuple[str, dict[str, Any], str]]:
    """(what, op, the field its refusal names) for everything a participant may not do to a board."""
    ops: list[tuple[str, dict[str, Any], str]] = [
        (f"settings.{name}", {"kind": "settings", "props": {name: changed_value(name)}}, "op.kind")
        for name in SettingsPatch.__struct_fields__
    ]
    ops += [
        ("hidden", {"kind": "update", "id": "theirs", "props": {"hidden": True}}, "op.props.hidden"),
        ("hidden, own note", {"kind": "update", "id": "mine", "props": {"hidden": True}}, "op.props.hidden"),
        (
            "hidden, in a batch",
            {"kind": "batch", "ops": [{"kind": "update", "id": "mine", "props": {"x": 5, "hidden": True}}]},
            "op.ops[0].props.hidden",
        ),
    ]
    ops += [
        (f"timer.{action}", {"kind": "timer", "action": action, **({"ms": 60_000} if ms else {})}, "op.kind")
        for action, ms in (
            ("start", True),
            ("pause", False),
            ("resume", False),
            ("add", True),
            ("clear", False),
        )
    ]
    return ops


def test_every_facilitator_op_kind_is_tried() -> None:
    kinds = {member.__struct_config__.tag for member in typing.get_args(Op)}
    tried = {op["kind"] for _, op, _ in facilitator_ops()}
    assert kinds - PARTICIPANT_OPS == tried - PARTICIPANT_OPS == {"settings", "timer"}


def signal_kinds() -> tuple[str, ...]:
    kind_type = typing.get_type_hints(Signal)["kind"]
    return typing.get_args(kind_type)


async def test_every_facilitator_op_and_signal_is_refused_on_the_socket_and_changes_nothing(
    server: RunningServer,
) -> None:
    assert set(signal_kinds()) == {"summon", "follow", "unfollow"}
    workshop, _, sockets = await lived_in(server)
    asker, other = sockets
    facilitator = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    sockets.append(facilitator)
    try:
        # A timer to pause, resume and add to, set by the facilitator.
        await facilitator.wait_acked(
            await facilitator.op({"kind": "timer", "action": "start", "ms": 600_000})
        )
        for client in sockets:
            await client.wait_seq(facilitator.seq)
        before = await stored(server, workshop.id)
        seen = {id(client): len(client.received) for client in (other, facilitator)}
        settings_before = dict(other.objects["__settings__"])

        expected = []
        for what, op, field in facilitator_ops():
            expected.append((what, await asker.op(op), field))
        for kind in signal_kinds():
            await asker.send({"type": "signal", "kind": kind, "x": 100, "y": 100, "zoom": 2})
        await asker.wait_for(lambda: len(asker.errors) >= len(expected) + len(signal_kinds()))

        by_id = {error["id"]: error for error in asker.errors if error["id"] is not None}
        for what, op_id, field in expected:
            error = by_id[op_id]
            assert (error["code"], error["field"]) == ("forbidden", field), what
            assert "facilitator" in error["message"], what
        signals = [error for error in asker.errors if error["id"] is None]
        assert len(signals) == len(signal_kinds())
        for error in signals:
            assert (error["code"], error["field"], error["message"]) == (
                "forbidden",
                "type",
                "only facilitators send signals",
            )

        # Nothing reached anyone: after a change of the facilitator's, which everyone receives
        # after anything sent before it, the others have that change and nothing else.
        seq = await facilitator.wait_acked(
            await facilitator.op({"kind": "update", "id": "theirs", "props": {"x": 40}})
        )
        for client in (other, facilitator):
            await client.wait_seq(seq)
            since = client.received[seen[id(client)] :]
            assert [entry["seq"] for m in since if m["type"] == "ops" for entry in m["ops"]] == [seq]
            assert not [m for m in since if m["type"] in {"signal", "notice"}]
        assert other.objects["__settings__"] == settings_before
        assert not other.notes()["theirs"].get("hidden")
        assert not other.notes()["mine"].get("hidden")
        after = await stored(server, workshop.id)
        assert after["ops"] == before["ops"] + 1, "only the facilitator's change was logged"
        assert [board["settings"] for board in after["boards"]] == [
            board["settings"] for board in before["boards"]
        ]
        assert (after["workshop"], after["members"]) == (before["workshop"], before["members"])
    finally:
        for client in sockets:
            await client.close()


async def test_a_participant_removes_only_their_own_and_the_facilitator_anything(
    server: RunningServer,
) -> None:
    """Removing someone else's note is refused with `not_yours` and reaches nobody; moving and
    editing it is fine; one's own goes; a facilitator removes anyone's (moderation)."""
    workshop, _, sockets = await lived_in(server)
    asker, other = sockets
    facilitator = await BoardClient(server.ws_url, workshop.main, workshop.facilitator_token).connect()
    sockets.append(facilitator)
    try:
        await asker.wait_seq(other.seq)
        refused = await asker.op({"kind": "delete", "id": "theirs"})
        error = await asker.wait_error()
        assert (error["id"], error["code"], error["field"]) == (refused, "not_yours", "op.id")
        assert error["message"] == "only the person who added this, or a facilitator, can remove it"
        moved = await asker.wait_acked(
            await asker.op({"kind": "update", "id": "theirs", "props": {"x": 120, "text": "Ours now"}})
        )
        mine = await asker.wait_acked(await asker.op({"kind": "delete", "id": "mine"}))
        for client in (other, facilitator):
            await client.wait_seq(mine)
            assert client.notes()["theirs"]["text"] == "Ours now"
            assert "mine" not in client.notes()
        assert mine == moved + 1, "the refused removal took no seq"
        removed = await facilitator.wait_acked(await facilitator.op({"kind": "delete", "id": "theirs"}))
        for client in (asker, other):
            await client.wait_seq(removed)
            assert client.notes() == {}
        assert other.errors == []
    finally:
        for client in sockets:
            await client.close()
