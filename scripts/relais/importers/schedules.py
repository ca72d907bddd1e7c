"""HSDS `schedule` objects (RRULE-like fields) to our OpenStreetMap opening hours, and what does not fit.

Weekly rules with `byday`, `opens_at` and `closes_at` become `Mo-Fr 09:00-17:00`; anything else is kept as a note
for the editor and reported. Times are the service's local times (the city's time zone), as our hours are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from relais.check.directory import hours_are_valid

RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
# Fields that restrict a weekly rule in ways OSM hours of our format do not express.
UNSUPPORTED = ("byweekno", "bymonthday", "byyearday", "count", "until", "dtstart", "valid_from", "valid_to")
_TIME = re.compile(r"^(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?$")


@dataclass
class ConvertedHours:
    hours: str | None = None
    notes: list[str] = field(default_factory=list)
    unconverted: list[str] = field(default_factory=list)  # one line per rule that did not fit, for the report


def local_time(value: Any) -> str | None:
    """`10:00:00`, `08:30+01:00` -> `10:00`, `08:30` (the offset is the city's, kept by its time zone)."""
    match = _TIME.match(str(value).strip()) if value is not None else None
    return f"{int(match['hh']):02d}:{match['mm']}" if match else None


def osm_days(byday: str) -> str | None:
    """`MO,TU,WE,TH,FR` -> `Mo-Fr`; `TH,FR` -> `Th,Fr`; None for days with a position (`1MO`) or unknown."""
    days = sorted({RRULE_DAYS.index(d) for d in (part.strip().upper() for part in byday.split(",")) if d in RRULE_DAYS})
    if not days or len(days) != len([p for p in byday.split(",") if p.strip()]):
        return None
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = [
        OSM_DAYS[r[0]] if len(r) == 1 else f"{OSM_DAYS[r[0]]}{'-' if len(r) > 2 else ','}{OSM_DAYS[r[-1]]}"
        for r in runs
    ]
    return ",".join(parts)


def _rule_problem(schedule: dict[str, Any]) -> str | None:
    freq = str(schedule.get("freq", "WEEKLY")).upper()
    if freq != "WEEKLY":
        return f"freq {freq}"
    if str(schedule.get("interval", "1")) not in ("1", "1.0"):
        return f"interval {schedule.get('interval')}"
    present = [key for key in UNSUPPORTED if schedule.get(key) not in (None, "")]
    return ", ".join(present) or None


def _describe(schedule: dict[str, Any]) -> str:
    keys = ("freq", "byday", "opens_at", "closes_at", *UNSUPPORTED)
    return "; ".join(f"{key}={schedule[key]}" for key in keys if schedule.get(key) not in (None, ""))


def convert_schedules(schedules: list[dict[str, Any]]) -> ConvertedHours:
    """Our hours from HSDS schedules. An hours string exported by Relais (a valid OSM description) wins."""
    converted = ConvertedHours()
    rules: dict[str, list[str]] = {}
    for schedule in schedules:
        description = str(schedule.get("description") or "").strip()
        if description and hours_are_valid(description) and converted.hours is None:
            converted.hours = description
        elif description:
            converted.notes.append(description)
        if schedule.get("notes"):
            converted.notes.append(str(schedule["notes"]).strip())
        if not any(schedule.get(k) for k in ("byday", "opens_at", "closes_at")):
            continue
        days = osm_days(str(schedule.get("byday", "")))
        opens, closes = local_time(schedule.get("opens_at")), local_time(schedule.get("closes_at"))
        problem = _rule_problem(schedule)
        if problem or not (days and opens and closes and opens < closes):
            converted.unconverted.append(_describe(schedule) + (f" ({problem} not supported)" if problem else ""))
            continue
        rules.setdefault(days, []).append(f"{opens}-{closes}")
    if converted.hours is None and rules:
        candidate = "; ".join(f"{days} {','.join(sorted(spans))}" for days, spans in rules.items())
        if hours_are_valid(candidate):
            converted.hours = candidate
        else:
            converted.unconverted.append(candidate)
    converted.notes.extend(f"HSDS: {line}" for line in converted.unconverted)
    converted.notes = list(dict.fromkeys(converted.notes))
    return converted
