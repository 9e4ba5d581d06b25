"""'What we heard' over HTTP (issue 10; the content is `board/services/heard.py`).

- `GET /heard/{id}`: the page, once published (404 before, the same as for no workshop,
  except to its facilitators, who see a preview); with the viewer's own notes when their
  browser took part. `GET /heard/{id}/qr.svg`: its address as a QR code, for a slide or a
  poster (before publication, for the preview: to its facilitators only).
- `GET|PUT /api/workshops/{id}/heard {"published", "next_steps": {"en", "cy"}}`: the
  facilitator publishes it and writes what happens next (403 for participants).
"""

from __future__ import annotations

from typing import Annotated, Any

from msgspec import Meta, Struct
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from board.app import guards
from board.app.facilitation import qr_svg
from board.app.pages import language, not_found, render
from board.app.purpose import last_day, long_date, withdraw_until
from board.core.errors import ErrorCode, ProtocolError
from board.services.heard import HEARD_DETAIL, MAX_NEXT_STEPS, HeardPages, published, words_alt
from board.services.retention import retention
from board.store.details import update_details
from board.store.directory import WorkshopInfo

NextStepsText = Annotated[str, Meta(max_length=MAX_NEXT_STEPS)]


class NextSteps(Struct, forbid_unknown_fields=True):
    en: NextStepsText = ""
    cy: NextStepsText | None = None


class HeardRequest(Struct, forbid_unknown_fields=True):
    published: bool
    next_steps: NextSteps | None = None


def page_url(request: Request, workshop_id: str) -> str:
    return f"{guards.services(request).settings.base_url}/heard/{workshop_id}"


def _pages(request: Request) -> HeardPages:
    """The app's built pages, made on first use (one per app, like its services)."""
    state = request.app.state
    pages: HeardPages | None = getattr(state, "heard_pages", None)
    if pages is None:
        services = guards.services(request)
        pages = state.heard_pages = HeardPages(services.hub, services.database, services.exit_poll.blocklist)
    return pages


async def heard_page(request: Request) -> Response:
    """The page, once published; before that, a preview for the workshop's facilitators only
    (everyone else gets the 404 a workshop that does not exist gets)."""
    services = guards.services(request)
    workshop = await services.directory.workshop(request.path_params["workshop_id"])
    member = await guards.who_asks(request, workshop.id) if workshop is not None else None
    preview = workshop is not None and not published(workshop.details).published
    if workshop is None or (preview and (member is None or not member.facilitator)):
        return not_found(request)
    mine = member.id if member is not None and not member.facilitator else None
    lang = language(request)
    page = await _pages(request).page(workshop, lang, mine, guards.now())
    kept = await retention(services.database, workshop.id, services.settings.keep_days)
    until = withdraw_until(workshop, kept) if kept else 0
    response = render(
        request,
        "heard.html",
        {
            "heard": page,
            "preview": preview,
            "workshop": workshop,
            "date": long_date(page.date, lang) if page.date else None,
            "cloud_alt": words_alt(page.poll),
            "withdraw_until": long_date(last_day(until), lang) if until > guards.now() else None,
            "url": page_url(request, workshop.id),
            "config": {"page": "heard", "url": page_url(request, workshop.id)},
        },
    )
    # Someone's own notes are theirs alone, and a preview is not public: never kept on the way.
    response.headers["Cache-Control"] = "no-store" if mine is not None or preview else "no-cache"
    return response


async def heard_qr(request: Request) -> Response:
    """The page's address as a QR code: for everyone once published; before that, for the
    workshop's facilitators only, so that the preview shows the code they will share (everyone
    else gets the same 404 as for the page)."""
    workshop = await guards.services(request).directory.workshop(request.path_params["workshop_id"])
    if workshop is None:
        return Response(status_code=404)
    if not published(workshop.details).published:
        member = await guards.who_asks(request, workshop.id)
        if member is None or not member.facilitator:
            return Response(status_code=404)
    response = Response(qr_svg(page_url(request, workshop.id)), media_type="image/svg+xml")
    if not published(workshop.details).published:
        response.headers["Cache-Control"] = "no-store"
    return response


def _answer(request: Request, workshop: WorkshopInfo) -> JSONResponse:
    data: dict[str, Any] = published(workshop.details).data()
    data["url"] = page_url(request, workshop.id)
    data["qr"] = f"/heard/{workshop.id}/qr.svg"
    return JSONResponse(data)


async def heard_settings(request: Request) -> Response:
    """`GET /api/workshops/{id}/heard`: whether it is published, the next steps, the link."""
    _, workshop = await guards.facilitator(request)
    return _answer(request, workshop)


async def set_heard(request: Request) -> Response:
    """`PUT /api/workshops/{id}/heard`: publish (or withdraw) the page and write what happens
    next. Publishing again keeps the first publication's time."""
    _, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, HeardRequest)
    before = published(workshop.details)
    steps = body.next_steps
    stored = {
        "published": body.published,
        "next_steps": (
            {"en": steps.en.strip(), "cy": (steps.cy or "").strip() or None}
            if steps is not None
            else {"en": before.next_steps.en, "cy": before.next_steps.cy}
        ),
        "published_at": before.published_at or (guards.now() if body.published else None),
    }
    services = guards.services(request)
    await update_details(services.database, workshop.id, {HEARD_DETAIL: stored})
    changed = await services.directory.workshop(workshop.id)
    if changed is None:
        raise guards.refusal(ProtocolError(ErrorCode.NOT_FOUND, "", "the workshop was deleted"))
    return _answer(request, changed)


__all__ = ["heard_page", "heard_qr", "heard_settings", "set_heard"]
