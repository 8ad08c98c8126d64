"""Failures that stop a whole grading run rather than one submission.

One broken submission never stops a batch; but when every further submission
would fail the same way (the gradebook is unreachable, no worker can run a
notebook), grading more only multiplies the same error.  Such a failure is
raised as :class:`SystemicFailure`: the run stops once, keeps what it
committed, and prints one message saying what is wrong and how to resume.
"""


class SystemicFailure(RuntimeError):
    """Every further submission would fail the same way; the message says why and what to do."""
