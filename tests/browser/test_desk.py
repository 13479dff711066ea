"""The agents' desk in a browser: a dense queue, bulk changes, saved views, shortcuts,
and the warning of two agents answering the same ticket at once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.plugins.browser import serious_violations, sign_in
from tests.plugins.database import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DESK_SUBJECT = "Bureau des agents"


@pytest.fixture(scope="module")
def desk(live_app, live_server):
    """Forty open tickets, a second agent and an admin on the live server's database."""
    from helpdesk.auth.models import User
    from helpdesk.auth.passwords import hash_password
    from helpdesk.core.db import session_scope
    from helpdesk.core.runtime import service_context
    from helpdesk.tickets.services import TicketInput, open_ticket

    ctx = service_context(live_app)
    hashed = hash_password(PASSWORD)
    references = []
    with session_scope(live_app.extensions["helpdesk_db"].session_factory) as session:
        session.add_all(
            [
                User(
                    email="collegue@ac-test.fr",
                    display_name="Marc Collègue",
                    role="agent",
                    password_hash=hashed,
                ),
                User(
                    email="admin@ac-test.fr",
                    display_name="Alice Admin",
                    role="admin",
                    password_hash=hashed,
                ),
            ]
        )
        for n in range(40):
            ticket = open_ticket(
                session,
                ctx,
                None,
                TicketInput(
                    subject=f"{DESK_SUBJECT} {n:02d} : une demande au long objet qui "
                    "déborderait de sa cellule si la file ne le coupait pas",
                    body="Bonjour, je ne reçois pas le code SMS d'activation de mon compte.",
                    channel="formulaire_contact",
                    requester_name=f"Parent Numéro {n} Avec Un Nom Composé",
                    requester_email=f"parent{n}@example.org",
                    motif="activation_sms" if n % 2 else "mot_de_passe_oublie",
                ),
            )
            references.append(ticket.reference)
    return references


def test_twenty_rows_fit_a_laptop_screen(desk, live_server, browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, live_server, "agent@ac-test.fr")
    page.goto(f"{live_server}/tickets")
    rows = page.locator("#resultats tbody tr")
    assert rows.count() >= 20
    visible = page.evaluate(
        """() => [...document.querySelectorAll('#resultats tbody tr')]
              .filter(r => r.getBoundingClientRect().bottom <= window.innerHeight).length"""
    )
    heights = page.evaluate(
        """() => [...document.querySelectorAll('#resultats tbody tr')]
              .map(r => Math.round(r.getBoundingClientRect().height))"""
    )
    assert visible >= 20, f"{visible} rows visible at 1366×768"
    # One line per ticket: references never wrap, every row has the same height.
    assert len(set(heights)) == 1
    assert serious_violations(page) == []
    context.close()


def _new_page(browser, live_server, email, **options):
    context = browser.new_context(locale="fr-FR", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    sign_in(page, live_server, email)
    return page


def _ticket(live_app, reference):
    from sqlalchemy import select

    from helpdesk.core.db import session_scope
    from helpdesk.tickets.models import Ticket, TicketEvent

    with session_scope(live_app.extensions["helpdesk_db"].session_factory) as session:
        ticket = session.scalar(select(Ticket).where(Ticket.reference == reference))
        events = session.scalars(
            select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id)
        ).all()
        return ticket.status, ticket.assignee_id, ticket.priority, list(events)


def test_bulk_change_of_ticked_tickets(desk, live_app, live_server, browser):
    from sqlalchemy import func, select

    from helpdesk.core.db import session_scope
    from helpdesk.mail.models import OutboxMessage

    page = _new_page(browser, live_server, "agent@ac-test.fr")
    page.goto(f"{live_server}/tickets?q=" + desk[0])
    page.goto(f"{live_server}/tickets")
    bar = page.locator("#lot")
    assert bar.is_hidden()
    first, second = desk[-1], desk[-2]
    page.get_by_label(f"Sélectionner la demande {first}").check()
    page.get_by_label(f"Sélectionner la demande {second}").check()
    assert bar.is_visible()
    assert "2 demandes cochées" in bar.inner_text()
    page.locator("#lot-assignee").select_option(label="Marc Collègue")
    page.locator("#lot-priority").select_option("haute")
    with session_scope(live_app.extensions["helpdesk_db"].session_factory) as session:
        before = session.scalar(select(func.count()).select_from(OutboxMessage))
    page.get_by_role("button", name="Appliquer à la sélection").click()
    page.wait_for_url(re.compile(r"/tickets"))
    assert "2 demandes modifiées." in page.content()
    row = page.locator(f"tr[data-reference='{first}']")
    assert "Marc Collègue" in row.inner_text()
    for reference in (first, second):
        status, assignee, priority, events = _ticket(live_app, reference)
        assert status == "en_cours" and priority == "haute" and assignee is not None
        assert events.count("assignee") == 1 and events.count("priority") == 1
    with session_scope(live_app.extensions["helpdesk_db"].session_factory) as session:
        after = session.scalar(select(func.count()).select_from(OutboxMessage))
    assert after - before == 2  # Marc is told of each ticket, as if assigned one by one
    assert serious_violations(page) == []
    assert page.console_errors == []
    page.context.close()


def test_saved_views_with_counts_and_shared_by_an_admin(desk, live_server, browser):
    agent = _new_page(browser, live_server, "agent@ac-test.fr")
    agent.goto(f"{live_server}/tickets")
    agent.get_by_text("Plus de filtres").click()
    agent.locator("#motif").select_option("activation_sms")
    agent.wait_for_url(re.compile(r"motif=activation_sms"))
    agent.get_by_text("Enregistrer cette vue").click()
    agent.locator("#vue-name").fill("Codes SMS")
    agent.get_by_role("button", name="Enregistrer", exact=True).click()
    agent.wait_for_url(re.compile(r"motif=activation_sms"))
    assert "Vue « Codes SMS » enregistrée." in agent.content()
    tag = agent.locator("#vues a", has_text="Codes SMS")
    tag.wait_for()
    agent.wait_for_function("() => document.querySelector('#vues .app-views__count') !== null")
    count = int(re.search(r"(\d+)", tag.locator(".app-views__count").inner_text()).group(1))
    total = int(agent.locator(".app-queue-count strong").inner_text())
    assert count == total >= 20
    assert tag.get_attribute("aria-current") == "page"

    admin = _new_page(browser, live_server, "admin@ac-test.fr")
    admin.goto(f"{live_server}/tickets?agent=aucun")
    admin.get_by_text("Enregistrer cette vue").click()
    admin.locator("#vue-name").fill("Sans agent")
    admin.locator("label[for=vue-shared]").click()
    assert admin.locator("#vue-shared").is_checked()
    admin.get_by_role("button", name="Enregistrer", exact=True).click()
    assert "Vue « Sans agent » enregistrée." in admin.content()
    admin.goto(f"{live_server}/vues")
    assert serious_violations(admin) == []

    agent.goto(f"{live_server}/tickets")
    shared = agent.locator("#vues a", has_text="Sans agent")
    shared.wait_for()
    assert "vue partagée" in shared.inner_text()
    shared.click()
    agent.wait_for_url(re.compile(r"agent=aucun"))
    agent.goto(f"{live_server}/vues")
    assert serious_violations(agent) == []
    # An agent does not unshare or delete the admin's view.
    row = agent.locator("tr", has_text="Sans agent")
    assert row.get_by_role("button").count() == 0
    assert agent.console_errors == [] and admin.console_errors == []
    agent.context.close()
    admin.context.close()


def test_keyboard_shortcuts_and_their_help(desk, live_server, browser):
    page = _new_page(browser, live_server, "agent@ac-test.fr")
    page.goto(f"{live_server}/tickets")
    page.locator("body").press("j")
    page.keyboard.press("j")
    current = page.locator("tr.app-queue__row--current")
    assert current.count() == 1
    second_ref = current.get_attribute("data-reference")
    first_ref = page.locator("tbody tr").first.get_attribute("data-reference")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == second_ref
    page.keyboard.press("x")
    expect(current.locator("input[type=checkbox]")).to_be_checked(timeout=15_000)
    expect(page.locator("#lot")).to_be_visible(timeout=15_000)
    page.keyboard.press("k")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/tickets/{first_ref}")

    # r: the reply box; keys typed there are text, not shortcuts.
    page.keyboard.press("r")
    assert page.evaluate("() => document.activeElement.id") == "reply-body"
    page.keyboard.type("je vérifie")
    assert page.locator("#reply-body").input_value() == "je vérifie"
    assert page.url.endswith(first_ref)
    page.locator("#reply-body").evaluate("el => el.blur()")
    page.keyboard.press("n")
    assert page.locator("#reply-internal").is_checked()
    page.locator("#reply-body").evaluate("el => el.blur()")
    page.keyboard.press("s")
    assert page.evaluate("() => document.activeElement.id") == "maj-status"
    page.locator("#maj-status").evaluate("el => el.blur()")

    # ?: the help, where shortcuts can be turned off.
    page.keyboard.press("?")
    dialog = page.locator("#raccourcis")
    dialog.wait_for(state="visible")
    assert "Prendre la demande" in dialog.inner_text()
    # The modal fades in: contrast is measured once it is fully opaque.
    page.wait_for_function(
        "() => getComputedStyle(document.getElementById('raccourcis')).opacity === '1'"
    )
    assert serious_violations(page) == []
    dialog.locator("label[for=raccourcis-actifs]").click()
    assert not dialog.locator("#raccourcis-actifs").is_checked()
    dialog.get_by_role("button", name="Fermer").click()
    dialog.wait_for(state="hidden")
    page.keyboard.press("j")
    page.wait_for_timeout(300)
    assert page.url.endswith(first_ref)
    page.get_by_role("button", name="Raccourcis clavier").click()
    dialog.wait_for(state="visible")
    dialog.locator("label[for=raccourcis-actifs]").click()
    assert dialog.locator("#raccourcis-actifs").is_checked()
    dialog.get_by_role("button", name="Fermer").click()
    dialog.wait_for(state="hidden")

    # j: the next ticket of the queue page it came from; t: take it.
    page.keyboard.press("j")
    page.wait_for_url(f"**/tickets/{second_ref}")
    page.keyboard.press("t")
    page.locator("#messages", has_text="La demande vous est attribuée.").wait_for()
    # The message shows while the new page is still parsed: keys count once its scripts ran.
    page.wait_for_load_state("load")
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.id") == "recherche-globale-q"
    assert page.console_errors == []
    page.context.close()


def test_collision_seen_before_sending(desk, live_server, browser):
    reference = desk[5]
    sophie = _new_page(browser, live_server, "agent@ac-test.fr")
    marc = _new_page(browser, live_server, "collegue@ac-test.fr")
    sophie.goto(f"{live_server}/tickets/{reference}")
    marc.goto(f"{live_server}/tickets/{reference}")
    # Each sees the other, without reloading.
    sophie.locator("#presence", has_text="Marc Collègue").wait_for()
    marc.locator("#presence", has_text="Sophie Agent").wait_for()
    sophie.locator("#reply-body").fill("Bonjour, votre numéro n'est pas celui enregistré.")
    marc.locator("#presence", has_text="écrit une réponse").wait_for()

    marc.locator("#reply-body").fill("Bonjour, le code arrive sous 24 heures.")
    marc.get_by_role("button", name="Envoyer", exact=True).click()
    marc.wait_for_url(f"**/tickets/{reference}")
    assert "Réponse envoyée." in marc.content()

    # Sophie's page learns it by itself, then her send is held back.
    alert = sophie.locator("[data-collision]")
    alert.wait_for()
    assert "le code arrive sous 24 heures" in alert.inner_text()
    sophie.get_by_role("button", name="Envoyer", exact=True).click()
    sophie.wait_for_load_state()
    held = sophie.locator("#collision")
    held.wait_for()
    assert "Votre message n’est pas parti" in held.inner_text()
    assert sophie.locator("#reply-body").input_value().startswith("Bonjour, votre numéro")
    assert serious_violations(sophie) == []
    # Having read it, she sends on purpose.
    sophie.get_by_role("button", name="Envoyer", exact=True).click()
    sophie.wait_for_url(f"**/tickets/{reference}")
    assert "Réponse envoyée." in sophie.content()
    # The held-back send answers 409 Conflict, which the browser logs; nothing else fails.
    assert [e for e in sophie.console_errors if "409" not in e] == []
    assert marc.console_errors == []
    sophie.context.close()
    marc.context.close()


def test_macro_pages_are_accessible(desk, live_server, browser):
    admin = _new_page(browser, live_server, "admin@ac-test.fr")
    admin.goto(f"{live_server}/admin/macros")
    assert serious_violations(admin) == []
    admin.get_by_role("link", name="Nouvelle macro").click()
    assert serious_violations(admin) == []
    admin.locator("#name").fill("Code SMS : délai")
    admin.locator("#body").fill("Bonjour {demandeur}, le code arrive sous 24 heures.")
    admin.locator("#status").select_option("en_attente_demandeur")
    admin.locator("#motif").select_option("activation_sms")
    admin.get_by_role("button", name="Enregistrer").click()
    assert "Macro « Code SMS : délai » enregistrée." in admin.content()
    admin.goto(f"{live_server}/tickets/{desk[7]}")
    admin.get_by_role("button", name="Code SMS : délai").click()
    admin.wait_for_url(f"**/tickets/{desk[7]}")
    assert "Macro « Code SMS : délai » appliquée." in admin.content()
    assert "Bonjour Parent Numéro 7 Avec Un Nom Composé, le code arrive" in admin.content()
    assert serious_violations(admin) == []
    assert admin.console_errors == []
    admin.context.close()
