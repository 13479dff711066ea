"""A working day on the helpdesk, for Locust: agents, school directors and parents at once.

Agents work the queue (filters, pages, search), open tickets and reply; directors follow their
schools' requests and write in them; parents write through the contact form, read the
confirmation and follow their request through its tracking link, sometimes answering.

Every write the app acknowledges (a redirect after the POST) is written to the journal named
by SOAK_JOURNAL, with what identifies it in the database, so that a run can check afterwards
that no acknowledged write was lost. SOAK_DATA names the JSON file of sample references and
tracking tokens that bench/soak.py prepares. Each simulated person comes from its own
address, given in X-Forwarded-For (the app runs behind one trusted proxy hop), so the rate
limits apply per person as they would in production.
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid

from locust import HttpUser, between, events, task

DATA = json.loads(open(os.environ["SOAK_DATA"], encoding="utf-8").read())  # noqa: SIM115
JOURNAL: list[dict] = []
#: Every page carries the session's CSRF token for htmx; POSTs send it in X-CSRFToken.
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
TRACKING = re.compile(r'href="[^"]*/suivi/([^"/]+)"')
PASSWORD = DATA["password"]


def _ip() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def _csrf(page) -> dict[str, str]:
    match = CSRF.search(page.text or "")
    return {"X-CSRFToken": match.group(1)} if match else {}


class Person(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.client.headers["X-Forwarded-For"] = _ip()
        self.client.headers["User-Agent"] = "helpdesk-soak"

    def login(self, email: str) -> None:
        page = self.client.get("/login", name="/login")
        with self.client.post(
            "/login",
            data={"email": email, "password": PASSWORD},
            headers=_csrf(page),
            name="/login POST",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused: {response.status_code}")

    def acknowledged(self, response, **record) -> None:
        if response.status_code == 302:
            JOURNAL.append(record)


class Agent(Person):
    weight = 3
    wait_time = between(1, 4)

    def on_start(self) -> None:
        super().on_start()
        self.login(DATA["agent"])

    @task(6)
    def queue(self) -> None:
        self.client.get("/tickets", name="/tickets")

    @task(3)
    def queue_filtered(self) -> None:
        status = random.choice(["nouveau", "en_cours", "en_attente_demandeur", "ouverts", "tous"])
        page = random.randint(1, 5)
        self.client.get(f"/tickets?statut={status}&page={page}", name="/tickets?statut&page")

    @task(2)
    def queue_search(self) -> None:
        term = random.choice(DATA["terms"])
        self.client.get("/tickets", params={"q": term}, name="/tickets?q")

    @task(2)
    def search(self) -> None:
        term = random.choice(DATA["terms"])
        self.client.get("/recherche", params={"q": term}, name="/recherche?q")

    @task(1)
    def home(self) -> None:
        self.client.get("/accueil", name="/accueil")

    @task(5)
    def ticket(self) -> None:
        reference = random.choice(DATA["references"])
        self.client.get(f"/tickets/{reference}", name="/tickets/[ref]")

    @task(1)
    def reply(self) -> None:
        reference = random.choice(DATA["open_references"])
        page = self.client.get(f"/tickets/{reference}", name="/tickets/[ref]")
        marker = f"soak-agent-{uuid.uuid4().hex}"
        response = self.client.post(
            f"/tickets/{reference}/repondre",
            data={"reply-body": f"Bonjour, nous regardons votre demande. {marker}"},
            headers=_csrf(page),
            name="/tickets/[ref]/repondre",
            allow_redirects=False,
        )
        self.acknowledged(response, kind="message", marker=marker)


class Director(Person):
    weight = 1
    wait_time = between(2, 6)

    def on_start(self) -> None:
        super().on_start()
        self.login(DATA["director"])

    @task(4)
    def requests(self) -> None:
        self.client.get("/demandes", name="/demandes")

    @task(4)
    def request(self) -> None:
        reference = random.choice(DATA["director_references"])
        self.client.get(f"/demandes/{reference}", name="/demandes/[ref]")

    @task(1)
    def write(self) -> None:
        reference = random.choice(DATA["director_open_references"])
        page = self.client.get(f"/demandes/{reference}", name="/demandes/[ref]")
        marker = f"soak-director-{uuid.uuid4().hex}"
        response = self.client.post(
            f"/demandes/{reference}",
            data={"body": f"Merci pour votre aide. {marker}"},
            headers=_csrf(page),
            name="/demandes/[ref] POST",
            allow_redirects=False,
        )
        self.acknowledged(response, kind="message", marker=marker)


class Parent(Person):
    weight = 2
    wait_time = between(2, 6)

    @task(2)
    def faq(self) -> None:
        self.client.get("/faq", name="/faq")

    @task(3)
    def contact(self) -> None:
        self.client.headers["X-Forwarded-For"] = _ip()
        page = self.client.get("/contact", name="/contact")
        marker = uuid.uuid4().hex
        response = self.client.post(
            "/contact",
            data={
                "requester_kind": "parent",
                "last_name": "Soak",
                "first_name": "Parent",
                "email": f"parent.{marker}@example.org",
                "phone": "",
                "child_first_name": "Léa",
                "school_query": "",
                "school_id": str(random.choice(DATA["school_ids"])),
                "subject": "Je ne reçois pas le code SMS",
                "message": f"Bonjour, le code d'activation n'arrive jamais. {marker}",
                "website": "",
            },
            headers=_csrf(page),
            name="/contact POST",
            allow_redirects=False,
        )
        self.acknowledged(response, kind="ticket", marker=marker)
        if response.status_code == 302:
            sent = self.client.get("/contact/envoye", name="/contact/envoye")
            link = TRACKING.search(sent.text)
            if link:
                self.client.get(f"/suivi/{link.group(1)}", name="/suivi/[jeton]")

    @task(4)
    def tracking(self) -> None:
        token = random.choice(DATA["tokens"])
        self.client.get(f"/suivi/{token}", name="/suivi/[jeton]")

    @task(1)
    def tracking_reply(self) -> None:
        self.client.headers["X-Forwarded-For"] = _ip()
        token = random.choice(DATA["tokens"])
        page = self.client.get(f"/suivi/{token}", name="/suivi/[jeton]")
        marker = f"soak-parent-{uuid.uuid4().hex}"
        response = self.client.post(
            f"/suivi/{token}",
            data={"body": f"Toujours rien reçu. {marker}"},
            headers=_csrf(page),
            name="/suivi/[jeton] POST",
            allow_redirects=False,
        )
        self.acknowledged(response, kind="message", marker=marker)


@events.quitting.add_listener
def _write_journal(environment, **kwargs) -> None:
    path = os.environ.get("SOAK_JOURNAL")
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(JOURNAL, fh)
