"""`python -m bench.run`: the benchmarks of our server, start to finish; one runner for both.

`make bench` (`python -m bench.run`), the sync engine suite: starts `board serve` on a fresh
SQLite file, then, on one workshop:

1. seeds the main board with one note per participant and records the server's RSS;
2. for each N (largest first, so the idle-memory figure comes from a fresh heap): connects N
   participants (memory per idle connection for the largest N), then runs two phases of
   1 edit per 5 s per participant, without and with cursors at 1 Hz;
3. seeds a breakout board with 10,000 objects and times a new client's snapshot, on an idle
   server and while 200 others edit and move cursors on that board;
4. times resumes: a client reconnecting `since` M ops ago;
5. with --profile, samples the server with py-spy during an extra phase at N = 500 and 1,000;

and writes the section "Sync engine (one process, SQLite)" of BENCHMARKS.md.

`make bench-peers` (`python -m bench.run --side-by-side`), our server beside the public peers
(y-websocket, pycrdt-websocket): for each N (largest first), our two fan-out phases, then each
peer started afresh for that N and driven by the same load generator through its adapter
(bench/adapters.py), the same phases with the same schedule. A peer that falls over is
measured as it falls; one whose memory passes `--rss-cap-mib` is killed and reported; one that
cannot be installed or started is reported and skipped. Writes the section "Public peers, side
by side" (with each peer's figures over ours from the same run).

Other sections of BENCHMARKS.md are left alone; the raw results go under artifacts/bench/.
Every process it starts is stopped on the way out, whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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
from bench import report
from bench.adapters import BoardAdapter, Kind, Seat, YjsAdapter, create_workshop, join_many
from bench.loadgen import LoadGenerator, PhaseResult, run_fast
from bench.peers.servers import PEERS, PeerProcess, PeerUnavailable, ensure_pycrdt
from bench.probes import Observer, large_board, seated_board, time_board_load, time_lone_edits, time_resume
from bench.server import ROOT, CpuMeter, Server, ServerProcess, cpu_seconds, machine, rss, settled_rss
from bench.wsclient import WsClient, open_ws

T = TypeVar("T")

LONE_EDITS = 40
"""Edits sent one at a time on the idle server, for the latency floor."""
RESUME_WRITES_PER_SOCKET = 150
"""Ops one writer socket sends at once: inside the server's burst of 200 messages."""
SETTLE = 3.0
"""Seconds between connecting everyone and measuring idle memory (presence, awareness)."""


@dataclass
class Config:
    participants: list[int] = field(default_factory=lambda: [200, 500, 1000])
    edit_hz: float = 0.2
    cursor_hz: float = 1.0
    arrivals: str = "poisson"
    """"poisson" (each participant's edits at random moments, as people edit: issue 19) or
    "even" (sends spread evenly, the setting of every run before 2026-12-07)."""
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
    side_by_side: bool = False
    peers: list[str] = field(default_factory=lambda: list(PEERS))
    rss_cap_mib: int = 3072
    write: bool = True
    output: Path = ROOT / "BENCHMARKS.md"
    artifacts: Path = ROOT / "artifacts" / "bench"
    quick: bool = False


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- one crowd on one server, whichever --------------------------------------------------------


@dataclass
class UnderTest:
    """The server a crowd is measured on: its processes, and what a phase notes about it."""

    name: str
    pids: list[int]
    alive: Callable[[], bool] = lambda: True
    note: Callable[[dict[str, Any]], None] = lambda extra: None
    """Adds to a phase's `extra` (server RSS; for a peer, its peak and whether it was killed)."""

    def rss(self) -> int:
        return sum(rss(pid) for pid in self.pids)

    def settled_rss(self) -> int:
        """All processes together: with --servers 2 each holds half the sockets."""
        return sum(settled_rss(pid) for pid in self.pids)


async def fan_out(
    config: Config, server: UnderTest, generator: LoadGenerator, memory: bool
) -> dict[str, Any]:
    """Connect the generator's participants, measure memory per idle connection (`memory`),
    then run the phases: edits, and edits + cursors. The caller stops the generator."""
    n = len(generator.seats)
    scenario: dict[str, Any] = {"participants": n, "phases": []}
    before = server.settled_rss() if memory else 0
    log(f"N={n} {server.name}: connecting")
    connected = await generator.start()
    scenario["connect"] = connected
    log(f"N={n} {server.name}: {connected['connected']} connected in {connected['seconds']:.1f} s")
    if connected["failures"]:
        log(f"N={n} {server.name}: connect failures: {connected['failures'][:3]}")
    await asyncio.sleep(SETTLE)
    if memory and server.alive():
        after = server.settled_rss()
        scenario["idle_memory"] = {
            "clients": n,
            "rss_before": before,
            "rss_after": after,
            "per_connection_kib": (after - before) / n / 1024,
        }
        log(f"N={n} {server.name}: {(after - before) / n / 1024:.1f} KiB per idle connection")
    phases = [("edits", 0.0)]
    if config.cursor_hz > 0:
        phases.append((f"edits + cursors {config.cursor_hz:g} Hz", config.cursor_hz))
    for label, cursor_hz in phases:
        if not server.alive():
            scenario.setdefault("skipped", []).append(label)
            continue
        result = await phase(config, server, generator, label, cursor_hz)
        scenario["phases"].append(result.as_dict())
    return scenario


async def phase(
    config: Config,
    server: UnderTest,
    generator: LoadGenerator,
    label: str,
    cursor_hz: float,
    during: Callable[[float], Awaitable[Any]] | None = None,
) -> PhaseResult:
    meter = CpuMeter({"server": server.pids, "generator": generator.pids, "orchestrator": [os.getpid()]})
    result = await generator.run_phase(
        edit_hz=config.edit_hz,
        cursor_hz=cursor_hz,
        warmup=config.warmup,
        duration=config.duration,
        poisson=config.arrivals == "poisson",
        at_window_start=meter.start,
        at_window_end=meter.stop,
        during_window=during,
    )
    result.extra.update(meter.result)
    result.extra["label"] = label
    server.note(result.extra)
    cpu = meter.result
    echo = "" if generator.adapter.sender_receives else f"echo {result.echoed_pct:.0f} %, "
    log(
        f"N={result.participants} {server.name} {label}: p50 {result.p50_ms:.1f} p99 {result.p99_ms:.1f} "
        f"max {result.max_ms:.1f} ms, {result.delivered_pct:.2f} % delivered, {echo}"
        f"{result.deliveries_per_s:,.0f} deliveries/s; CPU: server {cpu['server_cpu_pct']:.0f} %, "
        f"generator {cpu['generator_cpu_pct']:.0f} %, others {cpu['others_cpu_pct']:.0f} %"
        + (f"; {result.extra['killed']}" if result.extra.get("killed") else "")
    )
    return result


def ours(servers: list[Server]) -> UnderTest:
    def note(extra: dict[str, Any]) -> None:
        extra["server_rss"] = sum(rss(s.pid) for s in servers)

    return UnderTest("ours", [s.pid for s in servers], note=note)


# -- make bench: the sync engine suite -----------------------------------------------------------


class Suite:
    def __init__(self, config: Config, servers: list[Server]) -> None:
        self.config = config
        self.servers = servers
        self.primary = servers[0]
        self.server = ours(servers)
        self.results: dict[str, Any] = {"config": _jsonable(config.__dict__), "scenarios": []}
        self.stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")

    @property
    def targets(self) -> list[tuple[str, int]]:
        return [(s.host, s.port) for s in self.servers]

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
            self.results["rss_baseline"] = self.server.settled_rss()
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
        self.results["rss_end"] = self.server.rss()
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

    async def fan_out(self, board: str, seats: list[Seat], first: bool) -> dict[str, Any]:
        config = self.config
        n = len(seats)
        generator = LoadGenerator(BoardAdapter(board), self.targets, seats, config.workers)
        try:
            scenario = await fan_out(config, self.server, generator, memory=first)
            if config.profile and n in config.profile_at:
                path = config.artifacts / f"profile-{self.stamp}-n{n}.txt"

                async def sample(seconds: float) -> None:
                    try:
                        found = await profiling.record(self.primary.pid, seconds, path)
                    except Exception as problem:  # no py-spy, no ptrace rights: numbers still count
                        log(f"N={n}: profiling failed: {problem}")
                        scenario["profile_error"] = str(problem)
                        return
                    scenario["profile"] = found.as_dict()

                result = await phase(
                    config, self.server, generator, "profiled (py-spy)", config.cursor_hz, sample
                )
                scenario["profiled_phase"] = result.as_dict()
        finally:
            await generator.stop()
        return scenario

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
            generator = LoadGenerator(BoardAdapter(board), self.targets, seats, config.workers)
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
                result = await phase(
                    config, self.server, generator, f"{label}, snapshots", config.cursor_hz, probe
                )
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


# -- make bench-peers: our server beside the public peers -----------------------------------------


class SideBySide:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.results: dict[str, Any] = {
            "config": _jsonable(config.__dict__),
            "ours": {"scenarios": []},
            "peers": {name: {"scenarios": []} for name in config.peers},
            "failures": [],
        }
        self.available: dict[str, type[PeerProcess]] = {}

    def fail(self, where: str, problem: BaseException) -> None:
        text = f"{where}: {type(problem).__name__}: {problem}"
        log(text)
        self.results["failures"].append(text)

    def install(self) -> None:
        for name in self.config.peers:
            peer = PEERS[name]()
            try:
                log(f"{name}: installing (once)")
                peer.install()
                self.results["peers"][name]["version"] = peer.version()
                self.available[name] = PEERS[name]
            except PeerUnavailable as problem:
                self.results["peers"][name]["unavailable"] = str(problem)
                self.fail(name, problem)
            finally:
                peer.cleanup()

    async def run(self) -> dict[str, Any]:
        config = self.config
        most = max(config.participants)
        server = Server()
        try:
            server.migrate()
            server.start()
            log(f"our server up: {server.base_url}")
            board, seats, facilitator = await seated_board(server.host, server.port, "Peer comparison", most)
            try:
                await asyncio.sleep(1.0)
                for n in sorted(config.participants, reverse=True):
                    generator = LoadGenerator(
                        BoardAdapter(board), [(server.host, server.port)], seats[:n], config.workers
                    )
                    try:
                        found = await fan_out(config, ours([server]), generator, memory=n == most)
                        self.results["ours"]["scenarios"].append(found)
                    except Exception as problem:
                        self.fail(f"ours N={n}", problem)
                    finally:
                        await generator.stop()
                    for name, peer in self.available.items():
                        try:
                            found = await self.peer_fan_out(peer, n)
                            self.results["peers"][name]["scenarios"].append(found)
                        except Exception as problem:
                            self.fail(f"{name} N={n}", problem)
            finally:
                await facilitator.close()
        finally:
            server.cleanup()
        return self.results

    async def peer_fan_out(self, kind: type[PeerProcess], n: int) -> dict[str, Any]:
        """N participants of one document on a fresh process of the peer."""
        peer = kind()
        guard = MemoryGuard(peer, self.config.rss_cap_mib)
        generator = LoadGenerator(
            YjsAdapter(), [(peer.host, peer.port)], [Seat(i) for i in range(n)], self.config.workers
        )
        keeper: WsClient | None = None

        def note(extra: dict[str, Any]) -> None:
            extra["server_rss"] = rss(peer.pid) if peer.alive() else guard.peak
            extra["server_rss_peak"] = guard.peak
            if guard.killed:
                extra["killed"] = guard.killed
            elif not peer.alive():
                extra["died"] = f"exited with {peer.process.returncode if peer.process else '?'}"

        scenario: dict[str, Any] = {"participants": n, "phases": []}
        try:
            peer.start()
            guard.start()
            # One watcher joins first and stays, as our facilitator does on our board: it
            # creates the room before the crowd arrives (pycrdt-websocket can lose a socket
            # when many connections create the same room at once) and keeps it open.
            keeper = await _join(peer)
            server = UnderTest(peer.name, [peer.pid], alive=peer.alive, note=note)
            scenario = await fan_out(self.config, server, generator, memory=True)
        finally:
            await generator.stop()
            if keeper is not None:
                keeper.abort()
            await guard.stop()
            scenario["log_tail"] = peer.log_tail()
            peer.cleanup()
        return scenario


async def _join(peer: ServerProcess) -> WsClient:
    """A socket in the peer's room, once the server has greeted it (syncStep1)."""
    greeted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    adapter = YjsAdapter()

    def on_message(ws: WsClient, payload: bytes, now: int) -> None:
        if not greeted.done() and adapter.parse(payload).kind is Kind.READY:
            greeted.set_result(None)

    ws = await open_ws(peer.host, peer.port, adapter.path, on_message)
    await asyncio.wait_for(greeted, 30)
    return ws


class MemoryGuard:
    """Samples the peer's RSS twice a second; past the cap it kills the peer (an overwhelmed
    server buffering without bound would otherwise take the shared machine's memory)."""

    def __init__(self, peer: ServerProcess, cap_mib: int) -> None:
        self.peer = peer
        self.cap = cap_mib * 2**20
        self.peak = 0
        self.killed = ""
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._watch())

    async def _watch(self) -> None:
        while self.peer.alive():
            try:
                now = rss(self.peer.pid)
            except Exception:
                return
            self.peak = max(self.peak, now)
            if now > self.cap:
                self.killed = (
                    f"killed by the benchmark at {now / 2**20:,.0f} MiB RSS (cap {self.cap / 2**20:,.0f})"
                )
                log(f"{self.peer.name}: {self.killed}")
                self.peer.kill()
                return
            await asyncio.sleep(0.5)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


# -- command line ----------------------------------------------------------------------------------


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


def _names(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in PEERS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown peer {unknown[0]!r}: choose from {', '.join(PEERS)}")
    return names


OPTIONS = (
    "participants",
    "edit_hz",
    "cursor_hz",
    "arrivals",
    "warmup",
    "duration",
    "workers",
    "snapshot_objects",
    "resume_behind",
    "profile_at",
    "servers",
    "database_url",
    "broker_url",
    "peers",
    "rss_cap_mib",
    "output",
)


def parse(argv: list[str] | None) -> Config:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--quick", action="store_true", help="short windows, fewer repetitions (~1.5 min; side by side ~5)")
    add("--participants", type=_numbers, help="N values, comma-separated (200,500,1000)")
    add("--edit-hz", type=float, help="edits a second per participant (0.2)")
    add("--cursor-hz", type=float, help="cursor moves a second per participant (1; 0 = none)")
    add("--arrivals", choices=("even", "poisson"), help="edits at random moments (poisson) or spread evenly")
    add("--warmup", type=float, help="seconds of load before each measured window (3)")
    add("--duration", type=float, help="seconds of each measured window (15)")
    add("--workers", type=int, help="load generator processes (2)")
    add("--snapshot-objects", type=int, help="objects on the large board (10000)")
    add("--resume-behind", type=_numbers, help="ops behind for resumes (100,1000,4000,6000)")
    add("--profile", action="store_true", help="also sample the server with py-spy")
    add("--profile-at", type=_numbers, help="N values to profile at (500,1000)")
    add("--servers", type=int, help="server processes (needs --broker-url when > 1)")
    add("--database-url", help="default: a fresh SQLite file in a temporary directory")
    add("--broker-url", help="default: in-process (memory://)")
    add("--side-by-side", action="store_true", help="our server beside the public peers (make bench-peers)")
    add("--peers", type=_names, help=f"with --side-by-side: comma-separated ({','.join(PEERS)})")
    add("--rss-cap-mib", type=int, help="with --side-by-side: kill a peer whose RSS passes this (3072)")
    add("--no-write", action="store_true", help="print results; leave BENCHMARKS.md alone")
    add("--output", type=Path, help="the Markdown file to update (BENCHMARKS.md)")
    args = parser.parse_args(argv)
    config = Config(side_by_side=args.side_by_side, profile=args.profile, write=not args.no_write)
    if args.quick:
        config.quick = True
        if config.side_by_side:
            config.warmup, config.duration = 1.0, 3.0
        else:
            config.warmup, config.duration = 2.0, 6.0
            config.snapshot_reps, config.resume_reps = 8, 3
            config.resume_behind = [100, 1000]
    for name in OPTIONS:
        value = getattr(args, name)
        if value is not None:
            setattr(config, name, value)
    if config.servers > 1 and not config.broker_url:
        parser.error("--servers > 1 needs --broker-url (redis://...): processes share ops through it")
    if config.servers > 1 and not config.database_url:
        parser.error("--servers > 1 needs a shared --database-url (postgresql+asyncpg://...)")
    if config.side_by_side and (
        config.servers > 1 or config.database_url or config.broker_url or config.profile
    ):
        parser.error("--side-by-side runs one `board serve` on SQLite: no --servers, --*-url or --profile")
    return config


async def _suite(config: Config) -> tuple[str, dict[str, Any]]:
    servers = [Server(config.database_url, config.broker_url) for _ in range(config.servers)]
    try:
        servers[0].migrate()
        for server in servers:
            server.start()
        log(f"server{'s' if len(servers) > 1 else ''} up: {', '.join(s.base_url for s in servers)}")
        results = await Suite(config, servers).run()
    finally:
        for server in servers:
            server.cleanup()
    return "results", results


async def _side_by_side(config: Config) -> tuple[str, dict[str, Any]]:
    ensure_pycrdt()
    side = SideBySide(config)
    side.install()
    return "peers", await side.run()


async def _main(config: Config) -> int:
    started = time.monotonic()
    info = machine()
    kind, results = await (_side_by_side(config) if config.side_by_side else _suite(config))
    results["machine"] = info
    results["date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results["seconds"] = time.monotonic() - started
    config.artifacts.mkdir(parents=True, exist_ok=True)
    raw = config.artifacts / f"{kind}-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.json"
    raw.write_text(json.dumps(results, indent=2))
    log(f"raw results in {raw.relative_to(ROOT) if raw.is_relative_to(ROOT) else raw}")
    if config.write:
        title = report.write(config.output, results)
        log(f"wrote section '{title}' of {config.output}")
    log(f"done in {results['seconds']:.0f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_fast(_main(parse(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
