"""Labels, language and second problem of a new ticket, as the categoriser proposes them."""

from sqlalchemy import select

from helpdesk.tickets.models import TicketEvent

LIVRET = (
    "Bonjour, je suis directrice d'école. Plusieurs parents se connectent bien mais ne voient "
    "pas le livret scolaire du deuxième trimestre de leurs enfants."
)


def kinds(db_session, ticket):
    return [
        (e.kind, e.new_value)
        for e in db_session.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)
        )
    ]


def test_livret_filed_under_educonnect_goes_to_qualification_with_its_motif(
    make_ticket, db_session
):
    # Seed 001 tells directors to file under Demande logicielle / EDUCONNECT.
    ticket = make_ticket(
        motif=None,
        type_demande="demande_logicielle",
        nature="EDUCONNECT",
        subject="Livret non visible",
        body=LIVRET,
    )
    assert ticket.motif == "lsu_bilan_invisible" and ticket.nature == "LSU"
    assert ticket.needs_qualification
    assert ("nature_requested", "EDUCONNECT") in kinds(db_session, ticket)


def test_chosen_nature_that_the_text_confirms_is_not_sent_to_qualification(make_ticket, db_session):
    ticket = make_ticket(motif=None, nature="LSU", subject="Livret", body=LIVRET)
    assert ticket.nature == "LSU" and ticket.motif == "lsu_bilan_invisible"
    assert not ticket.needs_qualification
    assert "nature_requested" not in [kind for kind, _ in kinds(db_session, ticket)]


def test_chosen_nature_never_forces_a_default_motif(make_ticket):
    ticket = make_ticket(
        motif=None,
        nature="RGPD",
        subject="code",
        body="Bonjour, le code SMS pour créer mon compte EduConnect n'arrive jamais.",
    )
    assert ticket.motif == "activation_sms"
    assert ticket.needs_qualification


def test_language_and_second_problem_are_stored(make_ticket):
    ticket = make_ticket(
        motif=None,
        subject="Two problems",
        body="My password is not accepted any more. Also my son does not show on my account.",
    )
    assert ticket.language == "en"
    assert {ticket.motif, ticket.second_motif} == {"mot_de_passe_oublie", "enfant_manquant"}


def test_french_request_with_one_problem_has_no_second_motif(make_ticket):
    ticket = make_ticket(
        motif=None,
        subject="mot de passe",
        body="Bonjour, j'ai oublié mon mot de passe EduConnect. Merci de m'aider.",
    )
    assert ticket.language == "fr" and ticket.second_motif is None


def test_labels_given_by_the_requester_still_get_the_language(make_ticket):
    ticket = make_ticket(body="Olá, não recebo o código SMS para criar a minha conta.")
    assert ticket.motif == "activation_sms" and ticket.language == "pt"
