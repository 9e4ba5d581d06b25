"""The facilitator's HTTP routes (issue 4) and the dashboard pages.

Every route that acts on a workshop is for its facilitators: a participant is refused with 403
and an error naming the rule, someone who has not joined with 401; changes (`POST`) are
refused from another site's page (403). The one exception is `GET .../where`, which any member
asks to learn which board they should be on. Errors have the API's shape,
`{"error": {"code", "field", "message"}}`. The work is in `board/services/facilitation.py`; the handlers
authenticate, decode and answer.

| route | what |
|---|---|
| `GET /api/templates` | the templates in `sessions/`, and the problems of any that do not check out |
| `POST /api/templates/{key}/workshops` | a new workshop made from a template |
| `GET /api/workshops/{id}/present` | who is on the boards now |
| `POST /api/workshops/{id}/breakouts` | open breakout boards 1..N |
| `POST /api/workshops/{id}/allocate` | allocate the people present to breakout boards |
| `POST /api/workshops/{id}/move` | send one person to a board |
| `POST /api/workshops/{id}/back` | everyone (on the chosen boards) back to the main board |
| `POST /api/workshops/{id}/pull` | copy breakout notes into frames on the main board |
| `POST /api/workshops/{id}/boards/settings` | change settings on many boards at once |
| `POST /api/workshops/{id}/boards/timer` | run the timer on many boards at once |
| `POST /api/workshops/{id}/message` | a message to everyone on the chosen boards |
| `POST /api/workshops/{id}/close` | close every board |
| `GET /api/workshops/{id}/where` | the board the asker was sent to, if anyone sent them |
| `GET`, `POST /api/workshops/{id}/presenter` | what the presenter screens show; show something else |
| `GET /api/workshops/{id}/qr.svg` | the join link as a QR code |
| `GET /w/{id}/gallery`, `GET /w/{id}/present` | the pages: the live gallery; the presenter screen |
"""

from __future__ import annotations

import io
import random
import secrets
from typing import Annotated, Any, Final, Literal

import segno
from msgspec import Meta, Struct
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from board.app import guards
from board.app.api import created_response
from board.app.pages import language, not_found, render
from board.core import breakout
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.model import SettingsPatch
from board.core.ops import ChangeSettings, ChangeTimer
from board.core.plan import Plan, words
from board.core.protocol import PROTOCOL_VERSION
from board.core.taxonomies import Bilingual
from board.services.credentials import format_join_code
from board.services.facilitation import (
    Outcome,
    allocate,
    change_boards,
    close_workshop,
    create_from_template,
    everyone_back,
    move,
    open_breakouts,
    present,
    presenter_showing,
    pull_into_main,
    send_message,
    switch_presenter,
    where,
    workshop_plan,
)
from board.services.record import Format
from board.services.templates import load, templates
from board.store.directory import WorkshopInfo

QR_SCALE: Final = 8
"""Pixels per QR module in the SVG's own size; it scales to any size on screen."""
QR_BORDER: Final = 4
"""The quiet zone around the code, in modules: the standard asks for 4."""


class FromTemplate(Struct, forbid_unknown_fields=True):
    title: Annotated[str, Meta(min_length=1, max_length=LIMITS.max_title_text)] | None = None
    lang: Literal["en", "cy", "both"] = "en"
    breakouts: Annotated[int, Meta(ge=0, le=LIMITS.max_boards)] | None = None


class OpenBreakouts(Struct, forbid_unknown_fields=True):
    boards: Annotated[int, Meta(ge=0, le=LIMITS.max_boards)]


class AllocateRequest(Struct, forbid_unknown_fields=True):
    size: Annotated[int, Meta(ge=breakout.MIN_GROUP_SIZE, le=breakout.MAX_GROUP_SIZE)]
    seed: Annotated[int, Meta(ge=0, le=2**53)] | None = None


class MoveRequest(Struct, forbid_unknown_fields=True):
    person: Annotated[str, Meta(min_length=1, max_length=64)]
    board: Annotated[int, Meta(ge=0, le=LIMITS.max_boards)]


class PullRequest(Struct, forbid_unknown_fields=True):
    boards: (
        Annotated[list[Annotated[int, Meta(ge=1, le=LIMITS.max_boards)]], Meta(max_length=LIMITS.max_boards)]
        | None
    ) = None


class Empty(Struct, forbid_unknown_fields=True):
    pass


BoardNumbers = Annotated[
    list[Annotated[int, Meta(ge=0, le=LIMITS.max_boards)]], Meta(max_length=LIMITS.max_boards + 1)
]
Boards = Literal["breakouts", "main", "all"] | BoardNumbers
"""`"breakouts"`, `"main"`, `"all"`, or a list of board numbers (0 is the main board)."""


class SettingsForBoards(Struct, forbid_unknown_fields=True):
    boards: Boards
    settings: SettingsPatch


class TimerForBoards(Struct, forbid_unknown_fields=True):
    boards: Boards
    timer: ChangeTimer


class BackRequest(Struct, forbid_unknown_fields=True):
    boards: Boards | None = None
    """Whose people come back; everyone's without it."""


class PresenterRequest(Struct, forbid_unknown_fields=True):
    show: Annotated[str, Meta(min_length=1, max_length=16)]


class MessageForBoards(Struct, forbid_unknown_fields=True):
    boards: Boards
    text: str


def _bilingual(text: Bilingual) -> dict[str, str]:
    return {"en": text.en, "cy": text.cy or text.en}


def template_data(plan: Plan) -> dict[str, Any]:
    """A template as the dashboard lists it."""
    return {
        "key": plan.key,
        "title": _bilingual(plan.title),
        "purpose": _bilingual(plan.purpose),
        "breakouts": plan.breakouts,
        "group_size": plan.group_size,
        "taxonomy": _bilingual(plan.taxonomy.name),
        "languages": list(plan.languages),
        "agenda": [
            {"title": _bilingual(step.title), "minutes": step.minutes, "where": step.where}
            for step in plan.agenda
        ],
    }


# --- templates and creating from one ---------------------------------------------------------


async def list_templates(request: Request) -> Response:
    """`GET /api/templates`: those that check out, and every problem of those that do not."""
    found = templates()
    return JSONResponse(
        {
            "templates": [template_data(plan) for plan in found.plans.values()],
            "invalid": [
                {"key": key, "problems": [str(problem) for problem in invalid.problems]}
                for key, invalid in found.invalid.items()
            ],
        }
    )


async def create_from(request: Request) -> Response:
    """`POST /api/templates/{key}/workshops {"title"?, "lang"?, "breakouts"?}`: answered like
    `POST /api/workshops`, the facilitator key shown this once."""
    guards.may_create(request)
    guards.same_site(request)
    body = await guards.read(request, FromTemplate)
    key = request.path_params["key"]
    plan = load(key)
    if plan is None:
        raise guards.refusal(ProtocolError(ErrorCode.NOT_FOUND, "template", f"there is no template '{key}'"))
    if not isinstance(plan, Plan):
        raise guards.refusal(ProtocolError(ErrorCode.BAD_VALUE, "template", str(plan)))
    services = guards.services(request)
    created = await create_from_template(
        services.directory,
        services.hub,
        plan,
        now=guards.now(),
        lang=body.lang,
        title=body.title,
        breakouts=body.breakouts,
    )
    return await created_response(request, created)


# --- breakouts --------------------------------------------------------------------------------


def _boards(workshop: WorkshopInfo) -> list[dict[str, Any]]:
    return [{"id": board.id, "number": board.number} for board in workshop.boards]


async def who_is_present(request: Request) -> Response:
    """`GET /api/workshops/{id}/present`."""
    _, workshop = await guards.facilitator(request)
    return JSONResponse(
        {**(await present(guards.services(request).hub, workshop)).data(), "all_boards": _boards(workshop)}
    )


async def open_boards(request: Request) -> Response:
    """`POST /api/workshops/{id}/breakouts {"boards": N}`."""
    _, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, OpenBreakouts)
    services = guards.services(request)
    opened = await open_breakouts(services.hub, services.directory, workshop, body.boards)
    if isinstance(opened, ProtocolError):
        raise guards.refusal(opened)
    return JSONResponse({"boards": _boards(opened)})


async def allocate_people(request: Request) -> Response:
    """`POST /api/workshops/{id}/allocate {"size": 2, "seed"?: n}`."""
    _, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, AllocateRequest)
    seed = body.seed if body.seed is not None else secrets.randbits(32)
    services = guards.services(request)
    done = await allocate(services.hub, services.directory, workshop, body.size, random.Random(seed))
    if isinstance(done, ProtocolError):
        raise guards.refusal(done)
    return JSONResponse({**done.data(), "seed": seed})


async def move_person(request: Request) -> Response:
    """`POST /api/workshops/{id}/move {"person": cid, "board": N}`."""
    _, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, MoveRequest)
    services = guards.services(request)
    moved = await move(services.hub, services.directory, workshop, body.person, body.board)
    if isinstance(moved, ProtocolError):
        raise guards.refusal(moved)
    return JSONResponse({"person": moved.cid, "name": moved.name, "board": moved.board})


async def bring_back(request: Request) -> Response:
    """`POST /api/workshops/{id}/back {"boards"?: [1, 2]}`: without `boards`, everyone."""
    _, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, BackRequest)
    services = guards.services(request)
    back = await everyone_back(services.hub, services.directory, workshop, body.boards)
    if isinstance(back, ProtocolError):
        raise guards.refusal(back)
    return JSONResponse(
        {
            "board": workshop.main_board.id,
            "moved": back.moved,
            "boards": [board.number for board in back.boards],
        }
    )


async def pull(request: Request) -> Response:
    """`POST /api/workshops/{id}/pull {"boards"?: [1, 2]}`."""
    _, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, PullRequest)
    services = guards.services(request)
    pulled = await pull_into_main(services.hub, services.oplog, workshop, body.boards)
    if isinstance(pulled, ProtocolError):
        raise guards.refusal(pulled)
    return JSONResponse({"pulled": {str(number): count for number, count in pulled.items()}})


def _outcomes(outcomes: list[Outcome] | ProtocolError) -> Response:
    if isinstance(outcomes, ProtocolError):
        raise guards.refusal(outcomes)
    return JSONResponse({"boards": [outcome.data() for outcome in outcomes]})


async def settings_for_boards(request: Request) -> Response:
    """`POST /api/workshops/{id}/boards/settings {"boards": "breakouts", "settings": {...}}`."""
    member, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, SettingsForBoards)
    op = ChangeSettings(props=body.settings)
    return _outcomes(await change_boards(guards.services(request).hub, workshop, member, body.boards, op))


async def timer_for_boards(request: Request) -> Response:
    """`POST /api/workshops/{id}/boards/timer {"boards": "breakouts", "timer": {"action", "ms"?}}`."""
    member, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, TimerForBoards)
    return _outcomes(
        await change_boards(guards.services(request).hub, workshop, member, body.boards, body.timer)
    )


async def message(request: Request) -> Response:
    """`POST /api/workshops/{id}/message {"boards": "all", "text": "2 minutes left"}`."""
    _, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, MessageForBoards)
    sent = await send_message(guards.services(request).hub, workshop, body.boards, body.text)
    if isinstance(sent, ProtocolError):
        raise guards.refusal(sent)
    return JSONResponse(
        {"boards": [{"board": board.id, "number": board.number, "sent": True} for board in sent]}
    )


async def presenter(request: Request) -> Response:
    """`GET /api/workshops/{id}/presenter`: what the presenter screens were last told to show
    (`null`: nothing yet), for a screen that opens now."""
    _, workshop = await guards.facilitator(request)
    return JSONResponse({"show": presenter_showing(guards.services(request).hub, workshop)})


async def switch_presenter_to(request: Request) -> Response:
    """`POST /api/workshops/{id}/presenter {"show": "gallery"}`: every presenter screen of the
    workshop, on any computer, shows it."""
    _, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, PresenterRequest)
    shown = await switch_presenter(guards.services(request).hub, workshop, body.show)
    if isinstance(shown, ProtocolError):
        raise guards.refusal(shown)
    return JSONResponse({"show": shown})


async def close(request: Request) -> Response:
    """`POST /api/workshops/{id}/close`."""
    member, workshop = await guards.facilitator(request, changing=True)
    await guards.read(request, Empty)  # no body, or an empty object: nothing else
    services = guards.services(request)
    closed_at = await close_workshop(services.hub, services.directory, workshop, member, guards.now())
    return JSONResponse({"closed_at": closed_at})


async def where_am_i(request: Request) -> Response:
    """`GET /api/workshops/{id}/where`: for any member, the board they were sent to, or nulls
    when nobody sent them anywhere (they stay on the board they opened)."""
    member, workshop = await guards.member(request)
    board = where(workshop, member)
    if board is None:
        return JSONResponse({"board": None, "number": None})
    return JSONResponse({"board": board.id, "number": board.number})


def qr_svg(text: str) -> bytes:
    """`text` as a QR code, an SVG document made here (no service is asked)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(
        out, kind="svg", scale=QR_SCALE, border=QR_BORDER, xmldecl=False, nl=False, title="QR code"
    )
    return out.getvalue()


async def join_qr(request: Request) -> Response:
    """`GET /api/workshops/{id}/qr.svg`: the join link, to show on screen."""
    _, workshop = await guards.facilitator(request)
    url = f"{guards.services(request).settings.base_url}/j/{workshop.join_code}"
    return Response(qr_svg(url), media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


# --- pages ----------------------------------------------------------------------------------------


async def new_workshop_page(request: Request) -> Response:
    """`/new`: make a workshop, blank or from a template."""
    found = templates()
    return render(
        request,
        "dashboard.html",
        {
            "creating": True,
            "config": {
                "page": "dashboard",
                "creating": True,
                "templates": [template_data(plan) for plan in found.plans.values()],
                "admin": bool(guards.services(request).settings.admin_token),
                "max_boards": LIMITS.max_boards,
            },
        },
    )


async def dashboard_page(request: Request) -> Response:
    """`/w/{id}/dashboard`, for the workshop's facilitators: a participant is sent to their
    board, someone who has not joined to the facilitator sign-in."""
    services = guards.services(request)
    workshop = await _for_facilitators(request)
    if isinstance(workshop, Response):
        return workshop
    plan, _ = workshop_plan(workshop)
    base = services.settings.base_url
    config: dict[str, Any] = {
        "page": "dashboard",
        "creating": False,
        "workshop": {
            "id": workshop.id,
            "title": workshop.title,
            "code": format_join_code(workshop.join_code),
            "join_url": f"{base}/j/{workshop.join_code}",
            "closed": workshop.closed_at is not None,
        },
        "boards": _boards(workshop),
        "exports": [fmt.value for fmt in Format],
        "group_size": plan.group_size if plan is not None else 2,
        "max_boards": LIMITS.max_boards,
        "max_message_text": LIMITS.max_message_text,
        "max_vote_budget": LIMITS.max_vote_budget,
        "min_group": breakout.MIN_GROUP_SIZE,
        "max_group": breakout.MAX_GROUP_SIZE,
        "template": template_data(plan) if plan is not None else None,
    }
    agenda = []
    if plan is not None:
        shown = language(request)
        agenda = [
            {
                "title": words(step.title, shown),
                "minutes": step.minutes,
                "prompt": words(step.prompt, shown) if step.prompt else "",
            }
            for step in plan.agenda
        ]
    return render(
        request,
        "dashboard.html",
        {
            "creating": False,
            "workshop": workshop,
            "agenda": agenda,
            "config": config,
            "site": base,
            "downloads": [(fmt.value, f"dashboard.export_{fmt.value}") for fmt in Format],
        },
    )


async def _for_facilitators(request: Request) -> WorkshopInfo | Response:
    """The workshop of a facilitators' page, or where to send whoever else asks: a participant
    to their board, someone who has not joined to the facilitator sign-in, a stranger to 404."""
    workshop_id = request.path_params["workshop_id"]
    workshop = await guards.services(request).directory.workshop(workshop_id)
    if workshop is None:
        return not_found(request)
    member = await guards.who_asks(request, workshop_id)
    if member is None:
        return RedirectResponse(f"/w/{workshop_id}/facilitate", status_code=303)
    if not member.facilitator:
        return RedirectResponse(f"/b/{(where(workshop, member) or workshop.main_board).id}", status_code=303)
    return workshop


def _watching(request: Request, workshop: WorkshopInfo, page: str) -> dict[str, Any]:
    """The config of a page that watches the workshop's boards (the gallery, the presenter)."""
    base = guards.services(request).settings.base_url
    return {
        "page": page,
        "protocol": PROTOCOL_VERSION,
        "workshop": {
            "id": workshop.id,
            "title": workshop.title,
            "code": format_join_code(workshop.join_code),
            "join_url": f"{base}/j/{workshop.join_code}",
        },
        "boards": _boards(workshop),
    }


async def gallery_page(request: Request) -> Response:
    """`/w/{id}/gallery`, for the workshop's facilitators: every breakout board, live."""
    workshop = await _for_facilitators(request)
    if isinstance(workshop, Response):
        return workshop
    return render(
        request, "gallery.html", {"workshop": workshop, "config": _watching(request, workshop, "gallery")}
    )


async def presenter_page(request: Request) -> Response:
    """`/w/{id}/present`, for the workshop's facilitators: the shared screen."""
    workshop = await _for_facilitators(request)
    if isinstance(workshop, Response):
        return workshop
    return render(
        request, "presenter.html", {"workshop": workshop, "config": _watching(request, workshop, "presenter")}
    )
