"""Where the server spends its time: py-spy samples the running server, this sums them up.

`py-spy record --format raw --threads` writes one line per distinct stack: the thread, then
frames root first as `function (file:line)`, then a sample count. Idle samples (a thread
waiting in epoll or on a queue) are left out by py-spy, so each percentage below is a share
of the time the server was *busy*, across all its threads (the event loop and aiosqlite's
worker thread). Multiply by the server's CPU % to get a share of a core.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_RATE = 100
"""Samples a second: enough for a 10-20 s window, cheap for the sampled process."""

_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("commit path (Room._work: sequencing, SQL, apply)", ("Room._work (", "root: (sqlalchemy/")),
    ("  core: apply_all (applying ops to the board)", ("apply_all (",)),
    ("  SQLAlchemy on the event loop (building, compiling, executing)", ("(sqlalchemy/",)),
    ("aiosqlite's thread (SQLite itself, and waking the loop)", ("_connection_worker_thread",)),
    ("op fan-out (Room._send_ops)", ("Room._send_ops (",)),
    ("  encoding ops frames", ("ops_frame (", "encode_ops (", "project (", "Frame.wire (")),
    ("cursors and presence (Room._send_live)", ("Room._send_live (",)),
    ("every frame sent (Outlet.push)", ("Outlet.push (",)),
    (
        "  socket writes (transport.write of one frame)",
        ("_wire_writer.<locals>.write (", "SansIOProtocol.send ("),
    ),
    ("receiving (uvicorn data_received, BoardSession.run)", ("data_received (", "BoardSession.run (")),
    ("  decoding client messages (core.protocol.decode)", ("decode (protocol.py",)),
    ("websockets library (framing, parsing)", (" (websockets/",)),
    ("HTTP and websocket handshakes", ("httptools_impl", "h11_impl", "handshake")),
    ("event loop itself (uvloop C code: epoll, callbacks, reads)", ("leaf:Runner.run (",)),
)
"""Labels and the frame substrings that put a sample in them: in any frame of the stack, in the
innermost one for `leaf:`, the outermost for `root:`. An indented label is part of the one above.
SQLAlchemy's asyncio layer runs its work in greenlets, whose stacks py-spy shows detached from
the coroutine that awaits them (rooted at a `sqlalchemy/` frame): they belong to the commit."""


@dataclass
class Profile:
    samples: int = 0
    seconds: float = 0.0
    threads: Counter[str] = field(default_factory=Counter)
    own: Counter[str] = field(default_factory=Counter)
    """Samples whose innermost frame is this function (self time)."""
    total: Counter[str] = field(default_factory=Counter)
    """Samples with this function anywhere on the stack (inclusive time)."""
    groups: dict[str, int] = field(default_factory=dict)
    raw_path: str = ""

    @property
    def busy_pct(self) -> float:
        """Busy samples as % of one core's worth of samples (roughly the server's CPU %)."""
        return 100.0 * self.samples / max(1.0, self.seconds * SAMPLE_RATE)

    def share(self, count: int) -> float:
        return 100.0 * count / max(1, self.samples)

    def as_dict(self, top: int = 25) -> dict[str, object]:
        return {
            "samples": self.samples,
            "seconds": self.seconds,
            "busy_pct_of_core": round(self.busy_pct, 1),
            "threads": {k: round(self.share(v), 1) for k, v in self.threads.most_common()},
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
    process = await asyncio.create_subprocess_exec(
        executable,
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(max(1, round(seconds))),
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
    profile = summarise(lines)
    profile.seconds = float(max(1, round(seconds)))
    profile.raw_path = str(output)
    return profile


def frame_name(frame: str) -> str:
    """`Room._send_ops (hub.py:412)` -> `Room._send_ops (hub.py)`: functions, not lines."""
    match = _FRAME.match(frame)
    if match is None:
        return frame
    return f"{match['func']} ({match['file']})"


def summarise(lines: list[str]) -> Profile:
    profile = Profile()
    groups: Counter[str] = Counter()
    for line in lines:
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        thread = frames[0]
        if thread.startswith("thread ("):
            frames = frames[1:]
            thread = re.sub(r"^thread \(\d+\): ", "", thread)
            thread = re.sub(r"Thread-\d+ ", "", thread)
        profile.samples += count
        profile.threads[thread] += count
        names = [frame_name(f) for f in frames]
        if names:
            profile.own[names[-1]] += count
        for name in set(names):
            profile.total[name] += count
        joined = ";".join([thread, *frames])
        for label, needles in GROUPS:
            if any(_matches(needle, frames, joined) for needle in needles):
                groups[label] += count
    profile.groups = {label: groups.get(label, 0) for label, _ in GROUPS}
    return profile


def _matches(needle: str, frames: list[str], joined: str) -> bool:
    if needle.startswith("leaf:"):
        return bool(frames) and needle[5:] in frames[-1]
    if needle.startswith("root:"):
        return bool(frames) and needle[5:] in " " + frames[0]
    return needle in joined


def main() -> int:
    """`python -m bench.profile FILE`: summarise a raw py-spy file recorded by hand."""
    import json

    for path in sys.argv[1:]:
        profile = summarise(Path(path).read_text().splitlines())
        print(json.dumps(profile.as_dict(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
