"""What a grading run tells a program or a log: ``--json FILE`` and plain progress lines.

The JSON file holds every submission the run considered, with its status
(``graded``, ``unchanged``, ``failed``, or ``not graded`` when the run stopped
before reaching it), its score from the gradebook, the failure's reason and the
notes on it, then the run's summary.  Without a terminal, progress is one plain
line every :data:`EVERY` seconds instead of a bar redrawn with carriage returns.
"""

import json
import os
import sys
import time
from pathlib import Path

from graders.fastgrade.stops import database_name

EVERY = 10.0  # seconds between two progress lines


class ProgressLines:
    """``autograding: 120/600 submissions, 3 failed, 45 s``, at the start, every EVERY seconds and at the end."""

    def __init__(self, total, report, every=EVERY, stream=None):
        self.total, self.report, self.every = total, report, every
        self.stream = stream or sys.stdout
        self.done = 0
        self.started = self.shown = time.monotonic()
        self._line()

    def update(self, n=1):
        self.done += n
        if time.monotonic() - self.shown >= self.every:
            self._line()

    def close(self):
        self._line()

    def _line(self):
        self.shown = time.monotonic()
        print(f"autograding: {self.done}/{self.total} submissions, {len(self.report.failed)} failed, "
              f"{self.shown - self.started:.0f} s", file=self.stream, flush=True)


def submission_scores(db_url, assignments):
    """{(assignment, student): (score, max score)} from the gradebook; {} and the reason if it cannot be read."""
    from nbgrader.api import Gradebook

    scores = {}
    try:
        with Gradebook(db_url) as gradebook:
            for assignment in assignments:
                for row in gradebook.submission_dicts(assignment):
                    scores[assignment, row["student"]] = (row["score"], row["max_score"])
    except Exception as exc:  # the gradebook is down or damaged: the outcomes are still worth writing
        return {}, f"scores unavailable: the gradebook database {database_name(db_url)} could not be read " \
                   f"({type(exc).__name__})"
    return scores, None


def outcomes(report, db_url):
    """The JSON document of ``report``: {"submissions": [...], "summary": {...}}."""
    rows = [(a, s, "graded", None) for a, s in report.graded]
    rows += [(a, s, "unchanged", None) for a, s in report.skipped]
    rows += [(a, s, "failed", reason) for a, s, reason in report.failed]
    rows += [(a, s, "not graded", None) for a, s in report.pending]
    scores, problem = submission_scores(db_url, sorted({a for a, *_ in rows})) if rows else ({}, None)
    notes = {}
    for assignment, student, note in report.notes:
        notes.setdefault((assignment, student), []).append(note)
    submissions = []
    for assignment, student, status, reason in sorted(rows):
        score, max_score = scores.get((assignment, student), (None, None)) if status in ("graded", "unchanged") \
            else (None, None)
        submissions.append({"assignment": assignment, "student": student, "status": status, "score": score,
                            "max_score": max_score, "reason": reason, "notes": notes.get((assignment, student), [])})
    summary = {"graded": len(report.graded), "unchanged": len(report.skipped), "failed": len(report.failed),
               "not_graded": len(report.pending), "seconds": round(report.seconds, 3),
               "stopped": report.stopped or None, "exit_code": report.exit_code, "isolation": report.isolation,
               "lines": report.summary().splitlines() + ([problem] if problem else [])}
    return {"submissions": submissions, "summary": summary}


def write_json(report, db_url, path):
    """Write :func:`outcomes` to ``path`` (replacing it in one step)."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(outcomes(report, db_url), indent=1, ensure_ascii=True) + "\n")
    os.replace(partial, path)
