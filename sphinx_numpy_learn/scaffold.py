"""``sphinx-numpy-learn new``: start a tutorial or contributor page from a skeleton.

The tutorial skeleton follows NumPy's tutorial style guide: metadata, the opening
sections "What you'll do", "What you'll learn" and "What you'll need", a
horizontal rule, a first step with a code cell, an exercise and a checkpoint,
another rule, and the closing sections. What it writes passes
``sphinx-numpy-learn check`` and builds without warnings, whatever the title: what
the writer typed is escaped for the page's syntax, and the file name is one any file
system takes.
"""

from __future__ import annotations

import os
import re
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx_numpy_learn.check.output import one_line, shown_path
from sphinx_numpy_learn.skeletons import TEMPLATES
from sphinx_numpy_learn.tiers import DEFAULT_TIERS, tiers_validator

KINDS = ("tutorial", "contributor-page")
FORMATS = {"myst": ".md", "rst": ".rst"}
# What Sphinx reads with this extension whatever conf.py says: reStructuredText, and
# MyST-NB's Markdown and notebooks (".txt" is a common extra source suffix).
DOCUMENT_SUFFIXES = (".md", ".rst", ".ipynb", ".txt")
# The most bytes (in the file-system encoding) of a file name without its suffix. File
# systems allow 255 bytes for a name (eCryptfs 143), and the build adds suffixes of its
# own to a document's name (_sources/NAME.md.txt, NAME.ipynb downloads): stay well under.
MAX_NAME_BYTES = 100


class ScaffoldError(Exception):
    """Why a skeleton was not written (exit status 2)."""


def name_bytes(name: str) -> int:
    """The length of ``name`` as a file name, in bytes of the file-system encoding."""
    return len(os.fsencode(name))


def _word_char(char: str) -> bool:
    # Marks belong to the letter before them (the vowel signs of Devanagari, say).
    return char.isalnum() or char == "_" or unicodedata.category(char).startswith("M")


def slugify(title: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """A file name from a title: lower case, words joined by hyphens; accents are
    dropped, letters of other scripts are kept, and a long name is cut after a word
    so that it takes at most ``max_bytes`` bytes."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    text = ascii_text if re.search(r"[A-Za-z0-9]", ascii_text) else title
    words = "".join(c if _word_char(c) else " " for c in text.lower()).split()
    slug = "-".join(words)
    # A name starts with a letter or digit (a mark alone has nothing to sit on).
    while slug and (slug[0] in "-_" or unicodedata.category(slug[0]).startswith("M")):
        slug = slug[1:]
    return _shorten(slug.rstrip("-_"), max_bytes)


def _shorten(slug: str, max_bytes: int) -> str:
    """``slug`` cut to at most ``max_bytes`` bytes: after its last whole word when that
    keeps at least half of it, else after its last whole character."""
    if name_bytes(slug) <= max_bytes:
        return slug
    size = end = 0
    while size + name_bytes(slug[end]) <= max_bytes:
        size += name_bytes(slug[end])
        end += 1
    while end and unicodedata.category(slug[end]).startswith("M"):
        end -= 1  # keep a letter with its marks
    fitting = slug[:end]
    boundary = fitting.rfind("-")
    if slug[end] != "-" and boundary > 0 and name_bytes(fitting[:boundary]) >= max_bytes // 2:
        fitting = fitting[:boundary]
    return fitting.rstrip("-_")


def _noncharacter(char: str) -> bool:
    # Code points Unicode keeps out of text for good (YAML, and so Jupytext, refuses
    # U+FFFE and U+FFFF).
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def clean_title(title: str) -> str:
    """The title on one line: white space (new lines and tabs too) becomes single
    spaces, byte order marks go (one that starts a file is dropped when it is read);
    other control characters, which no page can show, are refused."""
    text = " ".join(title.replace("\ufeff", "").split())
    if not text:
        raise ScaffoldError("the title is empty")
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc":
            raise ScaffoldError(
                f"the title holds the control character U+{ord(char):04X}; remove it"
            )
        if category == "Cs":  # a byte the terminal's encoding could not decode
            raise ScaffoldError(
                "the title holds bytes that are not text in this system's encoding "
                f"(U+{ord(char):04X}); type it again"
            )
        if _noncharacter(char):
            raise ScaffoldError(
                f"the title holds U+{ord(char):04X}, which is not a character; remove it"
            )
    return text


def check_name(name: str, suffixes: Iterable[str] = DOCUMENT_SUFFIXES) -> str:
    """``name`` (from ``--name``) if it can be a document's file name; else why not."""
    shown = repr(name)
    if not name.strip():
        raise ScaffoldError("--name is empty; give a file name such as my-tutorial")
    if any(sep and sep in name for sep in ("/", "\\", os.sep, os.altsep)):
        raise ScaffoldError(
            f"--name {shown} is a path; give the file name alone, and the folder with --path"
        )
    suffix = next((s for s in suffixes if name.lower().endswith(s.lower())), None)
    if suffix is not None:
        raise ScaffoldError(
            f"--name is the file name without its suffix: {name[: -len(suffix)]!r}, not {shown}"
        )
    if not _plain_name(name):
        raise ScaffoldError(
            f"--name {shown} can hold letters, digits, '_', '-' and '.' only, and cannot "
            "start with '.' or '-'"
        )
    try:
        size = name_bytes(name)
    except UnicodeEncodeError:
        raise ScaffoldError(
            f"--name {shown} cannot be a file name in this system's encoding"
        ) from None
    if size > MAX_NAME_BYTES:
        raise ScaffoldError(
            f"--name is {size} bytes long; give one of at most {MAX_NAME_BYTES} bytes"
        )
    return name


def _plain_name(name: str) -> bool:
    """Words, dots and hyphens, starting with a letter, digit or underscore."""
    first = name[0]
    return (
        _word_char(first)
        and not unicodedata.category(first).startswith("M")
        and all(_word_char(c) or c in ".-" for c in name)
    )


# -- Escaping what the writer typed ----------------------------------------------------------

# reStructuredText: characters that start or end inline markup wherever they are; an
# underscore only when it is not inside a word (``numpy_`` is a reference, ``a_b`` is not).
_RST_INLINE = re.compile(r"[\\*`|]|(?<![^\W_])_|_(?![^\W_])")
# What makes a line a list item, enumerator, option, field, table, directive or
# comment instead of text: its first character, or a first word like "1." or "iv)".
_RST_LINE_START = set(string.punctuation) | set("\u2022\u2023\u2043")
_RST_ENUMERATOR = re.compile(r"([0-9]+|[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+)[.)]( |$)")
# MyST Markdown: emphasis, code, links and images, roles and attributes, HTML and
# autolinks, maths, substitutions, strikethrough, tables; an underscore outside a
# word; and "&" where it would start an entity such as "&amp;".
_MYST_INLINE = re.compile(r"[\\`*\[\]<>{}$|~]|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)")


def _backslashed(match: re.Match[str]) -> str:
    return "\\" + match[0]


def rst_text(text: str) -> str:
    """``text`` (one line) as reStructuredText that shows exactly that text."""
    escaped = _RST_INLINE.sub(_backslashed, text)
    starts_a_construct = escaped[0] in _RST_LINE_START and escaped[0] != "\\"
    if starts_a_construct or _RST_ENUMERATOR.match(escaped):
        escaped = "\\" + escaped
    elif escaped.strip("\\") == "":
        # Backslashes alone would read as a section adornment; an escaped space is
        # nothing at all, and makes the line text.
        escaped = "\\ " + escaped
    return escaped


def myst_text(text: str) -> str:
    """``text`` (one line) as MyST Markdown inline text that shows exactly that text."""
    escaped = _MYST_INLINE.sub(_backslashed, text)
    # A last word of "#" alone would close the heading and vanish.
    words = escaped.split(" ")
    if set(words[-1]) == {"#"}:
        words[-1] = words[-1].replace("#", "\\#")
    return " ".join(words)


def rst_underline(text: str, char: str) -> str:
    """An underline for the title line ``text``: as wide as docutils measures it
    (East Asian wide characters take two columns)."""
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return char * max(width, 1)


def yaml_text(text: str) -> str:
    """``text`` as a double-quoted YAML scalar; characters YAML does not allow in a
    file are written as escapes."""
    out = []
    for char in text:
        code = ord(char)
        if char in '\\"':
            out.append("\\" + char)
        elif (
            0x20 <= code <= 0x7E
            or 0xA0 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD
            or (code >= 0x10000)
        ):
            out.append(char)
        else:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


# -- Writing --------------------------------------------------------------------------------


@dataclass
class Created:
    path: Path
    docname: str | None
    """The page's document name in its Sphinx project, when one was found."""
    srcdir: Path | None
    level: str


def project_of(folder: Path) -> Path | None:
    """The nearest folder at or above ``folder`` holding a ``conf.py``."""
    for candidate in [folder, *folder.parents]:
        if (candidate / "conf.py").is_file():
            return candidate
    return None


def project_settings(srcdir: Path | None) -> dict[str, Any]:
    """The names the project's ``conf.py`` sets; none when there is no project or its
    ``conf.py`` cannot be run (``new`` never fails on someone else's conf.py)."""
    if srcdir is None:
        return {}
    from sphinx.config import eval_config_file
    from sphinx.util.tags import Tags

    try:
        return eval_config_file(srcdir / "conf.py", Tags())
    except KeyboardInterrupt:
        raise
    except BaseException:
        return {}


def project_tiers(settings: dict[str, Any]) -> list[str]:
    """The tier names of the project's ``learn_tiers`` (the defaults when unset or
    not valid)."""
    tiers = settings.get("learn_tiers")
    if tiers is None or tiers_validator().problem(tiers) is not None:
        return [tier["name"] for tier in DEFAULT_TIERS]
    return [tier["name"] for tier in tiers]


def project_suffixes(settings: dict[str, Any]) -> list[str]:
    """Every suffix of a file Sphinx would read as a document of the project: its
    ``source_suffix``, MyST-NB's ``nb_custom_formats`` (``.py`` notebooks, say), and
    what the extension reads anyway."""
    source_suffix = settings.get("source_suffix", ())
    if isinstance(source_suffix, str):
        source_suffix = [source_suffix]
    custom_formats = settings.get("nb_custom_formats", {})
    found = [*DOCUMENT_SUFFIXES]
    for group in (source_suffix, custom_formats):
        if isinstance(group, dict | list | tuple):
            found += [suffix for suffix in group if isinstance(suffix, str) and suffix]
    return list(dict.fromkeys(found))


def create(
    kind: str,
    title: str,
    *,
    folder: Path,
    markup: str = "myst",
    level: str | None = None,
    duration: int = 30,
    name: str | None = None,
) -> Created:
    """Write the skeleton; never overwrite a file or shadow another document."""
    try:
        return _create(kind, title, folder, markup, level, duration, name)
    except OSError as exc:  # a folder we may not read, a path too long for the system...
        raise ScaffoldError(_os_problem(exc)) from None


def _create(
    kind: str,
    title: str,
    folder: Path,
    markup: str,
    level: str | None,
    duration: int,
    name: str | None,
) -> Created:
    title = clean_title(title)
    if name is not None:
        slug = check_name(name)
    else:
        slug = slugify(title)
        if not slug:
            raise ScaffoldError(
                f"cannot make a file name from {title!r}; give one with --name (e.g. "
                "--name my-tutorial)"
            )
    if not folder.exists():
        raise ScaffoldError(f"{one_line(str(folder))}: no such folder")
    if not folder.is_dir():
        raise ScaffoldError(f"{one_line(str(folder))}: not a folder")
    if not 1 <= duration <= 1440:
        raise ScaffoldError(f"--duration must be between 1 and 1440 minutes, got {duration}")
    srcdir = project_of(folder.resolve())
    settings = project_settings(srcdir)
    tiers = project_tiers(settings)
    level = level or tiers[0]
    if level not in tiers:
        where = one_line(str(srcdir / "conf.py")) if srcdir else "the default tiers"
        raise ScaffoldError(f"unknown level {level!r}; {where} has: {', '.join(tiers)}")

    path = folder / f"{slug}{FORMATS[markup]}"
    suffixes = project_suffixes(settings)
    if name is not None:
        check_name(name, suffixes)  # also without a suffix conf.py adds (".py", say)
    # The new file's own suffix first, so that "already exists" names it.
    taken = [folder / f"{slug}{suffix}" for suffix in dict.fromkeys([path.suffix, *suffixes])]
    existing = next((p for p in taken if p.exists()), None)
    if existing is not None:
        what = "already exists" if existing == path else "already holds this document name"
        raise ScaffoldError(
            f"{one_line(str(existing))} {what}; nothing was written (choose another title "
            "or --name)"
        )
    docname = None
    if srcdir is not None:
        docname = path.resolve().relative_to(srcdir).with_suffix("").as_posix()
    # Labels are shared by the whole project: one made of the document name is unique
    # even when pages of two folders have the same file name.
    exercise = f"{_label_part(docname or slug)}-first-exercise"
    text = TEMPLATES[(kind, markup)].substitute(
        title=rst_text(title) if markup == "rst" else myst_text(title),
        underline=rst_underline(rst_text(title), "="),
        level=level,
        duration=duration,
        exercise=exercise,
        summary=_summary(title, markup),
    )
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        shown = one_line(str(path))
        raise ScaffoldError(f"{shown} already exists; nothing was written") from None
    return Created(path, docname, srcdir, level)


def _label_part(docname: str) -> str:
    """``docname`` as part of a label: its words and dots, joined by hyphens (a folder
    name may hold spaces or other characters a label should not)."""
    kept = "".join(c if _word_char(c) or c == "." else " " for c in docname)
    return "-".join(kept.split()).lstrip(".")


def _os_problem(exc: OSError) -> str:
    """One line for an error of the file system, naming the file."""
    reason = exc.strerror or type(exc).__name__
    if exc.filename is None:
        return f"cannot write the skeleton: {reason}"
    return f"{one_line(os.fsdecode(exc.filename))}: {reason}"


def _summary(title: str, markup: str) -> str:
    # Shown as plain text (catalog cards): a YAML string in MyST front matter, and as
    # it is in a directive option, which reStructuredText does not parse.
    text = f"{title}: say in one line what the reader will have done."
    return yaml_text(text) if markup == "myst" else text


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # the skeleton is written: an index we cannot see is none
        return False


def next_steps(created: Created, markup: str) -> str:
    """What to do after ``new``: where the file is, how to list it."""
    name = created.path.stem
    lines = [f"Created {one_line(str(created.path))} (level: {created.level})."]
    docs_folder = shown_path(created.srcdir) if created.srcdir else "<docs folder>"
    if markup == "myst":
        toctree = f"  ```{{toctree}}\n  {name}\n  ```"
        path_block = f"  ```{{learning-path}} Your path\n  ...\n  {name}\n  ```"
    else:
        toctree = f"  .. toctree::\n\n     {name}"
        path_block = f"  .. learning-path:: Your path\n\n     ...\n     {name}"
    index = next(
        (
            created.path.parent / f"index{s}"
            for s in DOCUMENT_SUFFIXES
            if _exists(created.path.parent / f"index{s}")
        ),
        None,
    )
    where = f" in {one_line(str(index))}" if index else ""
    lines += [
        "",
        f"Next, add it to a toctree{where}:",
        "",
        toctree,
        "",
        "or make it a step of a learning path (paths list document names, relative to "
        "the page that holds the path):",
        "",
        path_block,
        "",
        "Then fill in each section and check your work:",
        "",
        f"  sphinx-numpy-learn check {docs_folder}",
    ]
    return "\n".join(lines) + "\n"
