"""The facilitator's record API: exports, categories, the taxonomy, duplicates (DESIGN.md §5).

Every route here is for a workshop's facilitators: a participant is refused with 403, someone
who has not joined the workshop with 401. Changes (`POST`, `PUT`) are refused from another
site's page (403), as in `api.py`. Bodies are decoded into msgspec structs with their bounds;
errors have the API's shape, `{"error": {"code", "field", "message"}}`.

Notes are named `board number:note id` (`2:9f1c…`), since note ids are chosen per board.

The handlers only authenticate, decode and answer; the work is in `exports.py` (the record),
`categories.py` (accepting suggestions) and `merge.py` (duplicates).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Final

from msgspec import Meta, Struct
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board.app import guards
from board.app.pages import language
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.state import Actor
from board.services.boards import NOTE_REF_PATTERN, parse_ref, read_all, reader
from board.services.categories import accept, overview, overview_data, place_columns, taxonomy_data
from board.services.duplicates import clusters, clusters_data, merge
from board.services.record import (
    TAXONOMY_DETAIL,
    Format,
    Rendered,
    attachment,
    build,
    choosable_taxonomies,
    gather,
    html_csp,
    render,
    workshop_taxonomy,
)
from board.store.details import update_details
from board.store.directory import WorkshopInfo

NoteRefText = Annotated[str, Meta(pattern=NOTE_REF_PATTERN)]
MAX_MERGE_NOTES: Final = 100
"""Notes in one merge: a cluster is a handful of notes; a hundred is already a mistake."""


class AcceptRequest(Struct, forbid_unknown_fields=True):
    notes: Annotated[list[NoteRefText], Meta(min_length=1, max_length=LIMITS.max_batch_ops)] | None = None
    all: bool = False


BoardNumber = Annotated[int, Meta(ge=0, le=LIMITS.max_boards)]


class ColumnsRequest(Struct, forbid_unknown_fields=True):
    boards: Annotated[list[BoardNumber], Meta(min_length=1, max_length=LIMITS.max_boards + 1)] | None = None
    all: bool = False


class TaxonomyChoice(Struct, forbid_unknown_fields=True):
    taxonomy: Annotated[str, Meta(min_length=1, max_length=LIMITS.max_category_key)]


class MergeRequest(Struct, forbid_unknown_fields=True):
    notes: Annotated[list[NoteRefText], Meta(min_length=2, max_length=MAX_MERGE_NOTES)]
    keep: NoteRefText | None = None


# --- exports ------------------------------------------------------------------------------------


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


# --- categories and the taxonomy ----------------------------------------------------------------------


async def categories(request: Request) -> Response:
    """`GET /api/workshops/{id}/categories`: every note's category, its source and (for a
    suggestion) how sure it is, with counts per category."""
    _, workshop = await guards.facilitator(request)
    services = guards.services(request)
    boards = await read_all(workshop, reader(services.hub, services.oplog))
    view = await asyncio.to_thread(overview, boards, workshop_taxonomy(workshop))
    return JSONResponse(overview_data(view))


def _some_or_all(every: bool, named: object | None, field: str) -> ProtocolError | None:
    """What is wrong with a request that must name its `field` (notes, boards) or say all."""
    if every and named is not None:
        return ProtocolError(ErrorCode.BAD_VALUE, "all", f"name the {field} or all of them, not both")
    if not every and named is None:
        return ProtocolError(ErrorCode.MISSING_FIELD, field, f"name the {field}, or all: true")
    return None


async def accept_suggestions(request: Request) -> Response:
    """`POST /api/workshops/{id}/categories/accept` with `{"notes": [...]}` or `{"all": true}`."""
    member, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, AcceptRequest)
    unclear = _some_or_all(body.all, body.notes, "notes")
    if unclear is not None:
        raise guards.refusal(unclear)
    services = guards.services(request)
    boards = await read_all(workshop, reader(services.hub, services.oplog))
    refs = None if body.notes is None else [parse_ref(text) for text in body.notes]
    done = await accept(
        services.hub, workshop, workshop_taxonomy(workshop), Actor(member.id, facilitator=True), boards, refs
    )
    if isinstance(done, ProtocolError):
        raise guards.refusal(done)
    return JSONResponse(done.data())


async def add_columns(request: Request) -> Response:
    """`POST /api/workshops/{id}/categories/columns` with `{"boards": [numbers]}` or
    `{"all": true}`: a column per category of the workshop's taxonomy on each board."""
    member, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, ColumnsRequest)
    unclear = _some_or_all(body.all, body.boards, "boards")
    if unclear is not None:
        raise guards.refusal(unclear)
    done = await place_columns(
        guards.services(request).hub,
        workshop,
        workshop_taxonomy(workshop),
        Actor(member.id, facilitator=True),
        body.boards,
    )
    if isinstance(done, ProtocolError):
        raise guards.refusal(done)
    return JSONResponse(done.data())


def _taxonomy_answer(workshop: WorkshopInfo) -> JSONResponse:
    return JSONResponse(
        {
            "taxonomy": taxonomy_data(workshop_taxonomy(workshop)),
            "choices": [
                {"key": key, "name": {"en": taxonomy.name.en, "cy": taxonomy.name.cy}}
                for key, taxonomy in choosable_taxonomies(workshop).items()
            ],
        }
    )


async def taxonomy(request: Request) -> Response:
    """`GET /api/workshops/{id}/taxonomy`: the workshop's taxonomy and the ones it may choose."""
    _, workshop = await guards.facilitator(request)
    return _taxonomy_answer(workshop)


async def choose_taxonomy(request: Request) -> Response:
    """`PUT /api/workshops/{id}/taxonomy` with `{"taxonomy": key}`."""
    _, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, TaxonomyChoice)
    choices = choosable_taxonomies(workshop)
    if body.taxonomy not in choices:
        rule = f"'{body.taxonomy}' is not a taxonomy; expected one of {', '.join(choices)}"
        raise guards.refusal(ProtocolError(ErrorCode.BAD_VALUE, "taxonomy", rule))
    services = guards.services(request)
    await update_details(services.database, workshop.id, {TAXONOMY_DETAIL: body.taxonomy})
    changed = await services.directory.workshop(workshop.id)
    if changed is None:  # deleted meanwhile
        raise guards.refusal(ProtocolError(ErrorCode.NOT_FOUND, "", "the workshop was deleted"))
    return _taxonomy_answer(changed)


# --- duplicates ----------------------------------------------------------------------------------


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
