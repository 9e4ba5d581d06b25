"""The board's status line through faults of the server's own components (issue 7): the
database dropping every connection for a moment, and Redis dying between server processes.
Each time the person sees "reconnecting", then "online" again, and nothing they did is lost.

The states are recorded in the page as they come (a MutationObserver on the status line), so
a "reconnecting" that lasts a fraction of a second is seen, not raced."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.browser.helpers import add_note, new_workshop, note, open_board, screenshot, server_objects
from tests.conftest import RedisServer, RunningServer

pytestmark = pytest.mark.browser

RECORD_STATES = """() => {
  const line = document.getElementById("connection");
  window.statesSeen = [[line.dataset.connection, line.textContent]];
  new MutationObserver(() => {
    const last = window.statesSeen[window.statesSeen.length - 1];
    const now = [line.dataset.connection, line.textContent];
    if (last[0] !== now[0] || last[1] !== now[1]) window.statesSeen.push(now);
  }).observe(line, { attributes: true, childList: true, characterData: true, subtree: true });
}"""


async def states_seen(page: Any) -> list[tuple[str, str]]:
    return [tuple(state) for state in await page.evaluate("() => window.statesSeen")]


async def set_database_open(database_url: str, open_: bool) -> None:
    """Open or shut the test database to new connections; shutting it also terminates every
    connection it has, as a PostgreSQL restart or failover does."""
    name = database_url.rsplit("/", 1)[1]
    admin = create_async_engine(database_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(open_).lower()}'))
            if not open_:
                await connection.execute(
                    text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                    {"name": name},
                )
    finally:
        await admin.dispose()


async def test_postgres_connections_dropped_show_reconnecting_then_online_with_the_note(
    browser: Any, make_server: Callable[..., RunningServer], postgres_url: str
) -> None:
    server = make_server(database_url=postgres_url)
    workshop = await new_workshop(server.base_url)
    person = await open_board(browser, workshop)
    page = person.page
    try:
        await add_note(page, "before the outage")
        await page.wait_for_function(
            "() => document.getElementById('connection').dataset.connection === 'online'"
        )
        await page.evaluate(RECORD_STATES)
        await set_database_open(postgres_url, False)
        try:
            await add_note(page, "written while the database was away")
            await page.wait_for_function(
                "() => document.getElementById('connection').dataset.connection === 'reconnecting'"
            )
            await asyncio.sleep(0.5)  # a moment more of outage: retries fail meanwhile
        finally:
            await set_database_open(postgres_url, True)
        await page.wait_for_function(
            "() => document.getElementById('connection').dataset.connection === 'online'", timeout=20_000
        )
        await note(page, "written while the database was away").wait_for()
        seen = await states_seen(page)
        assert seen[0][0] == "online"
        assert ("reconnecting", "Reconnecting… 1 change saved on this device meanwhile") in seen
        assert seen[-1] == ("online", "Online: changes are saved")
        texts = {obj.get("text") for obj in (await server_objects(workshop)).values()}
        assert {"before the outage", "written while the database was away"} <= texts
        await screenshot(page, "faults-database-back")
    finally:
        await person.close()


async def test_redis_dying_says_changes_from_others_may_be_delayed_until_it_is_back(
    browser: Any,
    make_server: Callable[..., RunningServer],
    postgres_url: str,
    redis_url: str,
    redis_server: RedisServer,
) -> None:
    """Two servers on one Redis, a person on each. Redis dies: both boards say others' changes
    may be delayed (in the page's language), while a note written on one still reaches the
    other through the database; Redis back, both are plainly online again."""
    servers = [make_server(database_url=postgres_url, broker_url=redis_url) for _ in range(2)]
    workshop = await new_workshop(servers[0].base_url)
    here = await open_board(browser, workshop)
    workshop.base_url = servers[1].base_url
    there = await open_board(browser, workshop, lang="cy")
    pages = [here.page, there.page]
    try:
        for page in pages:
            await page.evaluate(RECORD_STATES)
        redis_server.stop()
        try:
            for page in pages:
                await page.wait_for_function(
                    "() => document.getElementById('connection').dataset.connection === 'reconnecting'"
                )
            assert await here.page.locator("#connection").text_content() == (
                "Reconnecting: changes from others may be delayed. Yours are saved."
            )
            assert await there.page.locator("#connection").text_content() == (
                "Yn ailgysylltu: gallai newidiadau pobl eraill gyrraedd yn hwyr. "
                "Mae eich rhai chi'n cael eu cadw."
            )
            await add_note(here.page, "sent while Redis was down")
            await note(there.page, "sent while Redis was down").wait_for()
            await screenshot(there.page, "faults-redis-down")
        finally:
            redis_server.start()
        for page in pages:
            await page.wait_for_function(
                "() => document.getElementById('connection').dataset.connection === 'online'", timeout=20_000
            )
            seen = await states_seen(page)
            assert [state for state, _ in seen] == ["online", "reconnecting", "online"], seen
    finally:
        await here.close()
        await there.close()
