"""Cost of the entry points as a mail server and an operator get them: real processes.

1. ``helpdesk --help`` and ``helpdesk mail --help``: CPU (user + system) and peak RSS of the
   process. Target: under 0.3 s.
2. ``helpdesk mail ingest``: one process per message of the real-mail corpus, the message on
   its standard input as an MTA's pipe delivers it. Per message: CPU and peak RSS of the
   process. Target: 0.3 s of CPU and 80 MB.
3. End to end, with one ``helpdesk worker`` (categoriser on) already running, on a generated
   académie (``helpdesk import``, 2,000 responsables): N requests of its parents, from their
   own addresses, in the real phrasings of ``tests/data/classify_real_eval.jsonl``, delivered
   a. over LMTP to ``helpdesk mail lmtp``, one connection, as Postfix's LMTP client does;
   b. through ``helpdesk mail ingest``, one process per message, ``--parallel`` at a time;
   from the first delivery until every message is a categorised ticket (diagnosed when its
   nature is diagnosed). Target: at least 50 messages/s.

CPU and RSS come from ``os.wait4`` on each child: that process's own use. The script prints
the load average before and after: quote it with any figure.

Run: ``.venv/bin/python bench/entry_points_bench.py [--runs 5] [--count 20] [--messages 300]
[--parallel 2] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from helpdesk.core.driver import connect

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "emails" / "real"
PHRASINGS = ROOT / "tests" / "data" / "classify_real_eval.jsonl"
HELPDESK = str(Path(sys.executable).with_name("helpdesk"))


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


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
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(args)} failed ({code}): {errors.decode()[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def summary(label: str, runs: list[tuple[float, float, int]]) -> None:
    walls, cpus, rss = zip(*runs, strict=True)
    print(
        f"{label}: {len(runs)} runs, CPU median {statistics.median(cpus):.3f} s "
        f"(max {max(cpus):.3f}), peak RSS max {max(rss)} MB, "
        f"wall median {statistics.median(walls):.3f} s"
    )


def requests(count: int, tag: str, parents: list[tuple[str, str]]) -> list[bytes]:
    """Parents' requests in real phrasings, each from a parent of the account base."""
    rows = [json.loads(line) for line in PHRASINGS.read_text(encoding="utf-8").splitlines()]
    messages = []
    for number in range(count):
        row = rows[number % len(rows)]
        name, address = parents[number % len(parents)]
        msg = EmailMessage()
        msg["From"] = f"{name} <{address}>"
        msg["To"] = "assistance@ac-demo.fr"
        msg["Subject"] = row["subject"]
        msg["Date"] = format_datetime(datetime.now(UTC))
        msg["Message-ID"] = make_msgid(f"{tag}{number}", "example.org")
        msg.set_content(row["body"])
        messages.append(msg.as_bytes().replace(b"\n", b"\r\n"))
    return messages


class Database:
    """Reads through the driver alone: the bench stays small, and so do the children it
    forks (a child's peak RSS counts the parent's pages until it executes)."""

    def __init__(self, url: str) -> None:
        self.connection = connect(url)

    def scalar(self, sql: str) -> int:
        rows = self.connection.execute(sql)
        self.connection.commit()
        return rows[0][0]

    def execute(self, sql: str) -> None:
        self.connection.execute(sql)
        self.connection.commit()

    def handled(self) -> int:
        return self.scalar("SELECT count(*) FROM inbound_message WHERE status <> 'received'")


def wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what}")
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process: subprocess.Popen) -> tuple[float, int]:
    """Stop a long-running command; its CPU seconds and peak RSS (MB)."""
    process.send_signal(signal.SIGTERM)
    _, _, usage = os.wait4(process.pid, 0)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def end_to_end(label: str, env: dict[str, str], db: Database, deliver, messages) -> None:
    """Deliver the messages with one worker running; messages/s until all are tickets."""
    before = db.handled()
    worker = subprocess.Popen(
        [HELPDESK, "worker", "--interval", "0.2", "--no-fetch"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Warm start, as in production: the worker has loaded the categoriser and made a pass.
    wait(
        lambda: db.scalar("SELECT count(*) FROM worker_heartbeat WHERE task = 'pass'"),
        120,
        "the worker's first pass",
    )
    started = time.perf_counter()
    deliver(messages)
    delivered = time.perf_counter() - started
    wait(lambda: db.handled() >= before + len(messages), 600, "every message handled")
    elapsed = time.perf_counter() - started
    cpu, rss = stop(worker)
    print(
        f"{label}: {len(messages)} messages delivered in {delivered:.1f} s, tickets after "
        f"{elapsed:.1f} s: {len(messages) / elapsed:.1f} messages/s end to end "
        f"(worker: {cpu:.1f} s CPU incl. start-up, peak RSS {rss} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each --help")
    parser.add_argument("--count", type=int, default=20, help="corpus messages given to ingest")
    parser.add_argument("--messages", type=int, default=300, help="messages end to end")
    parser.add_argument("--parallel", type=int, default=2, help="ingest processes at a time")
    parser.add_argument("--database-url", default=None)
    options = parser.parse_args()
    print(f"load average before: {load()}")
    with open("/proc/self/status") as status:
        own = next(line for line in status if line.startswith("VmRSS")).split()[1]
    print(f"the bench itself: {int(own) // 1024} MB resident (a floor for its children's peak)")

    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HELPDESK_")}
        env["HELPDESK_INSTANCE_PATH"] = str(Path(folder) / "instance")
        env["HELPDESK_DATABASE_URL"] = options.database_url or f"sqlite:///{folder}/bench.db"
        env["HELPDESK_SECRET_KEY"] = "bench-secret-key"
        env["HELPDESK_RETENTION_RUN_HOURS"] = "0"

        for args in (["--help"], ["mail", "--help"], ["worker", "--help"]):
            runs = [measure([HELPDESK, *args], env) for _ in range(options.runs)]
            summary(f"helpdesk {' '.join(args)}", runs)

        measure([HELPDESK, "db", "upgrade"], env)
        db = Database(env["HELPDESK_DATABASE_URL"])
        corpus = [p.read_bytes() for p in sorted(CORPUS.glob("*.eml"))][: options.count]
        runs = [measure([HELPDESK, "mail", "ingest"], env, raw) for raw in corpus]
        summary("helpdesk mail ingest, one process per message (corpus)", runs)
        db.execute("DELETE FROM inbound_message")  # the end-to-end runs start from none
        academie = str(Path(folder) / "academie")
        generator = [sys.executable, str(ROOT / "bench" / "generate_academie.py"), academie]
        measure([*generator, "--responsables", "2000", "--seed", "14"], env)
        measure([HELPDESK, "import", academie], env)
        parents = [
            (f"{first} {last}", address)
            for first, last, address in db.connection.execute(
                "SELECT prenom, nom, email FROM responsable WHERE email IS NOT NULL "
                "ORDER BY responsable_id"
            )
        ]
        db.connection.commit()

        port = free_port()
        listener = subprocess.Popen(
            [HELPDESK, "mail", "lmtp", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def lmtp_ready() -> bool:
            with socket.socket() as probe:
                return probe.connect_ex(("127.0.0.1", port)) == 0

        wait(lmtp_ready, 60, "the LMTP listener")

        def over_lmtp(messages: list[bytes]) -> None:
            with smtplib.LMTP("127.0.0.1", port) as client:
                for raw in messages:
                    client.sendmail("mta@example.org", ["assistance@ac-demo.fr"], raw)

        end_to_end("LMTP", env, db, over_lmtp, requests(options.messages, "lmtp", parents))
        cpu, rss = stop(listener)
        print(f"LMTP listener: {cpu:.2f} s CPU in all, peak RSS {rss} MB")

        def through_pipes(messages: list[bytes]) -> None:
            with ThreadPoolExecutor(options.parallel) as pool:
                list(
                    pool.map(lambda raw: measure([HELPDESK, "mail", "ingest"], env, raw), messages)
                )

        end_to_end(
            f"mail ingest ({options.parallel} at a time)",
            env,
            db,
            through_pipes,
            requests(options.messages // 3, "pipe", parents[options.messages :]),
        )
        categorised = db.scalar("SELECT count(*) FROM ticket WHERE nature IS NOT NULL")
        diagnosed = db.scalar("SELECT count(*) FROM ticket_diagnosis")
        tickets = db.scalar("SELECT count(*) FROM ticket")
        print(f"tickets: {tickets}, categorised: {categorised}, diagnosed: {diagnosed}")
        db.connection.close()
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
