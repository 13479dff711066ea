"""Parse 1,000 varied messages and print throughput and per-message latency.

Half come from the real-mail corpus (repeated), half are synthetic French messages made with
Faker: plain replies with quoted history, HTML alternatives, attachments, auto-replies and
bounces. Each timed step is ``parse_message`` plus ``split_reply`` on the resulting text.
Run: ``.venv/bin/python bench/mail_parse_bench.py [--count N]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from faker import Faker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpdesk.mail.inbound.parsing import parse_message  # noqa: E402
from helpdesk.mail.inbound.quotes import split_reply  # noqa: E402

CORPUS_DIRS = [ROOT.parent / "shared" / "corpus" / "emails" / "real", ROOT / "tests/data/mail"]
SUPPORT = "assistance@ac-exemple.fr"


def corpus_messages() -> list[tuple[str, bytes]]:
    for folder in CORPUS_DIRS:
        files = sorted(folder.glob("*.eml"))
        if files:
            return [(path.name, path.read_bytes()) for path in files]
    return []


def _base(fake: Faker, subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"{fake.name()} <{fake.free_email()}>"
    message["To"] = f"Assistance DSI <{SUPPORT}>"
    message["Subject"] = subject
    message["Date"] = format_datetime(fake.date_time_this_year(tzinfo=None).astimezone())
    message["Message-ID"] = make_msgid(domain="example.fr")
    return message


def synthetic_message(fake: Faker, rng: random.Random, index: int) -> bytes:
    kind = index % 5
    reference = f"2026-{rng.randrange(1, 999_999):06d}"
    body = "\n\n".join(fake.paragraph(nb_sentences=rng.randint(2, 6)) for _ in range(3))
    if kind == 0:  # reply with Gmail-style quoted history
        message = _base(fake, f"Re: [{reference}] {fake.sentence(nb_words=5)}")
        message["In-Reply-To"] = f"<ticket-{reference}@ac-exemple.fr>"
        quoted = "\n".join(f"> {line}" for line in fake.paragraphs(nb=4))
        message.set_content(
            f"{body}\n\nLe lun. 3 juin 2024 à 10:12, Assistance DSI <{SUPPORT}> a écrit :\n"
            f"{quoted}\n"
        )
    elif kind == 1:  # HTML alternative with an Outlook-style history
        message = _base(fake, fake.sentence(nb_words=6))
        message.set_content(body)
        paragraphs = "".join(f"<p>{p}</p>" for p in fake.paragraphs(nb=5))
        message.add_alternative(
            f"<html><head><style>p{{margin:0}}</style></head><body>{paragraphs}"
            f"<div><b>De :</b> Assistance DSI<br><b>Envoyé :</b> lundi<br><b>Objet :</b> x</div>"
            f"<blockquote>{paragraphs}</blockquote></body></html>",
            subtype="html",
        )
    elif kind == 2:  # attachments
        message = _base(fake, f"Capture d'écran - {fake.word()}")
        message.set_content(body)
        message.add_attachment(
            rng.randbytes(rng.randint(2_000, 200_000)),
            maintype="image",
            subtype="png",
            filename=f"capture-{fake.word()}.png",
        )
        message.add_attachment(
            b"%PDF-1.4\n" + rng.randbytes(20_000),
            maintype="application",
            subtype="pdf",
            filename="attestation é.pdf",
        )
    elif kind == 3:  # out-of-office
        message = _base(fake, f"Réponse automatique : {fake.sentence(nb_words=4)}")
        message["Auto-Submitted"] = "auto-replied"
        message.set_content(f"Je suis absent jusqu'au {fake.date()}.\n{body}")
    else:  # bounce
        message = _base(fake, "Undelivered Mail Returned to Sender")
        message.replace_header("From", "Mail Delivery System <MAILER-DAEMON@mx.example.fr>")
        message.set_content(
            f"This is the mail system.\n\n<{fake.free_email()}>: host said: 550 5.1.1 "
            "User unknown\n"
        )
    return message.as_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()

    fake = Faker("fr_FR")
    Faker.seed(2026)
    rng = random.Random(2026)
    corpus = corpus_messages()
    half = args.count // 2 if corpus else 0
    messages = [corpus[i % len(corpus)] for i in range(half)]
    messages += [
        (f"synthetic-{i % 5}", synthetic_message(fake, rng, i)) for i in range(args.count - half)
    ]
    rng.shuffle(messages)

    for _, raw in messages[:20]:  # warm-up: imports, regex compilation
        parse_message(raw)

    durations: list[float] = []
    slowest = ("", 0.0)
    started = time.perf_counter()
    cpu_started = time.process_time()
    for name, raw in messages:
        t0 = time.perf_counter()
        mail = parse_message(raw)
        split_reply(mail.text)
        elapsed = time.perf_counter() - t0
        durations.append(elapsed)
        if elapsed > slowest[1]:
            slowest = (name, elapsed)
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu_started

    durations.sort()
    p95 = durations[int(len(durations) * 0.95) - 1]
    size = sum(len(raw) for _, raw in messages) / 1024 / 1024
    print(f"messages: {len(messages)} ({half} from the corpus, {len(messages) - half} synthetic)")
    print(f"input: {size:.1f} MiB")
    print(f"total: {total:.2f} s")
    print(f"throughput: {len(messages) / total:.0f} messages/s (wall clock)")
    print(f"cpu: {cpu:.2f} s, {len(messages) / cpu:.0f} messages per CPU second")
    print(f"p50: {statistics.median(durations) * 1000:.2f} ms per message")
    print(f"p95: {p95 * 1000:.2f} ms per message")
    print(f"max: {slowest[1] * 1000:.2f} ms ({slowest[0]})")


if __name__ == "__main__":
    main()
