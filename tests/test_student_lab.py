"""Does a student's JupyterLab work in a real browser: Run All, the test cells, Validate, the Assignments tab?

One JupyterLab server for the module, started as ``mdsi-setup`` leaves a
student's Jupyter (instructor panels off, the course's exchange), on
127.0.0.1 in a temporary folder holding ch05's release twice (untouched, and
with exercise 1 right and exercise 2 wrong); the exchange has ch05 released.
Headless Chromium works the notebook as a student would.  Screenshots land in
``tests/artifacts/``.
"""

import json
import shutil
import time
import urllib.error
import urllib.request

import nbformat
import pytest
from mdsi_selfcheck.student_setup import configure

from graders.exercises import exercises
from graders.notebook_build import ROOT
from graders.submissions import fill
from tests.browser import jupyter_server, screenshot

ASSIGNMENT = "ch05_information_criteria"  # seven exercises, one test cell each for the first three
RELEASE = ROOT / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
TOKEN = "student-lab-test"
NAMES = [exercise.name for exercise in exercises(ASSIGNMENT)]
WRONG = "sign of log L flipped"  # a catalogued mistake of aic (exercise 2) that its public test rejects



@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The URL of a student's JupyterLab serving ``untouched/`` and ``mixed/`` copies of the release."""
    scratch = tmp_path_factory.mktemp("student-lab")
    root = scratch / "work"
    release = nbformat.read(RELEASE, as_version=4)
    mixed = fill(release, ASSIGNMENT, {NAMES[0]: "reference", NAMES[1]: f"mistake:{WRONG}"})
    for folder, notebook in (("untouched", release), ("mixed", mixed)):
        (root / folder).mkdir(parents=True)
        nbformat.write(notebook, root / folder / f"{ASSIGNMENT}.ipynb")
    exchange = scratch / "exchange"
    (exchange / "mdsi" / "outbound").mkdir(parents=True)
    shutil.copytree(RELEASE.parent, exchange / "mdsi" / "outbound" / ASSIGNMENT)  # as release_assignment leaves it
    exchange.chmod(0o1777)
    configure(scratch / "cfg", exchange=str(exchange))
    # Draw every cell, not only those in view (JupyterLab's default windowing), so the page holds all
    # outputs; ask nothing about news (the machine is offline, and the question covers the screenshots).
    settings = scratch / "cfg" / "lab" / "user-settings" / "@jupyterlab"
    for plugin, values in (("notebook-extension/tracker", {"windowingMode": "none"}),
                           ("apputils-extension/notification", {"fetchNews": "false", "checkForUpdates": False})):
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(values))
    with jupyter_server(root, scratch, app="jupyter-lab", token=TOKEN) as url:
        yield url


def _open(page, url, path):
    """Open a notebook and wait until its kernel has started and is idle (before that, Run asks for a kernel)."""
    page.goto(f"{url}/lab/tree/{path}?reset&token={TOKEN}")  # reset: not the tabs an earlier test left open
    page.wait_for_selector('.jp-Toolbar-kernelName[aria-label="Python 3 (ipykernel)"]', timeout=60_000)
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', state="attached", timeout=60_000)


def _run_all(page, settle=3.0, limit=60.0):
    """Run > Run All Cells; return the code cells' prompts once the last cell ran or nothing changed for ``settle`` s.

    JupyterLab clears the queued marks of later cells when one fails, even
    where the kernel goes on running them (``raises-exception``), so neither
    the marks nor a moment of idle kernel say that the run is over.
    """
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt")
    seen, since, deadline = None, time.monotonic(), time.monotonic() + limit
    while time.monotonic() < deadline:
        now = (prompts.all_inner_texts(), page.locator(".jp-Notebook-ExecutionIndicator").get_attribute("data-status"))
        if now[0][-1].strip("[]: ").isdigit():
            return now[0]
        if now != seen:
            seen, since = now, time.monotonic()
        elif now[1] == "idle" and time.monotonic() - since > settle:
            return now[0]
        time.sleep(0.25)
    raise AssertionError(f"Run All did not finish in {limit} s: prompts {seen[0]}")


def _test_cell_outputs(page):
    """grade id -> the text of that test cell's outputs, read from the page."""
    outputs = page.locator(".jp-CodeCell").all()
    texts = [cell.locator(".jp-OutputArea").inner_text() for cell in outputs]
    notebook = nbformat.read(RELEASE, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    return {cell.metadata.nbgrader["grade_id"]: text for cell, text in zip(code, texts, strict=True)
            if cell.metadata.get("nbgrader", {}).get("grade")}


def test_run_all_on_the_untouched_release_reaches_the_end(lab, page):
    _open(page, lab, f"untouched/{ASSIGNMENT}.ipynb")
    prompts = _run_all(page)
    screenshot(page, "student-lab-untouched")
    assert prompts[-1].strip("[]: ").isdigit(), f"the last cell did not run: prompts {prompts}"
    outputs = _test_cell_outputs(page)
    for grade_id, text in outputs.items():
        assert "not attempted" in text and "Traceback" not in text, (grade_id, text)
    progress = page.locator(".jp-CodeCell").last.locator(".jp-OutputArea").inner_text()
    assert all(name in progress for name in NAMES), progress


def test_one_right_and_one_wrong_exercise_read_in_a_line_each(lab, page):
    _open(page, lab, f"mixed/{ASSIGNMENT}.ipynb")
    prompts = _run_all(page)
    screenshot(page, "student-lab-mixed")
    assert prompts[-1].strip("[]: ").isdigit(), f"the last cell did not run: prompts {prompts}"
    outputs = _test_cell_outputs(page)
    passed, failed = outputs[f"test_{NAMES[0]}"], outputs[f"test_{NAMES[1]}"]
    assert passed.strip() == f"Exercise 1 - {NAMES[0]}: public tests pass"
    assert "aic(-120, 3)" in failed and "Traceback" not in failed and len(failed.splitlines()) <= 8, failed
    assert all("Traceback" not in text for text in outputs.values())


def test_validate_button_reports_the_wrong_exercise_only(lab, page):
    _open(page, lab, f"mixed/{ASSIGNMENT}.ipynb")
    page.get_by_role("button", name="Validate").click()
    page.wait_for_selector(".jp-Dialog >> text=Validation Results", timeout=90_000)
    report = page.inner_text(".jp-Dialog")
    screenshot(page, "student-lab-validate")
    assert "aic(-120, 3) and aic(-115, 6) returned" in report, report
    assert f"{NAMES[0]}(10.0, 4) returned" not in report, "exercise 1 is right"


def test_assignments_tab_lists_the_release_and_no_instructor_panel(lab, page):
    page.goto(f"{lab}/lab?reset&token={TOKEN}")
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    entries = page.locator(".lm-Menu-itemLabel").all_inner_texts()
    assert [entry for entry in entries if entry.strip()] == ["Assignment List"], "students see no formgrader"
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    page.wait_for_selector(f"#released_assignments_list >> text={ASSIGNMENT}", timeout=30_000)
    screenshot(page, "student-lab-assignments")
    assert "Error fetching" not in page.inner_text("body")
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{lab}/formgrader?token={TOKEN}", timeout=10)
    assert missing.value.code == 404, "the formgrader's server extension is off"
