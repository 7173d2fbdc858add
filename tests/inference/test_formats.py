"""Format-aware decoding on hand-made probability tables: no model, no I/O."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from gtvision.inference.formats import decode, decode_free, formats_for
from gtvision.inference.reader import FAMILY_PRIORS

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_"


def table(*slots: dict[str, float]) -> npt.NDArray[np.float32]:
    """One row per slot; unspecified characters share what is left."""
    out = np.zeros((len(slots), len(ALPHABET)), np.float32)
    for i, probs in enumerate(slots):
        rest = (1.0 - sum(probs.values())) / (len(ALPHABET) - len(probs))
        out[i] = rest
        for char, p in probs.items():
            out[i, ALPHABET.index(char)] = p
    return out


def certain(text: str) -> list[dict[str, float]]:
    return [{c: 0.97} for c in text]


BR = formats_for(["br"])


def test_a_clean_old_plate_decodes_as_antigo() -> None:
    result = decode(table(*certain("ABC1234")), ALPHABET, "_", BR, two_row=False)
    assert (result.text, result.format) == ("ABC1234", "br/antigo")
    assert len(result.char_confidences) == 7
    assert result.confidence == pytest.approx(min(result.char_confidences))


def test_a_mercosur_plate_decodes_as_mercosul() -> None:
    result = decode(table(*certain("BRA2E19")), ALPHABET, "_", BR, two_row=False)
    assert (result.text, result.format) == ("BRA2E19", "br/mercosul")


def test_a_zero_in_a_letter_slot_becomes_o_and_an_o_in_a_digit_slot_becomes_zero() -> None:
    slots = certain("OKL0817")
    slots[0] = {"0": 0.6, "D": 0.3}  # the model saw a round glyph and hesitated
    slots[3] = {"O": 0.7, "0": 0.2}
    result = decode(table(*slots), ALPHABET, "_", BR, two_row=False)
    assert result.text == "DKL0817" or result.text == "OKL0817"
    assert result.text[3] == "0"
    # O collects the 0's evidence (0.6) and so beats D (0.3)
    assert result.text == "OKL0817"
    # ... as its confidence; what the model itself saw of an O stays what it was.
    assert result.char_confidences[0] == pytest.approx(0.6 + result.seen[0])
    assert result.seen[0] < 0.01


@pytest.mark.parametrize(
    ("seen", "slot", "expected"),
    [("B", 4, "8"), ("S", 5, "5"), ("Z", 6, "2"), ("G", 4, "6"), ("I", 3, "1")],
)
def test_letters_in_digit_slots_of_an_old_plate_map_to_their_look_alikes(
    seen: str, slot: int, expected: str
) -> None:
    slots = certain("ABC1234")
    slots[slot] = {seen: 0.8}
    for other in range(4, 7):  # make the old format the only one that fits the other slots
        if other != slot:
            slots[other] = {"1234"[other - 3]: 0.97}
    old = formats_for(["br"])[1:2]
    result = decode(table(*slots), ALPHABET, "_", old)
    assert result.text[slot] == expected


def test_a_digit_seen_where_only_mercosur_has_a_letter_does_not_make_it_mercosur() -> None:
    result = decode(table(*certain("JIT7463")), ALPHABET, "_", BR, two_row=False)
    assert result.format == "br/antigo"
    assert result.text == "JIT7463"


def test_a_grey_plate_never_starts_past_the_r_series() -> None:
    """The national sequence had reached the Q and R blocks when grey plates ended: a U read
    first on one is its runner-up (here a J); a Mercosur plate may start with a U."""
    slots = certain("JPQ9870")
    slots[0] = {"U": 0.48, "J": 0.42}
    old = decode(table(*slots), ALPHABET, "_", BR, two_row=False, priors=FAMILY_PRIORS["antigo"])
    assert (old.text, old.format) == ("JPQ9870", "br/antigo")
    moto = decode(table(*slots), ALPHABET, "_", BR, two_row=True, priors=FAMILY_PRIORS["antigo"])
    assert (moto.text, moto.format) == ("JPQ9870", "br/moto-antigo")
    slots = certain("UPQ9E70")
    slots[0] = {"U": 0.48, "J": 0.42}
    new = decode(table(*slots), ALPHABET, "_", BR, two_row=False)
    assert (new.text, new.format) == ("UPQ9E70", "br/mercosul")
    # Uruguay's plates (LLLNNNN too) start with their department's letter, S for Montevideo.
    assert decode(table(*certain("SBA1234")), ALPHABET, "_", formats_for(["uy"])).text == "SBA1234"


def test_two_row_plates_get_the_motorcycle_format() -> None:
    result = decode(table(*certain("ABC1D23")), ALPHABET, "_", BR, two_row=True)
    assert result.format == "br/moto-mercosul"


def test_shorter_formats_need_padding_in_the_extra_slots() -> None:
    slots = [*certain("AB123CD"), {"_": 0.99}, {"_": 0.99}]
    result = decode(table(*slots), ALPHABET, "_", formats_for(["ar", "br"]))
    assert (result.text, result.format) == ("AB123CD", "ar/mercosur")


def test_free_decoding_drops_padding() -> None:
    slots = [*certain("KL0817"), {"_": 0.99}]
    assert decode_free(table(*slots), ALPHABET, "_").text == "KL0817"


def test_an_unknown_region_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match="unknown plate region 'xx'"):
        formats_for(["xx"])


def test_the_plates_colours_settle_a_bar_read_as_i_or_1() -> None:
    """`…9I91` (Mercosur) against `…9191` (grey): the glyph alone is even; a blue band is not."""
    slots = certain("ABC9I91")
    slots[4] = {"I": 0.5, "1": 0.45}
    plain = decode(table(*slots), ALPHABET, "_", BR, two_row=False)
    assert plain.text == "ABC9I91"  # the model's own slight lean
    slots[4] = {"I": 0.45, "1": 0.5}
    assert decode(table(*slots), ALPHABET, "_", BR, two_row=False).text == "ABC9191"
    banded = decode(
        table(*slots), ALPHABET, "_", BR, two_row=False, priors=FAMILY_PRIORS["mercosul"]
    )
    assert (banded.text, banded.format) == ("ABC9I91", "br/mercosul")
    # A clear reading is not overruled by the colour.
    clear = decode(table(*certain("ABC1234")), ALPHABET, "_", BR, priors=FAMILY_PRIORS["mercosul"])
    assert clear.text == "ABC1234"
    # An old plate seen in colour: a T read in the 5th slot is not enough for Mercosur.
    slots = certain("KLM1145")
    slots[4] = {"T": 0.6, "1": 0.3}
    assert decode(table(*slots), ALPHABET, "_", BR, two_row=False).text == "KLM1T45"
    old = decode(table(*slots), ALPHABET, "_", BR, two_row=False, priors=FAMILY_PRIORS["antigo"])
    assert (old.text, old.format) == ("KLM1145", "br/antigo")
