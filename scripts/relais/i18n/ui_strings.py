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
        "app_name": "Relais : santé mentale et soutien psychosocial des personnes migrantes",
        "app_short_name": "Relais",
        "quick_exit": "Quitter vite",
        "quick_exit_hint": "Remplace aussitôt cette page par un site neutre (ou appuyez trois fois sur Échap).",
        "offline_now": "Hors ligne",
        "offline_saved_on": "copie enregistrée sur cet appareil le {date}",
        "offline_title": "Vous êtes hors ligne",
        "offline_text": "Cette page n'est pas enregistrée sur cet appareil. Les guides, les sujets, la recherche et les "
        "villes que vous avez enregistrées restent disponibles sans connexion.",
        "offline_content": "Contenu hors ligne",
        "offline_automatic": "Guides, sujets et recherche : enregistrés automatiquement",
        "offline_automatic_size": "{count} fichiers, {size}, enregistrés le {date}",
        "offline_automatic_pending": "Pas encore enregistrés : ouvrez une page du site avec une connexion.",
        "offline_cities": "Villes enregistrées",
        "offline_no_city": "Aucune ville enregistrée. Sur la page d'une ville de l'annuaire, utilisez « Enregistrer "
        "pour consulter hors ligne ».",
        "offline_city_item": "enregistrée le {date}, {size}",
        "offline_remove": "Supprimer",
        "offline_total": "Espace utilisé par Relais sur cet appareil : {size}",
        "offline_unsupported": "Ce navigateur ne permet pas d'enregistrer des pages pour les consulter hors ligne.",
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
        "app_name": "Relais: mental health and psychosocial support for migrants",
        "app_short_name": "Relais",
        "quick_exit": "Quick exit",
        "quick_exit_hint": "Replaces this page at once with a neutral website (or press Escape three times).",
        "offline_now": "Offline",
        "offline_saved_on": "copy saved on this device on {date}",
        "offline_title": "You are offline",
        "offline_text": "This page is not saved on this device. The guidelines, the topics, the search and the cities "
        "you saved remain available without a connection.",
        "offline_content": "Offline content",
        "offline_automatic": "Guidelines, topics and search: saved automatically",
        "offline_automatic_size": "{count} files, {size}, saved on {date}",
        "offline_automatic_pending": "Not saved yet: open a page of the site with a connection.",
        "offline_cities": "Saved cities",
        "offline_no_city": "No city saved yet. On a city page of the directory, use “Save for offline”.",
        "offline_city_item": "saved on {date}, {size}",
        "offline_remove": "Remove",
        "offline_total": "Space Relais uses on this device: {size}",
        "offline_unsupported": "This browser cannot save pages to read offline.",
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
        "app_name": "ريليه: الصحة النفسية والدعم النفسي والاجتماعي للمهاجرين",
        "app_short_name": "ريليه",
        "quick_exit": "خروج سريع",
        "quick_exit_hint": "يستبدل هذه الصفحة فورًا بموقع محايد (أو اضغط على زر Esc ثلاث مرات).",
        "offline_now": "غير متصل",
        "offline_saved_on": "نسخة محفوظة على هذا الجهاز بتاريخ {date}",
        "offline_title": "أنت غير متصل بالإنترنت",
        "offline_text": "هذه الصفحة غير محفوظة على هذا الجهاز. تبقى الإرشادات والمواضيع والبحث والمدن التي حفظتها "
        "متاحة دون اتصال.",
        "offline_content": "المحتوى المتاح دون اتصال",
        "offline_automatic": "الإرشادات والمواضيع والبحث: محفوظة تلقائيًا",
        "offline_automatic_size": "{count} ملفًا، {size}، حُفظت بتاريخ {date}",
        "offline_automatic_pending": "لم تُحفظ بعد: افتح صفحة من الموقع وأنت متصل.",
        "offline_cities": "المدن المحفوظة",
        "offline_no_city": "لم تُحفظ أي مدينة بعد. في صفحة مدينة من دليل الخدمات، استعمل «حفظ للاستخدام دون اتصال».",
        "offline_city_item": "حُفظت بتاريخ {date}، {size}",
        "offline_remove": "حذف",
        "offline_total": "المساحة التي يشغلها ريليه على هذا الجهاز: {size}",
        "offline_unsupported": "لا يتيح هذا المتصفح حفظ الصفحات لقراءتها دون اتصال.",
    },
}


def ui_strings(language: str) -> dict[str, str]:
    """All interface strings for `language`, French where a translation is missing."""
    return {**UI[DEFAULT_LANGUAGE], **UI.get(language, {})}
