"""Lists the benchmark scripts and what each measures; each runs on its own with its options.

The benchmarks need different bases (100,000 tickets, 300,000 responsables, a running
gunicorn or PostgreSQL), so none is run blindly: pick one and read its `--help`.
"""

from __future__ import annotations

import ast
from pathlib import Path


def summary(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return doc.splitlines()[0] if doc else ""


def main() -> None:
    here = Path(__file__).resolve().parent
    for path in sorted(here.glob("*.py")):
        if path.name != Path(__file__).name:
            print(f"bench/{path.name}: {summary(path)}")


if __name__ == "__main__":
    main()
