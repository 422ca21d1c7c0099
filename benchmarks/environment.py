"""The machine and package versions a benchmark ran with, for its report."""

from __future__ import annotations

import os
import platform
from importlib import metadata


def environment(packages: tuple[str, ...]) -> dict[str, str]:
    """Python, platform, CPU count and the installed version of each package."""

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
        **{name: version(name) for name in packages},
    }
