"""The public standards a guideline page is checked against (front matter `review.checked_against`).

One table: the schema lists the same ids, the page stamp prints these citations (title, organisation, year).
"""

from __future__ import annotations

STANDARDS: dict[str, str] = {
    "iasc-mhpss-2007": "IASC Guidelines on Mental Health and Psychosocial Support in Emergency Settings (IASC, 2007)",
    "iasc-msp-2022": "IASC MHPSS Minimum Service Package (IASC, 2022)",
    "mhgap-hig-2015": "mhGAP Humanitarian Intervention Guide (WHO and UNHCR, 2015)",
    "mhgap-ig-2016": "mhGAP Intervention Guide, version 2.0 (WHO, 2016)",
    "who-pfa-2011": "Psychological First Aid: Guide for Field Workers (WHO, War Trauma Foundation and World Vision "
    "International, 2011)",
    "iasc-gbv-2015": "IASC Guidelines for Integrating Gender-Based Violence Interventions in Humanitarian Action "
    "(IASC, 2015)",
    "cpms-2019": "Minimum Standards for Child Protection in Humanitarian Action (Alliance for Child Protection in "
    "Humanitarian Action, 2019)",
}


def citations(ids: object) -> list[str]:
    """The citations of the known ids in `ids`, in the page's order (the validator reports unknown ones)."""
    return [STANDARDS[i] for i in ids if isinstance(i, str) and i in STANDARDS] if isinstance(ids, list) else []
