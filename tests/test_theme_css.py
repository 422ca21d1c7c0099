"""The theme's colours keep the contrast its documentation promises (WCAG AA)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import sphinx_numpy_learn.theme

CSS = Path(sphinx_numpy_learn.theme.THEME_PATH, "static", "styles", "sphinx-numpy-learn.css")
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
