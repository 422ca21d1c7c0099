"""What lives for the whole build is kept out of the garbage collector's way.

Python's cyclic garbage collector walks every object it tracks on each full
collection, and it makes one whenever a quarter more objects have survived the
younger collections. A build keeps hundreds of thousands of objects alive from its
start: the modules of Sphinx, docutils, Pygments, MyST and the themes, then the
build environment. So every full collection walks them all again, and a build makes
a dozen or more (a site's doctrees hold cycles, so its pages are garbage only the
collector frees). On a 300-page site those collections took 1.3 s of a 16 s build
and a fifth of an incremental one.

What is alive once the configuration is read, once the environment is loaded and
once the pages are read is moved out of the collector's reach with
:func:`gc.freeze` (what CPython documents it for), and handed back at
``build-finished`` (after a failure too), so nothing stays frozen after a build and
the garbage of the build itself is collected as before. ``learn_gc_freeze = False``
leaves the collector as it is.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

# Late: after every extension has done its own setup work at these events.
_LATE = 900


def _wanted(config: Config) -> bool:
    return bool(config["learn_gc_freeze"])


def freeze_after_setup(app: Sphinx, config: Config) -> None:
    """``config-inited``: the modules and the setup of every extension."""
    if _wanted(config):
        gc.freeze()


def freeze_environment(app: Sphinx, *args: Any) -> None:
    """``env-before-read-docs`` (the loaded environment) and ``env-updated`` (what
    reading added to it)."""
    if _wanted(app.config):
        gc.freeze()


def unfreeze(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: the frozen objects are the collector's again."""
    gc.unfreeze()


def setup_gc_freeze(app: Sphinx) -> None:
    app.connect("config-inited", freeze_after_setup, priority=_LATE)
    app.connect("env-before-read-docs", freeze_environment, priority=_LATE)
    app.connect("env-updated", freeze_environment, priority=_LATE)
    app.connect("build-finished", unfreeze)
