"""Withdrawing with a code over HTTP (issue 10; the codes are `core/withdrawal.py`, the
withdrawing `withdrawal.py`).

- `GET /withdraw`: type a code, see what it made, withdraw all or some (`pages/withdraw.js`).
- `POST /api/withdrawal {"code"}`: the holder's items; `POST /api/withdrawal/withdraw {"code",
  "items": [...]}` or `{"code", "all": true}`.

A wrong code, an expired one and one whose workshop is gone get the same 404 and the same
words; wrong codes count against the address's budget of wrong join codes (429 once spent).
Requests from another site's page are refused (403).
"""

from __future__ import annotations

import time
from typing import Annotated, Any, Final

from msgspec import Meta, Struct
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board.app.api import _address, _limited, _services, error_response
from board.app.auth import same_origin
from board.app.pages import _render
from board.app.purpose import last_day, withdraw_until
from board.app.records import _read, _refused
from board.core.errors import ErrorCode, ProtocolError
from board.core.record import iso_utc
from board.core.withdrawal import ITEM_REF_PATTERN, MAX_ITEMS, MAX_TYPED, Item, normalise_code
from board.services.retention import retention
from board.services.withdrawal import holder, listing, withdraw
from board.store.directory import WorkshopInfo

WRONG_CODE: Final = ProtocolError(
    ErrorCode.NOT_FOUND, "code", "that code does not open anything here; check it and try again"
)
"""The one answer to every code that does not work, whatever the reason."""

TypedCode = Annotated[str, Meta(min_length=1, max_length=MAX_TYPED)]
ItemRef = Annotated[str, Meta(pattern=ITEM_REF_PATTERN)]


def _now() -> int:
    return int(time.time() * 1000)


class CodeRequest(Struct, forbid_unknown_fields=True):
    code: TypedCode


class WithdrawRequest(Struct, forbid_unknown_fields=True):
    code: TypedCode
    items: Annotated[list[ItemRef], Meta(min_length=1, max_length=MAX_ITEMS)] | None = None
    all: bool = False


async def withdraw_page(request: Request) -> Response:
    return _render(request, "withdraw.html", {"config": {"page": "withdraw"}})


async def _opened(request: Request, typed: str) -> tuple[str, WorkshopInfo, int] | Response:
    """The holder of a typed code, their workshop and when withdrawing closes; or the one
    refusal. Only wrong codes spend the address's budget."""
    services = _services(request)
    limited = _limited(request)
    if limited:
        return limited
    code = normalise_code(typed)
    found = await holder(services.database, code) if code else None
    workshop = await services.directory.workshop(found.workshop_id) if found else None
    kept = await retention(services.database, workshop.id, services.settings.keep_days) if workshop else None
    until = withdraw_until(workshop, kept) if workshop and kept else 0
    if found is None or workshop is None or _now() >= until:
        services.join_limiter.take(_address(request), time.monotonic())
        return error_response(WRONG_CODE, 404)
    return found.member_id, workshop, until


def _items_data(found: list[Item]) -> list[dict[str, Any]]:
    return [
        {
            "item": item.ref,
            "board": item.board,
            "kind": item.kind,
            "text": item.text,
            "created_at": iso_utc(item.created),
        }
        for item in found
    ]


def _holding(workshop: WorkshopInfo, until: int, found: list[Item], **extra: Any) -> JSONResponse:
    return JSONResponse(
        {
            "workshop": {"title": workshop.title},
            "until": last_day(until),
            **extra,
            "items": _items_data(found),
        },
        headers={"Cache-Control": "no-store"},
    )


def _cross_site(request: Request) -> Response | None:
    if same_origin(request, _services(request).settings.allowed_origins):
        return None
    return error_response(ProtocolError(ErrorCode.FORBIDDEN, "", "cross-site request refused"), 403)


async def withdrawal(request: Request) -> Response:
    """`POST /api/withdrawal {"code"}`: what the code's holder made, to choose from."""
    refused = _cross_site(request)
    if refused is not None:
        return refused
    body = await _read(request, CodeRequest)
    if isinstance(body, Response):
        return body
    opened = await _opened(request, body.code)
    if isinstance(opened, Response):
        return opened
    member_id, workshop, until = opened
    return _holding(workshop, until, await listing(_services(request).hub, workshop, member_id))


async def withdraw_items(request: Request) -> Response:
    """`POST /api/withdrawal/withdraw`: take back the named items, or all of them."""
    refused = _cross_site(request)
    if refused is not None:
        return refused
    body = await _read(request, WithdrawRequest)
    if isinstance(body, Response):
        return body
    if body.all and body.items is not None:
        return _refused(ProtocolError(ErrorCode.BAD_VALUE, "all", "name the items or all of them, not both"))
    if not body.all and body.items is None:
        return _refused(
            ProtocolError(ErrorCode.MISSING_FIELD, "items", "name the items to withdraw, or all: true")
        )
    opened = await _opened(request, body.code)
    if isinstance(opened, Response):
        return opened
    member_id, workshop, until = opened
    hub = _services(request).hub
    withdrawn = await withdraw(hub, workshop, member_id, None if body.all else body.items)
    return _holding(workshop, until, await listing(hub, workshop, member_id), withdrawn=withdrawn.items)


__all__ = ["withdraw_items", "withdraw_page", "withdrawal"]
