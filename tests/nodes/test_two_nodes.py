"""Two nodes behave as one: two gunicorn servers, each with its own instance folder, and two
background workers, on one PostgreSQL and one Redis, with a real SMTP server.

What one node writes, the other serves: an attachment sent to A is downloaded from B, an
article edited on B is found by A's search, a categoriser retrained on A is the one B uses,
a sign-in on A holds on B; and the two workers deliver each notification exactly once.
"""

from __future__ import annotations

import html
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from helpdesk.core.db import make_engine, make_sessionmaker, session_scope
from helpdesk.core.migrate import upgrade
from tests.plugins.database import PASSWORD, ROOT, fresh_database_url, is_postgres
from tests.plugins.mail_servers import SmtpServer, free_port

pytestmark = [
    pytest.mark.skipif(
        not is_postgres(),
        reason="two nodes share one server database: PostgreSQL only (SQLite is one file on "
        "one machine); set HELPDESK_TEST_DATABASE_URL",
    ),
    pytest.mark.xdist_group("nodes"),
]

BIN = Path(sys.executable).parent
AGENT_EMAIL = "agent.noeuds@ac-test.fr"
PDF = b"%PDF-1.4\n" + os.urandom(200_000) + b"\n%%EOF"
NOTIFICATIONS = 60
CORRECTION = (
    "Cantine",
    "le paiement de la cantine en ligne ne marche pas",
    "demande_logicielle",
    "TELESERVICES",
    "teleservices",
)


class _Form(HTMLParser):
    """The fields of the first form whose action ends with `action`, as a browser sends them."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.done = action, False, False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and (a.get("action") or "").endswith(self.action):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "file"):
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.fields.append((a["name"], ""))

    def handle_data(self, data):
        if self._textarea is not None:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        if tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_fields(page: str, action: str) -> list[tuple[str, str]]:
    parser = _Form(action)
    parser.feed(page)
    # A textarea's first newline belongs to the markup, not to the value.
    return [(k, v[1:] if v.startswith("\n") else v) for k, v in parser.fields]


def csrf(page: str) -> str:
    return html.unescape(re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1])


def _wait_ready(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{base} stopped: {log.read_text()[-2000:]}")
        try:
            if requests.get(f"{base}/pret", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{base} not ready: {log.read_text()[-2000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    from helpdesk.auth.models import User
    from helpdesk.auth.passwords import hash_password
    from helpdesk.knowledge.access import KNOWLEDGE_DIR
    from helpdesk.knowledge.services import import_directory

    root = tmp_path_factory.mktemp("nodes")
    url = fresh_database_url(root, "nodes")
    upgrade(url)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    with session_scope(factory) as session:
        session.add(
            User(
                email=AGENT_EMAIL,
                display_name="Agent des nœuds",
                role="agent",
                password_hash=hash_password(PASSWORD),
            )
        )
        import_directory(session, KNOWLEDGE_DIR)
    smtp = SmtpServer(free_port())
    smtp.start()
    common = {
        **os.environ,
        "HELPDESK_DATABASE_URL": url,
        # One key for the cluster: a session signed by one node is read by the other.
        "HELPDESK_SECRET_KEY": "nodes-secret-key",
        "HELPDESK_REDIS_URL": "redis://127.0.0.1:6379/0",
        "HELPDESK_RATELIMIT_PREFIX": f"nodes-{uuid.uuid4().hex}",
        "HELPDESK_SMTP_HOST": "127.0.0.1",
        "HELPDESK_SMTP_PORT": str(smtp.port),
        "HELPDESK_MAIL_WORKER_INTERVAL": "1",
        "HELPDESK_KB_SYNC_SECONDS": "0",
        "HELPDESK_CLASSIFY_SYNC_SECONDS": "0",
        "HELPDESK_CLASSIFY_RETRAIN_HOURS": "0",
        "HELPDESK_RETENTION_RUN_HOURS": "0",
        "HELPDESK_WORKERS": "1",
        "HELPDESK_THREADS": "4",
    }
    nodes, processes = {}, []
    try:
        for name in ("a", "b"):
            folder = root / name
            folder.mkdir()
            port = free_port()
            env = {
                **common,
                "HELPDESK_INSTANCE_PATH": str(folder),
                "HELPDESK_BIND": f"127.0.0.1:{port}",
                "HELPDESK_PUBLIC_URL": f"http://127.0.0.1:{port}",
            }
            log = folder / "gunicorn.log"
            with open(log, "wb") as out:
                server = subprocess.Popen(
                    [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            processes.append(server)
            with open(folder / "worker.log", "wb") as out:
                worker = subprocess.Popen(
                    [str(BIN / "helpdesk"), "worker", "--no-fetch", "--interval", "0.5"],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            processes.append(worker)
            nodes[name] = {
                "base": f"http://127.0.0.1:{port}",
                "folder": folder,
                "env": env,
                "server": server,
                "worker": worker,
                "log": log,
            }
        for node in nodes.values():
            _wait_ready(node["base"], node["server"], node["log"])
        yield {"nodes": nodes, "factory": factory, "smtp": smtp, "url": url}
    finally:
        for process in processes:
            _stop(process)
        smtp.stop()
        engine.dispose()


def _signed_in(base: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{base}/login", timeout=30).text
    answer = browser.post(
        f"{base}/login",
        data={"csrf_token": csrf(page), "email": AGENT_EMAIL, "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[-500:]
    return browser


def _contact(base: str, subject: str, files=None) -> str:
    """Send the public contact form; return the reference shown to the requester."""
    browser = requests.Session()
    page = browser.get(f"{base}/contact", timeout=30).text
    data = {
        "csrf_token": csrf(page),
        "requester_kind": "parent",
        "last_name": "Durand",
        "first_name": "Élodie",
        "email": "elodie.durand@example.org",
        "phone": "06 12 34 56 78",
        "subject": subject,
        "message": "Bonjour, le paiement de la cantine en ligne ne marche pas depuis lundi.",
    }
    answer = browser.post(f"{base}/contact", data=data, files=files, timeout=60)
    assert answer.status_code == 200 and "/contact/envoye" in answer.url, answer.text[-800:]
    return re.search(r"\d{4}-\d{6}", answer.text)[0]


def test_an_attachment_sent_to_one_node_is_downloaded_from_the_other(cluster):
    a, b = cluster["nodes"]["a"], cluster["nodes"]["b"]
    reference = _contact(
        a["base"],
        "Attestation jointe",
        files=[("files", ("attestation.pdf", PDF, "application/pdf"))],
    )
    # Signed in on A, the agent's session holds on B (kept in the database, not the node).
    agent = _signed_in(a["base"])
    page = agent.get(f"{b['base']}/tickets/{reference}", timeout=30)
    assert page.status_code == 200 and "attestation.pdf" in page.text
    link = re.search(r'href="(/pieces-jointes/\d+)"', page.text)[1]
    download = agent.get(f"{b['base']}{link}", timeout=30)
    assert download.status_code == 200
    assert download.content == PDF
    # Nothing of it on either node's disk.
    for node in (a, b):
        assert not any(
            PDF[:200] in p.read_bytes() for p in node["folder"].rglob("*") if p.is_file()
        )
    # Negative: without a session, neither node hands it out.
    assert requests.get(f"{b['base']}{link}", allow_redirects=False, timeout=30).status_code in (
        302,
        401,
        404,
    )


def test_an_article_edited_on_one_node_is_found_by_the_other(cluster):
    a, b = cluster["nodes"]["a"], cluster["nodes"]["b"]
    hits = r'<h2 class="fr-h6 fr-mb-1v"><a href="/faq/([a-z0-9-]+)"'
    agent = _signed_in(b["base"])
    reader = _signed_in(a["base"])
    assert re.findall(hits, reader.get(f"{a['base']}/faq?q=ornithorynque", timeout=30).text) == []
    listing = agent.get(f"{b['base']}/base-de-connaissances", timeout=30).text
    slug = re.search(r'href="/base-de-connaissances/([a-z0-9-]+)/modifier"', listing)[1]
    action = f"/base-de-connaissances/{slug}/modifier"
    fields = form_fields(agent.get(f"{b['base']}{action}", timeout=30).text, action)
    fields = [(k, f"{v} ornithorynque" if k == "title" else v) for k, v in fields]
    saved = agent.post(f"{b['base']}{action}", data=fields, allow_redirects=False, timeout=60)
    assert saved.status_code == 302, saved.text[-1500:]
    found = reader.get(f"{a['base']}/faq?q=ornithorynque", timeout=30).text
    assert re.findall(hits, found) == [slug]


def test_a_categoriser_retrained_through_one_node_is_used_by_the_other(cluster):
    from helpdesk.classify.compact import COMPACT_FILE_NAME
    from helpdesk.classify.services import cached_corrections, retrain_shared

    a, b = cluster["nodes"]["a"], cluster["nodes"]["b"]
    outcome = retrain_shared(cluster["factory"], a["folder"] / "classifier", [CORRECTION])
    assert outcome.replaced
    assert cached_corrections(b["folder"] / "classifier") == []
    # B's web process classifies the next request with the model A published.
    _contact(b["base"], "Cantine")
    assert cached_corrections(b["folder"] / "classifier") == [CORRECTION]
    assert (b["folder"] / "classifier" / COMPACT_FILE_NAME).read_bytes() == (
        a["folder"] / "classifier" / COMPACT_FILE_NAME
    ).read_bytes()
    # The command line of B classifies with it too.
    done = subprocess.run(
        [str(BIN / "helpdesk"), "classify"],
        input=f'{{"id": 1, "subject": "Cantine", "body": "{CORRECTION[1]}"}}\n',
        capture_output=True,
        text=True,
        env=b["env"],
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-1000:]
    assert '"motif": "teleservices"' in done.stdout


def test_two_workers_send_each_notification_exactly_once(cluster):
    from helpdesk.mail.models import OutboxMessage

    factory, smtp = cluster["factory"], cluster["smtp"]
    batch = uuid.uuid4().hex[:8]
    with session_scope(factory) as session:
        for n in range(NOTIFICATIONS):
            session.add(
                OutboxMessage(
                    kind="essai",
                    to_address=f"parent{n}@example.org",
                    subject=f"Notification {n}",
                    body_text="Votre demande avance.",
                    message_id=f"<{batch}.{n}@ac-test.fr>",
                )
            )
    wanted = {f"<{batch}.{n}@ac-test.fr>" for n in range(NOTIFICATIONS)}
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        with factory() as session:
            pending = session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.message_id.in_(wanted), OutboxMessage.status != "sent")
            )
        if not pending:
            break
        time.sleep(0.5)
    assert pending == 0
    time.sleep(3)  # a second delivery, if any, would arrive within a worker's pass
    counts = Counter(m for m in smtp.message_ids() if m in wanted)
    assert set(counts) == wanted
    assert max(counts.values()) == 1, [m for m, c in counts.items() if c > 1]
    for node in cluster["nodes"].values():
        assert node["worker"].poll() is None, node["folder"].joinpath("worker.log").read_text()
