"""``execution-report``: a table of every notebook's last execution.

The directive leaves a placeholder; the table is built when the page is written,
from the domain's execution records, so it lists every notebook of the project
(not only those read in this build). The page is written again whenever a record
changes (:meth:`LearnDomain.shown`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from docutils import nodes

from sphinx_numpy_learn.directive_options import LearnDirective, OptionSpec, class_names
from sphinx_numpy_learn.domain import get_domain
from sphinx_numpy_learn.i18n import _
from sphinx_numpy_learn.nodes_util import (
    WriteTimeFiller,
    add_node_everywhere,
    doc_link,
    ignore,
    like,
)
from sphinx_numpy_learn.notebooks.run import (
    CACHED,
    FAILED,
    FAILURES,
    KERNEL_DIED,
    NOT_EXECUTED,
    NOT_RUN,
    OK,
    TIMED_OUT,
)
from sphinx_numpy_learn.reference import reference_table
from sphinx_numpy_learn.untrusted import printable

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

    from sphinx_numpy_learn.records import ExecutionRecord


class execution_report_placeholder(nodes.General, nodes.Element):
    """Where the report goes; replaced when the page is written."""


class execution_error(nodes.General, nodes.Element):
    """A failed notebook's error (``Name: value``), under its status: a paragraph of
    code in every builder but HTML, where it wraps anywhere (and folds when long)."""


class report_cell(nodes.entry):
    """A body cell of the report. HTML names its column (``data-label``), which the
    narrow layout shows when the rows are stacked and the header row is hidden."""


ERROR_PREVIEW = 160
"""Characters an error's first line may have before HTML folds the error."""


def visit_error_html(self: HTML5Translator, node: execution_error) -> None:
    text = node["error"]
    first, _newline, rest = text.partition("\n")
    if len(first) <= ERROR_PREVIEW and not rest.strip():
        self.body.append(
            self.starttag(node, "code", "", CLASS="learn-execution-error")
            + self.encode(text)
            + "</code>"
        )
        raise nodes.SkipNode
    # A disclosure: its summary is the first line (clipped by CSS while closed), so
    # the table stays compact and the whole text is one click or key press away.
    self.body.append(self.starttag(node, "details", "", CLASS="learn-execution-error"))
    self.body.append(f"<summary><code>{self.encode(first)}</code></summary>")
    rest = rest.strip("\n")
    if rest.strip():
        self.body.append(f"<code>{self.encode(rest)}</code>")
    self.body.append("</details>")
    raise nodes.SkipNode


def visit_cell_html(self: HTML5Translator, node: report_cell) -> None:
    # docutils' visit_entry for a body cell (never a header or a stub), plus the label.
    node.parent.column += 1
    label = {"data-label": node["label"]} if node.get("label") else {}
    self.body.append(self.starttag(node, "td", "", **label))
    self.context.append("</td>\n")


def depart_cell_html(self: HTML5Translator, node: report_cell) -> None:
    self.body.append(self.context.pop())


class ExecutionReportDirective(LearnDirective):
    """The execution report of the project's notebooks."""

    has_content = False
    option_spec = OptionSpec({"class": class_names}, subtype="execution")

    def run(self) -> list[nodes.Node]:
        get_domain(self.env).data["execution_reports"][self.env.docname] = True
        placeholder = execution_report_placeholder(classes=self.options.get("class", []))
        self.set_source_info(placeholder)
        return [placeholder]


def status_text(record: ExecutionRecord) -> str:
    status = record["status"]
    words = {
        OK: _("Succeeded"),
        NOT_EXECUTED: _("Not executed"),
        FAILED: _("Failed"),
        TIMED_OUT: _("Timed out"),
        KERNEL_DIED: _("Kernel died"),
    }
    text = words.get(status, status)
    if status in FAILURES and record.get("cell"):
        text += " " + _("(code cell %d)") % record["cell"]
    return text


def when_text(timestamp: float | None) -> str:
    if not timestamp:
        return _("never")
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(timestamp))


class FillExecutionReports(WriteTimeFiller):
    shown_with = ("report",)

    def run(self) -> None:
        for placeholder in list(self.document.findall(execution_report_placeholder)):
            placeholder.replace_self(self.build(placeholder))

    def build(self, placeholder: execution_report_placeholder) -> nodes.Element:
        records = get_domain(self.env).executions
        docnames = sorted(d for d in records if d in self.env.found_docs)
        if not docnames:
            return nodes.paragraph(
                "", _("No notebooks have been executed."), classes=["learn-execution-empty"]
            )
        rows = []
        errors: list[execution_error | None] = []
        for docname in docnames:
            record = records[docname]
            title = self.env.titles[docname].astext() if docname in self.env.titles else docname
            link = doc_link(self.app.builder, self.docname, docname, None, nodes.Text(title))
            status = nodes.inline(
                "", status_text(record), classes=[f"learn-status-{_css_word(record['status'])}"]
            )
            status_cell: list[nodes.Node] = [status]
            errors.append(None)
            if record["status"] in FAILURES and record.get("error"):
                status_cell.append(nodes.Text(":"))
                # The error is the notebook's text: control characters would make the
                # page's XML (epub, -b xml) invalid.
                error = printable(record["error"])
                errors[-1] = execution_error("", nodes.literal("", error), error=error)
            if record["status"] == NOT_EXECUTED or record["source"] == NOT_RUN:
                outputs = _("none")
            elif record["source"] == CACHED:
                outputs = _("from the cache")
            else:
                outputs = _("executed")
            rows.append(
                [
                    [nodes.inline("", "", link)],
                    status_cell,
                    [nodes.Text(f"{record['runtime']:.1f} s")],
                    [nodes.Text(when_text(record.get("last_success")))],
                    [nodes.Text(outputs)],
                ]
            )
        columns = [
            (_("Notebook"), 30),
            (_("Status"), 30),
            (_("Run time"), 10),
            (_("Last successful run"), 18),
            (_("Outputs"), 12),
        ]
        table = reference_table("learn-execution-report", columns, rows)
        table["classes"] += placeholder["classes"]
        # The notebook's title heads its stacked row: only the other columns are named.
        labels = ["", *(title for title, _width in columns[1:])]
        body = [row for row in table.findall(nodes.row) if isinstance(row.parent, nodes.tbody)]
        for row, error_block in zip(body, errors, strict=True):
            cells = [
                report_cell("", *entry.children, label=label)
                for entry, label in zip(row.children, labels, strict=True)
            ]
            if error_block is not None:
                cells[1] += error_block  # a block: after the status's paragraph, not inside it
            row[:] = cells
        return table


def _css_word(status: str) -> str:
    return status.replace(" ", "-")


def setup_report(app: Sphinx) -> None:
    app.add_directive("execution-report", ExecutionReportDirective)
    app.add_directive_to_domain("learn", "execution-report", ExecutionReportDirective)
    app.add_node(execution_report_placeholder)  # always replaced before writing
    add_node_everywhere(
        app, execution_error, html=(visit_error_html, ignore), other=like("paragraph")
    )
    add_node_everywhere(
        app, report_cell, html=(visit_cell_html, depart_cell_html), other=like("entry")
    )
    app.connect("doctree-resolved", FillExecutionReports.handler)
