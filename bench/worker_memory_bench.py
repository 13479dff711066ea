"""Memory and throughput of the production web workers over every page, contact form included.

Starts gunicorn with the production settings (gunicorn.conf.py: preloaded app, threaded
workers), signs an agent in, warms every page, then drives each page of the mix with `wrk`
for a few seconds, contact-form submissions included. While it runs, the memory of each
worker is read every half second from /proc: RSS (which counts the pages a worker shares with
the master and the other workers), PSS (shared pages divided among those who map them) and
USS (the worker's own pages). Prints requests/s, latency and CPU time per request for each
page, then the peak of each memory figure per worker, and the machine's load.

    .venv/bin/python bench/worker_memory_bench.py --tickets 20000
    .venv/bin/python bench/worker_memory_bench.py --database-url postgresql+psycopg://... \\
        --duration 5 --repeat 3
    .venv/bin/python bench/worker_memory_bench.py --source /path/to/other/checkout ...

`--source` runs another checkout of the code (its gunicorn.conf.py and its package) on the
same database, for a before/after comparison on one machine. Files go to bench/out/memory/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import web_bench as wb  # noqa: E402  (the wrk driver, sessions and database helpers)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "memory"
SECRET = "worker-memory-bench-secret"
MEMORY_TARGET_MB = 150


# --------------------------------------------------------------------------- memory


def smaps_rollup(pid: int) -> dict[str, float] | None:
    """RSS, PSS and USS of a process in MB (None once it has exited)."""
    values: dict[str, float] = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                parts = line.split()
                if parts and parts[0] in ("Rss:", "Pss:", "Private_Clean:", "Private_Dirty:"):
                    values[parts[0][:-1]] = int(parts[1]) / 1024
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    values["HWM"] = int(line.split()[1]) / 1024
    except OSError:
        return None
    return {
        "rss": values.get("Rss", 0.0),
        "pss": values.get("Pss", 0.0),
        "uss": values.get("Private_Clean", 0.0) + values.get("Private_Dirty", 0.0),
        "hwm": values.get("HWM", 0.0),
    }


@dataclass
class Peaks:
    rss: float = 0.0
    pss: float = 0.0
    uss: float = 0.0
    hwm: float = 0.0

    def add(self, sample: dict[str, float]) -> None:
        for name in ("rss", "pss", "uss", "hwm"):
            setattr(self, name, max(getattr(self, name), sample[name]))


@dataclass
class MemoryWatch:
    """Samples the workers of a gunicorn master every `every` seconds in a thread."""

    master: int
    every: float = 0.5
    peaks: dict[int, Peaks] = field(default_factory=dict)
    master_peak: Peaks = field(default_factory=Peaks)
    _stop: threading.Event = field(default_factory=threading.Event)

    def sample(self) -> None:
        master = smaps_rollup(self.master)
        if master:
            self.master_peak.add(master)
        for pid in wb.worker_pids(self.master):
            found = smaps_rollup(pid)
            if found:
                self.peaks.setdefault(pid, Peaks()).add(found)

    def run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def __enter__(self) -> MemoryWatch:
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


# --------------------------------------------------------------------------- server


def app_env(url: str, folder: Path, source: Path, workers: int, port: int) -> dict[str, str]:
    return dict(
        os.environ,
        PYTHONPATH=str(source),
        HELPDESK_DATABASE_URL=url,
        HELPDESK_INSTANCE_PATH=str(folder / "instance"),
        HELPDESK_SECRET_KEY=SECRET,
        HELPDESK_RATELIMIT_ENABLED="0",
        HELPDESK_PUBLIC_URL="http://127.0.0.1",
        HELPDESK_BIND=f"127.0.0.1:{port}",
        HELPDESK_WORKERS=str(workers),
        # Recycling would reset the memory being measured.
        HELPDESK_MAX_REQUESTS="0",
        HELPDESK_LOG_LEVEL="warning",
    )


def start_gunicorn(env: dict[str, str], source: Path, folder: Path, workers: int):
    log = open(folder / "gunicorn.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [str(wb.VENV_BIN / "gunicorn"), "-c", str(source / "gunicorn.conf.py")],
        env=env,
        cwd=source,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://{env['HELPDESK_BIND']}"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn s'est arrêté : voir {folder / 'gunicorn.log'}")
        try:
            ready = wb.requests.get(f"{base}/login", timeout=10).status_code == 200
        except wb.requests.RequestException:
            ready = False
        if ready and len(wb.worker_pids(proc.pid)) == workers:
            return proc, base
        time.sleep(0.5)
    wb.stop_gunicorn(proc)
    sys.exit("gunicorn ne répond pas.")


# --------------------------------------------------------------------------- pages


def sample_data(url: str) -> dict:
    from sqlalchemy import select

    from helpdesk.core.db import make_engine
    from helpdesk.schools.models import School
    from helpdesk.tickets.models import Ticket
    from helpdesk.util.tracking import make_token

    data = wb.sample_data(url, count=3000)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(Ticket.id, Ticket.reference).limit(20000)).all()
            data["school_ids"] = list(conn.scalars(select(School.id)))
    finally:
        engine.dispose()
    rng = random.Random(11)
    picked = rng.sample(rows, min(1000, len(rows)))
    data["tokens"] = [make_token(SECRET, tid, ref) for tid, ref in picked]
    return data


def scenarios(data: dict, contact_body: str, pages: set[str]) -> list[wb.Scenario]:
    term = wb.quote(data["term"])
    refs = data["references"]
    plan = [
        wb.Scenario("accueil", "Accueil des agents", "/accueil"),
        wb.Scenario("file", "File /tickets", "/tickets"),
        wb.Scenario(
            "file_filtree", "File filtrée", "/tickets?statut=tous&motif=activation_sms&page=2"
        ),
        wb.Scenario("file_recherche", "File, recherche", f"/tickets?statut=tous&q={term}"),
        wb.Scenario("recherche", "Recherche globale", "/recherche?q=code+SMS"),
        wb.Scenario(
            "demande",
            "Page d'une demande",
            "/tickets/" + refs[0],
            paths=["/tickets/" + ref for ref in refs],
        ),
        wb.Scenario(
            "diagnostic",
            "Panneau Diagnostic",
            f"/tickets/{refs[0]}/diagnostic",
            paths=[f"/tickets/{ref}/diagnostic" for ref in refs[:500]],
        ),
        wb.Scenario("faq", "FAQ", "/faq"),
        wb.Scenario("faq_recherche", "FAQ, recherche", "/faq?q=mot+de+passe+oubli%C3%A9"),
        wb.Scenario("contact_page", "Formulaire de contact (GET)", "/contact"),
        wb.Scenario(
            "suivi",
            "Suivi par lien",
            "/suivi/" + data["tokens"][0],
            paths=["/suivi/" + token for token in data["tokens"]],
        ),
        wb.Scenario(
            "contact",
            "Formulaire de contact POST",
            "/contact",
            method="POST",
            expected=302,
            body=contact_body,
        ),
    ]
    return [s for s in plan if not pages or s.name in pages]


def backend_pids(url: str) -> list[int]:
    if not url.startswith("postgresql"):
        return []
    return wb.backend_pids("postgresql", url.rsplit("/", 1)[1])


def fixed_count(base: str, scenario: wb.Scenario, cookie: str, args) -> wb.Result:
    """`args.requests` requests of the page from `args.connections` clients at once: every
    request completes, however loaded the machine, so the CPU time per request is exact."""
    from concurrent.futures import ThreadPoolExecutor

    paths = scenario.paths or [scenario.path]
    headers = {"Cookie": f"session={cookie}", "User-Agent": wb.USER_AGENT}
    local = threading.local()
    latencies: list[float] = []
    bad = [0, 0, 0]

    def one(number: int) -> None:
        try:
            ask(number)
        except wb.requests.RequestException:
            bad[2] += 1

    def ask(number: int) -> None:
        http = getattr(local, "http", None) or wb.requests.Session()
        local.http = http
        began = time.perf_counter()
        if scenario.method == "POST":
            response = http.post(
                base + scenario.path,
                data=scenario.body.replace("{n}", f"{os.getpid()}x{number}x{time.time_ns()}"),
                headers=headers | {"Content-Type": "application/x-www-form-urlencoded"},
                allow_redirects=False,
                timeout=120,
            )
        else:
            path = paths[number % len(paths)]
            response = http.get(base + path, headers=headers, allow_redirects=False, timeout=120)
        latencies.append(time.perf_counter() - began)
        bad[0] += response.status_code != scenario.expected
        bad[1] += response.status_code >= 500

    began = time.perf_counter()
    with ThreadPoolExecutor(args.connections) as pool:
        list(pool.map(one, range(args.requests)))
    seconds = time.perf_counter() - began
    ordered = sorted(latencies) or [0.0]

    def pct(q: float) -> float:
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return wb.Result(
        scenario.name,
        args.connections,
        len(ordered),
        seconds,
        pct(0.5),
        pct(0.95),
        pct(0.99),
        1000 * ordered[-1],
        bad[0],
        bad[1],
        0,
    )


def cpu_of(master: int) -> float:
    pids = wb.worker_pids(master)
    return sum(wb.cpu_times(pids).values())


def run_once(args, url: str, data: dict, folder: Path, wrk: str) -> dict:
    port = wb.free_port()
    env = app_env(url, folder, args.source, args.workers, port)
    if args.threads:
        env["HELPDESK_THREADS"] = str(args.threads)
    load_before = os.getloadavg()
    server, base = start_gunicorn(env, args.source, folder, args.workers)
    results: list[dict] = []
    try:
        cookie = wb.agent_cookie(base)
        contact_cookie, token = wb.contact_session(base)
        body = wb.contact_body(token, data["school_ids"][0])
        wb.check_contact(base, contact_cookie, body)
        plan = scenarios(data, body, set(filter(None, args.pages.split(","))))
        with MemoryWatch(server.pid) as watch:
            for scenario in plan:
                lua = wb.write_lua(scenario, folder)
                session_cookie = contact_cookie if scenario.method == "POST" else cookie
                if scenario.method == "GET":  # warm each worker on the page
                    wb.run_wrk(wrk, base, scenario, lua, 2, 1, session_cookie)
                cpu_before = cpu_of(server.pid)
                db_before = wb.cpu_times(backend_pids(url))
                if args.requests:
                    result = fixed_count(base, scenario, session_cookie, args)
                else:
                    result = wb.run_wrk(
                        wrk, base, scenario, lua, args.connections, args.duration, session_cookie
                    )
                done = max(result.requests, 1)
                cpu_ms = 1000 * (cpu_of(server.pid) - cpu_before) / done
                db_ms = 1000 * wb.cpu_spent(db_before, wb.cpu_times(backend_pids(url))) / done
                row = result.__dict__ | {"rate": result.rate, "cpu_ms": cpu_ms, "db_ms": db_ms}
                results.append(row)
                print(
                    f"  {scenario.name:<14} {result.rate:7.1f} req/s  p50 {result.p50:7.1f} ms  "
                    f"p95 {result.p95:7.1f}  erreurs {result.bad_status}/{result.server_errors}"
                    f"/{result.socket_errors}"
                    f"  CPU {cpu_ms:5.1f} + bd {db_ms:4.1f} ms/req",
                    flush=True,
                )
        memory = {pid: peaks.__dict__ for pid, peaks in watch.peaks.items()}
        master = watch.master_peak.__dict__
    finally:
        wb.stop_gunicorn(server)
    return {
        "results": results,
        "memory": memory,
        "master": master,
        "load": [round(x, 2) for x in load_before] + [round(x, 2) for x in os.getloadavg()],
        "log": wb.log_problems(folder / "gunicorn.log"),
    }


def report(runs: list[dict], args) -> None:
    print(f"\n## {args.source} : {args.workers} workers, {args.connections} clients wrk")
    names = [r["scenario"] for r in runs[0]["results"]]
    header = (
        f"{'page':<14} {'req/s (médiane)':>16} {'min':>7} {'max':>7} {'CPU ms/req':>11} "
        f"{'bd ms/req':>10} {'débit borné 2 cœurs':>20}"
    )
    print(header)
    print("-" * len(header))
    for index, name in enumerate(names):
        rates = [run["results"][index]["rate"] for run in runs]
        cpu = statistics.median(run["results"][index]["cpu_ms"] for run in runs)
        db = statistics.median(run["results"][index]["db_ms"] for run in runs)
        bound = 2000 / (cpu + db) if cpu + db else 0.0
        print(
            f"{name:<14} {statistics.median(rates):>16.1f} {min(rates):>7.1f} {max(rates):>7.1f}"
            f" {cpu:>11.1f} {db:>10.1f} {bound:>20.0f}"
        )
    print("\nMémoire par worker (Mo, pic sur toute la mesure) :")
    worst = 0.0
    for number, run in enumerate(runs, 1):
        for pid, peak in sorted(run["memory"].items()):
            worst = max(worst, peak["hwm"])
            print(
                f"  mesure {number} worker {pid} : RSS pic {peak['hwm']:.0f} "
                f"(échantillons : RSS {peak['rss']:.0f}, PSS {peak['pss']:.0f}, "
                f"USS {peak['uss']:.0f})"
            )
        master = run["master"]
        print(
            f"  mesure {number} maître : RSS {master['rss']:.0f}, PSS {master['pss']:.0f}, "
            f"USS {master['uss']:.0f} ; charge (1/5/15 min) avant {run['load'][:3]}, "
            f"après {run['load'][3:]} ; journal {run['log']}"
        )
    verdict = "atteint" if worst < MEMORY_TARGET_MB else "NON atteint"
    print(
        f"\nPic RSS du plus gros worker : {worst:.0f} Mo (objectif < {MEMORY_TARGET_MB} Mo : "
        f"{verdict}) ; {os.cpu_count()} cœurs."
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="base existante (sinon construite)")
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--source", type=Path, default=ROOT, help="arborescence du code mesuré")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0, help="0 : celui de gunicorn.conf.py")
    parser.add_argument("--duration", type=int, default=5, help="secondes par page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=1, help="mesures successives")
    parser.add_argument("--pages", default="", help="pages mesurées, séparées par des virgules")
    parser.add_argument(
        "--requests",
        type=int,
        default=0,
        help="N requêtes par page, toutes menées à terme (au lieu de wrk pendant --duration) : "
        "le temps CPU par requête reste exact sur une machine chargée",
    )
    args = parser.parse_args(argv)
    args.source = args.source.resolve()
    wrk = wb.ensure_wrk()
    folder = OUT / args.source.name
    folder.mkdir(parents=True, exist_ok=True)
    url = args.database_url
    if not url:
        url = wb.prepare_database("postgresql", folder, "bench_memory")
        seconds = wb.build_demo(wb.app_env(url, folder), args.tickets, folder)
        print(f"helpdesk demo --tickets {args.tickets} : {seconds:.0f} s", flush=True)
    data = sample_data(url)
    print(f"{data['tickets']} demandes ; code mesuré : {args.source}", flush=True)
    runs = []
    for number in range(args.repeat):
        print(f"\nMesure {number + 1}/{args.repeat}", flush=True)
        runs.append(run_once(args, url, data, folder, wrk))
    (folder / "results.json").write_text(json.dumps(runs, indent=2, default=str))
    report(runs, args)


if __name__ == "__main__":
    main()
