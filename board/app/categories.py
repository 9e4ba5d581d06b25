"""Categories and the taxonomy over HTTP (DESIGN.md §5; the work is in
`board/services/categories.py`).

- `GET /api/workshops/{id}/categories`: every note's category, its source and how sure a
  suggestion is, with counts per category;
- `POST .../categories/accept`: accept suggestions, for the notes named or all of them;
- `POST .../categories/columns`: a column per category on the boards named or all of them;
- `GET|PUT .../taxonomy`: the workshop's taxonomy, and choosing another.

For a workshop's facilitators only: a participant is refused with 403, someone who has not
joined the workshop with 401; changes are refused from another site's page (403). Notes are
named `board number:note id` (`2:9f1c…`), since note ids are chosen per board.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from msgspec import Meta, Struct
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board.app import guards
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.state import Actor
from board.services.boards import parse_ref, read_all, reader
from board.services.categories import accept, overview, overview_data, place_columns, taxonomy_data
from board.services.record import TAXONOMY_DETAIL, choosable_taxonomies, workshop_taxonomy
from board.store.details import update_details
from board.store.directory import WorkshopInfo


class AcceptRequest(Struct, forbid_unknown_fields=True):
    notes: Annotated[list[guards.NoteRef], Meta(min_length=1, max_length=LIMITS.max_batch_ops)] | None = None
    all: bool = False


BoardNumber = Annotated[int, Meta(ge=0, le=LIMITS.max_boards)]


class ColumnsRequest(Struct, forbid_unknown_fields=True):
    boards: Annotated[list[BoardNumber], Meta(min_length=1, max_length=LIMITS.max_boards + 1)] | None = None
    all: bool = False


class TaxonomyChoice(Struct, forbid_unknown_fields=True):
    taxonomy: Annotated[str, Meta(min_length=1, max_length=LIMITS.max_category_key)]


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
