"""Callouts for contributor guides: ``new-contributor``, ``maintainer-note`` and
``first-time-setup``.

All three are admonitions (builders that know nothing about us render them as
one). ``new-contributor`` adds links built from ``learn_contributor``: a search
for good first issues, the chat, the page's source and the contributor guide.
``first-time-setup`` turns its list into a checklist; in HTML the script adds a
checkbox to each step and remembers the ticks in the reader's browser.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx import addnodes

from sphinx_numpy_learn.contributor_urls import edit_source, edit_url, good_first_issues_url
from sphinx_numpy_learn.directive_options import (
    LearnDirective,
    OptionSpec,
    class_names,
    required_text,
    text,
)
from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.i18n import _, ngettext
from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.nodes_util import add_node_everywhere, like
from sphinx_numpy_learn.task_lists import TASKLIST_CLASS, read_marker
from sphinx_numpy_learn.tutorial import resolve_doc

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

LINKS = ("good-first-issue", "chat", "edit", "guide")


class callout(nodes.Admonition, nodes.Element):
    """A contributor-guide callout; ``kind`` names which one."""


class checklist_steps(nodes.enumerated_list):
    """The steps of a ``first-time-setup`` checklist."""


class checklist_step(nodes.list_item):
    """One step; ``key`` identifies it in the reader's saved ticks."""


def visit_callout_html(self: HTML5Translator, node: callout) -> None:
    attributes: dict[str, str] = {}
    if node["kind"] == "first-time-setup" and node["steps"]:
        total = node["steps"]
        attributes = {
            "data-learn-checklist": node["key"],
            # The plural is chosen here, where the number of steps is known.
            "data-learn-template": ngettext(
                "{done} of %d step done", "{done} of %d steps done", total
            )
            % total,
            "data-learn-step-label": _("Step {n} done"),
        }
    self.body.append(
        self.starttag(
            node, "aside", "", CLASS=f"admonition learn-callout learn-{node['kind']}", **attributes
        )
    )


def depart_callout_html(self: HTML5Translator, node: callout) -> None:
    if node["kind"] == "first-time-setup" and node["steps"]:
        # Filled in by the script; with no script there is nothing to count.
        self.body.append('<p class="learn-checklist-status" role="status" hidden=""></p>')
    self.body.append("</aside>\n")


def visit_step_html(self: HTML5Translator, node: checklist_step) -> None:
    self.body.append(self.starttag(node, "li", "", **{"data-learn-step": node["key"]}))


def depart_step_html(self: HTML5Translator, node: checklist_step) -> None:
    self.body.append("</li>\n")


# -- Links from learn_contributor --------------------------------------------------------


def good_first_issues_text(settings: dict[str, str]) -> str:
    """The link's words name the label it searches for, unless that is the usual one."""
    label = settings.get("good_first_issue_label", "good first issue")
    if " ".join(label.split()).casefold() == "good first issue":
        return _("Find a good first issue")
    return _("Find an issue labelled \u201c%s\u201d") % label


def _external(text: str, url: str) -> nodes.paragraph:
    return nodes.paragraph("", "", nodes.reference("", text, refuri=url, classes=["external"]))


def _guide_ref(docname: str, target: str, doc: str | None, text: str | None) -> nodes.paragraph:
    """A link to a contributor-guide page or a section label in it: with ``text``, or
    (``None``) titled by Sphinx with the page's or section's title."""
    reftype, reftarget = ("doc", "/" + doc) if doc is not None else ("ref", target.lower())
    ref = addnodes.pending_xref(
        "",
        nodes.inline("", text or target),
        refdomain="std",
        reftype=reftype,
        reftarget=reftarget,
        refexplicit=text is not None,
        refwarn=True,
        refdoc=docname,
    )
    paragraph = nodes.paragraph()
    if text is None:
        paragraph += nodes.Text(_("Contributor guide:") + " ")
    paragraph += ref
    return paragraph


# -- Directives --------------------------------------------------------------------------


class CalloutDirective(LearnDirective):
    """The shared part: an optional title argument, content, ``:class:`` and ``:name:``."""

    kind: ClassVar[str] = ""
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = OptionSpec({"class": class_names, "name": text}, subtype="contributor")

    def default_title(self) -> str:
        raise NotImplementedError

    def make_callout(self) -> callout:
        node = callout(kind=self.kind, classes=["learn-callout", *self.options.get("class", [])])
        self.set_source_info(node)
        title_text = self.arguments[0] if self.arguments else self.default_title()
        inline, messages = self.parse_inline(title_text, lineno=self.lineno)
        title = nodes.title(title_text, "", *inline)
        self.set_source_info(title)
        node += title
        node += messages
        self.add_name(node)
        node += self.parse_content_to_nodes()
        return node

    def run(self) -> list[nodes.Node]:
        return [self.make_callout()]


class MaintainerNoteDirective(CalloutDirective):
    kind = "maintainer-note"

    def default_title(self) -> str:
        return _("Maintainer note")


class NewContributorDirective(CalloutDirective):
    """A callout for someone making their first contribution, with helpful links."""

    kind = "new-contributor"
    option_spec = CalloutDirective.option_spec.extended(
        {"links": text, "guide": required_text}, subtype="contributor"
    )

    def default_title(self) -> str:
        return _("New to contributing?")

    def run(self) -> list[nodes.Node]:
        node = self.make_callout()
        links = self.links()
        if links.children:
            node += links
        return [node]

    def requested(self) -> tuple[list[str], bool]:
        """The links asked for, and whether the writer named them (then they must exist)."""
        if "links" not in self.options:
            return list(LINKS), False
        names = [n.strip() for n in self.options["links"].replace(",", " ").split() if n.strip()]
        unknown = [n for n in names if n not in LINKS]
        if unknown:
            warn(
                f"new-contributor: unknown link(s) {', '.join(map(repr, unknown))}; "
                f"known links: {', '.join(LINKS)}",
                subtype="contributor",
                location=self.get_location(),
            )
        return [n for n in names if n in LINKS], True

    def links(self) -> nodes.bullet_list:
        settings: dict[str, str] = self.config.learn_contributor
        names, explicit = self.requested()
        if "guide" in self.options and "guide" not in names:
            names.append("guide")
        items: list[nodes.paragraph] = []
        for name in names:
            item = self.link(name, settings)
            if item is not None:
                items.append(item)
            elif explicit:
                needs = {"guide": "'guide'", "chat": "'chat'"}.get(name, "'repository'")
                warn(
                    f"new-contributor: the {name!r} link needs learn_contributor[{needs}] "
                    "in conf.py",
                    subtype="contributor",
                    location=self.get_location(),
                )
        links = nodes.bullet_list(classes=["learn-contributor-links"])
        for item in items:
            links += nodes.list_item("", item)
        return links

    def link(self, name: str, settings: dict[str, str]) -> nodes.paragraph | None:
        if name == "good-first-issue":
            url = good_first_issues_url(settings)
            return _external(good_first_issues_text(settings), url) if url else None
        if name == "chat":
            return _external(_("Ask for help"), settings["chat"]) if "chat" in settings else None
        if name == "edit":
            url = edit_url(settings, edit_source(self.env, self.env.docname))
            return _external(_("Edit this page"), url) if url else None
        # :guide: names a page or section (shown by its title); else the guide's start.
        target = self.options.get("guide") or settings.get("guide")
        if not target:
            return None
        doc: str | None = resolve_doc(self.env, self.env.docname, target)
        if doc not in self.env.found_docs:
            doc = None  # a section label, resolved (or reported) by Sphinx
        text = None if "guide" in self.options else _("Read the contributor guide")
        return _guide_ref(self.env.docname, target, doc, text)


class FirstTimeSetupDirective(CalloutDirective):
    """A checklist: the list in the content becomes steps the reader can tick."""

    kind = "first-time-setup"
    option_spec = CalloutDirective.option_spec.extended({}, subtype="checklist")

    def default_title(self) -> str:
        return _("First-time setup")

    def run(self) -> list[nodes.Node]:
        node = self.make_callout()
        lists = [
            child
            for child in node.children
            if isinstance(child, nodes.bullet_list | nodes.enumerated_list)
        ]
        if len(lists) != 1:
            warn(
                f"first-time-setup needs exactly one list of steps, found {len(lists)}",
                subtype="checklist",
                location=self.get_location(),
            )
        if not lists:
            node["steps"], node["key"] = 0, ""
            return [node]
        original = lists[0]
        if TASKLIST_CLASS in original["classes"]:  # replace_self() would keep it
            original["classes"].remove(TASKLIST_CLASS)
        steps = checklist_steps(enumtype="arabic", prefix="", suffix=".")
        steps.source, steps.line = original.source, original.line
        keys: set[str] = set()
        for item in original.children:
            without_marker(item)
            text = item.astext()
            key = hashlib.sha256(text.encode()).hexdigest()[:10]
            while key in keys:  # two identical steps still get their own ticks
                key = hashlib.sha256(key.encode()).hexdigest()[:10]
            keys.add(key)
            step = checklist_step("", *item.children, key=key)
            steps += step
        original.replace_self(steps)
        node["steps"] = len(steps.children)
        node["key"] = self.storage_key(node[0].astext())
        get_domain(self.env).note_interactive(self.env.docname)
        return [node]

    def storage_key(self, title: str) -> str:
        """The key the reader's ticks are saved under: the page, the title and, from the
        second checklist of that title on the page (one per operating system, say),
        which one it is. Made from the page alone, so every build gives the same key;
        the first keeps the key it had before there could be a second."""
        occurrence = self.env.new_serialno(f"learn-checklist\n{title}")
        identity = f"{self.env.docname}\n{title}" + (f"\n{occurrence}" if occurrence else "")
        return hashlib.sha256(identity.encode()).hexdigest()[:10]


def without_marker(item: nodes.Element) -> None:
    """A step written as a task item (``- [ ] Install Git``) is a plain step: the
    script adds the checkbox, and the reader ticks it."""
    ticked, content = read_marker(item)
    if ticked is not None:
        item[0][:] = content


def setup_callouts(app: Sphinx) -> None:
    add_node_everywhere(
        app, callout, html=(visit_callout_html, depart_callout_html), other=like("admonition")
    )
    add_node_everywhere(
        app, checklist_steps, html=like("enumerated_list"), other=like("enumerated_list")
    )
    add_node_everywhere(
        app, checklist_step, html=(visit_step_html, depart_step_html), other=like("list_item")
    )
    for name, directive in (
        ("new-contributor", NewContributorDirective),
        ("maintainer-note", MaintainerNoteDirective),
        ("first-time-setup", FirstTimeSetupDirective),
    ):
        app.add_directive(name, directive)
        app.add_directive_to_domain("learn", name, directive)
