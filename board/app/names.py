"""Chosen names over HTTP (`board/services/names.py`):

- `PUT /api/workshops/{id}/names {"allowed": bool}`: a facilitator allows names, or stops;
- `PUT /api/workshops/{id}/me/name {"name": str | null}`: a member shows a name beside their
  cursor (1-40 characters), or goes back to their made-up one (null).
"""

from __future__ import annotations

from msgspec import Struct
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board.app import guards
from board.core.errors import ProtocolError
from board.core.names import tidy_chosen_name
from board.services.names import allow, choose


class NamesSetting(Struct, forbid_unknown_fields=True):
    allowed: bool


class NameChoice(Struct, forbid_unknown_fields=True):
    name: str | None


async def set_names_allowed(request: Request) -> Response:
    _, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, NamesSetting)
    services = guards.services(request)
    await allow(services.directory, services.hub, workshop, body.allowed)
    return JSONResponse({"allowed": body.allowed})


async def choose_name(request: Request) -> Response:
    member, workshop = await guards.member(request, changing=True)
    body = await guards.read(request, NameChoice)
    name = None if body.name is None else tidy_chosen_name(body.name)
    if isinstance(name, ProtocolError):
        raise guards.refusal(name)
    services = guards.services(request)
    shown = await choose(services.directory, services.hub, workshop, member, name)
    if isinstance(shown, ProtocolError):
        raise guards.refusal(shown)
    return JSONResponse({"name": shown, "chosen": name is not None})
