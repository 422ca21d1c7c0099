"""``landing``: the front door of a learning site.

Two cards, "Start here" (a learning path for newcomers) and "Contribute" (the
contributor path or guide), followed by the tutorial catalog. Like catalogs and
path lists, the cards are filled in when the page is written, from the domain, so
they follow the paths and tutorials of the current build; the page is written
again when those change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_numpy_learn.catalog import catalog_placeholder
from sphinx_numpy_learn.directive_options import (
    LearnDirective,
    OptionSpec,
    class_names,
    flag,
    required_text,
)
from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.i18n import _, ngettext
from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.nodes_util import WriteTimeFiller, add_node_everywhere, doc_link, like
from sphinx_numpy_learn.paths import doc_title, path_id
from sphinx_numpy_learn.records import landing_record
from sphinx_numpy_learn.tiers import make_duration
from sphinx_numpy_learn.tutorial import minutes_text, resolve_doc

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator


class landing_placeholder(nodes.General, nodes.Element):
    """Where the cards go; replaced when the page is written."""


class landing_cards(nodes.container):
    """The filled cards (a ``div`` of ``section`` cards in HTML)."""


class landing_card(nodes.container):
    pass


def visit_cards_html(self: HTML5Translator, node: landing_cards) -> None:
    self.body.append(self.starttag(node, "div", "", CLASS="learn-landing"))


def visit_card_html(self: HTML5Translator, node: landing_card) -> None:
    self.body.append(self.starttag(node, "section", "", CLASS="learn-landing-card"))


def depart_div_html(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def depart_section_html(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append("</section>\n")


class LandingDirective(LearnDirective):
    """``landing``: "Start here" and "Contribute" cards, then the catalog."""

    has_content = False
    option_spec = OptionSpec(
        {
            "start": required_text,
            "contribute": required_text,
            "no-catalog": flag,
            "class": class_names,
        },
        subtype="landing",
    )

    def run(self) -> list[nodes.Node]:
        contribute = self.options.get("contribute") or self._contributor_guide()
        placeholder = landing_placeholder(
            start=self.options.get("start", "").strip(),
            contribute=(contribute or "").strip(),
            docname=self.env.docname,
            classes=self.options.get("class", []),
        )
        self.set_source_info(placeholder)
        domain = get_domain(self.env)
        domain.note_landing(
            self.env.docname,
            landing_record(
                line=self.lineno, start=placeholder["start"], contribute=placeholder["contribute"]
            ),
        )
        # A card may name a page rather than a path: the landing is read again when
        # that page is added or removed, as a clean build would show it.
        domain.note_named(
            self.env.docname,
            (
                resolve_doc(self.env, self.env.docname, name)
                for name in (placeholder["start"], placeholder["contribute"])
                if name
            ),
        )
        if "no-catalog" not in self.options:
            catalog = catalog_placeholder(
                levels=[],
                tags=[],
                audience="",
                tutorials=[],
                sort="reading-order",
                group_by="level",
                filters=True,
                classes=[],
            )
            self.set_source_info(catalog)
            domain.note_catalog(self.env.docname)
            # Inside the placeholder, so the cards and the catalog stay together.
            placeholder += catalog
        return [placeholder]

    def _contributor_guide(self) -> str | None:
        guide = (self.config.learn_contributor or {}).get("guide")
        return f"/{guide.lstrip('/')}" if guide else None


def _target(env: BuildEnvironment, docname: str, name: str) -> tuple[str, Any]:
    """What a ``:start:``/``:contribute:`` value names: ``("path", record)``,
    ``("doc", docname)`` or ``("missing", None)``."""
    if not name:
        return "missing", None
    path = get_domain(env).path_named(name)
    if path is not None:
        return "path", path
    doc = resolve_doc(env, docname, name)
    if doc in env.found_docs:
        return "doc", doc
    return "missing", None


def check_landing_targets(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: each named path or page exists."""
    for docname, records in sorted(get_domain(env).data["landings"].items()):
        for record in records:
            for option in ("start", "contribute"):
                name = record[option]
                if name and _target(env, docname, name)[0] == "missing":
                    known = get_domain(env).known_paths()
                    warn(
                        f"landing :{option}: {name!r} is neither a learning-path name "
                        f"nor a document (learning paths: {known})",
                        subtype="landing",
                        location=(docname, record["line"]),
                    )
            if not record["start"]:
                warn(
                    "landing has no :start: learning path; the 'Start here' card is left out",
                    subtype="landing",
                    location=(docname, record["line"]),
                )


def _heading_level(node: nodes.Node) -> int:
    depth = 0
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.section):
            depth += 1
        parent = parent.parent
    return min(max(depth + 1, 2), 6)


class FillLanding(WriteTimeFiller):
    """Replace each landing placeholder with its cards."""

    shown_with = ("landing",)

    def run(self) -> None:
        for placeholder in list(self.document.findall(landing_placeholder)):
            level = _heading_level(placeholder)
            cards = landing_cards(classes=["learn-landing", *placeholder["classes"]])
            start = self.card(
                "learn-landing-start", _("Start here"), placeholder["start"], level, learner=True
            )
            contribute = self.card(
                "learn-landing-contribute",
                _("Contribute"),
                placeholder["contribute"],
                level,
                learner=False,
            )
            cards.extend(card for card in (start, contribute) if card is not None)
            replacement: list[nodes.Node] = [cards] if cards.children else []
            catalog = list(placeholder.children)  # filled in already (FillCatalogs)
            if catalog:
                title = nodes.rubric("", _("All tutorials"), classes=["learn-landing-title"])
                title["heading-level"] = level
                replacement += [title, *catalog]
            if replacement:
                placeholder.replace_self(replacement)
            else:  # no card to show and no catalog (replace_self would keep its classes)
                placeholder.parent.remove(placeholder)

    def link(self, doc: str, text: str, anchor: str | None = None) -> nodes.reference:
        return doc_link(self.app.builder, self.docname, doc, anchor, nodes.inline("", text), text)

    def card(
        self, css_class: str, heading: str, name: str, level: int, *, learner: bool
    ) -> landing_card | None:
        kind, target = _target(self.env, self.docname, name)
        if kind == "missing":
            return None
        card = landing_card(classes=["learn-landing-card", css_class])
        title = nodes.rubric("", heading, classes=["learn-landing-title"])
        title["heading-level"] = level
        card += title
        if kind == "doc":
            card += nodes.paragraph("", "", self.link(target, doc_title(self.env, target)))
            return card
        steps = target["steps"]
        about = nodes.paragraph(classes=["learn-landing-path"])
        about += self.link(target["docname"], target["title"], path_id(target["name"]))
        tutorials = get_domain(self.env).tutorials
        records = [tutorials[doc] for doc in steps if doc in tutorials]
        minutes = sum(record["duration"] for record in records)
        count = (
            ngettext("%d tutorial", "%d tutorials", len(steps))
            if learner
            else ngettext("%d guide", "%d guides", len(steps))
        ) % len(steps)
        about += nodes.Text(" · " + count)
        if minutes:
            # Estimated when any step is: the total is no surer than its parts.
            estimated = any(record["duration_estimated"] for record in records)
            time = minutes_text(minutes, estimated=estimated)
            about += nodes.Text(" · ")
            about += make_duration(time)
        card += about
        if steps:
            begin = nodes.paragraph(classes=["learn-landing-begin"])
            begin += nodes.Text(_("Begin with:") + " ")
            first = self.link(steps[0], doc_title(self.env, steps[0]))
            first["classes"].append("learn-landing-first")
            begin += first
            card += begin
        return card


def setup_landing(app: Sphinx) -> None:
    app.add_node(landing_placeholder)  # always replaced before writing
    add_node_everywhere(
        app, landing_cards, html=(visit_cards_html, depart_div_html), other=like("container")
    )
    add_node_everywhere(
        app, landing_card, html=(visit_card_html, depart_section_html), other=like("container")
    )
    app.add_directive("landing", LandingDirective)
    app.connect("doctree-resolved", FillLanding.handler)
    app.connect("env-check-consistency", check_landing_targets)
