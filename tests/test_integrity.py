"""Whole-collection checks: unique ids, references, countries, and no cycle among places."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinoperu import Dataset, DatasetError, Place, PlaceKind, Source
from sinoperu.integrity import check, check_no_cycles

SOURCE = Source(url="https://example.org", title="t", publisher="p", language="en")


def place(id: str, parent: str | None, kind: PlaceKind = PlaceKind.DISTRICT, country: str = "PE") -> Place:
    return Place(id=id, kind=kind, country=country, name=id.upper(), parent=parent, sources=(SOURCE,))


def with_parent(place: Place, parent: str) -> Place:
    """The place with another parent, even one the model itself would refuse (its own id)."""
    changed = attrs.evolve(place)
    object.__setattr__(changed, "parent", parent)
    return changed


def sections(bundled: Dataset, **changes: Any) -> dict[str, Any]:
    parts: dict[str, Any] = {
        "places": bundled.places,
        "twinnings": bundled.twinnings,
        "milestones": bundled.milestones,
        "exchanges": bundled.exchanges,
    }
    parts.update(changes)
    return parts


COUNTRY = place("pe", None, PlaceKind.COUNTRY)


# --- cycles -----------------------------------------------------------------------------


def test_a_place_that_is_its_own_parent_is_a_cycle_of_one() -> None:
    looped = with_parent(place("pe-a", "pe"), "pe-a")
    with pytest.raises(DatasetError, match=r"cycle: pe-a -> pe-a") as caught:
        check((COUNTRY, looped), (), (), ())
    assert (caught.value.record, caught.value.field) == ("'pe-a'", "parent")


def test_two_places_that_are_each_others_parent() -> None:
    with pytest.raises(DatasetError, match=r"cycle: pe-a -> pe-b -> pe-a"):
        check((COUNTRY, place("pe-a", "pe-b"), place("pe-b", "pe-a")), (), (), ())


def test_a_long_cycle_is_named_whole_and_nothing_else() -> None:
    size = 1000
    ring = [place(f"pe-{n}", f"pe-{(n + 1) % size}") for n in range(size)]
    tail = [place("pe-tail-0", "pe-tail-1"), place("pe-tail-1", "pe-0")]  # leads into the ring
    with pytest.raises(DatasetError, match="cycle") as caught:
        check((COUNTRY, *tail, *ring), (), (), ())
    named = caught.value.reason.removeprefix("places form a cycle: ").split(" -> ")
    assert named[0] == named[-1]
    assert sorted(named[:-1]) == sorted(p.id for p in ring)  # the ring, without the tail


def test_a_chain_of_a_hundred_thousand_places_loads() -> None:
    size = 100_000
    chain = [place("pe-0", "pe", PlaceKind.REGION)] + [
        place(f"pe-{n}", f"pe-{n - 1}") for n in range(1, size)
    ]
    dataset = Dataset(places=[COUNTRY, *reversed(chain)])
    assert len(dataset.places) == size + 1
    deepest = dataset.place(f"pe-{size - 1}")
    assert dataset.division(deepest) == dataset.place("pe-0")
    assert len(dataset.by_province("pe-0")) == 0


def test_the_same_chain_closed_into_a_ring_is_refused() -> None:
    size = 100_000
    ring = [place(f"pe-{n}", f"pe-{(n + 1) % size}") for n in range(size)]
    with pytest.raises(DatasetError, match="cycle"):
        Dataset(places=[COUNTRY, *ring])


@st.composite
def forests(draw: st.DrawFn) -> list[Place]:
    """Places whose parents come before them: never a cycle."""
    size = draw(st.integers(1, 40))
    places = [COUNTRY]
    for n in range(size):
        parent = draw(st.sampled_from([p.id for p in places]))
        places.append(place(f"pe-{n}", parent))
    return places


@given(forests())
def test_a_forest_passes(places: list[Place]) -> None:
    by_id = check(places, (), (), ())
    assert set(by_id) == {p.id for p in places}


@given(forests(), st.data())
def test_any_back_edge_is_found_and_the_cycle_named_is_real(places: list[Place], data: st.DataObject) -> None:
    below = data.draw(st.sampled_from(places[1:]))
    parents = {p.id: p.parent for p in places}
    ancestors = [below.id]
    while parents[ancestors[-1]] not in (None, "pe"):
        ancestors.append(parents[ancestors[-1]])  # type: ignore[arg-type]
    top = data.draw(st.sampled_from(ancestors))
    looped = [with_parent(p, below.id) if p.id == top else p for p in places]
    with pytest.raises(DatasetError, match="cycle") as caught:
        check_no_cycles(looped, {p.id: p for p in looped})
    named = caught.value.reason.removeprefix("places form a cycle: ").split(" -> ")
    new_parents = {p.id: p.parent for p in looped}
    assert named[0] == named[-1]
    assert all(new_parents[child] == parent for child, parent in pairwise(named))


# --- ids, references, countries ----------------------------------------------------------


def test_the_same_record_twice_is_a_duplicate(bundled: Dataset) -> None:
    twinnings = (*bundled.twinnings, bundled.twinnings[0])
    with pytest.raises(DatasetError, match="duplicate id") as caught:
        check(**sections(bundled, twinnings=twinnings))
    assert caught.value.field == "id"
    assert "in twinnings" in str(caught.value.record)


def test_an_id_shared_by_a_place_and_a_record_is_a_duplicate(bundled: Dataset) -> None:
    clash = attrs.evolve(bundled.milestones[0], id="pe-lma")
    with pytest.raises(DatasetError, match=r"duplicate id \(a place has it too\)"):
        check(**sections(bundled, milestones=(clash, *bundled.milestones[1:])))


@pytest.mark.parametrize(
    ("section", "field", "value", "message"),
    [
        ("twinnings", "peruvian_party", "pe-nowhere", "'pe-nowhere' is not a place"),
        ("twinnings", "chinese_party", "cn-nowhere", "'cn-nowhere' is not a place"),
        ("exchanges", "twinning", "tw-nowhere", "'tw-nowhere' is not a twinning"),
        ("exchanges", "origin", "cn-nowhere", "'cn-nowhere' is not a place"),
        ("exchanges", "destination", "pe-nowhere", "'pe-nowhere' is not a place"),
        ("places", "parent", "pe-nowhere", "'pe-nowhere' is not a place"),
    ],
)
def test_every_reference_must_resolve(
    bundled: Dataset, section: str, field: str, value: str, message: str
) -> None:
    records = getattr(bundled, section)
    index = next(n for n, r in enumerate(records) if getattr(r, field, None))
    broken = attrs.evolve(records[index], **{field: value})
    changed = (*records[:index], broken, *records[index + 1 :])
    with pytest.raises(DatasetError, match=message) as caught:
        check(**sections(bundled, **{section: changed}))
    assert (caught.value.record, caught.value.field) == (repr(broken.id), field)


def test_a_milestone_place_must_resolve_and_its_position_is_named(bundled: Dataset) -> None:
    index = next(n for n, m in enumerate(bundled.milestones) if m.places)
    milestone = bundled.milestones[index]
    broken = attrs.evolve(milestone, places=(*milestone.places, "pe-nowhere"))
    changed = (*bundled.milestones[:index], broken, *bundled.milestones[index + 1 :])
    with pytest.raises(DatasetError, match="not a place") as caught:
        check(**sections(bundled, milestones=changed))
    assert caught.value.field == f"places[{len(milestone.places)}]"


def test_a_place_lies_in_the_country_of_its_parent() -> None:
    china = place("cn", None, PlaceKind.COUNTRY, "CN")
    with pytest.raises(DatasetError, match="lies in country PE but its parent is 'cn'") as caught:
        check((china, place("pe-a", "cn")), (), (), ())
    assert caught.value.field == "parent"


def test_twinning_parties_are_in_their_countries(bundled: Dataset) -> None:
    twinning = bundled.twinnings[0]
    for field, other in (
        ("peruvian_party", twinning.chinese_party),
        ("chinese_party", twinning.peruvian_party),
    ):
        change: dict[str, Any] = {field: other}
        swapped = attrs.evolve(twinning, **change)
        with pytest.raises(DatasetError, match="is in") as caught:
            check(**sections(bundled, twinnings=(swapped, *bundled.twinnings[1:])))
        assert caught.value.field == field


def test_the_bundled_data_passes(bundled: Dataset) -> None:
    by_id = check(**sections(bundled))
    assert len(by_id) == len(bundled.places) + len(bundled)
