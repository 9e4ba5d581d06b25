"""`python -m bench.peers.run` (`make bench-peers`): our server and two public peers, side by side.

For each N (1000, 500, 200: largest first, as bench.run does), in one invocation on one
machine, one after the other:

1. **ours**: `board serve` on a fresh SQLite file (started once for the whole run), N
   participants on one board, the two fan-out phases of `bench.run` (edits; edits + cursors);
2. **y-websocket** (npm `@y/websocket-server`) and **pycrdt-websocket** (PyPI, on uvicorn),
   each started afresh for this N on 127.0.0.1 and stopped after it: N participants on one
   document, the same two phases with the same schedule (bench/peers/loadgen.py).

A peer that falls over is measured as it falls (delivered %, p99 of what arrived, sockets
closed) and the run goes on; a peer whose memory passes `--rss-cap-mib` is killed, so an
overwhelmed server cannot take the shared machine's memory, and reported as such. A peer
that cannot be installed or started is reported and skipped. Every phase stops by itself
(its window, then a drain of at most 15 s), and every process the run starts is stopped on
the way out (and gets SIGTERM if the run itself is killed).

Writes the section "Public peers, side by side" of BENCHMARKS.md (with the ratio of each
peer's figures to ours from the same run) and the raw results to
artifacts/bench/peers-*.json; once measured numbers exist, the sync engine sections point
to them instead of quoting DESIGN.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report as bench_report
from bench.loadgen import Seat, create_workshop, join_many, run_fast
from bench.peers import report
from bench.peers.loadgen import ROOM, PeerLoadGenerator
from bench.peers.servers import PEERS, PeerProcess, PeerUnavailable, ensure_pycrdt
from bench.probes import Observer
from bench.run import Config as OurConfig
from bench.run import Suite
from bench.server import ROOT, CpuMeter, Server, machine, rss, settled_rss
from bench.wsclient import WsClient, open_ws

SETTLE = 3.0
"""Seconds between connecting everyone and measuring idle memory (presence, awareness)."""


@dataclass
class Config:
    participants: list[int] = field(default_factory=lambda: [200, 500, 1000])
    peers: list[str] = field(default_factory=lambda: list(PEERS))
    edit_hz: float = 0.2
    cursor_hz: float = 1.0
    warmup: float = 3.0
    duration: float = 15.0
    workers: int = 2
    rss_cap_mib: int = 3072
    write: bool = True
    output: Path = ROOT / "BENCHMARKS.md"
    artifacts: Path = ROOT / "artifacts" / "bench"
    quick: bool = False


def log(message: str) -> None:
    print(f"[bench.peers {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class SideBySide:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.results: dict[str, Any] = {
            "config": {k: str(v) if isinstance(v, Path) else v for k, v in config.__dict__.items()},
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
        ours = OurConfig(
            participants=config.participants,
            edit_hz=config.edit_hz,
            cursor_hz=config.cursor_hz,
            warmup=config.warmup,
            duration=config.duration,
            workers=config.workers,
        )
        try:
            server.migrate()
            server.start()
            log(f"our server up: {server.base_url}")
            created = await create_workshop(server.base_url, "Peer comparison")
            board = created["boards"][0]["id"]
            tokens = await join_many(server.base_url, created["join_code"], most)
            seats = [Seat(i, token, f"n{i}") for i, token in enumerate(tokens)]
            facilitator = await Observer.open(server.host, server.port, board, created["token"])
            suite = Suite(ours, [server])
            try:
                await facilitator.create_notes([seat.note for seat in seats])
                await asyncio.sleep(1.0)
                for n in sorted(config.participants, reverse=True):
                    log(f"N={n}: our server")
                    scenario = await suite.step(
                        f"ours N={n}", suite.fan_out(board, seats[:n], first=n == most)
                    )
                    if scenario is not None:
                        self.results["ours"]["scenarios"].append(scenario)
                    for name, peer in self.available.items():
                        log(f"N={n}: {name}")
                        try:
                            found = await self.peer_fan_out(peer, n)
                            self.results["peers"][name]["scenarios"].append(found)
                        except Exception as problem:
                            self.fail(f"{name} N={n}", problem)
            finally:
                await facilitator.close()
            self.results["failures"].extend(suite.results.get("failures", []))
        finally:
            server.stop()
            server.cleanup()
        return self.results

    async def peer_fan_out(self, kind: type[PeerProcess], n: int) -> dict[str, Any]:
        config = self.config
        peer = kind()
        scenario: dict[str, Any] = {"participants": n, "phases": []}
        generator: PeerLoadGenerator | None = None
        keeper: WsClient | None = None
        guard = MemoryGuard(peer, config.rss_cap_mib)
        try:
            peer.start()
            guard.start()
            # One watcher joins first and stays, as our facilitator does on our board: it
            # creates the room before the crowd arrives (pycrdt-websocket can lose a socket
            # when many connections create the same room at once) and keeps it open.
            keeper = await _join(peer)
            before = settled_rss(peer.pid)
            generator = PeerLoadGenerator((peer.host, peer.port), n, config.workers)
            connected = await generator.start()
            scenario["connect"] = connected
            log(f"N={n}: {connected['connected']} connected in {connected['seconds']:.1f} s")
            if connected["failures"]:
                log(f"N={n}: connect failures: {connected['failures'][:3]}")
            await asyncio.sleep(SETTLE)
            if peer.alive():
                after = settled_rss(peer.pid)
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
                if not peer.alive():
                    scenario.setdefault("skipped", []).append(label)
                    continue
                meter = CpuMeter(
                    {"server": [peer.pid], "generator": generator.pids, "orchestrator": [os.getpid()]}
                )
                result = await generator.run_phase(
                    edit_hz=config.edit_hz,
                    cursor_hz=cursor_hz,
                    warmup=config.warmup,
                    duration=config.duration,
                    at_window_start=meter.start,
                    at_window_end=meter.stop,
                )
                result.extra.update(meter.result)
                result.extra["label"] = label
                result.extra["server_rss"] = rss(peer.pid) if peer.alive() else guard.peak
                result.extra["server_rss_peak"] = guard.peak
                if guard.killed:
                    result.extra["killed"] = guard.killed
                elif not peer.alive():
                    result.extra["died"] = f"exited with {peer.process.returncode if peer.process else '?'}"
                scenario["phases"].append(result.as_dict())
                cpu = meter.result
                log(
                    f"N={n} {label}: p50 {result.p50_ms:.1f} p99 {result.p99_ms:.1f} "
                    f"max {result.max_ms:.1f} ms, {result.delivered_pct:.2f} % delivered, "
                    f"echo {result.echoed_pct:.0f} %, {result.deliveries_per_s:,.0f} deliveries/s; CPU: "
                    f"server {cpu['server_cpu_pct']:.0f} %, generator {cpu['generator_cpu_pct']:.0f} %, "
                    f"others {cpu['others_cpu_pct']:.0f} %" + (f"; {guard.killed}" if guard.killed else "")
                )
        finally:
            if generator is not None:
                await generator.stop()
            if keeper is not None:
                keeper.abort()
            await guard.stop()
            scenario["log_tail"] = peer.log_tail()
            peer.cleanup()
        return scenario


async def _join(peer: PeerProcess) -> WsClient:
    """A socket in the peer's room, once the server has greeted it (syncStep1)."""
    greeted: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def on_message(ws: WsClient, payload: bytes, now: int) -> None:
        if not greeted.done() and payload[:2] == b"\x00\x00":
            greeted.set_result(None)

    ws = await open_ws(peer.host, peer.port, ROOM, on_message)
    await asyncio.wait_for(greeted, 30)
    return ws


class MemoryGuard:
    """Samples the peer's RSS twice a second; past the cap it kills the peer (an overwhelmed
    server buffering without bound would otherwise take the shared machine's memory)."""

    def __init__(self, peer: PeerProcess, cap_mib: int) -> None:
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


def _numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def _names(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in PEERS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown peer {unknown[0]!r}: choose from {', '.join(PEERS)}")
    return names


def parse(argv: list[str] | None) -> Config:
    parser = argparse.ArgumentParser(prog="python -m bench.peers.run", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="3 s windows after 1 s warm-up (a check, ~5 min)"
    )
    parser.add_argument("--participants", type=_numbers, help="N values, comma-separated (200,500,1000)")
    parser.add_argument("--peers", type=_names, help=f"comma-separated ({','.join(PEERS)})")
    parser.add_argument("--edit-hz", type=float, help="edits a second per participant (0.2)")
    parser.add_argument("--cursor-hz", type=float, help="cursor moves a second per participant (1; 0 = none)")
    parser.add_argument("--warmup", type=float, help="seconds of load before each measured window (3)")
    parser.add_argument("--duration", type=float, help="seconds of each measured window (15)")
    parser.add_argument("--workers", type=int, help="load generator processes (2)")
    parser.add_argument("--rss-cap-mib", type=int, help="kill a peer whose RSS passes this (3072)")
    parser.add_argument("--no-write", action="store_true", help="print results; leave BENCHMARKS.md alone")
    parser.add_argument("--output", type=Path, help="the Markdown file to update (BENCHMARKS.md)")
    args = parser.parse_args(argv)
    config = Config()
    if args.quick:
        config.quick = True
        config.warmup, config.duration = 1.0, 3.0
    for name in (
        "participants",
        "peers",
        "edit_hz",
        "cursor_hz",
        "warmup",
        "duration",
        "workers",
        "rss_cap_mib",
        "output",
    ):
        value = getattr(args, name)
        if value is not None:
            setattr(config, name, value)
    config.write = not args.no_write
    return config


async def _main(config: Config) -> int:
    started = time.monotonic()
    info = machine()
    ensure_pycrdt()
    side = SideBySide(config)
    side.install()
    results = await side.run()
    results["machine"] = info
    results["date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results["seconds"] = time.monotonic() - started
    config.artifacts.mkdir(parents=True, exist_ok=True)
    raw = config.artifacts / f"peers-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.json"
    raw.write_text(json.dumps(results, indent=2))
    log(f"raw results in {raw.relative_to(ROOT) if raw.is_relative_to(ROOT) else raw}")
    if config.write:
        report.write_section(config.output, results)
        if report.measured(results):
            text = config.output.read_text()
            config.output.write_text(bench_report.point_to_measured_peers(text))
        log(f"wrote section '{report.TITLE}' of {config.output}")
    log(f"done in {results['seconds']:.0f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_fast(_main(parse(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
