"""Write a synthetic, obviously fictitious service directory of any size, for `make bench` and scale tests.

Deterministic for a seed; every entry passes `relais validate` (stale entries warn, as they should). It reads the
real directory/ only to copy its taxonomy, and every name, number and address it writes is invented.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import phonenumbers
from babel import Locale
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from relais.i18n.ui_strings import LANGUAGES
from relais.model.directory import Vocabulary, vocabulary_from
from relais.model.yamldoc import read_yaml_mapping, yaml_lines

AS_OF = date(2026, 11, 23)
REAL_TAXONOMY = Path(__file__).resolve().parents[3] / "directory" / "taxonomy.yml"
SERVICES_PER_CITY = 25
SERVICES_PER_ORGANIZATION = 15

# Shares of the special cases; each is present at least once whatever the size.
CONFIDENTIAL_SHARE = 0.05
STALE_SHARE = 0.10
CLOSED_SHARE = 0.05
MOBILE_SHARE = 0.08
ENGLISH_SHARE = 0.70
ARABIC_SHARE = 0.40


@dataclass(frozen=True)
class CountryProfile:
    """A real country (ISO 3166-1) with an IANA zone, a rough centre for coordinates and its share of services."""

    code: str
    timezone: str
    share: float
    latitude: float
    longitude: float
    languages: tuple[str, ...]


COUNTRIES = (
    CountryProfile("MA", "Africa/Casablanca", 0.40, 32.0, -6.8, ("ar", "ary", "fr", "tzm", "es", "en")),
    CountryProfile("ML", "Africa/Bamako", 0.35, 13.5, -6.5, ("fr", "bm", "son", "ff", "snk")),
    CountryProfile("SN", "Africa/Dakar", 0.10, 14.5, -15.0, ("fr", "wo", "ff")),
    CountryProfile("MR", "Africa/Nouakchott", 0.05, 18.5, -14.5, ("ar", "fr", "ff", "snk")),
    CountryProfile("NE", "Africa/Niamey", 0.05, 14.0, 3.0, ("fr", "ha", "son")),
    CountryProfile("TN", "Africa/Tunis", 0.05, 35.0, 10.0, ("ar", "fr", "en")),
)

# Parallel sentences (fr, en, ar): a description in one language is a translation of the French one. None of them
# names a street or a building, so confidential entries stay clean of location words (rule DIR028).
DISCLAIMER = (
    "Fiche fictive générée pour mesurer Relais à grande échelle ; ce service n'existe pas.",
    "Fictitious entry generated to measure Relais at scale; this service does not exist.",
    "بطاقة وهمية أُنشئت لقياس أداء Relais على نطاق واسع، وهذه الخدمة غير موجودة.",
)
DESCRIPTION_SENTENCES: tuple[tuple[str, str, str], ...] = (
    (
        "L'équipe propose une écoute individuelle aux personnes migrantes dans un cadre confidentiel et bienveillant.",
        "The team offers individual listening to migrants in a confidential and caring setting.",
        "يقدم الفريق جلسات إصغاء فردية للمهاجرين في إطار سري ومتعاطف.",
    ),
    (
        "Les entretiens sont menés par des psychologues, des travailleurs sociaux et des médiateurs formés.",
        "Sessions are run by psychologists, social workers and trained mediators.",
        "يجري المقابلات أخصائيون نفسيون وعاملون اجتماعيون ووسطاء مؤهلون.",
    ),
    (
        "Une orientation vers des soins spécialisés est organisée lorsque la situation de la personne le demande.",
        "Referral to specialised care is arranged when the person's situation calls for it.",
        "تُنظَّم الإحالة إلى رعاية متخصصة عندما تتطلب حالة الشخص ذلك.",
    ),
    (
        "Des activités de groupe favorisent le soutien entre pairs et la reprise d'une routine quotidienne.",
        "Group activities encourage peer support and the return of a daily routine.",
        "تشجع الأنشطة الجماعية الدعم بين الأقران واستعادة روتين يومي.",
    ),
    (
        "Les enfants non accompagnés sont reçus en présence d'un référent formé à la protection de l'enfance.",
        "Unaccompanied children are received with a focal point trained in child protection.",
        "يُستقبل الأطفال غير المصحوبين بحضور مرجع مؤهل في حماية الطفل.",
    ),
    (
        "Un interprète ou un médiateur culturel peut être présent sur demande, dans le respect de la confidentialité.",
        "An interpreter or cultural mediator can attend on request, respecting confidentiality.",
        "يمكن حضور مترجم أو وسيط ثقافي عند الطلب مع احترام السرية.",
    ),
    (
        "Le service travaille avec les centres de santé et les associations de la ville pour éviter les ruptures.",
        "The service works with health centres and local associations to avoid gaps in care.",
        "تعمل الخدمة مع المراكز الصحية والجمعيات المحلية لتفادي انقطاع الرعاية.",
    ),
    (
        "Les premiers entretiens évaluent les besoins de base, la sécurité et le soutien autour de la personne.",
        "First meetings assess basic needs, safety and the support around the person.",
        "تقيّم اللقاءات الأولى الاحتياجات الأساسية والسلامة والدعم حول الشخص.",
    ),
    (
        "Chaque personne reçoit des informations claires sur ses droits et sur les services qui peuvent l'aider.",
        "Each person receives clear information on their rights and on the services that can help.",
        "يحصل كل شخص على معلومات واضحة حول حقوقه وحول الخدمات التي يمكن أن تساعده.",
    ),
    (
        "Les séances se tiennent en français, en arabe ou dans une langue locale selon les besoins des participants.",
        "Sessions are held in French, Arabic or a local language as participants need.",
        "تُعقد الجلسات بالفرنسية أو العربية أو بلغة محلية حسب احتياجات المشاركين.",
    ),
    (
        "Le suivi peut durer plusieurs semaines, avec un plan établi avec la personne et revu régulièrement.",
        "Follow-up can last several weeks, with a plan agreed with the person and reviewed regularly.",
        "قد تستمر المتابعة عدة أسابيع وفق خطة تُوضع مع الشخص وتُراجع بانتظام.",
    ),
    (
        "Les familles et les proches peuvent participer aux séances d'information si la personne le souhaite.",
        "Families and relatives may join information sessions if the person wishes.",
        "يمكن للعائلات والأقارب المشاركة في جلسات الإعلام إذا رغب الشخص في ذلك.",
    ),
    (
        "L'équipe reçoit une supervision clinique mensuelle et suit des formations sur le soin des intervenants.",
        "The team receives monthly clinical supervision and training on staff care.",
        "يتلقى الفريق إشرافاً سريرياً شهرياً وتدريبات حول رعاية العاملين.",
    ),
    (
        "Aucune information n'est partagée sans le consentement éclairé de la personne, sauf danger grave et immédiat.",
        "No information is shared without the person's informed consent, except in serious and immediate danger.",
        "لا تُشارك أي معلومات دون الموافقة المستنيرة للشخص، إلا في حالة خطر جسيم وفوري.",
    ),
    (
        "Les personnes de retour sont accompagnées dans leurs démarches de réintégration et de reprise d'activité.",
        "Returnees are supported in their reintegration steps and in resuming an activity.",
        "يُرافَق العائدون في خطوات إعادة الإدماج واستئناف نشاطهم.",
    ),
)
REFERRAL_METHODS = (
    (
        "Orientation par téléphone ou sur place ; une fiche d'orientation est souhaitée.",
        "Referral by phone or in person; a referral form is welcome.",
        "الإحالة عبر الهاتف أو حضورياً، ويُستحسن تقديم استمارة إحالة.",
    ),
    (
        "Orientation par un partenaire uniquement, après accord de la personne.",
        "Referral by a partner only, with the person's agreement.",
        "الإحالة عن طريق شريك فقط بعد موافقة الشخص.",
    ),
    (
        "Accueil libre aux heures d'ouverture, sans rendez-vous.",
        "Walk-in during opening hours, no appointment needed.",
        "استقبال حر خلال ساعات العمل دون موعد.",
    ),
)
REFERRAL_DOCUMENTS = (
    ("Aucun document exigé.", "No document required.", "لا تُشترط أي وثيقة."),
    (
        "Une pièce d'identité si la personne en a une ; son absence n'empêche pas l'accueil.",
        "An identity document if the person has one; not having one does not prevent access.",
        "وثيقة هوية إن وُجدت، وغيابها لا يمنع الاستقبال.",
    ),
)
FRONT_DOORS = (
    (
        "Point focal orientation de l'organisation fictive (ligne d'écoute).",
        "Referral focal point of the fictitious organisation (helpline).",
        "نقطة الاتصال للإحالة في المنظمة الوهمية (خط الإصغاء).",
    ),
    (
        "Permanence téléphonique de l'équipe protection, qui organise l'accueil.",
        "Phone desk of the protection team, which arranges the intake.",
        "الخط الهاتفي لفريق الحماية الذي ينظم الاستقبال.",
    ),
)
CLOSED_NOTES = (
    (
        "Fermeture temporaire pour travaux (fictive).",
        "Temporarily closed for works (fictitious).",
        "مغلق مؤقتاً للأشغال (وهمي).",
    ),
    (
        "Équipe en congé jusqu'à nouvel ordre (fictif).",
        "Team on leave until further notice (fictitious).",
        "الفريق في عطلة حتى إشعار آخر (وهمي).",
    ),
)
HOURS = (
    "Mo-Fr 08:30-16:30",
    "Mo-Fr 08:30-16:30; Sa 09:00-12:00",
    "Tu,Th 14:00-17:00",
    "Mo-Fr 09:00-17:00; PH off",
    "Mo-Sa 09:00-13:00,14:00-18:00",
    "Mo,We,Fr 10:00-15:00",
    "Mo-Th 08:00-16:00; Fr 08:00-12:00",
    "24/7",
)
ROLES = ("référent orientation", "coordinatrice protection", "chargé de programme", "coordinateur équipe mobile")
METHODS = ("call", "visit", "email", "public source")
COSTS = ("free", "free", "free", "free", "low-cost", "unknown")
CONFIDENTIAL_CATEGORIES = ("hebergement-urgence", "prise-en-charge-vbg", "gestion-de-cas")
CONFIDENTIAL_POPULATIONS = ("survivants-vbg", "femmes", "victimes-traite")


@dataclass(frozen=True)
class SyntheticCity:
    country: CountryProfile
    number: int

    @property
    def slug(self) -> str:
        return f"ville-test-{self.number:04d}"

    @property
    def names(self) -> tuple[str, str, str]:
        return (f"Ville-Test-{self.number:04d}", f"Test-Town-{self.number:04d}", f"مدينة-اختبار-{self.number:04d}")


# --- YAML text: every string double-quoted, so no value can be read as something else (YAML 1.1 hazards) --------------


def _write_yaml(path: Path, mapping: dict[str, Any], comment: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([f"# {comment}", *yaml_lines(mapping)]) + "\n", encoding="utf-8")


# --- Values ---------------------------------------------------------------------------------------------------------


def _text(parts: tuple[str, str, str], languages: tuple[str, ...]) -> dict[str, str]:
    return {language: text for language, text in zip(LANGUAGES, parts, strict=True) if language in languages}


def _description(rng: random.Random) -> tuple[str, str, str]:
    """40 to 120 French words: the disclaimer, then sentences in a random order, translated sentence by sentence."""
    target = rng.randint(40, 120)
    order = rng.sample(range(len(DESCRIPTION_SENTENCES)), len(DESCRIPTION_SENTENCES))
    chosen: list[tuple[str, str, str]] = [DISCLAIMER]
    words = len(DISCLAIMER[0].split())
    for index in order:
        if words >= target:
            break
        sentence = DESCRIPTION_SENTENCES[index]
        if words + len(sentence[0].split()) > 120:
            break
        chosen.append(sentence)
        words += len(sentence[0].split())
    joined = (" ".join(parts) for parts in zip(*chosen, strict=True))
    fr, en, ar = joined
    return fr, en, ar


def _phone(rng: random.Random, country: str, mobile: bool) -> str:
    """The library's example number for the country, its last digits varied, checked valid; international form."""
    kind = PhoneNumberType.MOBILE if mobile else PhoneNumberType.FIXED_LINE
    example = phonenumbers.example_number_for_type(country, kind)
    national = str(example.national_number)
    for _ in range(20):
        candidate = phonenumbers.PhoneNumber(
            country_code=example.country_code,
            national_number=int(national[:-3] + f"{rng.randint(0, 999):03d}"),
            italian_leading_zero=example.italian_leading_zero,
        )
        if phonenumbers.is_valid_number(candidate):
            return phonenumbers.format_number(candidate, PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(example, PhoneNumberFormat.INTERNATIONAL)


def _phones(rng: random.Random, country: str) -> list[dict[str, Any]]:
    phones = []
    for index in range(rng.randint(1, 3)):
        kind = rng.choice(("voice", "mobile", "whatsapp")) if index else "voice"
        phones.append({"number": _phone(rng, country, mobile=kind != "voice"), "type": kind})
    return phones


def _pick(rng: random.Random, ids: list[str], most: int) -> list[str]:
    return rng.sample(ids, rng.randint(1, min(most, len(ids))))


def _flagged(rng: random.Random, count: int, share: float, among: list[int] | None = None) -> set[int]:
    pool = list(range(count)) if among is None else among
    wanted = min(len(pool), max(1, round(count * share)))
    return set(rng.sample(pool, wanted))


# --- Places and organisations ---------------------------------------------------------------------------------------


def synthetic_cities(services: int) -> list[SyntheticCity]:
    """About one city per 25 services, spread over the countries by their share; at least two per country."""
    total = max(2 * len(COUNTRIES), services // SERVICES_PER_CITY)
    cities: list[SyntheticCity] = []
    for country in COUNTRIES:
        for _ in range(max(2, round(total * country.share))):
            cities.append(SyntheticCity(country, len(cities) + 1))
    return cities


def city_weights(by_country: dict[str, list[SyntheticCity]]) -> list[float]:
    """Larger towns hold more services: a city's weight falls with its rank; each country keeps its share."""
    weights: list[float] = []
    for country in COUNTRIES:
        ranks = [1 / (rank + 1) ** 0.5 for rank in range(len(by_country[country.code]))]
        weights += [country.share * weight / sum(ranks) for weight in ranks]
    return weights


def places_document(cities: list[SyntheticCity]) -> dict[str, Any]:
    countries = []
    for country in COUNTRIES:
        name = {language: Locale(language).territories[country.code] for language in LANGUAGES}
        own = [c for c in cities if c.country is country]
        countries.append(
            {
                "code": country.code,
                "name": name,
                "cities": [
                    {"slug": c.slug, "name": _text(c.names, LANGUAGES), "timezone": country.timezone} for c in own
                ],
            }
        )
    return {"countries": countries}


def organization_document(number: int) -> dict[str, Any]:
    organization_id = f"organisation-fictive-{number:04d}"
    return {
        "id": organization_id,
        "name": _text(
            (
                f"Organisation fictive TEST {number:04d}",
                f"TEST fictitious organisation {number:04d}",
                f"منظمة وهمية للاختبار {number:04d}",
            ),
            LANGUAGES,
        ),
        "acronym": f"OFT{number}",
        "description": _text(
            (
                "Organisation inventée pour les mesures de performance de Relais.",
                "Organisation invented for Relais performance measurements.",
                "منظمة مختلقة لقياسات أداء Relais.",
            ),
            LANGUAGES,
        ),
        "website": f"https://example.org/organisations/{organization_id}",
        "sources": [_source(date(2026, 1, 15))],
    }


def _source(day: date) -> dict[str, str]:
    return {
        "title": "Jeu de données synthétique Relais (mesure de performance)",
        "organization": "Relais (données fictives)",
        "date": day.isoformat(),
    }


# --- Services -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceFlags:
    confidential: bool
    stale: bool
    closed: bool
    mobile: bool


def service_document(
    rng: random.Random,
    number: int,
    city: SyntheticCity,
    neighbours: list[SyntheticCity],
    organization: str,
    vocabulary: Vocabulary,
    flags: ServiceFlags,
) -> dict[str, Any]:
    country = city.country
    languages = (
        ("fr",) + (("en",) if rng.random() < ENGLISH_SHARE else ()) + (("ar",) if rng.random() < ARABIC_SHARE else ())
    )
    if flags.confidential:
        categories = _pick(rng, [c for c in CONFIDENTIAL_CATEGORIES if c in vocabulary.categories], 2)
        populations = _pick(rng, [p for p in CONFIDENTIAL_POPULATIONS if p in vocabulary.populations], 2)
    else:
        categories = _pick(rng, list(vocabulary.categories), 3)
        populations = _pick(rng, list(vocabulary.populations), 3)
    first = vocabulary.categories[categories[0]]
    label = tuple(first.label_in(language) for language in LANGUAGES)
    name = (
        f"{label[0]} — service fictif TEST-{number:05d}",
        f"{label[1]} — TEST-{number:05d} fictitious service",
        f"{label[2]} — خدمة وهمية للاختبار TEST-{number:05d}",
    )
    service: dict[str, Any] = {
        "id": f"service-test-{number:05d}",
        "name": _text(name, languages),
        "description": _text(_description(rng), languages),
        "organization": organization,
        "status": "temporarily closed" if flags.closed else "active",
    }
    if flags.closed:
        service["status_note"] = _text(rng.choice(CLOSED_NOTES), languages)
    service |= {
        "country": country.code,
        "city": city.slug,
        "categories": categories,
        "populations": populations,
        "languages": _pick(rng, list(country.languages), 4),
    }
    if not flags.confidential:
        service["phones"] = _phones(rng, country.code)
        if rng.random() < 0.6:
            service["email"] = f"contact-{number:05d}@example.org"
        if rng.random() < 0.4:
            service["website"] = f"https://example.org/services/{service['id']}"
    if rng.random() < 0.85:
        service["hours"] = rng.choice(HOURS)
    if flags.mobile:
        other = rng.choice([c for c in neighbours if c is not city])
        area = (
            f"{city.names[0]} et {other.names[0]} (zone fictive)",
            f"{city.names[1]} and {other.names[1]} (fictitious area)",
            f"{city.names[2]} و{other.names[2]} (منطقة وهمية)",
        )
        service["mobile"] = {"area": _text(area, languages), "cities": [other.slug]}
    elif not flags.confidential:
        street = rng.randint(1, 99)
        address = (
            f"{street} voie Fictive, {city.names[0]} (adresse inventée)",
            f"{street} Fictitious Way, {city.names[1]} (invented address)",
            f"{street} الطريق الوهمي، {city.names[2]} (عنوان مختلق)",
        )
        service["location"] = {
            "address": _text(address, languages),
            "latitude": round(country.latitude + rng.uniform(-1.5, 1.5), 4),
            "longitude": round(country.longitude + rng.uniform(-1.5, 1.5), 4),
        }
    referral: dict[str, Any] = {"method": _text(rng.choice(REFERRAL_METHODS), languages)}
    if rng.random() < 0.5:
        referral["documents"] = _text(rng.choice(REFERRAL_DOCUMENTS), languages)
    referral |= {
        "accepts_undocumented": rng.random() < 0.8,
        "accepts_unaccompanied_children": rng.random() < 0.5,
        "cost": rng.choice(COSTS),
    }
    service["referral"] = referral
    service["visibility"] = "confidential" if flags.confidential else "public"
    if flags.confidential:
        service["front_door"] = {
            "description": _text(rng.choice(FRONT_DOORS), languages),
            "phones": [{"number": _phone(rng, country.code, mobile=True), "type": "hotline"}],
            "email": f"orientation-{number:05d}@example.org",
        }
    age = rng.randint(400, 1500) if flags.stale else rng.randint(0, 330)
    verified = AS_OF - timedelta(days=age)
    service["verified"] = {"date": verified.isoformat(), "by": rng.choice(ROLES), "method": rng.choice(METHODS)}
    service["sources"] = [_source(verified)]
    return service


def write_synthetic_directory(
    target: Path, services: int, seed: int = 1, *, taxonomy_source: Path = REAL_TAXONOMY
) -> None:
    """Write places.yml, taxonomy.yml, organizations/ and services/<CC>/<city>/<id>.yml into an empty `target`."""
    if services < 1:
        raise ValueError("services must be at least 1")
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} is not empty; the synthetic directory is written into a new folder")
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    shutil.copyfile(taxonomy_source, target / "taxonomy.yml")
    taxonomy, problems = read_yaml_mapping(taxonomy_source, str(taxonomy_source))
    if taxonomy is None or problems:
        raise ValueError(f"the taxonomy {taxonomy_source} does not load cleanly")
    vocabulary = vocabulary_from(taxonomy.value)

    cities = synthetic_cities(services)
    _write_yaml(target / "places.yml", places_document(cities), "Synthetic places: real countries, invented cities.")
    organizations = [organization_document(n) for n in range(1, max(3, services // SERVICES_PER_ORGANIZATION) + 1)]
    for organization in organizations:
        _write_yaml(
            target / "organizations" / f"{organization['id']}.yml", organization, "Synthetic organisation (invented)."
        )

    confidential = _flagged(rng, services, CONFIDENTIAL_SHARE)
    mobile = _flagged(rng, services, MOBILE_SHARE, [i for i in range(services) if i not in confidential])
    stale = _flagged(rng, services, STALE_SHARE)
    closed = _flagged(rng, services, CLOSED_SHARE)
    by_country = {country.code: [c for c in cities if c.country is country] for country in COUNTRIES}
    weights = city_weights(by_country)
    for index in range(services):
        city = rng.choices(cities, weights)[0]
        flags = ServiceFlags(index in confidential, index in stale, index in closed, index in mobile)
        organization = rng.choice(organizations)["id"]
        service = service_document(rng, index + 1, city, by_country[city.country.code], organization, vocabulary, flags)
        path = target / "services" / city.country.code / city.slug / f"{service['id']}.yml"
        _write_yaml(path, service, "Synthetic service (invented, for benchmarks).")
    (target / "README.md").write_text(
        f"Synthetic directory of {services} invented services (seed {seed}), written by relais.model.synthetic for "
        "benchmarks and scale tests. Nothing here describes a real service; never publish it.\n",
        encoding="utf-8",
    )
