"""Directives that document the configuration and the tutorial metadata from their schemas.

``learn-config-reference`` renders one ``confval`` entry per ``learn_*`` setting
(so pages can link to a setting with ``:confval:``), and
``learn-defaults-reference`` renders the table of recommended MyST-NB and
MyST-Parser defaults, ``learn-check-rules`` the rules of
``sphinx-numpy-learn check``, ``learn-theme-options`` the theme's options, and
``learn-warning-types`` the ``learn.*`` warning types; ``learn-metadata-reference``
the tutorial metadata fields, from the JSON Schema.
They read the same objects the extension uses at build time, so the
documentation cannot drift from the code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.statemachine import StringList

from sphinx_numpy_learn.check.registry import RULES
from sphinx_numpy_learn.config import PREFIX, field_default, schema_fields
from sphinx_numpy_learn.defaults import RECOMMENDED_DEFAULTS
from sphinx_numpy_learn.directive_options import LearnDirective, OptionSpec
from sphinx_numpy_learn.log import WARNING_SUBTYPES, WARNING_TYPE
from sphinx_numpy_learn.metadata import schema
from sphinx_numpy_learn.theme.options import THEME_OPTIONS
from sphinx_numpy_learn.tiers import tiers_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _row(*cells: list[nodes.Node]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += nodes.entry("", nodes.paragraph("", "", *cell))
    return row


def reference_table(
    css_class: str, columns: list[tuple[str, int]], rows: list[list[list[nodes.Node]]]
) -> nodes.table:
    """A table with a header row; ``columns`` holds each column's title and width."""
    table = nodes.table(classes=[css_class])
    tgroup = nodes.tgroup(cols=len(columns))
    table += tgroup
    for _title, width in columns:
        tgroup += nodes.colspec(colwidth=width)
    tgroup += nodes.thead("", _row(*([nodes.Text(title)] for title, _width in columns)))
    tgroup += nodes.tbody("", *(_row(*cells) for cells in rows))
    return table


class _ReferenceDirective(LearnDirective):
    """A reference table: no content, no options (an unknown one is a warning)."""

    has_content = False
    option_spec = OptionSpec(subtype="config")


class ConfigReferenceDirective(_ReferenceDirective):
    """One ``confval`` per ``learn_*`` setting, with type, default and help.

    Sphinx's own ``confval`` directive does the rendering, so entries get index
    entries and can be linked with the ``confval`` role from any page. Help texts
    use the markup rST and MyST share (````code````, ``*emphasis*``), because they
    are parsed by whichever parser reads the page that holds this directive.
    """

    has_content = False

    def run(self) -> list[nodes.Node]:
        confval = self.env.domains.standard_domain.directive("confval")
        assert confval is not None
        source, line = self.get_source_info()
        result: list[nodes.Node] = []
        for schema_field in schema_fields():
            meta = schema_field.metadata
            help_lines = meta["help"].splitlines()
            content = StringList(help_lines, items=[(source, line)] * len(help_lines))
            directive = confval(
                "confval",
                [PREFIX + schema_field.name],
                {
                    "type": meta["validator"].accepted,
                    "default": f"``{field_default(schema_field)!r}``",
                },
                content,
                self.lineno,
                self.content_offset,
                self.block_text,
                self.state,
                self.state_machine,
            )
            result.extend(directive.run())
        return result


class DefaultsReferenceDirective(_ReferenceDirective):
    """A table of the MyST-NB/MyST-Parser values set when ``conf.py`` leaves them unset."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        rows = []
        messages: list[nodes.system_message] = []
        for default in RECOMMENDED_DEFAULTS:
            why, why_messages = self.parse_inline(default.why, lineno=self.lineno)
            messages += why_messages
            shown = default.value if default.computed else repr(default.value)
            rows.append([[nodes.literal("", default.name)], [nodes.literal("", shown)], why])
        columns = [("Setting", 30), ("Value", 25), ("Why", 45)]
        table = reference_table("learn-defaults-reference", columns, rows)
        self.set_source_info(table)
        return [table, *messages]


class CheckRulesReferenceDirective(_ReferenceDirective):
    """A table of the rules of ``sphinx-numpy-learn check``, from the rule registry."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        rows = [
            [
                [nodes.literal("", rule.id)],
                [nodes.literal("", rule.name)],
                [nodes.Text(rule.severity)],
                [nodes.Text(rule.applies_to)],
                [nodes.Text(rule.summary)],
            ]
            for rule in RULES
        ]
        columns = [("Rule", 10), ("Name", 20), ("Severity", 10), ("Checks", 15), ("What", 45)]
        table = reference_table("learn-check-rules", columns, rows)
        self.set_source_info(table)
        return [table]


class ThemeOptionsReferenceDirective(_ReferenceDirective):
    """A table of the theme's options, from the schema the theme validates with."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        rows = []
        messages: list[nodes.system_message] = []
        for option in THEME_OPTIONS:
            what, what_messages = self.parse_inline(option.help, lineno=self.lineno)
            messages += what_messages
            rows.append(
                [
                    [nodes.literal("", option.name)],
                    [nodes.Text(option.validator.accepted)],
                    [nodes.literal("", repr(option.default))],
                    what,
                ]
            )
        columns = [("Option", 20), ("Type", 15), ("Default", 20), ("What it does", 45)]
        table = reference_table("learn-theme-options", columns, rows)
        self.set_source_info(table)
        return [table, *messages]


class WarningTypesReferenceDirective(_ReferenceDirective):
    """A table of the ``learn.*`` warning types, from the registry the code uses."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        rows = []
        messages: list[nodes.system_message] = []
        for subtype, when in WARNING_SUBTYPES.items():
            what, what_messages = self.parse_inline(when, lineno=self.lineno)
            messages += what_messages
            rows.append([[nodes.literal("", f"{WARNING_TYPE}.{subtype}")], what])
        columns = [("Type", 20), ("When you get it", 80)]
        table = reference_table("learn-warning-types", columns, rows)
        self.set_source_info(table)
        return [table, *messages]


def _type_text(spec: dict[str, Any]) -> str:
    if "enum" in spec:
        return " | ".join(map(str, spec["enum"]))
    kind = spec.get("type", "")
    if kind == "array":
        return "list"
    return {"integer": "whole number", "string": "text"}.get(kind, kind)


class MetadataReferenceDirective(LearnDirective):
    """A table of every tutorial metadata field: name, type, meaning."""

    has_content = False
    option_spec = OptionSpec(subtype="metadata")

    def run(self) -> list[nodes.Node]:
        rows = []
        messages: list[nodes.Node] = []
        tiers = ", ".join(tiers_of(self.config))
        for name, spec in schema()["properties"].items():
            kind = _type_text(spec) if name != "level" else tiers
            meaning, problems = self.parse_inline(spec["description"], lineno=self.lineno)
            messages += problems
            rows.append([[nodes.literal("", name)], [nodes.Text(kind)], meaning])
        columns = [("Field", 20), ("Type", 20), ("Meaning", 60)]
        table = reference_table("learn-metadata-reference", columns, rows)
        self.set_source_info(table)
        return [table, *messages]


def setup_reference(app: Sphinx) -> None:
    app.add_directive("learn-config-reference", ConfigReferenceDirective)
    app.add_directive("learn-defaults-reference", DefaultsReferenceDirective)
    app.add_directive("learn-check-rules", CheckRulesReferenceDirective)
    app.add_directive("learn-theme-options", ThemeOptionsReferenceDirective)
    app.add_directive("learn-warning-types", WarningTypesReferenceDirective)
    app.add_directive("learn-metadata-reference", MetadataReferenceDirective)
