"""The engagement loop over HTTP (issue 10): purpose and consent at join, the withdrawal code,
and the facilitator's purpose and retention settings (withdrawing with the code is
`withdrawal.py`, "what we heard" is `heard.py`).

Pages:

- `GET /j/{code}` (and `/join?code=`): the workshop's purpose in the person's language, how
  long everything is kept, how to take one's words back, and one button. Nothing is asked.
- `POST /j/{code}`: joins, and shows the withdrawal code once, with the way to the board.
  The code page's language switch posts the code back here with the language wanted: the
  same browser, holding that very code, sees it again in that language (nobody else can).

API (errors in the API's shape, `{"error": {"code", "field", "message"}}`):
`GET|PUT /api/workshops/{id}/purpose`, `PUT /api/workshops/{id}/retention`: facilitators only
(403 for participants, 401 for strangers). Their answer carries the count of withdrawn items
and `boards_seq`, which moves whenever any of the workshop's boards changes: the dashboard
asks every few seconds and refreshes its counts when it moves.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from msgspec import Meta, Struct
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from board import i18n
from board.app import guards
from board.app.auth import same_origin
from board.app.pages import language, not_found, render, set_language_cookie
from board.core.errors import ErrorCode, ProtocolError
from board.core.purpose import (
    MAX_AUDIENCE,
    MAX_CONTACT,
    MAX_STATEMENT,
    Purpose,
    PurposeVersion,
    current,
    version_data,
    versions,
)
from board.core.record import iso_date, iso_utc
from board.core.taxonomies import Bilingual
from board.core.withdrawal import format_code, normalise_code
from board.services.credentials import digest, format_join_code, normalise_join_code
from board.services.purpose import save
from board.services.retention import (
    DAY_MS,
    KEEP_SINCE_DETAIL,
    MAX_KEEP_DAYS,
    PROMISED_DETAIL,
    Retention,
    earliest_promise,
    promise,
    retention,
)
from board.services.withdrawal import WITHDRAW_UNTIL_DETAIL, holder
from board.services.withdrawal import withdraw_until as closes
from board.services.workshops import join
from board.store.details import update_details
from board.store.directory import WorkshopInfo
from board.store.retention import set_keep_until

Date = Annotated[str, Meta(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]


# --- dates -------------------------------------------------------------------------------------------


def last_day(ms: int) -> str:
    """The last whole day something lasts when it ends at `ms` (an end is the start of the
    day after, so "until 19 March" ends at midnight going into the 20th)."""
    return iso_date(ms - 1)


def end_of(day: str) -> int | None:
    """`YYYY-MM-DD` → the moment that day is over (UTC), or None when it is not a real date."""
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        return None
    return int(datetime.combine(parsed + timedelta(days=1), datetime.min.time(), UTC).timestamp() * 1000)


def long_date(day: str, lang: i18n.Language) -> str:
    """`2027-03-19` as people write it: "19 March 2027", "19 Mawrth 2027"."""
    year, month, number = day.split("-")
    return f"{int(number)} {i18n.translate(lang, f'join.month_{int(month)}')} {year}"


# --- joining -------------------------------------------------------------------------------------------


def _bilingual_in(text: Bilingual, lang: i18n.Language) -> tuple[str, str]:
    """A text in the page's language if it has one, else in English: (text, its language)."""
    if lang == "cy" and text.cy:
        return text.cy, "cy"
    return text.en, "en"


def consent(workshop: WorkshopInfo, kept: Retention, lang: i18n.Language) -> dict[str, Any]:
    """What the join page says before anyone joins, in `lang`."""
    version = current(workshop.details, workshop.created_at)
    context: dict[str, Any] = {
        "keep_until": long_date(last_day(kept.keep_until), lang),
        "withdraw_until": long_date(last_day(withdraw_until(workshop, kept)), lang),
        "statement": None,
        "audience": None,
        "contact": "",
    }
    if version is not None:
        context["statement"] = _bilingual_in(version.purpose.statement, lang)
        if version.purpose.audience.en.strip():
            context["audience"] = _bilingual_in(version.purpose.audience, lang)
        context["contact"] = version.purpose.contact
    return context


def withdraw_until(workshop: WorkshopInfo, kept: Retention) -> int:
    """When withdrawing with a code stops for this workshop (ms)."""
    return closes(workshop, kept.keep_until)


async def join_page(request: Request) -> Response:
    """A join link (/j/CODE) or a code typed on the home page (/join?code=...)."""
    services = guards.services(request)
    typed = request.path_params.get("code") or request.query_params.get("code", "")
    code = normalise_join_code(typed)
    address = guards.address(request)
    if code and services.join_limiter.exhausted(address, time.monotonic()):
        return _too_many(request)
    workshop = await services.directory.workshop_by_code(code) if code else None
    if workshop is None and code:
        services.join_limiter.take(address, time.monotonic())
    if workshop is None:
        return render(
            request, "home.html", {"config": {"page": "home"}, "not_found": bool(code)}, 404 if code else 200
        )
    token = services.sessions.token_for(request, workshop.id)
    if token and await services.directory.member(digest(token)):
        return RedirectResponse(f"/b/{workshop.main_board.id}", status_code=303)
    kept = await promise(services.database, workshop.id, services.settings.keep_days)
    if kept is None:  # erased a moment ago
        return not_found(request)
    return render(
        request,
        "join.html",
        {
            "workshop": workshop,
            "code": format_join_code(code),
            "config": {"page": "join"},
            **consent(workshop, kept, language(request)),
        },
    )


async def join_submit(request: Request) -> Response:
    """The one button: join, then see the withdrawal code once. A browser that already
    joined (a reload of this page, say) goes to the board and is shown no second code."""
    services = guards.services(request)
    if not same_origin(request, services.settings.allowed_origins):
        return Response("cross-site request refused", status_code=403)
    code = normalise_join_code(request.path_params["code"])
    workshop = await services.directory.workshop_by_code(code)
    if workshop is None:
        return RedirectResponse("/join?code=" + code, status_code=303)
    token = services.sessions.token_for(request, workshop.id)
    member = await services.directory.member(digest(token)) if token else None
    if member is not None:
        again = await _code_again(request, member.id)
        if again is None:
            return RedirectResponse(f"/b/{workshop.main_board.id}", status_code=303)
        receipt, lang = again
        response = await _code_page(request, workshop, code, receipt, lang)
        set_language_cookie(response, lang, services.settings.secure_cookies)
        return response
    if services.join_limiter.exhausted(guards.address(request), time.monotonic()):
        return _too_many(request)
    admission = await join(services.directory, workshop, now=guards.now())
    response = await _code_page(request, workshop, code, admission.receipt or "", language(request))
    services.sessions.remember(request, response, workshop.id, admission.token)
    return response


async def _code_again(request: Request, member_id: str) -> tuple[str, i18n.Language] | None:
    """The code and language a code page's switch posted, when the code is this very member's:
    the code is stored only hashed, so the page that showed it is the one place that has it."""
    form = await request.form()
    typed, lang = form.get("receipt"), form.get("lang")
    if not isinstance(typed, str) or lang not in i18n.LANGUAGES:
        return None
    normalised = normalise_code(typed)
    held = await holder(guards.services(request).database, normalised) if normalised else None
    if held is None or held.member_id != member_id:
        return None
    return typed, lang


async def _code_page(
    request: Request, workshop: WorkshopInfo, code: str, receipt: str, lang: i18n.Language
) -> Response:
    """The withdrawal code, shown in `lang` with how to keep it and the way to the board."""
    services = guards.services(request)
    kept = await retention(services.database, workshop.id, services.settings.keep_days)
    receipt = format_code(normalise_code(receipt) or "")
    until = long_date(last_day(withdraw_until(workshop, kept)), lang) if kept else ""
    base = services.settings.base_url
    response = render(
        request,
        "join.html",
        {
            "workshop": workshop,
            "code": format_join_code(code),
            "config": {"page": "join"},
            "joined": True,
            "receipt": receipt,
            "spelled": ", ".join(" ".join(group) for group in receipt.split("-")),
            "withdraw_url": f"{base}/withdraw",
            "withdraw_until": until,
            "receipt_file": i18n.translate(
                lang, "join.code_file", title=workshop.title, code=receipt, url=f"{base}/withdraw", date=until
            ),
            "board": workshop.main_board.id,
        },
        lang=lang,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _too_many(request: Request) -> Response:
    return Response(
        i18n.translate(language(request), "home.too_many"), status_code=429, headers={"Retry-After": "60"}
    )


# --- the facilitator's settings --------------------------------------------------------------------------


Statement = Annotated[str, Meta(min_length=1, max_length=MAX_STATEMENT)]
OptionalStatement = Annotated[str, Meta(max_length=MAX_STATEMENT)]
AudienceText = Annotated[str, Meta(max_length=MAX_AUDIENCE)]


class StatementText(Struct, forbid_unknown_fields=True):
    en: Statement
    cy: OptionalStatement | None = None


class AudienceBody(Struct, forbid_unknown_fields=True):
    en: AudienceText = ""
    cy: AudienceText | None = None


class PurposeRequest(Struct, forbid_unknown_fields=True):
    statement: StatementText
    audience: AudienceBody | None = None
    contact: Annotated[str, Meta(max_length=MAX_CONTACT)] = ""


class RetentionRequest(Struct, forbid_unknown_fields=True):
    keep_until: Date
    withdraw_until: Date | None = None


def _blank_to_none(text: str | None) -> str | None:
    return text if text is not None and text.strip() else None


async def _settings(request: Request, workshop: WorkshopInfo) -> JSONResponse:
    services = guards.services(request)
    kept = await retention(services.database, workshop.id, services.settings.keep_days)
    found = versions(workshop.details, workshop.created_at)
    cutoff = workshop.details.get(WITHDRAW_UNTIL_DETAIL)
    promised = await earliest_promise(services.database, workshop, kept) if kept else None
    return JSONResponse(
        {
            "purpose": _version(found[-1]) if found else None,
            "versions": [_version(v) for v in found],
            "keep_until": last_day(kept.keep_until) if kept else None,
            "withdraw_until": last_day(cutoff) if isinstance(cutoff, int) else None,
            "promised_until": last_day(promised) if promised is not None else None,
            "withdrawn": kept.withdrawn if kept else 0,
            "boards_seq": await guards.services(request).directory.boards_seq(workshop.id),
        }
    )


def _version(version: PurposeVersion) -> dict[str, Any]:
    return {"version": version.number, **version_data(version), "since": iso_utc(version.since)}


async def purpose_settings(request: Request) -> Response:
    """`GET /api/workshops/{id}/purpose`: the purpose, its versions, the retention dates."""
    _, workshop = await guards.facilitator(request)
    return await _settings(request, workshop)


async def set_purpose(request: Request) -> Response:
    """`PUT /api/workshops/{id}/purpose`: a new version of the purpose statement."""
    _, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, PurposeRequest)
    if not body.statement.en.strip():
        raise guards.refusal(ProtocolError(ErrorCode.TOO_SHORT, "statement.en", "must not be blank"))
    audience = body.audience or AudienceBody()
    purpose = Purpose(
        Bilingual(body.statement.en.strip(), _blank_to_none(body.statement.cy)),
        Bilingual(audience.en.strip(), _blank_to_none(audience.cy)),
        body.contact.strip(),
    )
    services = guards.services(request)
    saved = await save(services.database, workshop.id, purpose, guards.now())
    if isinstance(saved, ProtocolError):
        raise guards.refusal(saved)
    changed = await services.directory.workshop(workshop.id) if saved is not None else None
    if changed is None:
        raise guards.refusal(ProtocolError(ErrorCode.NOT_FOUND, "", "the workshop was deleted"))
    return await _settings(request, changed)


async def set_retention(request: Request) -> Response:
    """`PUT /api/workshops/{id}/retention {"keep_until", "withdraw_until"}`, dates as
    `YYYY-MM-DD`, each lasting to the end of that day (UTC)."""
    _, workshop = await guards.facilitator(request, changing=True)
    body = await guards.read(request, RetentionRequest)
    now = guards.now()
    keep = end_of(body.keep_until)
    if keep is None:
        raise guards.refusal(
            ProtocolError(ErrorCode.BAD_VALUE, "keep_until", "must be a real date, YYYY-MM-DD")
        )
    if keep <= now:
        raise guards.refusal(ProtocolError(ErrorCode.OUT_OF_RANGE, "keep_until", "must be today or later"))
    if keep > now + (MAX_KEEP_DAYS + 1) * DAY_MS:
        rule = f"must be at most {MAX_KEEP_DAYS} days from today"
        raise guards.refusal(ProtocolError(ErrorCode.OUT_OF_RANGE, "keep_until", rule))
    services = guards.services(request)
    kept = await retention(services.database, workshop.id, services.settings.keep_days)
    if kept is None:
        raise guards.refusal(ProtocolError(ErrorCode.NOT_FOUND, "", "the workshop was deleted"))
    promised = await earliest_promise(services.database, workshop, kept)
    if promised is not None and keep > promised:
        rule = (
            f"must be no later than {last_day(promised)}: people who joined were told everything"
            " is erased by then (an earlier date is fine)"
        )
        raise guards.refusal(ProtocolError(ErrorCode.OUT_OF_RANGE, "keep_until", rule))
    cutoff = None
    if body.withdraw_until is not None:
        cutoff = end_of(body.withdraw_until)
        if cutoff is None:
            rule = "must be a real date, YYYY-MM-DD"
            raise guards.refusal(ProtocolError(ErrorCode.BAD_VALUE, "withdraw_until", rule))
        if cutoff <= now:
            rule = "must be today or later: a cut-off in the past would end withdrawal at once"
            raise guards.refusal(ProtocolError(ErrorCode.OUT_OF_RANGE, "withdraw_until", rule))
        if cutoff > keep:
            rule = "must be no later than keep_until: nothing is left to withdraw after that"
            raise guards.refusal(ProtocolError(ErrorCode.OUT_OF_RANGE, "withdraw_until", rule))
    await set_keep_until(services.database, workshop.id, keep)
    changes = {WITHDRAW_UNTIL_DETAIL: cutoff, PROMISED_DETAIL: promised, KEEP_SINCE_DETAIL: now}
    await update_details(services.database, workshop.id, changes)
    changed = await services.directory.workshop(workshop.id)
    if changed is None:
        raise guards.refusal(ProtocolError(ErrorCode.NOT_FOUND, "", "the workshop was deleted"))
    return await _settings(request, changed)


__all__ = [
    "end_of",
    "join_page",
    "join_submit",
    "last_day",
    "long_date",
    "purpose_settings",
    "set_purpose",
    "set_retention",
    "withdraw_until",
]
