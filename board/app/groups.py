"""`GET /api/workshops/{id}/groups`: the M of "raised in N of M groups", for any member.

A merged note carries the board numbers of the groups that raised it (its `groups`, N of
them); the board and the gallery say "raised in N of M groups" under it. M is the workshop's,
not the board's (boards with a note, and boards merged from: `duplicates.group_count`, the same
count as the record's `summary.groups`), and it changes as boards fill, so a page asks for it
when it shows a merged note rather than carrying it from when it was loaded. Nothing here
says anything about anyone: it is one number.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board.app.api import _member, _services, error_response
from board.core.errors import ErrorCode, ProtocolError
from board.services.boards import read_all, reader
from board.services.duplicates import group_count


async def groups(request: Request) -> Response:
    """`{"groups": M}` for a member of the workshop; 401 for anyone else."""
    workshop_id = request.path_params["workshop_id"]
    services = _services(request)
    member = await _member(request, workshop_id)
    workshop = await services.directory.workshop(workshop_id)
    if member is None or workshop is None:
        return error_response(ProtocolError(ErrorCode.UNAUTHORIZED, "", "join the workshop first"), 401)
    boards = await read_all(workshop, reader(services.hub, services.oplog))
    return JSONResponse({"groups": group_count(boards)}, headers={"Cache-Control": "no-store"})
