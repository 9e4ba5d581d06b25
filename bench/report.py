"""The Markdown that `bench.run` writes into BENCHMARKS.md: one section a run, replaced.

The sync engine suite writes the section named by `section_title()`; the side-by-side run
writes "Public peers, side by side" (`PEERS_TITLE`). Whatever else the file holds (the other
sections, the front end's, notes people wrote) stays as it is.

`python -m bench.report artifacts/bench/….json` writes a section again from the raw results
of either run (after changing how it renders, say) without running anything.
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

Measured side by side on this machine by `python -m bench.run --side-by-side` (`make bench-peers`): see
the section "Public peers, side by side", with the ratio of each peer's figures to ours from
the same run.

"""


PEERS_TITLE = "Public peers, side by side"
NAMES = {
    "y-websocket": "y-websocket (npm `@y/websocket-server`)",
    "pycrdt-websocket": "pycrdt-websocket (PyPI, on uvicorn)",
    "relay (floor)": "relay (floor): y-websocket's Node and `ws`, no document (`bench/peers/relay.cjs`)",
}

Add = Callable[[str], None]


def write(path: Path, results: dict[str, Any]) -> str:
    """Replace the section these results (of either run) belong to; returns its title. Once
    the peers are measured side by side, the sync engine sections point there instead of
    quoting DESIGN.md."""
    if "peers" in results:
        title, body = PEERS_TITLE, render_peers(results)
    else:
        config = results.get("config", {})
        title = section_title(
            config.get("servers", 1), config.get("database_url", ""), config.get("broker_url", "")
        )
        body = render(title, results)
    text = replace_section(path.read_text() if path.exists() else HEADER, title, body)
    if f"\n## {PEERS_TITLE}\n" in text and measured(results):
        text = point_to_measured_peers(text)
    path.write_text(text)
    return title


def measured(results: dict[str, Any]) -> bool:
    """Whether the peers have measured numbers (only then does the quoted table go): any phase
    of a side-by-side run; a sync engine run finds the section written by an earlier one."""
    if "peers" not in results:
        return True
    return any(s["phases"] for peer in results["peers"].values() for s in peer.get("scenarios", []))


def point_to_measured_peers(text: str) -> str:
    """`text` with every quoted peers table replaced by a pointer to the measured section
    (written by `bench.run --side-by-side`): the quote stays only until there are numbers of our own."""
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


def write_section(title: str, body: str, path: Path | None = None) -> None:
    """Replace the level-2 section `title` of BENCHMARKS.md (or `path`) with `body`, or add it."""
    from bench.server import ROOT

    path = path or ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    path.write_text(replace_section(text, title, body), encoding="utf-8")


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


def _pct(value: float) -> str:
    text = f"{value:.2f} %"
    return text if value >= 100 else f"**{text}**"


def _cursors(phase: dict[str, Any]) -> str:
    return f"{phase['cursor_hz']:g} Hz" if phase["cursor_hz"] else "none"


def _frames(phase: dict[str, Any]) -> str:
    """Frames carrying edits + cursor frames a second (older peer results name them apart)."""
    edits = phase.get("ops_frames_per_s", phase.get("update_frames_per_s", 0))
    cursors = phase.get("cursor_frames_per_s", phase.get("awareness_frames_per_s", 0))
    return f"{edits:,.0f} + {cursors:,.0f}"


def _phase(scenarios: list[dict[str, Any]], n: int, cursors: bool) -> dict[str, Any] | None:
    for scenario in scenarios:
        if scenario["participants"] != n:
            continue
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
    if not _poisson(config):
        flags.append("--arrivals even")
    return "".join(f" {flag}" for flag in flags)


def _poisson(config: dict[str, Any]) -> bool:
    """Whether edits came at random moments: the default since 2026-12-07; results saved before
    then, with no `arrivals`, were spread evenly."""
    return bool(config.get("arrivals", "even") == "poisson")


def _arrivals(config: dict[str, Any]) -> str:
    """How the edits were timed."""
    if _poisson(config):
        return "at random moments (each participant's edits a Poisson process at that rate)"
    return "with sends spread evenly"


def _fan_out(add: Callable[[str], None], results: dict[str, Any], config: dict[str, Any]) -> None:
    edit_hz = config.get("edit_hz", 0.2)
    add(
        f"### Fan-out: N participants on one board, one edit each every {1 / edit_hz:g} s\n\n"
        f"Measured window {config.get('duration', '?'):g} s after {config.get('warmup', '?'):g} s "
        "of warm-up. Latency is edit sent → op received, over every (op, receiver) pair, the sender "
        "included. *Delivered*: pairs received / (ops acked × N). *In order*: every `ops` frame "
        "started at the socket's last seq + 1 and listed consecutive seqs. CPU in % of one core."
        + f" Edits are sent {_arrivals(config)}."
        + "\n\n"
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
    add(
        f"| {phase['participants']}{note} | {_cursors(phase)} | {phase['edits_per_s']:.0f} "
        f"| {_pct(phase['delivered_pct'])} | {_in_order(phase)} "
        f"| {_ms(phase['p50_ms'])} | {_ms(phase['p95_ms'])} | {_ms(phase['p99_ms'])} "
        f"| {_ms(phase['max_ms'])} "
        f"| {_ms(phase['ack_p99_ms'])} | {phase['deliveries_per_s']:,.0f} "
        f"| {_frames(phase)} | {_server_cpu(extra)} | {_cpu_per_connection(extra, phase['participants'])} "
        f"| {phase['generator_cpu_pct']:.0f} % "
        f"| {extra.get('others_cpu_pct', 0):.0f} % | {extra.get('server_rss', 0) / 2**20:.0f} MiB |\n"
    )


def _in_order(phase: dict[str, Any]) -> str:
    return "yes" if phase["order_violations"] == 0 else f"**{phase['order_violations']} violations**"


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


# One row of the targets table: what, floor, aim, measured, floor met, aim met.
_Target = tuple[str, str, str, str, bool | None, bool | None]


def _targets(add: Callable[[str], None], results: dict[str, Any]) -> None:
    add("### Against the targets\n\n")
    add(
        "The issue's figures (#2, \"Benchmark\") are the floor for resolving it; DESIGN.md §7's are "
        "where we are going.\n\n"
    )
    add("| what | issue #2 (floor) | DESIGN §7 (aim) | measured | floor met | aim met |\n")
    add("|---|---|---|---|---|---|\n")
    scenarios = results.get("scenarios", [])
    rows = [*_latency_targets(scenarios), *_throughput_targets(scenarios)]
    rows += [*_memory_targets(results), *_snapshot_targets(results)]
    for what, floor, aim, measured, floor_ok, aim_ok in rows:
        add(f"| {what} | {floor} | {aim} | {measured} | {_yes(floor_ok)} | {_yes(aim_ok)} |\n")
    add("\n")


def _latency_targets(scenarios: list[dict[str, Any]]) -> list[_Target]:
    """p99 edit→delivery: the issue's floor at N=500, DESIGN's aims at 200, 500 and 1000."""
    rows: list[_Target] = []
    n500c, n500 = _phase(scenarios, 500, True), _phase(scenarios, 500, False)
    if n500c or n500:
        measured = []
        if n500:
            measured.append(f"{_ms(n500['p99_ms'])} (edits only)")
        if n500c:
            measured.append(f"{_ms(n500c['p99_ms'])} (with cursors)")
        floor_phase = n500c or n500
        assert floor_phase is not None
        rows.append(
            (
                "p99 edit→delivery, N=500 at 100 edits/s",
                "≤ 150 ms, with cursor traffic",
                "≤ 20 ms",
                ", ".join(measured),
                floor_phase["p99_ms"] <= 150,
                (n500 or floor_phase)["p99_ms"] <= 20,
            )
        )
    for n, cursors, what, aim_ms in (
        (200, False, "p99 edit→delivery, N=200", 8),
        (200, True, "p99 edit→delivery, N=200 with cursors at 1 Hz each", 15),
        (1000, False, "p99 edit→delivery, N=1000", 100),
    ):
        found = _phase(scenarios, n, cursors)
        if found:
            p99 = found["p99_ms"]
            rows.append((what, "—", f"≤ {aim_ms} ms", _ms(p99), None, p99 <= aim_ms))
    return rows


def _throughput_targets(scenarios: list[dict[str, Any]]) -> list[_Target]:
    """Deliveries a second at the best phase, and whether every phase delivered all in order."""
    phases = [p for s in scenarios for p in s["phases"]]
    if not phases:
        return []
    n1000 = _phase(scenarios, 1000, False)
    best = max(phases, key=lambda p: p["deliveries_per_s"])
    complete = all(p["delivered_pct"] >= 100 and p["order_violations"] == 0 for p in phases)
    worst = min(phases, key=lambda p: p["delivered_pct"])
    return [
        (
            "op deliveries/s",
            "≥ 50,000",
            "≥ 199,000 (N=1000)",
            f"{best['deliveries_per_s']:,.0f} (N={best['participants']})",
            best["deliveries_per_s"] >= 50_000,
            n1000 is not None and n1000["deliveries_per_s"] >= 199_000,
        ),
        (
            "delivered, in seq order, at every N",
            "—",
            "100 %, in order",
            f"worst {worst['delivered_pct']:.2f} % (N={worst['participants']}), "
            f"{sum(p['order_violations'] for p in phases)} order violations",
            None,
            complete,
        ),
    ]


def _memory_targets(results: dict[str, Any]) -> list[_Target]:
    memory = _idle_memory(results)
    if not memory:
        return []
    per = memory["per_connection_kib"]
    what = f"server memory per idle connection ({memory['clients']:,} clients)"
    return [(what, "≤ 100 KiB", "≤ 20 KiB", f"{per:.1f} KiB", per <= 100, per <= 20)]


def _snapshot_targets(results: dict[str, Any]) -> list[_Target]:
    """A large board to a new client: on an idle server, and the worst while others edit."""
    snapshot = results.get("snapshot")
    if not snapshot:
        return []
    rows: list[_Target] = []
    if snapshot.get("idle_ms"):
        idle = statistics.median(snapshot["idle_ms"])
        what = f"{snapshot['objects']:,}-object board to a new client, idle server (median)"
        rows.append((what, "≤ 300 ms", "≤ 15 ms", _ms(idle), idle <= 300, idle <= 15))
    if snapshot.get("load_ms"):
        worst = max(snapshot["load_ms"])
        n = snapshot["load_phase"]["participants"]
        what = f"the same, worst, while {n} others edit and move cursors"
        rows.append((what, "≤ 300 ms", "≤ 50 ms", _ms(worst), worst <= 300, worst <= 50))
    return rows


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
            f"5 % pen strokes; its snapshot {snapshot['bytes'] / 1e3:,.0f} KB on the wire, compressed as the "
            "board page asks for it), timed from `hello` sent to "
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


# -- the side-by-side section ---------------------------------------------------------------------


def _cpu_per_delivery_us(phase: dict[str, Any]) -> float | None:
    """Server CPU per (edit, receiver) delivery, in µs: the cost of the broadcast job."""
    deliveries = float(phase["deliveries_per_s"])
    if not deliveries:
        return None
    cpu: float = phase["extra"].get("server_cpu_pct", 0.0)
    return cpu / 100 * 1e6 / deliveries


def render_peers(results: dict[str, Any]) -> str:
    out: list[str] = []
    add = out.append
    info = results.get("machine", {})
    config = results.get("config", {})
    peers: dict[str, Any] = results.get("peers", {})
    ours = results.get("ours", {}).get("scenarios", [])
    add(f"## {PEERS_TITLE}\n\n")
    for failure in results.get("failures", []):
        add(f"**Part of this run failed**: {failure}\n\n")
    flags = (" --quick" if config.get("quick") else "") + ("" if _poisson(config) else " --arrivals even")
    add(
        f"Measured by `python -m bench.run --side-by-side{flags}` (`make bench-peers`) on "
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
        f"once every {1 / edit_hz:g} s {_arrivals(config)}, then the same plus a cursor move a second "
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
        "room keeper). Cursors: our server sends the latest positions on a 50 ms tick; the peers "
        "relay every awareness update to every socket at once, so with cursors they carry N times as "
        "many messages. *Others' CPU* is what processes outside the benchmark used during the window; "
        "when it is not near zero the machine was shared.\n\n"
    )
    _ratio(add, results)
    add("### Our server (same run)\n\n")
    _side_table(add, ours, peer=False)
    for name, peer in peers.items():
        add(f"### {NAMES.get(name, name)}\n\n")
        if "unavailable" in peer:
            add(f"Not measured: {peer['unavailable']}\n\n")
            continue
        _side_table(add, peer.get("scenarios", []), peer=True)
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


OURS_COLUMNS = (
    "delivered (all N) | in order",
    "op deliveries/s | ops + cursor frames/s | server CPU (loop + other threads)",
)
PEER_COLUMNS = (
    "delivered (N − 1 others) | echo",
    "edit deliveries/s | update + awareness frames/s | server CPU (main + other threads)",
)


def _side_table(add: Add, scenarios: list[dict[str, Any]], peer: bool) -> None:
    """One server's table in the side-by-side section: ours (with the order check) or a
    peer's (with the echo, its RSS peak and what happened when it fell over)."""
    if not scenarios:
        add("Not measured (see the failures above).\n\n")
        return
    delivery, throughput = PEER_COLUMNS if peer else OURS_COLUMNS
    add(
        f"| N | cursors | edits/s | {delivery} | p50 | p95 | p99 | max | {throughput} | generator CPU "
        f"| others' CPU | server RSS{' (peak)' if peer else ''} | memory / idle connection |\n"
    )
    add("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    for scenario in sorted(scenarios, key=lambda s: s["participants"]):
        memory = scenario.get("idle_memory", {}).get("per_connection_kib")
        for phase in scenario["phases"]:
            extra = phase["extra"]
            arrived = not peer or phase["delivered"] > 0 or phase["echoed_pct"] > 0
            latency = " | ".join(
                _ms(phase[key]) if arrived else ("none arrived" if key == "p50_ms" else "—")
                for key in ("p50_ms", "p95_ms", "p99_ms", "max_ms")
            )
            check = f"{_fell(phase)} | {phase['echoed_pct']:.0f} %" if peer else f" | {_in_order(phase)}"
            peak = f" ({extra.get('server_rss_peak', 0) / 2**20:,.0f})" if peer else ""
            add(
                f"| {phase['participants']} | {_cursors(phase)} | {phase['edits_per_s']:.0f} "
                f"| {_pct(phase['delivered_pct'])}{check} "
                f"| {latency} | {phase['deliveries_per_s']:,.0f} "
                f"| {_frames(phase)} "
                f"| {_server_cpu(extra)} | {phase['generator_cpu_pct']:.0f} % "
                f"| {extra.get('others_cpu_pct', 0):.0f} % "
                f"| {extra.get('server_rss', 0) / 2**20:,.0f} MiB{peak} "
                f"| {f'{memory:.1f} KiB' if memory is not None and phase['cursor_hz'] == 0 else ''} |\n"
            )
    add("\n")
    notes = _peer_notes(scenarios) if peer else []
    for note in notes:
        add(f"- {note}.\n")
    if notes:
        add("\n")


def _peer_notes(scenarios: list[dict[str, Any]]) -> list[str]:
    """What happened to a peer beyond its numbers: killed, lagging, closed, skipped."""
    notes: list[str] = []
    for scenario in sorted(scenarios, key=lambda s: s["participants"]):
        for phase in scenario["phases"]:
            extra = phase["extra"]
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
    return notes


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.report artifacts/bench/RESULTS.json`: write the section again from raw
    results (a sync engine run's results-*.json or a side-by-side run's peers-*.json)."""
    import argparse
    import json

    from bench.server import ROOT

    parser = argparse.ArgumentParser(prog="python -m bench.report", description=main.__doc__)
    parser.add_argument("results", type=Path, help="a results-*.json or peers-*.json written by bench.run")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    write(args.output, json.loads(args.results.read_text()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
