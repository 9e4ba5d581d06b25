"""`python -m bench.run` (`make bench`): the sync engine benchmark, start to finish.

Starts `board serve` on a fresh SQLite file, then, on one workshop:

1. seeds the main board with one note per participant and records the server's RSS;
2. for each N (largest first, so the idle-memory figure comes from a fresh heap): connects N
   participants (memory per idle connection for the largest N), then runs two phases of
   1 edit per 5 s per participant, without and with cursors at 1 Hz;
3. seeds a breakout board with 10,000 objects and times a new client's snapshot, on an idle
   server and while 200 others edit and move cursors on that board;
4. times resumes: a client reconnecting `since` M ops ago;
5. with --profile, samples the server with py-spy during an extra phase at N = 500 and 1,000;

and writes the section "Sync engine (one process, SQLite)" of BENCHMARKS.md (other sections
are left alone) plus the raw results under artifacts/bench/. Every process it starts is
stopped on the way out, whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from bench import profile as profiling
from bench.loadgen import LoadGenerator, PhaseResult, Seat, create_workshop, join_many, run_fast
from bench.probes import Observer, large_board, time_board_load, time_lone_edits, time_resume
from bench.report import section_title, write_section
from bench.server import ROOT, CpuMeter, Server, cpu_seconds, machine, rss, settled_rss

T = TypeVar("T")

LONE_EDITS = 40
"""Edits sent one at a time on the idle server, for the latency floor."""
RESUME_WRITES_PER_SOCKET = 150
"""Ops one writer socket sends at once: inside the server's burst of 200 messages."""


@dataclass
class Config:
    participants: list[int] = field(default_factory=lambda: [200, 500, 1000])
    edit_hz: float = 0.2
    cursor_hz: float = 1.0
    warmup: float = 3.0
    duration: float = 15.0
    workers: int = 2
    snapshot_objects: int = 10_000
    snapshot_reps: int = 20
    snapshot_load: int = 200
    resume_behind: list[int] = field(default_factory=lambda: [100, 1000, 4000, 6000])
    resume_reps: int = 5
    profile: bool = False
    profile_at: list[int] = field(default_factory=lambda: [500, 1000])
    servers: int = 1
    database_url: str = ""
    broker_url: str = ""
    write: bool = True
    output: Path = ROOT / "BENCHMARKS.md"
    artifacts: Path = ROOT / "artifacts" / "bench"
    quick: bool = False


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Suite:
    def __init__(self, config: Config, servers: list[Server]) -> None:
        self.config = config
        self.servers = servers
        self.primary = servers[0]
        self.results: dict[str, Any] = {"config": _jsonable(config.__dict__), "scenarios": []}
        self.stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")

    @property
    def targets(self) -> list[tuple[str, int]]:
        return [(s.host, s.port) for s in self.servers]

    @property
    def server_pids(self) -> list[int]:
        return [s.pid for s in self.servers]

    def server_rss(self) -> int:
        return sum(rss(pid) for pid in self.server_pids)

    def settled_server_rss(self) -> int:
        """All server processes together: with --servers 2 each holds half the sockets."""
        return sum(settled_rss(pid) for pid in self.server_pids)

    async def run(self) -> dict[str, Any]:
        config = self.config
        host, port, base = self.primary.host, self.primary.port, self.primary.base_url
        created = await create_workshop(base, "Benchmark workshop", breakouts=1)
        main_board, big_board = created["boards"][0]["id"], created["boards"][1]["id"]
        most = max(config.participants)
        seated = max(most, config.snapshot_load)
        log(f"joining {seated + 2} participants")
        tokens = await join_many(base, created["join_code"], seated + 2)
        self.probe_tokens = tokens[seated:]
        seats = [Seat(i, token, f"n{i}") for i, token in enumerate(tokens[:most])]
        facilitator = await Observer.open(host, port, main_board, created["token"])
        try:
            await facilitator.create_notes([seat.note for seat in seats])
            await asyncio.sleep(1.0)
            self.results["lone_edits"] = await self.step(
                "lone edits", self.lone_edits(host, port, main_board, facilitator)
            )
            self.results["rss_baseline"] = self.settled_server_rss()
            for n in sorted(config.participants, reverse=True):
                scenario = await self.step(f"N={n}", self.fan_out(main_board, seats[:n], first=n == most))
                if scenario is not None:
                    self.results["scenarios"].append(scenario)
            self.results["snapshot"] = await self.step(
                "board load", self.board_load(host, port, big_board, created["token"], tokens)
            )
            self.results["resume"] = await self.step("resume", self.resume(host, port, main_board, seats))
        finally:
            await facilitator.close()
        self.results["rss_end"] = self.server_rss()
        return self.results

    async def step(self, name: str, work: Awaitable[T]) -> T | None:
        """Run one part of the suite; a failure is logged and reported, and the rest goes on."""
        try:
            return await work
        except Exception as problem:
            log(f"{name} failed: {type(problem).__name__}: {problem}")
            self.results.setdefault("failures", []).append(f"{name}: {type(problem).__name__}: {problem}")
            return None

    async def lone_edits(self, host: str, port: int, board: str, watcher: Observer) -> dict[str, Any]:
        sender = await Observer.open(host, port, board, self.probe_tokens[0])
        try:
            before = cpu_seconds(self.primary.pid)
            found: dict[str, Any] = await time_lone_edits(sender, watcher, "n0", LONE_EDITS)
            found["server_cpu_ms_per_edit"] = (cpu_seconds(self.primary.pid) - before) / LONE_EDITS * 1000
        finally:
            await sender.close()
        log(
            f"a lone edit on an idle server: ack median {_median(found['ack_ms']):.1f} ms, "
            f"delivery median {_median(found['delivery_ms']):.1f} ms, "
            f"server CPU {found['server_cpu_ms_per_edit']:.1f} ms per edit"
        )
        return found

    # -- fan-out --------------------------------------------------------------------------------

    async def fan_out(self, board: str, seats: list[Seat], first: bool) -> dict[str, Any]:
        config = self.config
        n = len(seats)
        scenario: dict[str, Any] = {"participants": n, "phases": []}
        generator = LoadGenerator(self.targets, board, seats, config.workers)
        try:
            before = self.settled_server_rss() if first else 0
            log(f"N={n}: connecting")
            connected = await generator.start()
            scenario["connect"] = connected
            log(f"N={n}: {connected['connected']} connected in {connected['seconds']:.1f} s")
            if connected["failures"]:
                log(f"N={n}: connect failures: {connected['failures'][:3]}")
            await asyncio.sleep(3.0)  # presence frames settle
            if first:
                after = self.settled_server_rss()
                scenario["idle_memory"] = {
                    "clients": n,
                    "rss_before": before,
                    "rss_after": after,
                    "per_connection_kib": (after - before) / n / 1024,
                }
                log(f"N={n}: {(after - before) / n / 1024:.1f} KiB per idle connection")
            phases = [("edits", 0.0)]
            if config.cursor_hz > 0:
                phases.append((f"edits + cursors {config.cursor_hz:g} Hz", config.cursor_hz))
            for label, cursor_hz in phases:
                result = await self.phase(generator, label, cursor_hz)
                scenario["phases"].append(result.as_dict())
            if config.profile and n in config.profile_at:
                cursor_hz = config.cursor_hz
                path = config.artifacts / f"profile-{self.stamp}-n{n}.txt"

                async def sample(seconds: float, path: Path = path) -> None:
                    try:
                        found = await profiling.record(self.primary.pid, seconds, path)
                    except Exception as problem:  # no py-spy, no ptrace rights: numbers still count
                        log(f"N={n}: profiling failed: {problem}")
                        scenario["profile_error"] = str(problem)
                        return
                    scenario["profile"] = found.as_dict()

                result = await self.phase(generator, "profiled (py-spy)", cursor_hz, during=sample)
                scenario["profiled_phase"] = result.as_dict()
        finally:
            await generator.stop()
        return scenario

    async def phase(
        self,
        generator: LoadGenerator,
        label: str,
        cursor_hz: float,
        during: Callable[[float], Awaitable[Any]] | None = None,
    ) -> PhaseResult:
        config = self.config
        meter = CpuMeter(
            {"server": self.server_pids, "generator": generator.pids, "orchestrator": [os.getpid()]}
        )
        result = await generator.run_phase(
            edit_hz=config.edit_hz,
            cursor_hz=cursor_hz,
            warmup=config.warmup,
            duration=config.duration,
            at_window_start=meter.start,
            at_window_end=meter.stop,
            during_window=during,
        )
        result.extra.update(meter.result)
        result.extra["label"] = label
        result.extra["server_rss"] = self.server_rss()
        log(
            f"N={result.participants} {label}: p50 {result.p50_ms:.1f} p99 {result.p99_ms:.1f} "
            f"max {result.max_ms:.1f} ms, {result.delivered_pct:.2f} % delivered, "
            f"{result.deliveries_per_s:,.0f} deliveries/s; "
            f"CPU: server {meter.result['server_cpu_pct']:.0f} %, "
            f"generator {meter.result['generator_cpu_pct']:.0f} %, "
            f"others {meter.result['others_cpu_pct']:.0f} %"
        )
        return result

    # -- board load ------------------------------------------------------------------------------

    async def board_load(
        self, host: str, port: int, board: str, facilitator_token: str, tokens: list[str]
    ) -> dict[str, Any]:
        config = self.config
        log(f"seeding a board with {config.snapshot_objects:,} objects")
        objects = large_board(config.snapshot_objects)
        owner = await Observer.open(host, port, board, facilitator_token)
        out: dict[str, Any] = {"objects": config.snapshot_objects}
        try:
            started = time.monotonic()
            await owner.create_objects(objects)
            out["seed_seconds"] = time.monotonic() - started
            token = self.probe_tokens[0]
            cold = await time_board_load(host, port, board, token)
            out["cold_ms"], out["bytes"] = cold.ms, cold.bytes
            idle = [await time_board_load(host, port, board, token) for _ in range(config.snapshot_reps)]
            out["idle_ms"] = [t.ms for t in idle]
            log(
                f"snapshot of {cold.bytes / 1e6:.2f} MB: cold {cold.ms:.1f} ms, "
                f"idle median {_median(out['idle_ms']):.1f} ms"
            )

            notes = [obj["id"] for obj in objects if obj["type"] == "note"][: config.snapshot_load]
            seats = [Seat(i, tokens[i], note) for i, note in enumerate(notes)]
            generator = LoadGenerator(self.targets, board, seats, config.workers)
            loaded: list[float] = []

            async def probe(seconds: float) -> None:
                gap = seconds / max(1, config.snapshot_reps)
                for _ in range(config.snapshot_reps):
                    started = time.monotonic()
                    loaded.append((await time_board_load(host, port, board, token)).ms)
                    await asyncio.sleep(max(0.0, gap - (time.monotonic() - started)))

            try:
                await generator.start()
                await asyncio.sleep(2.0)
                label = f"edits + cursors {config.cursor_hz:g} Hz" if config.cursor_hz else "edits"
                result = await self.phase(generator, f"{label}, snapshots", config.cursor_hz, probe)
            finally:
                await generator.stop()
            out["load_ms"] = loaded
            out["load_phase"] = result.as_dict()
            log(
                f"snapshot while {len(seats)} edit: median {_median(loaded):.1f} ms, "
                f"worst {max(loaded):.1f} ms"
            )
        finally:
            await owner.close()
        return out

    # -- resume ----------------------------------------------------------------------------------

    async def resume(self, host: str, port: int, board: str, seats: list[Seat]) -> list[dict[str, Any]]:
        config = self.config
        token = self.probe_tokens[1]
        out: list[dict[str, Any]] = []
        for behind in config.resume_behind:
            probe = await Observer.open(host, port, board, token)
            since = probe.seq
            await probe.close()
            sockets = math.ceil(behind / RESUME_WRITES_PER_SOCKET)
            writers = await asyncio.gather(
                *(Observer.open(host, port, board, seat.token) for seat in seats[:sockets])
            )
            try:
                remaining = behind
                pending = []
                for writer, seat in zip(writers, seats, strict=False):
                    count = min(RESUME_WRITES_PER_SOCKET, remaining)
                    remaining -= count
                    ids = [
                        writer.send_op({"kind": "update", "id": seat.note, "props": {"text": f"resume {k}"}})
                        for k in range(count)
                    ]
                    pending.append(writer.acked(ids))
                head = max(await asyncio.gather(*pending))
            finally:
                await asyncio.gather(*(w.close() for w in writers))
            timings = []
            how = ""
            for _ in range(config.resume_reps):
                timing, how = await time_resume(host, port, board, token, since)
                timings.append(timing)
            entry: dict[str, Any] = {
                "behind": head - since,
                "how": how,
                "ms": [t.ms for t in timings],
                "bytes": timings[0].bytes,
            }
            log(f"resume {head - since} ops behind ({how}): median {_median(entry['ms']):.1f} ms")
            out.append(entry)
        return out


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def _jsonable(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def parse(argv: list[str] | None) -> Config:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short windows and fewer repetitions (~2 min)")
    parser.add_argument("--participants", type=_numbers, help="N values, comma-separated (200,500,1000)")
    parser.add_argument("--edit-hz", type=float, help="edits a second per participant (0.2)")
    parser.add_argument("--cursor-hz", type=float, help="cursor moves a second per participant (1; 0 = none)")
    parser.add_argument("--warmup", type=float, help="seconds of load before each measured window (3)")
    parser.add_argument("--duration", type=float, help="seconds of each measured window (15)")
    parser.add_argument("--workers", type=int, help="load generator processes (2)")
    parser.add_argument("--snapshot-objects", type=int, help="objects on the large board (10000)")
    parser.add_argument("--resume-behind", type=_numbers, help="ops behind for resumes (100,1000,4000,6000)")
    parser.add_argument("--profile", action="store_true", help="also sample the server with py-spy")
    parser.add_argument("--profile-at", type=_numbers, help="N values to profile at (500,1000)")
    parser.add_argument("--servers", type=int, help="server processes (needs --broker-url when > 1)")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary directory")
    parser.add_argument("--broker-url", help="default: in-process (memory://)")
    parser.add_argument("--no-write", action="store_true", help="print results; leave BENCHMARKS.md alone")
    parser.add_argument("--output", type=Path, help="the Markdown file to update (BENCHMARKS.md)")
    args = parser.parse_args(argv)
    config = Config()
    if args.quick:
        config.quick = True
        config.warmup, config.duration = 2.0, 6.0
        config.snapshot_reps, config.resume_reps = 8, 3
        config.resume_behind = [100, 1000]
    for name in (
        "participants",
        "edit_hz",
        "cursor_hz",
        "warmup",
        "duration",
        "workers",
        "snapshot_objects",
        "resume_behind",
        "profile_at",
        "servers",
        "database_url",
        "broker_url",
        "output",
    ):
        value = getattr(args, name)
        if value is not None:
            setattr(config, name, value)
    config.profile = args.profile
    config.write = not args.no_write
    if config.servers > 1 and not config.broker_url:
        parser.error("--servers > 1 needs --broker-url (redis://...): processes share ops through it")
    if config.servers > 1 and not config.database_url:
        parser.error("--servers > 1 needs a shared --database-url (postgresql+asyncpg://...)")
    return config


async def _main(config: Config) -> int:
    started = time.monotonic()
    info = machine()
    servers = [Server(config.database_url, config.broker_url) for _ in range(config.servers)]
    try:
        servers[0].migrate()
        for server in servers:
            server.start()
        log(f"server{'s' if len(servers) > 1 else ''} up: {', '.join(s.base_url for s in servers)}")
        results = await Suite(config, servers).run()
    finally:
        for server in servers:
            server.stop()
            server.cleanup()
    results["machine"] = info
    results["date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results["seconds"] = time.monotonic() - started
    config.artifacts.mkdir(parents=True, exist_ok=True)
    raw = config.artifacts / f"results-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.json"
    raw.write_text(json.dumps(results, indent=2))
    log(f"raw results in {raw.relative_to(ROOT) if raw.is_relative_to(ROOT) else raw}")
    title = section_title(config.servers, config.database_url, config.broker_url)
    if config.write:
        write_section(config.output, title, results)
        log(f"wrote section '{title}' of {config.output}")
    log(f"done in {results['seconds']:.0f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_fast(_main(parse(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
