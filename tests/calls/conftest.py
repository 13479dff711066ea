from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from helpdesk.schools.models import School
from tests.plugins.factories import AccountData

BASE_PHONE = "06 12 34 56 78"


@pytest.fixture
def account_data(db_session) -> AccountData:
    return AccountData(db_session)


@pytest.fixture
def family(account_data, db_session):
    """Céline Dupont, mother of Léa (born 2 March 2015), mobile 06 12 34 56 78."""
    uai = account_data.school(type="elementaire", nom="École élémentaire Jean Macé")
    account_data.default_school = uai
    parent, kids, account = account_data.family(
        nom="Dupont",
        prenom="Céline",
        children=(("Léa", date(2015, 3, 2)),),
        etat="non_notifie",
        telephone_portable=BASE_PHONE,
        email="celine.dupont@example.fr",
    )
    school = db_session.scalar(select(School).where(School.uai == uai))
    return school, parent, kids[0], account


@pytest.fixture
def namesake(family, account_data):
    """Another Céline Dupont, mother of another Léa: no child and no contact in common."""
    return account_data.family(
        nom="Dupont",
        prenom="Céline",
        children=(("Léa", date(2017, 9, 8)),),
        telephone_portable="07 55 44 33 22",
        email="c.dupont@example.net",
    )
