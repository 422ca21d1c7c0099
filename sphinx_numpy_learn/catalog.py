"""The tutorial catalog, its JSON export, and links from badges to it.

``tutorial-catalog`` leaves a placeholder at read time; the catalog is filled in
when the page is written, from the domain, so it always lists the tutorials of
the current build (added, edited or deleted ones included) and never reads
source files. Without JavaScript the full list is there; with it, the reader can
filter by tier, tag and audience.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_numpy_learn.directive_options import (
    LearnDirective,
    OptionSpec,
    choice,
    class_names,
    flag,
)
from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.i18n import _, ngettext
from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.nodes_util import (
    WriteTimeFiller,
    add_node_everywhere,
    doc_link,
    document_of,
    ignore,
    like,
)
from sphinx_numpy_learn.progress import progress_attributes, summary_html, wants_progress
from sphinx_numpy_learn.rich_text import paragraph
from sphinx_numpy_learn.tiers import Tier, icon_svg, level_badge, tiers_of
from sphinx_numpy_learn.tutorial import AUDIENCES, facts, resolve_doc

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

    from sphinx_numpy_learn.records import TutorialRecord

CATALOG_JSON = "learn-catalog.json"
SORTS = ("reading-order", "title", "duration")
GROUPS = ("level", "none")


def audience_labels() -> dict[str, str]:
    return {"learner": _("Learners"), "contributor": _("Contributors")}


# -- Nodes ----------------------------------------------------------------------------------


class catalog_placeholder(nodes.General, nodes.Element):
    """Where a catalog goes; replaced when the page is written."""


class catalog(nodes.container):
    """A filled catalog: group titles and card lists."""


class catalog_cards(nodes.bullet_list):
    pass


class catalog_card(nodes.list_item):
    pass


def visit_catalog_html(self: HTML5Translator, node: catalog) -> None:
    progress = progress_attributes(node["total"]) if node.get("progress") else {}
    self.body.append(self.starttag(node, "div", "", CLASS="learn-catalog", **progress))
    # The progress summary goes after the filters and their status line, before the
    # first group.
    summary = summary_html() if progress else ""
    if not node.get("filters"):
        self.body.append(summary)
        return
    attval = self.attval
    # Labels are looked up outside the f-strings: gettext extraction on Python
    # 3.11 cannot see calls inside them.
    form_label, level_label = attval(_("Filter tutorials")), attval(_("Level"))
    topic_label, all_topics = attval(_("Topic")), attval(_("All topics"))
    audience_label, everyone = attval(_("Audience")), attval(_("Everyone"))
    show_all = attval(_("Show all"))
    total = node["total"]
    # The count of cards is known now, so the plural is chosen here; the script
    # fills in {shown}.
    template = attval(
        ngettext("Showing {shown} of %d tutorial", "Showing {shown} of %d tutorials", total)
        % total
    )
    empty = attval(_("No tutorial matches these filters."))
    parts = [
        f'<form class="learn-catalog-filters" hidden="" aria-label="{form_label}">',
        f"<fieldset><legend>{level_label}</legend>",
    ]
    for name, label, icon in node["filter_levels"]:
        parts.append(
            f'<label class="learn-filter-level"><input type="checkbox" name="level" '
            f'value="{attval(name)}"/> {icon_svg(icon)} {attval(label)}</label>'
        )
    parts.append("</fieldset>")
    if node["filter_tags"]:
        parts.append(f'<label class="learn-filter-select">{topic_label} <select name="tag">')
        parts.append(f'<option value="">{all_topics}</option>')
        # The value exactly as in data-learn-tags (attval would turn a tab into a space,
        # and the script would then find no card with that tag).
        parts += [
            f'<option value="{self.encode(t)}">{attval(t)}</option>' for t in node["filter_tags"]
        ]
        parts.append("</select></label>")
    if len(node["filter_audiences"]) > 1:
        parts.append(
            f'<label class="learn-filter-select">{audience_label} <select name="audience">'
            f'<option value="">{everyone}</option>'
        )
        parts += [
            f'<option value="{attval(a)}">{attval(label)}</option>'
            for a, label in node["filter_audiences"]
        ]
        parts.append("</select></label>")
    parts.append(f'<button type="reset">{show_all}</button></form>')
    parts.append(
        f'<p class="learn-catalog-status" role="status" hidden="" '
        f'data-template="{template}" data-empty="{empty}"></p>'
    )
    self.body.append("".join(parts) + summary)


def depart_catalog_html(self: HTML5Translator, node: catalog) -> None:
    self.body.append("</div>\n")


def visit_cards_html(self: HTML5Translator, node: catalog_cards) -> None:
    self.body.append(self.starttag(node, "ul", "", CLASS="learn-cards"))


def depart_cards_html(self: HTML5Translator, node: catalog_cards) -> None:
    self.body.append("</ul>\n")


def visit_card_html(self: HTML5Translator, node: catalog_card) -> None:
    self.body.append(
        self.starttag(
            node,
            "li",
            "",
            CLASS="learn-card",
            **{
                "data-learn-level": node["level"],
                "data-learn-tags": json.dumps(node["tags"]),
                "data-learn-audience": node["audience"],
                "data-learn-doc": node["docname"],
            },
        )
    )


def depart_card_html(self: HTML5Translator, node: catalog_card) -> None:
    self.body.append("</li>\n")


# -- The directive ----------------------------------------------------------------------------


def _names(argument: str | None) -> list[str]:
    return [n.strip() for n in (argument or "").replace("\n", ",").split(",") if n.strip()]


class CatalogDirective(LearnDirective):
    """``tutorial-catalog``: cards for every tutorial of the build, or a subset."""

    has_content = False
    option_spec = OptionSpec(
        {
            "levels": _names,
            "tags": _names,
            "audience": choice(*AUDIENCES),
            "tutorials": _names,
            "sort": choice(*SORTS),
            "group-by": choice(*GROUPS),
            "no-filters": flag,
            "class": class_names,
        },
        subtype="catalog",
    )

    def run(self) -> list[nodes.Node]:
        tiers = tiers_of(self.config)
        for level in self.options.get("levels", []):
            if level not in tiers:
                warn(
                    f"unknown level {level!r} in tutorial-catalog; "
                    f"known levels: {', '.join(tiers)}",
                    subtype="catalog",
                    location=self.get_location(),
                )
        wanted = [
            _resolve(self.env, self.env.docname, name)
            for name in self.options.get("tutorials", [])
        ]
        for name, doc in zip(self.options.get("tutorials", []), wanted, strict=True):
            if doc not in self.env.found_docs:
                warn(
                    f"tutorial-catalog lists {name!r}, which is not a document of this project",
                    subtype="catalog",
                    location=self.get_location(),
                )
        placeholder = catalog_placeholder(
            levels=self.options.get("levels", []),
            tags=self.options.get("tags", []),
            audience=self.options.get("audience", ""),
            tutorials=[d for d in wanted if d in self.env.found_docs],
            sort=self.options.get("sort", "reading-order"),
            group_by=self.options.get(
                "group-by", "level" if "tutorials" not in self.options else "none"
            ),
            filters="no-filters" not in self.options,
            classes=self.options.get("class", []),
        )
        self.set_source_info(placeholder)
        get_domain(self.env).note_catalog(self.env.docname)
        # Found or not: the page is read again when one of them is added or removed.
        get_domain(self.env).note_named(self.env.docname, wanted)
        return [placeholder]


def _resolve(env: BuildEnvironment, docname: str, target: str) -> str:
    return resolve_doc(env, docname, target)


# -- Filling catalogs when pages are written ---------------------------------------------------


def selected(env: BuildEnvironment, options: dict[str, Any]) -> list[str]:
    """The docnames a catalog with ``options`` lists, in its order."""
    domain = get_domain(env)
    tiers = tiers_of(env.config)
    rank = {name: tier.rank for name, tier in tiers.items()}
    tutorials = domain.tutorials
    if options["tutorials"]:
        docs = [d for d in options["tutorials"] if d in tutorials]
    else:
        docs = domain.reading_order(rank)
    if options["levels"]:
        docs = [d for d in docs if tutorials[d]["level"] in options["levels"]]
    if options["tags"]:
        docs = [d for d in docs if set(tutorials[d]["tags"]) & set(options["tags"])]
    if options["audience"]:
        docs = [d for d in docs if tutorials[d]["audience"] == options["audience"]]
    if options["sort"] == "title":
        docs.sort(key=lambda d: tutorials[d]["title"].casefold())
    elif options["sort"] == "duration":
        docs.sort(key=lambda d: tutorials[d]["duration"])
    return docs


class FillCatalogs(WriteTimeFiller):
    """Replace each catalog placeholder with the cards of the current build."""

    shown_with = ("catalog",)

    def run(self) -> None:
        numbers: dict[str, int] = {}  # catalogs so far, per document
        for placeholder in list(self.document.findall(catalog_placeholder)):
            # singlehtml writes every document into one tree: name each catalog's
            # groups after the document it is in, so its ids stay its own.
            home = document_of(placeholder, self.docname)
            number = numbers[home] = numbers.get(home, -1) + 1
            placeholder.parent.replace(placeholder, self.build(placeholder, home, number))

    def build(self, placeholder: catalog_placeholder, home: str, number: int) -> nodes.Element:
        """The catalog; ``home`` is the document it is in, ``number`` counts the
        catalogs before it there."""
        env = self.env
        docname = self.docname
        tutorials = get_domain(env).tutorials
        tiers = tiers_of(self.config)
        docs = selected(env, placeholder.attributes)
        result = catalog(classes=["learn-catalog", *placeholder["classes"]])
        if not docs:
            result += nodes.paragraph("", _("No tutorials yet."), classes=["learn-catalog-empty"])
            return result
        result["total"] = len(docs)
        result["progress"] = wants_progress(self.app)
        if self.app.builder.format == "html" and placeholder["filters"]:
            used_levels = {tutorials[d]["level"] for d in docs}
            result["filters"] = True
            result["filter_levels"] = [
                (t.name, t.translated_label, t.icon)
                for t in tiers.values()
                if t.name in used_levels
            ]
            result["filter_tags"] = sorted(
                {t for d in docs for t in tutorials[d]["tags"]}, key=str.casefold
            )
            audiences = audience_labels()
            result["filter_audiences"] = [
                (a, audiences[a])
                for a in AUDIENCES
                if any(tutorials[d]["audience"] == a for d in docs)
            ]
        for group_tier, group_docs in self.groups(placeholder, docs, tiers):
            if isinstance(group_tier, Tier):
                rubric = nodes.rubric(
                    "", group_tier.translated_label, classes=["learn-catalog-group"]
                )
                rubric["ids"].append(level_group_id(group_tier.name, home, self.docname, number))
                result += rubric
                if group_tier.criterion:
                    result += nodes.paragraph(
                        "", group_tier.translated_criterion, classes=["learn-tier-criterion"]
                    )
            elif isinstance(group_tier, str):
                result += nodes.rubric("", group_tier, classes=["learn-catalog-group"])
            cards = catalog_cards(classes=["learn-cards"])
            for doc in group_docs:
                cards += self.card(docname, doc, tutorials[doc])
            result += cards
        return result

    def groups(
        self, placeholder: catalog_placeholder, docs: list[str], tiers: dict[str, Tier]
    ) -> Iterator[tuple[Tier | str | None, list[str]]]:
        """(tier, cards) groups; then, in a catalog for everyone, the contributor
        tutorials together (tier criteria speak to learners); then unrated ones."""
        if placeholder["group_by"] != "level":
            yield None, docs
            return
        tutorials = get_domain(self.env).tutorials
        contributors = [d for d in docs if tutorials[d]["audience"] == "contributor"]
        if len(contributors) == len(docs):
            contributors = []
        learners = [d for d in docs if d not in contributors]
        for tier in tiers.values():
            members = [d for d in learners if tutorials[d]["level"] == tier.name]
            if members:
                yield tier, members
        unrated = [d for d in learners if tutorials[d]["level"] not in tiers]
        if unrated:
            yield _("Other tutorials"), unrated
        if contributors:
            yield _("For contributors"), contributors

    def card(self, fromdoc: str, doc: str, record: TutorialRecord) -> catalog_card:
        card = catalog_card(
            classes=["learn-card"],
            level=record["level"] or "",
            tags=list(record["tags"]),
            audience=record["audience"],
            docname=doc,
        )
        title = nodes.paragraph(classes=["learn-card-title"])
        title += doc_link(
            self.app.builder,
            fromdoc,
            doc,
            None,
            nodes.inline("", record["title"]),
            record["title"],
        )
        card += title
        card += facts(self.config, record, "learn-card-facts", link_badge=False)
        if record["summary"]:
            spans = record.get("rich", {}).get("summary") or [{"text": record["summary"]}]
            card += paragraph(spans, classes=["learn-card-summary"])
        if record["tags"]:
            tags = nodes.paragraph(classes=["learn-card-tags"])
            tags += nodes.inline("", _("Topics:") + " ", classes=["learn-card-tags-label"])
            for index, tag in enumerate(record["tags"]):
                if index:
                    tags += nodes.Text(", ")
                tags += nodes.inline("", tag, classes=["learn-tag"])
            card += tags
        return card


class LinkBadges(WriteTimeFiller):
    """Make a tier badge (in a header or from the ``level`` role) link to its catalog group.

    So badges are not decoration: a reader can go from "Beginner" to every
    beginner tutorial. Nothing happens when the project has no catalog page.
    """

    formats = ("html",)  # a printed badge has nowhere to go
    shown_with = ("badges",)

    def run(self) -> None:
        target = self.catalog_page()
        if target is None:
            return
        for badge in list(self.document.findall(level_badge)):
            if not badge.get("link_to_catalog") or _inside_reference(badge):
                continue
            # On the target's page; or on this one, which holds every page (singlehtml).
            page = self.docname if self.app.builder.name == "singlehtml" else target
            ref = doc_link(
                self.app.builder,
                self.docname,
                target,
                level_group_id(badge["level"], target, page),
                [],
                _("All tutorials at this level"),
            )
            ref["classes"].append("learn-badge-link")
            # Not replace_self: it would move the badge's classes onto the link.
            badge.parent.replace(badge, ref)
            ref += badge

    def catalog_page(self) -> str | None:
        """The landing page's catalog if it has one, else the first catalog page."""
        pages = get_domain(self.env).catalog_pages
        if self.config.root_doc in pages:
            return self.config.root_doc
        return pages[0] if pages else None


def level_group_id(tier: str, docname: str, page: str, number: int = 0) -> str:
    """The id of the ``tier`` group of the ``number``-th catalog (from 0) of ``docname``:
    ``learn-level-beginner``, then ``learn-level-beginner-2`` ..., which tier badges link
    to. On a ``page`` that holds other documents too (singlehtml), a catalog of one of
    them also names its document, so that no id is there twice."""
    suffix = f"-{number + 1}" if number else ""
    if docname == page:
        return f"learn-level-{tier}{suffix}"
    return nodes.make_id(f"learn-level-{tier}-{docname}") + suffix


def _inside_reference(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.reference):
            return True
        parent = parent.parent
    return False


# -- Checks and exports -------------------------------------------------------------------------


def check_prerequisite_cycles(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: report prerequisite cycles, once per cycle."""
    domain = get_domain(env)
    for cycle in domain.cycles():
        first = cycle[0]
        line = next(
            (
                p.get("line")
                for p in domain.tutorials[first]["prerequisites"]
                if p.get("doc") in cycle
            ),
            None,
        )
        chain = (
            " \u2192 ".join([*cycle, cycle[0]]) if len(cycle) > 1 else f"{first} \u2192 {first}"
        )
        warn(
            f"prerequisites form a cycle ({chain}); the catalog's reading order ignores it",
            subtype="prerequisite",
            location=(first, line) if line else first,
        )


def catalog_data(app: Sphinx) -> dict[str, Any]:
    """Everything the catalog knows, as JSON-ready data (``learn-catalog.json``)."""
    env = app.env
    domain = get_domain(env)
    tiers = tiers_of(app.config)
    order = domain.reading_order({n: t.rank for n, t in tiers.items()})
    builder = app.builder

    def tutorial(doc: str) -> dict[str, Any]:
        record = domain.tutorials[doc]
        return {
            "docname": doc,
            "url": builder.get_target_uri(doc),
            "title": record["title"],
            "level": record["level"],
            "duration": record["duration"],
            "duration_estimated": record["duration_estimated"],
            "summary": record["summary"],
            "outcome": record["outcome"],
            "objectives": record["objectives"],
            "needs": record["needs"],
            "keypoints": record["keypoints"],
            "prerequisites": [
                {"docname": p["doc"], "url": builder.get_target_uri(p["doc"])}
                if "doc" in p
                else {"title": p["title"], "url": p["url"]}
                for p in record["prerequisites"]
            ],
            "tags": record["tags"],
            "audience": record["audience"],
            "audience_description": record["audience_description"],
        }

    return {
        "format_version": 1,
        "project": app.config.project,
        "language": app.config.language,
        "tiers": [
            {"name": t.name, "label": t.translated_label, "criterion": t.translated_criterion}
            for t in tiers.values()
        ],
        "tutorials": [tutorial(doc) for doc in order],
        "paths": [
            {
                "name": path["name"],
                "title": path["title"],
                "docname": path["docname"],
                "url": builder.get_target_uri(path["docname"]) + f"#learn-path-{path['name']}",
                "steps": [{"docname": s, "url": builder.get_target_uri(s)} for s in path["steps"]],
            }
            for path in domain.paths()
        ],
    }


def write_catalog_json(app: Sphinx) -> list[Any]:
    """``html-collect-pages``: write ``learn-catalog.json`` next to the pages.

    Only for a web site: an e-book or help file (epub, Qt help ...: ``embedded``)
    has no reader for it, and epub would put it in the book as a file of unknown type.
    """
    if getattr(app.builder, "embedded", False):
        return []
    if app.config.learn_catalog_json and get_domain(app.env).tutorials:
        text = json.dumps(catalog_data(app), indent=2, sort_keys=True, ensure_ascii=False)
        (app.outdir / CATALOG_JSON).write_text(text + "\n", encoding="utf-8")
    return []


def setup_catalog(app: Sphinx) -> None:
    app.add_node(catalog_placeholder)  # always replaced before writing
    add_node_everywhere(
        app, catalog, html=(visit_catalog_html, depart_catalog_html), other=(ignore, ignore)
    )
    add_node_everywhere(
        app, catalog_cards, html=(visit_cards_html, depart_cards_html), other=like("bullet_list")
    )
    add_node_everywhere(
        app, catalog_card, html=(visit_card_html, depart_card_html), other=like("list_item")
    )
    app.add_directive("tutorial-catalog", CatalogDirective)
    app.connect("doctree-resolved", FillCatalogs.handler)
    # After catalogs and paths are filled in (their badges are not links).
    app.connect("doctree-resolved", LinkBadges.handler, priority=510)
    app.connect("env-check-consistency", check_prerequisite_cycles)
    app.connect("html-collect-pages", write_catalog_json)
