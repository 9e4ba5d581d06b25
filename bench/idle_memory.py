"""Where the server's memory per idle connection goes (issue 19: target ≤ 12 KiB at N=1000).

Numbers, not a test: `python -m bench.idle_memory [--clients 1000] [--trace]`. The server runs
in this process (uvicorn in a thread, configured as `board serve` configures it, on a fresh
SQLite file); the idle clients run in a child process, so that nothing of theirs is counted.
Each client joins one board by websocket and then sends nothing.

Without `--trace`: the process's RSS before and after the clients connect (settled), per
connection. With `--trace`: tracemalloc's count of the Python heap instead, before and after,
per connection, and the allocations that grew most grouped by traceback (tracemalloc's own
bookkeeping inflates RSS, so the two are measured in separate runs).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

import uvicorn

from bench.adapters import create_workshop, hello, join_many
from bench.server import free_port, settled_rss
from bench.wsclient import WsClient, open_ws

WARM = 20
"""Clients connected before the first measure: the board is loaded and its caches are warm,
so what follows is what one more connection costs."""
SETTLE = 3.0
"""Seconds after the last client is in before measuring (presence frames go out, tasks end)."""


class _ThreadServer(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # not the main thread
        pass


def start_server(directory: Path) -> tuple[_ThreadServer, threading.Thread, int]:
    from board.app.server import uvicorn_config
    from board.settings import ServerSettings
    from board.store.database import upgrade

    url = f"sqlite+aiosqlite:///{directory / 'idle.db'}"
    upgrade(url)
    port = free_port()
    settings = ServerSettings(database_url=url, broker_url="memory://", port=port, secret_key="idle-bench")
    server = _ThreadServer(uvicorn_config(settings, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    return server, thread, port


async def connect_idle(port: int, board: str, tokens: list[str]) -> list[WsClient]:
    """Open a socket per token, say hello, wait for each welcome (and snapshot)."""
    welcomed = 0
    done = asyncio.Event()

    def on_text(_ws: WsClient, payload: bytes, _now: int) -> None:
        nonlocal welcomed
        if payload.startswith(b'{"type":"welcome"'):
            welcomed += 1
            if welcomed == len(tokens):
                done.set()

    clients = []
    for token in tokens:
        client = await open_ws("127.0.0.1", port, "/ws", on_text)
        client.send_text(hello(board, token))
        clients.append(client)
    await asyncio.wait_for(done.wait(), 120)
    return clients


def _clients_child(port: int, board: str, tokens_file: str) -> None:
    """In the child: connect, say "ready", then idle until the parent closes stdin."""
    tokens = json.loads(Path(tokens_file).read_text())

    async def main() -> None:
        clients = await connect_idle(port, board, tokens)
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        for client in clients:
            client.abort()

    asyncio.run(main())


def _top(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, count: int, lines: int) -> list[str]:
    server_only = [tracemalloc.Filter(False, tracemalloc.__file__)]
    stats = after.filter_traces(server_only).compare_to(before.filter_traces(server_only), "traceback")
    out = []
    for stat in stats[:lines]:
        if stat.size_diff <= 0:
            break
        frames = [f"{f.filename.split('site-packages/')[-1]}:{f.lineno}" for f in stat.traceback[-4:]]
        where = " < ".join(reversed(frames))
        out.append(f"{stat.size_diff / count:8.0f} B/conn {stat.count_diff / count:5.1f} blocks  {where}")
    return out


def _by_file(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, count: int) -> list[str]:
    """Growth per connection by the file that allocated it (the innermost frame)."""
    stats = after.compare_to(before, "filename")
    return [
        f"{stat.size_diff / count:8.0f} B/conn  {stat.traceback[0].filename.split('site-packages/')[-1]}"
        for stat in stats[:12]
        if stat.size_diff > 0
    ]


def measure(clients: int, trace: bool, frames: int, lines: int) -> dict[str, Any]:
    directory = Path(tempfile.mkdtemp(prefix="board-idle-"))
    server, thread, port = start_server(directory)
    base = f"http://127.0.0.1:{port}"
    try:
        workshop = asyncio.run(create_workshop(base, "idle memory"))
        board = workshop["boards"][0]["id"]
        tokens = asyncio.run(join_many(base, workshop["join_code"], clients + WARM))
        tokens_file = directory / "tokens.json"
        tokens_file.write_text(json.dumps(tokens[WARM:]))

        async def warm() -> list[WsClient]:
            return await connect_idle(port, board, tokens[:WARM])

        loop = asyncio.new_event_loop()
        warm_clients = loop.run_until_complete(warm())
        time.sleep(SETTLE)
        gc.collect()
        if trace:
            tracemalloc.start(frames)
        before_rss = settled_rss(_pid())
        before = tracemalloc.take_snapshot() if trace else None
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.idle_memory", "--child", str(port), board, str(tokens_file)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdin is not None
        if child.stdout.readline().strip() != "ready":
            raise RuntimeError("the clients did not connect")
        time.sleep(SETTLE)
        gc.collect()
        after_rss = settled_rss(_pid())
        per_connection = (after_rss - before_rss) / clients
        result: dict[str, Any] = {"clients": clients, "rss_per_connection": per_connection}
        if trace and before is not None:
            after = tracemalloc.take_snapshot()
            traced = sum(s.size_diff for s in after.compare_to(before, "filename"))
            result["traced_per_connection"] = traced / clients
            result["top"] = _top(before, after, clients, lines)
            result["files"] = _by_file(before, after, clients)
            tracemalloc.stop()
        child.stdin.close()
        child.wait(30)
        for client in warm_clients:
            client.abort()
        loop.close()
        return result
    finally:
        server.should_exit = True
        thread.join(10)


def _pid() -> int:
    return os.getpid()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _clients_child(int(sys.argv[2]), sys.argv[3], sys.argv[4])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--trace", action="store_true", help="tracemalloc instead of RSS")
    parser.add_argument("--frames", type=int, default=12, help="traceback depth with --trace")
    parser.add_argument("--lines", type=int, default=25, help="allocation sites shown with --trace")
    args = parser.parse_args()
    result = measure(args.clients, args.trace, args.frames, args.lines)
    print(f"{result['clients']} idle connections")
    print(f"RSS: {result['rss_per_connection'] / 1024:.1f} KiB per connection")
    if "traced_per_connection" in result:
        print(f"tracemalloc: {result['traced_per_connection'] / 1024:.1f} KiB per connection")
        print("\n".join(result["files"]))
        print("\n".join(result["top"]))


if __name__ == "__main__":
    main()
