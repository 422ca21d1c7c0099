"""Difficulty tiers: the ``learn_tiers`` setting, the badge node and the ``level`` role
(and the duration node, whose clock is drawn like a badge's icon).

A tier has a name (what tutorials write in ``level``), a label, a one-line
criterion ("You know ..."), an icon and a colour. The icon is a shape drawn
next to the label, so a badge never relies on colour alone; colours come from a
small palette whose light and dark variants are tested for WCAG AA contrast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxRole

from sphinx_numpy_learn.i18n import N_, _
from sphinx_numpy_learn.log import warn
from sphinx_numpy_learn.nodes_util import add_node_everywhere, like
from sphinx_numpy_learn.validators import Validator

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.writers.html5 import HTML5Translator
    from sphinx.writers.latex import LaTeXTranslator
    from sphinx.writers.text import TextTranslator

# Each icon is drawn in a 16x16 box with ``currentColor``; none needs colour to be read.
ICONS: dict[str, str] = {
    "level-1": '<rect x="1" y="9" width="4" height="6"/>'
    '<rect x="6.5" y="5.5" width="3" height="9" fill="none" stroke="currentColor"/>'
    '<rect x="11.5" y="1.5" width="3" height="13" fill="none" stroke="currentColor"/>',
    "level-2": '<rect x="1" y="9" width="4" height="6"/><rect x="6" y="5" width="4" height="10"/>'
    '<rect x="11.5" y="1.5" width="3" height="13" fill="none" stroke="currentColor"/>',
    "level-3": '<rect x="1" y="9" width="4" height="6"/><rect x="6" y="5" width="4" height="10"/>'
    '<rect x="11" y="1" width="4" height="14"/>',
    "circle": '<circle cx="8" cy="8" r="6"/>',
    "square": '<rect x="2" y="2" width="12" height="12"/>',
    "triangle": '<path d="M8 1.5 15 14.5H1z"/>',
    "diamond": '<path d="M8 1 15 8 8 15 1 8z"/>',
    "star": '<path d="m8 1 2.1 4.6 5 .5-3.8 3.4 1.1 5L8 12l-4.4 2.5 1.1-5L.9 6.1l5-.5z"/>',
}
COLORS = ("green", "blue", "purple", "orange", "red", "teal", "gray")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")
TIER_KEYS = {"name", "label", "criterion", "icon", "color"}

DEFAULT_TIERS: list[dict[str, str]] = [
    {
        "name": "beginner",
        "label": N_("Beginner"),
        "criterion": N_("You know some Python and are new to NumPy."),
        "icon": "level-1",
        "color": "green",
    },
    {
        "name": "intermediate",
        "label": N_("Intermediate"),
        "criterion": N_("You create, index and reshape arrays without looking it up."),
        "icon": "level-2",
        "color": "blue",
    },
    {
        "name": "advanced",
        "label": N_("Advanced"),
        "criterion": N_("You know broadcasting and views and want control over memory and speed."),
        "icon": "level-3",
        "color": "purple",
    },
]


@dataclass(frozen=True)
class Tier:
    name: str
    label: str
    criterion: str
    icon: str
    color: str
    rank: int
    """Position in ``learn_tiers``: catalogs sort by it."""

    @property
    def translated_label(self) -> str:
        return _(self.label)

    @property
    def translated_criterion(self) -> str:
        return _(self.criterion) if self.criterion else ""


def _tier_key_problem(name: str, key: str, item: Any) -> str | None:
    """What is wrong with one optional key of a well-named tier, or ``None``."""
    if key not in TIER_KEYS:
        return f"tier {name!r} has an unknown key {key!r}"
    if key in ("label", "criterion") and not isinstance(item, str):
        return f"tier {name!r}: {key!r} is not a string"
    if key == "icon" and item not in ICONS:
        return f"tier {name!r}: unknown icon {item!r}"
    if key == "color" and item not in COLORS:
        return f"tier {name!r}: unknown color {item!r}"
    return None


def _tier_identity_problem(index: int, tier: Any, seen: set[str]) -> str | None:
    """What makes a tier unusable as a whole (no dict, a bad or repeated name)."""
    where = f"tier {index + 1}"
    if not isinstance(tier, dict):
        return f"{where} is not a dict"
    name = tier.get("name")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        return f"{where} needs a 'name' of lowercase letters, digits and hyphens"
    if name in seen:
        return f"tier {name!r} is listed twice"
    return None


def _salvage_tiers(value: Any) -> tuple[Any, list[str]] | None:
    """The tiers without their bad parts: a tier without a usable name is left out,
    a bad icon, colour or label falls back to the default for that tier alone."""
    if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
        return None
    kept: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, tier in enumerate(value):
        why = _tier_identity_problem(index, tier, seen)
        if why is not None:
            problems.append(why)
            continue
        seen.add(tier["name"])
        good = {"name": tier["name"]}
        for key, item in tier.items():
            if key == "name":
                continue
            why = _tier_key_problem(tier["name"], key, item)
            if why is None:
                good[key] = item
            else:
                problems.append(why)
        kept.append(good)
    return (kept, problems) if kept else None


def _tier_problem(value: Any) -> str | None:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        return "not a list"
    if not value:
        return "the list is empty"
    seen: set[str] = set()
    for index, tier in enumerate(value):
        why = _tier_identity_problem(index, tier, seen)
        if why is not None:
            return why
        seen.add(tier["name"])
        for key, item in tier.items():
            why = None if key == "name" else _tier_key_problem(tier["name"], key, item)
            if why is not None:
                return why
    return None


def tiers_validator() -> Validator:
    return Validator(
        "a list of dicts with a 'name' and optional 'label', 'criterion', "
        f"'icon' (one of {', '.join(ICONS)}) and 'color' (one of {', '.join(COLORS)})",
        frozenset({list, tuple}),
        _tier_problem,
        _salvage_tiers,
    )


def tiers_of(config: Config) -> dict[str, Tier]:
    """The project's tiers by name, in the order ``conf.py`` lists them."""
    tiers: dict[str, Tier] = {}
    default_icons = ["level-1", "level-2", "level-3", "star"]
    for rank, raw in enumerate(config.learn_tiers):
        tiers[raw["name"]] = Tier(
            name=raw["name"],
            label=raw.get("label") or raw["name"].replace("-", " ").capitalize(),
            criterion=raw.get("criterion", ""),
            icon=raw.get("icon") or default_icons[min(rank, len(default_icons) - 1)],
            color=raw.get("color") or COLORS[rank % len(COLORS)],
            rank=rank,
        )
    return tiers


# -- The badge node ---------------------------------------------------------------


class level_badge(nodes.inline):
    """A tier badge. Attributes: ``level``, ``icon``, ``color``, ``criterion``.

    Its only child is the translated label, so every builder has readable text.
    """


def make_badge(tier: Tier) -> level_badge:
    return level_badge(
        "",
        tier.translated_label,
        level=tier.name,
        icon=tier.icon,
        color=tier.color,
        criterion=tier.translated_criterion,
        classes=["learn-badge", f"learn-color-{tier.color}"],
    )


def icon_svg(icon: str, css_class: str = "learn-badge-icon", *, sprite: str = "") -> str:
    """The icon, drawn here; or, with ``sprite`` (an id prefix), drawn by reference to
    the ``<symbol>`` :func:`icon_sprite` puts once on the page."""
    shapes = f'<use href="#{sprite}{icon}"/>' if sprite else ICONS[icon]
    return (
        f'<svg class="{css_class}" viewBox="0 0 16 16" width="16" height="16" '
        f'fill="currentColor" aria-hidden="true" focusable="false">{shapes}</svg>'
    )


def icon_sprite(icons: Iterable[str], sprite: str) -> str:
    """A hidden ``<svg>`` with one ``<symbol>`` (id: ``sprite`` + name) per icon."""
    symbols = "".join(
        f'<symbol id="{sprite}{icon}" viewBox="0 0 16 16">{ICONS[icon]}</symbol>'
        for icon in sorted(set(icons))
    )
    return (
        f'<svg hidden="" aria-hidden="true" focusable="false">{symbols}</svg>' if symbols else ""
    )


def visit_badge_html(self: HTML5Translator, node: level_badge) -> None:
    attributes: dict[str, str] = {"data-learn-level": node["level"]}
    if node.get("criterion"):
        attributes["title"] = node["criterion"]
    self.body.append(self.starttag(node, "span", "", **attributes))
    self.body.append(icon_svg(node["icon"]))
    self.body.append('<span class="learn-badge-label">')


def depart_badge_html(self: HTML5Translator, node: level_badge) -> None:
    self.body.append("</span></span>")


def visit_badge_latex(self: LaTeXTranslator, node: level_badge) -> None:
    self.body.append(r"\sphinxstylestrong{[")


def depart_badge_latex(self: LaTeXTranslator, node: level_badge) -> None:
    self.body.append("]}")


def visit_badge_text(self: TextTranslator, node: level_badge) -> None:
    self.add_text("[")


def depart_badge_text(self: TextTranslator, node: level_badge) -> None:
    self.add_text("]")


def visit_badge_plain(self: Any, node: level_badge) -> None:
    self.body.append("[")


def depart_badge_plain(self: Any, node: level_badge) -> None:
    self.body.append("]")


# -- Durations --------------------------------------------------------------------

# A clock, drawn with the text colour in a 16x16 box like the tiers' icons.
CLOCK_SVG = (
    '<svg class="learn-clock" viewBox="0 0 16 16" width="16" height="16" fill="none" '
    'stroke="currentColor" stroke-width="1.6" stroke-linecap="round" aria-hidden="true" '
    'focusable="false"><circle cx="8" cy="8" r="6.5"/><path d="M8 4.2v4l2.8 1.7"/></svg>'
)


class duration(nodes.inline):
    """How long a tutorial or a path takes ("40 minutes"): its text, after a clock in
    HTML. The clock is in the page rather than in a stylesheet (every page's bytes)."""


def make_duration(text: str) -> duration:
    return duration("", text, classes=["learn-duration"])


def visit_duration_html(self: HTML5Translator, node: duration) -> None:
    self.body.append(self.starttag(node, "span", "") + CLOCK_SVG)


def depart_duration_html(self: HTML5Translator, node: duration) -> None:
    self.body.append("</span>")


# -- The role ---------------------------------------------------------------------


class LevelRole(SphinxRole):
    """``{level}`beginner``` renders the badge of a tier inline."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        name = self.text.strip()
        tier = tiers_of(self.config).get(name)
        if tier is None:
            known = ", ".join(tiers_of(self.config))
            warn(
                f"unknown level {name!r} in the level role; known levels: {known}",
                subtype="level",
                location=self.get_location(),
            )
            return [nodes.inline(self.rawtext, name)], []
        badge = make_badge(tier)
        badge["link_to_catalog"] = True
        self.set_source_info(badge)
        return [badge], []


def setup_tiers(app: Sphinx) -> None:
    app.add_node(
        level_badge,
        html=(visit_badge_html, depart_badge_html),
        latex=(visit_badge_latex, depart_badge_latex),
        text=(visit_badge_text, depart_badge_text),
        man=(visit_badge_plain, depart_badge_plain),
        texinfo=(visit_badge_plain, depart_badge_plain),
    )
    add_node_everywhere(
        app, duration, html=(visit_duration_html, depart_duration_html), other=like("inline")
    )
    app.add_role("level", LevelRole())
