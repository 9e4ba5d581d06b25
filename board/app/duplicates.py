"""Duplicates over HTTP (DESIGN.md §5; the work is in `board/services/duplicates.py`).

- `GET /api/workshops/{id}/duplicates`: clusters of near-duplicate notes across boards;
- `POST .../duplicates/merge`: merge the notes named into one, kept where `keep` is.

For a workshop's facilitators only: a participant is refused with 403, someone who has not
joined the workshop with 401; a merge is refused from another site's page (403). Notes are
named `board number:note id` (`2:9f1c…`), since note ids are chosen per board.
"""

from __future__ import annotations

from typing import Annotated, Final

from msgspec import Meta, Struct
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board.app import guards
from board.core.errors import ProtocolError
from board.services.boards import parse_ref, read_all, reader
from board.services.duplicates import clusters, clusters_data, merge

MAX_MERGE_NOTES: Final = 100
"""Notes in one merge: a cluster is a handful of notes; a hundred is already a mistake."""


class MergeRequest(Struct, forbid_unknown_fields=True):
    notes: Annotated[list[guards.NoteRef], Meta(min_length=2, max_length=MAX_MERGE_NOTES)]
    keep: guards.NoteRef | None = None


async def duplicates(request: Request) -> Response:
    """`GET /api/workshops/{id}/duplicates`: clusters of near-duplicate notes across boards."""
    _, workshop = await guards.facilitator(request)
    services = guards.services(request)
    boards = await read_all(workshop, reader(services.hub, services.oplog))
    return JSONResponse(clusters_data(await clusters(boards), boards))


async def merge_duplicates(request: Request) -> Response:
    """`POST /api/workshops/{id}/duplicates/merge` with `{"notes": [...], "keep": note}`."""
    _, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, MergeRequest)
    keep = None if body.keep is None else parse_ref(body.keep)
    merged = await merge(
        guards.services(request).hub, workshop, [parse_ref(text) for text in body.notes], keep
    )
    if isinstance(merged, ProtocolError):
        raise guards.refusal(merged)
    return JSONResponse(merged.data())
