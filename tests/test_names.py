from __future__ import annotations

import difflib
import random
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from sinoperu.names import (
    ECHO_LIMIT,
    KIND_WORDS,
    SCAN_LIMIT,
    Suggester,
    echo,
    exact_key,
    loose_key,
    nearest,
    qualified,
)


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


# --- echo, kind words, did you mean ------------------------------------------------------


@given(st.text(max_size=500))
def test_echo_keeps_short_text_and_cuts_long_text(text: str) -> None:
    shown = echo(text)
    assert shown == text if len(text) <= ECHO_LIMIT else shown == text[:ECHO_LIMIT] + "…"


def test_kind_words_are_read_before_after_and_as_chinese_suffixes() -> None:
    assert qualified("región Cusco") == [("region", "cusco")]
    assert qualified("Cusco Region") == [("region", "cusco")]
    assert qualified("distrito de Chancay") == [("district", "chancay")]
    assert qualified("Guangxi Autonomous Region")[0] == ("autonomous region", "guangxi")
    assert qualified("广西壮族自治区") == [("autonomous region", "广西壮族")]  # 自治区 before 区
    assert qualified("香港特别行政区") == [("special administrative region", "香港")]
    assert qualified("Lima 市") == [("city", "lima")]
    assert qualified("Lima") == qualified("市") == qualified("de") == []


word_labels = [(word, label) for label, (_, words, _) in KIND_WORDS.items() for word in words]
suffix_labels = [(suffix, label) for label, (_, _, suffixes) in KIND_WORDS.items() for suffix in suffixes]


@given(st.sampled_from(word_labels), st.from_regex(r"[a-z][a-z ]{0,20}", fullmatch=True))
def test_a_kind_word_around_a_name_is_always_read(word_label: tuple[str, str], name: str) -> None:
    word, label = word_label
    base = exact_key(name)
    assert (label, base) in qualified(f"{name} {word}")
    assert (label, base) in qualified(f"{word} {name}") or (label, exact_key(f"de {name}")) in qualified(
        f"{word} {name}"
    )


@given(st.sampled_from(suffix_labels), st.text("利马库斯科福建钱凯", min_size=1, max_size=6))
def test_a_chinese_suffix_is_always_read(suffix_label: tuple[str, str], name: str) -> None:
    suffix, label = suffix_label
    # The longest suffix is read: 大区 is never taken for 区, nor 县级市 for 市.
    assert qualified(name + suffix)[0] == (label, name)


keys = st.text("abcdefghijklmnoáé利马", min_size=1, max_size=10).map(loose_key).filter(bool)


@given(st.lists(keys, max_size=60, unique=True), st.text("abcdefghijklmnoáé利马 ", max_size=12))
def test_small_sets_suggest_exactly_what_difflib_does(known: list[str], word: str) -> None:
    expected = difflib.get_close_matches(loose_key(word), known, n=3, cutoff=0.6)
    assert Suggester(known).suggest(word) == expected


def test_nearest_keeps_the_first_spelling_of_a_key() -> None:
    assert nearest("Chimbotte", ["Chimbote", "CHIMBOTE", "Chimbote City"]) == ["Chimbote", "Chimbote City"]
    assert nearest("", ["Lima"]) == []
    assert nearest("Lima", []) == []


def test_big_sets_find_a_typo_at_either_end() -> None:
    rng = random.Random(7)
    syllables = ["zhang", "zhou", "fu", "jian", "shan", "xi", "an", "qing", "dao", "san", "villa", "rio"]
    known = list(
        dict.fromkeys(f"{rng.choice(syllables)}{rng.choice(syllables)}{n}" for n in range(3 * SCAN_LIMIT))
    )
    suggester = Suggester(known)
    assert len(known) > SCAN_LIMIT  # the neighbours in sorted order are scored, not every key
    for target in rng.sample(known, 40):
        for typo in (target[:-1], "x" + target[1:], target[:2] + target[3:], target + "q"):
            assert target in suggester.suggest(typo, limit=5), (typo, target)


def test_no_suggestion_for_text_far_longer_than_any_name() -> None:
    assert Suggester(["lima", "cusco"]).suggest("lima" * 1000) == []
