"""Processes for the benchmark: run a command and measure its whole process tree, start a
server and stop it, wait for a URL.

CPU time and peak memory come from ``os.wait4``: the resource usage of the child *with* every
descendant it waited for (Pagefind runs as a child of mkdocs), the per-process equivalent of a
``getrusage(RUSAGE_CHILDREN)`` delta. ``ru_maxrss`` is the largest single process of the tree,
so a sampler also adds up the resident memory of the live tree (mkdocs and Pagefind at once).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
BUILD_NOW = "2026-11-26T10:00:00+01:00"  # the tests' build clock: information posts are dated from it
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTAIL_NOW": BUILD_NOW}
ROOT = Path(__file__).resolve().parent.parent


def snapshot_code(work: Path) -> Path:
    """Measure one version of the product: a copy of plugins/portail taken now, put first on
    the children's PYTHONPATH (ahead of the editable install), so that an edit of the working
    tree during a long run cannot mix two versions in one table."""
    target = work / "code"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(
        ROOT / "plugins" / "portail", target / "portail", ignore=shutil.ignore_patterns("__pycache__")
    )
    ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [str(target), os.environ.get("PYTHONPATH")]))
    return target


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Usage:
    cpu: float  # user + system seconds of the process tree
    wall: float
    max_rss: int  # bytes, largest single process of the tree (ru_maxrss)
    tree_rss: int  # bytes, largest sum of the live tree's resident memory seen by the sampler
    returncode: int
    log: str  # the command's output, for the report when it fails

    @property
    def peak(self) -> int:
        return max(self.max_rss, self.tree_rss)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants, now."""
    tree, total, todo = _children(), 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm", encoding="ascii") as statm:
                total += int(statm.read().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            pass
        todo += tree.get(current, [])
    return total


def run_measured(command: list[str], cwd: Path, timeout: float = 7200) -> Usage:
    """Run ``command`` to its end; its tree's CPU time, wall time and peak memory."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=log, stderr=subprocess.STDOUT)
        peak, done = [0], threading.Event()

        def sample() -> None:
            while not done.wait(0.1):
                peak[0] = max(peak[0], tree_rss(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)  # Popen must not wait again
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    return Usage(
        cpu=usage.ru_utime + usage.ru_stime,
        wall=wall,
        max_rss=usage.ru_maxrss * 1024,  # kilobytes on Linux
        tree_rss=peak[0],
        returncode=process.returncode,
        log=output,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(command: list[str], cwd: Path, log_path: Path) -> subprocess.Popen[bytes]:
    """A server in its own process group, so that stopping it stops its children too."""
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process, in stop_server
    return subprocess.Popen(
        command, cwd=cwd, env=ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # the group of the process this script started
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if process.stdout is not None:
        process.stdout.close()


def fetch(url: str, timeout: float = 10) -> tuple[int, bytes]:
    """Status and body of a GET; status 0 when nothing answers yet."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return 0, b""


def wait_until(
    url: str, process: subprocess.Popen[bytes], timeout: float, needle: bytes = b""
) -> float | None:
    """Seconds until ``url`` answers 200 (holding ``needle``); None if the server died or
    the time ran out."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if process.poll() is not None:
            return None
        status, body = fetch(url)
        if status == 200 and needle in body:
            return time.perf_counter() - start
        time.sleep(0.1)
    return None
