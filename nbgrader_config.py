"""nbgrader configuration of the course (the repository root is the course directory)."""

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "mdsi"
# Notebook templates and instructor notes never belong in a release.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py"]

# source/ is built by `mdsi-course build`; generating a release from a source
# notebook edited by hand (say, from the formgrader's link) fails and says
# where the edit belongs (graders/source_guard.py).
from nbgrader.converters import GenerateAssignment  # noqa: E402

c.GenerateAssignment.preprocessors = ["graders.source_guard.RequireBuiltSource", *(
    f"{step.__module__}.{step.__name__}" for step in GenerateAssignment.class_traits()["preprocessors"].default())]

# A correct function that triggers a warning (a NumPy RuntimeWarning, a
# DeprecationWarning) writes to stderr, and stock nbgrader scores any stderr
# output in a test cell as a failure.  Drop stderr output that is a warning.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(?i)warn"

# One broken submission (an infinite loop) must not hold up the whole class.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# The exchange is where `nbgrader release_assignment` / `collect` meet the
# students: a directory all users can reach on a shared server, sticky like
# /tmp (chmod 1777) so that no user can rename another's folder.  Students
# point at the same folder (`mdsi-setup --exchange DIR`, README "Student
# workflow"); MDSI_EXCHANGE overrides it (the round-trip test uses a temporary one).
import os  # noqa: E402

c.Exchange.root = os.environ.get("MDSI_EXCHANGE", "/srv/nbgrader/exchange")

# Collect without following students' links or believing their timestamp.txt:
# `nbgrader collect` and the formgrader's Collect button run the same hardened
# collect as `mdsi-course collect` (README, "Collect").
c.ExchangeFactory.collect = "graders.collect.HardenedCollect"

# Feedback goes to students: strip the hidden-test regions and the tracebacks that
# quote them, keeping each check's message (nbgrader issue 917); a summary table
# names every exercise with its points and diagnosis; math is MathML, so the
# page loads nothing from the network (graders/feedback.py).
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "graders.feedback.ClearHiddenTests",
    "graders.feedback.ShortenTestTracebacks",
    "graders.feedback.FeedbackSummary",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
c.GenerateFeedback.exporter_class = "graders.feedback.FeedbackExporter"
c.FeedbackExporter.template_name = "mdsi_feedback"
from graders.feedback import TEMPLATE_DIRS  # noqa: E402

c.FeedbackExporter.extra_template_basedirs = TEMPLATE_DIRS

# nbgrader's gradebook code triggers harmless "not in session" warnings under
# SQLAlchemy 2; keep them out of instructors' terminals (this process only,
# never the kernels that run students' code).
import warnings  # noqa: E402

from sqlalchemy.exc import SAWarning  # noqa: E402

warnings.filterwarnings("ignore", category=SAWarning, module="nbgrader")

# The formgrader shows learners' notebooks on the Jupyter server's origin: nothing of theirs may run there
# (graders/formgrader.py).  The feedback keeps its own markdown, math as MathML, and shows only the student.
c.HTMLExporter.sanitize_html = True
c.HTMLExporter.filters = {"markdown2html": "graders.formgrader.markdown2html"}
c.FeedbackExporter.sanitize_html = False
c.FeedbackExporter.filters = {}
