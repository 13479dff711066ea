from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "mail"


@pytest.fixture
def fixture_bytes():
    """Read a raw mail from tests/data/mail/."""

    def load(name: str) -> bytes:
        return (DATA / name).read_bytes()

    return load
