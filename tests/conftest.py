"""Real components for the tests: SQLite and PostgreSQL, a redis-server, uvicorn on a free port,
Debian's Chromium. Under CI=true a missing component fails the test; elsewhere it skips it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
import uvicorn
from hypothesis import settings

from board.app.server import uvicorn_config
from board.app.services import Services
from board.settings import ServerSettings
from board.store.database import upgrade

# Tests assert behaviour, never speed (bench/ measures that): Hypothesis's per-example time
# limit only turned a busy machine into failures.
settings.register_profile("board", deadline=None)
settings.load_profile("board")

T = TypeVar("T")
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing(component: str, why: str) -> None:
    """Skip, or under CI fail: CI must run every test against the real thing."""
    message = f"{component} is not available: {why}"
    if CI:
        pytest.fail(message + " (CI=true: required)")
    pytest.skip(message)


def in_thread(work: Callable[[], object]) -> None:
    """Run `work` on a worker thread and wait: set-up that runs an event loop of its own
    (Alembic, asyncpg set-up below) cannot start inside a test's running loop."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:
            failure.append(error)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


def migrate(url: str) -> None:
    in_thread(lambda: upgrade(url))


def pg_execute(url: str, *statements: str) -> None:
    in_thread(lambda: asyncio.run(_pg_execute(url, *statements)))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# -- databases -------------------------------------------------------------------------------


def _postgres_admin_url() -> str:
    return os.environ.get("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


async def _pg_execute(url: str, *statements: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"), timeout=5)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated PostgreSQL database for this session, cloned for each test."""
    admin = _postgres_admin_url()
    name = f"board_tpl_{uuid.uuid4().hex[:10]}"
    try:
        pg_execute(admin, f'CREATE DATABASE "{name}"')
    except Exception as error:
        missing("PostgreSQL", f"{admin}: {error}")
    base = admin.rsplit("/", 1)[0]
    migrate(f"{base}/{name}")
    yield name
    with contextlib.suppress(Exception):
        pg_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_template: str) -> Iterator[str]:
    """An empty, migrated PostgreSQL database of this test's own."""
    admin = _postgres_admin_url()
    name = f"board_t_{uuid.uuid4().hex[:12]}"
    pg_execute(admin, f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"')
    yield f"{admin.rsplit('/', 1)[0]}/{name}"
    with contextlib.suppress(Exception):
        pg_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'board.db'}"
    migrate(url)
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """The same test, once on each database the product supports."""
    if request.param == "sqlite":
        url: str = request.getfixturevalue("sqlite_url")
        return url
    url = request.getfixturevalue("postgres_url")
    return url


# -- redis -------------------------------------------------------------------------------------


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen[bytes] | None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()

    def start(self) -> None:
        self.process = _spawn_redis(self.port)


def _spawn_redis(port: int) -> subprocess.Popen[bytes]:
    binary = shutil.which("redis-server")
    assert binary is not None
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), timeout=0.2),
        ):
            return process
        time.sleep(0.02)
    process.kill()
    raise RuntimeError(f"redis-server did not start on port {port}")


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A private redis-server for the session (so tests may kill and restart it)."""
    if shutil.which("redis-server") is None:
        missing("Redis", "no redis-server on PATH")
    server = RedisServer(free_port(), None)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    if redis_server.process is None or redis_server.process.poll() is not None:
        redis_server.start()
    return redis_server.url


# -- the server ------------------------------------------------------------------------------


class _ThreadServer(uvicorn.Server):
    loop: asyncio.AbstractEventLoop | None = None
    leftover: list[str] | None = None
    """The tasks still running when the server had stopped: set once it has."""

    def install_signal_handlers(self) -> None:  # not the main thread
        pass

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        self.loop = asyncio.get_running_loop()
        await super().serve(sockets)
        running = asyncio.all_tasks() - {asyncio.current_task()}
        self.leftover = sorted(f"{task.get_name()}: {task.get_coro().__qualname__}" for task in running)


@dataclass
class RunningServer:
    settings: ServerSettings
    server: _ThreadServer
    thread: threading.Thread
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.settings.port}/ws"

    @property
    def services(self) -> Services:
        """The running app's services (its hub, directory...), which live on the server's loop."""
        app: Any = self.server.config.loaded_app
        while not hasattr(app, "state"):
            app = app.app
        services: Services = app.state.services
        return services

    async def call(self, work: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the server's own event loop (it runs in another thread)."""
        assert self.server.loop is not None
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(work, self.server.loop))

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_server(settings: ServerSettings, *, proxy: bool = False) -> RunningServer:
    """uvicorn in a thread with its own event loop, as the product runs it (httpx's
    `serve_in_thread`): tests talk to it over loopback only. `proxy`: as `board serve --proxy`."""
    server = _ThreadServer(uvicorn_config(settings, proxy=proxy, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    return RunningServer(settings, server, thread)


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Callable[..., RunningServer]]:
    """Start servers with chosen settings (a SQLite file in tmp_path by default)."""
    started: list[RunningServer] = []

    def make(
        database_url: str | None = None, broker_url: str = "memory://", proxy: bool = False, **overrides: Any
    ) -> RunningServer:
        if database_url is None:
            database_url = f"sqlite+aiosqlite:///{tmp_path / 'server.db'}"
            migrate(database_url)
        settings = ServerSettings(
            database_url=database_url,
            broker_url=broker_url,
            host="127.0.0.1",
            port=free_port(),
            secret_key="test-secret-key",
            **overrides,
        )
        running = start_server(settings, proxy=proxy)
        started.append(running)
        return running

    yield make
    for running in started:
        running.stop()


@pytest.fixture
def server(make_server: Callable[..., RunningServer]) -> RunningServer:
    return make_server()


# -- a server in its own process (for SIGKILL) ----------------------------------------------


@dataclass
class ServerProcess:
    database_url: str
    port: int
    broker_url: str = "memory://"
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None
    """Where the server's log goes (every start appends); None: the test's own stderr."""

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def start(self) -> None:
        environment = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "BROKER_URL": self.broker_url,
            "BOARD_SECRET_KEY": "test-secret-key",
        }
        log = self.log.open("ab") if self.log is not None else None
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "board.cli",
                    "serve",
                    "--port",
                    str(self.port),
                    "--log-level",
                    "warning",
                ],
                env=environment,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        finally:
            if log is not None:
                log.close()  # the server has its own copy of the file
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:] if self.log is not None else ""
                raise RuntimeError(f"server exited with {self.process.returncode}\n{tail}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2),
            ):
                return
            time.sleep(0.05)
        raise RuntimeError("server process did not start")

    def freeze(self) -> None:
        """Stop the process where it stands (SIGSTOP): the kernel still accepts what clients
        send, which nobody will read, as when a machine hangs before it dies."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGSTOP)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def server_process(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    started: list[ServerProcess] = []

    def make(
        database_url: str | None = None, broker_url: str = "memory://", port: int | None = None
    ) -> ServerProcess:
        if database_url is None:
            database_url = f"sqlite+aiosqlite:///{tmp_path / 'process.db'}"
            migrate(database_url)
        port = port or free_port()
        running = ServerProcess(
            database_url, port, broker_url, log=tmp_path / f"server-{port}-{len(started)}.log"
        )
        running.start()
        started.append(running)
        return running

    yield make
    for running in started:
        running.kill()
    # A broker handler that raises is caught and logged, and the board then catches up from
    # the store on its next poll: every test would still pass, seconds late. So it fails here.
    failed = [
        line
        for running in started
        if running.log is not None and running.log.exists()
        for line in running.log.read_text(errors="replace").splitlines()
        if "broker handler" in line and "failed" in line
    ]
    assert not failed, failed


# -- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    """Debian's Chromium, driven by Playwright (never `playwright install`: no downloads)."""
    if not os.path.exists(CHROMIUM):  # noqa: ASYNC240 - once per session
        missing("Chromium", f"{CHROMIUM} not found (apt-get install chromium)")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        await chromium.close()


@pytest.fixture
def artifacts() -> Path:
    """Where tests save screenshots (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
