"""The rules of ``check``: their ids, names, severities and one-line summaries.

Imported by the configuration (rule keys, severities) and the reference tables without
the rules' implementations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: str
    summary: str
    applies_to: str


RULES: tuple[Rule, ...] = (
    Rule(
        "LRN001",
        "metadata-schema",
        ERROR,
        "Tutorial metadata matches the published schema: known fields, the right types, "
        "durations in range.",
        "tutorials",
    ),
    Rule(
        "LRN002",
        "unknown-level",
        ERROR,
        "The level is one of the tiers in learn_tiers.",
        "tutorials",
    ),
    Rule(
        "LRN003",
        "required-field",
        ERROR,
        "Every field listed in learn_required_fields is declared.",
        "tutorials",
    ),
    Rule(
        "LRN004",
        "unknown-prerequisite",
        ERROR,
        "Each prerequisite is another document of the project.",
        "tutorials",
    ),
    Rule(
        "LRN005",
        "prerequisite-cycle",
        ERROR,
        "Prerequisites do not form a cycle.",
        "tutorials",
    ),
    Rule(
        "LRN006",
        "metadata-link",
        ERROR,
        "Links in metadata are http(s) addresses or relative.",
        "tutorials",
    ),
    Rule(
        "LRN101",
        "opening-sections",
        WARNING,
        "A tutorial says what you'll do, what you'll learn and what you'll need, as "
        "opening headings or as metadata.",
        "learner tutorials",
    ),
    Rule(
        "LRN102",
        "opening-order",
        WARNING,
        "The opening sections come first, in the order do, learn, need, and a "
        "horizontal rule separates them from the first step.",
        "learner tutorials",
    ),
    Rule(
        "LRN103",
        "closing-sections",
        WARNING,
        "Closing sections (On your own, In practice, Further reading, and variants such "
        "as Next steps) come last, after a horizontal rule; References, Acknowledgements "
        "and the like may follow them.",
        "learner tutorials",
    ),
    Rule(
        "LRN104",
        "sentence-case",
        WARNING,
        "The title and headings are in sentence case: only the first word and proper "
        "nouns are capitalised.",
        "tutorials",
    ),
    Rule(
        "LRN105",
        "image-alt",
        ERROR,
        "Every image has alt text.",
        "every page",
    ),
    Rule(
        "LRN106",
        "stored-outputs",
        ERROR,
        "Notebooks are committed without outputs.",
        ".ipynb pages",
    ),
    Rule(
        "LRN107",
        "readability",
        WARNING,
        "The prose of a tutorial at the easiest level is easy to read: its Flesch "
        "reading ease is at least learn_check_readability.",
        "tutorials at the easiest level",
    ),
    Rule(
        "LRN108",
        "checkpoint",
        ERROR,
        "A checkpoint has a question and one list of at least two choices, each starting "
        "with [x] (right) or [ ] (wrong), at least one of them [x]; the build warns "
        "about the same problems.",
        "every page",
    ),
    Rule(
        "LRN201",
        "notebook-execution",
        ERROR,
        "Every notebook runs from top to bottom (checked with --execute).",
        "notebooks",
    ),
)
RULES_BY_KEY: dict[str, Rule] = {
    **{rule.id: rule for rule in RULES},
    **{rule.name: rule for rule in RULES},
}


# The rule of each kind of metadata problem the build reports (metadata.Problem.kind).
PROBLEM_RULES = {
    "metadata": "LRN001",
    "level": "LRN002",
    "required": "LRN003",
    "prerequisite": "LRN004",
}


def rule_keys() -> tuple[str, ...]:
    """Every id and name a setting or comment may use to name a rule."""
    return tuple(RULES_BY_KEY)


@dataclass
class Finding:
    rule: str
    message: str
    line: int | None = None
    """Line in the page's text (for an ``.ipynb``, the MyST text made of its cells)."""
    cell: int | None = None
    """Notebook cell (1-based), when the line alone does not say."""
    details: list[str] = field(default_factory=list)


# The longest name, in words, that learn_check_proper_nouns accepts and the prose
# teaches: a longer run of capitalised words is a title, not a name.
MAX_NAME_WORDS = 8
