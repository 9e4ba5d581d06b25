"""`board serve | migrate | demo | purge | export | categories evaluate`: the command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from board.broker.memory import MemoryBroker
from board.core.plan import Plan
from board.i18n import LANGUAGES, Language
from board.services.category_evaluation import run as evaluate_file
from board.services.credentials import digest, format_join_code, new_secret, normalise_join_code
from board.services.facilitation import create_from_template
from board.services.poll import BlocklistError, load_blocklist
from board.services.record import Format, Rendered, build, gather, render, store_loader
from board.services.retention import purge
from board.services.templates import load as load_template
from board.settings import ServerSettings, from_environment
from board.store.database import Database, NotMigrated, upgrade
from board.store.details import update_details
from board.store.directory import Directory
from board.store.oplog import OpLog
from board.sync.hub import Hub
from board.sync.trim import exempt_what_is_loaded

DEMO_TEMPLATE = "engagement-network"
"""`make run` shows a real session: the seed-000 workshop, from its template."""
DEMO_TITLE = "Demo: building an engagement network"
DEMO_DETAIL = "demo"


def _parser() -> argparse.ArgumentParser:
    """Every command and its options (`board --help`)."""
    parser = argparse.ArgumentParser(prog="board", description="Workshop Board")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--host", help="address to listen on (BOARD_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (BOARD_PORT, default 8000)")
    serve.add_argument("--database-url", help="DATABASE_URL, default sqlite+aiosqlite:///var/board.db")
    serve.add_argument("--broker-url", help="BROKER_URL: memory:// (default) or redis://host:6379/0")
    serve.add_argument("--proxy", action="store_true", help="trust X-Forwarded-* from a proxy in front")
    serve.add_argument("--log-level", default="info")

    migrate = commands.add_parser("migrate", help="create or upgrade the database schema")
    migrate.add_argument("--database-url")

    demo = commands.add_parser("demo", help="create (or reopen) a demo workshop and print its links")
    demo.add_argument("--database-url")
    demo.add_argument("--base-url", help="where the server is reached, for the printed links")

    purging = commands.add_parser("purge", help="erase every workshop past its keep-until date")
    purging.add_argument("--database-url")

    export = commands.add_parser("export", help="write a workshop's record to a file or stdout")
    export.add_argument("workshop", help="the workshop's id or its join code")
    export.add_argument("--format", choices=[f.value for f in Format], default=Format.JSON.value)
    export.add_argument(
        "--lang", choices=list(LANGUAGES), default="en", help="the printable report's language (html only)"
    )
    export.add_argument(
        "--output", "-o", help="file to write (default: a name from title and date; - for stdout)"
    )
    export.add_argument("--database-url")

    categories = commands.add_parser("categories", help="category suggestions")
    category_commands = categories.add_subparsers(dest="categories_command", required=True)
    evaluating = category_commands.add_parser(
        "evaluate", help="score the suggestions against notes already sorted (CSV: text, category)"
    )
    evaluating.add_argument("file", type=Path, help="CSV of notes: text, expected category")
    which = evaluating.add_mutually_exclusive_group()
    which.add_argument("--taxonomy", help="a built-in taxonomy key (default wakefield)")
    which.add_argument(
        "--template", help="use this template's taxonomy (a name in sessions/ or a .yaml file)"
    )
    evaluating.add_argument(
        "--confirm-third",
        action="store_true",
        help="take every third note of each workshop (a 'workshop' column) as confirmed first",
    )

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "categories":
        status, text = evaluate_file(args.file, args.taxonomy, args.template, args.confirm_third)
        print(text, file=sys.stderr if status else sys.stdout)
        return status
    settings = from_environment().with_overrides(
        database_url=getattr(args, "database_url", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        broker_url=getattr(args, "broker_url", None),
        public_url=getattr(args, "base_url", None),
    )
    if args.command == "migrate":
        upgrade(settings.database_url)
        print(f"database is up to date: {settings.database_url}")
        return 0
    if args.command == "demo":
        return asyncio.run(_demo(settings))
    if args.command == "purge":
        return asyncio.run(_purge(settings))
    if args.command == "export":
        exported = asyncio.run(_export(settings, args.workshop, Format(args.format), args.lang))
        return exported if isinstance(exported, int) else _save(exported, args.output)
    return _serve(settings, proxy=args.proxy, log_level=args.log_level)


def _serve(settings: ServerSettings, *, proxy: bool, log_level: str) -> int:
    import uvicorn

    from board.app.server import uvicorn_config

    try:
        asyncio.run(_check_migrated(settings.database_url))
        load_blocklist(settings.poll_blocklist)
    except (NotMigrated, BlocklistError) as problem:
        print(f"board: {problem}", file=sys.stderr)
        return 2
    config = uvicorn_config(settings, proxy=proxy, log_level=log_level)
    config.load()  # uvicorn's own imports, before what is loaded is exempted from collections
    exempt_what_is_loaded()
    server = uvicorn.Server(config)
    print(f"board: serving on http://{settings.host}:{settings.port}", flush=True)
    server.run()
    return 0


async def _check_migrated(url: str) -> None:
    database = Database(url)
    try:
        await database.check_migrated()
    finally:
        await database.dispose()


async def _demo(settings: ServerSettings) -> int:
    """The demo workshop of `make run`: the engagement-network session (seed 000) made from its
    template, once; its facilitator key renewed each time (a key is stored only as a hash, so
    it cannot be shown again). It is marked as the demo in its details, so a real workshop
    made from the same template is never taken for it."""
    database = Database(settings.database_url)
    try:
        await database.check_migrated()
        directory = Directory(database)
        existing = [
            found
            for workshop_id in await directory.workshop_ids_with_template(DEMO_TEMPLATE)
            if (found := await directory.workshop(workshop_id)) is not None and found.details.get(DEMO_DETAIL)
        ]
        key = new_secret()
        if existing:
            workshop_id = existing[0].id
            await directory.replace_facilitator_key(workshop_id, digest(key))
        else:
            plan = load_template(DEMO_TEMPLATE)
            if not isinstance(plan, Plan):
                print(f"board: the demo template does not check out:\n{plan}", file=sys.stderr)
                return 2
            hub = Hub(OpLog(database), MemoryBroker(), now=lambda: int(time.time() * 1000), networked=False)
            try:
                created = await create_from_template(
                    directory, hub, plan, now=int(time.time() * 1000), title=DEMO_TITLE
                )
            finally:
                await hub.close()
            await update_details(database, created.id, {DEMO_DETAIL: True})
            workshop_id, key = created.id, created.facilitator_key
        workshop = await directory.workshop(workshop_id)
        assert workshop is not None
    except NotMigrated as problem:
        print(f"board: {problem}", file=sys.stderr)
        return 2
    finally:
        await database.dispose()
    base = settings.base_url
    print()
    print(f"  Demo workshop: {workshop.title}")
    print(f"  Facilitator link (keep it private): {base}/w/{workshop.id}/facilitate#key={key}")
    print(f"  Then the dashboard: {base}/w/{workshop.id}/dashboard")
    print(
        f"  Participants join at {base}/j/{workshop.join_code}  (code {format_join_code(workshop.join_code)})"
    )
    print()
    return 0


async def _export(
    settings: ServerSettings, wanted: str, fmt: Format, lang: Language = "en"
) -> Rendered | int:
    """The record from the store, the same bytes as the dashboard's download, with a progress
    bar over the boards (on stderr, so `-o -` can be piped)."""
    database = Database(settings.database_url)
    try:
        await database.check_migrated()
        directory = Directory(database)
        workshop = await directory.workshop(wanted) or await directory.workshop_by_code(
            normalise_join_code(wanted)
        )
        if workshop is None:
            print(f"board: no workshop with the id or join code {wanted!r}", file=sys.stderr)
            return 1
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=Console(stderr=True)
        ) as progress:
            boards = progress.add_task("Reading boards", total=len(workshop.boards))
            gathered = await gather(
                workshop,
                store_loader(OpLog(database)),
                database,
                on_board=lambda _: progress.advance(boards),
            )
            progress.add_task("Building the record", total=None)
            record = await asyncio.to_thread(build, gathered, now=int(time.time() * 1000))
            rendered = render(record, fmt, lang, settings.time_zone)
    except NotMigrated as problem:
        print(f"board: {problem}", file=sys.stderr)
        return 2
    finally:
        await database.dispose()
    return rendered


async def _purge(settings: ServerSettings) -> int:
    """Erase every workshop past its keep-until date, every row of it (`board/services/retention.py`). A
    server does the same hourly; this is for a cron job or a server that is not running."""
    database = Database(settings.database_url)
    try:
        await database.check_migrated()
        erased = await purge(database, int(time.time() * 1000), settings.keep_days)
    except NotMigrated as problem:
        print(f"board: {problem}", file=sys.stderr)
        return 2
    finally:
        await database.dispose()
    print(f"board: erased {len(erased)} workshop(s) past their keep-until date", file=sys.stderr)
    return 0


def _save(rendered: Rendered, output: str | None) -> int:
    if output == "-":
        sys.stdout.buffer.write(rendered.body)
        sys.stdout.buffer.flush()
        return 0
    target = Path(output or rendered.filename)
    target.write_bytes(rendered.body)
    print(f"board: wrote {target} ({len(rendered.body):,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
