"""Cost of the command line as a mail server and an operator get it: one process per call.

1. ``helpdesk --help``: wall time, CPU (user + system) and peak RSS of the process.
   Target: under 0.3 s.
2. ``helpdesk mail ingest``: one process per message of the real-mail corpus, reading the
   message on its standard input as an MTA's pipe delivers it, against a fresh SQLite file
   (or ``--database-url``). Per message: CPU and peak RSS of the process (target: 0.3 s of
   CPU and 80 MB); end to end: messages per second from the first delivery until every
   message is stored and handled (target: 50 messages/s).

Each figure comes from ``os.wait4`` on the child, so it is that process's own use. Say under
what load you measured (the script prints the load average).

Run: ``.venv/bin/python bench/entry_points_bench.py [--runs 3] [--count 10]
[--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "emails" / "real"
HELPDESK = str(Path(sys.executable).with_name("helpdesk"))


def measure(args: list[str], env: dict[str, str], stdin: bytes = b"") -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one run of a command."""
    started = time.perf_counter()
    child = subprocess.Popen(
        args, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert child.stdin is not None and child.stderr is not None
    child.stdin.write(stdin)
    child.stdin.close()
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({child.returncode}): {errors.decode()[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def summary(label: str, runs: list[tuple[float, float, int]]) -> None:
    walls, cpus, rss = zip(*runs, strict=True)
    print(
        f"{label}: {len(runs)} runs, CPU median {statistics.median(cpus):.2f} s "
        f"(max {max(cpus):.2f}), peak RSS max {max(rss)} MB, "
        f"wall median {statistics.median(walls):.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of helpdesk --help")
    parser.add_argument("--count", type=int, default=10, help="messages given to mail ingest")
    parser.add_argument("--database-url", default=None)
    options = parser.parse_args()
    print(
        f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )

    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ)
        env["HELPDESK_INSTANCE_PATH"] = str(Path(folder) / "instance")
        env["HELPDESK_DATABASE_URL"] = options.database_url or f"sqlite:///{folder}/bench.db"

        summary(
            "helpdesk --help", [measure([HELPDESK, "--help"], env) for _ in range(options.runs)]
        )

        measure([HELPDESK, "db", "upgrade"], env)
        messages = [p.read_bytes() for p in sorted(CORPUS.glob("*.eml"))][: options.count]
        started = time.perf_counter()
        runs = [measure([HELPDESK, "mail", "ingest"], env, raw) for raw in messages]
        elapsed = time.perf_counter() - started
        summary("helpdesk mail ingest (one process per message)", runs)
        print(
            f"end to end: {len(messages)} messages in {elapsed:.1f} s, "
            f"{len(messages) / elapsed:.2f} messages/s"
        )


if __name__ == "__main__":
    main()
