"""Print the mutation table: how many wrong and correct implementations each check was run against."""

from graders.engine import Status, evaluate
from graders.exercises import exercises, is_errors_cell


def mutation_counts(assignment):
    """Counts for one assignment: functions, tests, points, mistakes rejected, variants accepted.

    "error points" are the points of ``test_F_errors`` cells, the only ones that
    grade raising; "book mistakes" counts catalogued mistakes that embody one of
    the book's "common mistakes"; "minimal accepted" counts functions whose
    implementation that validates only what the stub's Raises section lists
    passes every cell.
    """
    declared = exercises(assignment)
    counts = {"functions": len(declared), "graded tests": 0, "points": 0, "error points": 0,
              "mistakes": 0, "mistakes rejected": 0, "book mistakes": 0,
              "variants": 0, "variants accepted": 0, "minimal accepted": 0}
    for exercise in declared:
        counts["graded tests"] += len(exercise.tests)
        counts["points"] += sum(t.points for t in exercise.tests)
        counts["error points"] += sum(t.points for t in exercise.tests if is_errors_cell(exercise, t))
        for mistake in exercise.mistakes:
            counts["mistakes"] += 1
            counts["book mistakes"] += bool(mistake.book)
            counts["mistakes rejected"] += any(
                evaluate(exercise, t, mistake.impl).status is Status.FAILED for t in exercise.tests)
        for variant in exercise.variants:
            counts["variants"] += 1
            accepted = all(evaluate(exercise, t, variant).status is Status.PASSED for t in exercise.tests)
            counts["variants accepted"] += accepted
            counts["minimal accepted"] += accepted and variant is exercise.minimal
    return counts


def mutation_table(assignments):
    """The counts of every assignment as a text table."""
    rows = {a: mutation_counts(a) for a in assignments}
    columns = list(next(iter(rows.values())))
    width = max(len(c) for c in columns) + 2
    lines = ["assignment".ljust(32) + "".join(c.rjust(width) for c in columns)]
    lines += [a.ljust(32) + "".join(str(v).rjust(width) for v in r.values()) for a, r in rows.items()]
    totals = [sum(r[c] for r in rows.values()) for c in columns]
    lines.append("total".ljust(32) + "".join(str(v).rjust(width) for v in totals))
    return "\n".join(lines)
