"""A whole learning path on one page: ``learning-path-book``.

The directive, on a page of its own, names a learning path; when the page is written,
a post-transform that runs before cross-references are resolved puts a copy of every
step's doctree there, in order, one chapter per step. So references inside the steps
resolve from the new page, in every builder, and the other components (solutions per
``learn_solutions``, instructor notes, notebook outputs, maths) are filled in on the
copies as on the steps' own pages.

- HTML: each step is a ``<section class="learn-book-step">`` below the page's title
  (its title an ``<h2>``); every id in it is prefixed with ``step-N-``, and links to a
  step of the path (or a place in one) point at its copy on the page. A print
  stylesheet starts each step on a new page.
- LaTeX and Texinfo: each step follows the page's own chapter as a chapter of its
  own, labelled as the step's own document would be, so ``ref`` and ``doc`` links
  between steps work in the PDF. Make the page a ``latex_documents`` entry to get the
  path as one PDF.
- Where a page holds other pages (singlehtml, or a LaTeX document that includes the
  book page through a toctree), the steps are there already: the page shows none.

A page shows one learning path (a second ``learning-path-book`` is reported and left
out). The page is written again whenever a step is read or written again (the
domain's ``pages_to_rewrite``), so incremental builds stay equal to clean ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join

from sphinx_numpy_learn._compat import add_written_docnames
from sphinx_numpy_learn.directive_options import LearnDirective, OptionSpec, class_names
from sphinx_numpy_learn.domain import get_domain, page_may_show
from sphinx_numpy_learn.i18n import _
from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.nodes_util import add_node_everywhere, doc_link, like
from sphinx_numpy_learn.paths import doc_title, page_end
from sphinx_numpy_learn.records import book_record

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

# Builders that write a step as a chapter labelled as its own document.
CHAPTER_FORMATS = ("latex", "texinfo")


class path_book(nodes.General, nodes.Element):
    """Where a learning path's steps go (``name``); replaced when the page is written."""


class book_step(nodes.container):
    """One step's copy (``docname``, ``number``)."""


class book_link(nodes.paragraph):
    """ "Whole path on one page", on a path's page."""


def visit_step_html(self: HTML5Translator, node: book_step) -> None:
    self.body.append(self.starttag(node, "section", "", CLASS="learn-book-step"))


def depart_step_html(self: HTML5Translator, node: book_step) -> None:
    self.body.append("</section>\n")


class LearningPathBookDirective(LearnDirective):
    """``learning-path-book NAME``: every step of the path ``NAME``, in order, here."""

    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = OptionSpec({"class": class_names}, subtype="path-book")

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0].strip() if self.arguments else ""
        if not name:
            warn(
                "learning-path-book needs the name of a learning path as its argument",
                subtype="path-book",
                location=self.get_location(),
            )
            return []
        books = get_domain(self.env).data["books"]
        if self.env.docname in books:
            first = books[self.env.docname][0]["name"]
            warn(
                f"learning-path-book: a page shows one learning path; {first!r} is "
                f"shown already, {name!r} is left out",
                subtype="path-book",
                location=self.get_location(),
            )
            return []
        books[self.env.docname] = [book_record(name=name, line=self.lineno)]
        node = path_book(
            name=name, docname=self.env.docname, classes=self.options.get("class", [])
        )
        self.set_source_info(node)
        return [node]


def books_of(env: BuildEnvironment, path_name: str) -> list[str]:
    """The pages that show the path ``path_name`` whole."""
    return sorted(
        doc
        for doc, records in get_domain(env).data["books"].items()
        if any(r["name"] == path_name for r in records)
    )


def check_books(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: every book names a path, and is not one of its steps."""
    domain = get_domain(env)
    for docname in sorted(domain.data["books"]):
        for record in domain.data["books"][docname]:
            path = domain.path_named(record["name"])
            if path is None:
                warn(
                    f"learning-path-book: no learning path is named {record['name']!r} "
                    f"(paths: {domain.known_paths()})",
                    subtype="path-book",
                    location=(docname, record["line"]),
                )
            elif docname in path["steps"]:
                warn(
                    f"learning-path-book: the page is a step of {record['name']!r} itself; "
                    "it is left out of the book",
                    subtype="path-book",
                    location=(docname, record["line"]),
                )


# -- Putting the steps in ------------------------------------------------------------------
# (The pages to write again: LearnDomain.pages_to_rewrite and domain.pages_to_rewrite.)


class InsertPathBook(SphinxPostTransform):
    """Replace each :class:`path_book` with copies of its path's steps.

    Before MyST-NB picks notebook outputs (priority 4), MyST's and Sphinx's reference
    resolvers (9, 10): all of them then work on the copies too. This one serves the
    builders the two below (priority 1, which run first) leave a book to.
    """

    default_priority = 2
    # HTML: each step's ids get its prefix before any later transform links to them.
    prefix_ids = False

    def run(self, **kwargs: Any) -> None:
        if not get_domain(self.env).data["books"]:
            return
        for node in list(self.document.findall(path_book)):
            steps = self.steps(node)
            if steps is None:
                node.parent.remove(node)  # warned about / the steps are in this output already
            else:
                self.place(node, steps)

    def steps(self, node: path_book) -> list[book_step] | None:
        here = self.env.current_document.docname
        path = get_domain(self.env).path_named(node["name"])
        if path is None or node["docname"] != here:
            return None
        return [
            self.step(doc, here, number, node["classes"])
            for number, doc in enumerate(path["steps"], start=1)
            if doc != here
        ]

    def place(self, node: path_book, steps: list[book_step]) -> None:
        node.replace_self(steps)

    def step(self, doc: str, here: str, number: int, classes: list[str]) -> book_step:
        tree = self.env.get_doctree(doc)
        for end in list(tree.findall(page_end)):  # no "Step 2 of 5" box in the book
            end.parent.remove(end)
        for section in tree.findall(nodes.section):
            section["docname"] = doc  # (nodes_util.document_of)
            break
        for xref in tree.findall(addnodes.pending_xref):
            refdoc = xref.get("refdoc", doc)
            target = xref.get("reftarget", "")
            # Document names are relative to the step; resolved from here, they must not be.
            if xref.get("reftype") == "doc" or (
                xref.get("reftype") == "myst"
                and not xref.get("refdomain")
                and docname_join(refdoc, target) in self.env.all_docs
            ):
                xref["reftarget"] = "/" + docname_join(refdoc, target)
            xref["refdoc"] = here
        step = book_step(
            "",
            *tree.children,
            classes=["learn-book-step", *classes],
            docname=doc,
            number=number,
            ids=[f"step-{number}"],
        )
        if self.prefix_ids:
            prefix = f"step-{number}-"
            names: dict[str, str] = {}
            step["renamed"] = names
            for element in step.findall(nodes.Element, include_self=False):
                element["ids"] = [names.setdefault(i, prefix + i) for i in element["ids"]]
            for reference in step.findall(nodes.reference):
                if reference.get("refid") in names:
                    reference["refid"] = names[reference["refid"]]
        return step


class InsertHTMLPathBook(InsertPathBook):
    """HTML: the steps on the page, their ids prefixed (:func:`link_steps` follows)."""

    default_priority = 1
    formats = ("html",)
    prefix_ids = True


class InsertChapterPathBook(InsertPathBook):
    """LaTeX: each step a chapter after the page's own, labelled as its own document
    (the builder is told it writes that document into this file, so it links
    to it there)."""

    default_priority = 1
    formats: tuple[str, ...] = ("latex",)
    texinfo = False

    def place(self, node: path_book, steps: list[book_step]) -> None:
        if not add_written_docnames(self.env, {step["docname"] for step in steps}):
            warn(
                "learning-path-book: this version of Sphinx does not let the book link "
                "between its chapters; those links are left out",
                subtype="path-book",
                location=node,
            )
        wrappers = []
        for step in steps:
            wrapper = addnodes.start_of_file(docname=step["docname"])
            wrapper.extend(step.children)
            wrappers.append(wrapper)
        if self.texinfo:  # the page is the Top node, steps its chapters
            node.replace_self(wrappers)
            return
        # LaTeX: each step a chapter, after the page's own.
        document: nodes.document = self.document
        top: nodes.Element = node
        while isinstance(top.parent, nodes.Element) and top.parent is not document:
            top = top.parent
        position = document.index(top) + 1 if top.parent is document else len(document)
        if top is node:
            position -= 1
        node.parent.remove(node)
        for offset, wrapper in enumerate(wrappers):
            document.insert(position + offset, wrapper)


class InsertTexinfoPathBook(InsertChapterPathBook):
    """Texinfo: the page is the Top node, each step a chapter."""

    formats = ("texinfo",)
    texinfo = True


def link_steps(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` (late): on an HTML book page, links to a step (or a place
    in one) stay on the page, and figures and exercises keep their numbers."""
    builder = app.builder
    if builder.format != "html" or docname not in get_domain(app.env).data["books"]:
        return
    copies = [s for s in doctree.findall(book_step) if "renamed" in s]
    if not copies or builder.name == "singlehtml":
        return
    # (What the copies' ids became: of no use once the page is written.)
    renamed = {step["docname"]: step.attributes.pop("renamed") for step in copies}
    # Figure and exercise numbers are looked up by id when the page is written.
    numbers = {k: dict(v) for k, v in app.env.toc_fignumbers.get(docname, {}).items()}
    for doc, names in renamed.items():
        for figtype, by_id in app.env.toc_fignumbers.get(doc, {}).items():
            for old, new in names.items():
                if old in by_id:
                    numbers.setdefault(figtype, {})[new] = by_id[old]
    app.env.toc_fignumbers[docname] = numbers
    uris = {builder.get_relative_uri(docname, doc): doc for doc in renamed}
    for reference in doctree.findall(nodes.reference):
        uri, _hash, fragment = reference.get("refuri", "").partition("#")
        doc = uris.get(uri) if reference.get("internal") or uri in uris else None
        if doc is None or "refuri" not in reference:
            continue
        del reference["refuri"]
        number = next(s["number"] for s in copies if s["docname"] == doc)
        reference["refid"] = renamed[doc].get(fragment, f"step-{number}")
        reference["internal"] = True


# -- The page's table of contents ---------------------------------------------------------


def list_steps_in_toc(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: a book page's own table of contents ("On this page") lists its
    steps, which are put in only when it is written. Made again in every build (its
    old entries replaced, so the same steps give the same table), because a step's
    title can change without the book page being read again."""
    domain = get_domain(env)
    for docname in sorted(domain.data["books"]):
        toc = env.tocs.get(docname)
        if toc is None or not toc.children or not isinstance(toc[0], nodes.Element):
            continue
        top = toc[0]
        for old in [c for c in top.children if "learn-book-toc" in c.get("classes", ())]:
            top.remove(old)
        entries = nodes.bullet_list(classes=["learn-book-toc"])
        for record in domain.data["books"][docname]:
            path = domain.path_named(record["name"])
            for number, doc in enumerate(path["steps"] if path is not None else (), start=1):
                if doc == docname:
                    continue
                reference = nodes.reference(
                    "",
                    "",
                    nodes.Text(doc_title(env, doc)),
                    internal=True,
                    refuri=docname,
                    anchorname=f"#step-{number}",
                )
                entries += nodes.list_item("", addnodes.compact_paragraph("", "", reference))
        if entries.children:
            top += entries


# -- "Whole path on one page" on the path's page -------------------------------------------


def link_books(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: after a path's step list, a link to its book page."""
    if not page_may_show(app.env, app.builder, docname, ("path",)):
        return  # no step list
    env = app.env
    for steps in list(doctree.findall(nodes.enumerated_list)):
        name = steps.get("name") if "learn-path-steps" in steps["classes"] else None
        if not name:
            continue
        books = [b for b in books_of(env, name) if b != docname]
        if not books:
            continue
        paragraph = book_link(classes=["learn-path-book-link"])
        paragraph += doc_link(
            app.builder,
            docname,
            books[0],
            None,
            nodes.inline("", _("Whole path on one page, to print")),
        )
        steps.parent.insert(steps.parent.index(steps) + 1, paragraph)


def book_features(env: BuildEnvironment, docname: str) -> Iterable[str]:
    """The documents whose components the page ``docname`` also shows."""
    return get_domain(env).book_steps(docname)


def setup_path_book(app: Sphinx) -> None:
    app.add_node(path_book)
    add_node_everywhere(
        app, book_step, html=(visit_step_html, depart_step_html), other=like("container")
    )
    add_node_everywhere(app, book_link, html=like("paragraph"), other=like("paragraph"))
    app.add_directive("learning-path-book", LearningPathBookDirective)
    app.add_directive_to_domain("learn", "learning-path-book", LearningPathBookDirective)
    app.add_post_transform(InsertHTMLPathBook)
    app.add_post_transform(InsertChapterPathBook)
    app.add_post_transform(InsertTexinfoPathBook)
    app.add_post_transform(InsertPathBook)
    app.connect("env-check-consistency", check_books)
    app.connect("env-updated", list_steps_in_toc)
    app.connect("doctree-resolved", link_books, priority=600)
    app.connect("doctree-resolved", link_steps, priority=800)
