"""Synthetic but realistic dataset files in sinoperu's own format, reproducible from a seed.

Places carry names in three scripts (Spanish or toneless pinyin, Chinese characters, toned
pinyin); relations are 70% twinnings, 15% milestones and 15% exchanges; each cites one or
two sources drawn from a shared pool, as real records share pages.

    python benchmarks/generate.py 100000 out.json --seed 1
"""

from __future__ import annotations

import json
import random
import sys
from typing import Any

SYLLABLES = [
    "zhang",
    "zhou",
    "fu",
    "jian",
    "shan",
    "xi",
    "an",
    "qing",
    "dao",
    "cheng",
    "du",
    "hang",
    "nan",
    "jing",
]
TONED = {
    "zhang": "zhāng",
    "zhou": "zhōu",
    "fu": "fú",
    "jian": "jiàn",
    "shan": "shān",
    "xi": "xī",
    "an": "ān",
    "qing": "qīng",
    "dao": "dǎo",
    "cheng": "chéng",
    "du": "dū",
    "hang": "háng",
    "nan": "nán",
    "jing": "jīng",
}
HAN = {
    "zhang": "漳",
    "zhou": "州",
    "fu": "福",
    "jian": "建",
    "shan": "山",
    "xi": "西",
    "an": "安",
    "qing": "青",
    "dao": "岛",
    "cheng": "成",
    "du": "都",
    "hang": "杭",
    "nan": "南",
    "jing": "京",
}
SPANISH = [
    "San",
    "Santa",
    "Villa",
    "Puerto",
    "Alto",
    "Bajo",
    "Nuevo",
    "Río",
    "Cerro",
    "Valle",
    "Chimbote",
    "Ica",
    "Tambo",
    "Jaén",
    "Huaraz",
    "Andahuaylas",
    "Pisco",
    "Nazca",
    "Moyobamba",
    "Tarma",
]
TWINNING_KINDS = [
    "sister_city",
    "friendly_exchange",
    "memorandum",
    "letter_of_intent",
    "cooperation_agreement",
]
STATUSES = ["in_force", "draft", "intent", "ended", "unknown"]
AREAS = ["trade", "education", "culture", "tourism", "ports", "agriculture", "health", "science_technology"]
MILESTONE_KINDS = [
    "policy_paper",
    "ministerial_meeting",
    "state_visit",
    "memorandum",
    "trade_agreement",
    "other",
]
EXCHANGE_KINDS = ["donation", "scholarship", "delegation_visit", "event", "training"]
WORDS = [
    "the",
    "two",
    "cities",
    "agreed",
    "to",
    "cooperate",
    "on",
    "trade",
    "ports",
    "education",
    "culture",
    "and",
    "tourism",
    "while",
    "officials",
    "exchanged",
    "visits",
    "and",
    "signed",
    "documents",
    "recorded",
    "by",
    "local",
    "news",
    "and",
    "government",
    "pages",
]


def _date(rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < 0.05:
        return None
    year = rng.randint(1971, 2025)
    if roll < 0.3:
        return str(year)
    month = rng.randint(1, 12)
    if roll < 0.6:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _source(rng: random.Random, n: int) -> dict[str, Any]:
    return {
        "url": f"https://news{n % 97}.example.org/{n}/article-{rng.randint(0, 10**6)}.html",
        "title": _sentence(rng, 6),
        "publisher": f"Publisher {n % 211}",
        "language": rng.choice(["es", "zh", "en"]),
        "published": _date(rng),
    }


def generate(relations: int, seed: int = 1, cities: int | None = None) -> dict[str, Any]:
    """A dataset file's content with ``relations`` records (twinnings, milestones, exchanges).

    ``cities`` is the number of cities (one for ten relations unless given).
    """
    rng = random.Random(seed)
    places: list[dict[str, Any]] = []
    sources = [_source(rng, n) for n in range(max(10, relations // 2))]

    def cite() -> list[dict[str, Any]]:
        return rng.sample(sources, rng.choice((1, 1, 2)))

    places.append({"id": "pe", "kind": "country", "country": "PE", "name": "Perú", "sources": cite()})
    places.append(
        {
            "id": "cn",
            "kind": "country",
            "country": "CN",
            "name": "China",
            "name_zh": "中国",
            "pinyin": "Zhōngguó",
            "sources": cite(),
        }
    )
    divisions = {"PE": [f"pe-r{i}" for i in range(26)], "CN": [f"cn-p{i}" for i in range(34)]}
    for country, ids in divisions.items():
        for n, place_id in enumerate(ids):
            places.append(
                {
                    "id": place_id,
                    "kind": "region" if country == "PE" else "province",
                    "country": country,
                    "name": f"Division {n}",
                    "parent": country.lower(),
                    "sources": cite(),
                }
            )
    city_count = max(20, relations // 10) if cities is None else cities
    cities_of: dict[str, list[str]] = {"PE": [], "CN": []}
    for n in range(city_count):
        country = "PE" if n % 2 else "CN"
        parent = rng.choice(divisions[country])
        place_id = f"{parent}-c{n}"
        if country == "CN":
            a, b = rng.sample(SYLLABLES, 2)
            name, zh, pinyin = (
                f"{a}{b}{n}".capitalize(),
                f"{HAN[a]}{HAN[b]}{n}",
                f"{TONED[a]}{TONED[b]}{n}".capitalize(),
            )
        else:
            name, zh, pinyin = f"{rng.choice(SPANISH)} {rng.choice(SPANISH)} {n}", None, None
        place = {
            "id": place_id,
            "kind": "city",
            "country": country,
            "name": name,
            "name_zh": zh,
            "pinyin": pinyin,
            "aliases": [name.upper()] if n % 5 == 0 else [],
            "parent": parent,
            "sources": cite(),
        }
        if n % 3 == 0:
            place["coordinates"] = {
                "lat": round(rng.uniform(-18, -1), 4) if country == "PE" else round(rng.uniform(20, 50), 4),
                "lon": round(rng.uniform(-80, -70), 4) if country == "PE" else round(rng.uniform(80, 130), 4),
            }
        places.append(place)
        cities_of[country].append(place_id)
    twinnings, milestones, exchanges = [], [], []
    for n in range(relations):
        roll = n % 20
        if roll < 14 or not twinnings:
            twinnings.append(
                {
                    "id": f"tw-{n}",
                    "peruvian_party": rng.choice(cities_of["PE"]),
                    "chinese_party": rng.choice(cities_of["CN"]),
                    "kind": rng.choice(TWINNING_KINDS),
                    "status": rng.choice(STATUSES),
                    "evidence": rng.choice(["confirmed", "reported"]),
                    "date": _date(rng),
                    "areas": rng.sample(AREAS, rng.randint(0, 3)),
                    "summary": _sentence(rng, 18),
                    "notes": "" if n % 4 else _sentence(rng, 10),
                    "sources": cite(),
                }
            )
        elif roll < 17:
            milestones.append(
                {
                    "id": f"ms-{n}",
                    "level": rng.choice(["bloc", "meso"]),
                    "kind": rng.choice(MILESTONE_KINDS),
                    "date": _date(rng),
                    "title": _sentence(rng, 6),
                    "parties": ["China", "Peru"],
                    "venue": None,
                    "places": [rng.choice(cities_of["PE"])],
                    "summary": _sentence(rng, 16),
                    "sources": cite(),
                }
            )
        else:
            twinning = rng.choice(twinnings)
            exchanges.append(
                {
                    "id": f"ex-{n}",
                    "twinning": twinning["id"],
                    "kind": rng.choice(EXCHANGE_KINDS),
                    "evidence": rng.choice(["confirmed", "reported"]),
                    "date": _date(rng),
                    "origin": twinning["chinese_party"],
                    "destination": twinning["peruvian_party"],
                    "title": _sentence(rng, 6),
                    "summary": _sentence(rng, 14),
                    "sources": cite(),
                }
            )
    return {
        "format": "sinoperu-dataset",
        "format_version": 1,
        "version": f"synthetic-{relations}-{seed}",
        "as_of": "2026-11-28",
        "places": places,
        "twinnings": twinnings,
        "milestones": milestones,
        "exchanges": exchanges,
    }


def write(relations: int, path: str, seed: int = 1, cities: int | None = None) -> int:
    """Write a generated file (compact JSON); returns its size in bytes."""
    data = json.dumps(generate(relations, seed, cities), ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )
    with open(path, "wb") as stream:
        stream.write(data)
    return len(data)


if __name__ == "__main__":
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    print(write(int(sys.argv[1]), sys.argv[2], seed), "bytes")
