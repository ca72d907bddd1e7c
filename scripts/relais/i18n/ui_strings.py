"""Interface strings of the site in each language (French is the source).

Only text: templates decide where the strings go; a missing key in a language falls back to French.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("fr", "en", "ar")
DEFAULT_LANGUAGE = "fr"
DIRECTION = {"fr": "ltr", "en": "ltr", "ar": "rtl"}

UI: dict[str, dict[str, str]] = {
    "fr": {
        "untranslated": "Cette page n'est pas encore traduite. Le texte ci-dessous est en français.",
        "draft": "Brouillon en attente de relecture par un expert : ce contenu n'a pas encore été vérifié "
        "par un professionnel qualifié.",
        "outdated": "Cette traduction peut ne plus être à jour : la version française a changé depuis.",
        "search": "Rechercher",
        "search_label": "Rechercher dans Relais",
        "search_placeholder": "Service, ville, sujet…",
        "search_needs_js": "La recherche a besoin de JavaScript. Sans JavaScript, parcourez l'annuaire "
        "par pays et par ville.",
        "skip_to_search": "Aller à la recherche",
        "not_found_title": "Page introuvable",
        "not_found_text": "Cette page n'existe pas ou a été déplacée. Utilisez la recherche ou revenez à l'accueil.",
        "home": "Accueil",
        "translate": "Traduire cette page (voir le guide des contributeurs)",
        "how_to_translate": "Vous pouvez proposer une traduction : voici comment.",
        "checked_against": "Texte vérifié par l'équipe éditoriale au regard de :",
        "reviewed_by": "Relu et validé par {name} ({qualification}) le {date}.",
    },
    "en": {
        "untranslated": "This page has not been translated yet. The text below is in French.",
        "draft": "Draft pending expert review: this content has not yet been checked by a qualified professional.",
        "outdated": "This translation may be out of date: the French version has changed since.",
        "search": "Search",
        "search_label": "Search Relais",
        "search_placeholder": "Service, city, topic…",
        "search_needs_js": "Search needs JavaScript. Without JavaScript, browse the directory by country and city.",
        "skip_to_search": "Go to search",
        "not_found_title": "Page not found",
        "not_found_text": "This page does not exist or has moved. Use the search or go back to the home page.",
        "home": "Home",
        "translate": "Translate this page (see the contributors' guide)",
        "how_to_translate": "You can propose a translation: here is how.",
        "checked_against": "Text checked by the editorial team against:",
        "reviewed_by": "Reviewed and signed off by {name} ({qualification}) on {date}.",
    },
    "ar": {
        "untranslated": "لم تُترجم هذه الصفحة بعد. النص أدناه باللغة الفرنسية.",
        "draft": "مسودة في انتظار مراجعة خبير: لم يتحقق مختص مؤهل من هذا المحتوى بعد.",
        "outdated": "قد لا تكون هذه الترجمة محدّثة: فقد تغيّرت النسخة الفرنسية منذ إعدادها.",
        "search": "بحث",
        "search_label": "البحث في ريليه",
        "search_placeholder": "خدمة، مدينة، موضوع…",
        "search_needs_js": "يحتاج البحث إلى جافاسكريبت. بدونها، تصفّح الدليل حسب البلد والمدينة.",
        "skip_to_search": "الانتقال إلى البحث",
        "not_found_title": "الصفحة غير موجودة",
        "not_found_text": "هذه الصفحة غير موجودة أو نُقلت. استعمل البحث أو عُد إلى الصفحة الرئيسية.",
        "home": "الرئيسية",
        "translate": "ترجم هذه الصفحة (راجع دليل المساهمين)",
        "how_to_translate": "يمكنك اقتراح ترجمة: إليك الطريقة.",
        "checked_against": "راجع فريق التحرير النص استنادًا إلى:",
        "reviewed_by": "راجعه واعتمده {name} ({qualification}) في {date}.",
    },
}


def ui_strings(language: str) -> dict[str, str]:
    """All interface strings for `language`, French where a translation is missing."""
    return {**UI[DEFAULT_LANGUAGE], **UI.get(language, {})}
