"""Maths as MathML, written at build time: no JavaScript, nothing fetched from a CDN.

Sphinx's HTML builders pick a maths renderer by name. We register ``learn_mathml``;
when ``html_math_renderer`` is unset and only MathJax (loaded by Sphinx itself) and we
are registered, Sphinx prefers the one that is not MathJax
(``StandaloneHTMLBuilder.math_renderer_name``). A project that wants MathJax back sets
``html_math_renderer = "mathjax"``. LaTeX, text, man and Texinfo builders keep their
own maths handling: a HTML maths renderer is only used by HTML translators.

`latex2mathml <https://pypi.org/project/latex2mathml/>`_ converts the LaTeX. It
writes its own output by unescaping everything it serialized (so ``<`` in
``\\text{}`` would come out raw); we take its element tree instead and serialize it
ourselves, escaped. LaTeX it cannot convert gets a ``learn.math`` warning and is
shown as its source in ``<code>``: never a traceback, never dropped.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, tostring

from docutils import nodes
from sphinx.locale import _
from sphinx.util.math import get_node_equation_number

from sphinx_numpy_learn import _compat
from sphinx_numpy_learn.assets import (
    ASSET_BY_NAME,
    MATH_BLOCK_STYLESHEET,
    MATH_STYLESHEET,
    write_minified,
)
from sphinx_numpy_learn.domain import page_may_show
from sphinx_numpy_learn.log import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.html5 import HTML5Translator

RENDERER = "learn_mathml"

# latex2mathml writes characters as numeric references into element text.
_CHAR_REF = re.compile(r"&#(?:x([0-9A-Fa-f]+)|([0-9]+));")
# Environments latex2mathml lacks, mapped to ones it has that look the same.
_ENVIRONMENTS = (
    # ``aligned`` comes out as one line with stray "&"; ``split`` is the same layout.
    (re.compile(r"\\(begin|end)\{aligned\}"), r"\\\1{split}"),
    # latex2mathml numbers ``align`` rows itself from 1 on every formula; Sphinx
    # numbers the block instead.
    (re.compile(r"\\(begin|end)\{align\}"), r"\\\1{align*}"),
    (re.compile(r"\\(begin|end)\{equation\}"), r"\\\1{equation*}"),
)
# Numbering commands that only mean something to LaTeX (Sphinx numbers equations).
_NUMBERING = re.compile(r"\\label\{[^{}]*\}|\\nonumber\b|\\notag\b")
# A whole ``nowrap`` block may carry its own display delimiters.
_DELIMITED = re.compile(r"^\s*(?:\\\[(?P<a>.*)\\\]|\$\$(?P<b>.*)\$\$)\s*$", re.DOTALL)
# What decides whether a display block needs an alignment environment: environments
# (depth), escaped characters (``\\&`` is not alignment) and, at depth 0, ``\\\\``/``&``.
_STRUCTURE = re.compile(r"\\begin\{[^{}]*\}|\\end\{[^{}]*\}|\\\\|\\.|&", re.DOTALL)
_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# How a browser reads a URL's scheme: tabs and newlines anywhere are dropped, and
# so are leading spaces and control characters.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_LEADING = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


class MathConversionError(Exception):
    """latex2mathml could not convert a formula, or converted it into nonsense."""


def _needs_alignment(latex: str) -> bool:
    """Whether ``\\\\`` or ``&`` occur outside any ``\\begin``/``\\end`` environment."""
    depth = 0
    for match in _STRUCTURE.finditer(latex):
        token = match.group()
        if token.startswith(r"\begin"):
            depth += 1
        elif token.startswith(r"\end"):
            depth = max(0, depth - 1)
        elif depth == 0 and token in (r"\\", "&"):
            return True
    return False


def _prepare(latex: str, mode: str) -> str:
    """The LaTeX latex2mathml should see for ``latex`` in ``mode``.

    ``block`` follows Sphinx's MathJax renderer: paragraphs are separate equations,
    aligned together, and a multi-line equation is a ``split``. ``nowrap`` blocks are
    complete LaTeX as the author wrote them.
    """
    if mode == "nowrap" and (delimited := _DELIMITED.match(latex)):
        latex = delimited.group("a") or delimited.group("b") or ""
    latex = _NUMBERING.sub("", latex)
    for pattern, replacement in _ENVIRONMENTS:
        latex = pattern.sub(replacement, latex)
    if mode == "block":
        parts = [part.strip() for part in latex.split("\n\n") if part.strip()]
        latex = " \\\\\n".join(parts)
        if len(parts) > 1 or _needs_alignment(latex):
            latex = f"\\begin{{split}}{latex}\\end{{split}}"
    return latex


def _problem(math: Element) -> str | None:
    """What latex2mathml got wrong without raising, if anything."""
    for element in math.iter():
        text = element.text or ""
        if element.tag != "mtext" and text.startswith("\\") and len(text) > 1:
            return f"unknown LaTeX command {text}"
        if element.tag == "mi" and text == "&":
            return "'&' outside an alignment environment such as 'split' or 'cases'"
        if element.tag == "mspace" and "linebreak" in element.attrib:
            return r"line break '\\' outside an alignment environment such as 'split'"
    return None


def _decode(text: str | None) -> str | None:
    if not text:
        return text
    return _CHAR_REF.sub(
        lambda m: chr(int(m.group(1), 16) if m.group(1) else int(m.group(2))), text
    )


def _safe_link(url: str) -> bool:
    """Whether ``url`` is relative or an http(s) or mailto address, as a browser reads it
    (checked after character references are decoded: they must not hide the scheme)."""
    scheme = _SCHEME.match(_URL_IGNORED.sub("", url).lstrip(_URL_LEADING))
    return scheme is None or scheme[1].lower() in _SAFE_SCHEMES


def _reason(error: Exception) -> str:
    """``MissingEndError()`` -> ``missing end``: latex2mathml's errors carry no message."""
    if str(error):
        return str(error)
    name = type(error).__name__.removesuffix("Error")
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower() or "error"


@functools.lru_cache(maxsize=4096)
def latex_to_mathml(latex: str, mode: str) -> str:
    """``<math>`` markup for ``latex``; ``mode`` is ``inline``, ``block`` or ``nowrap``.

    Raises :class:`MathConversionError` when the formula cannot be converted.
    """
    from latex2mathml.converter import convert_to_element

    display = "inline" if mode == "inline" else "block"
    try:
        math = convert_to_element(_prepare(latex, mode), display=display)
    except Exception as error:  # latex2mathml raises many unrelated exception types
        raise MathConversionError(_reason(error)) from None
    if (problem := _problem(math)) is not None:
        raise MathConversionError(problem)
    for element in math.iter():
        element.text = _decode(element.text)
        element.tail = _decode(element.tail)
        for name, value in list(element.attrib.items()):
            value = _decode(value) or ""
            if name == "href" and not _safe_link(value):
                del element.attrib[name]  # \href{javascript:...}, also written &#106;avascript:
            else:
                element.attrib[name] = value
    # The source as a text alternative for assistive technology and copying.
    math.set("alttext", latex.strip())
    # ElementTree escapes text and attributes; explicit end tags suit any HTML parser.
    return tostring(math, encoding="unicode", short_empty_elements=False)


def _render(self: HTML5Translator, node: nodes.Element, mode: str) -> str:
    """The MathML for ``node``, or its source in ``<code>`` after a warning."""
    latex = node.astext()
    try:
        return latex_to_mathml(latex, mode)
    except MathConversionError as error:
        shown = " ".join(latex.split())  # one line in the log
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        warn(
            f"cannot convert maths to MathML ({error}); showing its LaTeX source: `{shown}`",
            subtype="math",
            location=node,
        )
        return f'<code class="learn-math-source">{self.encode(latex.strip())}</code>'


def visit_inline(self: HTML5Translator, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_render(self, node, "inline"))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_block(self: HTML5Translator, node: nodes.math_block) -> None:
    # As sphinx.ext.mathjax.html_visit_displaymath: the id from ``:label:`` goes on the
    # div, the number and its permalink in ``span.eqno`` before the formula.
    self.body.append(
        self.starttag(node, "div", CLASS="math notranslate nohighlight learn-math-block")
    )
    if node.get("number"):
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    nowrap = node.get("no-wrap", node.get("nowrap", False))
    # The inner div scrolls a formula wider than the screen; the number stays put.
    self.body.append('<div class="learn-math-scroll">')
    self.body.append(_render(self, node, "nowrap" if nowrap else "block"))
    self.body.append("</div></div>\n")
    raise nodes.SkipNode


def _renders_mathml(app: Sphinx) -> bool:
    return getattr(app.builder, "math_renderer_name", None) == RENDERER


def prefer_projects_renderer(app: Sphinx, config: Config) -> None:
    """``config-inited``: a project that loads another renderer (``sphinx.ext.imgmath``,
    ``sphinxcontrib.katex``) without choosing one keeps it. Sphinx only chooses by itself
    between MathJax and one other renderer; with three it would stop the build."""
    if config.html_math_renderer is not None:
        return
    registered = _compat.html_inline_math_renderers(app)
    if registered is None:
        return  # Sphinx chooses, as it would without us
    others = [n for n in registered if n not in {"mathjax", RENDERER}]
    if len(others) == 1:
        config.html_math_renderer = others[0]


def add_stylesheet(app: Sphinx) -> None:
    """``builder-inited``: write the (minified) stylesheet for HTML builders that write
    MathML."""
    if app.builder.format != "html" or not _renders_mathml(app):
        return
    for name in (MATH_STYLESHEET, MATH_BLOCK_STYLESHEET):
        write_minified(ASSET_BY_NAME[name].source, Path(app.outdir, "_static", name))


def link_stylesheet(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: link the stylesheet from pages with maths only."""
    if app.builder.format != "html" or not _renders_mathml(app):
        return
    has_maths = context.get("has_maths_elements")  # Sphinx 8.2+
    if has_maths is None:
        has_maths = doctree is not None and (
            next(doctree.findall(lambda n: isinstance(n, nodes.math | nodes.math_block)), None)
            is not None
        )
    if has_maths:
        app.add_css_file(MATH_STYLESHEET)
        if doctree is not None and _has_math_block(app, doctree, pagename):
            app.add_css_file(MATH_BLOCK_STYLESHEET)


def _has_math_block(app: Sphinx, doctree: nodes.document, pagename: str) -> bool:
    # As noted when the page was read, where a page holds one document.
    if not page_may_show(app.env, app.builder, pagename, ("math-block",)):
        return False
    return next(doctree.findall(nodes.math_block), None) is not None


def setup_mathml(app: Sphinx) -> None:
    app.add_html_math_renderer(RENDERER, (visit_inline, None), (visit_block, None))
    app.connect("config-inited", prefer_projects_renderer)
    app.connect("builder-inited", add_stylesheet)
    app.connect("html-page-context", link_stylesheet)
