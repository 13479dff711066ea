"""Every text of advice rests on a passage of the seeds, quoted as it is there."""

from __future__ import annotations

import re

import pytest

from helpdesk.diagnostics import advice
from helpdesk.diagnostics.codes import CODES
from helpdesk.diagnostics.findings import Action, Finding
from helpdesk.diagnostics.guidance import ONDE, SIECLE, compose_reply
from tests.plugins.database import SHARED

SEEDS = SHARED / "reference" / "seeds"
ENTRIES = advice.every_entry()


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _seed(name: str) -> str:
    return _normal((SEEDS / name).read_text(encoding="utf-8"))


def _actions_of_the_spec() -> set[str]:
    spec = (SHARED / "spec" / "guided-fixes.md").read_text(encoding="utf-8")
    table = spec.split("## Actions", 1)[1].split("##", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", table, re.M))


@pytest.mark.parametrize(("name", "entry"), ENTRIES, ids=[name for name, _ in ENTRIES])
def test_every_entry_has_a_source_found_verbatim_in_its_seed(name, entry):
    assert entry.sources, f"{name}: no source"
    for source in entry.sources:
        assert (SEEDS / source.seed).is_file(), f"{name}: unknown seed {source.seed}"
        assert _normal(source.passage) in _seed(source.seed), (
            f"{name}: passage not found in {source.seed}: {source.passage[:60]}…"
        )


def test_a_passage_that_is_not_in_its_seed_is_caught():
    made_up = advice.Source(
        advice.S003, "Les corrections dans SIECLE sont visibles sous 48 heures."
    )
    assert _normal(made_up.passage) not in _seed(made_up.seed)


def test_every_code_and_every_action_of_the_spec_has_its_texts():
    assert {code for code, _ in advice.SITUATIONS} == set(CODES)
    assert _actions_of_the_spec() - {"handoff_dpd"} <= {action for action, _ in advice.ACTIONS}


@pytest.mark.parametrize(("name", "entry"), ENTRIES, ids=[name for name, _ in ENTRIES])
def test_texts_keep_the_documents_delays_and_no_literal_of_an_academie(name, entry):
    for text in [entry.agent, *entry.replies.values()]:
        assert "sous 48" not in text and "lendemain" not in text
        assert "fusion" not in text.lower()  # seed 002: notify and regroup, never merge
        for literal in ("03.80", "03 80", "ac-dijon", "Dijon", "8h00"):
            assert literal not in text


@pytest.mark.parametrize(
    ("route", "delay"), [(ONDE, "un à deux jours"), (SIECLE, "au moins 48 heures")]
)
def test_the_delay_of_each_base_rests_on_its_passage(route, delay):
    assert route.delai == delay
    passages = " ".join(s.passage for s in advice.DELAY_SOURCES[route.base])
    assert ("1 à 2 jours" if route is ONDE else "48 heures minimum") in passages


def test_franceconnect_is_never_offered_as_a_way_round_a_missing_mobile():
    text = advice.situation("phone_missing").replies[advice.RESPONSABLE]
    assert "FranceConnect" in text and "demande ce numéro" in text


def _finding(code: str, *actions: tuple[str, str, str], variant: str = "") -> Finding:
    values = {**ONDE.values(), "titulaire": "Le responsable", "ecart": "", "detail": "x"}
    return Finding(
        code, "blocking", {}, "", (), tuple(Action(*a) for a in actions), variant, values
    )


@pytest.mark.parametrize("audience", advice.AUDIENCES)
def test_a_reply_is_written_for_who_asked(audience):
    found = _finding(
        "phone_mismatch",
        ("ecole", "fix_base_contact", "telephone"),
        ("responsable", "wait_sync", ""),
    )
    reply = compose_reply(found, audience)
    assert reply.startswith("Bonjour,") and "{academie}" in reply
    if audience == advice.DIRECTEUR:
        assert "Corrigez le numéro de mobile du responsable dans ONDE" in reply
        assert "centre de services" in reply
    else:
        assert "Communiquez votre numéro de mobile" in reply
        assert "{telephone_assistance}" in reply and "{horaires_assistance}" in reply


def test_a_reply_holds_only_the_primary_findings_actions():
    found = _finding(
        "account_ok",
        ("responsable", "recover_login", ""),
        ("ecole", "renotify_with_reset", ""),
    )
    reply = compose_reply(found, advice.RESPONSABLE)
    assert reply.index("Identifiant perdu") < reply.index("nouveau mot de passe provisoire")
    assert "Je n'ai pas de compte" not in reply and "activation" not in reply
