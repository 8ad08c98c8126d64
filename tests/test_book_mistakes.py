"""Does docs/book-mistakes.md account for every common mistake of the book, as the checks do?

Each of the book's 65 "common mistakes" (chapters 2-9) has one row. A row that
names a catalogued mistake must name one that exists and is tagged with the
row's id, and every tagged mistake must be named in its row: the page and the
checks cannot drift apart.  That the catalogued mistakes are rejected and named
is proven by the mutation table.
"""

import re

import pytest

from graders.exercises import ASSIGNMENTS, exercises
from graders.notebook_build import ROOT

PAGE = ROOT / "docs" / "book-mistakes.md"

# How many common mistakes the book lists under each interview question.
BOOK_COUNTS = {1: 3, 2: 2, 3: 2, **dict.fromkeys(range(4, 18), 2), 18: 4, 19: 4, 20: 3, 21: 3, 22: 3, 23: 3,
               24: 2, 25: 2, 26: 3, 27: 3}


def _rows():
    """[(assignment, id, where)] for every table row of the page."""
    rows, assignment = [], None
    for line in PAGE.read_text().splitlines():
        heading = re.match(r"## Chapter \d - .*\(`(ch\d\d_\w+)`\)", line)
        if heading:
            assignment = heading.group(1)
        row = re.match(r"\| (Q\d+\.\d+) \| (.+?) \| (.+) \|$", line)
        if row:
            rows.append((assignment, row.group(1), row.group(3)))
    return rows


ROWS = _rows()


def test_every_common_mistake_of_the_book_has_one_row():
    ids = [row_id for _, row_id, _ in ROWS]
    expected = [f"Q{q}.{k}" for q, count in BOOK_COUNTS.items() for k in range(1, count + 1)]
    assert ids == expected and len(ids) == 65


def test_every_row_says_where_the_mistake_is_handled():
    for _, row_id, where in ROWS:
        assert re.search(r"§\d|check `|as Q\d|introduction", where), f"{row_id}: {where!r}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_named_checks_exist_and_carry_the_row_id(assignment):
    catalogue = {(ex.name, m.name): m for ex in exercises(assignment) for m in ex.mistakes}
    named = set()
    for page_assignment, row_id, where in ROWS:
        for exercise, mistake in re.findall(r'check `(\w+)`: "([^"]+)"', where):
            if page_assignment != assignment:
                continue
            assert (exercise, mistake) in catalogue, f"{row_id}: no mistake {mistake!r} of {exercise}"
            assert catalogue[exercise, mistake].book == row_id, f"{exercise} {mistake!r} is not tagged {row_id}"
            named.add((exercise, mistake))
    tagged = {key for key, mistake in catalogue.items() if mistake.book}
    assert tagged == named, f"tagged but not on the page: {sorted(tagged - named)}"
