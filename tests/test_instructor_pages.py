"""Do the instructor's pages work in a real browser: the class report, a student's feedback, the formgrader?

One assignment of the demo (``mdsi-course demo``'s own code, seven simulated
students, graded in the jail) makes the course; headless Chromium opens
each page as a person would.  Screenshots land in ``tests/artifacts/``.
"""

import subprocess
import sys

import pytest

from graders.demo import simulated_class
from graders.exercises import exercises
from tests.browser import jupyter_server, offline_requests, screenshot, wider_than_window

ASSIGNMENT = "ch03_loss_functions"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo's course directory for one assignment, graded, with feedback and the class report.

    The demo runs in its own process, so that its kernel zygote (published in
    the environment) does not outlive it in the test process.
    """
    course = tmp_path_factory.mktemp("demo") / "demo-course"
    script = "import sys; from graders.demo import run_demo; run_demo(sys.argv[1], (sys.argv[2],), rebuild=False)"
    done = subprocess.run([sys.executable, "-c", script, str(course), ASSIGNMENT], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return course


def test_report_page_renders_every_plot_within_the_window(demo, page):
    requests = offline_requests(page)
    page.goto((demo / "report.html").as_uri())
    plots = page.locator("figure svg")
    assert plots.count() == 4  # class averages, standing; the assignment's outcome bars and score histogram
    for index in range(plots.count()):
        box = plots.nth(index).bounding_box()
        assert box["width"] > 300 and box["height"] > 100, (index, box)
    assert page.get_by_text("absolute error").count() >= 1, "the catalogued mistakes are listed"
    assert wider_than_window(page) == []
    screenshot(page, "report")
    page.set_viewport_size({"width": 720, "height": 900})
    assert wider_than_window(page) == [], "a narrow window too"
    screenshot(page, "report-narrow")
    assert requests == [], "the report loads nothing from the network"


def test_feedback_page_shows_the_summary_and_wraps_every_message(demo, page):
    requests = offline_requests(page)
    page.goto((demo / "feedback" / "gus-mixed" / ASSIGNMENT / f"{ASSIGNMENT}.html").as_uri())
    rows = page.locator("#summary tbody tr")
    names = [ex.name for ex in exercises(ASSIGNMENT)]
    assert rows.count() == len(names)
    assert [rows.nth(i).locator("code").inner_text() for i in range(len(names))] == names
    assert "Likely mistake" in page.locator("#summary").inner_text()
    clipped = page.evaluate("""() => [...document.querySelectorAll('pre, .output_subarea, #summary td')]
        .filter(e => e.scrollWidth > e.clientWidth).map(e => e.textContent.slice(0, 80))""")
    assert clipped == [], "every message wraps: scrollWidth <= clientWidth"
    math = page.locator("math")
    assert math.count() > 10 and math.first.bounding_box()["width"] > 5, "math is drawn without MathJax"
    assert wider_than_window(page) == []
    screenshot(page, "feedback")
    assert requests == [], "the feedback loads nothing from the network"


def test_formgrader_on_the_demo_course_lists_its_submissions(demo, page, tmp_path):
    with jupyter_server(demo, tmp_path) as url:
        page.goto(f"{url}/formgrader/manage_submissions/{ASSIGNMENT}")
        page.wait_for_selector("text=gus-mixed", timeout=30_000)
        listed = page.inner_text("body")
        assert all(student in listed for student in simulated_class(ASSIGNMENT)), listed
        screenshot(page, "formgrader-submissions")
