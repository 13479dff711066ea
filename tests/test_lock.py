"""requirements.lock, which production installs, pins every dependency of pyproject.toml at
an allowed version, with its hash; a lock that drifted is caught."""

from __future__ import annotations

import importlib.util

from tests.plugins.database import ROOT

_spec = importlib.util.spec_from_file_location("deploy_lock", ROOT / "deploy" / "lock.py")
lock = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lock)


def test_the_lock_pins_every_dependency_at_an_allowed_version_with_a_hash():
    pins = lock.read_lock()
    assert lock.problems(pins) == []
    assert pins["whoosh-reloaded"][0] == lock.Version("2.7.5")
    # Extras are locked too: the rate limits' Redis client.
    assert "redis" in pins
    assert all(len(h) == 64 for _, hashes in pins.values() for h in hashes)


def test_a_lock_that_drifted_from_pyproject_is_reported(tmp_path):
    text = lock.LOCK.read_text()
    drifted = tmp_path / "requirements.lock"
    drifted.write_text(
        text.replace("whoosh-reloaded==2.7.5", "whoosh-reloaded==2.7.4").replace(
            "\nflask==", "\nflask-absent=="
        )
    )
    found = lock.problems(lock.read_lock(drifted))
    assert "whoosh-reloaded: 2.7.4 hors de « ==2.7.5 »" in found
    assert "flask: absent du verrou" in found


def test_the_recipe_installs_from_the_lock():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "--require-hashes -r requirements.lock" in dockerfile
    assert "--no-deps" in dockerfile
