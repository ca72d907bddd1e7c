"""Say OpenStreetMap opening hours in words, in French, English or Arabic.

Covers the rules editors write (`Mo-Fr 08:30-16:30; Sa 09:00-12:00`, `Tu,Th 14:00-17:00`, `24/7`, `Su off`,
`PH off`); anything else returns None and the page shows the original value.
"""

from __future__ import annotations

import re

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_NAMES = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
}
WORDS = {
    "fr": {
        "range": "du {a} au {b}",
        "and": " et ",
        "list": ", ",
        "times": "de {a} à {b}",
        "closed": "fermé",
        "always": "ouvert 24 h sur 24, 7 jours sur 7",
        "holidays": "jours fériés",
        "every_day": "tous les jours",
    },
    "en": {
        "range": "{a} to {b}",
        "and": " and ",
        "list": ", ",
        "times": "{a}–{b}",
        "closed": "closed",
        "always": "open 24 hours a day, 7 days a week",
        "holidays": "public holidays",
        "every_day": "every day",
    },
    "ar": {
        "range": "من {a} إلى {b}",
        "and": " و",
        "list": "، ",
        "times": "من {a} إلى {b}",
        "closed": "مغلق",
        "always": "مفتوح على مدار الساعة طوال أيام الأسبوع",
        "holidays": "أيام العطل الرسمية",
        "every_day": "كل يوم",
    },
}
_DAY_SPEC = re.compile(
    r"^(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?"
    r"(?:,(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?)*$"
)
_TIME_SPEC = re.compile(r"^\d{2}:\d{2}-\d{2}:\d{2}(?:,\d{2}:\d{2}-\d{2}:\d{2})*$")


def _day_part(spec: str, language: str) -> str:
    names, words = DAY_NAMES[language], WORDS[language]
    parts = []
    for item in spec.split(","):
        if item == "PH":
            parts.append(words["holidays"])
        elif "-" in item:
            first, last = item.split("-")
            parts.append(words["range"].format(a=names[DAYS.index(first)], b=names[DAYS.index(last)]))
        else:
            parts.append(names[DAYS.index(item)])
    return _join(parts, language)


def _join(parts: list[str], language: str) -> str:
    words = WORDS[language]
    if len(parts) <= 1:
        return "".join(parts)
    return words["list"].join(parts[:-1]) + words["and"] + parts[-1]


def _time_part(spec: str, language: str) -> str:
    ranges = [WORDS[language]["times"].format(a=a, b=b) for a, b in (r.split("-") for r in spec.split(","))]
    return _join(ranges, language)


def _rule_in_words(rule: str, language: str) -> str | None:
    words = WORDS[language]
    if rule == "24/7":
        return words["always"]
    tokens = rule.split()
    if len(tokens) == 1 and _TIME_SPEC.match(tokens[0]):
        return f"{words['every_day']} {_time_part(tokens[0], language)}"
    if len(tokens) != 2 or not _DAY_SPEC.match(tokens[0]):
        return None
    days, times = tokens
    if times in {"off", "closed"}:
        colon = " :" if language == "fr" else ":"  # French typography puts a space before the colon
        return f"{_day_part(days, language)}{colon} {words['closed']}"
    if not _TIME_SPEC.match(times):
        return None
    return f"{_day_part(days, language)} {_time_part(times, language)}"


def hours_in_words(value: str, language: str) -> list[str] | None:
    """One sentence per rule, or None when the value uses syntax this module does not describe."""
    if language not in WORDS:
        language = "fr"
    rules = [r.strip() for r in value.split(";") if r.strip()]
    described = [_rule_in_words(r, language) for r in rules]
    if not rules or any(d is None for d in described):
        return None
    return [d for d in described if d]
