"""Safe HTML by construction: the renderers build markup only with these functions, which escape every value that
is not already markup.

The markup type is markupsafe's `Markup`, the one Jinja2 (and so the engine's templates) understands. A `str` is
text: `html()`, `fill()` and `join()` escape it, and only a `Markup` goes in unescaped. Nothing outside this module
constructs a `Markup` from a string (tests/test_markup.py checks it), so a value cannot reach a page unescaped by
forgetting a call.

Values are escaped with the standard library's `html.escape`, not markupsafe's `escape`: the two write `'` and `"`
differently (`&#x27;` and `&quot;` against `&#39;` and `&#34;`), and the pages stay byte-identical to those built
before this module. For the same reason the renderers never use `Markup`'s own operators (`+`, `%`, `format`,
`join`, `replace`), which escape with markupsafe's entities or escape their arguments.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape as _escape

from markupsafe import Markup

__all__ = ["EMPTY", "Markup", "each", "escaped", "fill", "html", "join"]


def _markup(finished: str) -> Markup:
    # str.__new__ skips Markup.__new__'s checks (written in Python): this runs for every piece of every page.
    return str.__new__(Markup, finished)


EMPTY = _markup("")


def _safe(value: object) -> str:
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return _escape(value)
    if type(value) is int:  # not a bool: True would print as "True"
        return str(value)
    raise TypeError(f"cannot put a {type(value).__name__} in HTML: give text (str), a number or Markup")


def html(template: str, *values: object, **named: object) -> Markup:
    """Markup from a literal `template` with `{}` (or `{name}`) holes; each value is escaped unless it is Markup.

    The template is trusted as markup: it must be a literal in the code, never data (tests/test_markup.py checks
    every call)."""
    if named:
        return _markup(template.format(*map(_safe, values), **{key: _safe(value) for key, value in named.items()}))
    return _markup(template.format(*map(_safe, values)))


def each(template: str, rows: Iterable[tuple[object, ...]], separator: str | Markup = EMPTY) -> Markup:
    """`template` filled once per row of values (a list's items, a table's rows), one after another.

    As `join(html(template, *row) for row in rows)`, in one step: a service page has dozens of such items."""
    return _markup(str.join(_safe(separator), [template.format(*map(_safe, row)) for row in rows]))


def fill(sentence: str, **values: object) -> Markup:
    """A translated sentence with `{name}` holes: the sentence is text (escaped), its values text or Markup."""
    return _markup(_escape(sentence).format(**{key: _safe(value) for key, value in values.items()}))


def escaped(text: str) -> Markup:
    """Text as markup."""
    return _markup(_escape(text))


def join(parts: Iterable[object], separator: str | Markup = EMPTY) -> Markup:
    """The parts one after another, text escaped; a `str` separator is text too."""
    # str.join, not Markup.join: the latter would escape the already escaped parts a second time.
    return _markup(str.join(_safe(separator), map(_safe, parts)))
