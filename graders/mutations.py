"""Print the mutation table: how many wrong and correct implementations each check was run against."""

from graders.engine import Status, evaluate
from graders.exercises import exercises


def mutation_counts(assignment):
    """Counts for one assignment: functions, tests, points, mistakes rejected, variants accepted."""
    declared = exercises(assignment)
    counts = {"functions": len(declared), "graded tests": 0, "points": 0,
              "mistakes": 0, "mistakes rejected": 0, "variants": 0, "variants accepted": 0}
    for exercise in declared:
        counts["graded tests"] += len(exercise.tests)
        counts["points"] += sum(t.points for t in exercise.tests)
        for mistake in exercise.mistakes:
            counts["mistakes"] += 1
            counts["mistakes rejected"] += any(
                evaluate(exercise, t, mistake.impl).status is Status.FAILED for t in exercise.tests)
        for variant in exercise.alternatives:
            counts["variants"] += 1
            counts["variants accepted"] += all(
                evaluate(exercise, t, variant).status is Status.PASSED for t in exercise.tests)
    return counts


def mutation_table(assignments):
    """The counts of every assignment as a text table."""
    rows = {a: mutation_counts(a) for a in assignments}
    columns = list(next(iter(rows.values())))
    lines = ["assignment".ljust(32) + "".join(c.rjust(19) for c in columns)]
    lines += [a.ljust(32) + "".join(str(v).rjust(19) for v in r.values()) for a, r in rows.items()]
    totals = [sum(r[c] for r in rows.values()) for c in columns]
    lines.append("total".ljust(32) + "".join(str(v).rjust(19) for v in totals))
    return "\n".join(lines)
