"""Write the guided-fix case set: a snapshot of the school base and the requests about it.

Each case states, from ``shared/spec/guided-fixes.md`` and the seeds alone, the codes a
diagnosis must report, the primary finding, the primary finding's actions and the person it
must match (or the candidates it must list). The expectations are written here by hand for each
situation, never read back from the diagnostics. Run once; the output files are the case set:

    python tests/data/guided_cases/make_cases.py
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from helpdesk.demo.snapshot_builder import SnapshotBuilder

HERE = Path(__file__).resolve().parent
NOW = "16/03/2026 05:00"
SYNC = "15/03/2026 06:30"
OLD = "01/09/2025 10:00"
#: Notified five months before the extraction (provisional password expired) or six weeks.
NOTIFIED_EXPIRED = "10/10/2025 09:00"
NOTIFIED_RECENT = "02/02/2026 09:00"

SURNAMES = iter(
    """Abadie Achard Aubry Baudin Benard Berthier Blanchard Bonnet Boucher Bourgeois Brunet
    Carpentier Caron Chevalier Clement Colin Collet Cordier Coste Couturier Delmas Denis
    Deschamps Dumas Dupuis Durand Etienne Fabre Faure Fleury Fontaine Fournier Gaillard
    Garnier Gautier Gilbert Girard Giraud Guerin Guillot Hamon Hebert Huet Jacob Joly Julien
    Labbe Lacroix Lambert Laurent Lebon Leclerc Lecomte Lefebvre Lemaire Leroy Lucas Maillard
    Marchand Marechal Masson Mathieu Menard Mercier Meunier Michaud Millet Moreau Morin
    Navarro Noel Olivier Paris Perrin Petit Picard Pierre Poirier Poulain Prevost Renard
    Rey Richard Riviere Robin Roche Roger Rolland Roussel Royer Sanchez Schmitt Simon Tessier
    Texier Thomas Vasseur Vidal Vincent Weber Bertin Charpentier Renaud Besson Leblanc Hoarau
    Payet Grondin Lebreton Bailly Rousset Pasquier Brun Langlois Bouvier""".split()
)
MOTHERS = itertools.cycle(
    "Claire Sophie Nathalie Isabelle Julie Aurélie Céline Émilie Sandrine Laetitia Hélène".split()
)
FATHERS = itertools.cycle("Marc Julien Thomas Nicolas Olivier Laurent Stéphane Éric".split())
CHILDREN = itertools.cycle(
    "Léa Hugo Chloé Lucas Emma Nathan Inès Jules Manon Louis Camille Arthur Zoé Noah".split()
)
_mobiles = itertools.count(10_000)
_mails = itertools.count(1)


def mobile() -> str:
    """A fresh valid French mobile, never used twice in the snapshot."""
    n = f"{next(_mobiles) * 48271 % 100_000_000:08d}"
    return "06 " + " ".join(n[i : i + 2] for i in range(0, 8, 2))


def digits(number: str) -> str:
    return number.replace(" ", "")


def swap(number: str, i: int, j: int) -> str:
    """The number with digits i and j exchanged (moved right until they differ)."""
    d = list(digits(number))
    step = j - i
    while d[i] == d[j] and j + 1 < len(d):
        i, j = i + 1, j + 1 if step == 1 else j
    d[i], d[j] = d[j], d[i]
    return "".join(d)


def act(*pairs: str) -> list[dict[str, str]]:
    return [dict(zip(("actor", "action"), pair.split(":"), strict=True)) for pair in pairs]


class CaseSet:
    def __init__(self) -> None:
        self.b = SnapshotBuilder(extraction=NOW)
        self.cases: list[dict] = []
        b = self.b
        self.ecole = b.school(uai="0211001X", nom="École élémentaire Voltaire", type="elementaire")
        self.ecole2 = b.school(uai="0211002Y", nom="École élémentaire Pasteur", type="elementaire")
        self.primaire = b.school(uai="0211003Z", nom="École primaire Les Tilleuls", type="primaire")
        self.maternelle = b.school(
            uai="0211004A", nom="École maternelle Les Coquelicots", type="maternelle"
        )
        self.college = b.school(uai="0211005B", nom="Collège Jean Moulin", type="college")
        self.lycee = b.school(uai="0211006C", nom="Lycée Carnot", type="lycee")

    # rows
    def child(self, nom: str, uai: str, **values) -> tuple[str, dict]:
        values.setdefault("prenom", next(CHILDREN))
        values.setdefault("date_modification", OLD)
        eleve_id = self.b.pupil(uai, nom=nom, **values)
        return eleve_id, self.b.rows["eleves.csv"][-1]

    def parent(self, nom: str, *, father: bool = False, **values) -> dict:
        values.setdefault("prenom", next(FATHERS) if father else next(MOTHERS))
        values.setdefault("civilite", "M." if father else "Mme")
        values.setdefault("telephone_portable", mobile())
        values.setdefault(
            "email", f"{values['prenom'].lower()}.{nom.lower()}{next(_mails)}@example.org"
        )
        values.setdefault("date_modification", OLD)
        self.b.responsable(nom=nom, **values)
        return self.b.rows["responsables.csv"][-1]

    def link(self, eleve_id: str, parent: dict, **values) -> None:
        values.setdefault("lien", "pere" if parent["civilite"] == "M." else "mere")
        self.b.link(eleve_id, parent["responsable_id"], **values)

    def account(self, parent: dict, children: list[str], etat: str = "active", **values) -> str:
        values.setdefault("date_synchro", SYNC)
        values.setdefault("identifiant", f"{parent['prenom'][0].lower()}.{parent['nom'].lower()}")
        if etat == "active":
            values.setdefault("email", parent["email"])
        else:
            values.setdefault("email", "")
            values.setdefault("email_verifie", "0")
            values.setdefault("date_activation", "")
            values.setdefault("date_dernier_acces", "")
            values.setdefault("origine", "etablissement")
        if etat == "non_notifie":
            values.setdefault("date_notification", "")
        return self.b.account(parent["responsable_id"], children, etat=etat, **values)

    def family(self, uai: str | None = None, etat: str = "active", **parent_values) -> dict:
        """A mother, one child, one account: the plain case that the variants change."""
        nom = next(SURNAMES)
        eleve_id, child = self.child(nom, uai or self.ecole)
        mother = self.parent(nom, **parent_values)
        self.link(eleve_id, mother)
        self.account(mother, [eleve_id], etat=etat)
        return {"nom": nom, "parent": mother, "child": child, "eleve_id": eleve_id}

    def case(self, family: str, note: str, request: dict, expect: dict) -> None:
        number = sum(1 for c in self.cases if c["family"] == family) + 1
        request = {"id": f"{family}-{number:02d}", **request}
        self.cases.append({"family": family, "note": note, "request": request, "expect": expect})

    def write(self) -> None:
        self.b.write(HERE / "snapshot")
        with (HERE / "cases.jsonl").open("w", encoding="utf-8") as fh:
            for case in self.cases:
                fh.write(json.dumps(case, ensure_ascii=False) + "\n")


def who(parent: dict, **extra) -> dict:
    return {"nom": parent["nom"], "prenom": parent["prenom"], "role": "parent", **extra}


def expect(codes, primary, actions, matched=None, candidates=None) -> dict:
    out = {"codes": sorted(codes), "primary": primary, "actions": actions}
    out["matched"] = sorted(matched or [])
    if candidates is not None:
        out["candidates"] = sorted(candidates)
    return out


# --------------------------------------------------------------------------- families


def active_accounts(s: CaseSet) -> None:
    """An active account: self-service first, then the school re-notifies (seed 002)."""
    lost = {
        "identifiant_oublie": act("responsable:recover_login", "ecole:renotify_with_reset"),
        "mot_de_passe_oublie": act("responsable:recover_password", "ecole:renotify_with_reset"),
    }
    for i, motif in enumerate(["identifiant_oublie", "mot_de_passe_oublie"] * 2):
        f = s.family(s.college if i % 2 else s.ecole)
        p = f["parent"]
        req = who(p, email=p["email"]) if i < 2 else who(p, telephone=p["telephone_portable"])
        s.case(
            "actif",
            f"active account, {motif}",
            {"requester": req, "motif": motif},
            expect(["account_ok"], "account_ok", lost[motif], [p["responsable_id"]]),
        )
    for motif in ["identifiant_oublie", "mot_de_passe_oublie"]:
        # the case: active account, no mobile recorded: not activation advice
        f = s.family(telephone_portable="")
        p = f["parent"]
        s.case(
            "actif",
            f"active account without mobile, {motif}",
            {"requester": who(p, email=p["email"]), "motif": motif},
            expect(
                ["phone_missing", "account_ok"], "account_ok", lost[motif], [p["responsable_id"]]
            ),
        )
    f = s.family(telephone_portable="03 80 44 12 12")
    p = f["parent"]
    s.case(
        "actif",
        "active account, landline in the mobile column, lost password",
        {"requester": who(p, email=p["email"]), "motif": "mot_de_passe_oublie"},
        expect(
            ["phone_not_mobile", "account_ok"],
            "account_ok",
            lost["mot_de_passe_oublie"],
            [p["responsable_id"]],
        ),
    )
    for motif in ["franceconnect", "teleservices", "autre"]:
        f = s.family(s.lycee)
        p = f["parent"]
        s.case(
            "actif",
            f"active account, motif {motif}: nothing to do",
            {"requester": who(p, email=p["email"]), "motif": motif},
            expect(["account_ok"], "account_ok", [], [p["responsable_id"]]),
        )
    f = s.family()
    p = f["parent"]
    s.case(
        "actif",
        "active account, another mobile given (info), lost login",
        {
            "requester": who(p, telephone="07 81 22 33 44"),
            "enfants": [{"prenom": f["child"]["prenom"]}],
            "motif": "identifiant_oublie",
        },
        expect(
            ["phone_mismatch", "account_ok"],
            "account_ok",
            lost["identifiant_oublie"],
            [p["responsable_id"]],
        ),
    )
    f = s.family(s.ecole2)
    p = f["parent"]
    s.case(
        "actif",
        "active account found by the child's name and birth date only",
        {
            "requester": {"nom": p["nom"], "role": "parent"},
            "enfants": [
                {"prenom": f["child"]["prenom"], "date_naissance": f["child"]["date_naissance"]}
            ],
            "motif": "mot_de_passe_oublie",
        },
        expect(["account_ok"], "account_ok", lost["mot_de_passe_oublie"], [p["responsable_id"]]),
    )


def namesakes(s: CaseSet) -> None:
    """Two different people with one name: ask; the detail only one fits decides."""
    ask = act("centre:ask_requester")
    lost = act("responsable:recover_login", "ecole:renotify_with_reset")
    dates = itertools.cycle(
        [("12/05/2015", "03/11/2016"), ("27/01/2014", "19/08/2017"), ("08/09/2016", "30/04/2013")]
    )
    for i in range(10):
        nom = next(SURNAMES)
        prenom = next(MOTHERS)
        shared_child = next(CHILDREN)
        date_a, date_b = next(dates)
        uai_a = s.ecole if i % 2 else s.primaire
        uai_b = s.ecole2 if i % 3 else s.college
        # family A: the requester; family B: a namesake with no child or contact in common
        ea, child_a = s.child(nom, uai_a, prenom=shared_child, date_naissance=date_a)
        a = s.parent(nom, prenom=prenom)
        s.link(ea, a)
        s.account(a, [ea])
        other_surname = next(SURNAMES)
        first_b = shared_child if i < 6 else next(CHILDREN)
        eb, child_b = s.child(other_surname, uai_b, prenom=first_b, date_naissance=date_b)
        b = s.parent(nom, prenom=prenom)
        s.link(eb, b, lien="tuteur")
        s.account(b, [eb])
        both = [a["responsable_id"], b["responsable_id"]]
        # without a telling detail: ask
        if i < 6:
            req = {"requester": who(a), "enfants": [{"prenom": shared_child}]}
            note = "namesakes whose children share a first name; child's first name only"
        else:
            req = {"requester": who(a)}
            note = "namesakes, name only"
        s.case(
            "homonymes",
            note,
            {**req, "motif": "identifiant_oublie"},
            expect(["person_ambiguous"], "person_ambiguous", ask, [], both),
        )
        # the same request with the detail that only A fits
        detail = i % 5
        if detail == 0:
            req = {
                "requester": who(a),
                "enfants": [{"prenom": shared_child, "date_naissance": date_a}],
            }
            note = "the child's birth date tells them apart"
        elif detail == 1:
            req = {"requester": who(a, email=a["email"])}
            note = "the e-mail tells them apart"
        elif detail == 2:
            req = {"requester": who(a, telephone=a["telephone_portable"])}
            note = "the mobile tells them apart"
        elif detail == 3 and uai_a != uai_b:
            req = {"requester": who(a), "uai": uai_a}
            note = "the school tells them apart"
        else:
            req = {"requester": who(a), "enfants": [{"prenom": child_a["prenom"]}]}
            if child_a["prenom"] == child_b["prenom"]:
                req["enfants"][0]["date_naissance"] = date_a
            note = "the child's first name (with its date if shared) tells them apart"
        s.case(
            "homonymes_detail",
            note,
            {**req, "motif": "identifiant_oublie"},
            expect(["account_ok"], "account_ok", lost, [a["responsable_id"]]),
        )
    # the demo's case: a duplicate person and a namesake whose child has the same first name
    nom = next(SURNAMES)
    ea1, _ = s.child(nom, s.ecole, prenom="Sophie", date_naissance="15/03/2017")
    ea2, _ = s.child(nom, s.college, prenom="Maggie", date_naissance="29/06/2014", niveau="6E")
    phone = mobile()
    mail = f"marguerite.{nom.lower()}724@example.org"
    a1 = s.parent(nom, prenom="Marguerite", telephone_portable=phone, email=mail)
    a2 = s.parent(nom, prenom="Marguerite", telephone_portable=phone, email=mail)
    s.link(ea1, a1)
    s.link(ea2, a2)
    s.account(a1, [ea1])
    s.account(a2, [ea2], origine="etablissement")
    other = next(SURNAMES)
    eb, _ = s.child(other, s.primaire, prenom="Maggie", date_naissance="09/01/2021", niveau="MS")
    b = s.parent(nom, prenom="Marguerite", telephone_portable="")
    s.link(eb, b, lien="tuteur")
    s.account(b, [eb], etat="non_notifie")
    s.case(
        "homonymes_detail",
        "duplicate records and a namesake whose child is also called Maggie; e-mail and mobile",
        {
            "requester": who(a1, email=mail, telephone=phone),
            "enfants": [{"prenom": "Maggie"}],
            "motif": "enfant_manquant",
        },
        expect(
            ["duplicate_responsable"],
            "duplicate_responsable",
            act("responsable:regroup_accounts"),
            [a1["responsable_id"], a2["responsable_id"]],
        ),
    )


def duplicates(s: CaseSet) -> None:
    """One parent recorded twice: seed 002's procedure, never "merge the records"."""
    regroup = act("responsable:regroup_accounts")
    notify_regroup = act("ecole:notify_account", "responsable:regroup_accounts")
    differ = act("ecole:fix_base_identity", "responsable:wait_sync", "responsable:regroup_accounts")
    variants = [
        # (note, second name transform, second school, second account state, actions, extra)
        ("identical names, one school, both active", None, "same", "active", regroup),
        ("names in capitals, one school, both active", str.upper, "same", "active", regroup),
        ("identical names, two schools, both active", None, "college", "active", regroup),
        (
            "identical names, second notified recently",
            None,
            "same",
            "notifie_recent",
            notify_regroup,
        ),
        ("identical names, second never notified", None, "same", "non_notifie", notify_regroup),
        (
            "identical names, two schools, second never notified",
            None,
            "college",
            "non_notifie",
            notify_regroup,
        ),
        ("accents dropped on the second record", "fold", "same", "active", regroup),
        ("hyphen for a space in the surname", "hyphen", "ecole2", "active", regroup),
        ("surname with a typo, one school", "typo", "same", "active", differ),
        (
            "surname with a typo, two schools, second never notified",
            "typo",
            "college",
            "non_notifie",
            differ,
        ),
        ("first name with a typo, two schools", "typo_first", "lycee", "active", differ),
        ("identical names, second expired", None, "same", "expired", notify_regroup),
    ]
    compound = iter(["Le Gall", "Da Silva", "Le Roux", "De Sousa", "Le Bihan"])
    for note, change, where, etat, actions in variants:
        nom = next(compound) if change == "hyphen" else next(SURNAMES)
        prenom = "Émilie" if change == "fold" else next(MOTHERS)
        uai_a = s.ecole
        uai_b = {"same": s.ecole, "college": s.college, "ecole2": s.ecole2, "lycee": s.lycee}[where]
        e1, c1 = s.child(nom, uai_a)
        e2, c2 = s.child(
            nom,
            uai_b,
            niveau="5E" if uai_b in (s.college, s.lycee) else "CE1",
            date_naissance="11/02/2013",
        )
        phone = mobile()
        mail = f"{nom.lower().replace(' ', '')}.famille@example.org"
        r1 = s.parent(nom, prenom=prenom, telephone_portable=phone, email=mail)
        nom2, prenom2 = nom, prenom
        if change is str.upper:
            nom2 = nom.upper()
        elif change == "fold":
            prenom2 = "Emilie"
        elif change == "hyphen":
            nom2 = nom.replace(" ", "-")
        elif change == "typo":
            nom2 = nom[:2] + nom[3] + nom[2] + nom[4:]
        elif change == "typo_first":
            prenom2 = prenom[:-1] + "a" if prenom[-1] != "a" else prenom + "e"
        r2 = s.parent(nom2, prenom=prenom2, telephone_portable=phone, email=mail)
        s.link(e1, r1)
        s.link(e2, r2)
        s.account(r1, [e1])
        if etat == "notifie_recent":
            s.account(r2, [e2], etat="notifie_non_active", date_notification=NOTIFIED_RECENT)
        elif etat == "expired":
            s.account(r2, [e2], etat="notifie_non_active", date_notification=NOTIFIED_EXPIRED)
        else:
            s.account(r2, [e2], etat=etat)
        codes = ["duplicate_responsable"]
        if etat == "expired":
            codes.append("activation_expired")
        s.case(
            "doublons",
            note,
            {
                "requester": who(r1, email=mail),
                "enfants": [{"prenom": c2["prenom"]}],
                "motif": "enfant_manquant",
            },
            expect(
                codes,
                "duplicate_responsable",
                actions,
                [r1["responsable_id"], r2["responsable_id"]],
            ),
        )


def pupil_accounts(s: CaseSet) -> None:
    """A pupil's own account: handed out by the school, never reported as working unused."""
    for i in range(10):
        nom = next(SURNAMES)
        uai = s.college if i % 2 else s.lycee
        eleve_id, child = s.child(nom, uai, niveau="4E" if uai == s.college else "1ERE")
        mother = s.parent(nom)
        s.link(eleve_id, mother)
        s.account(mother, [eleve_id])
        kind = i % 5
        values = {
            "profil": "eleve",
            "origine": "etablissement",
            "date_synchro": SYNC,
            "identifiant": f"{child['prenom'][0].lower()}.{nom.lower()}",
        }
        if kind in (0, 1):
            s.b.account(
                eleve_id,
                etat="non_notifie",
                date_notification="",
                date_activation="",
                date_dernier_acces="",
                **values,
            )
            codes, primary, actions = (
                ["not_notified"],
                "not_notified",
                act("ecole:hand_out_pupil_login"),
            )
            motif = "compte_eleve"
        elif kind == 2:
            s.b.account(
                eleve_id,
                etat="notifie_non_active",
                date_notification=NOTIFIED_EXPIRED,
                date_activation="",
                date_dernier_acces="",
                **values,
            )
            codes, primary, actions = (
                ["activation_expired"],
                "activation_expired",
                act("ecole:renotify_with_reset"),
            )
            motif = "compte_eleve"
        elif kind == 3:
            s.b.account(eleve_id, etat="active", **values)
            codes, primary = ["account_ok"], "account_ok"
            actions = act("eleve:recover_password", "ecole:renotify_with_reset")
            motif = "mot_de_passe_oublie"
        else:
            s.b.account(eleve_id, etat="active", **values)
            codes, primary = ["account_ok"], "account_ok"
            actions = act("eleve:recover_login", "ecole:renotify_with_reset")
            motif = "identifiant_oublie"
        if i < 5:
            request = {
                "requester": {"nom": nom, "prenom": child["prenom"], "role": "eleve"},
                "enfants": [{"date_naissance": child["date_naissance"]}],
            }
        else:
            request = {
                "enfants": [
                    {
                        "nom": nom,
                        "prenom": child["prenom"],
                        "date_naissance": child["date_naissance"],
                    }
                ]
            }
        s.case(
            "compte_eleve",
            f"pupil account {kind}, motif {motif}",
            {**request, "uai": uai, "motif": motif},
            expect(codes, primary, actions, []),
        )


def struck_off(s: CaseSet) -> None:
    """A child who left the school (radiée): no access through this school, not 'unfinished'."""
    for i in range(10):
        values = {"admission": "radiee"}
        if i % 3 == 1:
            values["classe"] = ""
        if i % 4 == 2:
            values["ine"] = ""
        nom = next(SURNAMES)
        uai = [s.ecole, s.college, s.primaire][i % 3]
        eleve_id, child = s.child(nom, uai, **values)
        mother = s.parent(nom)
        s.link(eleve_id, mother)
        s.account(mother, [eleve_id] if i % 2 else [])
        s.case(
            "radiee",
            f"child struck off ({', '.join(values)})",
            {
                "requester": who(mother, email=mother["email"]),
                "enfants": [{"prenom": child["prenom"]}],
                "motif": "enfant_manquant",
            },
            expect(
                ["pupil_not_eligible"],
                "pupil_not_eligible",
                act("centre:explain_no_access"),
                [mother["responsable_id"]],
            ),
        )


def maternelle(s: CaseSet) -> None:
    """Only maternelle children: visible, no service yet; never reported for lacking an INE."""
    explain = act("centre:explain_no_access")
    for i in range(10):
        nom = next(SURNAMES)
        uai = s.maternelle if i % 2 else s.primaire
        niveaux = [["PS"], ["MS"], ["GS"], ["PS", "GS"], ["MS"]][i % 5]
        ids = []
        for n, niveau in enumerate(niveaux):
            values = {"niveau": niveau, "classe": f"{niveau} A", "date_naissance": "10/06/2021"}
            if i % 2 == 0 or n == 1:
                values["ine"] = ""
            if i == 7:
                values["classe"] = ""
            eleve_id, child = s.child(nom, uai, **values)
            ids.append((eleve_id, child))
        mother = s.parent(nom)
        for eleve_id, _ in ids:
            s.link(eleve_id, mother)
        s.account(mother, [e for e, _ in ids])
        codes = ["maternelle_only", "account_ok"]
        if i == 7:
            codes = ["maternelle_only", "pupil_not_eligible"]
        s.case(
            "maternelle",
            f"maternelle only ({', '.join(niveaux)}){' without class' if i == 7 else ''}",
            {
                "requester": who(mother, email=mother["email"]),
                "enfants": [{"prenom": ids[0][1]["prenom"]}],
                "motif": "teleservices",
            },
            expect(codes, "maternelle_only", explain, [mother["responsable_id"]]),
        )
    # a maternelle child without INE beside an elementary child: nothing to report
    nom = next(SURNAMES)
    e1, c1 = s.child(
        nom, s.primaire, niveau="PS", classe="PS B", ine="", date_naissance="02/02/2022"
    )
    e2, c2 = s.child(nom, s.primaire, niveau="CE2", classe="CE2 A")
    mother = s.parent(nom)
    s.link(e1, mother)
    s.link(e2, mother)
    s.account(mother, [e1, e2])
    s.case(
        "maternelle",
        "maternelle child without INE beside an elementary child",
        {
            "requester": who(mother, email=mother["email"]),
            "enfants": [{"prenom": c1["prenom"]}],
            "motif": "teleservices",
        },
        expect(["account_ok"], "account_ok", [], [mother["responsable_id"]]),
    )


def expired(s: CaseSet) -> None:
    """A provisional password older than three months, with and without a mobile."""
    for i in range(12):
        kind = i % 4
        values = {}
        if kind == 1:
            values["telephone_portable"] = ""
        elif kind == 2:
            values["telephone_portable"] = "03 80 11 22 33"
        f = s.family(
            s.ecole if i % 2 else s.college,
            etat="notifie_non_active",
            **values,
        )
        p = f["parent"]
        account = s.b.rows["comptes.csv"][-1]
        if kind == 3:
            # notified six weeks ago and no mobile: the notification path is open
            account["date_notification"] = NOTIFIED_RECENT
            p["telephone_portable"] = ""
            codes, primary = ["phone_missing", "account_ok"], "account_ok"
            actions = act("responsable:activate_with_notification")
        else:
            account["date_notification"] = NOTIFIED_EXPIRED
            primary = "activation_expired"
            if kind == 0:
                codes = ["activation_expired"]
                actions = act("responsable:self_enrol_sms", "ecole:renotify_with_reset")
            else:
                codes = ["activation_expired", "phone_missing" if kind == 1 else "phone_not_mobile"]
                actions = act("ecole:renotify_with_reset")
        s.case(
            "notification_expiree",
            f"notified, not activated (variant {kind})",
            {
                "requester": who(p, email=p["email"]),
                "enfants": [{"prenom": f["child"]["prenom"]}],
                "motif": "mot_de_passe_oublie",
            },
            expect(codes, primary, actions, [p["responsable_id"]]),
        )


def phones(s: CaseSet) -> None:
    """Two neighbouring digits swapped (a slip: retype) versus another number (fix the base)."""
    retype = act("responsable:retype_given_data")
    fix = act("ecole:fix_base_contact", "responsable:wait_sync")
    for i in range(12):
        etat = "non_notifie" if i % 2 else None
        f = s.family(s.ecole2 if i % 3 else s.college, etat=etat or "active")
        p = f["parent"]
        if etat is None:
            # no account at all: drop the one just written
            s.b.rows["comptes.csv"].pop()
        recorded = p["telephone_portable"]
        kind = i % 6
        if kind in (0, 1):
            given, actions, note = swap(recorded, 4, 5), retype, "5th and 6th digits swapped"
        elif kind == 2:
            given, actions, note = swap(recorded, 7, 8), retype, "8th and 9th digits swapped"
        elif kind == 3:
            d = digits(recorded)
            given = d[:6] + str((int(d[6]) + 3) % 10) + d[7:]
            actions, note = retype, "one digit different"
        elif kind == 4:
            given, actions, note = "07 88 12 34 56", fix, "another number"
        else:
            given, actions, note = swap(recorded, 2, 8), fix, "two distant digits exchanged"
        if given == digits(recorded):
            continue
        s.case(
            "telephone",
            note,
            {
                "requester": who(p, telephone=given),
                "enfants": [{"prenom": f["child"]["prenom"]}],
                "motif": "activation_sms",
            },
            expect(["phone_mismatch"], "phone_mismatch", actions, [p["responsable_id"]]),
        )


def main() -> None:
    s = CaseSet()
    for build in (
        active_accounts,
        namesakes,
        duplicates,
        pupil_accounts,
        struck_off,
        maternelle,
        expired,
        phones,
    ):
        build(s)
    s.write()
    counts: dict[str, int] = {}
    for case in s.cases:
        counts[case["family"]] = counts.get(case["family"], 0) + 1
    print(counts)


if __name__ == "__main__":
    main()
