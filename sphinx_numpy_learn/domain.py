"""The ``learn`` domain: every tutorial's metadata, learning paths and catalogs.

All cross-document data lives here as plain, picklable dicts keyed by docname,
so ``clear_doc`` and ``merge_domaindata`` keep it right under incremental and
parallel (``-j``) builds. Pages that show other pages' data (catalogs, learning
paths, path navigation) are resolved when they are written, and
:func:`pages_to_rewrite` tells Sphinx which of them to write again when that
data changes.

What the domain keeps is typed in :mod:`sphinx_numpy_learn.records`, one
constructor per record. Bump :attr:`LearnDomain.data_version` when what it keeps
changes shape: a key added to, removed from or renamed in a record or in
``initial_data``, or a key that holds a different kind of value; and when one of
our docutils node classes moves to another module (pickled doctrees name it by its
module); and when reading a page notes something new (a component in ``features``),
which pages read by an earlier version would lack. (A new value of the same shape, a
new tier or status word, needs no bump.) The extension's
``env_version`` is derived from it, so Sphinx then discards environments pickled
by an earlier version instead of reading records that lack a key.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections.abc import Iterable, Iterator, Mapping, Set
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NamedTuple, get_args

from sphinx.domains import Domain

from sphinx_numpy_learn.metadata import prerequisite_cycles
from sphinx_numpy_learn.nodes_util import holds_one_document
from sphinx_numpy_learn.records import (
    CheckpointRecord,
    ExecutionRecord,
    ExerciseRecord,
    GlossaryTermRecord,
    LandingRecord,
    LearnData,
    PathRecord,
    RevisionSheetRecord,
    Shown,
    SolutionRecord,
    TutorialRecord,
    learn_data,
)
from sphinx_numpy_learn.tiers import LevelRole

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

# Data kept per document: cleared and merged document by document.
PerDocKey = Literal[
    "tutorials",
    "paths",
    "catalogs",
    "badge_pages",
    "exercises",
    "solutions",
    "checkpoints",
    "interactive",
    "notebooks",
    "execution_reports",
    "landings",
    "revision_sheets",
    "glossary",
    "terms_used",
    "books",
    "features",
    "named",
]
PER_DOC_KEYS: tuple[PerDocKey, ...] = get_args(PerDocKey)
# Merged document by document too, but not cleared (see LearnData.executions).
MERGED_KEYS: tuple[Literal[PerDocKey, "executions"], ...] = (*PER_DOC_KEYS, "executions")


class LearnDomain(Domain):
    name = "learn"
    label = "sphinx-numpy-learn"
    roles = {"level": LevelRole()}
    # Sphinx types both ``dict[str, Any]``: ours are typed views of the same plain dicts.
    initial_data: ClassVar[LearnData] = learn_data()  # type: ignore[assignment]
    data: LearnData  # type: ignore[assignment]
    # The one number to bump (see the module docstring).
    data_version = 15
    # Not data: derived from it and from Sphinx's standard domain (glossary_index).
    _glossary: GlossaryIndex | None = None

    # -- Per-document data -----------------------------------------------------------

    @property
    def tutorials(self) -> dict[str, TutorialRecord]:
        return self.data["tutorials"]

    @property
    def executions(self) -> dict[str, ExecutionRecord]:
        """docname -> the notebook's last execution (sphinx_numpy_learn.notebooks)."""
        return self.data["executions"]

    @property
    def paths_by_page(self) -> dict[str, list[PathRecord]]:
        return self.data["paths"]

    @property
    def catalog_pages(self) -> list[str]:
        return sorted(self.data["catalogs"])

    def note_tutorial(self, docname: str, record: TutorialRecord) -> None:
        self.tutorials[docname] = record

    def note_path(self, docname: str, record: PathRecord) -> None:
        self.paths_by_page.setdefault(docname, []).append(record)

    def note_catalog(self, docname: str) -> None:
        self.data["catalogs"][docname] = self.data["catalogs"].get(docname, 0) + 1

    def note_badge(self, docname: str) -> None:
        self.data["badge_pages"][docname] = True

    def note_exercise(self, docname: str, record: ExerciseRecord) -> None:
        self.data["exercises"].setdefault(docname, []).append(record)

    def note_solution(self, docname: str, record: SolutionRecord) -> None:
        self.data["solutions"].setdefault(docname, []).append(record)

    def note_checkpoint(self, docname: str, record: CheckpointRecord) -> None:
        self.data["checkpoints"].setdefault(docname, []).append(record)

    def note_landing(self, docname: str, record: LandingRecord) -> None:
        self.data["landings"].setdefault(docname, []).append(record)

    def note_revision_sheet(self, docname: str, record: RevisionSheetRecord) -> None:
        self.data["revision_sheets"].setdefault(docname, []).append(record)

    def note_glossary(self, docname: str, terms: Iterable[GlossaryTermRecord]) -> None:
        self.data["glossary"].setdefault(docname, []).extend(terms)
        self._glossary = None

    def note_terms_used(self, docname: str, terms: Iterable[str]) -> None:
        self.data["terms_used"][docname] = sorted(set(terms))

    def glossary_index(self) -> GlossaryIndex:
        """Every glossary term as the ``term`` role finds it, built once per build
        (forgotten when a page is read, removed or merged)."""
        if self._glossary is None:
            exact = {
                name: place
                for (kind, name), place in self.env.domains.standard_domain.objects.items()
                if kind == "term"
            }
            lower: dict[str, tuple[str, str]] = {}
            for name, place in exact.items():
                lower[name.lower()] = place  # the last one read, as Sphinx's fallback
            records = {
                (docname, record["id"]): record
                for docname, records in self.data["glossary"].items()
                for record in records
            }
            self._glossary = GlossaryIndex(exact, lower, records)
        return self._glossary

    def term_definition(self, target: str) -> tuple[str, GlossaryTermRecord] | None:
        """The page and entry a ``term`` link to ``target`` goes to, found as Sphinx's
        standard domain resolves it (the term as written, then in any case)."""
        index = self.glossary_index()
        place = index.exact.get(target) or index.lower.get(target.lower())
        record = index.records.get(place) if place is not None else None
        return None if place is None or record is None else (place[0], record)

    def note_interactive(self, docname: str) -> None:
        self.data["interactive"][docname] = True

    def note_named(self, docname: str, named: Iterable[str]) -> None:
        """``docname`` names these documents (which may not exist) as tutorials or steps."""
        self.data["named"][docname] = sorted({*self.data["named"].get(docname, ()), *named})

    def clear_doc(self, docname: str) -> None:
        self._glossary = None
        for key in PER_DOC_KEYS:
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        self._glossary = None
        for key in MERGED_KEYS:
            ours: dict[str, Any] = self.data[key]
            for docname, value in otherdata[key].items():
                if docname in docnames:
                    ours[docname] = value

    def exercises_by_label(self) -> dict[str, ExerciseRecord]:
        """Every labelled exercise of the project, by label (first definition wins)."""
        found: dict[str, ExerciseRecord] = {}
        for docname in sorted(self.data["exercises"]):
            for record in self.data["exercises"][docname]:
                if record["label"]:
                    found.setdefault(record["label"], record)
        return found

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []

    # -- Queries ------------------------------------------------------------------------

    def paths(self) -> list[PathRecord]:
        """Every learning path, in a stable order (by page, then position)."""
        return [
            path for docname in sorted(self.paths_by_page) for path in self.paths_by_page[docname]
        ]

    def paths_through(self, docname: str) -> Iterator[tuple[PathRecord, int]]:
        """Each path that has ``docname`` as a step, with the step's index."""
        for path in self.paths():
            for index, step in enumerate(path["steps"]):
                if step == docname:
                    yield path, index

    def path_named(self, name: str, page: str | None = None) -> PathRecord | None:
        """The path called ``name`` (the first one, by page; or the one on ``page``)."""
        pages = sorted(self.paths_by_page) if page is None else [page]
        for docname in pages:
            for path in self.paths_by_page.get(docname, ()):
                if path["name"] == name:
                    return path
        return None

    def known_paths(self) -> str:
        """Every path's name, for an "unknown path" warning."""
        return ", ".join(sorted({p["name"] for p in self.paths()})) or "none"

    def book_steps(self, docname: str) -> list[str]:
        """The steps the book page ``docname`` shows (none for another page)."""
        steps: list[str] = []
        for record in self.data["books"].get(docname, ()):
            path = self.path_named(record["name"])
            if path is not None:
                steps += [s for s in path["steps"] if s != docname and s not in steps]
        return steps

    def components(self, docname: str) -> set[str]:
        """What the page of ``docname`` holds, as noted when its documents were read
        (a book page holds its steps): the components ``record_features`` notes, and
        those the domain's data shows (``path``: a path's step list, ``path-nav``: a
        step of a path, ``path-book``, ``catalog``, ``landing``, ``key-points``: a
        revision sheet, ``exercises``: solutions, ``report``, ``terms``: term links).
        Write-time steps ask it so as not to search a page for nothing."""
        data = self.data
        found: set[str] = set()
        if docname in data["books"]:
            found.add("path-book")
        if any(self.paths_through(docname)):
            found.add("path-nav")
        for doc in (docname, *self.book_steps(docname)):
            found.update(data["features"].get(doc, ()))
            held = {
                "path": doc in data["paths"],
                "catalog": doc in data["catalogs"],
                "landing": doc in data["landings"],
                "key-points": doc in data["revision_sheets"],
                "exercises": doc in data["solutions"],
                "report": doc in data["execution_reports"],
                "terms": doc in data["terms_used"],
            }
            found.update(name for name, here in held.items() if here)
        return found

    def books_showing(self, docnames: Set[str]) -> set[str]:
        """The book pages that show one of ``docnames`` (a copy of it is on the page)."""
        return {book for book in self.data["books"] if docnames & set(self.book_steps(book))}

    def prerequisite_graph(self) -> dict[str, list[str]]:
        """Tutorial -> the tutorials it requires (other documents are left out)."""
        return {
            docname: [
                p["doc"]
                for p in record["prerequisites"]
                if "doc" in p and p["doc"] in self.tutorials
            ]
            for docname, record in self.tutorials.items()
        }

    def reading_order(self, tier_rank: dict[str, int]) -> list[str]:
        """Tutorials in an order where prerequisites come first (a topological order).

        Among tutorials whose prerequisites are all listed, the easier tier comes
        first, then the title. Tutorials caught in a cycle (reported as a warning)
        are appended in the same tie-break order rather than dropped.
        """
        graph = self.prerequisite_graph()

        def key(docname: str) -> tuple[int, str, str]:
            record = self.tutorials[docname]
            rank = tier_rank.get(record.get("level") or "", len(tier_rank))
            return rank, record["title"].casefold(), docname

        waiting = {doc: set(reqs) for doc, reqs in graph.items()}
        dependants: dict[str, list[str]] = {doc: [] for doc in graph}
        for doc, reqs in graph.items():
            for req in set(reqs):
                dependants[req].append(doc)
        ready = [key(doc) for doc, reqs in waiting.items() if not reqs]
        heapq.heapify(ready)
        order: list[str] = []
        while ready:
            *_, doc = heapq.heappop(ready)
            order.append(doc)
            for dependant in dependants[doc]:
                waiting[dependant].discard(doc)
                if not waiting[dependant]:
                    heapq.heappush(ready, key(dependant))
        placed = set(order)
        order.extend(sorted((d for d in graph if d not in placed), key=key))
        return order

    def cycles(self) -> list[list[str]]:
        """Groups of tutorials whose prerequisites form a cycle (strongly connected)."""
        return prerequisite_cycles(self.prerequisite_graph())

    # -- What the last write showed -------------------------------------------------------

    def shown(self) -> Shown:
        """What catalogs, paths and linked badges show about other pages, hashed per part."""

        def digest(value: Any) -> str:
            return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()

        by_label = self.exercises_by_label()

        return {
            "tutorials": {
                doc: digest(_shown_card(r)) for doc, r in sorted(self.tutorials.items())
            },
            "titles": self._prerequisite_titles(),
            "paths": digest(self.paths()),
            "members": sorted({step for path in self.paths() for step in path["steps"]}),
            "catalogs": self.catalog_pages,
            "executions": digest(shown_in_reports(self.data["executions"])),
            "solutions": {
                doc: digest([_shown_exercise(by_label.get(s["target"])) for s in solutions])
                for doc, solutions in sorted(self.data["solutions"].items())
            },
            "keypoints": digest(
                {
                    doc: [r.get("keypoints"), r.get("rich", {}).get("keypoints")]
                    for doc, r in sorted(self.tutorials.items())
                }
            ),
            "terms": {
                term: digest(
                    [
                        [name, definition[0], definition[1]["id"], definition[1]["text"]]
                        for name in names
                        if (definition := self.term_definition(name)) is not None
                    ]
                )
                for term, names in sorted(self._terms_by_lower_name().items())
            },
        }

    def _prerequisite_titles(self) -> dict[str, str]:
        """The title of each page a tutorial names as a prerequisite (tutorial or not)."""
        named = {
            p["doc"] for r in self.tutorials.values() for p in r["prerequisites"] if "doc" in p
        }
        titles = self.env.titles
        return {doc: titles[doc].astext() if doc in titles else "" for doc in sorted(named)}

    def _terms_by_lower_name(self) -> dict[str, list[str]]:
        """Each term in lower case (as pages' ``term`` links are compared), with the
        ways it is written: the lower-cased name itself, and each glossary's."""
        names: dict[str, set[str]] = {}
        for name in self.glossary_index().exact:
            names.setdefault(name.lower(), {name.lower()}).add(name)
        return {term: sorted(spelt) for term, spelt in names.items()}

    def pages_to_rewrite(self, before: Shown, now: Shown) -> set[str]:
        """Pages that show something that changed from ``before`` to ``now``
        (two results of :meth:`shown`)."""
        changed = _changed_keys(before.get("tutorials", {}), now["tutorials"])
        rewrite: set[str] = set()
        if changed or before.get("keypoints") != now["keypoints"]:
            rewrite |= set(self.data["revision_sheets"])  # titles, badges, key points
        if changed:
            rewrite |= set(self.data["catalogs"]) | set(self.paths_by_page)
            rewrite |= set(self.data["landings"])  # path lengths and times
            for path in self.paths():
                if changed & set(path["steps"]):
                    rewrite |= set(path["steps"])
        retitled = _changed_keys(before.get("titles", {}), now["titles"])
        if retitled:
            for doc, record in self.tutorials.items():
                if any(p.get("doc") in retitled for p in record["prerequisites"]):
                    rewrite.add(doc)  # its header shows the prerequisite's title, no more
        if before.get("paths") != now["paths"]:
            rewrite |= (
                set(self.paths_by_page) | set(before.get("members", [])) | set(now["members"])
            )
            rewrite |= set(self.data["landings"]) | set(self.data["revision_sheets"])
        # A term's tooltip shows its definition, which may be on another page.
        terms = _changed_keys(before.get("terms", {}), now["terms"])
        if terms:
            rewrite |= {
                doc
                for doc, used in self.data["terms_used"].items()
                if terms & {t.lower() for t in used}
            }
        # A solution's title names its exercise, which may be on another page.
        old_solutions = before.get("solutions", {})
        rewrite |= {
            doc for doc, value in now["solutions"].items() if old_solutions.get(doc) != value
        }
        if before.get("executions") != now["executions"]:
            rewrite |= set(self.data["execution_reports"])
        if before.get("catalogs") != now["catalogs"]:
            rewrite |= set(self.data["badge_pages"])  # badges link to the first catalog
        # A book page shows copies of its steps, filled in as they are.
        return rewrite | self.books_showing(rewrite)


class GlossaryIndex(NamedTuple):
    """Glossary terms: Sphinx's (``exact``: by name as written, ``lower``: in lower
    case; each to its page and anchor) and ours (``records``: by page and anchor)."""

    exact: dict[str, tuple[str, str]]
    lower: dict[str, tuple[str, str]]
    records: dict[tuple[str, str], GlossaryTermRecord]


def shown_in_reports(records: dict[str, ExecutionRecord]) -> dict[str, Any]:
    """What execution reports show of each notebook's record."""
    return {doc: [record.get(k) for k in REPORT_FIELDS] for doc, record in sorted(records.items())}


# What an execution report shows of a record; a change rewrites the report pages.
REPORT_FIELDS = ("status", "runtime", "source", "last_success", "cell", "line", "error")


def _shown_card(record: TutorialRecord) -> dict[str, Any]:
    """What a catalog card, a path step or a badge shows of a tutorial: its key points
    are left out (only revision sheets show them, through ``Shown["keypoints"]``)."""
    card = {k: record.get(k) for k in CARD_FIELDS}
    card["rich"] = {k: v for k, v in record.get("rich", {}).items() if k != "keypoints"}
    return card


def _shown_exercise(record: ExerciseRecord | None) -> dict[str, Any] | None:
    """What a solution's title and back link show of its exercise."""
    if record is None:
        return None
    return {k: record[k] for k in ("docname", "id", "number", "title")}


# What a catalog card, a path step or a badge shows of a tutorial.
CARD_FIELDS = (
    "title",
    "level",
    "duration",
    "duration_estimated",
    "summary",
    "tags",
    "audience",
    "rich",
)


def _changed_keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> set[str]:
    """The keys whose value differs between ``old`` and ``new`` (added and removed too)."""
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def page_may_show(env: Any, builder: Any, docname: str, components: Iterable[str]) -> bool:
    """Whether the page of ``docname`` being written may show one of ``components``
    (:meth:`LearnDomain.components`), so that a step which changes their nodes must
    search it. A page of a builder that puts several documents together (singlehtml,
    LaTeX, Texinfo, man), or of one we do not know (``None``), may show anything."""
    if builder is None or not holds_one_document(builder):
        return True
    return not get_domain(env).components(docname).isdisjoint(components)


def get_domain(env: BuildEnvironment) -> LearnDomain:
    return env.domains["learn"]  # type: ignore[return-value]


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> Iterable[str]:
    """``env-get-updated``: pages to write again because what they show changed.

    Catalogs, path pages and path navigation are filled in when a page is written,
    from this domain. When a tutorial's title, tier, duration or summary changes,
    or a path changes, the pages that show it are written again (from their
    stored doctrees; nothing is re-read); so are book pages whose steps are read or
    written again.
    """
    # Imported here: the notebooks package imports this module.
    from sphinx_numpy_learn.notebooks.state import build_state

    domain = get_domain(env)
    before, now = domain.data["written"], domain.shown()
    rewrite = domain.pages_to_rewrite(before, now) if before else set()
    domain.data["written"] = now
    read = build_state(app).to_read
    # A book page shows copies of the steps read again; a path's page links to its books.
    rewrite |= domain.books_showing(read)
    rewrite |= {
        path["docname"]
        for book in read & domain.data["books"].keys()
        for record in domain.data["books"][book]
        if (path := domain.path_named(record["name"])) is not None
    }
    return sorted(rewrite & env.found_docs)


def pages_naming_added_or_removed(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """``env-get-outdated``: pages that name a document which appeared or went away.

    Prerequisites, path steps and catalog lists are checked against the project's
    documents when a page is read: a name that matches no document is reported and
    left out, a document's removal leaves its name behind. So such a page is read
    again, as a clean build would read it, when a document it names is added or
    removed (a rename is both).
    """
    appeared_or_went = set(added) | set(removed)
    if not appeared_or_went:
        return []
    return sorted(
        docname
        for docname, named in get_domain(env).data["named"].items()
        if docname not in removed and appeared_or_went.intersection(named)
    )


def setup_domain(app: Sphinx) -> None:
    app.add_domain(LearnDomain)
    app.connect("env-get-outdated", pages_naming_added_or_removed)
    app.connect("env-get-updated", pages_to_rewrite)
