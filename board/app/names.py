"""Chosen names over HTTP (`board/services/names.py`):

- `PUT /api/workshops/{id}/names {"allowed": bool}`: a facilitator allows names, or stops;
- `PUT /api/workshops/{id}/me/name {"name": str | null}`: a member shows a name beside their
  cursor (1-40 characters), or goes back to their made-up one (null).
"""

from __future__ import annotations

from msgspec import Struct
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board.app.api import _asking_member, _services
from board.app.records import _facilitator, _read, _refused
from board.core.errors import ProtocolError
from board.core.names import tidy_chosen_name
from board.services.names import allow, choose


class NamesSetting(Struct, forbid_unknown_fields=True):
    allowed: bool


class NameChoice(Struct, forbid_unknown_fields=True):
    name: str | None


async def set_names_allowed(request: Request) -> Response:
    asking = await _facilitator(request, changing=True)
    if isinstance(asking, Response):
        return asking
    _, workshop = asking
    body = await _read(request, NamesSetting)
    if isinstance(body, Response):
        return body
    services = _services(request)
    await allow(services.directory, services.hub, workshop, body.allowed)
    return JSONResponse({"allowed": body.allowed})


async def choose_name(request: Request) -> Response:
    asking = await _asking_member(request)
    if isinstance(asking, Response):
        return asking
    member, workshop = asking
    body = await _read(request, NameChoice)
    if isinstance(body, Response):
        return body
    name = None if body.name is None else tidy_chosen_name(body.name)
    if isinstance(name, ProtocolError):
        return _refused(name)
    services = _services(request)
    shown = await choose(services.directory, services.hub, workshop, member, name)
    if isinstance(shown, ProtocolError):
        return _refused(shown)
    return JSONResponse({"name": shown, "chosen": name is not None})
