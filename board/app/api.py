"""The JSON API: create a workshop, join by code, become its facilitator, health.

Errors have the websocket's shape: `{"error": {"code", "field", "message"}}`.
"""

from __future__ import annotations

import json
import time
from typing import Annotated, TypeVar

import msgspec
from msgspec import Meta, Struct
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board.app.auth import same_origin
from board.app.services import Services
from board.core import characters
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.validation import from_msgspec
from board.core.withdrawal import format_code
from board.services.credentials import digest, format_join_code, normalise_join_code
from board.services.retention import delete_workshop
from board.services.withdrawal import withdraw_member
from board.services.workshops import Admission, CreatedWorkshop, create_workshop, facilitate, join
from board.store.directory import Member, WorkshopInfo

MAX_BODY_BYTES = 16_384
"""Largest JSON body the API reads."""
FAILED_ATTEMPTS_PER_MINUTE = 20
"""Wrong join codes (and facilitator keys, withdrawal codes) one address may try within a
minute; the one that reaches it locks the address out for `LOCKOUT_SECONDS`. Only failures
count: a whole classroom behind one school address gets in, a guesser trying codes gets
nowhere."""
LOCKOUT_SECONDS = 60.0
"""How long an address that made `FAILED_ATTEMPTS_PER_MINUTE` wrong guesses gets 429, for
every code, right or wrong: the whole minute the docs promise, not a budget refilling a
guess every few seconds."""


class NewWorkshop(Struct, forbid_unknown_fields=True):
    title: Annotated[str, Meta(min_length=1, max_length=LIMITS.max_title_text)]
    breakouts: Annotated[int, Meta(ge=0, le=LIMITS.max_boards)] = 0


class JoinRequest(Struct, forbid_unknown_fields=True):
    code: Annotated[str, Meta(min_length=1, max_length=32)]


class KeyRequest(Struct, forbid_unknown_fields=True):
    key: Annotated[str, Meta(min_length=1, max_length=200)]


T = TypeVar("T")


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _now() -> int:
    return int(time.time() * 1000)


def error_response(
    error: ProtocolError, status_code: int, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": error.code.value, "field": error.field, "message": error.rule}},
        status_code=status_code,
        headers=headers,
    )


async def read_body(request: Request, kind: type[T], max_bytes: int = MAX_BODY_BYTES) -> T | ProtocolError:
    """The request's JSON body decoded as `kind` with its bounds, or what is wrong with it (an
    empty body reads as `{}`). A body over `max_bytes` is refused unread (`too_large`: 413)."""
    raw = await request.body()
    if len(raw) > max_bytes:
        return ProtocolError(ErrorCode.TOO_LARGE, "", f"a request body must be at most {max_bytes} bytes")
    try:
        body = msgspec.json.decode(raw or b"{}", type=kind)
    except msgspec.MsgspecError as error:
        return refused_characters(raw) or from_msgspec(error)
    # Every string that may reach a store passes the one rule both stores share.
    refused = characters.refusal(msgspec.to_builtins(body)) if characters.may_hold(raw) else None
    return body if refused is None else refused


def refused_characters(raw: bytes) -> ProtocolError | None:
    """The `bad_character` error for a body msgspec will not read because it escapes half a
    surrogate pair, named like any other forbidden character."""
    if not characters.may_hold(raw):
        return None
    try:
        return characters.refusal(json.loads(raw))
    except (ValueError, RecursionError):
        return None


async def _body(request: Request, kind: type[T]) -> T | JSONResponse:
    if not same_origin(request, _services(request).settings.allowed_origins):
        return error_response(ProtocolError(ErrorCode.FORBIDDEN, "", "cross-site request refused"), 403)
    body = await read_body(request, kind)
    if isinstance(body, ProtocolError):
        return error_response(body, 413 if body.code is ErrorCode.TOO_LARGE else 400)
    return body


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _limited(request: Request) -> JSONResponse | None:
    if not _services(request).join_limiter.exhausted(_address(request), time.monotonic()):
        return None
    return error_response(
        ProtocolError(ErrorCode.RATE_LIMITED, "", "too many attempts; wait a minute and try again"),
        429,
        {"Retry-After": f"{LOCKOUT_SECONDS:.0f}"},
    )


async def create(request: Request) -> Response:
    services = _services(request)
    admin = services.settings.admin_token
    if admin and request.headers.get("authorization") != f"Bearer {admin}":
        return error_response(
            ProtocolError(ErrorCode.UNAUTHORIZED, "", "creating workshops needs the admin token"),
            401,
        )
    body = await _body(request, NewWorkshop)
    if isinstance(body, JSONResponse):
        return body
    created = await create_workshop(
        services.directory, title=body.title, breakouts=body.breakouts, now=_now()
    )
    return await created_response(request, created)


async def created_response(request: Request, created: CreatedWorkshop) -> Response:
    """A new workshop's answer (201): its links, the facilitator key shown this once, and the
    creator signed in as its facilitator (the cookie, and a token for API clients)."""
    services = _services(request)
    admission = await facilitate(services.directory, created.id, created.facilitator_key, now=_now())
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
    limited = _limited(request)
    if limited:
        return limited
    body = await _body(request, JoinRequest)
    if isinstance(body, JSONResponse):
        return body
    services = _services(request)
    workshop = await services.directory.workshop_by_code(normalise_join_code(body.code))
    if workshop is None:
        services.join_limiter.take(_address(request), time.monotonic())
        return error_response(ProtocolError(ErrorCode.NOT_FOUND, "code", "no workshop has that code"), 404)
    return _admitted(request, await join(services.directory, workshop, now=_now()))


async def become_facilitator(request: Request) -> Response:
    limited = _limited(request)
    if limited:
        return limited
    body = await _body(request, KeyRequest)
    if isinstance(body, JSONResponse):
        return body
    services = _services(request)
    workshop_id = request.path_params["workshop_id"]
    admission = await facilitate(services.directory, workshop_id, body.key, now=_now())
    if admission is None:
        services.join_limiter.take(_address(request), time.monotonic())
        return error_response(
            ProtocolError(ErrorCode.FORBIDDEN, "key", "that is not this workshop's facilitator key"),
            403,
        )
    return _admitted(request, admission)


async def _member(request: Request, workshop_id: str) -> Member | None:
    """Who is asking, in this workshop: from `Authorization: Bearer <token>` or the cookie."""
    services = _services(request)
    header = request.headers.get("authorization", "")
    token = header.removeprefix("Bearer ") if header.startswith("Bearer ") else None
    token = token or services.sessions.token_for(request, workshop_id)
    member = await services.directory.member(digest(token)) if token else None
    return member if member is not None and member.workshop_id == workshop_id else None


async def _asking_member(request: Request) -> tuple[Member, WorkshopInfo] | JSONResponse:
    """Who is asking to change this workshop (from this site only), or the refusal."""
    services = _services(request)
    if not same_origin(request, services.settings.allowed_origins):
        return error_response(ProtocolError(ErrorCode.FORBIDDEN, "", "cross-site request refused"), 403)
    workshop_id = request.path_params["workshop_id"]
    member = await _member(request, workshop_id)
    workshop = await services.directory.workshop(workshop_id)
    if member is None or workshop is None:
        return error_response(ProtocolError(ErrorCode.UNAUTHORIZED, "", "join the workshop first"), 401)
    return member, workshop


async def withdraw_mine(request: Request) -> Response:
    """ "Withdraw my contributions": everything the asker made in this workshop is removed from
    every board and from the op log; refused (403) once the workshop is closed or the
    facilitator's cut-off has passed (`withdrawal.withdraw_member`)."""
    asking = await _asking_member(request)
    if isinstance(asking, JSONResponse):
        return asking
    member, workshop = asking
    services = _services(request)
    removed = await withdraw_member(
        services.hub, workshop, member.id, keep_days=services.settings.keep_days, now=_now()
    )
    if isinstance(removed, ProtocolError):
        return error_response(removed, 403)
    return JSONResponse({"removed": removed})


async def delete(request: Request) -> Response:
    """Delete a workshop and everything in it (facilitators only)."""
    asking = await _asking_member(request)
    if isinstance(asking, JSONResponse):
        return asking
    member, workshop = asking
    if not member.facilitator:
        return error_response(
            ProtocolError(ErrorCode.FORBIDDEN, "", "only facilitators delete a workshop"), 403
        )
    services = _services(request)
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
    _services(request).sessions.remember(request, response, workshop.id, admission.token)
    return response


async def health(request: Request) -> Response:
    services = _services(request)
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
