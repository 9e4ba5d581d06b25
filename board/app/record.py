"""The record's exports: `GET /api/workshops/{id}/export.{json,csv,md,html}` (DESIGN.md §5).

For a workshop's facilitators only: a participant is refused with 403, someone who has not
joined the workshop with 401. The work is in `board/services/record.py`.
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response

from board.app import guards
from board.app.pages import language
from board.core.errors import ErrorCode, ProtocolError
from board.services.boards import reader
from board.services.record import Format, Rendered, attachment, build, gather, html_csp, render


async def export(request: Request) -> Response:
    """`GET /api/workshops/{id}/export.{json,csv,md,html}`: the record, as a download."""
    _, workshop = await guards.facilitator(request)
    try:
        fmt = Format(request.path_params["format"])
    except ValueError:
        formats = ", ".join(f.value for f in Format)
        raise guards.refusal(
            ProtocolError(ErrorCode.NOT_FOUND, "format", f"export formats are {formats}")
        ) from None
    services = guards.services(request)
    load = reader(services.hub, services.oplog)
    gathered = await gather(workshop, load, services.database, blocklist=services.exit_poll.blocklist)
    now = guards.now()
    lang = language(request)  # the printable report reads in the facilitator's language

    def work() -> Rendered:  # categorising and duplicate finding are CPU work: off the event loop
        return render(build(gathered, now=now), fmt, lang, services.settings.time_zone)

    rendered = await asyncio.to_thread(work)
    headers = {"Content-Disposition": attachment(rendered.filename), "Cache-Control": "no-store"}
    if fmt is Format.HTML:
        headers["Content-Security-Policy"] = html_csp()
    return Response(rendered.body, media_type=rendered.media_type, headers=headers)
