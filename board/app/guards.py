"""The request guards every route shares: who is asking, from which site, with what body.

A guard returns what the route needs (the member and their workshop, the decoded body) or
raises `Refusal`, which one exception handler (`refused`, registered in `main.py`) turns into
the answer. So a route reads `member, workshop = await guards.facilitator(request)` and goes
on: a refusal never has to be checked for and passed back up by hand.

Refusals have the websocket's error shape, `{"error": {"code", "field", "message"}}`. A
family of routes that words its refusals its own way (the exit poll names a note's fields
without their `obj.`/`props.` path, and answers `poll_closed` with 409) has its own `Wording`;
the rest share `WORDING`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Annotated, Final, TypeVar

import msgspec
from msgspec import Meta
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board.app.auth import same_origin
from board.app.services import Services
from board.core import characters
from board.core.errors import ErrorCode, ProtocolError
from board.core.validation import from_msgspec
from board.services.boards import NOTE_REF_PATTERN
from board.services.credentials import digest
from board.store.directory import Member, WorkshopInfo

T = TypeVar("T")

MAX_BODY_BYTES: Final = 49_152
"""Largest body most routes read: room for a `notes` list of `max_batch_ops` (500) note
references of the longest kind (about 70 bytes each)."""
FAILED_ATTEMPTS_PER_MINUTE: Final = 20
"""Wrong join codes (and facilitator keys, withdrawal codes) one address may try within a
minute; the one that reaches it locks the address out for `LOCKOUT_SECONDS`. Only failures
count: a whole classroom behind one school address gets in, a guesser trying codes gets
nowhere."""
LOCKOUT_SECONDS: Final = 60.0
"""How long an address that made `FAILED_ATTEMPTS_PER_MINUTE` wrong guesses gets 429, for
every code, right or wrong: the whole minute the docs promise, not a budget refilling a
guess every few seconds."""
STATUS: Final = MappingProxyType(
    {
        ErrorCode.NOT_FOUND: 404,
        ErrorCode.FORBIDDEN: 403,
        ErrorCode.CONFLICT: 409,
        ErrorCode.READ_ONLY: 409,
    }
)
"""The HTTP status of a refusal, by code; any other code is a bad request (400)."""


class Refusal(Exception):
    """A request refused: the error to answer with, its HTTP status and any headers.

    Raised by a guard (or a route) wherever the refusal is found; `refused` answers it."""

    def __init__(
        self, error: ProtocolError, status_code: int, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(error.code.value, error.field, error.rule)
        self.error = error
        self.status_code = status_code
        self.headers = dict(headers) if headers else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code!r}, error={self.error!r})"


async def refused(request: Request, exc: Exception) -> Response:
    """The exception handler for `Refusal`: the error, as the API words every error."""
    assert isinstance(exc, Refusal)  # registered for Refusal only
    return error_response(exc.error, exc.status_code, exc.headers)


def error_response(
    error: ProtocolError, status_code: int, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": error.code.value, "field": error.field, "message": error.rule}},
        status_code=status_code,
        headers=headers,
    )


def services(request: Request) -> Services:
    """What the app opened at start-up (`main.py`'s lifespan)."""
    opened: Services = request.app.state.services
    return opened


def now() -> int:
    """The wall clock in milliseconds, as the store and the core count time."""
    return int(time.time() * 1000)


def address(request: Request) -> str:
    """The client's address, the key of its budget of wrong guesses."""
    return request.client.host if request.client else "unknown"


# --- bodies ---------------------------------------------------------------------------------------


NoteRef = Annotated[str, Meta(pattern=NOTE_REF_PATTERN)]
"""A note named in a body as `board number:note id` (`2:9f1c…`): note ids are chosen per
board. `WORDING` names a reference that does not fit this way."""


def _as_is(error: ProtocolError) -> ProtocolError:
    return error


def _note_references(error: ProtocolError) -> ProtocolError:
    if error.code is ErrorCode.BAD_FORMAT and error.rule == f"must match {NOTE_REF_PATTERN}":
        return ProtocolError(error.code, error.field, "must name a note as board number:note id, e.g. 2:abc")
    return error


@dataclass(frozen=True, slots=True)
class Wording:
    """How a family of routes reads bodies and words refusals: the largest body it reads,
    the HTTP status of each error code, and how it names a field that is wrong."""

    max_bytes: int
    statuses: Mapping[ErrorCode, int] = field(default_factory=lambda: STATUS)
    fields: Callable[[ProtocolError], ProtocolError] = _as_is

    def refusal(self, error: ProtocolError) -> Refusal:
        """`error` as this family answers it (raise it)."""
        return Refusal(self.fields(error), self.statuses.get(error.code, 400))

    async def read(self, request: Request, kind: type[T]) -> T:
        """The request's JSON body as `kind`, or the refusal naming the field (413 for a body
        over `max_bytes`, refused unread)."""
        body = await read_body(request, kind, self.max_bytes)
        if isinstance(body, ProtocolError):
            raise Refusal(body, 413) if body.code is ErrorCode.TOO_LARGE else self.refusal(body)
        return body


WORDING: Final = Wording(MAX_BODY_BYTES, fields=_note_references)
"""The wording most routes share: a note reference that fails its pattern is explained as one
("board number:note id"); any other field keeps the rule it failed."""


async def read(request: Request, kind: type[T]) -> T:
    """The request's JSON body as `kind`, in `WORDING`; or the refusal naming the field."""
    return await WORDING.read(request, kind)


def refusal(error: ProtocolError) -> Refusal:
    """`error` as most routes answer it (raise it): its status from `STATUS`, else 400."""
    return WORDING.refusal(error)


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
    found = characters.refusal(msgspec.to_builtins(body)) if characters.may_hold(raw) else None
    return body if found is None else found


def refused_characters(raw: bytes) -> ProtocolError | None:
    """The `bad_character` error for a body msgspec will not read because it escapes half a
    surrogate pair, named like any other forbidden character."""
    if not characters.may_hold(raw):
        return None
    try:
        return characters.refusal(json.loads(raw))
    except (ValueError, RecursionError):
        return None


# --- who is asking --------------------------------------------------------------------------------


def same_site(request: Request) -> None:
    """Refuse (403) a change asked for by another site's page."""
    if not same_origin(request, services(request).settings.allowed_origins):
        raise Refusal(ProtocolError(ErrorCode.FORBIDDEN, "", "cross-site request refused"), 403)


def may_create(request: Request) -> None:
    """Refuse (401) a new workshop without the admin token, when the server has one."""
    admin = services(request).settings.admin_token
    if admin and request.headers.get("authorization") != f"Bearer {admin}":
        raise Refusal(
            ProtocolError(ErrorCode.UNAUTHORIZED, "", "creating workshops needs the admin token"), 401
        )


def not_locked_out(request: Request) -> None:
    """Refuse (429) an address that spent its wrong guesses, for the rest of its lockout."""
    if services(request).join_limiter.exhausted(address(request), time.monotonic()):
        raise Refusal(
            ProtocolError(ErrorCode.RATE_LIMITED, "", "too many attempts; wait a minute and try again"),
            429,
            {"Retry-After": f"{LOCKOUT_SECONDS:.0f}"},
        )


async def who_asks(request: Request, workshop_id: str) -> Member | None:
    """Who is asking, in this workshop: from `Authorization: Bearer <token>` or the cookie."""
    opened = services(request)
    header = request.headers.get("authorization", "")
    token = header.removeprefix("Bearer ") if header.startswith("Bearer ") else None
    token = token or opened.sessions.token_for(request, workshop_id)
    found = await opened.directory.member(digest(token)) if token else None
    return found if found is not None and found.workshop_id == workshop_id else None


async def member(request: Request, *, changing: bool = False) -> tuple[Member, WorkshopInfo]:
    """The member asking, with the workshop in the path; refused with 401 for anyone not in
    it, and (`changing`) with 403 first when another site's page asks."""
    if changing:
        same_site(request)
    workshop_id = request.path_params["workshop_id"]
    found = await who_asks(request, workshop_id)
    workshop = await services(request).directory.workshop(workshop_id)
    if found is None or workshop is None:
        raise Refusal(ProtocolError(ErrorCode.UNAUTHORIZED, "", "join the workshop first"), 401)
    return found, workshop


def facilitators_only(asking: Member) -> None:
    """Refuse (403) a participant what only facilitators may do."""
    if not asking.facilitator:
        raise Refusal(ProtocolError(ErrorCode.FORBIDDEN, "", "only facilitators may do this"), 403)


async def facilitator(request: Request, *, changing: bool = False) -> tuple[Member, WorkshopInfo]:
    """The facilitator asking, with their workshop; refused as `member` refuses, and with 403
    for a participant."""
    asking, workshop = await member(request, changing=changing)
    facilitators_only(asking)
    return asking, workshop
