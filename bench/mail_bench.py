"""Mail throughput: ingestion of 1,000 varied messages, and the sender against 100 notifications/s.

1. Ingestion: ``ingest_message`` with a real database (a fresh SQLite file, or PostgreSQL with
   ``--database-url``) and the application's categoriser, one commit per message as
   ``helpdesk mail fetch`` does. 400 new requests first (plain, HTML, attachments, school
   addresses), then 600 follow-ups: replies by headers and by reference, forged references,
   automatic replies, bounces and the real-mail corpus. Target: at least 50 messages/s.
2. Sending: a producer writes 100 notifications/s (agents' replies through the ticket
   services, each in its own transaction) while a sender loop delivers the outbox to a local
   aiosmtpd server; then a burst of queued notifications is drained. Target: the backlog
   stays small and every notification is delivered exactly once.

Run: ``.venv/bin/python bench/mail_bench.py [--count 1000] [--rate 100] [--seconds 10]
[--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]``.
"""

from __future__ import annotations

import argparse
import base64
import logging
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from faker import Faker
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpdesk import create_app  # noqa: E402
from helpdesk.auth.models import User  # noqa: E402
from helpdesk.core.db import utcnow  # noqa: E402
from helpdesk.core.migrate import upgrade  # noqa: E402
from helpdesk.core.runtime import service_context  # noqa: E402
from helpdesk.mail.inbound.ingest import ingest_message  # noqa: E402
from helpdesk.mail.models import OutboxMessage  # noqa: E402
from helpdesk.mail.outbound import sender  # noqa: E402
from helpdesk.mail.settings import MailSettings  # noqa: E402
from helpdesk.tickets import services  # noqa: E402
from helpdesk.tickets.models import Message, Ticket  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "emails" / "real"
SUPPORT = "assistance@ac-bench.fr"
#: SMTP connections of the sender, as `helpdesk mail worker` opens by default.
CONNECTIONS = 2
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n" + b"0" * 30_000
SUBJECTS = [
    "Je ne reçois pas le code SMS",
    "Mot de passe EduConnect oublié",
    "Compte bloqué après plusieurs essais",
    "Identifiant introuvable pour mon enfant",
    "Impossible de rattacher mon deuxième enfant",
    "Le lien d'activation a expiré",
    "Accès aux livrets scolaires (LSU)",
    "Changement de numéro de téléphone",
]


# -- databases ------------------------------------------------------------------------------


def scratch_database(base_url: str | None, folder: Path) -> str:
    if not base_url:
        return f"sqlite:///{folder / 'mail_bench.db'}"
    url = make_url(base_url)
    name = f"{url.database}_mail_bench"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(base_url: str | None, url: str) -> None:
    if not base_url:
        return
    admin = create_engine(make_url(base_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


# -- messages -------------------------------------------------------------------------------


def _message(fake: Faker, sender_address: str, subject: str, name: str | None = None):
    msg = EmailMessage()
    msg["From"] = f"{name or fake.name()} <{sender_address}>"
    msg["To"] = f"Assistance EduConnect <{SUPPORT}>"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = make_msgid(domain="parents.example.org")
    return msg


def new_requests(fake: Faker, rng: random.Random, count: int) -> list[bytes]:
    out = []
    for index in range(count):
        address = f"parent{index}@example.org"
        if index % 10 == 9:
            address = f"ce.{rng.randrange(210_0000, 219_9999)}x@ac-bench.fr"
        body = "Bonjour,\n\n" + "\n\n".join(fake.paragraphs(nb=rng.randint(1, 3)))
        body += f"\n\nCordialement,\n{fake.name()}"
        msg = _message(fake, address, rng.choice(SUBJECTS))
        msg.set_content(body)
        kind = index % 4
        if kind == 1:
            paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
            msg.add_alternative(f"<html><body>{paragraphs}</body></html>", subtype="html")
        elif kind == 2:
            msg.add_attachment(PNG, maintype="image", subtype="png", filename="capture.png")
        elif kind == 3 and index % 8 == 3:
            msg.add_attachment(PDF, maintype="application", subtype="pdf", filename="courrier.pdf")
        out.append(msg.as_bytes())
    return out


def follow_ups(
    fake: Faker, rng: random.Random, tickets: list[tuple[str, str, str, str]], count: int
) -> list[bytes]:
    """Replies, forged references, automatic replies, bounces and real corpus messages."""
    corpus = [path.read_bytes() for path in sorted(CORPUS.glob("*.eml"))] if CORPUS.is_dir() else []
    out = []
    for index in range(count):
        reference, address, original_id, receipt_id = rng.choice(tickets)
        kind = index % 20
        quoted = "\n".join(f"> {line}" for line in fake.paragraphs(nb=3))
        history = f"\n\nLe lun. 14 sept. 2026 à 10:12, Assistance <{SUPPORT}> a écrit :\n{quoted}\n"
        if kind < 8:  # reply by headers
            msg = _message(fake, address, "Re: Votre demande a bien été reçue")
            msg["In-Reply-To"] = receipt_id
            msg["References"] = f"{original_id} {receipt_id}"
            msg.set_content(fake.paragraph() + history)
        elif kind < 12:  # reply by the subject tag only
            msg = _message(fake, address, f"RE : [{reference}] Votre demande")
            msg.set_content(fake.paragraph() + history)
        elif kind == 12:  # a stranger quoting a reference
            msg = _message(fake, fake.free_email(), f"Re: [{reference}] question")
            msg.set_content(fake.paragraph())
        elif kind == 13:  # out of office
            msg = _message(fake, address, f"Réponse automatique : [{reference}] absente")
            msg["Auto-Submitted"] = "auto-replied"
            msg.set_content("Je suis absente jusqu'à lundi.")
        elif kind == 14:  # bounce of the receipt
            out.append(_bounce(address, receipt_id, index))
            continue
        else:  # the real-mail corpus
            if corpus:
                out.append(corpus[index % len(corpus)])
                continue
            msg = _message(fake, fake.free_email(), rng.choice(SUBJECTS))
            msg.set_content(fake.paragraph())
        out.append(msg.as_bytes())
    return out


def _bounce(address: str, original: str, index: int) -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        f"To: {SUPPORT}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: <bounce-{index}@mx.example.org>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        f"Final-Recipient: rfc822; {address}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        f"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {original}\r\n\r\n--B--\r\n"
    ).encode()


# -- ingestion ------------------------------------------------------------------------------


def ingest_all(app, messages: list[bytes], latencies: list[float], statuses: Counter) -> None:
    factory = app.extensions["helpdesk_db"].session_factory
    ctx = service_context(app)
    for raw in messages:
        started = time.perf_counter()
        with factory() as session:
            result = ingest_message(session, ctx, raw)
            session.commit()
        latencies.append(time.perf_counter() - started)
        statuses[result.status] += 1


def bench_ingest(app, count: int, seed: int) -> dict:
    fake = Faker("fr_FR")
    Faker.seed(seed)
    rng = random.Random(seed)
    first = max(1, count * 2 // 5)
    latencies: list[float] = []
    statuses: Counter = Counter()
    wave = new_requests(fake, rng, first)
    ingest_all(app, wave, latencies, statuses)
    factory = app.extensions["helpdesk_db"].session_factory
    with factory() as session:
        rows = session.execute(
            select(Ticket.reference, Ticket.requester_email, OutboxMessage.message_id)
            .join(OutboxMessage, OutboxMessage.ticket_id == Ticket.id)
            .where(OutboxMessage.kind == "request_received")
        ).all()
        originals = dict(
            session.execute(
                select(Ticket.reference, func.min(Message.email_message_id))
                .join(Message, Message.ticket_id == Ticket.id)
                .group_by(Ticket.reference)
            ).all()
        )
    tickets = [(ref, email, originals.get(ref) or "", mid) for ref, email, mid in rows]
    ingest_all(app, follow_ups(fake, rng, tickets, count - first), latencies, statuses)
    total = sum(latencies)
    ordered = sorted(latencies)
    return {
        "count": len(latencies),
        "seconds": total,
        "rate": len(latencies) / total,
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[int(len(ordered) * 0.95) - 1] * 1000,
        "max": ordered[-1] * 1000,
        "statuses": dict(statuses),
    }


# -- sending --------------------------------------------------------------------------------


SMTP_SERVER = """
import sys

from aiosmtpd.controller import Controller

class Handler:
    def __init__(self, path):
        self.out = open(path, "a", buffering=1)

    async def handle_DATA(self, server, session, envelope):
        for line in envelope.content.split(b"\\r\\n"):
            if line.lower().startswith(b"message-id:"):
                self.out.write(line.split(b":", 1)[1].strip().decode() + "\\n")
                break
        return "250 OK"

controller = Controller(Handler(sys.argv[2]), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
"""


class SmtpProcess:
    """aiosmtpd in its own process (as a real relay would be), logging the Message-IDs."""

    def __init__(self, folder: Path) -> None:
        import socket
        import subprocess

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = folder / "received.log"
        self.log.write_text("")
        self.process = subprocess.Popen(
            [sys.executable, "-c", SMTP_SERVER, str(self.port), str(self.log)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    @property
    def ids(self) -> list[str]:
        return self.log.read_text().split()

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self.process.stdout.close()


def bench_send(app, rate: int, seconds: float, burst: int, folder: Path) -> dict:
    server = SmtpProcess(folder)
    port = server.port
    factory = app.extensions["helpdesk_db"].session_factory
    ctx = service_context(app)
    settings = MailSettings(
        smtp_host="127.0.0.1", smtp_port=port, mail_from=f"Assistance <{SUPPORT}>"
    )
    with factory() as session:
        agent = User(
            email="agent.bench@ac-bench.fr",
            display_name="Agent Bench",
            role="agent",
            password_hash="x",
        )
        session.add(agent)
        session.commit()
        agent_id = agent.id
        ticket_ids = session.scalars(
            select(Ticket.id).where(Ticket.requester_email_failing.is_(False))
        ).all()
    # Whatever ingestion queued is delivered first, outside the measures.
    sender.send_pending(factory, settings)
    baseline = len(server.ids)

    stop = threading.Event()
    backlog: list[int] = []
    send_reports: list[sender.SendReport] = []

    def send_loop() -> None:
        while not stop.is_set():
            report = sender.send_pending(factory, settings, connections=CONNECTIONS)
            send_reports.append(report)
            with factory() as session:
                backlog.append(
                    session.scalar(
                        select(func.count())
                        .select_from(OutboxMessage)
                        .where(OutboxMessage.status == "pending")
                    )
                )
            if not report.sent:
                time.sleep(0.1)

    def produce(n: int) -> int:
        made = 0
        with factory() as session:
            agent = session.get(User, agent_id)
            ticket = session.get(Ticket, ticket_ids[n % len(ticket_ids)])
            if ticket.status == "clos":
                return 0
            services.add_message(session, ctx, ticket, agent, f"Réponse n° {n} de l'agent.")
            session.commit()
            made = 1
        return made

    worker = threading.Thread(target=send_loop)
    worker.start()
    produced = 0
    started = time.perf_counter()
    n = 0
    while time.perf_counter() - started < seconds:
        due = started + n / rate
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        produced += produce(n)
        n += 1
    produced_in = time.perf_counter() - started
    drain_started = time.perf_counter()
    while True:
        with factory() as session:
            pending = session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status == "pending")
            )
        if not pending or time.perf_counter() - drain_started > 60:
            break
        time.sleep(0.05)
    drain = time.perf_counter() - drain_started
    stop.set()
    worker.join()
    sustained_sent = len(server.ids) - baseline

    # A burst: notifications queued while the sender was away, then drained at once.
    with factory() as session:
        agent = session.get(User, agent_id)
        for i in range(burst):
            ticket = session.get(Ticket, ticket_ids[i % len(ticket_ids)])
            if ticket.status != "clos":
                services.add_message(session, ctx, ticket, agent, f"Réponse groupée n° {i}.")
        session.commit()
        queued = session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "pending")
        )
    before = len(server.ids)
    burst_started = time.perf_counter()
    report = sender.send_pending(factory, settings, connections=CONNECTIONS)
    burst_seconds = time.perf_counter() - burst_started
    ids = server.ids
    server.stop()
    return {
        "produced": produced,
        "produced_rate": produced / produced_in,
        "sustained_sent": sustained_sent,
        "drain_after_stop": drain,
        "max_backlog": max(backlog or [0]),
        "burst": queued,
        "burst_sent": report.sent,
        "burst_rate": report.sent / burst_seconds if burst_seconds else 0.0,
        "burst_delivered": len(ids) - before,
        "duplicates": len(ids) - len(set(ids)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--burst", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)

    with tempfile.TemporaryDirectory() as folder:
        url = scratch_database(args.database_url, Path(folder))
        upgrade(url)
        app = create_app(
            {
                "DATABASE_URL": url,
                "INSTANCE_PATH": folder,
                "SECRET_KEY": "bench",
                "ATTACHMENT_DIR": str(Path(folder) / "attachments"),
                "MAIL_REPLY_TO": SUPPORT,
                "MAIL_FROM": f"Assistance EduConnect <{SUPPORT}>",
            }
        )
        engine_name = make_url(url).get_backend_name()
        try:
            with app.app_context():
                ingest = bench_ingest(app, args.count, args.seed)
                send = bench_send(app, args.rate, args.seconds, args.burst, Path(folder))
        finally:
            app.extensions["helpdesk_db"].engine.dispose()
            drop_database(args.database_url, url)

    categoriser = "on" if service_context(app).classifier else "off"
    print(f"Database: {engine_name}; categoriser: {categoriser}")
    print(
        f"Ingestion: {ingest['count']} messages in {ingest['seconds']:.2f} s = "
        f"{ingest['rate']:.0f} messages/s (target >= 50); latency p50 {ingest['p50']:.1f} ms, "
        f"p95 {ingest['p95']:.1f} ms, max {ingest['max']:.0f} ms"
    )
    print("  outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(ingest["statuses"].items())))
    print(
        f"Sending at {args.rate}/s for {args.seconds:.0f} s: {send['produced']} notifications "
        f"written ({send['produced_rate']:.0f}/s), {send['sustained_sent']} delivered, "
        f"largest backlog {send['max_backlog']}, outbox empty {send['drain_after_stop']:.2f} s "
        "after the last one"
    )
    print(
        f"Burst: {send['burst']} queued notifications sent in one pass "
        f"({CONNECTIONS} connections) at {send['burst_rate']:.0f} messages/s "
        f"({send['burst_delivered']} delivered); "
        f"duplicates received: {send['duplicates']}"
    )


if __name__ == "__main__":
    main()
