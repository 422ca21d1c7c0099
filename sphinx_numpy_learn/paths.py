"""Learning paths: an ordered sequence of pages, with "step N of M" on each page.

``learning-path`` stores the path in the domain and leaves a placeholder; when
pages are written, the placeholder becomes a numbered step list and every step
page gets a path navigation block (its position, previous and next step).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.locale import _ as sphinx_label

from sphinx_numpy_learn.directive_options import (
    LearnDirective,
    OptionSpec,
    class_names,
    required_text,
)
from sphinx_numpy_learn.domain import get_domain, page_may_show
from sphinx_numpy_learn.i18n import _
from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.nodes_util import (
    WriteTimeFiller,
    add_node_everywhere,
    doc_link,
    ignore,
    like,
)
from sphinx_numpy_learn.progress import progress_attributes, summary_html, wants_progress
from sphinx_numpy_learn.records import PathRecord, path_record
from sphinx_numpy_learn.tiers import make_badge, make_duration, tiers_of
from sphinx_numpy_learn.tutorial import duration_text, resolve_doc

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

_NOT_ID = re.compile(r"[^a-z0-9]+")


def path_id(name: str) -> str:
    return f"learn-path-{name}"


class path_placeholder(nodes.General, nodes.Element):
    """Where a path's step list goes; replaced when the page is written."""


class path_steps(nodes.enumerated_list):
    pass


class path_step(nodes.list_item):
    """One step (``learn_doc``: its document, for the progress script)."""


class page_end(nodes.General, nodes.Element):
    """End of a page's main section: where path navigation goes, if the page is on a path.

    Placed at read time on every page (attribute ``docname``), so builders that
    assemble many pages into one document (LaTeX, singlehtml) still know which
    page each one is.
    """


class path_nav(nodes.container):
    """Position on a path, with links to the previous and next step."""


def visit_steps_html(self: HTML5Translator, node: path_steps) -> None:
    progress = progress_attributes(len(node.children)) if node.get("progress") else {}
    self.body.append(
        self.starttag(
            node,
            "ol",
            "",
            CLASS="learn-path-steps",
            **{"data-learn-path": node["name"], **progress},
        )
    )


def visit_step_html(self: HTML5Translator, node: path_step) -> None:
    self.body.append(self.starttag(node, "li", "", **{"data-learn-doc": node["learn_doc"]}))


def depart_step_html(self: HTML5Translator, node: path_step) -> None:
    self.body.append("</li>\n")


def depart_steps_html(self: HTML5Translator, node: path_steps) -> None:
    self.body.append("</ol>\n" + (summary_html() if node.get("progress") else ""))


def visit_nav_html(self: HTML5Translator, node: path_nav) -> None:
    label = _("Learning path: %s") % node["title"]
    self.body.append(
        self.starttag(node, "nav", "", CLASS="learn-path-nav", **{"aria-label": label})
    )


def depart_nav_html(self: HTML5Translator, node: path_nav) -> None:
    self.body.append("</nav>\n")


def _step_text(line: str) -> str:
    return line.strip().removeprefix("- ").removeprefix("* ").strip()


class LearningPathDirective(LearnDirective):
    """``learning-path``: a titled, ordered list of documents, one per line."""

    # The title is required, but its absence is a warning, not a lost path.
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = OptionSpec({"name": required_text, "class": class_names}, subtype="path")

    def run(self) -> list[nodes.Node]:
        title = self.arguments[0].strip() if self.arguments else ""
        if not title:
            title = _("Learning path")
            warn(
                f"learning-path needs a title as its argument; it is called {title!r}",
                subtype="path",
                location=self.get_location(),
            )
        name = self.options.get("name") or _NOT_ID.sub("-", title.lower()).strip("-") or "path"
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
            warn(
                f"learning-path name {name!r} must use lowercase letters, digits and hyphens",
                subtype="path",
                location=self.get_location(),
            )
            name = _NOT_ID.sub("-", name.lower()).strip("-") or "path"
        steps: list[str] = []
        # Lines are found in the directive's own text: MyST and docutils count
        # content_offset differently, the block text is the same for both.
        block = self.block_text.splitlines()
        cursor = 1

        def line_of(text: str) -> int:
            nonlocal cursor
            for index in range(cursor, len(block)):
                if _step_text(block[index]) == text:
                    cursor = index + 1
                    return self.lineno + index
            return self.lineno

        for line in self.content:
            text = _step_text(line)
            if not text:
                continue
            location = (self.env.docname, line_of(text))
            doc = resolve_doc(self.env, self.env.docname, text)
            if doc not in self.env.found_docs:
                warn(
                    f"learning path {title!r}: step {text!r} is not a document of this project",
                    subtype="path",
                    location=location,
                )
            elif doc in steps:
                warn(
                    f"learning path {title!r} lists {text!r} twice; the second is ignored",
                    subtype="path",
                    location=location,
                )
            else:
                steps.append(doc)
        if not steps:
            warn(
                f"learning path {title!r} has no steps",
                subtype="path",
                location=self.get_location(),
            )
        get_domain(self.env).note_path(
            self.env.docname,
            path_record(
                name=name, title=title, docname=self.env.docname, line=self.lineno, steps=steps
            ),
        )
        # Found or not: the page is read again when one of them is added or removed.
        get_domain(self.env).note_named(
            self.env.docname,
            (
                resolve_doc(self.env, self.env.docname, t)
                for t in map(_step_text, self.content)
                if t
            ),
        )
        placeholder = path_placeholder(
            name=name, docname=self.env.docname, classes=self.options.get("class", [])
        )
        placeholder["ids"].append(path_id(name))
        self.set_source_info(placeholder)
        return [placeholder]


def mark_page_end(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: leave a :class:`page_end` marker at the end of the page."""
    section = next(iter(doctree.findall(nodes.section)), doctree)
    section += page_end(docname=app.env.docname)


def check_path_names(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: two paths with one name would share an anchor."""
    seen: dict[str, str] = {}
    for path in get_domain(env).paths():
        if path["name"] in seen:
            warn(
                f"learning path name {path['name']!r} is also used in {seen[path['name']]!r}; "
                "give one of them a different :name:",
                subtype="path",
                location=(path["docname"], path["line"]),
            )
        else:
            seen[path["name"]] = path["docname"]


def doc_title(env: BuildEnvironment, doc: str) -> str:
    """A tutorial's metadata title, else the page's title."""
    record = get_domain(env).tutorials.get(doc)
    if record is not None:
        return record["title"]
    title = env.titles.get(doc)
    return title.astext() if title is not None else doc


class FillPaths(WriteTimeFiller):
    """Step lists on path pages; position and previous/next links on step pages."""

    def run(self) -> None:
        domain = get_domain(self.env)
        builder = self.app.builder
        if page_may_show(self.env, builder, self.docname, ("path",)):
            for placeholder in list(self.document.findall(path_placeholder)):
                path = domain.path_named(placeholder["name"], page=placeholder["docname"])
                if path is None:  # cannot happen with a consistent environment
                    placeholder.parent.remove(placeholder)
                    continue
                placeholder.parent.replace(placeholder, self.steps(path, placeholder))
        if page_may_show(self.env, builder, self.docname, ("path-nav", "path-book")):
            ends = list(self.document.findall(page_end))
        else:  # on no path: the marker is dropped where it was put, without a walk
            section = next(iter(self.document.findall(nodes.section)), self.document)
            ends = [child for child in section.children if isinstance(child, page_end)]
        for end in ends:
            navs = [self.nav(path, index) for path, index in domain.paths_through(end["docname"])]
            if navs:
                end.parent.replace(end, navs)
            else:
                end.parent.remove(end)

    def link(self, doc: str, title: str, anchor: str | None = None) -> nodes.reference:
        return doc_link(
            self.app.builder, self.docname, doc, anchor, nodes.inline("", title), title
        )

    def steps(self, path: PathRecord, placeholder: path_placeholder) -> nodes.Element:
        tiers = tiers_of(self.config)
        tutorials = get_domain(self.env).tutorials
        steps = path_steps(
            enumtype="arabic",
            prefix="",
            suffix=".",
            name=path["name"],
            classes=["learn-path-steps", *placeholder["classes"]],
        )
        steps["ids"] = list(placeholder["ids"])
        steps["progress"] = wants_progress(self.app)
        for doc in path["steps"]:
            paragraph = nodes.paragraph()
            paragraph += self.link(doc, doc_title(self.env, doc))
            record = tutorials.get(doc)
            if record is not None:
                tier = tiers.get(record["level"] or "")
                if tier is not None:
                    paragraph += nodes.Text(" ")
                    paragraph += make_badge(tier)
                paragraph += nodes.Text(" ")
                paragraph += make_duration(duration_text(record))
            item = path_step("", paragraph, classes=["learn-path-step"])
            item["learn_doc"] = doc
            steps += item
        return steps

    def nav(self, path: PathRecord, index: int) -> path_nav:
        steps = path["steps"]
        nav = path_nav(classes=["learn-path-nav"], title=path["title"], name=path["name"])
        position = nodes.paragraph(classes=["learn-path-position"])
        # One sentence for translators, with the path's (linked) title where they put it.
        sentence = _("Step %(step)d of %(total)d on the learning path %(path)s") % {
            "step": index + 1,
            "total": len(steps),
            "path": "\x00",
        }
        before, _marker, after = sentence.partition("\x00")
        position += nodes.Text(before)
        position += self.link(path["docname"], path["title"], path_id(path["name"]))
        if after:
            position += nodes.Text(after)
        nav += position
        links = nodes.paragraph(classes=["learn-path-links"])
        if index > 0:
            links += self.step_link(steps[index - 1], _("Previous step"), "learn-path-previous")
        if index + 1 < len(steps):
            if index > 0:
                links += nodes.Text(" ")
            links += self.step_link(steps[index + 1], _("Next step"), "learn-path-next")
        if links.children:
            nav += links
        return nav

    def step_link(self, doc: str, label: str, kind: str) -> nodes.reference:
        """One link holds "Next step: Title", so the label never ends a line alone. The
        separator reads in every builder; HTML shows the label above the title."""
        title = doc_title(self.env, doc)
        parts = [
            nodes.inline("", label, classes=["learn-path-label"]),
            nodes.inline("", ": ", classes=["learn-path-separator"]),
            nodes.inline("", title, classes=["learn-path-title"]),
        ]
        link = doc_link(self.app.builder, self.docname, doc, None, parts)
        link["classes"].append(kind)
        return link


def first_path_step(env: BuildEnvironment, docname: str) -> tuple[list[str], int] | None:
    """The steps of the first path that lists ``docname`` (the first path box on its
    page), and its index there; ``None`` when no path does."""
    for path, index in get_domain(env).paths_through(docname):
        return path["steps"], index
    return None


def follow_path(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: on a step of a path, the page's previous and next pages are
    the path's, not the table of contents' ones.

    Themes draw them in their footers, Sphinx in ``<link rel="next">``; a beginner at
    the end of a step would otherwise be offered two different "next" pages. The
    pydata-sphinx-theme footer (this theme's too) is left out on these pages: the path
    box says the same with the path's words ("Next step", "Step 2 of 5").
    """
    # One page holds them all in singlehtml: it has no previous or next page. (Another
    # builder that sends this event may not render titles as the HTML builders do.)
    builder = app.builder
    if (
        doctree is None
        or isinstance(builder, SingleFileHTMLBuilder)
        or not isinstance(builder, StandaloneHTMLBuilder)
    ):
        return
    found = first_path_step(app.env, pagename)
    if found is None:
        return
    steps, index = found
    titles = app.env.titles

    def relation(doc: str) -> dict[str, str] | None:
        if doc not in titles:
            return None
        return {
            "link": builder.get_relative_uri(pagename, doc),
            "title": builder.render_partial(titles[doc])["title"],
        }

    previous = relation(steps[index - 1]) if index > 0 else None
    following = relation(steps[index + 1]) if index + 1 < len(steps) else None
    context["prev"], context["next"] = previous, following
    # The basic theme's relation bar lists them too, with an access key each (and
    # Sphinx's own labels for them).
    rellinks = [link for link in context.get("rellinks", []) if link[2] not in {"N", "P"}]
    if following is not None:
        rellinks.append((steps[index + 1], following["title"], "N", sphinx_label("next")))
    if previous is not None:
        rellinks.append((steps[index - 1], previous["title"], "P", sphinx_label("previous")))
    context["rellinks"] = rellinks
    if "theme_show_prev_next" in context:
        context["theme_show_prev_next"] = False


def setup_paths(app: Sphinx) -> None:
    app.add_node(path_placeholder)
    # Written as nothing, should a transform have moved one where FillPaths does not look.
    add_node_everywhere(app, page_end, html=(ignore, ignore), other=(ignore, ignore))
    add_node_everywhere(
        app, path_steps, html=(visit_steps_html, depart_steps_html), other=like("enumerated_list")
    )
    add_node_everywhere(
        app, path_step, html=(visit_step_html, depart_step_html), other=like("list_item")
    )
    add_node_everywhere(
        app, path_nav, html=(visit_nav_html, depart_nav_html), other=like("container")
    )
    app.add_directive("learning-path", LearningPathDirective)
    app.connect("doctree-resolved", FillPaths.handler)
    app.connect("doctree-read", mark_page_end)
    app.connect("env-check-consistency", check_path_names)
    app.connect("html-page-context", follow_path)
