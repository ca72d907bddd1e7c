"""The few words the exports add to the data (taxonomy names, cost, access conditions), in each site language.

Keyed by word, then language: the HSDS export writes them as language maps.
"""

from __future__ import annotations

EXPORT_WORDS: dict[str, dict[str, str]] = {
    "taxonomy_categories": {
        "fr": "Catégories de services Relais",
        "en": "Relais service categories",
        "ar": "فئات خدمات ريليه",
    },
    "taxonomy_layers": {
        "fr": "Pyramide d'interventions SMSPS de l'IASC (2007)",
        "en": "IASC MHPSS intervention pyramid (2007)",
        "ar": "هرم تدخلات الصحة النفسية والدعم النفسي والاجتماعي (IASC، 2007)",
    },
    "taxonomy_populations": {
        "fr": "Publics des services Relais",
        "en": "Relais populations served",
        "ar": "الفئات المستفيدة من خدمات ريليه",
    },
    "taxonomy_conditions": {
        "fr": "Conditions d'accès aux services Relais",
        "en": "Relais access conditions",
        "ar": "شروط الوصول إلى خدمات ريليه",
    },
    "layer_description": {
        "fr": "Niveau {layer} de la pyramide IASC : {label}",
        "en": "Layer {layer} of the IASC pyramid: {label}",
        "ar": "المستوى {layer} من هرم IASC: {label}",
    },
    "accepts_undocumented": {
        "fr": "Accueille les personnes sans papiers",
        "en": "Accepts people without documents",
        "ar": "يستقبل الأشخاص بدون وثائق",
    },
    "accepts_unaccompanied_children": {
        "fr": "Accueille les enfants non accompagnés",
        "en": "Accepts unaccompanied children",
        "ar": "يستقبل الأطفال غير المصحوبين",
    },
    "cost_free": {"fr": "Gratuit", "en": "Free", "ar": "مجاني"},
    "cost_low-cost": {"fr": "Coût modique", "en": "Low cost", "ar": "بتكلفة منخفضة"},
    "cost_paid": {"fr": "Payant", "en": "Paid", "ar": "بمقابل"},
    "cost_unknown": {"fr": "Coût non précisé", "en": "Cost not known", "ar": "التكلفة غير معروفة"},
}
# How a list of items is joined in a language (", " when not listed).
LIST_JOIN = {"ar": "، "}
