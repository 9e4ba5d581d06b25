"""The public peers as processes: installed once, started on 127.0.0.1 with a free port,
always stopped.

- **y-websocket**: npm's `@y/websocket-server`, installed with its pinned `yjs` into the
  git-ignored `artifacts/bench/peers/y-websocket/` (never committed) and run as `node
  .../src/server.js` with `HOST=127.0.0.1 PORT=<free port>`, its only options. It keeps the
  document in memory (no `YPERSISTENCE`, no callback URL).
- **pycrdt-websocket**: PyPI's, in the venv through the `bench-peers` extra of pyproject.toml
  (pinned there), run as `python -m bench.peers.pycrdt_app` (uvicorn).

Each child gets SIGTERM if the benchmark dies (the same `prctl` as `board serve` in
bench/server.py), so a killed run leaves no peer behind.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.server import ROOT, _die_with_parent, free_port

Y_WEBSOCKET_SERVER = "@y/websocket-server@0.1.1"
"""0.1.5, the newest, needs a `yjs` 14 pre-release whose dependency `@y/y` is not published;
0.1.1 is the newest that installs, with yjs 13 as its peer dependency."""
YJS = "yjs@13.6.33"
PEERS_DIR = ROOT / "artifacts" / "bench" / "peers"
READY_TIMEOUT = 30.0
INSTALL_TIMEOUT = 300.0


class PeerUnavailable(RuntimeError):
    """The peer could not be installed or started; the run reports it and goes on."""


class PeerProcess:
    """One peer server process on 127.0.0.1."""

    name = "peer"

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="board-bench-peer-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        if self.process is None:
            raise PeerUnavailable(f"{self.name} is not running")
        return self.process.pid

    def version(self) -> str:
        return "?"

    def command(self) -> tuple[list[str], dict[str, str]]:
        raise NotImplementedError

    def install(self) -> None:
        """Make the peer runnable; raise PeerUnavailable (with the reason) if it cannot be."""

    def start(self) -> None:
        command, env = self.command()
        log = open(self.directory / "server.log", "wb")  # noqa: SIM115 - kept by the child
        self.process = subprocess.Popen(
            command,
            cwd=self.directory,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        log.close()
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise PeerUnavailable(f"{self.name} exited with {self.process.returncode}: {self.log_tail()}")
            try:
                with socket.create_connection((self.host, self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise PeerUnavailable(f"{self.name} not listening after {READY_TIMEOUT:.0f} s: {self.log_tail()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL now (the memory guard); `stop` still reaps it."""
        if self.alive():
            assert self.process is not None
            self.process.kill()

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.process = None

    def log_tail(self, lines: int = 15) -> str:
        path = self.directory / "server.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class YWebsocket(PeerProcess):
    name = "y-websocket"

    def __init__(self, prefix: Path = PEERS_DIR / "y-websocket") -> None:
        super().__init__()
        self.prefix = prefix

    @property
    def script(self) -> Path:
        return self.prefix / "node_modules" / "@y" / "websocket-server" / "src" / "server.js"

    def version(self) -> str:
        node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout
        installed = "?"
        manifest = self.script.parents[1] / "package.json"
        if manifest.exists():
            installed = json.loads(manifest.read_text()).get("version", "?")
        return f"@y/websocket-server {installed}, {YJS.replace('@', ' ')}, node {node.strip().lstrip('v')}"

    def install(self) -> None:
        if shutil.which("node") is None or shutil.which("npm") is None:
            raise PeerUnavailable(
                "node and npm are needed for y-websocket (Debian: apt-get install nodejs npm)"
            )
        wanted = Y_WEBSOCKET_SERVER.rsplit("@", 1)[1]
        manifest = self.script.parents[1] / "package.json"
        if manifest.exists() and json.loads(manifest.read_text()).get("version") == wanted:
            return
        self.prefix.mkdir(parents=True, exist_ok=True)
        # --ignore-scripts: the optional y-leveldb pulls in a native leveldown we never load.
        command = [
            "npm",
            "install",
            "--prefix",
            str(self.prefix),
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "--loglevel=error",
            Y_WEBSOCKET_SERVER,
            YJS,
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired as problem:
            raise PeerUnavailable(f"npm install took more than {INSTALL_TIMEOUT:.0f} s") from problem
        if done.returncode != 0 or not self.script.exists():
            raise PeerUnavailable(f"npm install failed: {(done.stderr or done.stdout).strip()[-400:]}")

    def command(self) -> tuple[list[str], dict[str, str]]:
        env = {k: v for k, v in os.environ.items() if k not in ("YPERSISTENCE", "CALLBACK_URL")}
        env.update(HOST=self.host, PORT=str(self.port))
        return ["node", str(self.script)], env


class PycrdtWebsocket(PeerProcess):
    name = "pycrdt-websocket"

    def version(self) -> str:
        from importlib.metadata import version

        try:
            return f"pycrdt-websocket {version('pycrdt-websocket')}, pycrdt {version('pycrdt')}"
        except Exception:
            return "pycrdt-websocket ?"

    def install(self) -> None:
        ensure_pycrdt()

    def command(self) -> tuple[list[str], dict[str, str]]:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        return [sys.executable, "-m", "bench.peers.pycrdt_app", "--port", str(self.port)], env


def ensure_pycrdt() -> None:
    """pycrdt makes the generator's Yjs updates and pycrdt-websocket is a peer: both come with
    the `bench-peers` extra, which `make bench-peers` installs from uv.lock."""
    try:
        import pycrdt
        import pycrdt.websocket  # noqa: F401
    except ImportError:
        raise PeerUnavailable("pycrdt is not installed: run `make bench-peers`") from None


PEERS: dict[str, type[PeerProcess]] = {"y-websocket": YWebsocket, "pycrdt-websocket": PycrdtWebsocket}
