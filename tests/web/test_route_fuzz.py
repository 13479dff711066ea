"""Every route of the app, as every role, with generated parameters and bodies: never a 5xx.

The app runs on its own database filled with the demo académie (tickets, articles, mail,
accounts), with real sessions and connections as in production, so a request that leaves
the session broken fails the ones after it. Query and form field names come from the pages
themselves (every ``name=`` and every link's query string), so new fields are walked too.

HELPDESK_FUZZ_EXAMPLES sets the length of the random walk (default 200; more for a deeper run).
"""

from __future__ import annotations

import os
import re
import traceback
from html import unescape
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.plugins.database import fresh_database_url

pytestmark = pytest.mark.xdist_group("route_fuzz")

ROLES = ("anonyme", "directeur", "agent", "admin")
LOGINS = {
    "directeur": "directeur@ac-demo.fr",
    "agent": "agent@ac-demo.fr",
    "admin": "admin@ac-demo.fr",
}
#: Values that broke pages before: odd digits, numbers beyond any column, NUL bytes,
#: dates at the ends of the calendar, markup, template code, very long text.
NASTY = (
    "",
    "²",
    "-1",
    "0",
    "2147483648",
    "9" * 40,
    "1e309",
    "a\x00b",
    "\x00",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "abc",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "{{ range(10**7)|length }}",
    "%",
    "../../etc/passwd",
    "é" * 3000,
    "\u202e\u200b",
)
#: The values each reachable route gets in every field, one value at a time.
CORE = ("²", "9" * 40, "9999-12-31", "{{ range(10**7)|length }}", "a\x00b")
#: Names the pages read, in case no page shows them (the walk adds the ones it finds).
KNOWN_NAMES = (
    "page",
    "ecole",
    "agent",
    "statut",
    "nature",
    "motif",
    "objet",
    "q",
    "tri",
    "du",
    "au",
    "role",
    "etat",
    "public",
    "categorie",
    "reponse_type",
    "article",
    "school_id",
    "school_query",
    "school_choice",
    "ordre",
    "clair",
    "next",
    "utilisateur",
    "sujet",
    "action",
    "email",
    "password",
    "assign-assignee",
    "status-status",
    "priority-priority",
    "merge-target",
    "reply-body",
    "code",
    "index",
    "fait",
    "kind",
    "body",
)
FIELD_NAME = re.compile(r'name="([^"]+)"')
HREF = re.compile(r'href="([^"]+)"')


def _fuzz_examples() -> int:
    return int(os.environ.get("HELPDESK_FUZZ_EXAMPLES", "200"))


class Walk:
    """The app under test, its routes and the values that reach real records."""

    def __init__(self, app) -> None:
        self.app = app
        self.rules = sorted(
            (
                (rule, method)
                for rule in app.url_map.iter_rules()
                if rule.endpoint != "static"
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
            ),
            key=lambda pair: (pair[0].rule, pair[1]),
        )
        self.values: dict[str, list[str]] = {}
        self.names: set[str] = set(KNOWN_NAMES)
        self.clients = {}
        self.requests = 0
        #: (rule, method, role) the role may use: its access check lets it through.
        self.reachable: set[tuple[str, str, str]] = set()
        #: One entry per distinct failure (route and place in the code), with an example.
        self.failures: dict[tuple[str, str], str] = {}

    def client(self, role: str):
        """The role's client, signed in again before each request: the walk itself posts to
        /logout and to the account pages, which end sessions."""
        client = self.clients.setdefault(role, self.app.test_client())
        if role in LOGINS:
            from helpdesk.auth.models import User

            database = self.app.extensions["helpdesk_db"]
            with database.session_factory() as session:
                user = session.scalar(select(User).where(User.email == LOGINS[role]))
                user.is_active_account = True
                session.commit()
                user_id = user.get_id()
            with client.session_transaction() as sess:
                sess["_user_id"] = user_id
                sess["_fresh"] = True
        return client

    def url(self, rule, path_values: dict[str, str], query: dict[str, str]) -> str:
        def _segment(match: re.Match) -> str:
            name = match.group(1).split(":")[-1]
            return quote(str(path_values[name]), safe="")

        path = re.sub(r"<([^>]+)>", _segment, rule.rule)
        return path + ("?" + urlencode(query) if query else "")

    def send(self, role: str, method: str, url: str, form: dict | None = None):
        """The response; a 5xx or an escaped error is recorded with the request that gave it."""
        self.requests += 1
        request = f"{role} {method} {url!r} {form!r}"[:400]
        try:
            response = self.client(role).open(url, method=method, data=form or None)
        except Exception as exc:  # an error the app let escape: what a 500 hides
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{type(exc).__name__} at {frame.filename}:{frame.lineno}"
            self.failures.setdefault((urlsplit(url).path, where), request)
            return None
        if response.status_code >= 500:
            self.failures.setdefault((urlsplit(url).path, str(response.status_code)), request)
        return response

    def report(self) -> str:
        return "\n".join(f"{where}\n    {request}" for (_, where), request in self.failures.items())

    def learn(self, html: str) -> None:
        """Field names and query-string names a page shows."""
        self.names.update(unescape(n) for n in FIELD_NAME.findall(html))
        for href in HREF.findall(html):
            for key, _value in parse_qsl(urlsplit(unescape(href)).query):
                self.names.add(key)


def _known_values(app) -> dict[str, list[str]]:
    """Real identifiers for each path variable, so routes are walked past their 404."""
    from helpdesk.auth.models import User
    from helpdesk.knowledge.models import Article
    from helpdesk.mail.models import InboundMessage, Mailbox, OutboxMessage
    from helpdesk.mail.outbound import notify
    from helpdesk.schools.models import School
    from helpdesk.tickets.models import Attachment, CannedReply, Ticket
    from helpdesk.util.tracking import make_token

    database = app.extensions["helpdesk_db"]
    with database.session_factory() as session:
        director = session.scalar(select(User).where(User.email == LOGINS["directeur"]))
        own = session.scalar(
            select(Ticket).where(Ticket.school_id.in_([s.id for s in director.schools])).limit(1)
        )
        tickets = [own, *session.scalars(select(Ticket).order_by(Ticket.id).limit(3))]
        tickets = [t for t in tickets if t is not None]

        def ids(model, *where) -> list[str]:
            found = session.scalars(select(model.id).where(*where).order_by(model.id).limit(3))
            return [str(i) for i in found] or ["1"]

        return {
            "reference": [t.reference for t in tickets],
            "token": [make_token(app.config["SECRET_KEY"], t.id, t.reference) for t in tickets],
            "attachment_id": ids(Attachment),
            "outbox_id": ids(OutboxMessage),
            "inbound_id": ids(InboundMessage),
            "mailbox_id": ids(Mailbox),
            # Other accounts than the walk's own, which must stay signed in.
            "user_id": ids(User, User.email.not_in(LOGINS.values())),
            "reply_id": ids(CannedReply),
            "number": ["1", "2"],
            "slug": list(session.scalars(select(Article.slug).limit(3))) or ["inconnu"],
            "kind": list(notify.KINDS)[:3],
            "uai": list(session.scalars(select(School.uai).limit(2))),
            "action": ["relancer", "abandonner"],
        }


@pytest.fixture(scope="module")
def walk(tmp_path_factory):
    from helpdesk import create_app
    from helpdesk.demo.builder import build_demo

    instance = tmp_path_factory.mktemp("fuzz")
    app = create_app(
        {
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": fresh_database_url(instance, "fuzz"),
            "SECRET_KEY": "fuzz-secret-key",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "ATTACHMENT_DIR": str(instance / "attachments"),
            "KB_INDEX_DIR": str(instance / "kb-index"),
            "PUBLIC_URL": "http://helpdesk.test",
            "SMTP_PORT": 9,
        }
    )
    build_demo(app, ticket_count=30, echo=lambda *args: None)
    state = Walk(app)
    state.values = _known_values(app)
    # Every route once, as every role, with real values: the walk learns the field names
    # and which roles get past each route's access check.
    for role in ROLES:
        for rule, method in state.rules:
            path = {name: state.values.get(name, ["1"])[0] for name in rule.arguments}
            response = state.send(role, method, state.url(rule, path, {}))
            if response is None:
                continue
            refused = response.status_code in (401, 403) or (
                response.status_code == 302 and "/login" in response.location
            )
            if not refused:
                state.reachable.add((rule.rule, method, role))
            if method == "GET" and response.mimetype == "text/html":
                state.learn(response.get_data(as_text=True))
    yield state
    app.extensions["helpdesk_db"].engine.dispose()


def test_every_route_refuses_each_nasty_value_without_error(walk):
    """Each route and method, as each role: every path variable, then every query and
    form field at once, set to each value of CORE where the role passes the route's access
    check, and to a NUL byte where it does not."""
    names = sorted(walk.names)
    for role in ROLES:
        for rule, method in walk.rules:
            valid = {name: walk.values.get(name, ["1"])[0] for name in rule.arguments}
            reachable = (rule.rule, method, role) in walk.reachable
            for value in CORE if reachable else ("a\x00b",):
                for name in rule.arguments:
                    walk.send(role, method, walk.url(rule, {**valid, name: value}, {}))
                fields = dict.fromkeys(names, value)
                if method == "GET":
                    walk.send(role, method, walk.url(rule, valid, fields))
                else:
                    walk.send(role, method, walk.url(rule, valid, {}), fields)
    assert not walk.failures, walk.report()


_TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(str),
)


@st.composite
def _requests(draw, walk):
    rule, method = draw(st.sampled_from(walk.rules))
    role = draw(st.sampled_from(ROLES))
    path = {}
    for name in sorted(rule.arguments):
        known = walk.values.get(name, ["1"])
        path[name] = draw(st.one_of(st.sampled_from(known), _TEXT) if known else _TEXT)
    names = sorted(walk.names)
    fields = draw(st.dictionaries(st.sampled_from(names), _TEXT, max_size=4))
    return role, method, rule, path, fields


def test_random_walk_over_every_route_never_fails(walk):
    """Hypothesis draws a route, a role, path values and one to four fields at a time, so a
    field refused early does not hide the next one."""

    @settings(
        max_examples=_fuzz_examples(),
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(_requests(walk))
    def _one(drawn):
        role, method, rule, path, fields = drawn
        if method == "GET":
            walk.send(role, method, walk.url(rule, path, fields))
        else:
            walk.send(role, method, walk.url(rule, path, {}), fields)

    walk.failures.clear()
    _one()
    assert not walk.failures, walk.report()
