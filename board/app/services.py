"""What the app opens at start-up and every route uses, as one typed object."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.templating import Jinja2Templates

from board.app.auth import Sessions
from board.broker.base import Broker
from board.core.ratelimit import Lockout
from board.services.poll import ExitPoll
from board.settings import ServerSettings
from board.store.database import Database
from board.store.directory import Directory
from board.store.oplog import OpLog
from board.sync.hub import Hub


@dataclass(slots=True)
class Services:
    settings: ServerSettings
    database: Database
    oplog: OpLog
    directory: Directory
    broker: Broker
    hub: Hub
    sessions: Sessions
    templates: Jinja2Templates
    join_limiter: Lockout
    """Join-code and facilitator-key attempts per client address."""
    exit_poll: ExitPoll
