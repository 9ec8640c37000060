from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from sinoperu.names import exact_key, loose_key, nearest


def test_case_spaces_and_punctuation_fold() -> None:
    assert exact_key("Xi'an") == exact_key("XIAN") == exact_key("xi an") == "xian"
    assert exact_key("Madre de Dios") == exact_key("madre-de-dios")


def test_exact_key_keeps_tones_and_loose_key_drops_them() -> None:
    assert exact_key("Shǎnxī") != exact_key("Shānxī")
    assert loose_key("Shǎnxī") == loose_key("Shānxī") == "shanxi"
    assert loose_key("Zhangzhóu") == loose_key("Zhangzhou")
    assert loose_key("Fujián") == "fujian"
    assert loose_key("Áncash") == loose_key("ANCASH")


def test_chinese_characters_are_kept() -> None:
    assert exact_key("利马") == "利马"
    assert exact_key("陕西") != exact_key("山西")


def test_composed_and_decomposed_spellings_meet() -> None:
    composed = "Junín"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert exact_key(composed) == exact_key(decomposed)


def test_nearest_suggests_close_names_only() -> None:
    assert nearest("Chimbotte", ["Chimbote", "Lima", "Zhangzhou"]) == ["Chimbote"]
    assert nearest("qqqqqq", ["Chimbote", "Lima"]) == []


@given(st.text())
def test_keys_are_idempotent_and_loose_is_coarser(text: str) -> None:
    assert exact_key(exact_key(text)) == exact_key(text)
    assert loose_key(loose_key(text)) == loose_key(text)
    assert loose_key(exact_key(text)) == loose_key(text)


@given(st.text(), st.sampled_from([str.upper, str.lower, str.title, lambda s: f"  {s} "]))
def test_case_and_padding_never_change_the_keys(text: str, variant: object) -> None:
    changed = variant(text)  # type: ignore[operator]
    # casefold is the normalization; a few letters (e.g. 'ß') upper-case to two letters.
    assert loose_key(changed.casefold()) == loose_key(changed)


@given(st.text())
def test_keys_keep_exactly_the_letters_and_digits(text: str) -> None:
    import unicodedata

    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    assert exact_key(text) == "".join(ch for ch in folded if ch.isalnum())
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    assert loose_key(text) == "".join(ch for ch in decomposed if ch.isalnum())
