"""``learn-metadata-reference``: the tutorial metadata fields, rendered from the JSON Schema."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_numpy_learn.config_reference import reference_table
from sphinx_numpy_learn.directive_options import LearnDirective, OptionSpec
from sphinx_numpy_learn.metadata import schema
from sphinx_numpy_learn.tiers import tiers_of

if TYPE_CHECKING:
    from sphinx.application import Sphinx


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


def setup_metadata_reference(app: Sphinx) -> None:
    app.add_directive("learn-metadata-reference", MetadataReferenceDirective)
