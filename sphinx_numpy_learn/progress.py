"""Reader progress: "Mark as done" on tutorial pages, "3 of 5 done" in catalogs and
on learning paths.

Progress lives only in the reader's browser (``localStorage``, one versioned key
per site); nothing is sent anywhere. The controls exist only in HTML, are added
when a page is written, start ``hidden`` and are revealed by the script, so a
reader without JavaScript (or with storage blocked) sees no dead buttons.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.i18n import _, ngettext
from sphinx_numpy_learn.nodes_util import WriteTimeFiller, ignore
from sphinx_numpy_learn.theme.options import page_actions_in_header
from sphinx_numpy_learn.tutorial import tutorial_header

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

    from sphinx_numpy_learn.records import TutorialRecord

# Version of what the script stores; the script ignores data written by another version.
STORAGE_VERSION = 1


class done_toggle(nodes.General, nodes.Element):
    """The "Mark as done" checkbox of a tutorial page (HTML only)."""


def done_label(record: TutorialRecord | None) -> str:
    """What the checkbox says: a contributor page is a guide, not a tutorial."""
    if record is not None and record["audience"] == "contributor":
        return _("I have finished this guide")
    return _("I have finished this tutorial")


def visit_toggle_html(self: HTML5Translator, node: done_toggle) -> None:
    record = get_domain(self.builder.env).tutorials.get(node["docname"])
    label = self.encode(done_label(record))
    doc = self.attval(node["docname"])
    self.body.append(
        f'<p class="learn-done" hidden=""><label><input type="checkbox" '
        f'class="learn-done-input" data-learn-doc="{doc}"/> {label}</label></p>'
    )
    raise nodes.SkipNode


def skip(self: object, node: nodes.Element) -> None:
    raise nodes.SkipNode


def progress_attributes(total: int) -> dict[str, str]:
    """Data attributes that let the script show progress over ``total`` tutorials."""
    return {
        # The plural follows the total, known now; the script fills in {done}.
        "data-learn-progress": ngettext("{done} of %d done", "{done} of %d done", total) % total,
        "data-learn-done-label": _("Done"),
        "data-learn-clear-confirm": _(
            "Forget which tutorials you marked as done on this site, in this browser?"
        ),
    }


def summary_html() -> str:
    """ "3 of 5 done" and "Forget my progress", after a catalog's filters or a path's
    steps: hidden until the script fills the status (where the browser can save
    progress), as the button is until there is progress to forget."""
    clear = escape(_("Forget my progress"))
    return (
        '<p class="learn-progress-summary" hidden=""><span role="status"></span> '
        f'<button type="button" class="learn-progress-clear" hidden="">{clear}</button></p>\n'
    )


def wants_progress(app: Sphinx) -> bool:
    """Progress controls only in page-per-document web output (not e-books or singlehtml)."""
    return app.config.learn_progress and app.builder.name in {"html", "dirhtml"}


class AddDoneToggle(WriteTimeFiller):
    formats = ("html",)

    def run(self) -> None:
        if not wants_progress(self.app):
            return
        record = get_domain(self.env).tutorials.get(self.docname)
        if record is None:
            return
        if page_actions_in_header(self.app):
            return  # the theme shows it in the article header (add_done_context)
        for header in self.document.findall(tutorial_header):
            header += done_toggle(docname=self.docname)
            return


def add_done_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: "Mark as done" for the theme's article header component."""
    context["learn_done"] = None
    record = get_domain(app.env).tutorials.get(pagename)
    if wants_progress(app) and record is not None and page_actions_in_header(app):
        context["learn_done"] = {"doc": pagename, "label": done_label(record)}


def setup_progress(app: Sphinx) -> None:
    app.add_node(
        done_toggle,
        html=(visit_toggle_html, ignore),
        latex=(skip, ignore),
        text=(skip, ignore),
        man=(skip, ignore),
        texinfo=(skip, ignore),
    )
    app.connect("doctree-resolved", AddDoneToggle.handler)
    app.connect("html-page-context", add_done_context)
