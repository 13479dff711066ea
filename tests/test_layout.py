"""The shape of the code: imports point down, late imports inside functions included."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import grimp
import pytest


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("helpdesk", cache_dir=None)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_module_imports_one_that_imports_it_back(graph):
    edges = {
        module: {m for m in graph.find_modules_directly_imported_by(module)}
        for module in graph.modules
    }

    assert _cycles(edges) == []


def _top_package(module: str) -> str:
    """``helpdesk.tickets.routes`` -> ``helpdesk.tickets``; the root and its modules stay."""
    return ".".join(module.split(".")[:2])


def test_no_package_imports_one_that_imports_it_back(graph):
    """Counting imports inside functions, the packages under helpdesk form no loop."""
    edges: dict[str, set[str]] = {}
    example: dict[tuple[str, str], str] = {}
    for module in sorted(graph.modules):
        source = _top_package(module)
        targets = edges.setdefault(source, set())
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            target = _top_package(imported)
            if target != source:
                targets.add(target)
                example.setdefault((source, target), f"{module} -> {imported}")

    cycles = _cycles(edges)
    lines = [
        f"{len(group)} packages: "
        + "; ".join(example[(a, b)] for a in group for b in sorted(edges[a]) if b in group)
        for group in cycles
    ]
    assert cycles == [], "\n".join(lines)


def test_the_cycle_finder_sees_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_app_factory_and_the_command_group_are_the_top_floor(graph):
    # The console script sends the mail server's pipe around the command group, to it otherwise.
    assert graph.find_modules_that_directly_import("helpdesk.cli") == {"helpdesk.console"}
    assert graph.find_modules_that_directly_import("helpdesk.console") == set()
    assert graph.find_modules_that_directly_import("helpdesk.setup") == {"helpdesk"}
    importers_of_root = graph.find_modules_that_directly_import("helpdesk")
    assert importers_of_root <= {"helpdesk.cli", "helpdesk.wsgi"}, importers_of_root


def _kinds_contract() -> dict:
    config = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    [contract] = [
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c["type"] == "layers" and "containers" in c
    ]
    return contract


def test_every_module_of_a_package_has_a_kind(graph):
    """The import contract on kinds orders every module it names: a module it does not name
    would escape it, so each one is named (a new kind is placed among the others)."""
    contract = _kinds_contract()
    kinds = set(re.findall(r"\((\w+)\)", " ".join(contract["layers"])))
    unnamed = sorted(
        module
        for container in contract["containers"]
        for module in graph.find_children(container)
        if module.rsplit(".", 1)[1] not in kinds and module not in contract["containers"]
    )

    assert unnamed == []
