"""What a search asks for: the words people type turned into units of index terms.

Each unit is one thing asked for: a word, or an expression of a synonym group with all the
ways of writing it. Unknown words are repaired (a left-out apostrophe, a typing slip) with
the help of the index, given as two callables so this module knows nothing of the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from helpdesk.knowledge.analysis import term_for
from helpdesk.knowledge.synonyms import longest_expression, synonym_table

FUZZY_BOOST = 0.8
FUZZY_MIN_LENGTH = 5
_ELISIONS = ("qu", "c", "d", "j", "l", "m", "n", "s", "t")


@dataclass(frozen=True)
class Unit:
    """Alternatives (tuples of index terms), any of which answers the unit; `typed` is the
    alternative the person wrote, when there is one."""

    alternatives: tuple[tuple[str, ...], ...]
    boost: float = 1.0
    typed: tuple[str, ...] | None = None


def is_synonym(term: str) -> bool:
    return (term,) in synonym_table()[0]


def with_synonyms(terms: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Each term alone, or all the expressions of its group when it belongs to one."""
    index, groups = synonym_table()
    alternatives: list[tuple[str, ...]] = []
    for term in terms:
        if (term,) in index:
            alternatives.extend(groups[index[(term,)]])
        else:
            alternatives.append((term,))
    return tuple(dict.fromkeys(alternatives))


def repair_elisions(words: list[str], is_known: Callable[[str], bool]) -> list[str]:
    """`napparait` -> `apparait`, `lidentifiant` -> `identifiant` (apostrophe left out)."""
    repaired = []
    for word in words:
        if not is_known(word):
            for prefix in _ELISIONS:
                rest = word[len(prefix) :]
                if (
                    word.startswith(prefix)
                    and len(rest) >= 2
                    and rest[0] in "aeiouyh"
                    and is_known(rest)
                ):
                    word = rest
                    break
        repaired.append(word)
    return repaired


def parse_query(
    words: list[str],
    is_known: Callable[[str], bool],
    corrections: Callable[[str], list[str]],
) -> list[Unit]:
    """Units of a query given as folded words.

    `is_known(word)` tells whether a word means something to the index (stop word, indexed
    term or synonym); `corrections(word)` gives the index terms of known words within a
    typing slip of an unknown one.
    """
    index, groups = synonym_table()
    longest = longest_expression()
    pairs = [
        (word, term)
        for word in repair_elisions(words, is_known)
        if (term := term_for(word)) is not None
    ]
    units: list[Unit] = []
    used_groups: set[int] = set()
    position = 0
    while position < len(pairs):
        for size in range(min(longest, len(pairs) - position), 0, -1):
            key = tuple(term for _word, term in pairs[position : position + size])
            if key in index:
                # Two expressions of one group ("numéro", "portable") ask for one thing.
                if index[key] not in used_groups:
                    used_groups.add(index[key])
                    units.append(Unit(groups[index[key]], typed=key))
                position += size
                break
        else:
            word, term = pairs[position]
            position += 1
            if is_known(word) or len(word) < FUZZY_MIN_LENGTH:
                units.append(Unit(((term,),), typed=(term,)))
            else:
                fixed = with_synonyms(corrections(word))
                units.append(Unit(fixed or ((term,),), FUZZY_BOOST))
    return units
