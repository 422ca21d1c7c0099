"""One logger and one warning type for the whole extension.

Every warning we emit has the type ``learn`` and a subtype naming the feature, so
users can silence one kind with ``suppress_warnings = ["learn.<subtype>"]``.
"""

from __future__ import annotations

from typing import Any

from sphinx.util import logging

LOGGER = logging.getLogger("sphinx_numpy_learn")
WARNING_TYPE = "learn"


def warn(message: str, *, subtype: str, location: Any = None) -> None:
    """Emit a suppressible ``learn.<subtype>`` warning at ``location``."""
    LOGGER.warning(message, type=WARNING_TYPE, subtype=subtype, location=location)
