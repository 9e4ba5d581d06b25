"""HTML pages. Each renders a template whose data travels in a JSON block for the page's one
ES module entry (no inline script: the CSP forbids it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from board import i18n
from board.app import guards
from board.core.limits import as_config
from board.core.protocol import PROTOCOL_VERSION
from board.services.credentials import digest, format_join_code
from board.services.names import allowed as names_allowed
from board.services.record import workshop_taxonomy

LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
"""A language chosen with the switch is remembered for a year."""


def language(request: Request) -> i18n.Language:
    return i18n.choose_language(request.cookies.get(i18n.COOKIE), request.headers.get("accept-language"))


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    status_code: int = 200,
    lang: i18n.Language | None = None,
) -> Response:
    """A page in the request's language (or `lang`): templates get `t` and `lang`, the page's
    script gets the catalogue in its config block."""
    lang = lang or language(request)
    config = {**context.get("config", {}), "lang": lang, "strings": i18n.strings(lang)}

    def t(key: str, **values: object) -> str:
        return i18n.translate(lang, key, **values)

    page = {
        **context,
        "config": config,
        "lang": lang,
        "t": t,
        "languages": i18n.LANGUAGE_NAMES,
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    }
    return guards.services(request).templates.TemplateResponse(
        request, template, page, status_code=status_code
    )


def not_found(request: Request) -> Response:
    """The home page, saying that what was asked for is not here (404)."""
    return render(request, "home.html", {"config": {"page": "home"}, "not_found": True}, 404)


def _local_path(target: str) -> str:
    """Where to go back to after choosing a language: a path on this site, never elsewhere."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


async def set_language(request: Request) -> Response:
    """The language switch on every page: remember the choice, go back where the person was."""
    chosen = request.path_params["lang"]
    response = RedirectResponse(_local_path(request.query_params.get("next", "/")), status_code=303)
    if chosen in i18n.LANGUAGES:
        set_language_cookie(response, chosen, guards.services(request).settings.secure_cookies)
    return response


def set_language_cookie(response: Response, lang: str, secure: bool) -> None:
    """Remember a language chosen with a switch."""
    response.set_cookie(i18n.COOKIE, lang, max_age=LANGUAGE_COOKIE_AGE, samesite="lax", secure=secure)


FAVICON = Path(__file__).resolve().parents[2] / "static" / "icons" / "favicon.ico"
ICON_CACHE = {"Cache-Control": "public, max-age=86400"}


async def favicon(request: Request) -> Response:
    """Browsers ask for /favicon.ico on every site whatever the page links: answer it, so no
    page load logs a 404, and let it be cached for a day."""
    return FileResponse(FAVICON, media_type="image/x-icon", headers=ICON_CACHE)


async def home(request: Request) -> Response:
    return render(request, "home.html", {"config": {"page": "home"}})


async def facilitate_page(request: Request) -> Response:
    """The facilitator link carries the key after '#', which browsers never send to a server:
    the page's script posts it once to exchange it for a session cookie."""
    workshop = await guards.services(request).directory.workshop(request.path_params["workshop_id"])
    if workshop is None:
        return not_found(request)
    return render(
        request,
        "facilitate.html",
        {
            "workshop": workshop,
            "config": {
                "page": "facilitate",
                "workshop": workshop.id,
                "board": workshop.main_board.id,
            },
        },
    )


async def board_page(request: Request) -> Response:
    services = guards.services(request)
    board_id = request.path_params["board_id"]
    located = await services.directory.board_workshop(board_id)
    token = services.sessions.token_for(request, located[0]) if located else None
    member = await services.directory.member(digest(token)) if token else None
    if located is None or member is None:
        return not_found(request)
    workshop = await services.directory.workshop(located[0])
    assert workshop is not None
    config = {
        "page": "board",
        "protocol": PROTOCOL_VERSION,
        "board": board_id,
        "number": located[1],
        "workshop": {
            "id": workshop.id,
            "title": workshop.title,
            "code": format_join_code(workshop.join_code),
        },
        "boards": [{"id": b.id, "number": b.number} for b in workshop.boards],
        "role": member.role,
        "names_allowed": names_allowed(workshop),
        "limits": as_config(),
        "categories": {
            category.key: category.label.text(language(request))
            for category in workshop_taxonomy(workshop).categories
        },
        "category_descriptions": {
            category.key: category.description.text(language(request))
            for category in workshop_taxonomy(workshop).categories
        },
    }
    return render(request, "board.html", {"workshop": workshop, "number": located[1], "config": config})
