"""Every route, as a declared list. The board's websocket, `/ws`, is served in front of them
(`main.SocketFirst`), around the middleware and routing its idle sockets need not hold."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from board.app import (
    api,
    categories,
    duplicates,
    facilitation,
    groups,
    heard,
    names,
    pages,
    purpose,
    record,
    withdrawal,
)
from board.app.poll import routes as poll_routes

STATIC = Path(__file__).resolve().parents[2] / "static"

routes = [
    Route("/", pages.home),
    Route("/join", purpose.join_page),
    Route("/j/{code}", purpose.join_page, methods=["GET"]),
    Route("/j/{code}", purpose.join_submit, methods=["POST"]),
    Route("/w/{workshop_id}/facilitate", pages.facilitate_page),
    Route("/b/{board_id}", pages.board_page),
    Route("/lang/{lang}", pages.set_language),
    Route("/api/workshops", api.create, methods=["POST"]),
    Route("/api/join", api.join_by_code, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/facilitate", api.become_facilitator, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/withdraw", api.withdraw_mine, methods=["POST"]),
    Route("/api/workshops/{workshop_id}", api.delete, methods=["DELETE"]),
    Route("/api/workshops/{workshop_id}/export.{format}", record.export, methods=["GET"]),
    Route("/api/workshops/{workshop_id}/categories", categories.categories, methods=["GET"]),
    Route("/api/workshops/{workshop_id}/categories/accept", categories.accept_suggestions, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/categories/columns", categories.add_columns, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/taxonomy", categories.taxonomy, methods=["GET"]),
    Route("/api/workshops/{workshop_id}/taxonomy", categories.choose_taxonomy, methods=["PUT"]),
    Route("/api/workshops/{workshop_id}/duplicates", duplicates.duplicates, methods=["GET"]),
    Route("/api/workshops/{workshop_id}/duplicates/merge", duplicates.merge_duplicates, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/groups", groups.groups, methods=["GET"]),
    Route("/withdraw", withdrawal.withdraw_page),
    Route("/api/withdrawal", withdrawal.withdrawal, methods=["POST"]),
    Route("/api/withdrawal/withdraw", withdrawal.withdraw_items, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/purpose", purpose.purpose_settings, methods=["GET"]),
    Route("/api/workshops/{workshop_id}/purpose", purpose.set_purpose, methods=["PUT"]),
    Route("/api/workshops/{workshop_id}/retention", purpose.set_retention, methods=["PUT"]),
    Route("/heard/{workshop_id}", heard.heard_page),
    Route("/heard/{workshop_id}/qr.svg", heard.heard_qr),
    Route("/api/workshops/{workshop_id}/heard", heard.heard_settings, methods=["GET"]),
    Route("/api/workshops/{workshop_id}/heard", heard.set_heard, methods=["PUT"]),
    Route("/new", facilitation.new_workshop_page),
    Route("/w/{workshop_id}/dashboard", facilitation.dashboard_page),
    Route("/w/{workshop_id}/gallery", facilitation.gallery_page),
    Route("/w/{workshop_id}/present", facilitation.presenter_page),
    Route("/api/templates", facilitation.list_templates, methods=["GET"]),
    Route("/api/templates/{key}/workshops", facilitation.create_from, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/present", facilitation.who_is_present, methods=["GET"]),
    Route("/api/workshops/{workshop_id}/breakouts", facilitation.open_boards, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/allocate", facilitation.allocate_people, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/move", facilitation.move_person, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/back", facilitation.bring_back, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/pull", facilitation.pull, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/boards/settings", facilitation.settings_for_boards, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/boards/timer", facilitation.timer_for_boards, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/message", facilitation.message, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/close", facilitation.close, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/where", facilitation.where_am_i, methods=["GET"]),
    Route("/api/workshops/{workshop_id}/presenter", facilitation.presenter, methods=["GET"]),
    Route("/api/workshops/{workshop_id}/presenter", facilitation.switch_presenter_to, methods=["POST"]),
    Route("/api/workshops/{workshop_id}/qr.svg", facilitation.join_qr, methods=["GET"]),
    *poll_routes,
    Route("/api/workshops/{workshop_id}/names", names.set_names_allowed, methods=["PUT"]),
    Route("/api/workshops/{workshop_id}/me/name", names.choose_name, methods=["PUT"]),
    Route("/healthz", api.health),
    Route("/favicon.ico", pages.favicon),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]
