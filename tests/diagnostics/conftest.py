from __future__ import annotations

import pytest

from tests.plugins.factories import AccountData


@pytest.fixture
def account_data(db_session) -> AccountData:
    return AccountData(db_session)
