"""The JSON API: create a workshop, join by code, become its facilitator, health.

Errors have the websocket's shape: `{"error": {"code", "field", "message"}}`.
"""

from __future__ import annotations

import time
from typing import Annotated, Final

from msgspec import Meta, Struct
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board.app import guards
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.withdrawal import format_code
from board.services.credentials import format_join_code, normalise_join_code
from board.services.retention import delete_workshop
from board.services.withdrawal import withdraw_member
from board.services.workshops import Admission, CreatedWorkshop, create_workshop, facilitate, join

MAX_BODY_BYTES: Final = 16_384
"""Largest JSON body the API reads."""
WORDING: Final = guards.Wording(MAX_BODY_BYTES, statuses={})
"""How these routes read bodies: any error in one is a bad request (400), or 413 for a body
over `MAX_BODY_BYTES`."""


class NewWorkshop(Struct, forbid_unknown_fields=True):
    title: Annotated[str, Meta(min_length=1, max_length=LIMITS.max_title_text)]
    breakouts: Annotated[int, Meta(ge=0, le=LIMITS.max_boards)] = 0


class JoinRequest(Struct, forbid_unknown_fields=True):
    code: Annotated[str, Meta(min_length=1, max_length=32)]


class KeyRequest(Struct, forbid_unknown_fields=True):
    key: Annotated[str, Meta(min_length=1, max_length=200)]


async def create(request: Request) -> Response:
    guards.may_create(request)
    guards.same_site(request)
    body = await WORDING.read(request, NewWorkshop)
    created = await create_workshop(
        guards.services(request).directory, title=body.title, breakouts=body.breakouts, now=guards.now()
    )
    return await created_response(request, created)


async def created_response(request: Request, created: CreatedWorkshop) -> Response:
    """A new workshop's answer (201): its links, the facilitator key shown this once, and the
    creator signed in as its facilitator (the cookie, and a token for API clients)."""
    services = guards.services(request)
    admission = await facilitate(services.directory, created.id, created.facilitator_key, now=guards.now())
    assert admission is not None
    base = services.settings.base_url
    response = JSONResponse(
        {
            "id": created.id,
            "title": created.title,
            "join_code": format_join_code(created.join_code),
            "join_url": f"{base}/j/{created.join_code}",
            "facilitator_key": created.facilitator_key,
            "facilitator_url": f"{base}/w/{created.id}/facilitate#key={created.facilitator_key}",
            "dashboard_url": f"{base}/w/{created.id}/dashboard",
            "token": admission.token,
            "boards": [{"id": board.id, "number": board.number} for board in created.boards],
        },
        status_code=201,
    )
    services.sessions.remember(request, response, created.id, admission.token)
    return response


async def join_by_code(request: Request) -> Response:
    guards.not_locked_out(request)
    guards.same_site(request)
    body = await WORDING.read(request, JoinRequest)
    services = guards.services(request)
    workshop = await services.directory.workshop_by_code(normalise_join_code(body.code))
    if workshop is None:
        services.join_limiter.take(guards.address(request), time.monotonic())
        raise guards.Refusal(ProtocolError(ErrorCode.NOT_FOUND, "code", "no workshop has that code"), 404)
    return _admitted(request, await join(services.directory, workshop, now=guards.now()))


async def become_facilitator(request: Request) -> Response:
    guards.not_locked_out(request)
    guards.same_site(request)
    body = await WORDING.read(request, KeyRequest)
    services = guards.services(request)
    workshop_id = request.path_params["workshop_id"]
    admission = await facilitate(services.directory, workshop_id, body.key, now=guards.now())
    if admission is None:
        services.join_limiter.take(guards.address(request), time.monotonic())
        rule = "that is not this workshop's facilitator key"
        raise guards.Refusal(ProtocolError(ErrorCode.FORBIDDEN, "key", rule), 403)
    return _admitted(request, admission)


async def withdraw_mine(request: Request) -> Response:
    """ "Withdraw my contributions": everything the asker made in this workshop is removed from
    every board and from the op log; refused (403) once the workshop is closed or the
    facilitator's cut-off has passed (`withdrawal.withdraw_member`)."""
    member, workshop = await guards.member(request, changing=True)
    services = guards.services(request)
    removed = await withdraw_member(
        services.hub, workshop, member.id, keep_days=services.settings.keep_days, now=guards.now()
    )
    if isinstance(removed, ProtocolError):
        raise guards.Refusal(removed, 403)
    return JSONResponse({"removed": removed})


async def delete(request: Request) -> Response:
    """Delete a workshop and everything in it (facilitators only)."""
    member, workshop = await guards.member(request, changing=True)
    if not member.facilitator:
        rule = "only facilitators delete a workshop"
        raise guards.Refusal(ProtocolError(ErrorCode.FORBIDDEN, "", rule), 403)
    services = guards.services(request)
    await delete_workshop(services.hub, services.database, workshop)
    return Response(status_code=204)


def _admitted(request: Request, admission: Admission) -> JSONResponse:
    """The new member's token, shown once, and the cookie that carries it for a browser."""
    workshop = admission.workshop
    response = JSONResponse(
        {
            "token": admission.token,
            "name": admission.member.name,
            "workshop": {"id": workshop.id, "title": workshop.title},
            "board": workshop.main_board.id,
            **({"withdrawal_code": format_code(admission.receipt)} if admission.receipt else {}),
        }
    )
    guards.services(request).sessions.remember(request, response, workshop.id, admission.token)
    return response


async def health(request: Request) -> Response:
    services = guards.services(request)
    report: dict[str, str] = {}
    healthy = True
    for name, check in (("database", services.database.ping), ("broker", services.broker.ping)):
        try:
            await check()
            report[name] = "ok"
        except Exception as error:
            report[name] = f"unreachable: {type(error).__name__}"
            healthy = False
    report["status"] = "ok" if healthy else "unhealthy"
    return JSONResponse(report, status_code=200 if healthy else 503)
