"""The documented pattern set that finds locations in the free text of confidential entries (rule DIR028).

Positives per kind and language, the everyday sentences that must not raise an alarm, and linear matching."""

from __future__ import annotations

import time

import pytest

from relais.check.location_text import KINDS, location_clues

FOUND = [
    ("street", "Accueil au 12 rue des Oliviers"),
    ("street", "Boulevard fictif, Casablanca"),
    ("street", "Hay Mohammadi"),
    ("street", "Derb fictif"),
    ("street", "12 Fictitious Street"),
    ("street", "Off Nowhere Road"),
    ("street", "شارع محمد الخامس"),
    ("street", "بزنقة 5"),
    ("street", "في الحي المحمدي"),
    ("street", "على الطريق الوطنية"),
    ("postcode", "Casablanca 20250"),
    ("postcode", "code postal à préciser"),
    ("postcode", "BP 1234 Bamako"),
    ("postcode", "P.O. Box 12"),
    ("postcode", "صندوق البريد 44"),
    ("coordinates", "33.5731, -7.5898"),
    ("coordinates", "33°35'N 7°36'W"),
    ("coordinates", "GPS: on request"),
    ("coordinates", "خط العرض"),
    ("map-link", "https://maps.app.goo.gl/abc"),
    ("map-link", "https://www.google.com/maps/place/x"),
    ("map-link", "https://www.openstreetmap.org/?mlat=1"),
    ("map-link", "8FW4V75V+8Q"),
    ("map-link", "///filled.count.soap"),
    ("map-link", "geo:33.5,-7.6"),
    ("building", "3e étage, porte bleue"),
    ("building", "derrière la pharmacie"),
    ("building", "en face de la mosquée"),
    ("building", "près de la gare"),
    ("building", "Résidence Al Amal"),
    ("building", "next to the mosque"),
    ("building", "second floor of the test building"),
    ("building", "خلف المسجد"),
    ("building", "الطابق الثاني"),
    ("building", "بالقرب من السوق"),
]
INNOCENT = [
    "Service fictif des tests : hébergement protégé pour survivantes de violences. Accès uniquement par orientation.",
    "Point focal orientation de l'association fictive (ligne d'écoute).",
    "Contacter le point focal ; l'équipe organise l'accueil.",
    "près de 200 personnes accueillies",
    "la mise en place de groupes de parole",
    "a lot of people, long-term support",
    "un titre de résidence ou une carte de résidence",
    "coordonnées du point focal",
    "coordinatrice protection",
    "équipe éditoriale Relais",
    "Mo-Fr 09:00-17:00",
    "المركز الصحي",
    "تدريب المدربين",
    "عن طريق الإحالة",
    "بمقابل",
    "بطاقة الإقامة",
    "Verified on 2026-09-15 by phone +212522999904",
    "service fictif TEST-00012",
]


@pytest.mark.parametrize(("kind", "text"), FOUND)
def test_each_kind_of_location_is_found_in_every_language(kind: str, text: str) -> None:
    assert kind in [clue.kind.id for clue in location_clues(text)]


@pytest.mark.parametrize("text", INNOCENT)
def test_everyday_sentences_of_a_service_raise_no_alarm(text: str) -> None:
    assert location_clues(text) == []


def test_every_kind_is_tested() -> None:
    assert {kind.id for kind in KINDS} == {kind for kind, _ in FOUND}


def best_time(text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        location_clues(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("unit", ["a", " ", "1234.", "rue ", "ش", "+2"])
def test_matching_is_linear_in_the_length_of_the_text(unit: str) -> None:
    """Ten times the text takes about ten times as long (a ratio, not a clock: machines are noisy)."""
    small, large = unit * (30_000 // len(unit)), unit * (300_000 // len(unit))
    ratio = best_time(large) / max(best_time(small), 1e-6)
    assert ratio < 40, ratio
