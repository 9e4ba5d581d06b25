"""The Markdown that `bench.run` writes into BENCHMARKS.md: one section, replaced on each run.

Only the section named by `section_title()` is touched; whatever else the file holds (the
front end's section, notes people wrote) stays as it is.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

HEADER = "# Benchmarks\n\nNumbers measured on this project's machines. Each section says how it was made.\n"

PEERS = """\
| peer | N=200 p99 | N=500 p99 | N=1000 | memory / conn |
|---|---|---|---|---|
| y-websocket (npm `@y/websocket-server`) | 11 ms | 34 ms | falls over (57 % delivered, p99 29 s) | ~23 KiB |
| pycrdt-websocket (PyPI) | 62 ms | falls over (40 % delivered) | falls over | ~27 KiB |
"""


def section_title(servers: int, database_url: str, broker_url: str) -> str:
    database = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
    processes = "one process" if servers == 1 else f"{servers} processes"
    broker = " + Redis" if broker_url.startswith("redis") else ""
    return f"Sync engine ({processes}, {database}{broker})"


PEERS_QUOTED = "### Public peers, for reference (quoted from DESIGN.md §7, not measured here)"
PEERS_MEASURED = """\
### Public peers

Measured side by side on this machine by `python -m bench.peers.run` (`make bench-peers`): see
the section "Public peers, side by side", with the ratio of each peer's figures to ours from
the same run.

"""


def write_section(path: Path, title: str, results: dict[str, Any]) -> None:
    body = render(title, results)
    text = path.read_text() if path.exists() else HEADER
    text = replace_section(text, title, body)
    if "\n## Public peers, side by side\n" in text:
        text = point_to_measured_peers(text)
    path.write_text(text)


def point_to_measured_peers(text: str) -> str:
    """`text` with every quoted peers table replaced by a pointer to the measured section
    (written by bench.peers.run): the quote stays only until there are numbers of our own."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    i = 0
    while i < len(lines):
        if lines[i].rstrip() == PEERS_QUOTED:
            i += 1
            while i < len(lines) and not lines[i].startswith(("## ", "### ")):
                i += 1
            out.append(PEERS_MEASURED)
            continue
        out.append(lines[i])
        i += 1
    return "".join(out)


def replace_section(text: str, title: str, body: str) -> str:
    """`text` with the level-2 section `title` replaced by `body` (or `body` appended)."""
    lines = text.splitlines(keepends=True)
    heading = f"## {title}"
    start = next((i for i, line in enumerate(lines) if line.rstrip() == heading), None)
    if start is None:
        return text.rstrip("\n") + "\n\n" + body
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    tail = "".join(lines[end:])
    return "".join(lines[:start]) + body + ("\n" + tail if tail else "")


# -- rendering ------------------------------------------------------------------------------------


def _ms(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    if value >= 100:
        return f"{value:.0f} ms"
    return f"{value:.1f} ms"


def _phase(results: dict[str, Any], n: int, cursors: bool) -> dict[str, Any] | None:
    for scenario in results.get("scenarios", []):
        if scenario["participants"] != n:
            continue
        for phase in scenario["phases"]:
            if (phase["cursor_hz"] > 0) == cursors:
                found: dict[str, Any] = phase
                return found
    return None


def _yes(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**no**")


def render(title: str, results: dict[str, Any]) -> str:
    out: list[str] = []
    add = out.append
    info = results.get("machine", {})
    config = results.get("config", {})
    add(f"## {title}\n\n")
    for failure in results.get("failures", []):
        add(f"**Part of this run failed**: {failure}\n\n")
    add(
        f"Measured by `python -m bench.run{_flags(config)}` (`make bench` runs it without flags) "
        f"on {results.get('date', '?')}; the run took {results.get('seconds', 0):.0f} s. "
        "This section is rewritten on each run.\n\n"
    )
    add(
        f"Machine: {info.get('cpu', '?')}, {info.get('cores', '?')} cores, {info.get('ram', '?')} RAM, "
        f"{info.get('os', '?')}; Python {info.get('python', '?')}; {info.get('versions', '')}; "
        f"commit {info.get('commit', '?')}. "
        f"Load average when the run began: {info.get('load_before', '?')}.\n\n"
    )
    add(
        "Server and load generator share the machine's cores, as the public peers were measured "
        f"(DESIGN.md §7). The server is {_servers(config)}; every op is committed before its ack and its "
        f"delivery. The load generator is {config.get('workers', '?')} worker processes of real "
        "websocket clients on loopback (bench/README.md). *Others' CPU* is what processes outside the "
        "benchmark used during the window: when it is not near zero the machine was shared and "
        "latencies are noisier than on a quiet machine.\n\n"
    )
    _fan_out(add, results, config)
    _targets(add, results)
    add(PEERS_QUOTED + "\n\n")
    add(
        "Same job (one board, 1 edit per 5 s per participant, server and generator on one "
        "2-core box), but the peers keep nothing on disk. Quoted until bench/ runs them side by "
        "side (issue #7).\n\n"
    )
    add(PEERS + "\n")
    _memory_and_load(add, results)
    _profiles(add, results)
    _generator(add, results)
    return "".join(out)


def _servers(config: dict[str, Any]) -> str:
    servers = config.get("servers", 1)
    if servers == 1 and not config.get("database_url") and not config.get("broker_url"):
        return "one `board serve` process (uvicorn, uvloop) on a fresh SQLite file with the in-process broker"
    database = "PostgreSQL" if str(config.get("database_url", "")).startswith("postgresql") else "SQLite"
    broker = "Redis" if str(config.get("broker_url", "")).startswith("redis") else "the in-process broker"
    return (
        f"{servers} `board serve` process{'es' if servers > 1 else ''} (uvicorn, uvloop) on one {database} "
        f"database and {broker}, participants spread round-robin over them"
    )


def _flags(config: dict[str, Any]) -> str:
    flags = [flag for flag, key in (("--quick", "quick"), ("--profile", "profile")) if config.get(key)]
    if config.get("servers", 1) > 1:
        flags.append(
            f"--servers {config['servers']} --database-url postgresql+asyncpg://... --broker-url redis://..."
        )
    return "".join(f" {flag}" for flag in flags)


def _fan_out(add: Callable[[str], None], results: dict[str, Any], config: dict[str, Any]) -> None:
    edit_hz = config.get("edit_hz", 0.2)
    add(
        f"### Fan-out: N participants on one board, one edit each every {1 / edit_hz:g} s\n\n"
        f"Measured window {config.get('duration', '?'):g} s after {config.get('warmup', '?'):g} s "
        "of warm-up. Latency is edit sent → op received, over every (op, receiver) pair, the sender "
        "included. *Delivered*: pairs received / (ops acked × N). *In order*: every `ops` frame "
        "started at the socket's last seq + 1 and listed consecutive seqs. CPU in % of one core.\n\n"
    )
    add(
        "| N | cursors | edits/s | delivered | in order | p50 | p95 | p99 | max | ack p99 "
        "| op deliveries/s | ops + cursor frames/s | server CPU (loop + SQLite threads) "
        "| server CPU per connection | generator CPU | others' CPU | server RSS |\n"
    )
    add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    rows = sorted(results.get("scenarios", []), key=lambda s: s["participants"])
    for scenario in rows:
        for phase in scenario["phases"]:
            _row(add, phase)
    load_phase = (results.get("snapshot") or {}).get("load_phase")
    if load_phase:
        _row(add, load_phase, note=" ¹")
        add(
            f"\n¹ On the board of {results['snapshot']['objects']:,} objects, while a new client "
            "loaded its snapshot every few hundred ms (below).\n"
        )
    add("\n")
    for scenario in rows:
        closed = sum(p["closed"] for p in scenario["phases"])
        errors = [e for p in scenario["phases"] for e in p["errors"]]
        connect = scenario.get("connect", {})
        notes = []
        if connect:
            notes.append(f"connected {connect['connected']} in {connect['seconds']:.1f} s")
        if closed:
            notes.append(f"{closed} sockets closed by the server ({scenario['phases'][-1]['close_codes']})")
        if errors:
            notes.append(f"errors: `{errors[0][:160]}`")
        if notes:
            add(f"- N={scenario['participants']}: " + "; ".join(notes) + ".\n")
    add("\n")


def _row(add: Callable[[str], None], phase: dict[str, Any], note: str = "") -> None:
    extra = phase.get("extra", {})
    cursors = f"{phase['cursor_hz']:g} Hz" if phase["cursor_hz"] else "none"
    in_order = "yes" if phase["order_violations"] == 0 else f"**{phase['order_violations']} violations**"
    delivered = f"{phase['delivered_pct']:.2f} %"
    if phase["delivered_pct"] < 100:
        delivered = f"**{delivered}**"
    add(
        f"| {phase['participants']}{note} | {cursors} | {phase['edits_per_s']:.0f} | {delivered} "
        f"| {in_order} | {_ms(phase['p50_ms'])} | {_ms(phase['p95_ms'])} | {_ms(phase['p99_ms'])} "
        f"| {_ms(phase['max_ms'])} "
        f"| {_ms(phase['ack_p99_ms'])} | {phase['deliveries_per_s']:,.0f} "
        f"| {phase['ops_frames_per_s']:,.0f} + {phase['cursor_frames_per_s']:,.0f} "
        f"| {_server_cpu(extra)} | {_cpu_per_connection(extra, phase['participants'])} "
        f"| {phase['generator_cpu_pct']:.0f} % "
        f"| {extra.get('others_cpu_pct', 0):.0f} % | {extra.get('server_rss', 0) / 2**20:.0f} MiB |\n"
    )


def _cpu_per_connection(extra: dict[str, Any], participants: int) -> str:
    """Server CPU time a second for each connected participant, in microseconds."""
    if not participants:
        return "—"
    return f"{extra.get('server_cpu_pct', 0) / 100 * 1e6 / participants:,.0f} µs/s"


def _server_cpu(extra: dict[str, Any]) -> str:
    total = f"{extra.get('server_cpu_pct', 0):.0f} %"
    if "server_loop_thread_pct" not in extra:
        return total
    return f"{total} ({extra['server_loop_thread_pct']:.0f} + {extra['server_other_threads_pct']:.0f})"


def _targets(add: Callable[[str], None], results: dict[str, Any]) -> None:
    add("### Against the targets\n\n")
    add(
        "The issue's figures (#2, \"Benchmark\") are the floor for resolving it; DESIGN.md §7's are "
        "where we are going.\n\n"
    )
    add("| what | issue #2 (floor) | DESIGN §7 (aim) | measured | floor met | aim met |\n")
    add("|---|---|---|---|---|---|\n")

    def row(
        what: str, floor: str, aim: str, measured: str, floor_ok: bool | None, aim_ok: bool | None
    ) -> None:
        add(f"| {what} | {floor} | {aim} | {measured} | {_yes(floor_ok)} | {_yes(aim_ok)} |\n")

    n500c, n500 = _phase(results, 500, True), _phase(results, 500, False)
    if n500c or n500:
        measured = []
        if n500:
            measured.append(f"{_ms(n500['p99_ms'])} (edits only)")
        if n500c:
            measured.append(f"{_ms(n500c['p99_ms'])} (with cursors)")
        floor_phase = n500c or n500
        assert floor_phase is not None
        row(
            "p99 edit→delivery, N=500 at 100 edits/s",
            "≤ 150 ms, with cursor traffic",
            "≤ 20 ms",
            ", ".join(measured),
            floor_phase["p99_ms"] <= 150,
            (n500 or floor_phase)["p99_ms"] <= 20,
        )
    n200 = _phase(results, 200, False)
    if n200:
        row("p99 edit→delivery, N=200", "—", "≤ 8 ms", _ms(n200["p99_ms"]), None, n200["p99_ms"] <= 8)
    n200c = _phase(results, 200, True)
    if n200c:
        row(
            "p99 edit→delivery, N=200 with cursors at 1 Hz each",
            "—",
            "≤ 15 ms",
            _ms(n200c["p99_ms"]),
            None,
            n200c["p99_ms"] <= 15,
        )
    n1000 = _phase(results, 1000, False)
    if n1000:
        row(
            "p99 edit→delivery, N=1000",
            "—",
            "≤ 100 ms",
            _ms(n1000["p99_ms"]),
            None,
            n1000["p99_ms"] <= 100,
        )
    phases = [p for s in results.get("scenarios", []) for p in s["phases"]]
    if phases:
        best = max(phases, key=lambda p: p["deliveries_per_s"])
        row(
            "op deliveries/s",
            "≥ 50,000",
            "≥ 199,000 (N=1000)",
            f"{best['deliveries_per_s']:,.0f} (N={best['participants']})",
            best["deliveries_per_s"] >= 50_000,
            n1000 is not None and n1000["deliveries_per_s"] >= 199_000,
        )
        complete = all(p["delivered_pct"] >= 100 and p["order_violations"] == 0 for p in phases)
        worst = min(phases, key=lambda p: p["delivered_pct"])
        row(
            "delivered, in seq order, at every N",
            "—",
            "100 %, in order",
            f"worst {worst['delivered_pct']:.2f} % (N={worst['participants']}), "
            f"{sum(p['order_violations'] for p in phases)} order violations",
            None,
            complete,
        )
    memory = _idle_memory(results)
    if memory:
        per = memory["per_connection_kib"]
        row(
            f"server memory per idle connection ({memory['clients']:,} clients)",
            "≤ 100 KiB",
            "≤ 20 KiB",
            f"{per:.1f} KiB",
            per <= 100,
            per <= 20,
        )
    snapshot = results.get("snapshot")
    if snapshot and snapshot.get("idle_ms"):
        idle = statistics.median(snapshot["idle_ms"])
        row(
            f"{snapshot['objects']:,}-object board to a new client, idle server (median)",
            "≤ 300 ms",
            "≤ 15 ms",
            _ms(idle),
            idle <= 300,
            idle <= 15,
        )
    if snapshot and snapshot.get("load_ms"):
        worst_load = max(snapshot["load_ms"])
        n = snapshot["load_phase"]["participants"]
        row(
            f"the same, worst, while {n} others edit and move cursors",
            "≤ 300 ms",
            "≤ 50 ms",
            _ms(worst_load),
            worst_load <= 300,
            worst_load <= 50,
        )
    add("\n")


def _idle_memory(results: dict[str, Any]) -> dict[str, Any] | None:
    for scenario in results.get("scenarios", []):
        if "idle_memory" in scenario:
            memory: dict[str, Any] = scenario["idle_memory"]
            return memory
    return None


def _memory_and_load(add: Callable[[str], None], results: dict[str, Any]) -> None:
    add("### Latency floor, memory, board load and resume\n\n")
    lone = results.get("lone_edits")
    if lone and lone.get("ack_ms"):
        add(
            f"- **A lone edit on an idle server** ({len(lone['ack_ms'])} edits, one at a time): ack "
            f"median {_ms(statistics.median(lone['ack_ms']))}, delivered to another client median "
            f"{_ms(statistics.median(lone['delivery_ms']))} (worst {_ms(max(lone['delivery_ms']))}); "
            f"the server spent {lone.get('server_cpu_ms_per_edit', 0):.1f} ms of CPU per edit (receive, "
            "commit, two sockets to send to). This is the floor under every percentile above.\n"
        )
    memory = _idle_memory(results)
    if memory:
        add(
            f"- **Memory per idle connection**: {memory['per_connection_kib']:.1f} KiB: server RSS "
            f"with {memory['clients']:,} idle participants connected ({memory['rss_after'] / 2**20:.0f} MiB) "
            f"minus RSS before they connected ({memory['rss_before'] / 2**20:.0f} MiB, the board already "
            f"loaded with a facilitator on it), divided by {memory['clients']:,}.\n"
        )
    snapshot = results.get("snapshot")
    if snapshot:
        idle = snapshot.get("idle_ms", [])
        load = snapshot.get("load_ms", [])
        add(
            f"- **Board load**: a board of {snapshot['objects']:,} objects (80 % notes, 15 % shapes, "
            f"5 % pen strokes; a {snapshot['bytes'] / 1e6:.2f} MB snapshot), timed from `hello` sent to "
            "the last byte of the snapshot received. "
            f"First load after seeding (nothing cached): {_ms(snapshot['cold_ms'])}. "
        )
        if idle:
            add(
                f"Idle server, {len(idle)} loads: median {_ms(statistics.median(idle))}, "
                f"worst {_ms(max(idle))}. "
            )
        if load:
            phase = snapshot["load_phase"]
            add(
                f"While {phase['participants']} others edit ({phase['edits_per_s']:.0f} edits/s) and move "
                f"cursors ({phase['cursor_hz']:g} Hz each), {len(load)} loads: median "
                f"{_ms(statistics.median(load))}, worst {_ms(max(load))}; meanwhile their edits had "
                f"p99 {_ms(phase['p99_ms'])}."
            )
        add("\n")
    resume = results.get("resume")
    if resume:
        add(
            "- **Resume**: a client reconnects with `since` M ops behind (idle server); time from `hello` "
            "to holding the head seq.\n\n"
        )
        add("| ops behind | server sent | median | worst | bytes received |\n|---|---|---|---|---|\n")
        for entry in resume:
            add(
                f"| {entry['behind']:,} | {entry['how']} | {_ms(statistics.median(entry['ms']))} "
                f"| {_ms(max(entry['ms']))} | {entry['bytes']:,} |\n"
            )
    add("\n")


def _profiles(add: Callable[[str], None], results: dict[str, Any]) -> None:
    profiled = sorted(
        (s for s in results.get("scenarios", []) if "profile" in s), key=lambda s: s["participants"]
    )
    if not profiled:
        return
    add("### Where the server spends its time (py-spy)\n\n")
    add(
        "Sampled with `py-spy record --threads --rate 100` during an extra phase (edits and cursors "
        "at 1 Hz, as above) after the measured ones; its latencies are not reported. CPU per thread "
        "is measured by psutil over the same window. Each area is a share of the event loop thread's "
        "busy samples, and that share of the loop thread's CPU (≈ % of a core); nested rows are part "
        "of the row above. Raw stacks: artifacts/bench/profile-*.txt (`python -m bench.profile FILE "
        "SECONDS` summarises one; speedscope opens them).\n\n"
    )
    heads = " | ".join(f"N={s['participants']}" for s in profiled)
    add(f"| | {heads} |\n|---|{'---|' * len(profiled)}\n")

    def cells(render: Callable[[dict[str, Any], dict[str, Any]], str]) -> str:
        return " | ".join(render(s["profile"], s["profiled_phase"]["extra"]) for s in profiled)

    add(
        "| server CPU, user + system | "
        + cells(
            lambda p, e: (
                f"{e.get('server_cpu_pct', 0):.0f} % ({e.get('server_user_pct', 0):.0f} "
                f"+ {e.get('server_system_pct', 0):.0f})"
            )
        )
        + " |\n"
    )
    add("| event loop thread | " + cells(lambda p, e: f"{e.get('server_loop_thread_pct', 0):.0f} %") + " |\n")
    add(
        "| SQLite threads (aiosqlite) | "
        + cells(lambda p, e: f"{e.get('server_other_threads_pct', 0):.0f} %")
        + " |\n"
    )
    add(
        "| others' CPU meanwhile (py-spy's own included) | "
        + cells(lambda p, e: f"{e.get('others_cpu_pct', 0):.0f} %")
        + " |\n"
    )
    add("| **event loop, by area** | " + " | ".join("" for _ in profiled) + " |\n")
    for label in profiled[0]["profile"]["groups"]:
        name = "&nbsp;&nbsp;&nbsp;&nbsp;" + label.strip() if label.startswith("  ") else label

        def area(p: dict[str, Any], e: dict[str, Any], label: str = label) -> str:
            share = p["groups"].get(label, 0.0)
            return f"{share:.1f} % (≈ {share * e.get('server_loop_thread_pct', 0) / 100:.0f} %)"

        add(f"| {name} | {cells(area)} |\n")
    add("\n")
    for scenario in profiled:
        top = scenario["profile"]["self"][:15]
        add(f"Event loop, top functions by self time at N={scenario['participants']}:\n\n")
        add("| function | self |\n|---|---|\n")
        for name, share in top:
            add(f"| `{name}` | {share:.1f} % |\n")
        add("\n")


def _generator(add: Callable[[str], None], results: dict[str, Any]) -> None:
    phases = [p for s in results.get("scenarios", []) for p in s["phases"]]
    if not phases:
        return
    top = max(phases, key=lambda p: p["generator_cpu_pct"])
    add("### What the load generator costs\n\n")
    add(
        f"The generator's worker processes used up to {top['generator_cpu_pct']:.0f} % of a core "
        f"(N={top['participants']}, {top['extra'].get('label', '')}), out of the 200 % the machine has; "
        "the server had the rest. It decodes each distinct `ops` frame once per worker and "
        "recognises cursor and presence frames by their first bytes (bench/README.md).\n"
    )
