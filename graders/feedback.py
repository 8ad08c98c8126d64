"""The feedback students read: nbconvert preprocessors, an exporter and a template for ``nbgrader generate_feedback``.

* :class:`ShortenTestTracebacks` keeps only ``ErrorName: message`` in graded
  test cells (a traceback through a hidden test quotes its code);
* :class:`FeedbackSummary` classifies every exercise (as the class report
  does, :mod:`graders.outcomes`) for the summary table at the top and titles
  each graded cell by its exercise;
* :class:`FeedbackExporter` renders math as MathML, which browsers draw
  themselves: the page loads nothing from the network;
* the ``mdsi_feedback`` template (``graders/mdsi_feedback/``) lays it out with
  every message wrapped to the page's width.

``nbgrader_config.py`` wires them in.
"""

from html import escape
from pathlib import Path

import jinja2
import nbgrader
from latex2mathml.converter import convert
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbgrader.preprocessors import ClearHiddenTests as _ClearHiddenTests
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List
from traitlets.config import Configurable

from graders.exercises import ASSIGNMENTS, exercises
from graders.outcomes import PASSED, exercise_outcomes

TEMPLATE_DIRS = [str(Path(__file__).parent),
                 str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates")]


class _QuietConfig(Configurable):
    """Accept nbconvert's ``NbConvertBase.display_data_priority`` setting.

    nbgrader's preprocessors redeclare the trait without ``config=True``, so
    every feedback run logged "Config option `display_data_priority` not
    recognized" once per notebook and preprocessor.
    """

    display_data_priority = List(["text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png",
                                  "image/jpeg", "text/plain"]).tag(config=True)


class ClearHiddenTests(_QuietConfig, _ClearHiddenTests):
    """nbgrader's ClearHiddenTests, configured without warnings."""


class ShortenTestTracebacks(_QuietConfig, NbGraderPreprocessor):
    """Show only ``ErrorName: message`` for errors in graded test cells.

    A traceback through a hidden test quotes its code (nbgrader issue 917);
    the check's message already says what went wrong and why, so nothing
    useful to the student is lost.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources


def split_lesson(test):
    """``(what happened, mistake name, lesson)`` of a test's message; the last two are empty if none is named."""
    marker = f"Likely mistake ({test.mistake}):"
    if not test.mistake or marker not in test.message:
        return test.message, "", ""
    what, _, lesson = test.message.partition(marker)
    return what.strip(), test.mistake, lesson.strip()


class FeedbackSummary(_QuietConfig, NbGraderPreprocessor):
    """Put one row per exercise (outcome, points, diagnosis) in ``resources["mdsi"]``; title graded cells.

    Needs the scores that nbgrader's ``GetGrades`` writes into the cells, so it
    runs after it.  A notebook of an assignment without checks is left alone.
    """

    def preprocess(self, nb, resources):
        assignment = resources.get("nbgrader", {}).get("assignment")
        if assignment not in ASSIGNMENTS:
            return nb, resources
        rows = []
        names = {t.grade_id: (number, ex.name) for number, ex in enumerate(exercises(assignment), start=1)
                 for t in ex.tests}
        outcomes = exercise_outcomes(assignment, nb)
        for number, outcome in enumerate(outcomes, start=1):
            messages = [split_lesson(t) for t in outcome.tests if t.outcome != PASSED and t.message]
            if outcome.outcome == PASSED:
                messages = [("Every graded test passed.", "", "")]
            rows.append({"number": number, "name": outcome.name, "outcome": outcome.outcome,
                         "score": outcome.score, "max_score": outcome.max_score,
                         "anchor": outcome.tests[0].grade_id, "messages": list(dict.fromkeys(messages))})
        verdicts = {t.grade_id: t for o in outcomes for t in o.tests}
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            grade_id = meta.get("grade_id")
            if meta.get("solution") and grade_id in {o.name for o in outcomes}:
                number = next(n for n, o in enumerate(outcomes, start=1) if o.name == grade_id)
                cell.metadata["mdsi"] = {"title": f"Exercise {number}: your {grade_id}"}
            elif grade_id in names and meta.get("grade"):
                number, name = names[grade_id]
                cell.metadata["mdsi"] = {"title": f"Exercise {number}: {name} - {grade_id}",
                                         "outcome": verdicts[grade_id].outcome}
        resources["mdsi"] = {"rows": rows, "score": sum(o.score for o in outcomes),
                             "max_score": sum(o.max_score for o in outcomes)}
        return nb, resources


def _math(tex, display):
    """MathML for ``tex``; the TeX itself (escaped) if it cannot be converted."""
    tex = tex.replace("\\arg", "\\operatorname{arg}")
    try:
        return convert(tex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises many types; unconverted math still reads as TeX
        return f"<code>{escape(tex)}</code>"


class MathMLRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, writing math as MathML instead of leaving it for MathJax."""

    def block_math(self, body):
        return _math(body, display=True)

    def inline_math(self, body):
        return _math(body, display=False)

    def latex_environment(self, name, body):
        return _math(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)


class FeedbackExporter(HTMLExporter):
    """The HTML exporter of feedback: math as MathML, so that pages need no MathJax and no network."""

    @jinja2.pass_context
    def markdown2html(self, context, source):
        cell = context.get("cell", {})
        renderer = MathMLRenderer(escape=False, attachments=cell.get("attachments", {}),
                                  embed_images=self.embed_images,
                                  path=context.get("resources", {}).get("metadata", {}).get("path", ""),
                                  anchor_link_text=self.anchor_link_text,
                                  exclude_anchor_links=self.exclude_anchor_links, **self.lexer_options)
        return MarkdownWithMath(renderer=renderer).render(source)
