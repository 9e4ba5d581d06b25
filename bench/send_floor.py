"""What one websocket frame to one loopback socket costs the kernel, with no server around it.

    .venv/bin/python -m bench.send_floor                 # updates BENCHMARKS.md
    .venv/bin/python -m bench.send_floor --no-write

Every op our server delivers is one `send` system call on one socket (DESIGN.md §3: each
socket gets its own frame, in order), and so is every update y-websocket relays. On loopback
that call also runs the receiving side's TCP path before it returns, so its cost is mostly the
kernel's, whatever the server is written in. This times the call alone: `--sockets` TCP
connections on 127.0.0.1 whose other ends a child process reads and discards, and a frame of
`--bytes` (an `ops` frame holding one edit is about 150) sent to each in turn, as a fan-out
does, `--rounds` times. It reports CPU and wall time per send, beside the server's CPU per
delivery in "Sync engine (one process, SQLite)" (the same machine, another run).

Numbers, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import multiprocessing
import selectors
import socket
import statistics
import time
from multiprocessing.connection import Connection

from bench.report import write_section
from bench.server import machine_line

SECTION = "The kernel's share of a delivery (loopback send)"


def _drain(port: int, count: int, ready: Connection) -> None:
    """The receiving ends: accept `count` connections and read everything until they close."""
    with socket.create_server(("127.0.0.1", port)) as listener:
        ready.send(True)
        peers = [listener.accept()[0] for _ in range(count)]
    selector = selectors.DefaultSelector()
    for peer in peers:
        peer.setblocking(False)
        selector.register(peer, selectors.EVENT_READ)
    open_peers = len(peers)
    while open_peers:
        for key, _ in selector.select():
            peer = key.fileobj
            assert isinstance(peer, socket.socket)
            if not peer.recv(1 << 16):
                selector.unregister(peer)
                peer.close()
                open_peers -= 1


def measure(sockets: int, size: int, rounds: int) -> dict[str, float]:
    """CPU and wall microseconds per send, the median over rounds."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    here, there = multiprocessing.Pipe()
    reader = multiprocessing.Process(target=_drain, args=(port, sockets, there), daemon=True)
    reader.start()
    here.recv()
    senders = [socket.create_connection(("127.0.0.1", port)) for _ in range(sockets)]
    for sender in senders:
        sender.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    frame = b"\x81\x7e" + size.to_bytes(2, "big") + b"x" * size
    cpu: list[float] = []
    wall: list[float] = []
    try:
        for _ in range(rounds):
            started, started_cpu = time.perf_counter(), time.process_time()
            for sender in senders:
                sender.send(frame)
            wall.append((time.perf_counter() - started) / sockets * 1e6)
            cpu.append((time.process_time() - started_cpu) / sockets * 1e6)
            time.sleep(0.005)  # as between ops: the reader catches up
    finally:
        for sender in senders:
            sender.close()
        reader.join(10)
    return {"cpu_us": statistics.median(cpu), "wall_us": statistics.median(wall)}


def render(found: dict[int, dict[str, float]], size: int, rounds: int, when: str) -> str:
    lines = [
        f"## {SECTION}",
        "",
        f"Measured by `python -m bench.send_floor` on {when}. This section is rewritten on each run.",
        "",
        machine_line(),
        "",
        f"A {size + 4}-byte websocket frame sent with one `send` call to each of N loopback TCP "
        f"sockets in turn, as a fan-out sends one op, {rounds} times; a child process reads the "
        "other ends. Median over the rounds, per send: the system call alone, before any "
        "server's own work.",
        "",
        "| N sockets | CPU per send | wall per send |",
        "|---|---|---|",
    ]
    for sockets, row in found.items():
        lines.append(f"| {sockets} | {row['cpu_us']:.1f} µs | {row['wall_us']:.1f} µs |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", default="200,1000", help="N values, comma-separated")
    parser.add_argument("--bytes", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md")
    args = parser.parse_args()
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    found = {n: measure(n, args.bytes, args.rounds) for n in (int(v) for v in args.sockets.split(","))}
    text = render(found, args.bytes, args.rounds, when)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
