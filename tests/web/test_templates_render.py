"""The shared templates (base layout, form and UI macros, error pages) on a stub app."""

from __future__ import annotations

import json
import re
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Blueprint, Flask, abort, flash, render_template, request
from flask_login import LoginManager, UserMixin, login_user
from flask_wtf import CSRFProtect, FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from jinja2 import ChoiceLoader, DictLoader, FileSystemLoader
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, ValidationError

from helpdesk.setup import SECURITY_HEADERS

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
#: The application's own policy, so that these pages are checked against what is served.
CSP = SECURITY_HEADERS["Content-Security-Policy"]

PAGES = {
    "sample/page.html": """{% extends "base.html" %}
{% import "macros/ui.html" as ui %}
{% block title %}Page d’essai{% endblock %}
{% block breadcrumb %}{{ ui.breadcrumb([("Accueil", "/"), ("Page d’essai", none)]) }}{% endblock %}
{% block content %}<h1>Page d’essai</h1>
<p>{{ ui.badge("En retard", "error") }} {{ ui.badge("Nouveau", "new", small=true) }}
{{ ui.badge("Neutre", "autre") }}</p>
{% if pages %}
{% macro page_url(n) %}{{ url_for("tickets.queue", page=n, statut="ouvert") }}{% endmacro %}
{{ ui.pagination(page, pages, page_url) }}
{% endif %}
{% endblock %}
{% block scripts %}<script src="{{ url_for('static', filename='app.js') }}"></script>{% endblock %}
""",
    "sample/sub.html": """{% extends "base.html" %}
{% set active_nav = "tickets.queue" %}
{% block content %}<h1>Demande</h1>{% endblock %}
""",
    "sample/form.html": """{% extends "base.html" %}
{% import "macros/forms.html" as forms %}
{% block content %}
<form method="post" action="" enctype="multipart/form-data" novalidate>
{{ forms.form_errors(form) }}
{{ forms.field(form.csrf_token) }}
{{ forms.field(form.name, hx_get="/verifier", hx_trigger="blur", autocomplete="name") }}
{{ forms.field(form.email, hint="Adresse académique de préférence") }}
{{ forms.field(form.phone) }}
{{ forms.field(form.secret) }}
{{ forms.field(form.pupils, class_="fr-col-2", min=0) }}
{{ forms.field(form.body, rows=5) }}
{{ forms.field(form.category, data_autosubmit=true) }}
{{ forms.field(form.consent) }}
{{ forms.field(form.channel) }}
{{ forms.field(form.attachment) }}
{{ forms.field(form.attachments) }}
<ul class="fr-btns-group fr-btns-group--inline">
<li>{{ forms.submit("Envoyer") }}</li>
<li>{{ forms.submit("Annuler", secondary=true, name="action", value="annuler",
                   formnovalidate=true) }}</li>
</ul>
</form>
{% endblock %}
""",
    "sample/htmx.html": """{% extends "base.html" %}
{% block content %}<h1>Demandes</h1>
<form method="get" action="{{ url_for('rows') }}" hx-get="{{ url_for('rows') }}"
      hx-target="#lignes">
<div class="fr-select-group">
<label class="fr-label" for="statut">Statut</label>
<select class="fr-select" id="statut" name="statut" data-autosubmit>
<option value="">Tous</option><option value="ouvert">Ouvert</option>
<option value="invalide">Invalide</option><option value="panne">Panne</option>
<option value="quota">Quota</option>
</select></div>
<button type="submit" class="fr-btn" data-autosubmit-fallback>Filtrer</button>
<span class="htmx-indicator">Chargement…</span>
</form>
<div id="lignes">{% include "sample/_rows.html" %}</div>
{% endblock %}
""",
    "sample/_rows.html": """<p class="app-result-count" data-announce data-focus-after-swap>
{{- count }} demandes</p>
<div class="fr-table"><div class="fr-table__wrapper"><div class="fr-table__container">
<div class="fr-table__content"><table><caption>Demandes</caption><thead><tr>
<th scope="col" class="col--ref">Réf.</th><th scope="col">Objet</th>
<th scope="col" class="col--status">Échéance</th></tr></thead>
<tbody>{% for n in range(count) %}<tr{% if n == 0 %} class="row--sla-breached"{% endif %}>
<td>D-{{ n }}</td><td>Compte bloqué</td>
<td>{% if n == 0 %}<span class="sla--breached">Dépassée</span>{% else %}Demain{% endif %}</td>
</tr>{% endfor %}</tbody></table></div></div></div></div>
""",
}


class StubUser(UserMixin):
    def __init__(self, role: str) -> None:
        self.id = role
        self.role = role
        self.display_name = f"Camille Essai ({role})"


class SampleForm(FlaskForm):
    name = StringField("Nom", validators=[DataRequired("Indiquez votre nom.")])
    email = EmailField("Courriel", description="Nous vous répondrons à cette adresse.")
    phone = TelField("Téléphone")
    secret = PasswordField("Mot de passe")
    pupils = IntegerField("Nombre d’élèves")
    body = TextAreaField("Message", validators=[DataRequired("Décrivez votre demande.")])
    category = SelectField(
        "Catégorie", choices=[SelectChoice("compte", "Compte"), SelectChoice("autre", "Autre")]
    )
    consent = BooleanField("J’accepte", validators=[DataRequired("Cochez cette case.")])
    channel = RadioField(
        "Canal",
        choices=[SelectChoice("mail", "Courriel"), SelectChoice("tel", "Téléphone")],
        validators=[InputRequired("Choisissez un canal.")],
    )
    attachment = FileField("Pièce jointe", description="PDF ou image, 10 Mo au plus.")
    attachments = MultipleFileField("Autres pièces")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        self.form_errors.append("Le service est fermé le dimanche.")
        return ok and False

    def validate_phone(self, field) -> None:
        raise ValidationError("Numéro invalide.")


def make_app() -> Flask:
    app = Flask(__name__, static_folder=str(STATIC), static_url_path="/static")
    app.config.update(SECRET_KEY="test-only", TESTING=True)
    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(TEMPLATES)), DictLoader(PAGES)])
    CSRFProtect(app)
    login_manager = LoginManager(app)
    login_manager.user_loader(StubUser)

    def page(**context):
        return render_template("sample/page.html", **context)

    tickets = Blueprint("tickets", __name__)
    tickets.add_url_rule("/", "home", page)
    tickets.add_url_rule(
        "/demandes",
        "queue",
        lambda: page(page=int(request.args.get("page", 1)), pages=int(request.args.get("n", 1))),
    )
    tickets.add_url_rule("/demandes/1", "ticket", lambda: render_template("sample/sub.html"))
    portal = Blueprint("portal", __name__, url_prefix="/portail")
    portal.add_url_rule("/", "index", page)
    portal.add_url_rule("/nouvelle", "new", page)
    admin = Blueprint("admin", __name__, url_prefix="/admin")
    admin.add_url_rule("/", "index", page)
    auth = Blueprint("auth", __name__)
    auth.add_url_rule("/connexion", "login", page)
    auth.add_url_rule("/deconnexion", "logout", page, methods=["POST"])
    auth.add_url_rule("/mot-de-passe", "password", page)
    public = Blueprint("public", __name__)
    public.add_url_rule("/contact", "contact", page)
    public.add_url_rule("/donnees-personnelles", "privacy", page)
    knowledge = Blueprint("knowledge", __name__)
    knowledge.add_url_rule("/faq", "faq", page)
    knowledge.add_url_rule("/base-de-connaissances", "editor", page)
    watch = Blueprint("watch", __name__)
    watch.add_url_rule("/ecoles", "schools", page)
    watch.add_url_rule("/portail/comptes", "my_accounts", page)
    watch.add_url_rule("/portail/statistiques", "my_stats", page)
    reports = Blueprint("reports", __name__)
    reports.add_url_rule("/rapports", "index", page)
    calls = Blueprint("calls", __name__)
    calls.add_url_rule("/appel", "new_call", page)
    for bp in (tickets, portal, admin, auth, public, knowledge, watch, reports, calls):
        app.register_blueprint(bp)

    @app.route("/_essai/formulaire", methods=["GET", "POST"])
    def sample_form():
        form = SampleForm(formdata=MultiDict() if request.args.get("invalid") else None)
        if request.args.get("invalid"):
            form.validate()
        return render_template("sample/form.html", form=form)

    @app.route("/_essai/htmx")
    def htmx_page():
        return render_template("sample/htmx.html", count=5)

    @app.route("/_essai/lignes")
    def rows():
        status = request.args.get("statut", "")
        if status == "panne":
            abort(500)
        if status == "quota":
            return render_template("errors/_htmx_error.html", code=429), 429
        count = {"": 5, "ouvert": 3}.get(status, 0)
        code = 422 if status == "invalide" else 200
        return render_template("sample/_rows.html", count=count), code

    @app.route("/_essai/messages")
    def messages():
        flash("Demande enregistrée.", "success")
        flash("Pour information.", "info")
        flash("Attention.", "warning")
        flash("Échec <b>grave</b>.", "error")
        flash("Sans catégorie.")
        return page()

    @app.route("/_essai/erreur/<int:code>")
    def error(code: int):
        abort(code)

    @app.route("/_essai/connexion/<role>")
    def login_as(role: str):
        login_user(StubUser(role))
        return page()

    for code in (400, 403, 404, 429, 500):
        app.register_error_handler(
            code, lambda exc, code=code: (render_template(f"errors/{code}.html"), code)
        )

    @app.after_request
    def csp(response):
        response.headers["Content-Security-Policy"] = CSP
        return response

    return app


class Page(HTMLParser):
    """The parts of a page the assertions look at."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.links: list[dict] = []
        self.inline_scripts = 0
        self._stack: list[tuple[str, dict]] = []
        self._link: dict | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "script" and not attributes.get("src"):
            self.inline_scripts += 1
        if tag == "a":
            nav = next((a.get("id") for t, a in reversed(self._stack) if t == "nav"), None)
            self._link = {"href": None, **attributes, "nav": nav, "text": ""}
            self.links.append(self._link)
        if tag not in ("meta", "link", "input", "br", "img", "use"):
            self._stack.append((tag, attributes))

    def handle_endtag(self, tag):
        if tag == "a":
            self._link = None
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._link is not None:
            self._link["text"] += data

    def find(self, tag: str, **attrs) -> list[dict]:
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        return [
            a
            for t, a in self.elements
            if t == tag and all(a.get(k) == v for k, v in wanted.items())
        ]

    def with_class(self, name: str) -> list[tuple[str, dict]]:
        return [(t, a) for t, a in self.elements if name in (a.get("class") or "").split()]

    def nav(self) -> list[tuple[str, str, str | None]]:
        return [
            (link["text"].strip(), link["href"], link.get("aria-current"))
            for link in self.links
            if link["nav"] == "navigation"
        ]


@pytest.fixture(scope="module")
def app():
    return make_app()


def get(app, url: str, role: str | None = None, status: int = 200) -> tuple[str, Page]:
    client = app.test_client()
    if role:
        with client.session_transaction() as session:
            session["_user_id"] = role
    response = client.get(url)
    assert response.status_code == status
    text = response.get_data(as_text=True)
    return text, Page(text)


def assert_csp_clean(page: Page, text: str) -> None:
    assert page.inline_scripts == 0
    assert not page.find("style")
    for tag, attributes in page.elements:
        assert "style" not in attributes, tag
        handlers = [name for name in attributes if name.startswith("on")]
        assert not handlers, (tag, handlers)
    assert "javascript:" not in text


def test_anonymous_page_skeleton(app):
    text, page = get(app, "/contact")
    html = page.find("html")[0]
    assert html["lang"] == "fr"
    assert html["data-fr-scheme"] == "system"
    config = json.loads(page.find("meta", name="htmx-config")[0]["content"])
    assert config == {"includeIndicatorStyles": False, "historyCacheSize": 0}
    assert page.find("main", id="contenu", role="main", tabindex="-1")
    skip = [link["text"] for link in page.links if link["href"] == "#contenu"]
    assert skip == ["Aller au contenu"]
    # No menu for visitors, hence no skip link pointing to it.
    assert page.nav() == []
    assert not [link for link in page.links if link.get("href") == "#navigation"]
    hrefs = {link["text"].strip(): link["href"] for link in page.links}
    assert hrefs["Se connecter"] == "/connexion"
    assert hrefs["Contacter l’assistance"] == "/contact"
    assert hrefs["Données personnelles"] == "/donnees-personnelles"
    assert hrefs["Contact"] == "/contact"
    assert hrefs["Accessibilité : partiellement conforme"].startswith("/donnees-personnelles")
    assert not page.find("form", action="/deconnexion")
    # The current page is marked in the header tools too.
    current = [
        link["text"].strip()
        for link in page.links
        if link.get("aria-current") == "page" and "fr-btn" in link["class"]
    ]
    assert current == ["Contacter l’assistance"]
    assert page.find("title")
    assert "<title>Page d’essai – Assistance EduConnect</title>" in text
    assert_csp_clean(page, text)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (
            "agent",
            [
                ("Tableau de bord", "/"),
                ("File des demandes", "/demandes"),
                ("Appel ou visite", "/appel"),
                ("Base de connaissances", "/base-de-connaissances"),
                ("Écoles", "/ecoles"),
                ("Rapports", "/rapports"),
            ],
        ),
        (
            "directeur",
            [
                ("Mes demandes", "/portail/"),
                ("Nouvelle demande", "/portail/nouvelle"),
                ("Comptes à surveiller", "/portail/comptes"),
                ("Statistiques", "/portail/statistiques"),
            ],
        ),
        (
            "admin",
            [
                ("Tableau de bord", "/"),
                ("File des demandes", "/demandes"),
                ("Appel ou visite", "/appel"),
                ("Base de connaissances", "/base-de-connaissances"),
                ("Écoles", "/ecoles"),
                ("Rapports", "/rapports"),
                ("Administration", "/admin/"),
            ],
        ),
    ],
)
def test_navigation_depends_on_role(app, role, expected):
    text, page = get(app, "/contact", role=role)
    assert [(label, href) for label, href, _ in page.nav()] == expected
    assert [link["href"] for link in page.links if link["text"].strip() == "Aller au menu"] == [
        "#navigation"
    ]
    assert f"Camille Essai ({role})" in text
    assert "Se connecter" not in text
    hrefs = {link["text"].strip(): link["href"] for link in page.links}
    assert hrefs["Mot de passe"] == "/mot-de-passe"
    logout = page.find("form", action="/deconnexion")
    assert logout and logout[0]["method"] == "post"
    token = page.find("input", name="csrf_token")[0]["value"]
    assert token
    body = page.find("body")[0]
    assert json.loads(body["hx-headers"]) == {"X-CSRFToken": token}
    assert_csp_clean(page, text)


def test_current_page_is_marked(app):
    _, page = get(app, "/demandes", role="agent")
    assert page.nav() == [
        ("Tableau de bord", "/", None),
        ("File des demandes", "/demandes", "page"),
        ("Appel ou visite", "/appel", None),
        ("Base de connaissances", "/base-de-connaissances", None),
        ("Écoles", "/ecoles", None),
        ("Rapports", "/rapports", None),
    ]
    _, page = get(app, "/demandes/1", role="admin")
    assert [current for _, _, current in page.nav()] == [None, "true", None, None, None, None, None]


def test_flash_messages_render_as_alerts(app):
    text, page = get(app, "/_essai/messages", role="agent")
    kinds = [
        a["class"].split()[1]
        for t, a in page.with_class("fr-alert")
        if t == "div" and a.get("class", "").startswith("fr-alert ")
    ]
    assert kinds == [
        "fr-alert--success",
        "fr-alert--info",
        "fr-alert--warning",
        "fr-alert--error",
        "fr-alert--info",
    ]
    main = text.index('<main id="contenu"')
    assert text.index("Demande enregistrée.") > main
    assert "Échec &lt;b&gt;grave&lt;/b&gt;." in text
    dismiss = [a for t, a in page.elements if t == "button" and "data-dismiss-alert" in a]
    assert len(dismiss) == 5
    assert_csp_clean(page, text)


def test_form_fields_without_errors(app):
    text, page = get(app, "/_essai/formulaire")
    name = page.find("input", id="name")[0]
    assert name["class"] == "fr-input"
    assert name["aria-describedby"] == "name-messages"
    assert name["hx-get"] == "/verifier" and name["hx-trigger"] == "blur"
    assert name["autocomplete"] == "name"
    assert "required" in name
    assert page.find("div", id="name-messages")
    assert not page.with_class("fr-input-group--error")
    assert not page.with_class("fr-error-text")
    assert page.find("input", id="email", type="email", class_="fr-input")
    assert page.find("input", id="phone", type="tel")
    assert page.find("input", id="secret", type="password")
    assert page.find("input", id="pupils", type="number", class_="fr-input fr-col-2", min="0")
    assert page.find("textarea", id="body", class_="fr-input", rows="5")
    select = page.find("select", id="category")[0]
    assert select["class"] == "fr-select" and select["data-autosubmit"] is None
    assert page.find("input", id="consent", type="checkbox")
    radios = page.find("input", type="radio", name="channel")
    assert [r["id"] for r in radios] == ["channel-0", "channel-1"]
    assert page.find("fieldset", id="channel", class_="fr-fieldset")
    upload = page.find("input", id="attachment", type="file", class_="fr-upload")
    assert upload and "multiple" not in upload[0]
    assert "multiple" in page.find("input", id="attachments", type="file")[0]
    assert page.find("input", type="hidden", name="csrf_token")
    # Hints: from the field's description, or given by the template.
    assert "Nous vous répondrons à cette adresse." not in text
    assert "Adresse académique de préférence" in text
    assert "PDF ou image, 10 Mo au plus." in text
    # Required fields carry a visible marker, optional ones do not.
    assert len(page.with_class("app-required")) == 4
    buttons = page.find("button", type="submit")
    assert [b["class"] for b in buttons] == ["fr-btn", "fr-btn fr-btn--secondary"]
    assert buttons[1]["name"] == "action" and "formnovalidate" in buttons[1]
    assert not page.with_class("fr-alert--error")
    assert_csp_clean(page, text)


def test_form_fields_with_errors(app):
    text, page = get(app, "/_essai/formulaire?invalid=1")
    groups = {a["class"].split()[-1] for t, a in page.elements if "--error" in a.get("class", "")}
    assert {
        "fr-input-group--error",
        "fr-select-group--error",
        "fr-checkbox-group--error",
        "fr-fieldset--error",
    } <= groups
    errors = {a["id"] for _, a in page.with_class("fr-error-text")}
    assert {"name-error-1", "body-error-1", "consent-error-1", "channel-error-1"} <= errors
    assert "phone-error-1" in errors
    assert "Indiquez votre nom." in text
    summary = [a for t, a in page.with_class("fr-alert--error") if t == "div"][0]
    assert summary["role"] == "alert" and "data-focus-after-swap" in summary
    assert "data-focus-on-load" in summary
    links = {
        link["href"]: link["text"] for link in page.links if (link["href"] or "").startswith("#")
    }
    assert links["#name"] == "Nom : Indiquez votre nom."
    assert links["#channel-0"] == "Canal : Choisissez un canal."
    assert links["#phone"] == "Téléphone : Numéro invalide."
    assert "Le service est fermé le dimanche." in text
    # One error per field, the form-level error and the missing CSRF token.
    count = sum(1 for _, a in page.with_class("fr-error-text"))
    assert f"Le formulaire contient {count + 2} erreurs" in text
    assert "La session a expiré" in text
    # The messages container referenced by each input holds its errors.
    assert page.find("input", id="name")[0]["aria-describedby"] == "name-messages"
    assert page.find("fieldset", id="channel")[0]["aria-labelledby"] == (
        "channel-legend channel-messages"
    )
    assert_csp_clean(page, text)


def test_pagination(app):
    _, page = get(app, "/demandes?page=6&n=12", role="agent")
    pager = [
        (link["text"].strip(), link.get("href"), link.get("aria-current"))
        for link in page.links
        if "fr-pagination__link" in link.get("class", "")
    ]
    numbers = [text for text, _, _ in pager if text.isdigit()]
    assert numbers == ["1", "4", "5", "6", "7", "8", "12"]
    current = [(text, href) for text, href, cur in pager if cur == "page"]
    assert current == [("6", None)]
    hrefs = dict((text, href) for text, href, _ in pager)
    assert hrefs["Page précédente"] == "/demandes?page=5&statut=ouvert"
    assert hrefs["Dernière page"] == "/demandes?page=12&statut=ouvert"
    assert len(page.with_class("fr-pagination__link")) - len(pager) == 2  # two ellipses

    _, page = get(app, "/demandes?page=1&n=2", role="agent")
    disabled = [link["text"].strip() for link in page.links if link.get("aria-disabled") == "true"]
    assert disabled == ["Première page", "Page précédente"]

    _, page = get(app, "/demandes?page=1&n=1", role="agent")
    assert not page.find("nav", class_="fr-pagination")


def test_badges_and_breadcrumb(app):
    _, page = get(app, "/contact")
    badges = [a["class"] for _, a in page.with_class("fr-badge")]
    assert badges == ["fr-badge fr-badge--error", "fr-badge fr-badge--new fr-badge--sm", "fr-badge"]
    crumbs = [
        (link["text"], link.get("href"), link.get("aria-current"))
        for link in page.links
        if "fr-breadcrumb__link" in link.get("class", "")
    ]
    assert crumbs == [("Accueil", "/", None), ("Page d’essai", None, "page")]


@pytest.mark.parametrize(
    ("code", "heading"),
    [
        (400, "Requête incorrecte"),
        (403, "Accès refusé"),
        (404, "Page non trouvée"),
        (429, "Trop de requêtes"),
        (500, "Erreur inattendue"),
    ],
)
def test_error_pages(app, code, heading):
    text, page = get(app, f"/_essai/erreur/{code}", status=code)
    assert f"<h1>{heading}</h1>" in text
    assert f"Erreur {code}" in text
    assert f"<title>{heading} – Assistance EduConnect</title>" in text
    assert page.find("html")[0]["lang"] == "fr"
    assert_csp_clean(page, text)


def test_error_page_shows_the_code_it_is_given(app):
    with app.test_request_context("/"):
        text = render_template("errors/500.html", code=405)
    assert "Erreur 405" in text and "Erreur 500" not in text


def test_htmx_error_partial(app):
    with app.test_request_context("/"):
        text = render_template("errors/_htmx_error.html", code=403)
    page = Page(text)
    alert = page.find("div", role="alert")[0]
    assert "data-htmx-error" in alert and "fr-alert--error" in alert["class"]
    assert "Action refusée" in text
    assert_csp_clean(page, text)


def test_static_assets_are_served(app):
    client = app.test_client()
    _, page = get(app, "/_essai/erreur/404", status=404)
    urls = [a["href"] for t, a in page.elements if t == "link" and a.get("href")]
    urls += [a["src"] for t, a in page.elements if t == "script" and a.get("src")]
    urls += [a["href"].split("#")[0] for t, a in page.elements if t == "use"]
    assert len(urls) >= 12
    for url in set(urls):
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()


def test_vendored_css_references_resolve():
    vendor = STATIC / "vendor" / "dsfr"
    for css in (vendor / "dsfr.min.css", vendor / "utility" / "icons" / "icons.min.css"):
        refs = set(re.findall(r"url\(([^)\"']+)\)", css.read_text(encoding="utf-8")))
        assert refs
        missing = [ref for ref in refs if not (css.parent / ref).resolve().is_file()]
        assert missing == []
    app_css = (STATIC / "app.css").read_text(encoding="utf-8")
    for ref in re.findall(r"url\(\"([^\"]+)\"\)", app_css):
        assert (STATIC / ref).is_file(), ref


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_page_loads_under_csp_in_a_browser(app, browser):
    from playwright.sync_api import expect
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs) -> None:
            pass

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    problems: list[str] = []
    context = browser.new_context()
    try:
        page = context.new_page()
        page.on(
            "console",
            lambda m: problems.append(m.text) if m.type in ("error", "warning") else None,
        )
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on(
            "response",
            lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        page.goto(f"{base}/_essai/connexion/admin", wait_until="networkidle")
        # DSFR's script ran, htmx is loaded, Marianne is the font in use.
        assert page.evaluate("document.documentElement.getAttribute('data-fr-js')") == "true"
        assert page.evaluate("typeof window.htmx") == "object"
        assert page.evaluate("document.fonts.check('16px Marianne')")
        family = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert family.startswith("Marianne")
        page.goto(f"{base}/_essai/formulaire?invalid=1", wait_until="networkidle")
        focused = page.evaluate("document.activeElement.className")
        assert "fr-alert--error" in focused

        # app.js: the fallback button hides, a select change reloads the rows through
        # htmx, the count is announced and focus moves to it.
        page.goto(f"{base}/_essai/htmx", wait_until="networkidle")
        assert page.is_hidden("button[data-autosubmit-fallback]")
        page.select_option("#statut", "ouvert")
        expect(page.locator("#lignes tbody tr")).to_have_count(3)
        expect(page.locator("#annonces")).to_have_text("3 demandes")
        assert page.evaluate("document.activeElement.textContent") == "3 demandes"
        assert page.evaluate("window.location.pathname") == "/_essai/htmx"
        # A 422 answer is swapped like a success.
        page.select_option("#statut", "invalide")
        expect(page.locator("#lignes tbody tr")).to_have_count(0)
        # A server error leaves the rows alone and shows an alert.
        page.select_option("#statut", "panne")
        expect(page.locator("#messages .fr-alert--error")).to_contain_text("erreur 500")
        page.click("#messages [data-dismiss-alert]")
        expect(page.locator("#messages .fr-alert")).to_have_count(0)
        # An error partial from the server is shown as is.
        page.select_option("#statut", "quota")
        expect(page.locator("#messages .fr-alert--error")).to_contain_text("Trop de requêtes")
        expect(page.locator("#lignes tbody tr")).to_have_count(0)
    finally:
        context.close()
        server.shutdown()
        thread.join(timeout=5)
    # The 422 and 500 answers above are reported by the browser; nothing else may be.
    expected = ("statut=", "status of 422", "status of 500", "status of 429", "Error Code")
    assert [p for p in problems if not any(e in p for e in expected)] == []
