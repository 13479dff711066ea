"""Write or check requirements.lock: the exact versions and hashes that production installs.

    python deploy/lock.py          # resolve pyproject's dependencies afresh and write the lock
    python deploy/lock.py --check  # the lock pins every dependency at an allowed version

The lock is resolved by pip itself (``pip install --dry-run --report``) for the interpreter
that runs this script: CPython 3.11 on Linux x86-64, the image of deploy/Dockerfile. Each
line carries the SHA-256 of the file pip chose, so ``pip install --require-hashes`` refuses
anything else.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
HEADER = (
    "# Exact versions and hashes of helpdesk's dependencies for production.\n"
    "# Written by `make lock` (deploy/lock.py) for CPython 3.11 on Linux x86-64;\n"
    "# installed by `pip install --require-hashes -r requirements.lock`.\n"
)


def project_requirements() -> list[Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return [Requirement(line) for line in data["project"]["dependencies"]]


def read_lock(path: Path = LOCK) -> dict[str, tuple[Version, list[str]]]:
    """Package name -> (pinned version, hashes)."""
    pins: dict[str, tuple[Version, list[str]]] = {}
    text = path.read_text().replace("\\\n", " ")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        spec, *options = line.split()
        name, _, version = spec.partition("==")
        hashes = [o.split(":", 1)[1] for o in options if o.startswith("--hash=sha256:")]
        pins[canonicalize_name(name)] = (Version(version), hashes)
    return pins


def problems(pins: dict[str, tuple[Version, list[str]]]) -> list[str]:
    """What keeps the lock from matching pyproject's dependencies (empty when it matches)."""
    found = []
    for requirement in project_requirements():
        name = canonicalize_name(requirement.name)
        if name not in pins:
            found.append(f"{requirement.name}: absent du verrou")
            continue
        version, _ = pins[name]
        if not requirement.specifier.contains(version, prereleases=True):
            found.append(f"{requirement.name}: {version} hors de « {requirement.specifier} »")
    found += [f"{name}: pas d'empreinte" for name, (_, hashes) in pins.items() if not hashes]
    return found


def resolve() -> str:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
             "--quiet", "--report", str(report), str(ROOT)],
            check=True,
        )  # fmt: skip
        installs = json.loads(report.read_text())["install"]
    lines = []
    for item in sorted(installs, key=lambda i: canonicalize_name(i["metadata"]["name"])):
        name = canonicalize_name(item["metadata"]["name"])
        if name == "helpdesk":
            continue
        digest = item["download_info"]["archive_info"]["hashes"]["sha256"]
        lines.append(f"{name}=={item['metadata']['version']} \\\n    --hash=sha256:{digest}")
    return HEADER + "\n".join(lines) + "\n"


def main() -> int:
    if "--check" in sys.argv:
        found = problems(read_lock())
        for line in found:
            print(line, file=sys.stderr)
        print("Verrou conforme à pyproject.toml." if not found else "Verrou à refaire : make lock")
        return 1 if found else 0
    LOCK.write_text(resolve())
    print(f"{LOCK.name} écrit ({len(read_lock())} paquets).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
