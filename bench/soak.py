"""Soak: hostile participants writing at the rate limits beside 200 ordinary ones (issue 15).

    .venv/bin/python -m bench.soak                 # 5 minutes, 6 hostile, 200 ordinary
    .venv/bin/python -m bench.soak --minutes 3 --no-write

One `board serve` on SQLite with `BOARD_MEMORY_BUDGET` set (64 MiB by default, so the soak
reaches it). Ordinary participants edit their own note on the main board every 5 s, sends
spread evenly (the fan-out benchmark's load generator); each hostile participant sits on a breakout
board of its own and sends batches of 100 notes with ~1,000 characters each (~110 KB a frame)
40 times a second, under `messages_per_second`, for the whole soak. Reported: server RSS every
5 s, the ordinary participants' p50/p99 per 30 s window and how much was delivered, what the
hostile clients were told (acked, `rate_limited`, `board_full`, `server_full`), then RSS once
everyone has left and the boards have closed (ROOM_IDLE, 30 s). Section "Soak: hostile
writers" of BENCHMARKS.md is rewritten.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.adapters import BoardAdapter, Seat, create_workshop, join_many
from bench.loadgen import LoadGenerator
from bench.probes import Observer
from bench.report import replace_section
from bench.server import ROOT, Server, cpu_seconds, machine, rss

TITLE = "Soak: hostile writers beside 200 participants"
WINDOW = 30.0
"""Seconds of each measured window of the ordinary participants."""


def _frame_template(who: int) -> str:
    """A batch of 100 notes of ~1,000 characters as an op frame, `@N@` standing for its number:
    built once, so that sending 40 a second costs the generator a string replace, not JSON."""
    text = f"{who}-@N@-" + "x" * 990
    ops = [
        {"kind": "create", "obj": {"type": "note", "id": f"h{who}-@N@-{i}", "x": i, "y": 0, "text": text}}
        for i in range(100)
    ]
    op = {"type": "op", "id": f"h{who}-@N@", "op": {"kind": "batch", "ops": ops}}
    return json.dumps(op, separators=(",", ":"))


async def _hostile(observer: Observer, who: int, stop: asyncio.Event, rate: float) -> int:
    template = _frame_template(who)
    sent = 0
    while not stop.is_set():
        assert observer.ws is not None
        observer.ws.send_text(template.replace("@N@", str(sent)))
        sent += 1
        await asyncio.sleep(1 / rate)
    return sent


async def soak(args: argparse.Namespace) -> dict[str, Any]:
    budget = args.budget_mib * 2**20
    os.environ["BOARD_MEMORY_BUDGET"] = str(budget)
    server = Server()
    results: dict[str, Any] = {"budget": budget, "machine": machine(), "rss": [], "windows": []}
    try:
        server.migrate()
        server.start()
        await _soak_server(server, args, results)
    finally:
        server.stop()
        server.cleanup()
    results["date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results["minutes"] = args.minutes
    results["hostile"] = args.hostile
    results["participants"] = args.participants
    return results


async def _soak_server(server: Server, args: argparse.Namespace, results: dict[str, Any]) -> None:
    """The soak itself on a running server: ordinary load and hostile writers side by side,
    then everyone leaves and the rooms close."""
    base = server.base_url
    created = await create_workshop(base, "Soak", breakouts=args.hostile)
    boards = [b["id"] for b in created["boards"]]
    tokens = await join_many(base, created["join_code"], args.participants + args.hostile)
    seats = [Seat(i, t, f"n{i}") for i, t in enumerate(tokens[: args.participants])]
    facilitator = await Observer.open(server.host, server.port, boards[0], created["token"])
    await facilitator.create_notes([seat.note for seat in seats])
    results["rss_start"] = rss(server.pid)
    generator = LoadGenerator(BoardAdapter(boards[0]), [(server.host, server.port)], seats, 2)
    await generator.start()
    hostiles = [
        await Observer.open(server.host, server.port, boards[1 + h], tokens[args.participants + h])
        for h in range(args.hostile)
    ]
    stop = asyncio.Event()
    started = time.monotonic()
    cpu_before = cpu_seconds(server.pid)
    writers = [asyncio.create_task(_hostile(o, h, stop, args.rate)) for h, o in enumerate(hostiles)]
    sampler = asyncio.create_task(_sample_rss(server, started, stop, results["rss"]))
    await _ordinary_windows(generator, started, args.minutes, results["windows"])
    stop.set()
    results["server_cpu_pct"] = 100 * (cpu_seconds(server.pid) - cpu_before) / (time.monotonic() - started)
    results["load_average"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results["hostile_sent"] = sum([await w for w in writers])
    await sampler
    await asyncio.sleep(3)
    results["hostile_told"] = _told(hostiles)
    results["rss_peak"] = max(r for _, r in results["rss"])
    for o in [*hostiles, facilitator]:
        await o.close()
    await generator.stop()
    await asyncio.sleep(40)  # ROOM_IDLE (30 s), then the rooms close
    results["rss_after_leaving"] = rss(server.pid)


async def _sample_rss(
    server: Server, started: float, stop: asyncio.Event, samples: list[tuple[int, int]]
) -> None:
    """The server's RSS every 5 s until the soak stops, as (seconds in, bytes)."""
    while not stop.is_set():
        samples.append((round(time.monotonic() - started), rss(server.pid)))
        print(f"t={samples[-1][0]:4d} s  RSS {samples[-1][1] / 2**20:7.1f} MiB", flush=True)
        await asyncio.sleep(5)


async def _ordinary_windows(
    generator: LoadGenerator, started: float, minutes: float, windows: list[dict[str, Any]]
) -> None:
    """The ordinary participants measured window by window until the soak's time is up."""
    while time.monotonic() - started < minutes * 60 - WINDOW:
        phase = await generator.run_phase(edit_hz=0.2, cursor_hz=0, warmup=2, duration=WINDOW)
        row = {
            "t": round(time.monotonic() - started),
            "p50": phase.p50_ms,
            "p99": phase.p99_ms,
            "delivered": phase.delivered_pct,
        }
        windows.append(row)
        print(f"ordinary: {row}", flush=True)


def _told(hostiles: list[Observer]) -> dict[str, int]:
    """What the hostile clients were told: how many ops acked, and each error code's count."""
    told: collections.Counter[str] = collections.Counter()
    for o in hostiles:
        told["acked"] += len(o.acks)
        told.update(e.get("code", "?") for e in o.errors)
    return dict(told)


def render(r: dict[str, Any]) -> str:
    mib = 2**20
    m = r["machine"]
    lines = [
        f"## {TITLE}",
        "",
        f"`python -m bench.soak --minutes {r['minutes']:g}`, {r['date']}, {m['cpu']}, {m['cores']} cores, "
        f"{m['ram']}, {m['os']}, Python {m['python']}, commit {m['commit']}. One `board serve` on SQLite, "
        f"`BOARD_MEMORY_BUDGET={r['budget']}` ({r['budget'] // mib} MiB); {r['participants']} ordinary "
        f"participants edit their note every 5 s on the main board; {r['hostile']} hostile ones each send "
        "~110 KB batches of 100 notes 40 times a second on a breakout board of their own.",
        "",
        f"- RSS: {r['rss_start'] / mib:.0f} MiB before, peak {r['rss_peak'] / mib:.0f} MiB, "
        f"{r['rss_after_leaving'] / mib:.0f} MiB 40 s after everyone left.",
        f"- Server CPU over the soak: {r['server_cpu_pct']:.0f} % of one core; load average at the end "
        f"{r['load_average']} (2 cores: the generator, the hostile clients and the server share them).",
        f"- Hostile batches sent: {r['hostile_sent']:,}; answers: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(r["hostile_told"].items()))
        + ".",
        "",
        "| t (s) | ordinary p50 (ms) | p99 (ms) | delivered |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {w['t']} | {w['p50']:.1f} | {w['p99']:.1f} | {w['delivered']:.2f} % |" for w in r["windows"]
    ]
    lines += ["", "RSS over time (s: MiB): " + ", ".join(f"{t}: {v / mib:.0f}" for t, v in r["rss"]), ""]
    lines += [
        "How to read it: the budget counts JSON bytes held for open boards (replay windows, objects, "
        "cached snapshots, ops waiting); RSS is the process, with ~95 MiB of its own before any "
        "board. Hostile writes get through until their byte rate per socket (`socket_bytes_per_second`), "
        "their bytes a minute (`participant_bytes_per_minute`), their board's size or the budget "
        "stops them; what is dropped for the byte rate is dropped unread, and answered by one "
        "`rate_limited` a second. Ordinary edits are small and keep going past the budget (its "
        "eighth of headroom). The ordinary participants' latency is to be compared with the same "
        '200 without hostile clients in "Sync engine (one process, SQLite)" above; the machine\'s '
        "2 cores also run the load generator and the hostile clients.",
        "",
    ]
    return "\n".join(lines) + "\n"


def rewrite_from(raw: str) -> None:
    """Rewrite the BENCHMARKS.md section from a saved `artifacts/bench/soak-*.json`."""
    path = ROOT / "BENCHMARKS.md"
    path.write_text(replace_section(path.read_text(), TITLE, render(json.loads(Path(raw).read_text()))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--hostile", type=int, default=6)
    parser.add_argument("--rate", type=float, default=40.0, help="hostile batches a second each")
    parser.add_argument("--budget-mib", type=int, default=64)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    results = asyncio.run(soak(args))
    out = ROOT / "artifacts" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"soak-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.json").write_text(
        json.dumps(results, indent=2)
    )
    body = render(results)
    print(body)
    if not args.no_write:
        path = ROOT / "BENCHMARKS.md"
        path.write_text(replace_section(path.read_text(), TITLE, body))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
