"""Reading what a user types as a place: ids, codes, names, names with a kind, and hostile input."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinoperu import AmbiguousPlaceError, Dataset, Place, PlaceKind, Source, UnknownPlaceError
from sinoperu import strategies as sps
from sinoperu.cli import main
from sinoperu.names import ECHO_LIMIT, KIND_WORDS, exact_key
from sinoperu.resolve import MAX_RESOLVED, Resolution, Resolver

SOURCE = Source(url="https://example.org", title="t", publisher="p", language="en")


# --- names that say their kind ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English
        ("Cusco region", "pe-cus"),
        ("Cusco city", "pe-cus-cusco"),
        ("Lima city", "pe-lma"),
        ("Lima province", "pe-lma"),  # through the alias "Provincia de Lima"
        ("Lima region", "pe-lim"),
        ("Arequipa region", "pe-are"),
        ("Arequipa city", "pe-are-arequipa"),
        ("Callao city", "pe-cal-callao"),
        ("Chancay district", "pe-lim-chancay"),
        ("Machu Picchu district", "pe-cus-machupicchu"),
        ("Fujian province", "cn-fj"),
        ("Beijing city", "cn-bj"),
        ("Zhengzhou city", "cn-ha-zhengzhou"),
        ("Zhongmu county", "cn-ha-zhengzhou-zhongmu"),
        ("city of Lima", "pe-lma"),
        # Spanish, with or without accents and "de"/"del"
        ("región Cusco", "pe-cus"),
        ("Región Cusco", "pe-cus"),
        ("REGION CUSCO", "pe-cus"),
        ("ciudad del Cusco", "pe-cus-cusco"),
        ("ciudad de Lima", "pe-lma"),
        ("provincia de Lima", "pe-lma"),
        ("departamento de Lima", "pe-lim"),
        ("región Lima", "pe-lim"),
        ("distrito de Chancay", "pe-lim-chancay"),
        ("provincia de Fujian", "cn-fj"),
        ("ciudad de Arequipa", "pe-are-arequipa"),
        # Chinese suffixes and pinyin words
        ("库斯科大区", "pe-cus"),
        ("库斯科市", "pe-cus-cusco"),
        ("利马市", "pe-lma"),
        ("利马大区", "pe-lim"),
        ("福建省", "cn-fj"),
        ("钱凯区", "pe-lim-chancay"),
        ("郑州市", "cn-ha-zhengzhou"),
        ("北京市", "cn-bj"),
        ("Fujian Sheng", "cn-fj"),
        ("Zhongmu Xian", "cn-ha-zhengzhou-zhongmu"),
    ],
)
def test_a_kind_word_picks_the_place_of_that_kind(bundled: Dataset, text: str, expected: str) -> None:
    reading = bundled.resolve(text)  # no preference: the kind word alone decides
    assert reading.place.id == expected
    assert bundled.place(text, prefer="city").id == bundled.place(text, prefer="division").id == expected


def test_a_bare_shared_name_stays_ambiguous_without_a_preference(bundled: Dataset) -> None:
    with pytest.raises(AmbiguousPlaceError) as caught:
        bundled.place("Cusco")
    assert set(caught.value.candidates) == {"pe-cus", "pe-cus-cusco"}


@pytest.mark.parametrize(("text", "ids"), [("Lima county", {"pe-lma", "pe-lim"}), ("Fujian city", {"cn-fj"})])
def test_a_kind_no_place_of_that_name_has_suggests_the_ids(
    bundled: Dataset, text: str, ids: set[str]
) -> None:
    with pytest.raises(UnknownPlaceError) as caught:
        bundled.place(text)
    assert set(caught.value.suggestions) == ids
    assert text in str(caught.value)


def test_every_bundled_place_with_its_own_kind_word_resolves_to_itself(bundled: Dataset) -> None:
    tried = 0
    for place in bundled.places:
        for label, (kinds, words, _) in KIND_WORDS.items():
            if place.kind not in kinds:
                continue
            for text in (f"{place.name} {words[0]}", f"{words[1 % len(words)]} {place.name}"):
                tried += 1
                found = attempt(bundled, text)
                if isinstance(found, AmbiguousPlaceError):  # two places of one kind and name
                    assert place.id in found.candidates, (text, label)
                else:
                    assert found.id == place.id, (text, label)
    assert tried > 100


def attempt(dataset: Dataset, text: str) -> Place | LookupError:
    try:
        return dataset.place(text)
    except LookupError as error:
        return error


@given(sps.datasets(), st.data())
def test_a_kind_word_never_picks_a_place_of_another_kind(dataset: Dataset, data: st.DataObject) -> None:
    place = data.draw(st.sampled_from(dataset.places))
    label = data.draw(
        st.sampled_from([label for label, (kinds, _, _) in KIND_WORDS.items() if place.kind in kinds])
    )
    word = data.draw(st.sampled_from(KIND_WORDS[label][1]))
    name = data.draw(st.sampled_from(place.names))
    text = data.draw(st.sampled_from([f"{name} {word}", f"{word} {name}", f"{word} de {name}"]))
    found = attempt(dataset, text)
    if isinstance(found, AmbiguousPlaceError):
        assert place.id in found.candidates or any(
            dataset.place(c).kind in KIND_WORDS[label][0] for c in found.candidates
        )
    elif isinstance(found, UnknownPlaceError):
        assert not exact_key(name)  # only a name of punctuation alone has nothing left to look up
    else:
        # Either a place of that kind, or a place one of whose own spellings is the whole text.
        assert isinstance(found, Place)
        assert found.kind in KIND_WORDS[label][0] or any(exact_key(n) == exact_key(text) for n in found.names)


# --- codes --------------------------------------------------------------------------------


def test_iso_codes_name_their_places_in_any_case(bundled: Dataset) -> None:
    coded = [p for p in bundled.places if p.iso_code]
    assert len(coded) > 40
    for place in coded:
        assert bundled.place(place.iso_code) is place  # type: ignore[arg-type]
        assert bundled.place(f" {place.iso_code.lower()} ") is place  # type: ignore[union-attr]
    assert bundled.by_province("CN-FJ") == bundled.by_province("Fujian")
    assert bundled.query(city="PE-LMA") == bundled.by_city("pe-lma")


CODE_NAMES = ("ubigeo", "gb2260", "wikidata")
if all(name in attrs.fields_dict(Place) for name in CODE_NAMES):
    CodedPlace: Any = Place
else:  # the codes a place may carry, on a model that does not have them yet

    @attrs.frozen(kw_only=True)
    class CodedPlace(Place):  # type: ignore[no-redef]
        ubigeo: str | None = None
        gb2260: str | None = None
        wikidata: str | None = None


def coded_dataset() -> Dataset:
    def make(id: str, kind: PlaceKind, country: str, parent: str | None, **codes: str) -> Any:
        return CodedPlace(
            id=id, kind=kind, country=country, name=id.title(), parent=parent, sources=(SOURCE,), **codes
        )

    return Dataset(
        places=[
            make("pe", PlaceKind.COUNTRY, "PE", None, wikidata="Q419"),
            make("cn", PlaceKind.COUNTRY, "CN", None, wikidata="Q148"),
            make("pe-lal", PlaceKind.REGION, "PE", "pe", ubigeo="13"),
            make("pe-lal-trujillo", PlaceKind.DISTRICT, "PE", "pe-lal", ubigeo="130101", wikidata="Q5582"),
            make("cn-fj", PlaceKind.PROVINCE, "CN", "cn", gb2260="350000", wikidata="Q41705"),
            make("cn-fj-xm", PlaceKind.PREFECTURE_CITY, "CN", "cn-fj", gb2260="350200"),
            make("pe-x", PlaceKind.REGION, "PE", "pe", ubigeo="990000"),
            make("cn-x", PlaceKind.PROVINCE, "CN", "cn", gb2260="990000"),
        ]
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("130101", "pe-lal-trujillo"),
        ("13", "pe-lal"),
        ("350000", "cn-fj"),
        ("350200", "cn-fj-xm"),
        ("Q5582", "pe-lal-trujillo"),
        ("q41705", "cn-fj"),
        (" Q419 ", "pe"),
    ],
)
def test_ubigeo_gb2260_and_wikidata_codes_name_their_places(code: str, expected: str) -> None:
    assert coded_dataset().place(code).id == expected


def test_a_code_two_places_share_is_ambiguous() -> None:
    with pytest.raises(AmbiguousPlaceError) as caught:
        coded_dataset().place("990000")
    assert set(caught.value.candidates) == {"pe-x", "cn-x"}


def test_an_unknown_code_is_an_unknown_place() -> None:
    with pytest.raises(UnknownPlaceError):
        coded_dataset().place("Q1")


# --- the choice made, shown ---------------------------------------------------------------


def test_a_choice_by_preference_names_the_others(bundled: Dataset) -> None:
    lima = bundled.resolve("Lima", prefer="city")
    assert (lima.place.id, [p.id for p in lima.alternatives]) == ("pe-lma", ["pe-lim"])
    assert lima.note == "'Lima' read as the city pe-lma; the region is pe-lim"
    cusco = bundled.resolve("Cusco", prefer="division")
    assert cusco.note == "'Cusco' read as the region pe-cus; the city is pe-cus-cusco"
    assert bundled.resolve("Chimbote").note is None
    assert bundled.resolve("pe-lim").note is None  # an id is never a guess
    assert bundled.resolve(bundled.place("Lima")) == Resolution("pe-lma", bundled.place("Lima"))


def test_the_command_line_says_which_place_a_shared_name_meant(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--city", "Lima"]) == 0
    err = capsys.readouterr().err
    assert err == "sinoperu: note: 'Lima' read as the city pe-lma; the region is pe-lim\n"
    assert main(["query", "--province", "Cusco", "--level", "micro"]) == 0
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["query", "--city", "Zhangzhou"]) == 0
    assert capsys.readouterr().err == ""


# --- hostile input ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [10_000, 1_000_000])
def test_a_huge_unknown_name_is_echoed_short(bundled: Dataset, size: int) -> None:
    with pytest.raises(UnknownPlaceError) as caught:
        bundled.place("q" * size)
    assert len(caught.value.name) == ECHO_LIMIT + 1
    assert caught.value.name.endswith("…")
    assert len(str(caught.value)) < ECHO_LIMIT + 100
    assert caught.value.suggestions == ()


def test_a_huge_ambiguous_name_is_echoed_short(bundled: Dataset) -> None:
    with pytest.raises(AmbiguousPlaceError) as caught:
        bundled.place(" " * 100_000 + "Cusco")
    assert len(caught.value.name) == ECHO_LIMIT + 1
    assert len(str(caught.value)) < ECHO_LIMIT + 200


def test_a_huge_name_that_resolves_is_not_kept(bundled: Dataset) -> None:
    resolver = Resolver(bundled.places, {p.id: p for p in bundled.places})
    padded = " " * 100_000 + "Chimbote"
    assert resolver.resolve(padded).place.id == "pe-anc-chimbote"
    assert len(resolver._resolved) == 0
    assert len(resolver.resolve(padded).name) == ECHO_LIMIT + 1


def test_the_names_kept_are_bounded(bundled: Dataset) -> None:
    resolver = Resolver(bundled.places, {p.id: p for p in bundled.places})
    for spaces in range(MAX_RESOLVED + 500):
        resolver.resolve(" " * (spaces % 900) + "Lima" + "-" * (spaces // 900))
    assert len(resolver._resolved) <= MAX_RESOLVED


@pytest.mark.parametrize(
    "call",
    [
        lambda ds: ds.place("x", prefer="y" * 100_000),
        lambda ds: ds.query(level="m" * 100_000),
        lambda ds: ds.query(kind="k" * 100_000),
        lambda ds: ds.query(evidence="e" * 100_000),
        lambda ds: ds.query(status="s" * 100_000),
        lambda ds: ds.query(type="t" * 100_000),
        lambda ds: ds.lookup("i" * 100_000),
        lambda ds: ds.exchanges_of("i" * 100_000),
    ],
)
def test_every_error_echoes_a_bounded_part_of_the_input(bundled: Dataset, call: Any) -> None:
    with pytest.raises((ValueError, LookupError)) as caught:
        call(bundled)
    assert len(str(caught.value)) < 1000


@pytest.mark.parametrize("prefer", [["city"], 1, b"city", "town"])
def test_a_preference_that_is_not_one_of_the_three_is_a_value_error(bundled: Dataset, prefer: Any) -> None:
    with pytest.raises(ValueError, match="prefer must be 'city', 'division' or None"):
        bundled.place("Lima", prefer=prefer)


@pytest.mark.parametrize("name", [5, None, b"Lima", ["Lima"], 3.5, ("Lima",)])
def test_a_name_that_is_not_text_is_a_type_error(bundled: Dataset, name: Any) -> None:
    with pytest.raises(TypeError, match="place name is text"):
        bundled.place(name)
    if name is not None:  # None is no filter at all
        with pytest.raises(TypeError, match="place name is text"):
            bundled.query(city=name)


def test_a_place_from_another_dataset_is_unknown(bundled: Dataset) -> None:
    stranger = attrs.evolve(bundled.place("Lima"), name="Elsewhere")
    with pytest.raises(UnknownPlaceError):
        bundled.resolve(stranger)


@pytest.mark.parametrize("text", ["", "   ", "--", "省", "region", "de"])
def test_empty_or_kind_only_text_is_unknown(bundled: Dataset, text: str) -> None:
    with pytest.raises(UnknownPlaceError):
        bundled.place(text)


def _cities(count: int) -> list[Place]:
    source = Source(url="https://example.org", title="t", publisher="p", language="en")
    return [
        Place(id=f"pe-c{n}", kind=PlaceKind.CITY, country="PE", name=f"Villa Rica {n}", sources=(source,))
        for n in range(count)
    ]


def test_a_big_dataset_makes_its_suggester_with_its_name_tables() -> None:
    from sinoperu.names import SCAN_LIMIT

    small = Resolver(_cities(10), {})
    assert small._suggester is None  # a small dataset scans every key on a miss: nothing to prepare
    places = _cities(SCAN_LIMIT + 1)
    big = Resolver(places, {p.id: p for p in places})
    assert big._suggester is not None  # so the first misspelt name pays for no sorting
    with pytest.raises(UnknownPlaceError) as caught:
        big.resolve("Vila Rica 20000")
    assert "Villa Rica 20000" in caught.value.suggestions
    assert big.suggester() is big._suggester
