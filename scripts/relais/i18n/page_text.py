"""Text of the pages the build writes into docs/ (topics, recent changes, translation status) and of the scaffolds
that `relais new page` writes, in each site language.

Text only; the renderers decide where each string goes. Every table has every key in every language (a test).
"""

from __future__ import annotations

# What an editor must replace in a scaffold; the validator refuses a file that still contains it.
TO_FILL = "À COMPLÉTER"

TOPIC_PAGE_TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "index_title": "Sujets",
        "index_description": "Les guides de Relais classés par sujet.",
        "index_intro": "Choisissez un sujet pour voir les guides qui en traitent. Le nombre de guides est entre "
        "parenthèses.",
        "topic_description": "Les guides de Relais sur le sujet : {label}.",
        "in_french": "(en français)",
        "empty": "Aucun guide sur ce sujet pour l'instant.",
        "all_topics": "Tous les sujets",
    },
    "en": {
        "index_title": "Topics",
        "index_description": "Relais guidance pages by topic.",
        "index_intro": "Choose a topic to see the guidance pages about it. The number of pages is in brackets.",
        "topic_description": "Relais guidance pages on this topic: {label}.",
        "in_french": "(in French)",
        "empty": "No guidance page on this topic yet.",
        "all_topics": "All topics",
    },
    "ar": {
        "index_title": "المواضيع",
        "index_description": "إرشادات ريليه مصنّفة حسب الموضوع.",
        "index_intro": "اختر موضوعًا لعرض الإرشادات التي تتناوله. عدد الصفحات بين قوسين.",
        "topic_description": "إرشادات ريليه حول هذا الموضوع: {label}.",
        "in_french": "(بالفرنسية)",
        "empty": "لا توجد إرشادات حول هذا الموضوع حتى الآن.",
        "all_topics": "كل المواضيع",
    },
}

CHANGES_PAGE_TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Ce qui a changé dans l'annuaire",
        "description": "Services ajoutés, fermés ou revérifiés dans les {days} derniers jours, par ville.",
        "intro": "Services ajoutés, fermés ou revérifiés entre le {start} et le {end}, d'après l'historique des "
        "modifications de l'annuaire. Cette page est produite automatiquement à chaque construction du site.",
        "none": "Aucun service n'a été ajouté, fermé ou revérifié pendant cette période.",
        "unavailable": "L'historique des modifications n'est pas disponible pour cette construction du site : "
        "les changements ne peuvent pas être listés.",
        "added": "Ajouté",
        "closed": "Fermé",
        "re-verified": "Revérifié",
        "deleted": "retiré de l'annuaire",
        "colon": " : ",
    },
    "en": {
        "title": "What changed in the directory",
        "description": "Services added, closed or re-verified in the last {days} days, by city.",
        "intro": "Services added, closed or re-verified between {start} and {end}, from the history of changes "
        "to the directory. This page is generated at every build of the site.",
        "none": "No service was added, closed or re-verified in this period.",
        "unavailable": "The history of changes is not available for this build of the site: changes cannot be listed.",
        "added": "Added",
        "closed": "Closed",
        "re-verified": "Re-verified",
        "deleted": "removed from the directory",
        "colon": ": ",
    },
    "ar": {
        "title": "ما الذي تغيّر في دليل الخدمات",
        "description": "الخدمات المضافة أو المغلقة أو التي أُعيد التحقق منها خلال آخر {days} يومًا، حسب المدينة.",
        "intro": "الخدمات المضافة أو المغلقة أو التي أُعيد التحقق منها بين {start} و{end}، وفقًا لسجل تعديلات "
        "دليل الخدمات. تُنشأ هذه الصفحة تلقائيًا عند كل بناء للموقع.",
        "none": "لم تُضف أي خدمة ولم تُغلق ولم يُعد التحقق منها خلال هذه الفترة.",
        "unavailable": "سجل التعديلات غير متاح لهذا البناء من الموقع: لا يمكن عرض التغييرات.",
        "added": "أُضيفت",
        "closed": "أُغلقت",
        "re-verified": "أُعيد التحقق منها",
        "deleted": "حُذفت من الدليل",
        "colon": ": ",
    },
}

# Keys are the values of `relais.check.translations.TranslationState`.
TRANSLATION_STATE_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "missing": "manquante",
        "up to date": "à jour",
        "outdated": "à revoir",
        "unknown": "état inconnu",
    },
    "en": {
        "missing": "missing",
        "up to date": "up to date",
        "outdated": "outdated",
        "unknown": "unknown",
    },
    "ar": {
        "missing": "غير موجودة",
        "up to date": "محدّثة",
        "outdated": "تحتاج إلى مراجعة",
        "unknown": "حالة غير معروفة",
    },
}

TRANSLATION_STATUS_TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "title": "État des traductions",
        "description": "Pour chaque guide, l'état de sa traduction en anglais et en arabe par rapport au texte "
        "français.",
        "intro": "Une traduction « à revoir » a été faite sur une version du texte français qui a changé depuis. "
        "Cette page est produite automatiquement à chaque construction du site.",
        "page": "Page",
        "en": "Anglais",
        "ar": "Arabe",
        "summary": "Résumé",
        "count": "{label} : {count}",
        "separator": ", ",
    },
    "en": {
        "title": "Translation status",
        "description": "For each guideline page, the state of its English and Arabic translations against the "
        "French text.",
        "intro": "An outdated translation was made from a version of the French text that has changed since. "
        "This page is generated at every build of the site.",
        "page": "Page",
        "en": "English",
        "ar": "Arabic",
        "summary": "Summary",
        "count": "{label}: {count}",
        "separator": ", ",
    },
    "ar": {
        "title": "حالة الترجمات",
        "description": "حالة الترجمة الإنجليزية والعربية لكل صفحة من صفحات الإرشادات مقارنةً بالنص الفرنسي.",
        "intro": "الترجمة التي تحتاج إلى مراجعة أُعدّت انطلاقًا من نسخة من النص الفرنسي تغيّرت منذ ذلك الحين. "
        "تُنشأ هذه الصفحة تلقائيًا عند كل بناء للموقع.",
        "page": "الصفحة",
        "en": "الإنجليزية",
        "ar": "العربية",
        "summary": "ملخّص",
        "count": "{label}: {count}",
        "separator": "، ",
    },
}

SCAFFOLD_PAGE_TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "title": f"{TO_FILL} : titre de la page",
        "description": f"{TO_FILL} : une phrase qui dit à qui sert cette page et pour quoi faire.",
        "section": f"{TO_FILL} : cette section.",
        "sources_heading": "Sources",
    },
    "en": {
        "title": "TO TRANSLATE: {title}",
        "description": "TO TRANSLATE: {description}",
        "section": "TO TRANSLATE: this section of the French page.",
        "sources_heading": "Sources",
    },
    "ar": {
        "title": "للترجمة: {title}",
        "description": "للترجمة: {description}",
        "section": "للترجمة: هذا القسم من الصفحة الفرنسية.",
        "sources_heading": "المصادر",
    },
}
