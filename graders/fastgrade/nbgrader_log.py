"""What nbgrader logs about one submission, kept as notes for the grading report.

Stock ``nbgrader autograde`` prints its steps' warnings (a cell's points or
checksum changed, a partial-credit output it cannot read, a late penalty
adjusted) on the instructor's terminal.  Under ``mdsi-course grade`` those
steps run in grading workers, often on other machines, so each step logs to a
private logger instead and its messages travel back as the submission's notes,
which name the student and the assignment.
"""

import logging


class NbgraderMessages(logging.Handler):
    """The warnings and errors nbgrader's steps log while grading one notebook, as one-line notes."""

    def __init__(self, notebook):
        super().__init__(logging.WARNING)
        self.notebook, self.notes = notebook, []
        self.logger = logging.Logger("nbgrader")  # private: never shared with another submission
        self.logger.addHandler(self)

    def emit(self, record):
        note = f"nbgrader ({self.notebook}): {' '.join(record.getMessage().split())}"
        if note not in self.notes:
            self.notes.append(note)
