"""Integrity of the bundled dataset: the checks a reviewer of the data would make."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sinoperu
from sinoperu import Dataset, Evidence, Exchange, MilestoneKind, Place, PlaceKind, Source, Twinning
from sinoperu import strategies as sps
from sinoperu.enums import EVIDENCE_ALLOWED_BY, EVIDENCE_ORDER, SourceKind
from sinoperu.names import exact_key, loose_key

# Generous boxes around each country: a point outside is a typo (a lost minus sign, lat and
# lon swapped), not a border subtlety.
BOUNDS = {"PE": ((-18.5, 0.1), (-81.5, -68.5)), "CN": ((18.0, 53.6), (73.4, 135.1))}

# Shared names the docs explain (docs/data.md, "Shared names"): Metropolitan Lima and the
# Lima region both go by "Lima"; Shaanxi and Shanxi meet only when tone marks are dropped.
DOCUMENTED_SHARED = {frozenset({"pe-lma", "pe-lim"}), frozenset({"cn-sn", "cn-sx"})}


def test_every_first_level_division_is_there(bundled: Dataset) -> None:
    codes = {p.iso_code for p in bundled.places if p.iso_code}
    assert sum(code.startswith("PE-") for code in codes) == 26  # 25 regions and Lima Metropolitana
    assert sum(code.startswith("CN-") for code in codes) == 34
    for place in bundled.places:
        if place.iso_code:
            assert place.parent == place.country.lower()
            assert place.id == place.iso_code.lower()


def test_every_record_cites_an_http_source(bundled: Dataset) -> None:
    for item in (*bundled.places, *bundled.records):
        assert item.sources, item.id
        for source in item.sources:
            assert re.match(r"https?://", source.url), (item.id, source.url)
            assert source.title.strip()
            assert source.publisher.strip()


def test_no_date_is_in_the_future(bundled: Dataset) -> None:
    assert bundled.as_of is not None
    for record in bundled.records:
        for date in (record.date, getattr(record, "end_date", None)):
            # An interval or a hedged date may reach past as_of; none may lie wholly after it.
            assert date is None or not bundled.as_of.certainly_before(date), record.id
        for source in record.sources:
            assert source.published is None or source.published <= bundled.as_of, record.id


def test_coordinates_lie_in_the_place_country(bundled: Dataset) -> None:
    for place in bundled.places:
        if place.coordinates is None:
            continue
        (lat_min, lat_max), (lon_min, lon_max) = BOUNDS[place.country]
        assert lat_min <= place.coordinates.lat <= lat_max, place.id
        assert lon_min <= place.coordinates.lon <= lon_max, place.id


def test_chinese_places_have_characters_and_toned_pinyin(bundled: Dataset) -> None:
    for place in bundled.places:
        if place.country != "CN":
            continue
        assert place.name_zh, place.id
        assert re.search(r"[\u4e00-\u9fff]", place.name_zh), place.id
        assert place.pinyin, place.id
        assert not place.pinyin.isascii(), f"{place.id}: pinyin without tone marks"


def _ancestors(place: Place, by_id: dict[str, Place]) -> list[Place]:
    """The places above this one, nearest first, up to its country."""
    found = []
    while place.parent is not None:
        place = by_id[place.parent]
        found.append(place)
    return found


def test_places_hang_from_their_country(bundled: Dataset) -> None:
    by_id = {p.id: p for p in bundled.places}
    for place in bundled.places:
        if place.kind is PlaceKind.COUNTRY:
            assert place.parent is None
            continue
        assert place.parent is not None, place.id
        assert by_id[place.parent].country == place.country, place.id
        # A place's id extends the id of one of the divisions above it ("pe-lim-chancay" lies in
        # "pe-lim", through the province of Huaral); first-level divisions hang from the country.
        above = [a.id for a in _ancestors(place, by_id) if a.kind is not PlaceKind.COUNTRY]
        assert place.parent in ("pe", "cn") or any(place.id.startswith(a + "-") for a in above), place.id


def test_shared_names_are_a_city_and_its_division_or_documented(bundled: Dataset) -> None:
    by_id = {p.id: p for p in bundled.places}
    for key_function in (exact_key, loose_key):
        holders: defaultdict[str, set[str]] = defaultdict(set)
        for place in bundled.places:
            for name in place.names:
                holders[key_function(name)].add(place.id)
        for key, ids in holders.items():
            if len(ids) == 1 or frozenset(ids) in DOCUMENTED_SHARED:
                continue
            assert len(ids) == 2, (key, ids)
            child, parent = sorted(ids, key=lambda i: by_id[i].parent == "pe" or by_id[i].parent == "cn")
            assert by_id[child].parent == parent, (key, ids)
            assert by_id[child].kind in {PlaceKind.CITY, PlaceKind.PREFECTURE_CITY}, (key, ids)


@pytest.mark.parametrize("name", ["Lima", "Callao", "Cusco", "Arequipa", "库斯科", "Cuzco"])
def test_shared_names_resolve_for_both_functions(name: str) -> None:
    city = sinoperu.place(name, prefer="city")
    division = sinoperu.place(name, prefer="division")
    assert city.kind in {PlaceKind.CITY, PlaceKind.PREFECTURE_CITY}
    assert division.parent in ("pe", "cn")
    sinoperu.by_city(name)
    sinoperu.by_province(name)


def test_twinnings_are_graded_and_summarised(bundled: Dataset) -> None:
    for twinning in bundled.twinnings:
        assert len(twinning.summary) >= 40, twinning.id
        if twinning.evidence is sinoperu.Evidence.REPORTED:
            assert twinning.notes, f"{twinning.id}: a reported relation must say what is unconfirmed"


def test_exchanges_say_what_is_unconfirmed_in_their_notes(bundled: Dataset) -> None:
    for exchange in bundled.exchanges:
        assert len(exchange.summary) >= 40, exchange.id
        if exchange.evidence is not Evidence.CONFIRMED:
            assert exchange.notes, f"{exchange.id}: an unconfirmed exchange must say why in its notes"


def test_the_seed_relations_are_present(bundled: Dataset) -> None:
    for record_id in (
        "tw-lima-shanghai",
        "tw-chimbote-zhangzhou",
        "ms-2008-policy-paper-lac",
        "ms-2016-policy-paper-lac",
    ):
        assert bundled.get(record_id) is not None, record_id


def test_no_summary_repeats_another(bundled: Dataset) -> None:
    summaries = [r.summary for r in bundled.records if r.summary]
    assert len(summaries) == len(set(summaries))


# --- the evidence rule ----------------------------------------------------------------------


def allowed_grade(sources: tuple[Source, ...]) -> Evidence:
    """The highest grade these sources allow: that of the best source's kind (EVIDENCE_ALLOWED_BY);
    a source of any other kind, or of no kind, allows only ``reported``."""
    grades = [EVIDENCE_ALLOWED_BY.get(s.kind, Evidence.REPORTED) for s in sources if s.kind] or [
        Evidence.REPORTED
    ]
    return min(grades, key=EVIDENCE_ORDER.index)


def over_graded(records: tuple[Twinning | Exchange, ...]) -> list[str]:
    """Ids of the records graded above what their sources allow."""
    rank = EVIDENCE_ORDER.index
    return [r.id for r in records if rank(r.evidence) < rank(allowed_grade(r.sources))]


def test_no_record_is_graded_above_what_its_sources_allow(bundled: Dataset) -> None:
    assert over_graded((*bundled.twinnings, *bundled.exchanges)) == []


def test_the_evidence_rule_catches_an_over_graded_record(bundled: Dataset) -> None:
    # Chancay–Suzhou rests on state media alone: graded "confirmed", it breaks the rule.
    suzhou = bundled.lookup("tw-chancay-suzhou")
    assert isinstance(suzhou, Twinning)
    assert allowed_grade(suzhou.sources) is Evidence.OFFICIAL_MEDIA
    assert over_graded((attrs.evolve(suzhou, evidence=Evidence.CONFIRMED),)) == ["tw-chancay-suzhou"]
    reported = next(r for r in bundled.exchanges if allowed_grade(r.sources) is Evidence.REPORTED)
    assert over_graded((attrs.evolve(reported, evidence=Evidence.OFFICIAL_MEDIA),)) == [reported.id]


@given(sps.twinnings(["pe-x"], ["cn-x"]), st.lists(sps.sources(), max_size=3))
def test_the_allowed_grade_is_the_best_sources_and_more_sources_never_lower_it(
    twinning: Twinning, more: list[Source]
) -> None:
    allowed = allowed_grade(twinning.sources)
    kinds = {s.kind for s in twinning.sources}
    assert (allowed is Evidence.CONFIRMED) == bool(
        kinds & {SourceKind.PARTY_GOVERNMENT, SourceKind.NATIONAL_GOVERNMENT}
    )
    assert over_graded((attrs.evolve(twinning, evidence=allowed),)) == []
    stronger = EVIDENCE_ORDER[: EVIDENCE_ORDER.index(allowed)]
    for grade in stronger:
        assert over_graded((attrs.evolve(twinning, evidence=grade),)) == [twinning.id]
    widened = (*twinning.sources, *(s for s in more if s not in twinning.sources))
    assert EVIDENCE_ORDER.index(allowed_grade(widened)) <= EVIDENCE_ORDER.index(allowed)


def test_every_source_has_a_kind(bundled: Dataset) -> None:
    for item in (*bundled.places, *bundled.records, *bundled.totals):
        for source in item.sources:
            assert source.kind is not None, (item.id, source.url)


# --- keys to other data -----------------------------------------------------------------------

# Places no official code can be given to yet, each with the reason its notes spell out.
UNIDENTIFIED = {"pe-jun-tambo": "no district called plain Tambo in Junín"}


def test_peruvian_places_have_a_ubigeo_that_nests_in_their_parents(bundled: Dataset) -> None:
    by_id = {p.id: p for p in bundled.places}
    for place in bundled.places:
        if place.country != "PE" or place.kind is PlaceKind.COUNTRY:
            continue
        if place.id in UNIDENTIFIED:
            assert place.ubigeo is None, place.id
            assert "Tambo" in place.notes, place.id
            continue
        assert place.ubigeo, place.id
        parent = by_id[place.parent] if place.parent else None
        if parent is not None and parent.ubigeo:
            assert place.ubigeo.startswith(parent.ubigeo), place.id
            assert place.ubigeo != parent.ubigeo, place.id
        else:  # only a first-level division may sit under a parent without a code: its country
            assert parent is not None, place.id
            assert parent.kind is PlaceKind.COUNTRY, place.id


def test_chinese_places_have_a_gb2260_code_that_nests_in_their_parents(bundled: Dataset) -> None:
    by_id = {p.id: p for p in bundled.places}
    for place in bundled.places:
        if place.country != "CN" or place.kind is PlaceKind.COUNTRY:
            continue
        assert place.gb2260, place.id
        assert place.gb2260_year, place.id
        parent = by_id[place.parent] if place.parent else None
        if parent is not None and parent.gb2260:
            # 440000 Guangdong > 440700 Jiangmen > 440783 Kaiping: a level fills the next two digits.
            stem = re.sub(r"(00)+$", "", parent.gb2260)
            assert place.gb2260.startswith(stem), place.id
            assert place.gb2260 != parent.gb2260, place.id
    assert bundled.lookup("cn-tw").gb2260 == "710000"  # the code list carries Taiwan too


def test_by_province_finds_a_place_s_records_at_every_level_above_it(bundled: Dataset) -> None:
    by_id = {p.id: p for p in bundled.places}
    for place in bundled.places:
        own = set(map(id, bundled.by_city(place.id)))
        for ancestor in _ancestors(place, by_id):
            assert own <= set(map(id, bundled.by_province(ancestor.id))), (place.id, ancestor.id)
    chancay = bundled.lookup("ms-2024-chancay-port-inauguration")
    assert chancay in bundled.by_city("Chancay")  # the port opened for Chancay, not only for Lima
    assert chancay in bundled.by_province("Huaral")


# --- the bloc level: what the papers and plans say about sub-national governments ------------

# A section in parentheses is not a part of the text: its summary must say what could be read.
NOT_READ = re.compile(r"^(Only (a summary|summaries) could be read|No copy of the text was found)")


def test_every_policy_paper_and_action_plan_says_what_it_holds_for_local_governments(
    bundled: Dataset,
) -> None:
    texts = [
        m for m in bundled.milestones if m.kind in (MilestoneKind.POLICY_PAPER, MilestoneKind.ACTION_PLAN)
    ]
    assert len(texts) >= 9
    for milestone in texts:
        assert milestone.subnational, milestone.id
        for provision in milestone.subnational:
            if provision.section.startswith("("):
                assert NOT_READ.match(provision.summary), (milestone.id, provision.section)


# --- notes say what the sources say, not how the data was edited -----------------------------

EDITING_WORDS = re.compile(r"\b(round|helpers?|look-ups?|sessions?|the store|stored)\b", re.IGNORECASE)


def test_notes_do_not_tell_the_editing_history(bundled: Dataset) -> None:
    for item in (*bundled.places, *bundled.records, *bundled.totals):
        assert not EDITING_WORDS.search(item.notes), (item.id, EDITING_WORDS.search(item.notes))
        for source in item.sources:
            assert "stored" not in source.title.lower(), (item.id, source.title)
    assert EDITING_WORDS.search("ROUND 2 added a source")
    assert EDITING_WORDS.search("in the stored pages")
    assert not EDITING_WORDS.search("a business roundtable; the figures were rounded")


# --- the data page's generated counts ---------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def _datacounts() -> ModuleType:
    spec = importlib.util.spec_from_file_location("datacounts", ROOT / "scripts" / "datacounts.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_data_page_s_generated_pages_match_the_data(bundled: Dataset) -> None:
    datacounts = _datacounts()
    data_page = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for name, text in datacounts.pages(bundled).items():
        committed = (ROOT / "docs" / datacounts.PAGES[name]).read_text(encoding="utf-8")
        assert committed == text, "run: python scripts/regenerate.py"
        assert f"```{{include}} {datacounts.PAGES[name]}" in data_page, name


def test_the_generated_counts_are_the_data_s(bundled: Dataset) -> None:
    page = _datacounts().counts_page(bundled)
    twinnings = Counter(t.evidence.value for t in bundled.twinnings)
    exchanges = Counter(e.evidence.value for e in bundled.exchanges)
    for grade in Evidence:
        assert f"| `{grade.value}` | {twinnings[grade.value]} | {exchanges[grade.value]} |" in page
    pages = {s.url: s for item in (*bundled.places, *bundled.records, *bundled.totals) for s in item.sources}
    assert f"| distinct source pages | {len(pages)} |" in page
    state_media = sum(s.kind is SourceKind.STATE_MEDIA for s in pages.values())
    assert f"| `state_media` | {state_media} |" in page
    ubigeo = sum(p.ubigeo is not None for p in bundled.places)
    assert re.search(rf"^\| all \| \d+ \| \d+ \| \d+ \| {ubigeo} \|", page, re.MULTILINE)
