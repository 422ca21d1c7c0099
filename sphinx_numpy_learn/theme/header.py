"""The header stays one row: how many of its links show before *More*.

pydata-sphinx-theme shows ``header_links_before_dropdown`` links (5 by default)
and lets the row wrap when their titles are long, so a flat site with ten
tutorials got a header of three rows. This theme's default is ``"auto"``: as many
links as fit beside the search button at 1024 px, estimated from the length of
their titles. The stylesheet keeps the row from wrapping whatever the count (a
link that still does not fit is shortened with an ellipsis).
"""

from __future__ import annotations

import functools
import unicodedata
from typing import TYPE_CHECKING, Any

from sphinx import addnodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

AUTO = "auto"
# Widths in em of the header's font. The links' share of a 1024 px window beside the
# site title's column (a quarter), the search button, the colour switcher and an
# icon link; measured in Chromium with the theme's stylesheet.
ROW = 26.0
LINK_PADDING = 1.0
MORE_BUTTON = 5.0


def text_width(text: str) -> float:
    """About how wide ``text`` is, in em: wide (CJK) characters count double."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def header_link_titles(app: Sphinx, context: dict[str, Any]) -> list[str]:
    """The header's link texts, in the order pydata-sphinx-theme lists them: the root
    page's toctree entries, then the ``external_links`` option."""
    env = app.env
    titles: list[str] = []
    root_toc = env.tocs.get(app.config.root_doc)
    for toctree in root_toc.findall(addnodes.toctree) if root_toc is not None else ():
        for title, ref in toctree["entries"]:
            page = toctree["parent"] if ref == "self" else ref
            if title is None:
                title = env.titles[page].astext() if page in env.titles else page
            titles.append(title)
    for link in context.get("theme_external_links") or ():
        if isinstance(link, dict):
            titles.append(str(link.get("name", "")))
    return titles


@functools.lru_cache(maxsize=16)
def links_that_fit(titles: tuple[str, ...], row: float = ROW) -> int:
    """The largest ``header_links_before_dropdown`` whose links fit in ``row`` em.

    pydata-sphinx-theme shows every link when only one would go into *More*, so a
    count of ``n`` shows ``n + 1`` links then. At least one link always shows.
    Every page of a build asks with the same titles: one pass, remembered.
    """
    widths = [text_width(title) + LINK_PADDING for title in titles]
    if widths and sum(widths) <= row:
        return len(widths)
    # Otherwise ``count`` links and *More* show, for counts that leave two or more out.
    fitting, needed = 1, MORE_BUTTON
    for count, width in enumerate(widths[:-2], start=1):
        needed += width
        if needed > row:
            break
        fitting = count
    return fitting


def fit_header_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: replace ``"auto"`` with a count before the header is drawn.

    Keyed on the value, not on the theme's name, so a child theme of this one works too.
    """
    if context.get("theme_header_links_before_dropdown") != AUTO:
        return
    context["theme_header_links_before_dropdown"] = links_that_fit(
        tuple(header_link_titles(app, context))
    )


def setup_header(app: Sphinx) -> None:
    app.connect("html-page-context", fit_header_links)
