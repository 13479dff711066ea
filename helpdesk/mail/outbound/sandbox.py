"""A Jinja sandbox that also bounds the work a template may ask for.

Jinja's sandbox keeps templates away from Python internals but lets them ask for unbounded
work: ``9**9**9``, ``"x" * 10**9``, ``"x"|center(10**9)`` or loops nested over large ranges.
Administrators edit mail templates in the browser, and a preview runs inside a web worker,
so each render here gets a budget of loop items, of numbers given to calls and filters, and
of the size of what operators build; going beyond it is a ``SecurityError``.
"""

from __future__ import annotations

import functools
from contextvars import ContextVar
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

#: Items all the ``range()`` calls of one render may produce together.
MAX_LOOP_ITEMS = 10_000
#: The largest number a call or a filter may receive (a width, a count, a length).
MAX_ARGUMENT = 10_000
#: The longest string or sequence an operator may build.
MAX_BUILT_LENGTH = 100_000
#: The largest exponent of ``**``.
MAX_EXPONENT = 64

_budget: ContextVar[list[int] | None] = ContextVar("template_loop_budget", default=None)


def _check_arguments(args: tuple, kwargs: dict) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
            raise SecurityError(f"Nombre trop grand dans le modèle (au plus {MAX_ARGUMENT}).")


def _bounded_range(*args: int):
    items = range(*args)
    budget = _budget.get()
    if budget is None:
        budget = [MAX_LOOP_ITEMS]
        _budget.set(budget)
    if len(items) > budget[0]:
        raise SecurityError(f"Boucle trop longue dans le modèle (au plus {MAX_LOOP_ITEMS} tours).")
    budget[0] -= len(items)
    return items


def _bounded_filter(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        _check_arguments(args, kwargs)
        return function(*args, **kwargs)

    return wrapper


class BoundedSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(["**", "*", "%"])

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _bounded_range
        # A format string sets widths the checks below cannot see.
        self.filters.pop("format", None)
        self.filters = {name: _bounded_filter(f) for name, f in self.filters.items()}

    def call_binop(self, context, operator: str, left, right):
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                raise SecurityError(
                    f"Puissance trop grande dans le modèle (au plus {MAX_EXPONENT})."
                )
            return left**right
        if operator == "%":
            if isinstance(left, str):
                raise SecurityError("Le formatage avec % n'est pas permis dans un modèle.")
            return left % right
        for sized, count in ((left, right), (right, left)):
            if isinstance(sized, str | list | tuple) and isinstance(count, int):
                if len(sized) * count > MAX_BUILT_LENGTH:
                    raise SecurityError("Texte trop long construit dans le modèle.")
        return left * right

    def call(self, __context, __obj, *args, **kwargs):
        _check_arguments(args, kwargs)
        # str.format reaches here wrapped by Jinja; its widths escape the checks above.
        if getattr(__obj, "__name__", "") in ("format", "format_map"):
            raise SecurityError("La méthode format n'est pas permise dans un modèle.")
        return super().call(__context, __obj, *args, **kwargs)


def render_bounded(template, context: dict) -> str:
    """Render with a fresh loop budget."""
    token = _budget.set([MAX_LOOP_ITEMS])
    try:
        return template.render(**context)
    finally:
        _budget.reset(token)
