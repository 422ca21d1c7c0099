"""*Edit this page* and *Report a problem with this page*, from ``learn_contributor``.

When a page is written, ``learn_page_links`` in its template context lists the two
links (address, words, icon): the page's source in the repository's web editor, and a
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

from sphinx_numpy_learn.contributor_urls import edit_source, edit_url, report_url
from sphinx_numpy_learn.i18n import _
from sphinx_numpy_learn.page_meta import absolute_url, page_title

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_TRUE = {"true", "yes", "on", "1"}


def page_address(app: Sphinx, pagename: str) -> str:
    """The page's absolute address when ``html_baseurl`` is set, else its path."""
    return absolute_url(app, pagename) or app.builder.get_target_uri(pagename) or "/"


def theme_edit_button(app: Sphinx) -> bool:
    """Whether pydata-sphinx-theme's own *Edit* button is on."""
    value = (app.config.html_theme_options or {}).get("use_edit_page_button", False)
    return value is True or (isinstance(value, str) and value.strip().lower() in _TRUE)


def page_links(app: Sphinx, pagename: str, doctree: nodes.Node) -> list[dict[str, str]]:
    settings: dict[str, str] = app.config.learn_contributor or {}
    if "repository" not in settings:
        return []
    links: list[dict[str, str]] = []
    edit = edit_url(settings, edit_source(app.env, pagename))
    shown = {ref.get("refuri") for ref in doctree.findall(nodes.reference)}
    if edit and edit not in shown and not theme_edit_button(app):
        links.append({"url": edit, "label": _("Edit this page"), "icon": "fa-pencil"})
    title = page_title(app, pagename) or pagename
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
    context["learn_page_links"] = page_links(app, pagename, doctree)


def setup_page_links(app: Sphinx) -> None:
    app.connect("html-page-context", add_page_links)
