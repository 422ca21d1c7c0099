"""reStructuredText (and MyST's ``eval-rst`` blocks) parsed with plain docutils.

Sphinx, MyST-NB and extension directives are not run: their content is skipped (code
never reads as prose or headings), except admonitions, ``only`` and our own container
directives, whose content is read as the build reads it, the ``tutorial`` directive,
whose options are read as metadata, and ``include``, followed inside the source folder.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive, directives, roles

from sphinx_numpy_learn import _compat, derive, metadata, rich_text
from sphinx_numpy_learn.check.outline import (
    CODE_DIRECTIVES,
    CONTAINER_DIRECTIVES,
    LITERAL_ROLES,
    Block,
    Checkpoint,
    Heading,
    Image,
    Outline,
    read_included,
    role_text,
)
from sphinx_numpy_learn.task_lists import read_checkpoint


class _AnyOptions(dict[str, Any]):
    """Accepts every option. Never empty: docutils skips option parsing for an empty
    (falsy) spec."""

    def __missing__(self, key: str) -> Any:
        return directives.unchanged


class _SkippedDirective(Directive):
    """Any directive we do not know: its content is neither prose nor structure."""

    optional_arguments = 100
    final_argument_whitespace = True
    has_content = True
    option_spec = _AnyOptions(name=directives.unchanged)

    def run(self) -> list[nodes.Node]:
        if self.name.lower() in CODE_DIRECTIVES:
            # Code, as the build has it: it makes a section clearly content.
            return [nodes.literal_block()]
        # An empty comment still says something was there (a checkpoint's question
        # may be a code block), and comments are neither prose nor structure.
        return [nodes.comment()]


class _ContainerDirective(_SkippedDirective):
    """A directive whose body is ordinary content (an exercise, a callout)."""

    def run(self) -> list[nodes.Node]:
        container = nodes.container(classes=["learn-check-nested"])
        container.line = self.lineno
        self.state.nested_parse(self.content, self.content_offset, container)
        return [container]


class _IncludeDirective(_SkippedDirective):
    """``include``: the file's text inserted where the directive stands, as in the
    build (only inside the source folder; see :func:`read_included`)."""

    def run(self) -> list[nodes.Node]:
        settings = self.state.document.settings
        depth = self.state.document.get("learn_include_depth", 0)
        text = read_included(settings.learn_include_from, self.arguments[0], self.options, depth)
        if text is None:
            return [nodes.comment()]
        if "literal" in self.options or "code" in self.options:
            return [nodes.literal_block(text, text)]
        self.state.document["learn_include_depth"] = depth + 1
        self.state_machine.insert_input(text.splitlines(), self.arguments[0])
        return []


class _TutorialDirective(_SkippedDirective):
    """Reads the ``tutorial`` directive's options as metadata."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        store = self.state.document.settings.learn_directives
        if not store:
            known = metadata.tutorial_field_names()
            options = {k: v for k, v in self.options.items() if k in known}
            store.append(metadata.from_options(options, self.lineno))
        return []


def _generic_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: Any = None,
    content: Any = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    if LITERAL_ROLES.match(name):
        return [nodes.literal(rawtext, text)], []
    return [nodes.inline(rawtext, role_text(text))], []


class _checkpoint_read(nodes.Element):
    """Where a checkpoint was: ``checkpoint`` holds what :func:`read_checkpoint` found."""


class _CheckpointDirective(_SkippedDirective):
    """Reads a checkpoint's content the way the build does; the content itself is not
    page prose (a choice is not a sentence)."""

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, container)
        content = read_checkpoint(bool(self.arguments), container.children)
        lines = [_line(item) for item in content.items]
        found = _checkpoint_read(checkpoint=Checkpoint(content.shape, self.lineno, lines))
        return [found]


@functools.cache
def _known_markup() -> tuple[dict[str, type[Directive]], frozenset[str], frozenset[str]]:
    """Our directives, and the names of docutils' own directives and roles: read when
    a page is first parsed, not at import. A docutils that no longer lists them gets
    every directive but ours skipped and every role read as plain text."""
    standard_directives = _compat.docutils_directive_names() or frozenset()
    ours: dict[str, type[Directive]] = {
        **{
            name: _ContainerDirective
            for name in CONTAINER_DIRECTIVES
            if name not in standard_directives
        },
        "tutorial": _TutorialDirective,
        "checkpoint": _CheckpointDirective,
        "include": _IncludeDirective,
    }
    return ours, standard_directives, _compat.docutils_role_names() or frozenset()


@contextlib.contextmanager
def lenient_markup() -> Iterator[None]:
    """Parse with docutils' own directives and roles, ours above, and leniency for
    the rest. The registry lookups are swapped only while parsing."""
    our_directives, standard_directives, standard_roles = _known_markup()
    lookup_directive = directives.directive
    lookup_role = roles.role

    def directive(name: str, language: Any, document: Any) -> tuple[Any, list[Any]]:
        bare = name.lower().removeprefix("learn:")
        if bare in our_directives:
            return our_directives[bare], []
        if name.lower() in standard_directives:
            return lookup_directive(name, language, document)
        return _SkippedDirective, []

    def role(name: str, language: Any, lineno: int, reporter: Any) -> tuple[Any, list[Any]]:
        if name.lower() in standard_roles and not LITERAL_ROLES.match(name.lower()):
            return lookup_role(name, language, lineno, reporter)
        return _generic_role, []

    directives.directive = directive
    roles.role = role
    try:
        yield
    finally:
        directives.directive = lookup_directive
        roles.role = lookup_role


_NOT_PROSE = (
    nodes.literal_block,
    nodes.literal,
    nodes.math,
    nodes.math_block,
    nodes.raw,
    nodes.comment,
    nodes.system_message,
    nodes.problematic,
    nodes.table,
    nodes.title,
    nodes.caption,
)


def _ancestors(node: nodes.Node) -> Iterator[nodes.Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _line(node: nodes.Node) -> int | None:
    current: nodes.Node | None = node
    while current is not None:
        if getattr(current, "line", None):
            return current.line
        current = current.parent
    return None


def _own(node: nodes.Node) -> bool:
    """Part of its section's own content, as the build reads a section: not inside a
    footnote, a directive or an admonition."""
    return isinstance(node.parent, nodes.section | nodes.document)


def outline_of_doctree(document: nodes.document, quotes: derive.Quotes | None = None) -> Outline:
    """The outline of a docutils document (reStructuredText)."""
    outline = Outline()

    def nested(node: nodes.Node) -> bool:
        return any(
            isinstance(a, nodes.list_item | nodes.table)
            or (isinstance(a, nodes.container) and "learn-check-nested" in a["classes"])
            or isinstance(a, nodes.Admonition)
            for a in _ancestors(node)
        )

    for node in document.findall(nodes.Element):
        if isinstance(node, nodes.title) and isinstance(node.parent, nodes.section):
            depth = sum(1 for a in _ancestors(node) if isinstance(a, nodes.section))
            segments = [
                (
                    # astext(), not str(): str() keeps docutils' \x00 escape markers.
                    text.astext(),
                    any(isinstance(a, nodes.literal | nodes.math) for a in _ancestors(text)),
                )
                for text in node.findall(nodes.Text)
            ]
            heading = Heading(depth, segments, _line(node))
            outline.blocks.append(Block("heading", heading.line, heading=heading))
        elif isinstance(node, nodes.transition):
            outline.blocks.append(Block("rule", _line(node), nested=nested(node)))
        elif isinstance(node, nodes.bullet_list | nodes.enumerated_list):
            if not any(isinstance(a, nodes.list_item) for a in _ancestors(node)):
                items = [" ".join(item.astext().split()) for item in node.children]
                content = rich_text.rich_block(node, quotes) if _own(node) else None
                outline.blocks.append(
                    Block("list", _line(node), items=items, nested=nested(node), content=content)
                )
        elif rich_text.is_code(node):
            outline.blocks.append(Block("code", _line(node), nested=True))
        elif isinstance(node, nodes.paragraph):
            if any(isinstance(a, _NOT_PROSE) for a in _ancestors(node)):
                continue
            prose = "".join(
                t.astext()
                for t in node.findall(nodes.Text)
                if not any(isinstance(a, _NOT_PROSE) for a in _ancestors(t))
            )
            prose = " ".join(prose.split())
            line = _line(node)
            if prose:
                outline.prose.append((prose, line))
            if not any(isinstance(a, nodes.list_item) for a in _ancestors(node)):
                text = " ".join(node.astext().split())
                content = rich_text.rich_block(node, quotes) if _own(node) else None
                outline.blocks.append(
                    Block("paragraph", line, text=text, nested=nested(node), content=content)
                )
        elif isinstance(node, nodes.image):
            outline.images.append(Image(node.get("uri", ""), node.get("alt") or "", _line(node)))
        elif isinstance(node, _checkpoint_read):
            outline.checkpoints.append(node["checkpoint"])
        elif isinstance(node, nodes.raw) and "html" in node.get("format", "").split():
            outline.raw_html.append((node.astext(), _line(node)))
    return outline
