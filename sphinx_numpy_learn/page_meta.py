"""Link previews and search engines: ``<meta name="description">``, OpenGraph and
Twitter card tags in the head of every page, and ``sitemap.xml``.

A tutorial is described by its metadata (summary or outcome, level, duration),
any other page by its first paragraph, cut at a word near 160 characters. The
tags are worked out from the written page and the environment when the page is
written, so a parallel or incremental build writes the same ones; ``sitemap.xml``
lists every page the environment knows at the end of the build, not only the
pages this build wrote again. Every value is escaped as an HTML attribute (or as
XML text in the sitemap).

We write these ourselves rather than load sphinxext-opengraph 0.13 and
sphinx-sitemap 2.9 (the "Link previews" page of the example site says why):
sphinx-sitemap lists only the pages an incremental build wrote again, adds the
language to every address and lists the search and index pages; sphinxext-opengraph
cannot describe a tutorial from its metadata, cuts descriptions inside a word,
escapes only ``"``, and imports matplotlib (for its social cards) on every build.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from docutils import nodes
from markupsafe import escape

from sphinx_numpy_learn.catalog import catalog
from sphinx_numpy_learn.config import conf_location
from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.landing import landing_cards
from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.paths import doc_title
from sphinx_numpy_learn.rich_text import first_paragraph, trim
from sphinx_numpy_learn.tiers import tiers_of
from sphinx_numpy_learn.tutorial import duration_text, tutorial_header
from sphinx_numpy_learn.validators import is_http_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

DESCRIPTION_LENGTH = 160
SITEMAP = "sitemap.xml"
UNSET_PROJECT = "Project name not set"  # Sphinx's default ``project``
# Builders whose pages are a web site (not an e-book, not one page of everything).
SITE_BUILDERS = ("html", "dirhtml")
# Text the build wrote, not the writer: never a description.
_GENERATED = (tutorial_header, catalog, landing_cards)
_OWN_DESCRIPTION = re.compile(r"""<meta\b[^>]*\bname\s*=\s*["']?description\b""", re.IGNORECASE)


def page_description(app: Sphinx, pagename: str, doctree: nodes.Node) -> str:
    """What the page is about, in at most :data:`DESCRIPTION_LENGTH` characters."""
    record = get_domain(app.env).tutorials.get(pagename)
    if record is None:
        return trim(first_paragraph(doctree, generated=_GENERATED), DESCRIPTION_LENGTH)
    tier = tiers_of(app.config).get(record["level"] or "")
    facts = ([tier.translated_label] if tier is not None else []) + [duration_text(record)]
    tail = ", ".join(facts) + "."
    text = record["summary"]  # the summary, else the outcome, else the first paragraph
    if not text.strip():
        return trim(tail, DESCRIPTION_LENGTH)
    if len(tail) > DESCRIPTION_LENGTH // 2:  # a long level name: one cut for both
        return trim(f"{text} {tail}", DESCRIPTION_LENGTH)
    return trim(text, DESCRIPTION_LENGTH - len(tail) - 1) + " " + tail


def page_title(app: Sphinx, pagename: str) -> str:
    """The page's title on one line (a tutorial's: its metadata title)."""
    return " ".join(doc_title(app.env, pagename).split())


def site_url(app: Sphinx, path: str) -> str | None:
    """The address of ``path`` (from the site's root) on the published site, when
    ``html_baseurl`` says where. Quoted here: ``dirhtml`` leaves a page's path as it
    is (quoting again is harmless: ``%`` is kept)."""
    base = app.config.html_baseurl
    if not base:
        return None
    return base.rstrip("/") + "/" + quote(path.lstrip("/"), safe="/#%~")


def page_path(app: Sphinx, pagename: str) -> str:
    """The page's path from the site's root (singlehtml: the one page, which holds
    every document)."""
    if app.builder.name == "singlehtml":
        return app.config.root_doc + str(getattr(app.builder, "out_suffix", ".html"))
    return app.builder.get_target_uri(pagename)


def absolute_url(app: Sphinx, pagename: str) -> str | None:
    """The page's address on the published site, when ``html_baseurl`` says where."""
    return site_url(app, page_path(app, pagename))


def web_pages(app: Sphinx) -> bool:
    """Whether the builder writes HTML pages with a head of their own (not an e-book)."""
    return app.builder.format == "html" and app.builder.name != "epub"


def writes_opengraph(app: Sphinx) -> bool:
    """Whether we write the OpenGraph tags: on, and sphinxext-opengraph not loaded."""
    return bool(app.config.learn_opengraph) and "sphinxext.opengraph" not in app.extensions


def writes_sitemap(app: Sphinx) -> bool:
    """Whether we write ``sitemap.xml``: on, a web site with an address, and
    sphinx-sitemap not loaded."""
    return (
        app.builder.name in SITE_BUILDERS
        and bool(app.config.learn_sitemap and app.config.html_baseurl)
        and "sphinx_sitemap" not in app.extensions
    )


def _tag(attribute: str, name: str, content: str) -> str:
    return f'<meta {attribute}="{escape(name)}" content="{escape(content)}" />\n'


def meta_tags(app: Sphinx, pagename: str, doctree: nodes.Node, own: str) -> str:
    """The tags for one page; ``own``: the meta tags the page has already."""
    config = app.config
    opengraph = writes_opengraph(app)
    describe = config.learn_meta_description and not _OWN_DESCRIPTION.search(own)
    if not (opengraph or describe):
        return ""
    description = page_description(app, pagename, doctree)
    tags = _tag("name", "description", description) if describe and description else ""
    if not opengraph:
        return tags
    title = page_title(app, pagename)
    tags += _tag("property", "og:title", title)
    if description:
        tags += _tag("property", "og:description", description)
    tags += _tag("property", "og:type", "website" if pagename == config.root_doc else "article")
    if config.project and config.project != UNSET_PROJECT:
        tags += _tag("property", "og:site_name", config.project)
    url = absolute_url(app, pagename)
    if url:
        tags += _tag("property", "og:url", url)
    image = config.learn_opengraph_image
    if image and not is_http_url(image):
        image = site_url(app, image) or ""
    if image:
        tags += _tag("property", "og:image", image)
        tags += _tag("name", "twitter:card", "summary_large_image")
    else:
        tags += _tag("name", "twitter:card", "summary")
    return tags


def add_meta_tags(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: the tags of every page that has a source."""
    if not web_pages(app) or doctree is None:
        return
    if pagename not in app.env.all_docs:
        return
    own = context.get("metatags", "")
    context["metatags"] = own + meta_tags(app, pagename, doctree, own)


def sitemap_xml(app: Sphinx) -> str:
    """Every page's address, in the order of their names."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for docname in sorted(app.env.found_docs):
        url = absolute_url(app, docname)
        lines.append(f"  <url><loc>{xml_escape(url or '')}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemap(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: ``sitemap.xml`` for a web site whose address is known."""
    if exception is not None or not writes_sitemap(app):
        return
    path = Path(app.outdir, SITEMAP)
    content = sitemap_xml(app)
    if not path.is_file() or path.read_text(encoding="utf-8") != content:
        path.write_text(content, encoding="utf-8")


def check_image(app: Sphinx) -> None:
    """``builder-inited``: a picture named by its path needs the site's address (only
    where we write the tags: web pages, and sphinxext-opengraph not loaded)."""
    image = app.config.learn_opengraph_image
    if not (image and web_pages(app) and writes_opengraph(app)) or app.config.html_baseurl:
        return
    if not is_http_url(image):
        warn(
            f"learn_opengraph_image {image!r} is a path, and previews need a full address: "
            "set html_baseurl (or give the picture's http(s) address); no og:image is written",
            subtype="config",
            location=conf_location(app, "learn_opengraph_image"),
        )


def setup_page_meta(app: Sphinx) -> None:
    app.connect("builder-inited", check_image)
    app.connect("html-page-context", add_meta_tags)
    app.connect("build-finished", write_sitemap)
