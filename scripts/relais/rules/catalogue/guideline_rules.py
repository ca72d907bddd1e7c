"""Rules for guideline pages (docs/**/*.md): front matter, content, translations."""

from __future__ import annotations

from relais.rules.rule import ERROR, WARNING, Rule

RULES: tuple[Rule, ...] = (
    # --- Guideline pages (docs/**/*.md) ---
    Rule(
        "DOC001",
        ERROR,
        "front matter not closed",
        "the front matter starts with `---` but is never closed",
        "Add a line with `---` after the last front-matter field.",
    ),
    Rule(
        "DOC002",
        ERROR,
        "front matter missing",
        "the page has no front matter",
        "Start the page with `---`, the fields `title`, `description`, `topics`, `audiences`, `review`, then `---`.",
    ),
    Rule(
        "DOC003",
        ERROR,
        "required field missing",
        "the field `{field}` is missing",
        "Add `{key}:` {place}. Expected: {expected}.",
        "Every guideline page needs `title`, `description`, `topics`, `audiences` and `review` (with `status` and "
        "`date`); the home and search pages need `title` and `description`. The list is "
        "directory/schema/guideline.schema.json.",
    ),
    Rule(
        "DOC004",
        ERROR,
        "unknown field",
        "unknown field `{field}`{suggestion}",
        "Correct the spelling or delete the line. Fields allowed here: {allowed}.",
        "A misspelt field is silently ignored by the site, so the information it holds would be lost. "
        "`translation` belongs only in translations (.en.md, .ar.md).",
    ),
    Rule(
        "DOC005",
        ERROR,
        "invalid value",
        "{field} {problem}",
        "Expected: {expected}.",
        "A value has the wrong form: text where a list is expected, an empty title, a review status other than "
        "draft or reviewed, a date that does not exist or is not written YYYY-MM-DD, too many topics.",
    ),
    Rule(
        "DOC006",
        ERROR,
        "unknown topic",
        "unknown topic `{id}`{suggestion}",
        "Use a topic id from directory/taxonomy.yml: {allowed}.",
        "Topics group the pages on the topic pages and in the search; an id that is not in the taxonomy would "
        "file the page under nothing.",
    ),
    Rule(
        "DOC007",
        ERROR,
        "unknown audience",
        "unknown audience `{id}`{suggestion}",
        "Use an audience id from directory/taxonomy.yml: {allowed}.",
        "Audiences say which professions a page is written for; the ids are listed in directory/taxonomy.yml.",
    ),
    Rule(
        "DOC008",
        ERROR,
        "unknown service category or population",
        "unknown {kind} `{id}`{suggestion}",
        "Use a {kind} id from directory/taxonomy.yml: {allowed}.",
        "`refer` links the page to the service directory; an id that is not in the taxonomy would point readers "
        "to no service.",
    ),
    Rule(
        "DOC009",
        ERROR,
        "guideline page too short",
        "the French text has {count} words; a guideline page needs at least {minimum} (Sources not counted)",
        "Add practical content: what to do, what to avoid, when and how to refer, an example, a checklist.",
        "A French guideline page (not a section index.md) must be long enough to be usable on its own. Words are "
        "counted in the body, without the front matter, the link addresses and the Sources section.",
    ),
    Rule(
        "DOC010",
        ERROR,
        "contact details in a page",
        "{kind} in the page text: `{text}`",
        "Contact details live only in the service directory (directory/), where they are checked and dated: "
        "link to the directory (`../../annuaire/index.md`) instead.",
        "Phone numbers and e-mail addresses in a page go out of date without anyone noticing, and can expose "
        "people. Years, dates (2026-11-23) and numbered lists are not reported.",
    ),
    Rule(
        "DOC011",
        ERROR,
        "sources missing or undated",
        "Sources: {problem}",
        "End the page with `## Sources` (`## المصادر` in Arabic) and a bullet list, one document per item: "
        "Title, Organisation, year.",
        "Readers and reviewers must be able to check where the guidance comes from. Every guideline page (not a "
        "section index.md) ends with a Sources section; every item gives the year of the document.",
    ),
    Rule(
        "DOC012",
        ERROR,
        "title or description not plain text",
        "`{field}` contains {what}",
        "Write `{field}` as one line of plain text, without `<`, `>` or HTML.",
        "The theme prints the title and description as they are into the page header and search results: a `<` "
        "or a line break can break the page.",
    ),
    Rule(
        "DOC013",
        ERROR,
        "review date in the future",
        "review date {date} is after today ({as_of})",
        "Write the date on which the review actually took place (YYYY-MM-DD).",
        "A review cannot have happened yet; a future date usually is a typing error in the year or month.",
    ),
    Rule(
        "DOC014",
        WARNING,
        "translation may be out of date",
        "the French page has changed since this translation was made (recorded revision {recorded}, current {current})",
        'Compare with {source}, update the translation, then set `source_revision: "{current}"`.',
        "Each translation records the revision of the French text it was made from. When the French page changes, "
        "readers of the translation see a note saying it may be out of date.",
    ),
    Rule(
        "DOC015",
        ERROR,
        "translation without French page",
        "this is a translation of {source}, which does not exist",
        "Create the French page {source} first, or rename this file after the French page it translates (same "
        "name, ending in .en.md or .ar.md).",
        "Translations are named after their French page (`page.md` -> `page.en.md`, `page.ar.md`). A translation "
        "without its French page has no place in the navigation.",
    ),
    Rule(
        "DOC016",
        WARNING,
        "translation without source revision",
        "the translation does not record which version of the French page it was made from",
        "If it matches the French page today, add the line `translation:` and, indented below it, "
        '`source_revision: "{current}"`.',
        "Without `translation.source_revision`, nobody can tell whether the translation is up to date.",
    ),
    Rule(
        "DOC017",
        ERROR,
        "reviewed without a reviewer",
        "the page says `status: reviewed` but names no reviewer",
        "Add `reviewed_by:` under `review:` with the `name` and `qualification` of the professional who signed the "
        "page off (with their consent), or set `status: draft` again.",
        "A page leaves draft only when a named qualified reviewer signs it off: readers see who, and when.",
    ),
    Rule(
        "DOC018",
        WARNING,
        "standards not stated",
        "the page does not say which standards it was checked against",
        "Add `checked_against:` under `review:` with the ids of the standards you checked the text against, e.g. "
        "[iasc-mhpss-2007, mhgap-hig-2015, who-pfa-2011].",
        "Every guideline page lists in its front matter the public standards its text was checked against "
        "(IASC MHPSS 2007, the MHPSS Minimum Service Package, mhGAP, PFA, IASC GBV guidelines, CPMS); the page "
        "shows them next to its review stamp.",
    ),
    Rule(
        "DOC019",
        ERROR,
        "translation not marked like its source",
        "this translation {here} marked `sensitive: true`, the French page {french}",
        "{fix} in the front matter of this translation, as in {source}.",
        "A page marked `sensitive: true` shows the Quick exit button. Every translation carries the same mark as "
        "the French page, so that a reader of a gender-based violence or child-protection page in English or "
        "Arabic can leave it as fast as a reader in French.",
    ),
)
