"""Translations of every label the extension writes into pages.

Labels are looked up in the ``sphinx_numpy_learn`` message catalog shipped in
``locale/`` (Spanish and French today), following the project's ``language``.
Extraction and compilation: ``make translations``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.locale import get_translation, get_translator, is_translator_registered

if TYPE_CHECKING:
    from sphinx.application import Sphinx

MESSAGE_CATALOG = "sphinx_numpy_learn"
LOCALE_DIR = Path(__file__).parent / "locale"

_ = get_translation(MESSAGE_CATALOG)


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated later, where it is shown."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The plural-aware form of :func:`_` ("1 minute", "2 minutes")."""
    if not is_translator_registered(MESSAGE_CATALOG):
        return singular if count == 1 else plural
    return get_translator(MESSAGE_CATALOG).ngettext(singular, plural, count)


def setup_i18n(app: Sphinx) -> None:
    from sphinx_numpy_learn import _compat

    # Each build reads the catalog of its own language, also after another build in
    # this process (tests, a script building several languages).
    _compat.forget_cached_translator(MESSAGE_CATALOG)
    app.add_message_catalog(MESSAGE_CATALOG, str(LOCALE_DIR))
