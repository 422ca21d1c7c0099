"""*Edit this page* and *Report a problem with this page*, from ``learn_contributor``.

When a page is written, ``learn_page_links`` in its template context lists the two
links (address, words, icon): the page's source in the repository's web editor (worked
out when the page is read: :func:`~sphinx_numpy_learn.contributor_urls.edit_source`), and a
new issue naming the page's title and address. The theme shows them in
pydata-sphinx-theme's article footer (the ``learn-page-links`` component); another
theme can include the same component or read the variable. Generated pages (index,
search) and pages without a source get none.

One edit link per page: none when pydata-sphinx-theme's own edit button is on
(``use_edit_page_button``: the project keeps it) or when the page's content already
links to the same source (a ``new-contributor`` callout's *Edit this page*).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_numpy_learn.contributor_urls import (
    edit_source,
    edit_url,
    note_edit_source,
    report_url,
)
from sphinx_numpy_learn.i18n import _
from sphinx_numpy_learn.page_meta import absolute_url, page_path, page_title

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def page_address(app: Sphinx, pagename: str) -> str:
    """The page's absolute address when ``html_baseurl`` is set, else its path."""
    return absolute_url(app, pagename) or page_path(app, pagename) or "/"


def theme_edit_button(context: dict[str, Any]) -> bool:
    """Whether pydata-sphinx-theme's own *Edit* button is on, from the page's context
    (``html_theme_options`` or a child theme's ``theme.toml``), as the parent's template
    tests it: ``theme_use_edit_page_button == true`` (a string from ``-D`` is not)."""
    value = context.get("theme_use_edit_page_button", False)
    return isinstance(value, int) and value == 1


def page_links(
    app: Sphinx, pagename: str, doctree: nodes.Node, context: dict[str, Any]
) -> list[dict[str, str]]:
    settings: dict[str, str] = app.config.learn_contributor or {}
    if "repository" not in settings:
        return []
    links: list[dict[str, str]] = []
    edit = edit_url(settings, edit_source(app.env, pagename))
    shown = {ref.get("refuri") for ref in doctree.findall(nodes.reference)}
    if edit and edit not in shown and not theme_edit_button(context):
        links.append({"url": edit, "label": _("Edit this page"), "icon": "fa-pencil"})
    title = page_title(app, pagename)
    report = report_url(settings, title, page_address(app, pagename))
    if report:
        links.append(
            {"url": report, "label": _("Report a problem with this page"), "icon": "fa-bug"}
        )
    return links


def add_page_links(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: the page's links, or none."""
    context["learn_page_links"] = []
    if app.builder.format != "html" or doctree is None or pagename not in app.env.all_docs:
        return
    context["learn_page_links"] = page_links(app, pagename, doctree, context)


def setup_page_links(app: Sphinx) -> None:
    app.connect("doctree-read", note_edit_source)
    app.connect("html-page-context", add_page_links)
