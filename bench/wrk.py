"""Load one URL with wrk and read the figures bench/wrk.lua prints at the end of the run.

wrk is a C event loop: one of its threads drives thousands of requests a second, far more
than gunicorn answers here, so the client is not what is measured. run() also returns the
CPU time wrk used, so the report can show that.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

LUA = Path(__file__).with_name("wrk.lua")
MARKER = "bench-wrk"
FIELDS = (
    "requests",
    "duration_us",
    "p50_us",
    "p95_us",
    "p99_us",
    "max_us",
    "non200",
    "connect",
    "read",
    "write",
    "timeout",
)


class WrkError(RuntimeError):
    """wrk did not run, or did not print the line bench/wrk.lua writes."""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    non200: int
    socket_errors: int
    client_cpu_seconds: float = 0.0

    @property
    def rps(self) -> float:
        """Answers per second, errors included (they are reported beside it)."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non200 + self.socket_errors

    @property
    def client_cpu_share(self) -> float:
        """wrk's CPU time as a share of one core over the run."""
        return self.client_cpu_seconds / self.seconds if self.seconds else 0.0


def parse(output: str) -> WrkResult:
    """Read the `bench-wrk key=value ...` line from wrk's standard output."""
    for line in output.splitlines():
        if line.startswith(MARKER + " "):
            pairs = dict(item.split("=", 1) for item in line.split()[1:])
            break
    else:
        raise WrkError(f"no '{MARKER}' line in wrk's output:\n{output}")
    missing = [name for name in FIELDS if name not in pairs]
    if missing:
        raise WrkError(f"wrk's '{MARKER}' line lacks {', '.join(missing)}: {line}")
    values = {name: int(pairs[name]) for name in FIELDS}
    return WrkResult(
        requests=values["requests"],
        seconds=values["duration_us"] / 1e6,
        p50_ms=values["p50_us"] / 1e3,
        p95_ms=values["p95_us"] / 1e3,
        p99_ms=values["p99_us"] / 1e3,
        non200=values["non200"],
        socket_errors=sum(values[name] for name in ("connect", "read", "write", "timeout")),
    )


def command(
    url: str, *, threads: int, connections: int, seconds: float, headers: Mapping[str, str]
) -> list[str]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise WrkError("wrk is not installed (make bench installs it: apt-get install wrk)")
    header_args = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    return [
        wrk,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds:g}s",
        "--timeout=10s",
        f"--script={LUA}",
        *header_args,
        url,
    ]


def run(
    url: str, *, threads: int, connections: int, seconds: float, headers: Mapping[str, str]
) -> WrkResult:
    """Run wrk once. Its CPU time is the children's usage before and after: the only child
    that ends meanwhile is wrk (gunicorn's workers are its master's children, not ours)."""
    argv = command(url, threads=threads, connections=connections, seconds=seconds, headers=headers)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    finished = subprocess.run(argv, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if finished.returncode != 0:
        raise WrkError(f"wrk exited with {finished.returncode}: {finished.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return replace(parse(finished.stdout), client_cpu_seconds=cpu)
