"""Which failures stop a whole grading run (:class:`SystemicFailure`), and the one message each gives.

A submission's own failure (a notebook nbgrader cannot read) is reported and
the run goes on.  These stop it instead, because every further submission would
fail the same way:

* the gradebook database cannot be used (SQLAlchemy's ``OperationalError`` or
  ``InterfaceError``, or a lost connection): PostgreSQL stopped, SQLite locked
  or unreadable;
* the course's disk is full or read-only;
* the first :data:`SAME_FAILURES` submissions of a run all failed for the same
  reason, and none was graded (the coordinator does not ask for a submission
  that is itself unusable: that one always fails alone).
"""

import errno

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from graders.fastgrade.failures import SystemicFailure
from graders.untrusted import shown

SAME_FAILURES = 5
_DISK_ERRORS = {errno.ENOSPC: "is full", errno.EDQUOT: "is over its quota", errno.EROFS: "is read-only"}


def systemic(exc, db_url, doing):
    """``exc`` as a :class:`SystemicFailure` if it would stop every submission, else None.

    ``doing`` says what the coordinator was doing ("recording the grades of ch03 / ada").
    """
    if isinstance(exc, SystemicFailure):
        return exc
    if isinstance(exc, OperationalError | InterfaceError) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return SystemicFailure(f"the gradebook database {database_name(db_url)} failed while {doing}: "
                               f"{_first_line(exc.orig if exc.orig is not None else exc)}")
    if isinstance(exc, OSError) and exc.errno in _DISK_ERRORS:
        return SystemicFailure(f"the disk of {shown(exc.filename or 'the course')} {_DISK_ERRORS[exc.errno]} "
                               f"({doing})")
    return None


def database_name(db_url):
    """The database URL as configured, or with ``***`` for its password if it has one."""
    try:
        url = make_url(db_url)
    except Exception:  # a URL SQLAlchemy cannot parse is shown as it is
        return shown(db_url)
    return shown(url.render_as_string(hide_password=True) if url.password else db_url)


def repeated_failure(report):
    """A SystemicFailure if the run graded nothing yet and its first SAME_FAILURES failures share one reason."""
    if report.graded or len(report.failed) < SAME_FAILURES:
        return None
    reasons = {reason.replace(student, "<student>") for _, student, reason in report.failed}
    if len(reasons) > 1:
        return None
    return SystemicFailure(f"the first {len(report.failed)} submissions all failed the same way, so the others "
                           f"would too: {shown(reasons.pop())}")


def _first_line(exc):
    text = str(exc).strip() or type(exc).__name__
    return shown(text.splitlines()[0], 300)


def check_gradebook(db_url):
    """Raise a SystemicFailure unless the gradebook database accepts a connection (nothing is written)."""
    from sqlalchemy import create_engine

    engine = create_engine(db_url)
    try:
        with engine.connect():
            pass
    except Exception as exc:  # any reason the database cannot be used stops the run before it starts
        raise systemic(exc, db_url, "connecting to it") or SystemicFailure(
            f"the gradebook database {database_name(db_url)} cannot be used: {_first_line(exc)}") from exc
    finally:
        engine.dispose()
