"""The public peers as processes: installed once, started on 127.0.0.1 with a free port,
always stopped.

- **y-websocket**: npm's `@y/websocket-server`, installed with its pinned `yjs` into the
  git-ignored `artifacts/bench/peers/y-websocket/` (never committed) and run as `node
  .../src/server.js` with `HOST=127.0.0.1 PORT=<free port>`, its only options. It keeps the
  document in memory (no `YPERSISTENCE`, no callback URL).
- **relay (floor)**: `bench/peers/relay.cjs`, y-websocket without its document: the same Node
  and `ws` package (from y-websocket's install) greeting each socket and sending every message
  it receives to every socket, nothing else. Not a product: what any server pays with this load
  generator on these cores before doing any work of its own.
- **pycrdt-websocket**: PyPI's, in the venv through the `bench-peers` extra of pyproject.toml
  (pinned there), run as `python -m bench.peers.pycrdt_app` (uvicorn).

Each is a `ServerProcess` (bench/server.py), as `board serve` is: it gets SIGTERM if the
benchmark dies, so a killed run leaves no peer behind.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench.server import ROOT, ServerProcess

Y_WEBSOCKET_SERVER = "@y/websocket-server@0.1.1"
"""0.1.5, the newest, needs a `yjs` 14 pre-release whose dependency `@y/y` is not published;
0.1.1 is the newest that installs, with yjs 13 as its peer dependency."""
YJS = "yjs@13.6.33"
PEERS_DIR = ROOT / "artifacts" / "bench" / "peers"
INSTALL_TIMEOUT = 300.0


class PeerUnavailable(RuntimeError):
    """The peer could not be installed or started; the run reports it and goes on."""


class PeerProcess(ServerProcess):
    """One peer server process on 127.0.0.1."""

    name = "peer"

    def version(self) -> str:
        return "?"

    def install(self) -> None:
        """Make the peer runnable; raise PeerUnavailable (with the reason) if it cannot be."""

    def start(self) -> None:
        try:
            super().start()
        except RuntimeError as problem:
            raise PeerUnavailable(str(problem)) from None


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


class Relay(YWebsocket):
    name = "relay (floor)"

    def version(self) -> str:
        node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout
        manifest = self.prefix / "node_modules" / "ws" / "package.json"
        ws = json.loads(manifest.read_text()).get("version", "?") if manifest.exists() else "?"
        return f"bench/peers/relay.cjs, ws {ws}, node {node.strip().lstrip('v')}"

    def command(self) -> tuple[list[str], dict[str, str]]:
        _, env = super().command()
        env["NODE_PATH"] = str(self.prefix / "node_modules")
        return ["node", str(Path(__file__).with_name("relay.cjs"))], env


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


PEERS: dict[str, type[PeerProcess]] = {
    "y-websocket": YWebsocket,
    "pycrdt-websocket": PycrdtWebsocket,
    "relay": Relay,
}
