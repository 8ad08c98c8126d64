"""The class report's plots, drawn with matplotlib as inline SVG (sharp at any zoom, no files to ship)."""

import io
import re
import statistics

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend is chosen first
import numpy as np  # noqa: E402

from graders.outcomes import COULD_NOT_RUN, NOT_ATTEMPTED, OUTCOMES, PASSED, WRONG  # noqa: E402

# Colour-blind-safe (Okabe-Ito) colours, one per outcome.
COLOURS = {PASSED: "#009E73", WRONG: "#D55E00", NOT_ATTEMPTED: "#BBBBBB", COULD_NOT_RUN: "#CC79A7"}
_STYLE = {"font.size": 10, "axes.spines.top": False, "axes.spines.right": False, "svg.fonttype": "path",
          "svg.hashsalt": "mdsi-report"}


def _svg(fig, title):
    """The figure as an ``<svg>`` element that scales down to its container, titled for screen readers."""
    sink = io.StringIO()
    fig.savefig(sink, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = sink.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'<svg ([^>]*?)width="([\d.]+)pt" height="([\d.]+)pt"',
                 r'<svg \1width="\2pt" height="\3pt" style="max-width: 100%; height: auto" role="img"', svg, count=1)
    title = title.replace("&", "&amp;").replace("<", "&lt;")
    return svg.replace(">", f"><title>{title}</title>", 1)


def outcome_bars(results):
    """Per exercise, one bar split into the students who passed, were wrong, did not try, or could not run."""
    names = results.exercise_names
    counts = np.array([[results.counts(n)[o] for o in OUTCOMES] for n in names])
    total = max(len(results.submissions), 1)
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(8, 0.42 * len(names) + 1.1))
        left = np.zeros(len(names))
        rows = np.arange(len(names))
        for column, outcome in enumerate(OUTCOMES):
            widths = counts[:, column]
            ax.barh(rows, widths, left=left, color=COLOURS[outcome], label=outcome, height=0.7)
            for row, (start, width) in enumerate(zip(left, widths, strict=True)):
                if width and width / total >= 0.06:
                    ink = "white" if outcome in (PASSED, WRONG) else "black"
                    ax.text(start + width / 2, row, str(int(width)), ha="center", va="center", color=ink, fontsize=9)
            left += widths
        ax.set_yticks(rows, names)
        ax.invert_yaxis()
        ax.set_xlim(0, total)
        ax.set_xlabel("students")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(ncols=4, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=9)
    return _svg(fig, f"{results.assignment}: outcome of every exercise, in students")


def score_histogram(results):
    """How the class's total scores (as a share of the points) are spread, with the class mean."""
    shares = [100 * s for s in results.shares]
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(6, 2.6))
        ax.hist(np.clip(shares, 0, 99.999), bins=np.arange(0, 101, 10), color="#0072B2", edgecolor="white")
        mean = statistics.fmean(shares)
        ax.axvline(mean, color="black", linestyle="--", linewidth=1)
        ax.text(mean, ax.get_ylim()[1], f" mean {mean:.0f}%", va="top", ha="left" if mean < 70 else "right")
        ax.set_xlim(0, 100)
        ax.set_xlabel("share of the assignment's points (%)")
        ax.set_ylabel("students")
        ax.yaxis.get_major_locator().set_params(integer=True)
    return _svg(fig, f"{results.assignment}: distribution of total scores")


def class_averages(report):
    """Per assignment, the class's mean share of the points, and how many students submitted."""
    graded = [r for r in report.assignments if r.submissions]
    means = [100 * statistics.fmean(r.shares) for r in graded]
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(8, 0.42 * len(graded) + 1))
        rows = np.arange(len(graded))
        ax.barh(rows, means, color="#0072B2", height=0.65)
        for row, (mean, results) in enumerate(zip(means, graded, strict=True)):
            sent = f"{len(results.submissions)}/{len(results.submissions) + len(results.missing)} submitted"
            ax.text(mean + 1, row, f"{mean:.0f}%  ({sent})", va="center", fontsize=9)
        ax.set_yticks(rows, [r.assignment for r in graded])
        ax.invert_yaxis()
        ax.set_xlim(0, 125)
        ax.set_xticks(range(0, 101, 25))
        ax.set_xlabel("class average (% of the points)")
    return _svg(fig, "class average per assignment")


def standing(report, students):
    """A heat map of every student's share of the points per assignment, weakest students first."""
    graded = [r for r in report.assignments if r.submissions]
    grid = np.array([[np.nan if (s := report.share(student, r)) is None else 100 * s for r in graded]
                     for student in students])
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(min(8, 2.5 + 0.7 * len(graded)), 0.3 * len(students) + 1.6))
        cmap = matplotlib.colormaps["RdYlBu"].with_extremes(bad="#eeeeee")
        ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=0, vmax=100, aspect="auto")
        for (row, column), value in np.ndenumerate(grid):
            label = "-" if np.isnan(value) else f"{value:.0f}"
            ink = "white" if not np.isnan(value) and (value < 15 or value > 85) else "black"
            ax.text(column, row, label, ha="center", va="center", fontsize=8, color=ink)
        ax.set_xticks(range(len(graded)), [r.assignment.split("_", 1)[0] for r in graded])
        ax.set_yticks(range(len(students)), students, fontsize=8)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for side in ax.spines.values():
            side.set_visible(False)
    return _svg(fig, "share of the points per student and assignment (%), weakest students first; - is no submission")
