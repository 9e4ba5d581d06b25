"""The HTTP edge: creating and joining workshops, facilitator keys, health, and the browser
protections (CSP, Origin checks on websockets and on state-changing requests)."""

from __future__ import annotations

import asyncio
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from PIL import Image
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from board.app.guards import FAILED_ATTEMPTS_PER_MINUTE
from board.core.limits import LIMITS, as_config
from tests.conftest import ROOT, RedisServer, RunningServer
from tests.support import BoardClient, browser_ws_headers, create_workshop, join


async def test_creating_a_workshop_gives_a_key_once_and_a_short_code(server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        created = (await http.post("/api/workshops", json={"title": "Cyfarfod ŵyr", "breakouts": 3})).json()
    assert len(created["facilitator_key"]) >= 40, "high entropy"
    assert created["facilitator_url"].endswith("#key=" + created["facilitator_key"]), (
        "the key travels after #"
    )
    assert len(created["join_code"].replace("-", "")) == 8
    assert [b["number"] for b in created["boards"]] == [0, 1, 2, 3]
    assert created["title"] == "Cyfarfod ŵyr"


async def test_a_bad_workshop_request_names_the_field(server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.post("/api/workshops", json={"title": "", "breakouts": 3})
    assert response.status_code == 400
    assert response.json()["error"] == {"code": "too_short", "field": "title", "message": "must not be empty"}


async def test_a_workshop_has_at_most_max_boards_breakout_boards(server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        most = await http.post("/api/workshops", json={"title": "W", "breakouts": LIMITS.max_boards})
        over = await http.post("/api/workshops", json={"title": "W", "breakouts": LIMITS.max_boards + 1})
    assert len(most.json()["boards"]) == LIMITS.max_boards + 1
    assert over.status_code == 400
    assert over.json()["error"] == {
        "code": "out_of_range",
        "field": "breakouts",
        "message": f"must be at most {LIMITS.max_boards}",
    }


async def test_joining_ignores_case_spaces_and_dashes(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    typed = " " + workshop.join_code.lower().replace("-", " - ") + " "
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.post("/api/join", json={"code": typed})
    assert response.status_code == 200
    assert response.json()["board"] == workshop.main
    assert "board_session" in response.cookies


async def test_wrong_codes_are_rate_limited_per_address_but_right_ones_are_not(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        for _ in range(FAILED_ATTEMPTS_PER_MINUTE + 10):
            assert (await http.post("/api/join", json={"code": workshop.join_code})).status_code == 200
        statuses = [
            (await http.post("/api/join", json={"code": "ZZZZ-ZZZZ"})).status_code
            for _ in range(FAILED_ATTEMPTS_PER_MINUTE + 1)
        ]
        assert statuses[:FAILED_ATTEMPTS_PER_MINUTE] == [404] * FAILED_ATTEMPTS_PER_MINUTE
        limited = await http.post("/api/join", json={"code": workshop.join_code})
        await asyncio.sleep(3.2)  # a budget refilling at 20 a minute would let a guess in now
        still = await http.post("/api/join", json={"code": "ZZZZ-ZZZZ"})
    assert statuses[-1] == 429
    assert limited.status_code == 429, "once exhausted, even a right code waits"
    assert limited.headers["retry-after"] == "60"
    assert limited.json()["error"]["code"] == "rate_limited"
    assert still.status_code == 429, "429 for a minute, as docs/protocol.md says"


async def test_behind_the_proxy_a_guesser_cannot_spoof_x_forwarded_for(
    make_server: Callable[..., RunningServer],
) -> None:
    """`board serve --proxy` believes X-Forwarded-For only from BOARD_TRUSTED_PROXIES (here the
    default, 127.0.0.1 and ::1). A guesser on 127.0.0.2 naming a fresh address with every
    wrong code is still one address; nginx (deploy/nginx.conf) sends `$remote_addr` alone, and
    even a proxy that appends to the client's header gives the real address, the last one."""
    server = make_server(proxy=True)
    workshop = await create_workshop(server.base_url)
    wrong = {"code": "ZZZZ-ZZZZ"}
    guesser = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    async with httpx.AsyncClient(base_url=server.base_url, transport=guesser) as http:
        statuses = [
            (
                await http.post("/api/join", json=wrong, headers={"X-Forwarded-For": f"203.0.113.{n}"})
            ).status_code
            for n in range(FAILED_ATTEMPTS_PER_MINUTE + 1)
        ]
        assert statuses == [404] * FAILED_ATTEMPTS_PER_MINUTE + [429]
        spoofed = await http.post(
            "/api/join", json={"code": workshop.join_code}, headers={"X-Forwarded-For": "198.51.100.7"}
        )
        assert spoofed.status_code == 429, "a new address in the header is no new budget"
    async with httpx.AsyncClient(base_url=server.base_url) as proxy:  # from 127.0.0.1: trusted
        for n in range(FAILED_ATTEMPTS_PER_MINUTE + 1):
            answer = await proxy.post(
                "/api/join", json=wrong, headers={"X-Forwarded-For": f"203.0.113.{n}, 192.0.2.1"}
            )
            assert answer.status_code == (404 if n < FAILED_ATTEMPTS_PER_MINUTE else 429), n
        other = await proxy.post("/api/join", json=wrong, headers={"X-Forwarded-For": "192.0.2.2"})
        assert other.status_code == 404, "another client behind the proxy has its own budget"
        direct = await proxy.post("/api/join", json={"code": workshop.join_code})
        assert direct.status_code == 200, "the proxy's own address was never the one counted"


async def test_a_wrong_facilitator_key_is_refused_and_the_right_one_makes_a_facilitator(
    server: RunningServer,
) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        created = (await http.post("/api/workshops", json={"title": "W"})).json()
        wrong = await http.post(f"/api/workshops/{created['id']}/facilitate", json={"key": "guess"})
        right = await http.post(
            f"/api/workshops/{created['id']}/facilitate", json={"key": created["facilitator_key"]}
        )
    assert wrong.status_code == 403
    assert wrong.json()["error"]["code"] == "forbidden"
    client = await BoardClient(server.ws_url, created["boards"][0]["id"], right.json()["token"]).connect()
    assert client.welcome["role"] == "facilitator"
    await client.close()


async def test_facilitator_actions_are_refused_to_participants_over_the_websocket(
    server: RunningServer,
) -> None:
    workshop = await create_workshop(server.base_url)
    participant = await BoardClient(server.ws_url, workshop.main, await join(workshop)).connect()
    for op in (
        {"kind": "settings", "props": {"locked": True}},
        {"kind": "settings", "props": {"private_mode": True}},
        {"kind": "settings", "props": {"votes_shown": True}},
    ):
        await participant.op(op)
    await participant.send({"type": "signal", "kind": "summon", "x": 0, "y": 0, "zoom": 1})
    await participant.wait_error(4)
    refusals = sorted((e["code"], e["field"]) for e in participant.errors)
    assert refusals == [("forbidden", "op.kind")] * 3 + [("forbidden", "type")]
    await participant.close()


async def test_the_browser_cookie_authenticates_the_websocket(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    headers = await browser_ws_headers(workshop)
    async with connect(server.ws_url, additional_headers=headers) as ws:
        await ws.send(json.dumps({"type": "hello", "v": 1, "board": workshop.main}))
        welcome = json.loads(await ws.recv())
    assert (welcome["type"], welcome["role"]) == ("welcome", "participant")


async def test_a_websocket_from_another_site_is_refused_at_the_handshake(server: RunningServer) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(server.ws_url, additional_headers={"Origin": "https://evil.example"}):
            pass
    assert refused.value.response.status_code == 403
    # So is one whose query string holds a forbidden character (paths.py), as over HTTP.
    with pytest.raises(InvalidStatus) as refused:
        async with connect(server.ws_url + "?board=a%00b"):
            pass
    assert refused.value.response.status_code == 403


async def test_a_state_changing_request_from_another_site_is_refused(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.post(
            "/api/join", json={"code": workshop.join_code}, headers={"Origin": "https://evil.example"}
        )
        form = await http.post(f"/j/{workshop.join_code}", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert form.status_code == 403


async def test_pages_carry_a_strict_content_security_policy(server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.get("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_every_page_has_icons_that_are_served(server: RunningServer) -> None:
    """The tab, a phone's home screen and /favicon.ico (asked for by every browser, linked or
    not) all answer with an image: no page load logs a 404."""
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        page = (await http.get("/")).text
        links = dict(re.findall(r'<link rel="(icon|apple-touch-icon|manifest)" href="([^"]+)"', page))
        assert set(links) == {"icon", "apple-touch-icon", "manifest"}
        manifest = (await http.get(links["manifest"])).json()
        assert manifest["name"] == "Workshop Board"
        images = ["/favicon.ico", *re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', page)]
        images += [icon["src"] for icon in manifest["icons"]]
        for href in images:
            response = await http.get(href)
            assert response.status_code == 200, href
            assert response.headers["content-type"].startswith("image/"), href
        favicon = (await http.get("/favicon.ico")).content
    with Image.open(io.BytesIO(favicon)) as ico:
        assert ico.format == "ICO"
        assert (32, 32) in ico.info["sizes"]


async def test_creating_workshops_can_require_an_admin_token(
    make_server: Callable[..., RunningServer],
) -> None:
    server = make_server(admin_token="s3cret")
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        refused = await http.post("/api/workshops", json={"title": "W"})
        allowed = await http.post(
            "/api/workshops", json={"title": "W"}, headers={"Authorization": "Bearer s3cret"}
        )
    assert refused.status_code == 401
    assert allowed.status_code == 201


async def test_health_reports_the_database_and_the_broker(server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "status": "ok"}


async def test_health_fails_when_redis_is_down(
    make_server: Callable[..., RunningServer], redis_url: str, redis_server: RedisServer
) -> None:
    server = make_server(broker_url=redis_url)
    redis_server.stop()
    try:
        async with httpx.AsyncClient(base_url=server.base_url) as http:
            response = await http.get("/healthz")
    finally:
        redis_server.start()
    assert response.status_code == 503
    assert response.json()["broker"].startswith("unreachable")
    assert response.json()["database"] == "ok"


def test_serve_refuses_an_unmigrated_database_and_says_what_to_run(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "board.cli",
            "serve",
            "--database-url",
            f"sqlite+aiosqlite:///{tmp_path}/new.db",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "run `board migrate`" in result.stderr


def test_demo_prints_a_facilitator_link_and_a_join_code(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/demo.db"
    subprocess.run(
        [sys.executable, "-m", "board.cli", "migrate", "--database-url", url],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    runs = [
        subprocess.run(
            [
                sys.executable,
                "-m",
                "board.cli",
                "demo",
                "--database-url",
                url,
                "--base-url",
                "http://board.example",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for _ in range(2)
    ]
    for output in runs:
        assert "http://board.example/w/" in output
        assert "/facilitate#key=" in output
        assert "code " in output
    links = [line for output in runs for line in output.splitlines() if "#key=" in line]
    assert links[0] != links[1], "each run issues a fresh key for the same demo workshop"
    assert links[0].split("#")[0] == links[1].split("#")[0]


async def test_the_board_page_gives_the_browser_the_same_bounds(server: RunningServer) -> None:
    workshop = await create_workshop(server.base_url)
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        await http.post("/api/join", json={"code": workshop.join_code})
        page = (await http.get(f"/b/{workshop.main}")).text
    block = re.search(r'<script type="application/json" id="config">(.*?)</script>', page, re.DOTALL)
    assert block is not None
    assert json.loads(block.group(1))["limits"] == as_config()
