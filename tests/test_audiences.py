"""Words that follow who a page is for: a contributor guide is finished as a guide, a
plain page has nothing to finish, and the contributor callout names the label its
issue search uses."""

from __future__ import annotations

import pytest
import sphinx.locale

from .conftest import soup_of, warnings_of


def done_label(app, page: str) -> str | None:
    control = soup_of(app, page).select_one("p.learn-done label")
    return None if control is None else control.get_text(strip=True)


@pytest.mark.parametrize("theme", ["sphinx_numpy_learn", "alabaster"])
def test_the_done_checkbox_names_what_the_page_is(root_app, theme):
    # Ours puts the checkbox in the article header, others in the tutorial's header card.
    app = root_app("audiences", confoverrides={"html_theme": theme})
    app.build()
    assert warnings_of(app) == ""
    assert done_label(app, "tutorial") == "I have finished this tutorial"
    assert done_label(app, "guide") == "I have finished this guide"
    assert done_label(app, "plain") is None
    assert not soup_of(app, "plain").select("input.learn-done-input")


def test_the_issue_link_names_the_configured_label(root_app):
    app = root_app("audiences")
    app.build()
    (link,) = soup_of(app, "guide").select(".learn-contributor-links a[href*='issues']")
    assert link.get_text() == "Find an issue labelled \u201chelp wanted\u201d"
    assert "label%3A%22help+wanted%22" in link["href"]


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("good first issue", "Find a good first issue"),
        ("Good  First Issue", "Find a good first issue"),
        ("<b>newcomer</b> & co", "Find an issue labelled \u201c<b>newcomer</b> & co\u201d"),
    ],
)
def test_the_usual_label_keeps_the_usual_words(root_app, label, text):
    contributor = {"repository": "https://github.com/o/r", "good_first_issue_label": label}
    app = root_app("audiences", confoverrides={"learn_contributor": contributor})
    app.build()
    (link,) = soup_of(app, "guide").select(".learn-contributor-links a[href*='issues']")
    assert link.get_text() == text  # text, not markup: the label is escaped
    assert not link.select("b")


@pytest.mark.parametrize(
    ("language", "guide", "issue"),
    [
        ("es", "He terminado esta guía", "Encuentra una tarea con la etiqueta «help wanted»"),
        # Sphinx's smart quotes curl the apostrophe of the callout's text.
        ("fr", "J'ai terminé ce guide", "Trouver un ticket avec l\u2019étiquette « help wanted »"),
    ],
)
def test_the_new_words_are_translated(root_app, language, guide, issue):
    # Forget catalogs an earlier build of this process loaded (see test_i18n).
    sphinx.locale.translators.clear()
    app = root_app("audiences", confoverrides={"language": language})
    app.build()
    assert done_label(app, "guide") == guide
    (link,) = soup_of(app, "guide").select(".learn-contributor-links a[href*='issues']")
    assert link.get_text() == issue
