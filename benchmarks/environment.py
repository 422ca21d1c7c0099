"""The machine and package versions a benchmark ran with, for its report."""

from __future__ import annotations

import compileall
import os
import platform
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path


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


def plain_output_env() -> dict[str, str]:
    """The environment for a build whose log is parsed: Sphinx colours its output
    (escape codes, carriage returns) when ``CI`` is set, even into a pipe; ``NO_COLOR``
    turns that off."""
    return {**os.environ, "NO_COLOR": "1"}


@contextmanager
def workspace(
    title: str, env: dict[str, str], workdir: Path | None, prefix: str
) -> Iterator[Path]:
    """Print the run's header (``title``, then ``env``) and yield its work directory:
    ``workdir`` when given (kept afterwards), else a temporary one."""
    print(f"{title}; " + ", ".join(f"{name} {value}" for name, value in env.items()), flush=True)
    with tempfile.TemporaryDirectory(prefix=prefix) as temporary:
        work = (workdir or Path(temporary)).resolve()
        work.mkdir(parents=True, exist_ok=True)
        print(f"Work directory: {work}", flush=True)
        yield work


def byte_compile(package: str) -> None:
    """Compile ``package``'s modules to ``__pycache__`` now, as installing a wheel does.

    An editable install (this repository's) is compiled only when imported, and not at
    all with ``PYTHONDONTWRITEBYTECODE`` set: every timed build would then compile the
    package again, which no installed site does, and the installed libraries it is
    compared with are compiled already."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return
    for location in spec.submodule_search_locations:
        compileall.compile_dir(location, quiet=1)
