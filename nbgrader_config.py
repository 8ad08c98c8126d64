"""nbgrader configuration of the course (the repository root is the course directory)."""

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "mdsi"
# Notebook templates and instructor notes never belong in a release.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py"]

# A correct function that triggers a warning (a NumPy RuntimeWarning, a
# DeprecationWarning) writes to stderr, and stock nbgrader scores any stderr
# output in a test cell as a failure.  Drop stderr output that is a warning.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(?i)warn"

# One broken submission (an infinite loop) must not hold up the whole class.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# The exchange is where `nbgrader release_assignment` / `collect` meet the
# students; point it at a directory all users can reach on a shared server,
# sticky like /tmp (chmod 1777) so that no user can rename another's folder.
# c.Exchange.root = "/srv/nbgrader/exchange"

# Collect without following students' links or believing their timestamp.txt:
# `nbgrader collect` and the formgrader's Collect button run the same hardened
# collect as `mdsi-course collect` (README, "Collect").
c.ExchangeFactory.collect = "graders.collect.HardenedCollect"

# Feedback goes to students: strip the hidden-test regions and the tracebacks that
# quote them, keeping each check's message (nbgrader issue 917).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "graders.feedback.ShortenTestTracebacks",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# nbgrader's gradebook code triggers harmless "not in session" warnings under
# SQLAlchemy 2; keep them out of instructors' terminals (this process only,
# never the kernels that run students' code).
import warnings  # noqa: E402

from sqlalchemy.exc import SAWarning  # noqa: E402

warnings.filterwarnings("ignore", category=SAWarning, module="nbgrader")
