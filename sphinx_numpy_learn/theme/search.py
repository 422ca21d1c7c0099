"""The search index, loaded when a reader searches, not on every page.

pydata-sphinx-theme puts Sphinx's search scripts in the head of every page:
``searchtools.js``, ``language_data.js`` and the whole ``searchindex.js`` (about
200 KB at 300 pages, growing with the site), loaded before the page is drawn, for
its search-as-you-type dialog. With search-as-you-type off (its default) nothing on
a page but the search page uses them: the dialog's form opens the search page, which
loads them itself. With it on, the page keeps the two small scripts (the parent's
code looks for ``Search`` when the page is ready) and ``scripts/learn-search.js``
(added by :mod:`~sphinx_numpy_learn.theme.page_assets`) loads the index the first
time the search dialog takes focus; Sphinx's ``Search``
holds a query typed before the index arrives and runs it then.

The theme's ``layout.html`` passes the parent's ``extrahead`` block through
:func:`search_head`, which drops the tags: the parent's template is extended, not
copied, and if a parent release writes the tags differently they stay (the tests
fail; the page still works).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from sphinx_numpy_learn.theme.options import is_on

if TYPE_CHECKING:
    from sphinx.application import Sphinx

INDEX = "searchindex"
TOOLS = ("searchtools", "language_data")
SEARCH_PAGE = "search"


def _script_tags(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(
        rf'[ \t]*<script\b[^>]*\bsrc="(?:[^"]*/)?(?:{alternatives})\.js(?:\?[^"]*)?"[^>]*>'
        r"\s*</script>[ \t]*\n?"
    )


INDEX_TAG = _script_tags((INDEX,))
ALL_TAGS = _script_tags((INDEX, *TOOLS))


def search_as_you_type(context: dict[str, Any]) -> bool:
    """pydata-sphinx-theme's ``search_as_you_type`` option (the parent writes
    ``str(value).lower()`` into JavaScript, where ``true`` or ``1`` is on;
    ``-D html_theme_options.search_as_you_type=1`` gives the string ``"1"``)."""
    return is_on(context.get("theme_search_as_you_type", False))


def search_head(head: str, *, as_you_type: bool) -> Markup:
    """The parent's ``extrahead`` block without the search scripts a page does not
    need: all three, or (search-as-you-type) only the index."""
    return Markup((INDEX_TAG if as_you_type else ALL_TAGS).sub("", str(head)))


def add_search_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: the function ``layout.html`` filters the head with (the
    index loader is one of the page's files: :mod:`~sphinx_numpy_learn.theme.page_assets`).
    The search page keeps its scripts."""
    if pagename == SEARCH_PAGE or app.builder.format != "html":
        return
    as_you_type = search_as_you_type(context)
    context["learn_search_head"] = lambda head: search_head(head, as_you_type=as_you_type)


def setup_search(app: Sphinx) -> None:
    app.connect("html-page-context", add_search_context)
