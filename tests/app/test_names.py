"""Names people choose for their cursor (issue 4), only where the facilitator allows it: shown
at once to everyone on the workshop's boards, on every process; back to the made-up name when
cleared or when the facilitator stops allowing names; never in the record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.conftest import RunningServer
from tests.support import BoardClient, Workshop, create_workshop, join


async def put(
    workshop: Workshop, base_url: str, path: str, token: str, body: dict[str, Any]
) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base_url) as http:
        return await http.put(
            f"/api/workshops/{workshop.id}/{path}", json=body, headers={"Authorization": f"Bearer {token}"}
        )


def shown_name(client: BoardClient, cid: str) -> str | None:
    """The name `client` was last told for the cursor `cid` (welcome, then presence frames)."""
    name = next((p["name"] for p in client.welcome.get("people", []) if p["cid"] == cid), None)
    for message in client.received:
        if message["type"] == "presence":
            for person in message["joined"]:
                if person["cid"] == cid:
                    name = person["name"]
    return name


async def test_a_chosen_name_is_shown_where_allowed_and_taken_back(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url, breakouts=1)
    sam_token, other_token = await join(workshop), await join(workshop)
    sam = await BoardClient(server.ws_url, workshop.main, sam_token).connect()
    other = await BoardClient(server.ws_url, workshop.main, other_token).connect()
    on_breakout = await BoardClient(server.ws_url, workshop.boards[1], await join(workshop)).connect()
    cid, made_up = sam.welcome["you"]["cid"], sam.welcome["you"]["name"]

    refused = await put(workshop, server.base_url, "me/name", sam_token, {"name": "Sam"})
    assert refused.status_code == 403
    assert refused.json()["error"]["field"] == "name"
    not_theirs = await put(workshop, server.base_url, "names", sam_token, {"allowed": True})
    assert not_theirs.status_code == 403, "only facilitators allow names"

    allowed = await put(workshop, server.base_url, "names", workshop.facilitator_token, {"allowed": True})
    assert allowed.json() == {"allowed": True}
    for client in (sam, other, on_breakout):
        await client.wait_for(
            lambda c=client: {"type": "notice", "kind": "names", "allowed": True} in c.received
        )

    for typed, code in (("x" * 41, "too_long"), ("   ", "too_short"), ("Sam\u202e", "bad_format")):
        bad = await put(workshop, server.base_url, "me/name", sam_token, {"name": typed})
        assert (bad.status_code, bad.json()["error"]["code"]) == (400, code), typed
    chosen = await put(workshop, server.base_url, "me/name", sam_token, {"name": "  Sam   Jones "})
    assert chosen.json() == {"name": "Sam Jones", "chosen": True}
    await other.wait_for(lambda: shown_name(other, cid) == "Sam Jones")
    again = await BoardClient(server.ws_url, workshop.main, sam_token).connect()
    assert again.welcome["you"]["name"] == "Sam Jones", "a page opened later shows it too"
    await again.close()

    cleared = await put(workshop, server.base_url, "me/name", sam_token, {"name": None})
    assert cleared.json() == {"name": made_up, "chosen": False}
    await other.wait_for(lambda: shown_name(other, cid) == made_up)

    await put(workshop, server.base_url, "me/name", sam_token, {"name": "Sam"})
    await other.wait_for(lambda: shown_name(other, cid) == "Sam")
    await put(workshop, server.base_url, "names", workshop.facilitator_token, {"allowed": False})
    await other.wait_for(lambda: shown_name(other, cid) == made_up)
    assert (await put(workshop, server.base_url, "me/name", sam_token, {"name": "Sam"})).status_code == 403

    async with httpx.AsyncClient(base_url=server.base_url) as http:
        record = await http.get(
            f"/api/workshops/{workshop.id}/export.json",
            headers={"Authorization": f"Bearer {workshop.facilitator_token}"},
        )
    assert "Sam" not in record.text
    for client in (sam, other, on_breakout):
        await client.close()


async def test_a_new_name_reaches_every_process(
    make_server: Callable[..., RunningServer], postgres_url: str, redis_url: str
) -> None:
    answering, serving = (make_server(database_url=postgres_url, broker_url=redis_url) for _ in range(2))
    workshop = await create_workshop(serving.base_url)
    token = await join(workshop)
    person = await BoardClient(serving.ws_url, workshop.main, token).connect()
    watcher = await BoardClient(serving.ws_url, workshop.main, await join(workshop)).connect()
    await put(workshop, answering.base_url, "names", workshop.facilitator_token, {"allowed": True})
    await person.wait_for(lambda: any(m.get("kind") == "names" for m in person.received))
    chosen = await put(workshop, answering.base_url, "me/name", token, {"name": "Nia"})
    assert chosen.status_code == 200, chosen.text
    await watcher.wait_for(lambda: shown_name(watcher, person.welcome["you"]["cid"]) == "Nia")
    for client in (person, watcher):
        await client.close()
