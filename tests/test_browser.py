"""The components in a real browser (Chromium, through Playwright): catalog filters,
knowledge checks, solutions, checklists and reader progress work with the keyboard,
announce what changed, survive a reload, and degrade to plain content without
JavaScript."""

from __future__ import annotations

import json
import shutil

import pytest

from .conftest import served_folder

pytestmark = pytest.mark.browser


def serve(rootdir, tmp_path_factory, root: str, builder: str = "html", **config):
    """Build the test project ``root`` and serve it over HTTP; yields its URL."""
    from io import StringIO

    from sphinx.testing.util import SphinxTestApp

    srcdir = tmp_path_factory.mktemp("browser") / root
    shutil.copytree(rootdir / f"test-{root}", srcdir)
    app = SphinxTestApp(
        builder, srcdir=srcdir, status=StringIO(), warning=StringIO(), confoverrides=config
    )
    app.build()
    # Done with Sphinx: only the files are served. (Two live test apps would
    # register the same node classes twice.)
    app.cleanup()
    assert app.warning.getvalue() == ""
    with served_folder(app.outdir) as url:
        yield url


@pytest.fixture(scope="module")
def site(rootdir, tmp_path_factory):
    """The ``tutorials`` test project, built once and served over HTTP."""
    yield from serve(rootdir, tmp_path_factory, "tutorials")


@pytest.fixture(scope="module")
def components(rootdir, tmp_path_factory):
    """The ``components`` test project, with the sphinx_numpy_learn theme."""
    yield from serve(rootdir, tmp_path_factory, "components", html_theme="sphinx_numpy_learn")


def visible_cards(page) -> list[str]:
    return page.eval_on_selector_all(
        "li.learn-card:not([hidden])", "cards => cards.map(c => c.dataset.learnDoc)"
    )


def test_filters_work_with_the_keyboard(site, browser):
    page = browser.new_page()
    page.goto(f"{site}/index.html")
    form = page.locator("form.learn-catalog-filters")
    assert form.is_visible()
    assert visible_cards(page) == ["first", "second", "notebook", "third"]

    # Tab into the form: the first control is the "Beginner" checkbox.
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "level":
            break
    assert page.evaluate("document.activeElement.value") == "beginner"
    page.keyboard.press("Space")
    assert visible_cards(page) == ["first"]
    status = page.locator(".learn-catalog-status")
    assert status.get_attribute("role") == "status"
    assert status.inner_text() == "Showing 1 of 4 tutorials"
    # Groups with no card left are hidden with their title.
    assert not page.locator("#learn-level-intermediate").is_visible()

    page.keyboard.press("Tab")  # Intermediate
    page.keyboard.press("Space")
    assert visible_cards(page) == ["first", "second"]

    page.locator('select[name="tag"]').focus()
    page.keyboard.press("ArrowDown")  # "arrays"
    page.keyboard.press("ArrowDown")  # "indexing"
    assert visible_cards(page) == ["second"]

    page.locator('button[type="reset"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('li.learn-card:not([hidden])').length == 4")
    assert status.inner_text() == "Showing 4 of 4 tutorials"
    page.close()


def test_no_match_is_announced(site, browser):
    page = browser.new_page()
    page.goto(f"{site}/index.html")
    page.get_by_label("Advanced").check()
    page.locator('select[name="tag"]').select_option("indexing")
    assert visible_cards(page) == []
    assert page.locator(".learn-catalog-status").inner_text() == (
        "No tutorial matches these filters."
    )
    page.close()


def test_without_javascript_every_card_is_shown(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/index.html")
    assert not page.locator("form.learn-catalog-filters").is_visible()
    assert page.locator("li.learn-card").count() == 4
    assert all(card.is_visible() for card in page.locator("li.learn-card").all())
    context.close()


# -- Knowledge checks, solutions, checklists -------------------------------------------------


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    page.locator("body").focus()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} never got the focus with Tab")


def test_checkpoint_gives_feedback(components, browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{components}/arrays.html")
    checkpoint = page.locator("section#cp-shape")
    feedback = checkpoint.locator(".learn-checkpoint-feedback")
    assert feedback.get_attribute("role") == "status"
    assert checkpoint.get_by_text("Select one answer.").is_visible()

    # Checking with nothing chosen says so; the keyboard is enough for all of it.
    tab_to(page, "section#cp-shape button.learn-checkpoint-check")
    page.keyboard.press("Enter")
    assert feedback.inner_text() == "Choose an answer first."

    checkpoint.get_by_label("b) 6").check()
    checkpoint.get_by_role("button", name="Check my answer").click()
    assert feedback.inner_text().startswith("Not quite.")
    assert "That is the size." in feedback.inner_text()
    assert "learn-picked-wrong" in checkpoint.locator("li.learn-choice").nth(1).get_attribute(
        "class"
    )

    tab_to(page, "section#cp-shape input[type=radio]")
    page.keyboard.press("ArrowUp")  # radio buttons move with the arrow keys
    assert checkpoint.get_by_label("a) (2, 3)").is_checked()
    assert feedback.inner_text() == ""  # a new choice clears the old verdict
    checkpoint.get_by_role("button", name="Check my answer").click()
    assert feedback.inner_text().startswith("Correct.")
    assert "The tuple you pass is the shape." in feedback.inner_text()

    # Several right answers: one of them is only partly right.
    multiple = page.locator("section.learn-checkpoint").nth(1)
    assert multiple.get_by_text("Select all that apply.").is_visible()
    multiple.get_by_label("a) np.zeros(3)").check()
    multiple.get_by_role("button", name="Check my answer").click()
    assert multiple.locator(".learn-checkpoint-feedback").inner_text().startswith("Partly right")
    multiple.get_by_label("b) np.zeros((3,))").check()
    multiple.get_by_role("button", name="Check my answer").click()
    assert multiple.locator(".learn-checkpoint-feedback").inner_text().startswith("Correct.")
    assert errors == []
    page.close()


def test_solution_and_hint_open_with_the_keyboard(components, browser):
    page = browser.new_page()
    page.goto(f"{components}/arrays.html")
    solution = page.locator("details.learn-solution")
    assert not solution.locator("code").first.is_visible()
    tab_to(page, "details.learn-solution > summary")
    # A disclosure: the accessibility tree exposes it as expanded or not.
    summary = page.get_by_role("group").filter(has_text="Solution to Exercise 1")
    assert summary.count() >= 1
    page.keyboard.press("Enter")
    assert solution.get_attribute("open") is not None
    assert solution.locator("code").first.is_visible()
    page.keyboard.press("Space")
    assert solution.get_attribute("open") is None

    tab_to(page, "details.learn-hint > summary")
    page.keyboard.press("Enter")
    assert page.locator("details.learn-hint").first.get_by_text("takes a tuple").is_visible()
    page.close()


def test_checklist_ticks_are_remembered(components, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{components}/guide.html")
    checklist = page.locator("aside.learn-first-time-setup")
    status = checklist.locator(".learn-checklist-status")
    assert status.inner_text() == "0 of 3 steps done"
    tab_to(page, "aside.learn-first-time-setup input")
    page.keyboard.press("Space")
    checklist.get_by_label("Step 3 done").check()
    assert status.inner_text() == "2 of 3 steps done"
    page.reload()
    assert checklist.get_by_label("Step 1 done").is_checked()
    assert not checklist.get_by_label("Step 2 done").is_checked()
    assert checklist.get_by_label("Step 3 done").is_checked()
    assert status.inner_text() == "2 of 3 steps done"
    context.close()


# -- Reader progress ----------------------------------------------------------------------------


def test_progress_survives_a_reload_and_shows_in_catalog_and_path(site, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site}/first.html")
    done = page.get_by_label("I have finished this tutorial")
    assert done.is_visible()
    assert not done.is_checked()
    tab_to(page, "input.learn-done-input")
    page.keyboard.press("Space")
    page.reload()
    assert page.get_by_label("I have finished this tutorial").is_checked()

    # Stored under one versioned key for this site, and nothing else.
    keys = page.evaluate("Object.keys(localStorage)")
    assert [k for k in keys if k.startswith("sphinx-numpy-learn:")] == [
        "sphinx-numpy-learn:v1:/:Tutorials"
    ]

    page.goto(f"{site}/index.html")
    summary = page.locator("div.learn-catalog .learn-progress-summary [role=status]")
    assert summary.inner_text() == "1 of 4 done"
    card = page.locator('li.learn-card[data-learn-doc="first"]')
    assert "learn-is-done" in card.get_attribute("class")
    assert card.locator(".learn-done-mark").inner_text() == "Done"

    page.goto(f"{site}/paths.html")
    assert page.locator(".learn-progress-summary [role=status]").first.inner_text() == (
        "1 of 3 done"
    )

    # Clearing asks first, then forgets.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Forget my progress").first.click()
    assert page.locator(".learn-progress-summary [role=status]").first.inner_text() == (
        "0 of 3 done"
    )
    page.goto(f"{site}/first.html")
    assert not page.get_by_label("I have finished this tutorial").is_checked()
    context.close()


def test_without_javascript_controls_are_absent_and_answers_reachable(components, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{components}/arrays.html")
    assert not page.locator(".learn-done").is_visible()
    assert (
        page.locator("section.learn-checkpoint input, section.learn-checkpoint button").count()
        == 0
    )
    assert not page.get_by_text("Select one answer.").is_visible()
    answer = page.locator("section#cp-shape details.learn-checkpoint-answer")
    answer.locator("summary").click()
    assert answer.get_by_text("Answer: a").is_visible()
    page.goto(f"{components}/guide.html")
    assert page.locator("aside.learn-first-time-setup input").count() == 0
    assert not page.locator(".learn-checklist-status").is_visible()
    # No copy button that could do nothing; the first tab shown, the others a click away
    # (sphinx-design's tabs are radio buttons and labels).
    page.goto(f"{components}/install.html")
    assert page.locator("button.learn-copy").count() == 0
    assert page.get_by_text("Upgrade with pip.").is_visible()
    page.locator("div.sd-tab-set").nth(1).get_by_text("conda", exact=True).click()
    assert page.get_by_text("Upgrade with conda.").is_visible()
    assert not page.get_by_text("Upgrade with pip.").is_visible()
    context.close()


# -- Copy buttons and tabs -------------------------------------------------------------------


def test_copy_buttons_copy_code_without_prompts_or_output(components, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{components}/install.html")
    clipboard = "navigator.clipboard.readText()"
    # One button a code block (the hidden tab's too), made by the script.
    assert page.locator("button.learn-copy").count() == 3
    tab_to(page, "button.learn-copy")
    button = page.locator("button.learn-copy:focus")
    assert button.inner_text() == "Copy"
    assert button.get_attribute("aria-live") == "polite"  # "Copied" is announced
    page.keyboard.press("Enter")
    assert button.inner_text() == "Copied"
    # A console session: its command without "$ ", not what it printed.
    assert page.evaluate(clipboard) == "python -m pip install numpy"
    page.locator("div.doctest button.learn-copy").click()
    assert page.evaluate(clipboard) == "import numpy as np\nnp.arange(3)"
    # IPython's prompts, continuation lines included; no "Out[2]".
    page.goto(f"{components}/upgrade.html")
    page.locator("button.learn-copy").first.click()
    assert page.evaluate(clipboard) == (
        "%pip install -U numpy\nimport numpy as np\nnp.__version__"
    )
    # A notebook: its code cells have buttons, their outputs none.
    page.goto(f"{components}/shapes.html")
    assert page.locator("button.learn-copy").count() == page.locator("div.cell_input").count()
    assert page.locator(".cell_output button.learn-copy").count() == 0
    # Without the clipboard API (plain HTTP), the old way; the focus stays on the button.
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(f"{components}/install.html")
    tab_to(page, "button.learn-copy")
    page.keyboard.press("Enter")
    assert page.locator("button.learn-copy:focus").inner_text() == "Copied"
    other = context.new_page()
    other.goto(f"{components}/guide.html")
    assert other.evaluate(clipboard) == "python -m pip install numpy"
    context.close()


def test_tabs_switch_with_the_keyboard_and_follow_the_reader(components, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{components}/install.html")
    sets = page.locator("div.sd-tab-set")
    tab_to(page, "div.sd-tab-set > input")
    page.keyboard.press("ArrowRight")  # pip -> conda
    assert sets.nth(0).locator(":scope > input").nth(1).is_checked()
    # The other tab set of the group on the page follows.
    assert sets.nth(1).locator(":scope > input").nth(1).is_checked()
    assert page.get_by_text("Upgrade with conda.").is_visible()
    # Each tab's checklist keeps its own ticks.
    checklists = page.locator("aside.learn-first-time-setup")
    checklists.nth(1).get_by_label("Step 1 done").check()
    assert checklists.nth(1).locator(".learn-checklist-status").inner_text() == (
        "1 of 3 steps done"
    )
    page.keyboard.press("ArrowLeft")
    assert checklists.nth(0).locator(".learn-checklist-status").inner_text() == (
        "0 of 2 steps done"
    )
    page.keyboard.press("ArrowRight")
    # Another page opens on the reader's choice.
    page.goto(f"{components}/upgrade.html")
    assert page.locator("div.sd-tab-set > input").nth(1).is_checked()
    assert page.get_by_text("conda update numpy").is_visible()
    # Long labels wrap on a phone: nothing scrolls sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{components}/install.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


# -- Ids and storage keys: one page, many documents; hostile storage ---------------------------


@pytest.fixture(scope="module")
def keys(rootdir, tmp_path_factory):
    """The ``keys`` project (pages named ``constructor``, ``__proto__`` ...), with the
    theme for the sidebar's progress lines."""
    yield from serve(rootdir, tmp_path_factory, "keys", html_theme="sphinx_numpy_learn")


@pytest.fixture(scope="module")
def keys_on_one_page(rootdir, tmp_path_factory):
    """The ``keys`` project as one page (singlehtml), solutions at the end."""
    yield from serve(rootdir, tmp_path_factory, "keys", "singlehtml", learn_solutions="end")


def test_same_title_checklists_keep_their_own_ticks(keys, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{keys}/constructor.html")
    windows, macos = page.locator("aside.learn-first-time-setup").all()
    windows.get_by_label("Step 2 done").check()
    page.reload()
    assert windows.get_by_label("Step 2 done").is_checked()
    assert not macos.get_by_label("Step 2 done").is_checked()
    assert macos.locator(".learn-checklist-status").inner_text() == "0 of 2 steps done"
    macos.get_by_label("Step 1 done").check()
    page.reload()
    assert [windows.get_by_label(f"Step {n} done").is_checked() for n in (1, 2)] == [False, True]
    assert [macos.get_by_label(f"Step {n} done").is_checked() for n in (1, 2)] == [True, False]
    context.close()


def test_one_page_of_documents_keeps_each_checkpoint_apart(keys_on_one_page, browser):
    """In singlehtml, choosing in the second document's checkpoint leaves the first's
    alone, and its "Go to the solution" goes to its own solution."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{keys_on_one_page}/index.html")
    first, second = page.locator("section.learn-checkpoint").all()
    first.get_by_label("a) PowerShell").check()
    second.get_by_label("b) 2").check()
    second.get_by_label("a) 11").check()
    assert first.get_by_label("a) PowerShell").is_checked()
    assert not second.get_by_label("b) 2").is_checked()
    second.get_by_role("button", name="Check my answer").click()
    assert second.locator(".learn-checkpoint-feedback").inner_text().startswith("Not quite.")
    assert first.locator(".learn-checkpoint-feedback").inner_text() == ""
    exercise = page.locator("div#ex-add")
    exercise.get_by_role("link", name="Go to the solution").click()
    target = page.evaluate("decodeURIComponent(location.hash.slice(1))")
    solution = page.locator(f'[id="{target}"]')
    assert solution.count() == 1
    assert "Solution to Exercise 1" in solution.locator("summary").inner_text()
    assert solution.locator(".learn-solution-for a").get_attribute("href") == "#ex-add"
    assert errors == []
    page.close()


# What another script, an older version or a hand edit may have left in storage. Only
# what the scripts write counts: all of these read as "no progress" and throw nothing.
# CHECKLIST and STEP stand for the page's first checklist and its first step.
HOSTILE_STORAGE = [
    "not JSON {",
    "42",
    '"a string"',
    "[]",
    '["constructor"]',
    "null",
    "true",
    "[" * 5000 + "]" * 5000,
    '"' + "x" * 1_000_000 + '"',
    "{}",
    '{"done": "yes"}',
    '{"done": ["constructor", "__proto__"]}',
    '{"done": 1}',
    '{"done": null}',
    '{"done": {"constructor": true, "toString": 1, "valueOf": "yes", "__proto__": {}}}',
    '{"done": {"constructor": {"date": "2024-01-01"}, "hasOwnProperty": ["2024-01-01"]}}',
    '{"done": {"__proto__": {"constructor": "2024-01-01", "toString": "2024-01-01"}}}',
    '{"__proto__": {"done": {"constructor": "2024-01-01"}}}',
    '{"constructor": 1}',
    '{"constructor": {"prototype": {"done": {"constructor": "2024-01-01"}}}}',
    '{"checklists": "CHECKLIST STEP"}',
    '{"checklists": ["CHECKLIST"]}',
    '{"checklists": {"CHECKLIST": "STEP"}}',
    '{"checklists": {"CHECKLIST": {"0": "STEP", "length": 1}}}',
    '{"checklists": {"CHECKLIST": [1, null, {"STEP": true}, ["STEP"]]}}',
    '{"checklists": {"__proto__": {"CHECKLIST": ["STEP"]}}}',
]
STORAGE_KEY = "sphinx-numpy-learn:v1:/:Keys"


@pytest.mark.parametrize("value", HOSTILE_STORAGE, ids=range(len(HOSTILE_STORAGE)))
def test_hostile_storage_reads_as_no_progress(keys, browser, value):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{keys}/constructor.html")
    checklist = page.locator("aside.learn-first-time-setup").first
    names = {
        "CHECKLIST": checklist.get_attribute("data-learn-checklist"),
        "STEP": checklist.locator("li[data-learn-step]").first.get_attribute("data-learn-step"),
    }
    for placeholder, name in names.items():
        value = value.replace(placeholder, name)
    # Seeded once, before the next page's scripts run; later loads see what they wrote.
    context.add_init_script(
        script=(
            "if (!sessionStorage.getItem('learn-seeded')) {"
            f" localStorage.setItem({STORAGE_KEY!r}, {json.dumps(value)});"
            " sessionStorage.setItem('learn-seeded', '1'); }"
        )
    )

    page.goto(f"{keys}/constructor.html")
    assert errors == []
    assert page.locator("input.learn-step-input:checked").count() == 0
    assert [s.inner_text() for s in page.locator(".learn-checklist-status").all()] == [
        "0 of 2 steps done",
        "0 of 2 steps done",
    ]
    for docname in ("constructor", "__proto__", "toString"):
        page.goto(f"{keys}/{docname}.html")
        assert not page.get_by_label("I have finished this tutorial").is_checked(), docname
        assert page.locator(".learn-is-done").count() == 0, docname
        assert page.locator(".learn-nav-progress").first.inner_text().startswith("0 of 5")
    page.goto(f"{keys}/index.html")
    assert page.locator(".learn-progress-summary [role=status]").inner_text() == "0 of 5 done"
    assert page.locator("li.learn-card.learn-is-done").count() == 0

    # And it still works: what the reader does now is saved and read back.
    for docname in ("constructor", "__proto__"):
        page.goto(f"{keys}/{docname}.html")
        page.get_by_label("I have finished this tutorial").check()
    page.goto(f"{keys}/constructor.html")
    page.locator("aside.learn-first-time-setup").first.get_by_label("Step 1 done").check()
    page.reload()
    assert page.get_by_label("I have finished this tutorial").is_checked()
    assert page.locator("input.learn-step-input:checked").count() == 1
    page.goto(f"{keys}/index.html")
    assert page.locator(".learn-progress-summary [role=status]").inner_text() == "2 of 5 done"
    done = page.locator("li.learn-card.learn-is-done").evaluate_all(
        "cards => cards.map(c => c.dataset.learnDoc)"
    )
    assert sorted(done) == ["__proto__", "constructor"]
    page.goto(f"{keys}/toString.html")
    assert page.locator(".learn-nav-progress").first.inner_text().startswith("2 of 5")
    assert errors == []
    context.close()
