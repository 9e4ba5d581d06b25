"""The section "Public peers, side by side" of BENCHMARKS.md, written by `bench.peers.run`.

Only that section is replaced (bench/report.py's `replace_section`); the sync engine sections
and anything else in the file stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.report import HEADER, replace_section

TITLE = "Public peers, side by side"
NAMES = {
    "y-websocket": "y-websocket (npm `@y/websocket-server`)",
    "pycrdt-websocket": "pycrdt-websocket (PyPI, on uvicorn)",
}

Add = Callable[[str], None]


def write_section(path: Path, results: dict[str, Any]) -> None:
    text = path.read_text() if path.exists() else HEADER
    path.write_text(replace_section(text, TITLE, render(results)))


def measured(results: dict[str, Any]) -> bool:
    """Whether any peer has a measured phase (only then does the quoted table go)."""
    return any(s["phases"] for peer in results.get("peers", {}).values() for s in peer.get("scenarios", []))


def _ms(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    if value >= 100:
        return f"{value:.0f} ms"
    return f"{value:.1f} ms"


def _pct(value: float) -> str:
    text = f"{value:.2f} %"
    return text if value >= 100 else f"**{text}**"


def _cpu(extra: dict[str, Any]) -> str:
    total = f"{extra.get('server_cpu_pct', 0):.0f} %"
    if "server_loop_thread_pct" not in extra:
        return total
    return f"{total} ({extra['server_loop_thread_pct']:.0f} + {extra['server_other_threads_pct']:.0f})"


def _cursors(phase: dict[str, Any]) -> str:
    return f"{phase['cursor_hz']:g} Hz" if phase["cursor_hz"] else "none"


def _phase(scenarios: list[dict[str, Any]], n: int, cursors: bool) -> dict[str, Any] | None:
    for scenario in scenarios:
        if scenario["participants"] == n:
            for phase in scenario["phases"]:
                if (phase["cursor_hz"] > 0) == cursors:
                    found: dict[str, Any] = phase
                    return found
    return None


def _memory(scenarios: list[dict[str, Any]], n: int) -> float | None:
    for scenario in scenarios:
        if scenario["participants"] == n and "idle_memory" in scenario:
            per: float = scenario["idle_memory"]["per_connection_kib"]
            return per
    return None


def _cpu_per_delivery_us(phase: dict[str, Any]) -> float | None:
    """Server CPU per (edit, receiver) delivery, in µs: the cost of the broadcast job."""
    deliveries = float(phase["deliveries_per_s"])
    if not deliveries:
        return None
    cpu: float = phase["extra"].get("server_cpu_pct", 0.0)
    return cpu / 100 * 1e6 / deliveries


def render(results: dict[str, Any]) -> str:
    out: list[str] = []
    add = out.append
    info = results.get("machine", {})
    config = results.get("config", {})
    peers: dict[str, Any] = results.get("peers", {})
    ours = results.get("ours", {}).get("scenarios", [])
    add(f"## {TITLE}\n\n")
    for failure in results.get("failures", []):
        add(f"**Part of this run failed**: {failure}\n\n")
    flags = " --quick" if config.get("quick") else ""
    add(
        f"Measured by `python -m bench.peers.run{flags}` (`make bench-peers` runs it without flags) on "
        f"{results.get('date', '?')}; the run took {results.get('seconds', 0):.0f} s. This section is "
        "rewritten on each run.\n\n"
    )
    add(
        f"Machine: {info.get('cpu', '?')}, {info.get('cores', '?')} cores, {info.get('ram', '?')} RAM, "
        f"{info.get('os', '?')}; Python {info.get('python', '?')}; commit {info.get('commit', '?')}. "
        f"Load average when the run began: {info.get('load_before', '?')}. Peers: "
        + "; ".join(f"{peer.get('version', '?')}" for peer in peers.values())
        + ".\n\n"
    )
    edit_hz = config.get("edit_hz", 0.2)
    add(
        "**The job**, the same for all three, in one run, one after the other at each N: N participants "
        f"on one shared board (ours) or one shared Yjs document (the peers), each changing its own entry "
        f"once every {1 / edit_hz:g} s with sends spread evenly, then the same plus a cursor move a second "
        f"each; {config.get('warmup', '?'):g} s of warm-up, a {config.get('duration', '?'):g} s measured "
        f"window, then a drain. The load generator is {config.get('workers', '?')} worker processes of "
        "real websocket clients on loopback, on the same 2 cores as the server. Latency is edit sent → "
        "edit received, over every (edit, receiver) pair that arrived. Our server is `board serve` on "
        "SQLite and commits every op before its ack and its delivery; the peers keep their document "
        "in memory and store nothing. The peers' edits are real Yjs updates (a `Y.Map` entry per "
        "participant, made by pycrdt) in the y-protocol; each carries its send time, which receivers "
        "find by scanning the update's bytes (bench/README.md).\n\n"
    )
    add(
        "**Counting receivers**: both peers send each update to every socket of the room, its sender's "
        "included (*echo*: the share of edits that came back to their sender, measured). Their "
        "*delivered* counts the N − 1 others: pairs received / (edits sent × (N − 1)); ours counts all "
        "N, the sender included, as in the sync engine section. Latency percentiles include the "
        "sender's own copy for all three. A peer runs in a fresh process for each N (ours runs once "
        "for the whole run); one extra socket joins first and stays (our facilitator; the peers' "
        "room keeper). Cursors: our server sends the latest positions on a ~20 ms tick; the peers "
        "relay every awareness update to every socket at once, so with cursors they carry N times as "
        "many messages. *Others' CPU* is what processes outside the benchmark used during the window; "
        "when it is not near zero the machine was shared.\n\n"
    )
    _ratio(add, results)
    add("### Our server (same run)\n\n")
    _ours_table(add, ours)
    for name, peer in peers.items():
        add(f"### {NAMES.get(name, name)}\n\n")
        if "unavailable" in peer:
            add(f"Not measured: {peer['unavailable']}\n\n")
            continue
        _peer_table(add, peer.get("scenarios", []))
    return "".join(out)


def _ratio(add: Add, results: dict[str, Any]) -> None:
    ours = results.get("ours", {}).get("scenarios", [])
    peers = {name: p for name, p in results.get("peers", {}).items() if p.get("scenarios")}
    if not ours or not peers:
        return
    add("### Ratio: each peer ÷ our server (same run, same N, same phase)\n\n")
    add(
        "Above 1× the peer is slower, or spends more CPU or memory, than ours; below 1× it does better. "
        "*CPU per delivery* is server CPU time over (edit, receiver) deliveries in the window. "
        "Delivered is each peer's (to the N − 1 others) beside ours. A ratio of latencies over a peer "
        "that lost edits compares only what arrived.\n\n"
    )
    _disturbance(add, results)
    heads = ["N", "cursors"]
    for name in peers:
        heads += [f"{name} p50", f"{name} p99", f"{name} CPU per delivery", f"{name} delivered"]
    heads.append("ours delivered")
    add("| " + " | ".join(heads) + " |\n|" + "---|" * len(heads) + "\n")
    sizes = sorted({s["participants"] for s in ours})
    for n in sizes:
        for cursors in (False, True):
            base = _phase(ours, n, cursors)
            if base is None:
                continue
            cells = [str(n), _cursors(base)]
            for peer in peers.values():
                phase = _phase(peer["scenarios"], n, cursors)
                if phase is None:
                    cells += ["—", "—", "—", "not run"]
                    continue
                arrived = phase["delivered"] > 0 or phase["echoed_pct"] > 0
                cells.append(_times(phase["p50_ms"], base["p50_ms"]) if arrived else "none arrived")
                cells.append(_times(phase["p99_ms"], base["p99_ms"]) if arrived else "none arrived")
                mine, theirs = _cpu_per_delivery_us(base), _cpu_per_delivery_us(phase)
                cells.append(_times(theirs, mine) if mine and theirs else "—")
                cells.append(_pct(phase["delivered_pct"]) + _fell(phase))
            cells.append(_pct(base["delivered_pct"]))
            add("| " + " | ".join(cells) + " |\n")
    most = max(sizes)
    mine_memory = _memory(ours, most)
    if mine_memory:
        parts = []
        for name, peer in peers.items():
            theirs = _memory(peer["scenarios"], most)
            if theirs is not None:
                parts.append(f"{name} {theirs:.1f} KiB ({_times(theirs, mine_memory)})")
        if parts:
            add(
                f"\nMemory per idle connection at N={most:,}: ours {mine_memory:.1f} KiB; "
                + "; ".join(parts)
                + ".\n"
            )
    add("\n")


QUIET = 20.0
"""Others' CPU (% of one core) above which a window counts as disturbed."""


def _disturbance(add: Add, results: dict[str, Any]) -> None:
    """Say so when other people's work shared the machine during the measured windows."""
    scenarios = list(results.get("ours", {}).get("scenarios", []))
    for peer in results.get("peers", {}).values():
        scenarios += peer.get("scenarios", [])
    others = [p["extra"].get("others_cpu_pct", 0.0) for s in scenarios for p in s["phases"]]
    if not others or max(others) <= QUIET:
        return
    busy = sum(1 for value in others if value > QUIET)
    mean = sum(others) / len(others)
    if mean <= QUIET:
        add(
            f"Other processes used little CPU during the measured windows (mean {mean:.0f} % of a core); "
            f"{busy} of {len(others)} windows saw more than {QUIET:.0f} % (most {max(others):.0f} %), "
            "and their rows are the noisier.\n\n"
        )
        return
    add(
        f"**This run was disturbed**: in {busy} of {len(others)} measured windows other processes used "
        f"more than {QUIET:.0f} % of a core (mean {sum(others) / len(others):.0f} %, most "
        f"{max(others):.0f} %, out of the 200 % the machine has), so every server here, ours included, "
        "ran short of CPU. A server that needs more CPU per delivery is likely to suffer more from that, "
        "so the ratios may overstate the gaps; run `make bench-peers` on a quiet machine for figures "
        "to quote.\n\n"
    )


def _times(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "—"
    ratio = value / base
    return f"{ratio:,.0f}×" if ratio >= 100 else f"{ratio:.2f}×"


def _fell(phase: dict[str, Any]) -> str:
    extra = phase.get("extra", {})
    if extra.get("killed") or extra.get("died"):
        return " (fell over)"
    if phase.get("closed"):
        return f" ({phase['closed']} closed)"
    return ""


def _ours_table(add: Add, scenarios: list[dict[str, Any]]) -> None:
    if not scenarios:
        add("Not measured (see the failures above).\n\n")
        return
    add(
        "| N | cursors | edits/s | delivered (all N) | in order | p50 | p95 | p99 | max | op deliveries/s "
        "| ops + cursor frames/s | server CPU (loop + other threads) | generator CPU | others' CPU "
        "| server RSS | memory / idle connection |\n"
    )
    add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    for scenario in sorted(scenarios, key=lambda s: s["participants"]):
        memory = scenario.get("idle_memory", {}).get("per_connection_kib")
        for phase in scenario["phases"]:
            extra = phase["extra"]
            order = "yes" if phase["order_violations"] == 0 else f"**{phase['order_violations']} violations**"
            add(
                f"| {phase['participants']} | {_cursors(phase)} | {phase['edits_per_s']:.0f} "
                f"| {_pct(phase['delivered_pct'])} | {order} | {_ms(phase['p50_ms'])} "
                f"| {_ms(phase['p95_ms'])} | {_ms(phase['p99_ms'])} | {_ms(phase['max_ms'])} "
                f"| {phase['deliveries_per_s']:,.0f} "
                f"| {phase['ops_frames_per_s']:,.0f} + {phase['cursor_frames_per_s']:,.0f} | {_cpu(extra)} "
                f"| {phase['generator_cpu_pct']:.0f} % | {extra.get('others_cpu_pct', 0):.0f} % "
                f"| {extra.get('server_rss', 0) / 2**20:.0f} MiB "
                f"| {f'{memory:.1f} KiB' if memory is not None and phase['cursor_hz'] == 0 else ''} |\n"
            )
    add("\n")


def _peer_table(add: Add, scenarios: list[dict[str, Any]]) -> None:
    if not scenarios:
        add("Not measured (see the failures above).\n\n")
        return
    add(
        "| N | cursors | edits/s | delivered (N − 1 others) | echo | p50 | p95 | p99 | max "
        "| edit deliveries/s | update + awareness frames/s | server CPU (main + other threads) "
        "| generator CPU | others' CPU | server RSS (peak) | memory / idle connection |\n"
    )
    add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    notes: list[str] = []
    for scenario in sorted(scenarios, key=lambda s: s["participants"]):
        memory = scenario.get("idle_memory", {}).get("per_connection_kib")
        for phase in scenario["phases"]:
            extra = phase["extra"]
            arrived = phase["delivered"] > 0 or phase["echoed_pct"] > 0
            latency = " | ".join(
                _ms(phase[key]) if arrived else ("none arrived" if key == "p50_ms" else "—")
                for key in ("p50_ms", "p95_ms", "p99_ms", "max_ms")
            )
            add(
                f"| {phase['participants']} | {_cursors(phase)} | {phase['edits_per_s']:.0f} "
                f"| {_pct(phase['delivered_pct'])}{_fell(phase)} | {phase['echoed_pct']:.0f} % "
                f"| {latency} | {phase['deliveries_per_s']:,.0f} "
                f"| {phase['update_frames_per_s']:,.0f} + {phase['awareness_frames_per_s']:,.0f} "
                f"| {_cpu(extra)} | {phase['generator_cpu_pct']:.0f} % "
                f"| {extra.get('others_cpu_pct', 0):.0f} % | {extra.get('server_rss', 0) / 2**20:,.0f} MiB "
                f"({extra.get('server_rss_peak', 0) / 2**20:,.0f}) "
                f"| {f'{memory:.1f} KiB' if memory is not None and phase['cursor_hz'] == 0 else ''} |\n"
            )
            what = []
            if extra.get("killed"):
                what.append(extra["killed"])
            if extra.get("died"):
                what.append(f"the server {extra['died']}")
            if phase["lagging"]:
                what.append(f"{phase['lagging']} sockets still missing edits after the drain")
            if phase["closed"]:
                what.append(f"{phase['closed']} sockets closed ({phase['close_codes']})")
            if what:
                notes.append(f"N={phase['participants']}, cursors {_cursors(phase)}: " + "; ".join(what))
        connect = scenario.get("connect", {})
        if connect:
            n = scenario["participants"]
            line = f"N={n}: connected {connect['connected']} in {connect['seconds']:.1f} s"
            if connect.get("failures"):
                line += f" (failures: `{connect['failures'][0][:120]}`)"
            notes.append(line)
        for label in scenario.get("skipped", []):
            notes.append(f"N={scenario['participants']}, {label}: not run, the server was gone")
    if any(s.get("idle_memory", {}).get("per_connection_kib", 0) < 0 for s in scenarios):
        notes.append(
            "memory per idle connection below zero: the server's RSS fell while sockets connected "
            "(its garbage collector returned memory); at that N the figure is noise"
        )
    add("\n")
    for note in notes:
        add(f"- {note}.\n")
    if notes:
        add("\n")


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.peers.report artifacts/bench/peers-*.json`: rewrite the section from raw
    results (after changing how it renders, say) without running anything again."""
    import argparse
    import json

    from bench import report as bench_report
    from bench.server import ROOT

    parser = argparse.ArgumentParser(prog="python -m bench.peers.report", description=main.__doc__)
    parser.add_argument("results", type=Path, help="a peers-*.json written by bench.peers.run")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text())
    write_section(args.output, results)
    if measured(results):
        args.output.write_text(bench_report.point_to_measured_peers(args.output.read_text()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
