"""The exit poll's HTTP API and its standalone page (issue 6; the work is in `board/services/poll.py`).

Anyone in the workshop reads the poll, answers it, withdraws their own answers and fetches the
cloud as SVG; facilitators open and close it, hide words, and download the PNG and the CSV.
A participant is refused a facilitator's action with 403 `forbidden`, someone not in the
workshop with 401. Changes from another site's page are refused (403), as in `api.py`. Errors
have the API's shape, `{"error": {"code", "field", "message"}}`.
"""

from __future__ import annotations

from typing import Annotated, Final

from msgspec import Meta, Struct
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from board import i18n
from board.app import guards
from board.app.pages import language, not_found, render
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS, as_config
from board.core.model import BoardNumber, ObjectId, PollText, PollWords
from board.core.poll import CSV_MEDIA_TYPE, counts_csv
from board.core.state import Actor
from board.services.poll import MAX_QUESTION, ExitPoll, PollState, mine, new_answer_id
from board.services.record import Format, attachment, export_filename
from board.store.directory import Member, WorkshopInfo

MAX_BODY_BYTES: Final = 4_096
"""Largest body read here: a question in two languages fits with room to spare."""
STATUS: Final = {
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.CONFLICT: 409,
    ErrorCode.READ_ONLY: 409,
    ErrorCode.POLL_CLOSED: 409,
    ErrorCode.TOO_MANY: 429,
}
"""The HTTP status of a refusal, by code; any other code is a bad request (400)."""


def _plain_fields(error: ProtocolError) -> ProtocolError:
    """An answer's field named as the body names it, not by where it sits in the poll's note."""
    return ProtocolError(error.code, error.field.removeprefix("obj.").removeprefix("props."), error.rule)


WORDING: Final = guards.Wording(MAX_BODY_BYTES, STATUS, _plain_fields)
"""How the poll's routes read bodies and word refusals: as others, but a closed poll is a
conflict (409) and one answer too many is 429."""
CLOUD_CACHE: Final = "private, max-age=31536000, immutable"
"""A cloud's URL names its version (`?v=`): the same URL is always the same picture."""

QuestionText = Annotated[str, Meta(max_length=MAX_QUESTION)]


class Question(Struct, forbid_unknown_fields=True):
    en: QuestionText = ""
    cy: QuestionText = ""


class PollSettings(Struct, forbid_unknown_fields=True):
    open: bool | None = None
    words: PollWords | None = None
    question: Question | None = None


class NewAnswer(Struct, forbid_unknown_fields=True):
    text: PollText
    id: ObjectId | None = None
    board: BoardNumber | None = None
    """The number of the board the answer is given on; left out on the poll's own page."""


class HideWord(Struct, forbid_unknown_fields=True):
    word: Annotated[str, Meta(min_length=1, max_length=LIMITS.max_poll_text)]
    hidden: bool = True


def exit_poll(request: Request) -> ExitPoll:
    return guards.services(request).exit_poll


def _filename(workshop: WorkshopInfo, what: str, extension: str) -> str:
    """`title-what-date.ext` in safe characters, as the record's downloads are named."""
    stem = export_filename(f"{workshop.title} {what}", workshop.created_at, Format.CSV).removesuffix(".csv")
    return f"{stem}.{extension}"


def _actor(member: Member) -> Actor:
    return Actor(member.id, facilitator=member.facilitator)


async def _answer(request: Request, member: Member, workshop: WorkshopInfo) -> JSONResponse:
    """The poll as this person may see it, with their own answers."""
    poll, board = await exit_poll(request).state(workshop)
    data = poll.for_facilitator() if member.facilitator else poll.public()
    return JSONResponse({**data, "mine": mine(board, member.id), "role": member.role})


# --- reading ------------------------------------------------------------------------------------


async def poll_state(request: Request) -> Response:
    """`GET /api/workshops/{id}/poll[?after=version]`: the poll now; with `after`, once it is
    no longer at that version (or after 25 s): a page without a socket keeps up this way."""
    member, workshop = await guards.member(request)
    service = exit_poll(request)
    service.watch(workshop.id)
    after = request.query_params.get("after")
    if after:
        await service.wait_change(workshop.id, after[:64])
        fresh = await service.workshop(workshop.id)
        workshop = fresh or workshop
    return await _answer(request, member, workshop)


async def cloud(request: Request) -> Response:
    """`GET /api/workshops/{id}/poll/cloud.{svg,png}`: the word cloud (PNG: facilitators)."""
    member, workshop = await guards.member(request)
    kind = request.path_params["format"]
    if kind not in ("svg", "png"):
        raise WORDING.refusal(ProtocolError(ErrorCode.NOT_FOUND, "format", "the cloud comes as svg or png"))
    if kind == "png":
        guards.facilitators_only(member)
    lang = request.query_params.get("lang")
    chosen: i18n.Language = lang if lang in i18n.LANGUAGES else language(request)
    poll, _ = await exit_poll(request).state(workshop)
    body = await exit_poll(request).picture(poll, kind, chosen)
    headers = {"Cache-Control": CLOUD_CACHE if request.query_params.get("v") == poll.cloud else "no-store"}
    if request.query_params.get("download"):
        headers["Content-Disposition"] = attachment(_filename(workshop, "word cloud", kind))
    return Response(body, media_type="image/svg+xml" if kind == "svg" else "image/png", headers=headers)


async def counts(request: Request) -> Response:
    """`GET /api/workshops/{id}/poll/counts.csv`: the cloud's words and counts (facilitators)."""
    member, workshop = await guards.member(request)
    guards.facilitators_only(member)
    poll, _ = await exit_poll(request).state(workshop)
    return Response(
        counts_csv(poll.tally.shown),
        media_type=CSV_MEDIA_TYPE,
        headers={
            "Content-Disposition": attachment(_filename(workshop, "exit poll", "csv")),
            "Cache-Control": "no-store",
        },
    )


# --- answering ----------------------------------------------------------------------------------


async def add_answer(request: Request) -> Response:
    """`POST /api/workshops/{id}/poll/entries {"text", "id"?, "board"?}`: 201 with the answer,
    or the refusal (`not_one_or_two_words`, `poll_closed` 409, `too_many` 429, `too_long`, a
    `board` the workshop does not have...)."""
    member, workshop = await guards.member(request, changing=True)
    body = await WORDING.read(request, NewAnswer)
    made = await exit_poll(request).answer(
        workshop, _actor(member), body.id or new_answer_id(), body.text, board=body.board
    )
    if isinstance(made, ProtocolError):
        raise WORDING.refusal(made)
    return JSONResponse({"id": made.id, "text": made.text}, status_code=201)


async def withdraw_answer(request: Request) -> Response:
    """`DELETE /api/workshops/{id}/poll/entries/{entry_id}`: 204; 404 if it is not yours."""
    member, workshop = await guards.member(request, changing=True)
    refused = await exit_poll(request).withdraw(workshop, _actor(member), request.path_params["entry_id"])
    if refused is not None:
        raise WORDING.refusal(refused)
    return Response(status_code=204)


# --- facilitating -------------------------------------------------------------------------------


async def configure(request: Request) -> Response:
    """`PUT /api/workshops/{id}/poll {"open"?, "words"?, "question"?: {"en", "cy"}}`."""
    member, workshop = await guards.member(request, changing=True)
    guards.facilitators_only(member)
    body = await WORDING.read(request, PollSettings)
    question = None
    if body.question is not None:
        question = {"en": body.question.en.strip(), "cy": body.question.cy.strip()}
        question = {lang: text for lang, text in question.items() if text}
    service = exit_poll(request)
    refusal = await service.configure(
        workshop, _actor(member), open=body.open, words=body.words, question=question
    )
    if refusal is not None:
        raise WORDING.refusal(refusal)
    return await _answer(request, member, await service.workshop(workshop.id, fresh=True) or workshop)


async def hide_word(request: Request) -> Response:
    """`PUT /api/workshops/{id}/poll/hidden {"word", "hidden": true|false}`."""
    member, workshop = await guards.member(request, changing=True)
    guards.facilitators_only(member)
    body = await WORDING.read(request, HideWord)
    service = exit_poll(request)
    refusal = await service.hide(workshop, body.word, body.hidden)
    if refusal is not None:
        raise WORDING.refusal(refusal)
    return await _answer(request, member, await service.workshop(workshop.id, fresh=True) or workshop)


# --- the standalone page ------------------------------------------------------------------------


async def poll_page(request: Request) -> Response:
    """`/w/{id}/poll`: the poll panel on a page of its own, for anyone in the workshop."""
    services = guards.services(request)
    workshop = await services.directory.workshop(request.path_params["workshop_id"])
    member = await guards.who_asks(request, workshop.id) if workshop is not None else None
    if workshop is None or member is None:
        return not_found(request)
    poll: PollState
    poll, board = await exit_poll(request).state(workshop)
    initial = poll.for_facilitator() if member.facilitator else poll.public()
    config = {
        "page": "poll",
        "workshop": {"id": workshop.id, "title": workshop.title},
        "board": workshop.main_board.id,
        "role": member.role,
        "limits": as_config(),
        "poll": {**initial, "mine": mine(board, member.id), "role": member.role},
    }
    return render(request, "poll.html", {"workshop": workshop, "config": config})


routes = [
    Route("/w/{workshop_id}/poll", poll_page),
    Route("/api/workshops/{workshop_id}/poll", poll_state, methods=["GET"]),
    Route("/api/workshops/{workshop_id}/poll", configure, methods=["PUT"]),
    Route("/api/workshops/{workshop_id}/poll/entries", add_answer, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/poll/entries/{entry_id}", withdraw_answer, methods=["DELETE"]),
    Route("/api/workshops/{workshop_id}/poll/hidden", hide_word, methods=["PUT"]),
    Route("/api/workshops/{workshop_id}/poll/cloud.{format}", cloud, methods=["GET"]),
    Route("/api/workshops/{workshop_id}/poll/counts.csv", counts, methods=["GET"]),
]
"""The poll's routes, registered in `routes.py` with one line."""
