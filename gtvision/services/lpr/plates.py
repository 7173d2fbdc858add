"""Plate text as the service stores and searches it: normal form, fuzzy key, safe patterns.

Every function here is pure, so the search API, the watch lists and the writer agree on one
definition of "the same plate".
"""

from __future__ import annotations

import re

MAX_PLATE = 12
MAX_PATTERN = 16

_PLATE = re.compile(r"^[A-Z0-9]{1,12}$")
_PATTERN = re.compile(r"^[A-Z0-9*?]{1,16}$")
_SEPARATORS = str.maketrans("", "", " -·.")

# Glyphs a reader (or a witness) confuses, folded onto one representative for fuzzy search.
CONFUSABLE = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1",
                            "B": "8", "S": "5", "Z": "2", "G": "6"})  # fmt: skip


class PlateSyntaxError(ValueError):
    """Text that is not a plate (or a plate pattern); the message says what is wrong."""


def normalize(text: str) -> str:
    """Upper case without separators: ``abc-1d23`` → ``ABC1D23``; raises if not a plate."""
    plate = text.upper().translate(_SEPARATORS)
    if not _PLATE.match(plate):
        raise PlateSyntaxError(f"{text!r} is not a plate: 1 to {MAX_PLATE} letters and digits")
    return plate


def plate_key(plate: str) -> str:
    """The plate with confusable glyphs folded: ``OBC1D23`` and ``0BC1023`` share one key."""
    return plate.translate(CONFUSABLE)


def normalize_pattern(text: str) -> str:
    """A watch-list pattern: letters, digits, ``*`` (any run) and ``?`` (one character)."""
    pattern = text.upper().translate(_SEPARATORS)
    if not _PATTERN.match(pattern) or pattern.strip("*") == "":
        raise PlateSyntaxError(
            f"{text!r} is not a plate pattern: up to {MAX_PATTERN} letters, digits, "
            "* (any characters) and ? (one character), with at least one letter or digit"
        )
    return re.sub(r"\*+", "*", pattern)


def like_pattern(pattern: str) -> str | None:
    """The SQL ``LIKE`` form of a pattern, or ``None`` for an exact plate.

    The alphabet is letters and digits only, so nothing needs escaping and matching is
    linear in the plate's length: no user text ever becomes a regular expression.
    """
    if "*" not in pattern and "?" not in pattern:
        return None
    return pattern.replace("*", "%").replace("?", "_")


def matches(pattern: str, plate: str) -> bool:
    """The same rule in Python, for tests and for checking a pattern before saving it."""
    like = like_pattern(pattern)
    if like is None:
        return pattern == plate
    regex = "".join("." if c == "_" else ".*" if c == "%" else c for c in like)
    return re.fullmatch(regex, plate) is not None
