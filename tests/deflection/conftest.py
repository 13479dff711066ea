from tests.search.conftest import audiences_of, kb, shipped_index  # noqa: F401
