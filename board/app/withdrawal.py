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

from board.app import guards
from board.app.pages import render
from board.app.purpose import last_day, withdraw_until
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


class CodeRequest(Struct, forbid_unknown_fields=True):
    code: TypedCode


class WithdrawRequest(Struct, forbid_unknown_fields=True):
    code: TypedCode
    items: Annotated[list[ItemRef], Meta(min_length=1, max_length=MAX_ITEMS)] | None = None
    all: bool = False


async def withdraw_page(request: Request) -> Response:
    return render(request, "withdraw.html", {"config": {"page": "withdraw"}})


async def _opened(request: Request, typed: str) -> tuple[str, WorkshopInfo, int]:
    """The holder of a typed code, their workshop and when withdrawing closes; or the one
    refusal. Only wrong codes spend the address's budget."""
    services = guards.services(request)
    guards.not_locked_out(request)
    code = normalise_code(typed)
    found = await holder(services.database, code) if code else None
    workshop = await services.directory.workshop(found.workshop_id) if found else None
    kept = await retention(services.database, workshop.id, services.settings.keep_days) if workshop else None
    until = withdraw_until(workshop, kept) if workshop and kept else 0
    if found is None or workshop is None or guards.now() >= until:
        services.join_limiter.take(guards.address(request), time.monotonic())
        raise guards.Refusal(WRONG_CODE, 404)
    return found.member_id, workshop, until


def _items_data(found: list[Item]) -> list[dict[str, Any]]:
    return [
        {
            "item": item.ref,
            "board": item.board,
            "given_on": item.given_on,
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


async def withdrawal(request: Request) -> Response:
    """`POST /api/withdrawal {"code"}`: what the code's holder made, to choose from."""
    guards.same_site(request)
    body = await guards.read(request, CodeRequest)
    member_id, workshop, until = await _opened(request, body.code)
    return _holding(workshop, until, await listing(guards.services(request).hub, workshop, member_id))


async def withdraw_items(request: Request) -> Response:
    """`POST /api/withdrawal/withdraw`: take back the named items, or all of them."""
    guards.same_site(request)
    body = await guards.read(request, WithdrawRequest)
    if body.all and body.items is not None:
        raise guards.refusal(
            ProtocolError(ErrorCode.BAD_VALUE, "all", "name the items or all of them, not both")
        )
    if not body.all and body.items is None:
        raise guards.refusal(
            ProtocolError(ErrorCode.MISSING_FIELD, "items", "name the items to withdraw, or all: true")
        )
    member_id, workshop, until = await _opened(request, body.code)
    hub = guards.services(request).hub
    withdrawn = await withdraw(hub, workshop, member_id, None if body.all else body.items)
    return _holding(workshop, until, await listing(hub, workshop, member_id), withdrawn=withdrawn.items)


__all__ = ["withdraw_items", "withdraw_page", "withdrawal"]
