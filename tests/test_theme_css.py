"""The theme's colours keep the contrast its documentation promises (WCAG AA)."""

from __future__ import annotations

import re

import pytest

import sphinx_numpy_learn.tiers
from sphinx_numpy_learn.assets import ASSET_BY_NAME, CORE_STYLESHEET, THEME_STYLESHEET

CSS = ASSET_BY_NAME[THEME_STYLESHEET].source
# pydata-sphinx-theme's page backgrounds.
LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#14181e"


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_helper_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def theme_colours() -> dict[str, str]:
    text = CSS.read_text(encoding="utf-8")
    return dict(re.findall(r"(--learn-[a-z-]+):\s*(#[0-9a-fA-F]{6})", text))


@pytest.mark.parametrize(
    ("variable", "background"),
    [
        ("--learn-primary-light", LIGHT_BACKGROUND),
        ("--learn-secondary-light", LIGHT_BACKGROUND),
        ("--learn-primary-dark", DARK_BACKGROUND),
        ("--learn-secondary-dark", DARK_BACKGROUND),
    ],
)
def test_text_colours_meet_aa(variable, background):
    colours = theme_colours()
    assert variable in colours, sorted(colours)
    assert contrast(colours[variable], background) >= 4.5


EXTENSION_CSS = ASSET_BY_NAME[CORE_STYLESHEET].source


def tier_palette() -> dict[str, dict[str, str]]:
    """The badge colours, light (``:root``) and dark, from the extension's stylesheet."""
    text = EXTENSION_CSS.read_text(encoding="utf-8")
    light_block = text.split(":root {", 1)[1].split("}", 1)[0]
    dark_block = text.split('[data-theme="dark"] {', 1)[1]
    dark_block = dark_block.split("}", 1)[0]
    return {
        mode: dict(re.findall(r"(--learn-[a-z]+-(?:fg|bg)):\s*(#[0-9a-fA-F]{6})", block))
        for mode, block in (("light", light_block), ("dark", dark_block))
    }


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("colour", sphinx_numpy_learn.tiers.COLORS)
def test_tier_badges_meet_aa_in_both_modes(mode, colour):
    palette = tier_palette()[mode]
    foreground, background = palette[f"--learn-{colour}-fg"], palette[f"--learn-{colour}-bg"]
    assert contrast(foreground, background) >= 4.5
    # The badge also sits on the page: its border (the text colour) must stand out.
    page = LIGHT_BACKGROUND if mode == "light" else DARK_BACKGROUND
    assert contrast(foreground, page) >= 3.0


def test_every_palette_colour_has_a_css_class():
    text = EXTENSION_CSS.read_text(encoding="utf-8")
    for colour in sphinx_numpy_learn.tiers.COLORS:
        assert f".learn-color-{colour} {{" in text
