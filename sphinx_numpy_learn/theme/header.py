"""The header stays one row: how many of its links show before *More*, and which
of its texts get a tooltip.

pydata-sphinx-theme shows ``header_links_before_dropdown`` links (5 by default)
and lets the row wrap when their titles are long, so a flat site with ten
tutorials got a header of three rows. This theme's default is ``"auto"``: as many
links as fit beside the search button at 1024 px, estimated from the length of
their titles. The stylesheet keeps the row from wrapping whatever the count (a
link that still does not fit is shortened with an ellipsis). A text that may be
shortened that way gets its whole text as a tooltip (a ``title``), from the same
estimate, made by :func:`fit_header_links` from what the build knows (the link
titles, the count, the site title and logo in the context); the attribute is added
to the parent's header links (``link_tooltips``, through its
``generate_header_nav_html``, theme/navigation.py) and site title (``learn_header``,
the theme's layout.html). Screen readers read the whole text either way.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sphinx import addnodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

AUTO = "auto"
# Widths in em of the header's font. The links' share of a 1024 px window beside the
# site title's column (a quarter), the search button, the colour switcher and an
# icon link; measured in Chromium with the theme's stylesheet.
ROW = 26.0
LINK_PADDING = 1.0
MORE_BUTTON = 5.0
# The estimate is 0.5 em a character; real titles in the header's font measure up to
# a tenth wider (measured in Chromium on the flat sites' titles), and the row is
# about 1.5 em narrower at 992 px, the narrowest width that shows the links in the
# header. So a row estimated at more than this share of ROW may be cut short there,
# and its links get tooltips.
FIT_MARGIN = 0.85
# The site title's room, in em of its font (1.25 times the links'): it is given the
# least on a phone, 8.65 em at 375 px beside the menu and search buttons (12.4 em,
# a quarter, at 1024 px), less the estimate's tenth. It may have more when the links
# leave room, but is promised no more. A logo image beside it takes about LOGO em.
TITLE_ROOM = 7.5
LOGO = 3.0


# Every page's header lists the same links: their texts and widths are worked out once
# (a site of N pages would otherwise measure N x N texts).
_MEASURED = 4096  # texts remembered


@functools.lru_cache(maxsize=_MEASURED)
def text_width(text: str) -> float:
    """About how wide ``text`` is, in em: wide (CJK) characters count double."""
    if text.isascii():
        return len(text) * 0.5  # no ASCII character is wide
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


# builder -> the root page's toctree entry titles, per build (forgotten at env-updated).
_ROOT_TITLES: weakref.WeakKeyDictionary[Any, tuple[str, ...]] = weakref.WeakKeyDictionary()


def root_toctree_entries(app: Sphinx) -> Iterator[tuple[str | None, str]]:
    """The root page's toctree entries as the header lists them: each one's own title
    (or ``None``) and its page (a docname or an address)."""
    root_toc = app.env.tocs.get(app.config.root_doc)
    for toctree in root_toc.findall(addnodes.toctree) if root_toc is not None else ():
        for title, ref in toctree["entries"]:
            yield title, toctree["parent"] if ref == "self" else ref


def _root_toctree_titles(app: Sphinx) -> tuple[str, ...]:
    if app.builder not in _ROOT_TITLES:
        titles = app.env.titles
        _ROOT_TITLES[app.builder] = tuple(
            (titles[page].astext() if page in titles else page) if title is None else title
            for title, page in root_toctree_entries(app)
        )
    return _ROOT_TITLES[app.builder]


def forget_titles(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: the pages and their titles may have changed since the last build."""
    _ROOT_TITLES.pop(app.builder, None)


def header_link_titles(app: Sphinx, context: dict[str, Any]) -> list[str]:
    """The header's link texts, in the order pydata-sphinx-theme lists them: the root
    page's toctree entries, then the ``external_links`` option."""
    titles = list(_root_toctree_titles(app))
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


def row_may_clip(titles: list[str], more: bool, row: float = ROW) -> bool:
    """Whether the header's shown links (the titles; *More* too, if it shows) might
    not fit whole in ``row`` em. The stylesheet shrinks them all alike then (flex),
    so any of them may be cut short."""
    needed = sum(text_width(title) + LINK_PADDING for title in titles)
    return needed + (MORE_BUTTON if more else 0) > row * FIT_MARGIN


_TAG = re.compile(r"<[^>]*>")
# Where the tooltips go: pydata-sphinx-theme's links in the header's row ("More"'s are
# "nav-link dropdown-item" and wrap instead), and its site title.
_ROW_LINK = re.compile(
    r'(?P<open><a class="nav-link nav-[^"]*")(?P<rest>[^>]*>)(?P<text>.*?)</a>', re.DOTALL
)
_SITE_TITLE = re.compile(r'(?P<open><p class="title logo__title")>')


@functools.lru_cache(maxsize=_MEASURED)
def text_of(markup: str) -> str:
    """An element's text as shown: tags out, entities read, white space collapsed."""
    return " ".join(html.unescape(_TAG.sub("", markup)).split())


def shown_links(titles: list[str], count: int) -> tuple[list[str], bool]:
    """The titles of the links the header's row shows with ``count`` before *More*, and
    whether *More* shows (pydata-sphinx-theme shows every link rather than one in it)."""
    if len(titles) <= count + 1:
        return titles, False
    return titles[:count], True


def _add_title(match: re.Match[str]) -> str:
    if " title=" in match["rest"]:
        return match[0]
    title = html.escape(text_of(match["text"]))
    return f'{match["open"]} title="{title}"{match["rest"]}{match["text"]}</a>'


def link_tooltips(nav: str, *, on: bool) -> str:
    """The header's links (``generate_header_nav_html``'s HTML), each of its row with
    its text as a ``title`` when ``on`` (:func:`fit_header_links` decides)."""
    if not on:
        return nav
    return _ROW_LINK.sub(_add_title, nav)


def site_title_tooltip(context: dict[str, Any]) -> str | None:
    """The site title's text when the header shows it and it may be cut short
    (``TITLE_ROOM``, less a logo image beside it), as pydata-sphinx-theme's
    ``navbar-logo.html`` chooses it: the logo's text, else ``docstitle``."""
    logo = context.get("theme_logo") or {}
    image = isinstance(logo, dict) and "light" in (logo.get("image_relative") or {})
    text = logo.get("text") if isinstance(logo, dict) else None
    if image and not text:
        return None  # a logo alone: no title
    text = text_of(str(text or context.get("docstitle") or ""))
    return text if text_width(text) > TITLE_ROOM - (LOGO if image else 0) else None


def title_tooltip(header: str, title: str | None) -> str:
    """The header's HTML with ``title`` as its site title's tooltip (if any)."""
    match = _SITE_TITLE.search(header) if title else None
    if match is None:
        return header
    end = match.end("open")
    return f'{header[:end]} title="{html.escape(str(title))}"{header[end:]}'


def fit_header_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: replace ``"auto"`` with a count before the header is drawn,
    and say which of the header's texts get a tooltip: the row's links
    (``learn_header_link_tooltips``, read by theme/navigation.py) and the site title
    (``learn_header``, the layout's filter of its header block; it reads the logo from
    the context when the page is drawn, after the parent has set it).

    Keyed on the value, not on the theme's name, so a child theme of this one works too.
    """
    titles = header_link_titles(app, context)
    count = context.get("theme_header_links_before_dropdown")
    if count == AUTO:
        count = context["theme_header_links_before_dropdown"] = links_that_fit(tuple(titles))
    try:
        shown, more = shown_links(titles, int(count))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        shown, more = titles, False
    context["learn_header_link_tooltips"] = row_may_clip(shown, more)
    context["learn_header"] = lambda header: title_tooltip(header, site_title_tooltip(context))


def setup_header(app: Sphinx) -> None:
    app.connect("html-page-context", fit_header_links)
    app.connect("env-updated", forget_titles)
