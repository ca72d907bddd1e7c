"""Names of the languages spoken at services, in the reader's language (CLDR via Babel, plus our own overrides).

CLDR lacks names for some migrant languages; the override table fills them. Unknown codes show as the code itself.
"""

from __future__ import annotations

from functools import cache

from babel import Locale

OVERRIDES: dict[str, dict[str, str]] = {
    "ary": {"ar": "الدارجة المغربية"},
    "prs": {"fr": "dari", "en": "Dari", "ar": "الدرية"},
    "kmr": {"fr": "kurde kurmandji", "en": "Northern Kurdish (Kurmanji)", "ar": "الكردية الكرمانجية"},
}


@cache
def language_name(code: str, reader_language: str) -> str:
    override = OVERRIDES.get(code, {}).get(reader_language)
    if override:
        return override
    base = code.split("-")[0]
    name = Locale(reader_language).languages.get(code) or Locale(reader_language).languages.get(base)
    return name or code
