"""The class report as one self-contained HTML page: inline SVG plots and CSS, no script, nothing fetched."""

import datetime
import statistics
from dataclasses import dataclass
from pathlib import Path

import jinja2

from graders.outcomes import COULD_NOT_RUN, WRONG
from graders.report import BEHIND, plots

_TEMPLATE = Path(__file__).with_name("page.html.j2")


@dataclass
class _Exercise:
    name: str
    max_score: float
    mean: float
    counts: dict
    mistakes: list


def _assignment_view(results):
    """What the template shows of one assignment: plots, per-exercise rows and the students to look at."""
    view = {"results": results}
    if not results.submissions:
        return view
    rows = []
    for name in results.exercise_names:
        top = results.outcomes(name)[0][1].max_score
        rows.append(_Exercise(name, top, results.mean_points(name), results.counts(name), results.mistakes(name)))
    view.update(
        mean=statistics.fmean(results.shares), median=statistics.median(results.shares), exercises=rows,
        any_mistakes=any(e.mistakes for e in rows),
        unexplained=[(n, s, o) for n in results.exercise_names for s, o in results.outcomes(n)
                     if o.outcome == WRONG and not o.mistakes],
        broken=[(n, s, o) for n in results.exercise_names for s, o in results.outcomes(n)
                if o.outcome == COULD_NOT_RUN],
        bars=plots.outcome_bars(results), histogram=plots.score_histogram(results))
    return view


def render(report, course, threshold=BEHIND):
    """The HTML text of the class report ``report`` (a :class:`graders.report.ClassResults`)."""
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                                     trim_blocks=True, lstrip_blocks=True)
    template = environment.from_string(_TEMPLATE.read_text())
    graded = any(r.submissions for r in report.assignments)
    by_average = sorted(report.students, key=lambda s: (report.average(s), s))
    return template.render(
        course=str(course), students=report.students, colours=plots.COLOURS, threshold=f"{threshold:.0%}",
        generated=datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        assignments=[_assignment_view(r) for r in report.assignments],
        averages=plots.class_averages(report) if graded else None,
        standing=plots.standing(report, by_average) if graded and report.students else "",
        behind=report.behind(threshold))
