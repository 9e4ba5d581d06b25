"""Server configuration: the environment, parsed once into a frozen dataclass.

Every setting can come from an environment variable (listed in README "Configuration") or a
`board serve` flag, which wins.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/board.db"
DEFAULT_BROKER_URL = "memory://"
DEFAULT_TRUSTED_PROXIES = ("127.0.0.1", "::1")
DEFAULT_TIME_ZONE = "Europe/London"
"""Where the councils that run these workshops are: the report's times are local to them."""


@dataclass(frozen=True, slots=True)
class ServerSettings:
    database_url: str = DEFAULT_DATABASE_URL
    broker_url: str = DEFAULT_BROKER_URL
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = ""
    """The address people use to reach the board (for links and QR codes); empty means
    http://host:port."""
    secret_key: str = ""
    """Signs cookies. Every process serving the same boards must share it; when empty a key
    is generated once and kept in var/secret.key (fine for one process)."""
    allowed_origins: tuple[str, ...] = ()
    """Extra origins allowed to open websockets (the page's own origin always is)."""
    admin_token: str = ""
    """When set, creating a workshop needs it (`Authorization: Bearer ...`)."""
    sqlite_synchronous: str = "NORMAL"
    """SQLite's `synchronous` pragma: NORMAL survives a killed process (WAL), FULL also a
    power cut, at a cost per commit."""
    secure_cookies: bool = False
    """Mark cookies Secure (set it when served over HTTPS)."""
    keep_days: int = 365
    """Days a workshop is kept after it was made, unless its facilitator sets another date;
    then `board purge` (and the server, hourly) erases it (`board/services/retention.py`)."""
    poll_blocklist: str = ""
    """A file of words to keep out of the exit-poll word cloud, one a line, added to the
    built-in list (`board/core/data/poll_blocklist.txt`); empty for the built-in list only."""
    replay_window: int = 5_000
    """Ops kept in memory per open board so a returning client gets just what it missed; one
    further behind gets a snapshot. 5,000 small ops are about 2-3 MB."""
    time_zone: str = DEFAULT_TIME_ZONE
    """The time zone the printable report and the Markdown write times in (an IANA name,
    `Europe/London`); the JSON and CSV keep UTC."""
    replay_bytes: int = 8_388_608
    """Bytes of ops kept per open board for the same purpose (8 MiB), whichever of the two
    bounds is reached first: 5,000 ops of 115 KB would otherwise be 575 MB a board. It also
    bounds the ops other processes published that wait for a missing one (`Sequencer.remote`):
    past it they are read from the store instead."""
    memory_budget: int = 536_870_912
    """Bytes the server may hold for its open boards together (512 MiB: replay windows,
    objects, cached snapshots, ops waiting to commit, counted as JSON); past it, ops that add
    anything are refused with `server_full` instead of growing the process."""
    trusted_proxies: tuple[str, ...] = DEFAULT_TRUSTED_PROXIES
    """With `board serve --proxy`, the addresses (or networks, `10.0.0.0/8`) whose
    `X-Forwarded-For` is believed. A request from anywhere else keeps its own address, so a
    client cannot name its own to escape the wrong-code rate limit."""

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def networked(self) -> bool:
        return not self.broker_url.startswith("memory://")

    def with_overrides(self, **values: Any) -> ServerSettings:
        return replace(self, **{key: value for key, value in values.items() if value is not None})


def from_environment(environ: Mapping[str, str] = os.environ) -> ServerSettings:
    origins = _listed(environ.get("BOARD_ALLOWED_ORIGINS"))
    return ServerSettings(
        database_url=environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        broker_url=environ.get("BROKER_URL", environ.get("REDIS_URL", DEFAULT_BROKER_URL)),
        host=environ.get("BOARD_HOST", "127.0.0.1"),
        port=int(environ.get("BOARD_PORT", "8000")),
        public_url=environ.get("BOARD_PUBLIC_URL", ""),
        secret_key=environ.get("BOARD_SECRET_KEY", ""),
        allowed_origins=origins,
        admin_token=environ.get("BOARD_ADMIN_TOKEN", ""),
        sqlite_synchronous=environ.get("BOARD_SQLITE_SYNCHRONOUS", "NORMAL").upper(),
        secure_cookies=environ.get("BOARD_SECURE_COOKIES", "") in ("1", "true", "yes"),
        replay_window=int(environ.get("BOARD_REPLAY_WINDOW", "5000")),
        replay_bytes=int(environ.get("BOARD_REPLAY_BYTES", "8388608")),
        memory_budget=int(environ.get("BOARD_MEMORY_BUDGET", "536870912")),
        keep_days=int(environ.get("BOARD_KEEP_DAYS", "365")),
        poll_blocklist=environ.get("BOARD_POLL_BLOCKLIST", ""),
        trusted_proxies=_listed(environ.get("BOARD_TRUSTED_PROXIES")) or DEFAULT_TRUSTED_PROXIES,
        time_zone=time_zone(environ.get("BOARD_TIME_ZONE", DEFAULT_TIME_ZONE)),
    )


def time_zone(name: str) -> str:
    """A time zone name the server can use, or a clear error naming the setting."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"BOARD_TIME_ZONE: {name!r} is not a time zone (try Europe/London)") from error
    return name


def _listed(value: str | None) -> tuple[str, ...]:
    return tuple(item.strip() for item in (value or "").split(",") if item.strip())


def secret_key(settings: ServerSettings, keyfile: Path = Path("var/secret.key")) -> str:
    """The configured key, or one generated once and kept beside the embedded database."""
    if settings.secret_key:
        return settings.secret_key
    if keyfile.exists():
        return keyfile.read_text().strip()
    keyfile.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    keyfile.write_text(key)
    keyfile.chmod(0o600)
    return key
