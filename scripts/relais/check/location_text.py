"""Find what reveals where a place is in free text (fr, en, ar): streets, postcodes, coordinates, map links, buildings.

A documented, tested pattern set, not an address parser: it is used on confidential entries only, where a false
alarm costs an editor a rewording and a miss can cost a survivor her safety, so it errs on the side of alarm.
Every pattern is a plain alternation of literals with bounded repeats: matching is linear in the text's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# An Arabic word stands alone: no Arabic letter just before it, once its attached particles (و ب ل ال) are allowed.
_AR_START = r"(?<![\u0621-\u064a])(?:و|ب|ل|ف)?(?:ال)?"
_AR_END = r"(?![\u0621-\u064a])"


def _arabic(*words: str) -> str:
    return _AR_START + "(?:" + "|".join(words) + ")" + _AR_END


_DE = r"(?:de|du|des|d')"


def _latin(*words: str) -> str:
    return r"(?<![\w])(?:" + "|".join(words) + r")(?![\w])"


@dataclass(frozen=True)
class LocationKind:
    """One kind of location clue; `label` names it in messages (never the matched text: logs are public)."""

    id: str
    label: str
    pattern: re.Pattern[str]


KINDS: tuple[LocationKind, ...] = (
    LocationKind(
        "map-link",
        "a map link or a geographic code",
        re.compile(
            r"(?:maps\.google|google\.[a-z.]{2,10}/maps|goo\.gl/maps|maps\.app\.goo\.gl|openstreetmap\.org|osm\.org|"
            r"waze\.com|what3words|w3w\.co|maps\.apple|bing\.com/maps|wego\.here\.com|\bgeo:|/{3}[a-z]{2,20}\.[a-z]{2,20}\."
            r"|(?<![\w+])[23456789CFGHJMPQRVWX]{4,8}\+[23456789CFGHJMPQRVWX]{2,3}(?![\w+]))",
            re.IGNORECASE,
        ),
    ),
    LocationKind(
        "coordinates",
        "GPS coordinates",
        re.compile(
            r"(?<![\d.,])-?\d{1,3}[.,]\d{4,12}(?![\d])|\d{1,3} ?°|"
            + _latin("gps", "latitude", "longitude", "coordinates")
            + "|"
            + _arabic("إحداثيات", "خط العرض", "خط الطول"),
            re.IGNORECASE,
        ),
    ),
    LocationKind(
        "postcode",
        "a postcode or post-office box",
        re.compile(
            r"(?<![\d\w+.,:/-])\d{5}(?![\d\w.,:/-])|"
            + _latin(r"b\.?p\.? ?\d{1,6}", "code postal", "postcode", "post code", "zip code", r"p\.? ?o\.? box")
            + "|"
            + _arabic("الرمز البريدي", "صندوق البريد", "ص\\.ب"),
            re.IGNORECASE,
        ),
    ),
    LocationKind(
        "street",
        "a street, road or neighbourhood",
        re.compile(
            _latin(
                "rue",
                "ruelle",
                "avenue",
                r"av\.",
                "ave",
                "boulevard",
                r"bd\.?",
                "blvd",
                "impasse",
                "allée",
                "chemin",
                "route de",
                "route du",
                "quai",
                "lotissement",
                "quartier",
                "derb",
                "douar",
                "hay",
                "street",
                r"st\.",
                "road",
                "rd",
                "lane",
                "neighbourhood",
                "neighborhood",
                r"km ?\d{1,4}",
                r"n° ?\d{1,6}",
                r"no\. ?\d{1,6}",
            )
            + "|"
            + _arabic("شارع", "زنقة", "درب", "حي", "ساحة", "زقاق", "دوار", "تجزئة")
            # "عن طريق" is "by means of": only the road is a clue.
            + r"|(?<!عن )(?<![\u0621-\u064a])(?:ال)?طريق(?![\u0621-\u064a])",
            re.IGNORECASE,
        ),
    ),
    LocationKind(
        "building",
        "a building, floor or landmark",
        re.compile(
            _latin(
                "immeuble",
                "bâtiment",
                # A "titre de résidence" is a residence permit, not a building.
                r"(?<!de )(?<!d')résidence",
                "étage",
                "appartement",
                "appt",
                "villa",
                "derrière",
                "en face " + _DE,
                "à côté " + _DE,
                r"près (?:de|du|des|d')(?! ?\d)",
                "à proximité " + _DE,
                "au coin " + _DE,
                "building",
                "floor",
                "apartment",
                "flat",
                "behind",
                "opposite",
                "next to",
                "across from",
                "near the",
                "corner of",
            )
            + "|"
            + _arabic("عمارة", "بناية", "مبنى", "الطابق", "طابق", "شقة", "خلف", "بجانب", "بالقرب من", "قرب"),
            re.IGNORECASE,
        ),
    ),
)
KINDS_BY_ID = {kind.id: kind for kind in KINDS}


@dataclass(frozen=True)
class LocationClue:
    kind: LocationKind
    start: int  # offset of the clue in the text, for a column


def location_clues(text: str) -> list[LocationClue]:
    """Every kind of location clue found in `text`, at its first place, in text order."""
    found = []
    for kind in KINDS:
        match = kind.pattern.search(text)
        if match:
            found.append(LocationClue(kind, match.start()))
    return sorted(found, key=lambda clue: clue.start)
