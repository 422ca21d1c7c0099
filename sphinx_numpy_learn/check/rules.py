"""The rules of ``sphinx-numpy-learn check`` on metadata and structure.

Every rule has a stable id (``LRN001``), a name (``metadata-schema``), a default
severity and a one-line explanation. The metadata rules use the same schema,
tiers and document resolution as the build (:mod:`sphinx_numpy_learn.metadata`),
so ``check`` and ``sphinx-build`` never disagree about a tutorial; the style rules
follow NumPy's tutorial style guide.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sphinx_numpy_learn import derive, metadata
from sphinx_numpy_learn.check.registry import PROBLEM_RULES, Finding

if TYPE_CHECKING:
    from sphinx_numpy_learn.check.outline import Outline, Page


@dataclass
class ProjectFacts:
    """What the rules know about the project, from ``conf.py`` and its file list."""

    docnames: set[str]
    source_suffixes: list[str]
    tiers: list[str]
    required_fields: list[str] = field(default_factory=list)
    derive_metadata: bool = True
    tutorial_patterns: list[str] = field(default_factory=list)
    proper_nouns: set[str] = field(default_factory=set)
    readability_minimum: float = 50.0


@dataclass
class Tutorial:
    """A page the build would treat as a tutorial, with its merged metadata."""

    docname: str
    values: dict[str, Any]
    lines: dict[str, int]
    line: int | None
    """Line of the metadata declaration (directive or ``learn:`` key)."""
    prerequisite_docs: list[str]
    reason: str = ""
    """Why the page is a tutorial (as the build logs it)."""


# -- Metadata ---------------------------------------------------------------------------

_SCHEME = re.compile(r"^(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*):")
_LINK_TARGETS = (
    # Markdown [text](target); one level of parentheses inside the target
    re.compile(r"\]\(\s*<?(?P<target>(?:[^()\s<>]|\([^()\s]*\))+)"),
    re.compile(r"<(?P<target>[^<>\s]+)>`"),  # rST `text <target>`_
    re.compile(r"<(?P<target>[a-zA-Z][a-zA-Z0-9+.-]*:[^<>\s]*)>"),  # <scheme:...>
)


def _bad_link(target: str) -> str | None:
    """Why ``target`` is not allowed as a link, or ``None``."""
    target = target.strip()
    if target.startswith("//"):
        return "which leaves out the scheme (write https://)"
    match = _SCHEME.match(target)
    if match and match["scheme"].lower() not in {"http", "https"}:
        return f"which uses the {match['scheme'].lower()}: scheme"
    return None


def _link_findings(declared: metadata.Declared) -> tuple[metadata.Declared, list[Finding]]:
    """LRN006 for every link in the metadata that is not http(s) or relative; the
    offending prerequisites are taken out before the schema check sees them."""
    findings: list[Finding] = []
    values = dict(declared.values)
    for name, value in declared.values.items():
        items = value if isinstance(value, list) else [value]
        kept = []
        for item in items:
            line = declared.lines.get(name, declared.line)
            targets: list[str] = []
            if isinstance(item, dict) and isinstance(item.get("url"), str):
                targets.append(item["url"])
            elif isinstance(item, str):
                targets.extend(m["target"] for p in _LINK_TARGETS for m in p.finditer(item))
                if name == "prerequisites" and _SCHEME.match(item.strip()):
                    targets.append(item)
            problems = [(t, why) for t in targets if (why := _bad_link(t))]
            for target, why in problems:
                findings.append(
                    Finding(
                        "LRN006",
                        f"{name!r} links to {target!r}, {why}: metadata links must be "
                        "http(s) addresses or relative",
                        line,
                    )
                )
            if not (problems and name == "prerequisites"):
                kept.append(item)
        if name == "prerequisites" and isinstance(value, list):
            values[name] = kept
    cleaned = metadata.Declared(
        declared.source,
        values,
        declared.lines,
        declared.line,
        declared.problems,
        declared.unreadable,
    )
    return cleaned, findings


def tutorial_of(page: Page, facts: ProjectFacts) -> tuple[Tutorial | None, list[Finding]]:
    """Validate the page's metadata the way the build does; ``None`` when the page is
    not a tutorial."""
    findings: list[Finding] = []
    explicit: list[metadata.Declared] = []
    for declared in (page.directive, page.front_matter):
        if declared is None:
            continue
        cleaned, link_findings = _link_findings(declared)
        findings.extend(link_findings)
        valid = metadata.validate(cleaned)
        findings.extend(Finding(PROBLEM_RULES[p.kind], p.message, p.line) for p in valid.problems)
        if not valid.unreadable:
            explicit.append(valid)
    judgement, headings, parts = judge_page(page, explicit, facts)
    if not judgement.is_tutorial:
        return None, findings
    sources = explicit + ([headings] if headings is not None else [])
    if headings is not None:  # a closing "Key points" section, as the build reads it
        sources.append(metadata.from_closing(parts)[0])
    values, origin, lines = metadata.merge(sources)
    declared_line = next((d.line for d in explicit if d.line), None)

    problems, prerequisites = metadata.value_problems(
        page.docname,
        values,
        lines,
        declared_line,
        tiers=facts.tiers,
        required_fields=facts.required_fields,
        docnames=facts.docnames,
        source_suffixes=facts.source_suffixes,
    )
    findings.extend(Finding(PROBLEM_RULES[p.kind], p.message, p.line) for p in problems)
    if values.get("keypoints") and origin.get("keypoints") != "headings":
        values["keypoints"] = derive.declared_points(values["keypoints"])[0]  # as the build
    prerequisite_docs = [p["doc"] for p in prerequisites if "doc" in p]
    tutorial = Tutorial(
        page.docname, values, lines, declared_line, prerequisite_docs, judgement.reason
    )
    return tutorial, findings


def judge_page(
    page: Page, explicit: list[metadata.Declared], facts: ProjectFacts
) -> tuple[derive.Judgement, metadata.Declared | None, list[derive.Part]]:
    """Whether the page is a tutorial, by the build's rule (:func:`derive.judge`),
    what its opening sections declare (``None`` when derivation is off) and the
    page's parts (:func:`parts_of_outline`, read once)."""
    parts = parts_of_outline(page.outline)
    opening = derive.find_opening(parts)
    headings = metadata.from_opening(opening)[0] if facts.derive_metadata else None
    judgement = derive.judge(
        declares=metadata.declares_metadata(explicit),
        pattern=metadata.matching_pattern(facts.tutorial_patterns, page.docname),
        opening=opening if facts.derive_metadata else None,
        derived=headings.values if headings is not None else (),
        is_notebook=lambda: (
            page.notebook is not None
            or any(b.kind == "code" and b.text == "cell" for b in page.outline.blocks)
        ),
    )
    return judgement, headings, parts


def cycle_findings(tutorials: dict[str, Tutorial]) -> Iterator[tuple[str, Finding]]:
    """LRN005 on every tutorial caught in a prerequisite cycle."""
    graph = {
        doc: [p for p in t.prerequisite_docs if p in tutorials] for doc, t in tutorials.items()
    }
    for cycle in metadata.prerequisite_cycles(graph):
        shown = " -> ".join([*cycle, cycle[0]])
        for docname in cycle:
            tutorial = tutorials[docname]
            yield (
                docname,
                Finding(
                    "LRN005",
                    f"prerequisites form a cycle ({shown}): no reading order puts each "
                    "page after what it requires",
                    tutorial.lines.get("prerequisites", tutorial.line),
                ),
            )


# -- Structure (NumPy's tutorial style guide) ------------------------------------------------

OPENING_ORDER = ("outcome", "objectives", "needs")
OPENING_HEADINGS = {
    "outcome": "What you'll do",
    "objectives": "What you'll learn",
    "needs": "What you'll need",
}
# The closing sections and what may follow them: shared with the build (derive.py).
CLOSING_HEADINGS = derive.CLOSING_HEADINGS
CLOSING_EXTRAS = derive.CLOSING_EXTRAS
closing_kind = derive.closing_kind


def parts_of_outline(outline: Outline) -> list[derive.Part]:
    """The sections and horizontal rules under the page's title, with each section's
    own paragraphs and lists: what :func:`rich_text.parts_of_doctree` finds in a doctree."""
    parts: list[derive.Part] = []
    for block in outline.parts():
        if block.heading is None:
            parts.append(derive.Part(None, block.line))
            continue
        level = block.heading.level
        own: list[dict[str, Any]] = []
        code = subsections = False
        for following in outline.blocks[outline.blocks.index(block) + 1 :]:
            if following.heading is not None:
                if following.heading.level <= level:
                    break
                subsections = True
            elif following.kind == "code":
                code = True
            elif not subsections and not following.nested and following.content is not None:
                own.append(following.content)
        parts.append(derive.Part(block.heading.text, block.line, own, code, subsections))
    return parts


@dataclass
class _Part:
    kind: str
    """``opening``, ``closing``, ``extra`` (references and the like: see
    :func:`closing_kind`), ``step`` or ``rule`` (a horizontal rule)."""
    title: str = ""
    field: str = ""
    line: int | None = None


def _parts(outline: Outline) -> list[_Part]:
    parts: list[_Part] = []
    for block in outline.parts():
        if block.heading is None:
            parts.append(_Part("rule", line=block.line))
            continue
        title = block.heading.text
        name = metadata.heading_field(title)
        if name is not None:
            parts.append(_Part("opening", title, name, block.line))
        elif (kind := closing_kind(title)) is not None:
            parts.append(_Part(kind, title, line=block.line))
        else:
            parts.append(_Part("step", title, line=block.line))
    return parts


def structure_findings(page: Page, tutorial: Tutorial) -> Iterator[Finding]:
    """LRN101-LRN103 for a learner tutorial."""
    parts = _parts(page.outline)
    opening = [p for p in parts if p.kind == "opening"]
    fields_shown = {p.field for p in opening}
    title_line = page_title_line(page)
    missing = [
        name for name in OPENING_ORDER if name not in fields_shown and name not in tutorial.values
    ]
    if missing:
        headings = " or ".join(f'"{OPENING_HEADINGS[name]}"' for name in missing)
        names = ", ".join(repr(name) for name in missing)
        yield Finding(
            "LRN101",
            f"no {headings} section: add {'it' if len(missing) == 1 else 'them'} after the "
            f"introduction, or declare {names} in the metadata",
            title_line,
        )
    # Order among the opening sections.
    ordered = [p for p in opening if p.field in OPENING_ORDER]
    ranks = [OPENING_ORDER.index(p.field) for p in ordered]
    for previous, part, rank, previous_rank in zip(
        ordered, ordered[1:], ranks[1:], ranks, strict=False
    ):
        if rank < previous_rank:
            yield Finding(
                "LRN102",
                f'"{part.title}" comes after "{previous.title}"; the opening sections go '
                "in the order: what you'll do, what you'll learn, what you'll need",
                part.line,
            )
            break
    # Opening sections come before every step, and a rule follows them.
    first_step = next((i for i, p in enumerate(parts) if p.kind == "step"), None)
    if first_step is not None:
        for part in parts[first_step:]:
            if part.kind == "opening":
                yield Finding(
                    "LRN102",
                    f'"{part.title}" comes after the first step "{parts[first_step].title}"; '
                    "move it up to the opening sections",
                    part.line,
                )
        last_opening = max(
            (i for i, p in enumerate(parts[:first_step]) if p.kind == "opening"), default=None
        )
        if last_opening is not None and not any(
            p.kind == "rule" for p in parts[last_opening + 1 : first_step]
        ):
            yield Finding(
                "LRN102",
                f"no horizontal rule between the opening sections and the first step "
                f'"{parts[first_step].title}": add one before it (*** in MyST, ---- in rST)',
                parts[first_step].line,
            )
    # Closing sections come last, after a rule.
    first_closing = next((i for i, p in enumerate(parts) if p.kind == "closing"), None)
    if first_closing is None:
        return
    closing = parts[first_closing]
    before = parts[:first_closing]
    last_content = max(
        (i for i, p in enumerate(before) if p.kind in {"step", "opening"}), default=-1
    )
    if not any(p.kind == "rule" for p in before[last_content + 1 :]):
        yield Finding(
            "LRN103",
            f'no horizontal rule before the closing section "{closing.title}": add one '
            "after the last step (*** in MyST, ---- in rST)",
            closing.line,
        )
    for part in parts[first_closing + 1 :]:
        if part.kind == "step":
            yield Finding(
                "LRN103",
                f'"{part.title}" comes after the closing section "{closing.title}"; the '
                "closing sections (On your own, In practice, Further reading) end the page; "
                "only references, acknowledgements and the like may follow them",
                part.line,
            )
            break


def page_title_line(page: Page) -> int | None:
    title = page.outline.title
    return title.line if title else None
