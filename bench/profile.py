"""Where the server spends its time: py-spy samples the running server, this sums them up.

`py-spy record --format raw --threads` writes one line per distinct stack: the thread, then
frames root first as `function (file:line)`, then a sample count. py-spy leaves out samples of
threads it sees idle (the event loop in epoll), but not all waits: aiosqlite's worker threads
(one per pooled connection) show up blocked in `tx.get()`, so those samples are set aside here
as waiting, by the line they stop at.

The event loop's samples are then split into areas (`GROUPS`). A share of the loop's busy
samples times the loop thread's CPU (measured by psutil over the same window) gives an area's
cost in % of one core; the SQLite threads' CPU is measured the same way, directly.
"""

from __future__ import annotations

import asyncio
import inspect
import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SAMPLE_RATE = 100
"""Samples a second: enough for a 10-20 s window, cheap for the sampled process."""

MAIN_THREAD = "MainThread"

_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("commit path (Room._work: sequencing, SQL, apply)", ("Room._work (", "root: (sqlalchemy/")),
    ("  core: apply_all (applying ops to the board)", ("apply_all (",)),
    ("  SQLAlchemy (building, compiling, executing statements)", ("(sqlalchemy/",)),
    ("  aiosqlite calls from the loop (handing work to its thread)", ("(aiosqlite/",)),
    ("op fan-out (Room._send_ops)", ("Room._send_ops (",)),
    ("  encoding ops frames", ("ops_frame (", "encode_ops (", "project (", "Frame.wire (")),
    ("cursors and presence (Room._send_live)", ("Room._send_live (",)),
    ("every frame sent (Outlet.push)", ("Outlet.push (",)),
    (
        "  socket writes (transport.write of one frame)",
        ("_Socket.write (", "SansIOProtocol.send ("),
    ),
    ("receiving (uvicorn data_received, BoardSession.run)", ("data_received (", "BoardSession.run (")),
    ("  decoding client messages (core.protocol.decode)", ("decode (protocol.py",)),
    ("websockets library (framing, parsing)", (" (websockets/",)),
    ("keepalive pings", ("keepalive_ping", "Pings._tick (")),
    ("HTTP and websocket handshakes", ("httptools_impl", "h11_impl", "handshake")),
    ("event loop itself (uvloop C code: epoll, callbacks, reads)", ("leaf:Runner.run (",)),
)
"""Areas of the event loop thread, and the frame substrings that put a sample in them: in any
frame of the stack, in the innermost one for `leaf:`, the outermost for `root:`. An indented
area is part of the one above. SQLAlchemy's asyncio layer runs its work in greenlets, whose
stacks py-spy shows detached from the coroutine awaiting them (rooted at a `sqlalchemy/`
frame): they belong to the commit path."""


@cache
def idle_leaves() -> frozenset[str]:
    """Innermost frames (with line) where a thread is waiting, not working: aiosqlite's worker
    blocked on its queue."""
    leaves: set[str] = set()
    try:
        import aiosqlite.core

        lines, first = inspect.getsourcelines(aiosqlite.core._connection_worker_thread)
        for offset, text in enumerate(lines):
            if "tx.get(" in text:
                leaves.add(f"_connection_worker_thread (aiosqlite/core.py:{first + offset})")
    except (ImportError, OSError, AttributeError):  # pragma: no cover - another aiosqlite
        pass
    return frozenset(leaves)


@dataclass
class Profile:
    seconds: float = 0.0
    loop_samples: int = 0
    """Busy samples of the event loop thread."""
    worker_samples: int = 0
    """Busy samples of other threads (aiosqlite's: SQLite itself)."""
    waiting_samples: int = 0
    """Samples of other threads blocked on their queue (set aside)."""
    own: Counter[str] = field(default_factory=Counter)
    """Event loop samples whose innermost frame is this function (self time)."""
    total: Counter[str] = field(default_factory=Counter)
    """Event loop samples with this function anywhere on the stack (inclusive time)."""
    groups: dict[str, int] = field(default_factory=dict)
    raw_path: str = ""

    def share(self, count: int) -> float:
        """% of the event loop's busy samples."""
        return 100.0 * count / max(1, self.loop_samples)

    def as_dict(self, top: int = 25) -> dict[str, object]:
        rate = max(1.0, self.seconds * SAMPLE_RATE)
        return {
            "seconds": self.seconds,
            "loop_samples": self.loop_samples,
            "loop_busy_pct": round(100.0 * self.loop_samples / rate, 1),
            "worker_busy_pct": round(100.0 * self.worker_samples / rate, 1),
            "worker_waiting_pct": round(100.0 * self.waiting_samples / rate, 1),
            "self": [(name, round(self.share(n), 1)) for name, n in self.own.most_common(top)],
            "inclusive": [(name, round(self.share(n), 1)) for name, n in self.total.most_common(top)],
            "groups": {k: round(self.share(v), 1) for k, v in self.groups.items()},
            "raw": self.raw_path,
        }


def py_spy() -> str | None:
    """The py-spy executable: beside this Python first (the project's venv), then PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    if beside.exists():
        return str(beside)
    return shutil.which("py-spy")


async def record(pid: int, seconds: float, output: Path) -> Profile:
    """Sample `pid` for `seconds` and summarise. Needs ptrace rights over the server (root, or
    the same user with kernel.yama.ptrace_scope = 0)."""
    executable = py_spy()
    if executable is None:
        raise RuntimeError("py-spy is not installed: .venv/bin/pip install py-spy")
    output.parent.mkdir(parents=True, exist_ok=True)
    whole = max(1, round(seconds))
    process = await asyncio.create_subprocess_exec(
        executable,
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(whole),
        "--rate",
        str(SAMPLE_RATE),
        "--format",
        "raw",
        "--threads",
        "--output",
        str(output),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"py-spy failed: {stderr.decode(errors='replace')[-500:]}")
    lines = await asyncio.to_thread(lambda: output.read_text().splitlines())
    profile = summarise(lines, float(whole))
    profile.raw_path = str(output)
    return profile


def frame_name(frame: str) -> str:
    """`Room._send_ops (room.py:412)` -> `Room._send_ops (room.py)`: functions, not lines."""
    match = _FRAME.match(frame)
    if match is None:
        return frame
    return f"{match['func']} ({match['file']})"


def summarise(lines: list[str], seconds: float = 0.0) -> Profile:
    profile = Profile(seconds=seconds)
    groups: Counter[str] = Counter()
    idle = idle_leaves()
    for line in lines:
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        thread = ""
        if frames[0].startswith("thread ("):
            thread = re.sub(r"^thread \(\d+\): ", "", frames[0])
            frames = frames[1:]
        if not frames:
            continue
        if thread and thread != MAIN_THREAD:
            if frames[-1] in idle:
                profile.waiting_samples += count
            else:
                profile.worker_samples += count
            continue
        profile.loop_samples += count
        names = [frame_name(f) for f in frames]
        profile.own[names[-1]] += count
        for name in set(names):
            profile.total[name] += count
        joined = ";".join(frames)
        for label, needles in GROUPS:
            if any(_matches(needle, frames, joined) for needle in needles):
                groups[label] += count
    profile.groups = {label: groups.get(label, 0) for label, _ in GROUPS}
    return profile


def _matches(needle: str, frames: list[str], joined: str) -> bool:
    if needle.startswith("leaf:"):
        return needle[5:] in frames[-1]
    if needle.startswith("root:"):
        return needle[5:] in " " + frames[0]
    return needle in joined


def main() -> int:
    """`python -m bench.profile FILE [SECONDS]`: summarise a raw py-spy file (recorded with
    --threads at SAMPLE_RATE)."""
    import json

    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    profile = summarise(Path(sys.argv[1]).read_text().splitlines(), seconds)
    print(json.dumps(profile.as_dict(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
