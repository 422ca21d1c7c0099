"""One logger and one warning type for the whole extension.

Every warning we emit has the type ``learn`` and a subtype naming the feature, so
users can silence one kind with ``suppress_warnings = ["learn.<subtype>"]``.
``WARNING_SUBTYPES`` lists every subtype with what it reports; the documentation's
table is rendered from it, and a test keeps it equal to the subtypes the code uses.
"""

from __future__ import annotations

from typing import Any

from sphinx.util import logging

LOGGER = logging.getLogger("sphinx_numpy_learn")
WARNING_TYPE = "learn"

# Help texts use the markup rST and MyST share (``code``), because they are parsed by
# whichever parser reads the page that shows the table.
WARNING_SUBTYPES: dict[str, str] = {
    "metadata": (
        "A tutorial's metadata has a wrong value or an unknown field, its front matter "
        "is not valid YAML, a required field is missing, a field is set twice, or the "
        "``tutorial`` or ``learn-metadata-reference`` directive has a bad option."
    ),
    "level": "A tutorial, catalog or the ``level`` role names a level that is not a tier.",
    "prerequisite": (
        "A prerequisite is not a page of the project, a tutorial lists itself, or "
        "prerequisites go round in a circle."
    ),
    "catalog": (
        "A ``tutorial-catalog`` has a bad option, or names a level or page that does not exist."
    ),
    "path": (
        "A ``learning-path`` has a bad option or no title, a step that does not exist or "
        "is listed twice, no steps, or a name another path has."
    ),
    "landing": "A ``landing`` card names no learning path or page, or has a bad option.",
    "exercise": "An exercise has a bad option, or ``exercise-start`` has no ``exercise-end``.",
    "solution": (
        "A solution has no label, names an unknown exercise, comes before its exercise, "
        "or has a bad option."
    ),
    "checkpoint": (
        "A checkpoint has no choice marked right, a choice without a marker, fewer than "
        "two choices, or a bad option."
    ),
    "objective": (
        "An ``:objective:`` the tutorial does not have, or an objective nothing practises."
    ),
    "contributor": (
        "A contributor callout has an unknown link name, a link whose setting is missing, "
        "or a bad option."
    ),
    "checklist": (
        "A ``first-time-setup`` checklist does not hold exactly one list, or has a bad option."
    ),
    "key-points": (
        "A ``key-points-summary`` names a learning path that does not exist, or has a bad option."
    ),
    "glossary": ("A glossary term's definition has no paragraph to show in the term's tooltip."),
    "instructor-note": (
        "An ``instructor-note`` has minutes (``:teaching:``, ``:exercises:``) that are not "
        "a whole number from 0 to 1440, or another bad option."
    ),
    "path-book": (
        "A ``learning-path-book`` names no learning path or one that does not exist, is "
        "placed on a page that is itself a step of that path, or has a bad option."
    ),
    "execution": (
        "A notebook cell fails or times out, a notebook cannot be read or run (not "
        "valid JSON, broken notebook structure, a kernel that does not start), a declared "
        "input file is missing or is a link leading out of the source folder, a folder "
        "of ``learn_execution_import`` is missing or holds a shard that cannot be read, "
        "``execution-report`` has a bad option, or the Dask cluster of "
        "``learn_execution_cluster`` cannot be used or does not return a notebook (which "
        "then runs on the build's machine)."
    ),
    "launch": (
        "A launch link cannot be made from ``learn_launch`` (no repository, Colab off GitHub)."
    ),
    "download": "A notebook download cannot be prepared.",
    "math": "A formula cannot be converted to MathML; its LaTeX source is shown instead.",
    "config": (
        "A ``learn_`` setting in ``conf.py`` has a wrong value or an unknown name, or a "
        "reference table (``learn-config-reference`` ...) is given an option."
    ),
    "theme": "A theme option in ``html_theme_options`` has a wrong value.",
    "setup": (
        "The theme is used without the extension in ``extensions``, or this Sphinx "
        "version does not let the extension tell which settings ``conf.py`` sets (the "
        "recommended defaults are then not applied)."
    ),
}


def warn(message: str, *, subtype: str, location: Any = None) -> None:
    """Emit a suppressible ``learn.<subtype>`` warning at ``location``."""
    LOGGER.warning(message, type=WARNING_TYPE, subtype=subtype, location=location)
