"""The closed vocabularies of the dataset: levels, kinds, statuses and evidence grades.

Each enum's value is the text written in dataset files, so ``Level("micro")`` parses a
file value and ``Level.MICRO.value`` writes it back.

>>> Level("micro") is Level.MICRO
True
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "CooperationArea",
    "CountQualifier",
    "Evidence",
    "ExchangeKind",
    "Level",
    "MilestoneKind",
    "PlaceKind",
    "SourceKind",
    "Status",
    "TotalScope",
    "TwinningKind",
]


class Level(StrEnum):
    """The three levels of China's diplomacy towards Latin America (Araya's framework)."""

    BLOC = "bloc"  # China and the region as a whole: China–CELAC Forum, policy papers
    MESO = "meso"  # state to state: China and Peru
    MICRO = "micro"  # sub-national governments: twinnings and their exchanges


class PlaceKind(StrEnum):
    """What kind of administrative unit a place is."""

    COUNTRY = "country"
    REGION = "region"  # Peru's departments / regional governments, Callao included
    PROVINCE = "province"  # a Chinese province, or a Peruvian provincia
    MUNICIPALITY = "municipality"  # China's directly administered municipalities
    AUTONOMOUS_REGION = "autonomous_region"
    SPECIAL_ADMINISTRATIVE_REGION = "special_administrative_region"
    PREFECTURE_CITY = "prefecture_city"  # 地级市
    CITY = "city"
    COUNTY_CITY = "county_city"  # 县级市
    COUNTY = "county"
    DISTRICT = "district"


#: Kinds that are towns or cities in everyday speech; ``by_city`` prefers them when a
#: name is shared by a city and the region around it.
CITY_KINDS = frozenset(
    {
        PlaceKind.MUNICIPALITY,
        PlaceKind.PREFECTURE_CITY,
        PlaceKind.CITY,
        PlaceKind.COUNTY_CITY,
        PlaceKind.COUNTY,
        PlaceKind.DISTRICT,
    }
)


class TwinningKind(StrEnum):
    """The legal form of a relation between two sub-national governments."""

    SISTER_CITY = "sister_city"  # 友好城市 / ciudad hermana: a formal twinning
    FRIENDLY_EXCHANGE = "friendly_exchange"  # 友好交流城市: a lighter, often preparatory tie
    MEMORANDUM = "memorandum"  # a memorandum of understanding on cooperation
    LETTER_OF_INTENT = "letter_of_intent"  # 意向书 / carta de intención
    COOPERATION_AGREEMENT = "cooperation_agreement"


class Status(StrEnum):
    """Where a twinning stands."""

    IN_FORCE = "in_force"
    DRAFT = "draft"
    INTENT = "intent"
    ENDED = "ended"
    UNKNOWN = "unknown"


class Evidence(StrEnum):
    """How well a relation or an exchange is attested, by the best kind of source that states it.

    ``confirmed``: a government page of either side (a party or a national government).
    ``official_media``: only state media. ``reported``: only other sources. See
    :data:`~sinoperu.enums.EVIDENCE_ALLOWED_BY` for the rule that ties a grade to the kinds of its sources.
    """

    CONFIRMED = "confirmed"
    OFFICIAL_MEDIA = "official_media"
    REPORTED = "reported"


class SourceKind(StrEnum):
    """Who published a source: what a reader weighs when judging an evidence grade."""

    PARTY_GOVERNMENT = "party_government"  # a government of a twinned party: municipal, regional, provincial
    NATIONAL_GOVERNMENT = "national_government"  # a foreign ministry, an embassy, a ministry, CPAFFC
    STATE_MEDIA = "state_media"  # Xinhua, People's Daily, China Daily, CGTN, Andina...
    INDEPENDENT_PRESS = "independent_press"
    ACADEMIC = "academic"
    ENCYCLOPEDIA = "encyclopedia"  # Wikipedia and other wikis, and their mirrors
    BLOG = "blog"  # blogs, essays, forums, commercial sites
    DATASET = "dataset"  # a published dataset or code list (UBIGEO, GB/T 2260)


#: The highest evidence grade a record may carry given the kinds of its sources.
EVIDENCE_ALLOWED_BY: dict[SourceKind, Evidence] = {
    SourceKind.PARTY_GOVERNMENT: Evidence.CONFIRMED,
    SourceKind.NATIONAL_GOVERNMENT: Evidence.CONFIRMED,
    SourceKind.STATE_MEDIA: Evidence.OFFICIAL_MEDIA,
}
#: Grades from the strongest to the weakest.
EVIDENCE_ORDER: tuple[Evidence, ...] = (Evidence.CONFIRMED, Evidence.OFFICIAL_MEDIA, Evidence.REPORTED)


class TotalScope(StrEnum):
    """What a national total counts: all of China's pairs, or those with Latin America."""

    WORLD = "world"
    LATIN_AMERICA_CARIBBEAN = "latin_america_caribbean"


class CountQualifier(StrEnum):
    """How a source states a count: exactly, as a floor ("more than"), or roughly."""

    EXACTLY = "exactly"
    MORE_THAN = "more_than"
    ABOUT = "about"


class CooperationArea(StrEnum):
    """A field of cooperation that a source names for a twinning."""

    PLANNING = "planning"
    CONSTRUCTION = "construction"
    URBAN_MANAGEMENT = "urban_management"
    ECONOMY = "economy"
    TRADE = "trade"
    INVESTMENT = "investment"
    SCIENCE_TECHNOLOGY = "science_technology"
    EDUCATION = "education"
    CULTURE = "culture"
    TOURISM = "tourism"
    SPORTS = "sports"
    HEALTH = "health"
    AGRICULTURE = "agriculture"
    FISHERIES = "fisheries"
    PORTS = "ports"
    ENVIRONMENT = "environment"
    YOUTH = "youth"
    INFRASTRUCTURE = "infrastructure"
    TRANSPORT = "transport"
    OTHER = "other"


class ExchangeKind(StrEnum):
    """Something done under a twinning."""

    DONATION = "donation"
    SCHOLARSHIP = "scholarship"
    DELEGATION_VISIT = "delegation_visit"
    EVENT = "event"
    TRAINING = "training"
    AGREEMENT = "agreement"
    OTHER = "other"


class MilestoneKind(StrEnum):
    """A bloc- or meso-level event."""

    POLICY_PAPER = "policy_paper"
    FORUM_FOUNDING = "forum_founding"
    MINISTERIAL_MEETING = "ministerial_meeting"
    ACTION_PLAN = "action_plan"
    DECLARATION = "declaration"
    SUB_FORUM = "sub_forum"
    SUMMIT = "summit"
    DIPLOMATIC_RELATIONS = "diplomatic_relations"
    PARTNERSHIP = "partnership"
    TRADE_AGREEMENT = "trade_agreement"
    MEMORANDUM = "memorandum"
    STATE_VISIT = "state_visit"
    OFFICIAL_VISIT = "official_visit"
    SPEECH = "speech"
    FRIENDSHIP_DAY = "friendship_day"
    DIALOGUE_MECHANISM = "dialogue_mechanism"
    OTHER = "other"


#: Every value a record's ``kind`` may take, across the three record types.
KIND_VALUES = frozenset(
    member.value for enum in (TwinningKind, ExchangeKind, MilestoneKind) for member in enum
)

#: Every enum of the format, for code that treats them alike (the converter's hooks).
ENUMS = (
    CooperationArea,
    CountQualifier,
    Evidence,
    ExchangeKind,
    Level,
    MilestoneKind,
    PlaceKind,
    SourceKind,
    Status,
    TotalScope,
    TwinningKind,
)
