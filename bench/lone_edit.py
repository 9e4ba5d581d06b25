"""A lone edit's latency, one step at a time from SQLite to PostgreSQL + Redis on 2 processes.

    .venv/bin/python -m bench.lone_edit                 # updates BENCHMARKS.md
    .venv/bin/python -m bench.lone_edit --rounds 1 --no-write

Issue 19 asks for two processes on PostgreSQL + Redis within 1.5x of one process on SQLite
(N=200 p99). Under load every percentile is queueing on top of what one edit costs on an idle
server, so this measures that floor in five set-ups, each adding one thing to the one before:
PostgreSQL in place of SQLite, Redis in place of the in-process broker, a second process, and
the receiver on that second process (its edit crosses Redis to reach it). Each set-up gets a
fresh server (or pair) and times `--edits` edits one at a time (`probes.time_lone_edits`); the
set-ups take turns for `--rounds` rounds, so a busy moment of the machine does not land on one
of them only, and the medians are over every round.

Numbers, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from contextlib import ExitStack
from dataclasses import dataclass, field

from bench.adapters import create_workshop, join_many
from bench.probes import Observer, time_lone_edits
from bench.report import write_section
from bench.server import POSTGRES, REDIS, Server, Setup, cpu_seconds, machine_line, start_servers

SECTION = "A lone edit, step by step (SQLite to PostgreSQL + Redis)"


SETUPS = (
    Setup("SQLite, 1 process, in-process broker", "", "", 1, False),
    Setup("PostgreSQL, 1 process, in-process broker", POSTGRES, "", 1, False),
    Setup("PostgreSQL, 1 process, Redis", POSTGRES, REDIS, 1, False),
    Setup("PostgreSQL + Redis, 2 processes, both clients on one", POSTGRES, REDIS, 2, False),
    Setup("PostgreSQL + Redis, 2 processes, receiver on the other", POSTGRES, REDIS, 2, True),
)


@dataclass(slots=True)
class Timed:
    ack_ms: list[float] = field(default_factory=list)
    delivery_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    """Server CPU per edit (every process of the set-up), one value per round."""


async def _time(servers: list[Server], across: bool, edits: int) -> tuple[dict[str, list[float]], float]:
    first, receiving = servers[0], servers[-1] if across else servers[0]
    created = await create_workshop(first.base_url, "Lone edits", breakouts=0)
    board = created["boards"][0]["id"]
    tokens = await join_many(first.base_url, created["join_code"], 2)
    facilitator = await Observer.open(first.host, first.port, board, created["token"])
    await facilitator.create_notes(["n0"])
    sender = await Observer.open(first.host, first.port, board, tokens[0])
    watcher = await Observer.open(receiving.host, receiving.port, board, tokens[1])
    try:
        await asyncio.sleep(0.5)
        before = sum(cpu_seconds(server.pid) for server in servers)
        found = await time_lone_edits(sender, watcher, "n0", edits)
        cpu = (sum(cpu_seconds(server.pid) for server in servers) - before) / edits * 1000
    finally:
        for observer in (sender, watcher, facilitator):
            await observer.close()
    return found, cpu


def _round(setup: Setup, edits: int, into: Timed) -> None:
    with ExitStack() as stack:
        servers = start_servers(stack, setup)
        found, cpu = asyncio.run(_time(servers, setup.across, edits))
    into.ack_ms += found["ack_ms"]
    into.delivery_ms += found["delivery_ms"]
    into.cpu_ms.append(cpu)


def _p90(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.9)]


def render(results: dict[str, Timed], rounds: int, edits: int, when: str, seconds: float) -> str:
    lines = [
        f"## {SECTION}",
        "",
        f"Measured by `python -m bench.lone_edit` on {when}; the run took {seconds:.0f} s. "
        "This section is rewritten on each run.",
        "",
        machine_line(),
        "",
        f"{edits} edits one at a time (each after the last was delivered) on an idle server, in "
        f"each of five set-ups, the set-ups taking turns for {rounds} rounds; each adds one thing "
        "to the one above. *Ack*: edit sent → its ack. *Delivered*: edit sent → the `ops` frame "
        "at another participant's socket. *Server CPU*: every server process of the set-up, per "
        "edit (not PostgreSQL's or Redis's own).",
        "",
        "| set-up | ack median | delivered median / p90 | adds (delivered median) | server CPU per edit |",
        "|---|---|---|---|---|",
    ]
    previous: float | None = None
    for name, timed in results.items():
        delivered = statistics.median(timed.delivery_ms)
        adds = "" if previous is None else f"{delivered - previous:+.2f} ms"
        lines.append(
            f"| {name} | {statistics.median(timed.ack_ms):.2f} ms | {delivered:.2f} / "
            f"{_p90(timed.delivery_ms):.2f} ms | {adds} | {statistics.median(timed.cpu_ms):.2f} ms |"
        )
        previous = delivered
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--edits", type=int, default=60)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    args = parser.parse_args()
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    began = time.monotonic()
    results = {setup.name: Timed() for setup in SETUPS}
    for _ in range(args.rounds):
        for setup in SETUPS:
            _round(setup, args.edits, results[setup.name])
    text = render(results, args.rounds, args.edits, when, time.monotonic() - began)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
