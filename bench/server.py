"""The system under test: `board serve` in its own process, and what we read off its pid.

The server runs exactly as in production (`python -m board.cli serve`, uvicorn with uvloop and
httptools), on a fresh SQLite file in a temporary directory, logging only warnings.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT = 30.0


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to send SIGTERM if the benchmark dies, so a killed
    run leaves no server behind. Elsewhere, nothing."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServerProcess:
    """One server process on 127.0.0.1 with a free port and a temporary directory (its log):
    ours or a peer. Always stopped; it gets SIGTERM if the benchmark dies."""

    name = "server"
    stop_signal = signal.SIGTERM

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="board-bench-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError(f"{self.name} is not running")
        return self.process.pid

    def command(self) -> tuple[list[str], dict[str, str]]:
        raise NotImplementedError

    def ready(self) -> bool:
        """Whether the server answers yet: by default, it accepts a connection."""
        try:
            with socket.create_connection((self.host, self.port), timeout=1):
                return True
        except OSError:
            return False

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
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}: {self.log_tail()}")
            if self.ready():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} not ready after {READY_TIMEOUT:.0f} s: {self.log_tail()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL now (the peers' memory guard); `stop` still reaps it."""
        if self.process is not None and self.alive():
            self.process.kill()

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(self.stop_signal)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.process = None

    def log_tail(self, lines: int = 20) -> str:
        path = self.directory / "server.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class Server(ServerProcess):
    """One `board serve` process, on a fresh SQLite file unless given a database."""

    name = "board serve"
    stop_signal = signal.SIGINT

    def __init__(self, database_url: str = "", broker_url: str = "") -> None:
        super().__init__()
        self.database_url = database_url or f"sqlite+aiosqlite:///{self.directory / 'bench.db'}"
        self.broker_url = broker_url

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.setdefault("BOARD_SECRET_KEY", "bench-secret-not-for-production")
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def migrate(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "board.cli", "migrate", "--database-url", self.database_url],
            check=True,
            cwd=self.directory,
            env=self._env(),
            stdout=subprocess.DEVNULL,
        )

    def command(self) -> tuple[list[str], dict[str, str]]:
        command = [sys.executable, "-m", "board.cli", "serve", "--host", self.host, "--port", str(self.port)]
        command += ["--database-url", self.database_url, "--log-level", "warning"]
        if self.broker_url:
            command += ["--broker-url", self.broker_url]
        return command, self._env()

    def ready(self) -> bool:
        try:
            return httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def __enter__(self) -> Server:
        self.migrate()
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass(frozen=True, slots=True)
class Setup:
    """Server processes to measure on: a database (a fresh SQLite file when empty), a broker (the
    in-process one when empty), and how many processes share them."""

    name: str
    database_url: str
    broker_url: str
    processes: int
    across: bool = False
    """A receiving client goes to the second process (else to the first), where it matters."""


POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
"""The PostgreSQL the set-ups comparing stores use (`bench.lone_edit`, `bench.store_ratio`)."""
REDIS = "redis://127.0.0.1:6379/0"


def start_servers(stack: ExitStack, setup: Setup) -> list[Server]:
    """The set-up's fresh `board serve` processes on its database (migrated once) and broker,
    each cleaned up when `stack` closes."""
    servers = []
    for index in range(setup.processes):
        server = Server(setup.database_url, setup.broker_url)
        if index == 0:
            server.migrate()
        server.start()
        stack.callback(server.cleanup)
        servers.append(server)
    return servers


class CpuMeter:
    """CPU seconds of some processes (and of the whole machine) between two samples, in % of
    one core. For the group named "server" it also splits user from system time, and the
    event loop's thread (the main one) from the others (aiosqlite's SQLite threads)."""

    def __init__(self, pids: dict[str, list[int]]) -> None:
        self.groups = {name: [psutil.Process(pid) for pid in group] for name, group in pids.items()}
        self._start: dict[str, tuple[float, float]] = {}
        self._threads: dict[int, float] = {}
        self._machine_start: tuple[float, float] = (0.0, 0.0)
        self._wall = 0.0
        self.result: dict[str, float] = {}

    def start(self) -> None:
        self._start = {name: _cpu(group) for name, group in self.groups.items()}
        self._threads = _threads(self.groups.get("server", []))
        self._machine_start = _machine()
        self._wall = time.monotonic()

    def stop(self) -> dict[str, float]:
        wall = time.monotonic() - self._wall
        busy, total = _machine()
        result: dict[str, float] = {}
        for name, group in self.groups.items():
            user, system = _cpu(group)
            result[f"{name}_cpu_pct"] = 100.0 * (user + system - sum(self._start[name])) / wall
            if name == "server":
                result["server_user_pct"] = 100.0 * (user - self._start[name][0]) / wall
                result["server_system_pct"] = 100.0 * (system - self._start[name][1]) / wall
        if "server" in self.groups:
            main_ids = {process.pid for process in self.groups["server"]}
            after = _threads(self.groups["server"])
            spent = {tid: seconds - self._threads.get(tid, 0.0) for tid, seconds in after.items()}
            result["server_loop_thread_pct"] = 100.0 * sum(spent.get(tid, 0.0) for tid in main_ids) / wall
            result["server_other_threads_pct"] = (
                100.0 * sum(v for tid, v in spent.items() if tid not in main_ids) / wall
            )
        cores = psutil.cpu_count() or 1
        # All cores together, in % of one core (200 = both cores of this machine busy).
        machine_pct = (
            100.0 * cores * (busy - self._machine_start[0]) / max(1e-9, total - self._machine_start[1])
        )
        result["machine_busy_pct"] = machine_pct
        result["others_cpu_pct"] = max(
            0.0, machine_pct - sum(result[f"{name}_cpu_pct"] for name in self.groups)
        )
        self.result = result
        return result


def _cpu(processes: list[psutil.Process]) -> tuple[float, float]:
    user = system = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        user += times.user
        system += times.system
    return user, system


def _threads(processes: list[psutil.Process]) -> dict[int, float]:
    """CPU seconds per thread id."""
    seconds: dict[int, float] = {}
    for process in processes:
        try:
            for thread in process.threads():
                seconds[thread.id] = thread.user_time + thread.system_time
        except psutil.Error:
            continue
    return seconds


def _machine() -> tuple[float, float]:
    times = psutil.cpu_times()
    total = sum(times)
    idle = times.idle + getattr(times, "iowait", 0.0)
    return total - idle, total


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (all its threads, exited ones
    too), to the nanosecond where Linux says so.

    psutil reads `/proc/<pid>/stat`, in clock ticks of 10 ms: over a lone-edit round (60
    edits, about 1.5 s) one tick is 0.17 ms an edit per process, as large as the differences
    being measured. The process's CPU-time clock (`clock_getcpuclockid(pid)`, which Python
    lacks, is this number) is exact."""
    process_clock = (~pid << 3) | 2  # Linux's CPUCLOCK_SCHED clock of a whole process
    try:
        return time.clock_gettime(process_clock)
    except OSError:
        times = psutil.Process(pid).cpu_times()
        return float(times.user + times.system)


def rss(pid: int) -> int:
    return int(psutil.Process(pid).memory_info().rss)


def settled_rss(pid: int, seconds: float = 1.0) -> int:
    """Median of a few RSS samples over `seconds` (the heap moves a little while idle)."""
    samples = []
    for _ in range(5):
        samples.append(rss(pid))
        time.sleep(seconds / 5)
    return sorted(samples)[len(samples) // 2]


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    import platform

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ("uvicorn", "websockets", "uvloop", "starlette", "SQLAlchemy", "aiosqlite", "msgspec"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:
            versions[package] = "?"
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no", "board"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cpu": model or platform.processor() or "?",
        "cores": str(psutil.cpu_count() or "?"),
        "ram": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": ", ".join(f"{k} {v}" for k, v in versions.items()),
        "commit": commit + (" (board/ modified)" if dirty else ""),
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def machine_line() -> str:
    """The sentence a section of BENCHMARKS.md opens with: what it ran on, at which commit, and
    how busy the machine was when it began."""
    info = machine()
    return (
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM; Python {info['python']}; "
        f"commit {info['commit']}. Load average when the run began: {info['load_before']}."
    )
