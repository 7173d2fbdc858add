"""Plate formats and format-aware decoding of per-slot character probabilities.

A format is a pattern of character classes, one per slot (`L` letter, `N` digit, `A` either).
Formats compete on the model's own probabilities of the characters they allow; inside the
winning format, a glyph that the pattern forbids counts towards its look-alike that it allows
(a 0 read in a letter slot is evidence for O; a B in a digit slot is evidence for 8).
Pure functions: no I/O, unit-tested on hand-made probability tables.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
# Brazil's grey plates (1990 to 2020) took their letters from one national sequence, allotted to
# the states in blocks from AAA upwards (Paraná AAA-BEZ, São Paulo BFA-GKI, ...; Minas Gerais
# reached PUA-PZZ in 2014); when the Mercosur plate replaced them the sequence had not left the
# Q and R blocks. So no grey plate starts with S to Z: a U read first on one is a misread J (or
# O, or V). Mercosur plates carry the same sequence on, and converted grey plates keep theirs.
BR_GREY_SERIES = LETTERS[: LETTERS.index("R") + 1]

# Glyphs that plate fonts draw alike: for an allowed character, which forbidden glyphs count
# towards it and how much (a 0 in a letter slot is mostly an O; a D or a Q only sometimes).
CONFUSABLE: dict[str, dict[str, float]] = {
    "0": {"O": 1.0, "D": 0.5, "Q": 0.5},
    "1": {"I": 1.0, "T": 0.3},
    "2": {"Z": 1.0},
    "4": {"A": 1.0},
    "5": {"S": 1.0},
    "6": {"G": 1.0},
    "7": {"T": 0.5},
    "8": {"B": 1.0},
    "O": {"0": 1.0},
    "D": {"0": 0.3},
    "Q": {"0": 0.3},
    "I": {"1": 1.0},
    "T": {"1": 0.3, "7": 0.5},
    "Z": {"2": 1.0},
    "A": {"4": 1.0},
    "S": {"5": 1.0},
    "G": {"6": 1.0},
    "B": {"8": 1.0},
}


@dataclass(frozen=True, slots=True)
class PlateFormat:
    """One plate format: `pattern` over L/N/A, e.g. LLLNLNN for Mercosur Brazil."""

    name: str
    country: str
    pattern: str
    two_row: bool = False
    series: str = LETTERS  # the letters its first slot may hold, where its pattern says L

    def allowed(self, slot: int) -> str:
        if slot == 0 and self.pattern[0] == "L":
            return self.series
        return {"L": LETTERS, "N": DIGITS, "A": LETTERS + DIGITS}[self.pattern[slot]]


REGISTRY: dict[str, tuple[PlateFormat, ...]] = {
    "br": (
        PlateFormat("mercosul", "br", "LLLNLNN"),
        PlateFormat("antigo", "br", "LLLNNNN", series=BR_GREY_SERIES),
        PlateFormat("moto-mercosul", "br", "LLLNLNN", two_row=True),
        PlateFormat("moto-antigo", "br", "LLLNNNN", two_row=True, series=BR_GREY_SERIES),
    ),
    "ar": (
        PlateFormat("mercosur", "ar", "LLNNNLL"),
        PlateFormat("antigua", "ar", "LLLNNN"),
    ),
    "py": (PlateFormat("mercosur", "py", "LLLLNNN"),),
    "uy": (PlateFormat("mercosur", "uy", "LLLNNNN"),),
}


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    confidence: float  # the weakest character's confidence
    char_confidences: tuple[float, ...]  # look-alikes' credit included (a 0 read for an O)
    format: str  # "br/mercosul", or "free" when no registered format fits
    # The model's own probability of each character: what it saw, before any credit. Readings
    # of one plate from different framings are compared on these, as formats are.
    seen: tuple[float, ...]


def formats_for(regions: list[str]) -> list[PlateFormat]:
    try:
        return [f for r in regions for f in REGISTRY[r]]
    except KeyError as exc:
        raise ValueError(
            f"unknown plate region {exc.args[0]!r}; known: {', '.join(sorted(REGISTRY))}"
        ) from None


def decode_free(probs: npt.NDArray[np.float32], alphabet: str, pad: str) -> Decoded:
    """Plain arg-max per slot, padding dropped: what the model says with no grammar."""
    idx = probs.argmax(axis=1)
    chars = [(alphabet[i], float(probs[s, i])) for s, i in enumerate(idx)]
    kept = [(c, p) for c, p in chars if c != pad]
    conf = tuple(p for _, p in kept)
    return Decoded("".join(c for c, _ in kept), min(conf, default=0.0), conf, "free", conf)


def decode(
    probs: npt.NDArray[np.float32],
    alphabet: str,
    pad: str,
    formats: list[PlateFormat],
    *,
    two_row: bool | None = None,
    priors: dict[str, float] | None = None,
) -> Decoded:
    """The most probable reading that one of `formats` allows (free reading if none given).

    `probs` is (slots, len(alphabet)). A format shorter than the model's slots needs the rest to
    be padding. `two_row`, when known from the plate's shape, keeps only formats of that layout.
    `priors` weighs formats by what else is known of the plate (its colours), by format name;
    a format not named keeps weight 1.
    """
    if not formats:
        return decode_free(probs, alphabet, pad)
    index = {c: i for i, c in enumerate(alphabet)}
    best: tuple[float, Decoded] | None = None
    for fmt in formats:
        if two_row is not None and fmt.two_row != two_row:
            continue
        if len(fmt.pattern) > probs.shape[0]:
            continue
        log_score = 0.0
        chars: list[str] = []
        confs: list[float] = []
        seen: list[float] = []
        for slot in range(len(fmt.pattern)):
            row = probs[slot]
            char, p = _best_allowed(row, fmt.allowed(slot), alphabet)
            chars.append(char)
            confs.append(p)
            # The format is judged on what the model saw; look-alike credit only picks the
            # character inside a format, or a 4 would make a letter slot look plausible.
            seen.append(float(row[index[char]]))
            log_score += math.log(max(seen[-1], 1e-9))
        for slot in range(len(fmt.pattern), probs.shape[0]):
            log_score += math.log(
                max(float(probs[slot, index[pad]]) if pad in index else 0.0, 1e-9)
            )
        if priors is not None:
            log_score += math.log(max(priors.get(fmt.name, 1.0), 1e-9))
        cand = Decoded("".join(chars), min(confs), tuple(confs), f"{fmt.country}/{fmt.name}",
                       tuple(seen))  # fmt: skip
        if best is None or log_score > best[0]:
            best = (log_score, cand)
    return best[1] if best else decode_free(probs, alphabet, pad)


def _best_allowed(row: npt.NDArray[np.float32], allowed: str, alphabet: str) -> tuple[str, float]:
    """The allowed character with the most probability, its look-alikes' credit included."""
    chars, credit = _credit(allowed, alphabet)
    if not chars:
        return allowed[0], -1.0
    scores = credit @ row.astype(np.float64)
    best = int(scores.argmax())  # the first of equals, in `allowed` order
    return chars[best], min(float(scores[best]), 1.0)


@functools.cache
def _credit(allowed: str, alphabet: str) -> tuple[str, npt.NDArray[np.float64]]:
    """For each allowed character the model knows, the weights of the model's probabilities
    that count for it: its own, and those of its look-alikes the slot forbids. Built once per
    slot class and alphabet: decoding is a product, not a Python loop per character."""
    index = {c: i for i, c in enumerate(alphabet)}
    chars = "".join(c for c in allowed if c in index)
    credit = np.zeros((len(chars), len(alphabet)), np.float64)
    for i, c in enumerate(chars):
        credit[i, index[c]] = 1.0
        for other, weight in CONFUSABLE.get(c, {}).items():
            if other not in allowed and other in index:
                credit[i, index[other]] += weight
    return chars, credit
