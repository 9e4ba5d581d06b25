"""Browser helpers for tests of the pages: a server shared by one test module, workshops that
keep their facilitator key, and people each opening a board in a browser context of their own
(their own cookies, storage and network), as participants or facilitators.

A test module shares one server with `board_server = module_server()`, and each test makes
its own workshop on it, so tests stay independent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest

from board.settings import ServerSettings
from tests.conftest import ARTIFACTS, RunningServer, free_port, migrate, start_server

WAIT_MS = 10_000
"""How long a browser-side wait may take before the test fails (never a sleep)."""
SCREENSHOTS = ARTIFACTS / "browser"


def module_server() -> Any:
    """A fixture giving one real server (uvicorn, SQLite, in-process broker) to every test of
    a module: `board_server = module_server()` at the top of the module."""

    @pytest.fixture(scope="module", name="board_server")
    def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
        database = tmp_path_factory.mktemp("board-server") / "board.db"
        url = f"sqlite+aiosqlite:///{database}"
        migrate(url)
        running = start_server(
            ServerSettings(
                database_url=url,
                broker_url="memory://",
                host="127.0.0.1",
                port=free_port(),
                secret_key="test-secret-key",
            )
        )
        yield running
        running.stop()

    return shared


@dataclass
class OpenWorkshop:
    id: str
    join_code: str
    facilitator_key: str
    boards: list[str]
    base_url: str
    facilitator_token: str = ""

    @property
    def main(self) -> str:
        return self.boards[0]

    @classmethod
    def made(cls, data: dict[str, Any], base_url: str) -> OpenWorkshop:
        """The workshop a `POST` that makes one answered with."""
        return cls(
            data["id"],
            data["join_code"],
            data["facilitator_key"],
            [b["id"] for b in data["boards"]],
            base_url,
            data["token"],
        )


async def new_workshop(base_url: str, title: str = "Browser workshop", breakouts: int = 0) -> OpenWorkshop:
    async with httpx.AsyncClient(base_url=base_url) as http:
        response = await http.post("/api/workshops", json={"title": title, "breakouts": breakouts})
        response.raise_for_status()
        data = response.json()
    return OpenWorkshop.made(data, base_url)


@dataclass
class Person:
    """Someone at a browser: their own context (cookies, localStorage, network) and page."""

    context: Any
    page: Any

    async def close(self) -> None:
        await self.context.close()


async def open_board(
    browser: Any,
    workshop: OpenWorkshop,
    *,
    role: Literal["participant", "facilitator"] = "participant",
    via: Literal["api", "page"] = "api",
    board: str | None = None,
    lang: str = "en",
    online: bool = True,
    wait_ms: int = WAIT_MS,
    **context_options: Any,
) -> Person:
    """A new person on a board. Participants join with the code, over the API (the cookie lands
    in their context) or through the real join page (`via="page"`); facilitators exchange the
    workshop's key. Waits until the board is connected, unless `online` is False; each wait of
    the page may take `wait_ms` (longer where many pages share the machine)."""
    locale = "cy-GB" if lang == "cy" else "en-GB"
    context = await browser.new_context(base_url=workshop.base_url, locale=locale, **context_options)
    context.set_default_timeout(wait_ms)
    page = await context.new_page()
    target = board or workshop.main
    if role == "facilitator":
        answer = await context.request.post(
            f"/api/workshops/{workshop.id}/facilitate", data={"key": workshop.facilitator_key}
        )
        assert answer.ok, await answer.text()
        await page.goto(f"/b/{target}")
    elif via == "page":
        await page.goto(f"/j/{workshop.join_code}")
        await page.get_by_role("button").first.click()
        await page.locator("#to-board").click()  # past the withdrawal code, shown once
        await page.wait_for_url(re.compile(r"/b/"))
        if board and board != workshop.main:
            await page.goto(f"/b/{target}")
    else:
        answer = await context.request.post("/api/join", data={"code": workshop.join_code})
        assert answer.ok, await answer.text()
        await page.goto(f"/b/{target}")
    await wait_ready(page)
    if online:
        await wait_online(page)
    return Person(context, page)


async def wait_ready(page: Any) -> None:
    """The page's script has mounted (`data-phase="ready"` on <html>)."""
    await page.wait_for_function("() => document.documentElement.dataset.phase === 'ready'")


async def wait_online(page: Any) -> None:
    """The board is connected and up to date with the server."""
    await page.wait_for_function("() => document.documentElement.dataset.connection === 'online'")


async def connection_state(page: Any) -> str:
    state: str = await page.get_attribute("#connection", "data-connection")
    return state


async def screenshot(page: Any, name: str) -> Path:
    """Save the page as it ends a scenario, under artifacts/browser/ (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path))
    return path


def note(page: Any, text: str) -> Any:
    """The note showing `text` (a Playwright locator)."""
    return page.locator(".item.note", has=page.locator(".note-text", has_text=text))


async def add_note(page: Any, text: str) -> Any:
    """Add a note from the keyboard (N in the middle of the view), type, finish with Escape."""
    await page.locator("#canvas").focus()
    await page.keyboard.press("n")
    editor = page.locator("textarea.editor")
    await editor.wait_for()
    await editor.fill(text)
    await editor.press("Escape")
    await editor.wait_for(state="detached")
    return note(page, text)


async def object_box(locator: Any) -> dict[str, float]:
    """Where an object is drawn on screen (x, y, width, height in CSS pixels)."""
    box: dict[str, float] | None = await locator.bounding_box()
    assert box is not None, "the object is not drawn"
    return box


async def server_objects(workshop: OpenWorkshop, board: str | None = None) -> dict[str, dict[str, Any]]:
    """The board as a fresh real websocket client is sent it (a participant's snapshot)."""
    from tests.support import BoardClient

    async with httpx.AsyncClient(base_url=workshop.base_url) as http:
        answer = await http.post("/api/join", json={"code": workshop.join_code})
        answer.raise_for_status()
        token: str = answer.json()["token"]
    ws_url = workshop.base_url.replace("http://", "ws://") + "/ws"
    client = await BoardClient(ws_url, board or workshop.main, token).connect()
    try:
        return {oid: obj for oid, obj in client.objects.items() if oid != "__settings__"}
    finally:
        await client.close()


async def draw(page: Any, points: list[tuple[float, float]]) -> None:
    """Press, move through `points` (screen pixels) and release, as a mouse does."""
    await page.mouse.move(*points[0])
    await page.mouse.down()
    for x, y in points[1:]:
        await page.mouse.move(x, y, steps=3)
    await page.mouse.up()


async def canvas_centre(page: Any) -> tuple[float, float]:
    box = await object_box(page.locator("#canvas"))
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


async def facilitator_socket(workshop: OpenWorkshop, board: str | None = None) -> Any:
    """A facilitator's real websocket client on a board (to change settings, send signals)."""
    from tests.support import BoardClient

    ws_url = workshop.base_url.replace("http://", "ws://") + "/ws"
    return await BoardClient(ws_url, board or workshop.main, workshop.facilitator_token).connect()


async def settle(page: Any) -> None:
    """Let the page draw what it has scheduled (two animation frames)."""
    await page.evaluate(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


async def selected(page: Any) -> int:
    """How many objects are marked as selected, once the marks are drawn."""
    await settle(page)
    count: int = await page.locator(".selection-outline:not([hidden])").count()
    return count


async def view_still(page: Any) -> None:
    """The board's view has stopped moving (a glide to fit the board, say, is over): the same
    transform for five animation frames running. A note added by N mid-glide lands where the
    view was, and may be out of sight once it ends."""
    await page.evaluate(
        """() => new Promise((done) => {
            let last = null;
            let same = 0;
            const tick = () => {
              const now = document.getElementById('world').style.transform;
              same = now === last ? same + 1 : 0;
              last = now;
              if (same >= 5) done();
              else requestAnimationFrame(tick);
            };
            tick();
        })"""
    )
