"""A stand-in for sphinx-exercise: claims the names ``exercise`` and ``solution``."""

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class Claimed(SphinxDirective):
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"label": str}

    def run(self):
        return [nodes.paragraph("", "SPHINX-EXERCISE WAS HERE")]


def setup(app):
    for name in ("exercise", "solution", "exercise-start", "exercise-end"):
        app.add_directive(name, Claimed)
    return {"parallel_read_safe": True}
