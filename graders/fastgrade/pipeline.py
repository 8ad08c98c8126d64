"""nbgrader's Autograde steps around execution, run in the grading worker instead of the coordinator.

For each notebook, stock ``nbgrader autograde`` runs its sanitizing
preprocessors (ClearOutput, DeduplicateIds, OverwriteKernelspec,
OverwriteCells, CheckCellMetadata), executes the notebook, then runs the
autograde ones (IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
SaveAutoGrades, AssignLatePenalties, CheckCellMetadata), as the course
configures them.  The worker runs the same steps with nbgrader's own classes
and exporter, except where a step would open the gradebook:

- OverwriteKernelspec and OverwriteCells ask a
  :class:`~graders.fastgrade.gradebook.CellsSnapshot` of the assignment,
  read once by the coordinator and shipped with every submission;
- SaveAutoGrades becomes :class:`RecordAutoGrades`, which computes the same
  scores and comments (``nbgrader.utils``) for the coordinator to write;
- AssignLatePenalties is left to the coordinator, which alone writes rows.

The submission's notebooks are rebuilt here too (:func:`graders.fastgrade.intake.rebuild`),
from the bytes the coordinator read, so the coordinator never parses a learner's notebook.
The warnings nbgrader's steps log about a notebook (a cell's points or
checksum changed, a partial-credit output it cannot read) come back as the
submission's notes (:class:`NbgraderMessages`): a grading worker has no
terminal the instructor sees.
"""

import json
from dataclasses import dataclass

import nbformat
from nbgrader import utils
from nbgrader.preprocessors import (
    AssignLatePenalties,
    Execute,
    NbGraderPreprocessor,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)
from traitlets.config import Config
from traitlets.utils.importstring import import_item

from graders.fastgrade import execute
from graders.fastgrade.gradebook import CellsSnapshot, GradedNotebook
from graders.fastgrade.intake import Originals, Submitted, rebuild
from graders.fastgrade.nbgrader_log import NbgraderMessages


class SnapshotOverwriteKernelspec(OverwriteKernelspec):
    """nbgrader's OverwriteKernelspec, reading the source notebook's kernelspec from the snapshot."""

    snapshot: CellsSnapshot = None

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        kernelspec = self.snapshot.find_notebook(info["notebook"], info["assignment"]).kernelspec
        if kernelspec:
            nb.metadata["kernelspec"] = json.loads(kernelspec)
        return nb, resources


class SnapshotOverwriteCells(OverwriteCells):
    """nbgrader's OverwriteCells (every check, and ``add_missing_cells``), asking the snapshot for the cells."""

    snapshot: CellsSnapshot = None

    def preprocess(self, nb, resources):
        self.notebook_id = resources["nbgrader"]["notebook"]
        self.assignment_id = resources["nbgrader"]["assignment"]
        self.db_url = resources["nbgrader"]["db_url"]
        self.gradebook = self.snapshot  # answers find_source_cell, find_graded_cell and find_notebook
        nb, resources = NbGraderPreprocessor.preprocess(self, nb, resources)
        if self.add_missing_cells:
            nb, resources = self.add_missing_grade_cells(nb, resources)
            nb, resources = self.add_missing_task_cells(nb, resources)
        return nb, resources


class RecordAutoGrades(SaveAutoGrades):
    """What nbgrader's SaveAutoGrades saves, put in ``resources["nbgrader"]["autograde"]`` instead.

    The scores come from ``nbgrader.utils.determine_grade`` and the comments
    follow ``SaveAutoGrades._add_comment``; the coordinator writes both.
    """

    def preprocess(self, nb, resources):
        self.grades, self.comments = {}, {}
        nb, resources = NbGraderPreprocessor.preprocess(self, nb, resources)
        resources["nbgrader"]["autograde"] = (self.grades, self.comments)
        return nb, resources

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if utils.is_grade(cell):
            self.grades[grade_id], _ = utils.determine_grade(cell, self.log)
        if utils.is_solution(cell) or utils.is_task(cell):
            unchanged = cell.metadata.nbgrader.get("checksum", None) == utils.compute_checksum(cell)
            self.comments[grade_id] = "No response." if unchanged and not utils.is_task(cell) else None
        return cell, resources


# nbgrader's steps that use the gradebook, and what the worker runs in their place (None: the coordinator's job)
STAND_INS = {OverwriteKernelspec: SnapshotOverwriteKernelspec, OverwriteCells: SnapshotOverwriteCells,
             SaveAutoGrades: RecordAutoGrades, AssignLatePenalties: None, Execute: None}


def qualified_steps(preprocessors):
    """A configured preprocessor list (classes or dotted names) as dotted names, Execute left out."""
    names = []
    for step in preprocessors:
        step = import_item(step) if isinstance(step, str) else step
        if step is not Execute:
            names.append(f"{step.__module__}.{step.__qualname__}")
    return names


@dataclass
class AssignmentSetup:
    """What every worker needs to grade one assignment, prepared once by the coordinator."""

    assignment: str
    db_url: str
    cells: CellsSnapshot
    originals: Originals
    sanitize: list  # dotted names of Autograde.sanitize_preprocessors
    autograde: list  # dotted names of Autograde.autograde_preprocessors, Execute left out
    exporter: str  # dotted name of Autograde.exporter_class


@dataclass
class Submission:
    """One student's submission as the coordinator ships it: the assignment's setup and the files read."""

    student: str
    setup: AssignmentSetup
    submitted: Submitted

    def grade(self, files, config):
        """Rebuild, sanitize, execute and score every notebook: (GradedNotebook list, notes and events)."""
        setup = self.setup
        intake = rebuild(self.submitted, setup.originals)
        graded, events = [], []
        with execute.kernel_runner(files, config, setup.assignment) as run:
            for name, notebook in intake.notebooks.items():
                messages = NbgraderMessages(name)
                sanitize = self._exporter(config, setup.sanitize, messages.logger)
                autograde = self._exporter(config, setup.autograde, messages.logger)
                # Each stage reads what the one before wrote, exactly as nbgrader's files go.
                text, _ = sanitize.from_notebook_node(nbformat.reads(nbformat.writes(notebook), as_version=4),
                                                      self._resources(name))
                executed = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
                events += run(executed)
                text, resources = autograde.from_notebook_node(
                    nbformat.reads(nbformat.writes(executed), as_version=4), self._resources(name))
                grades, comments = resources["nbgrader"].get("autograde", ({}, {}))
                graded.append(GradedNotebook(name, text, grades, comments))
                events += messages.notes
        return graded, intake.notes + events

    def _exporter(self, config, steps, log):
        """nbgrader's exporter for one stage: ``steps`` registered as Autograde registers them, logging to ``log``."""
        merged = Config(config)
        merged.Exporter.default_preprocessors = []  # as nbgrader's BaseConverter sets it
        exporter = import_item(self.setup.exporter)(config=merged)
        exporter.log = log  # its steps log to their parent's logger
        exporter._preprocessors = []
        for name in steps:
            step = import_item(name)
            step = STAND_INS.get(step, step)
            if step is not None:
                instance = step(parent=exporter)  # what register_preprocessor makes of a class
                if hasattr(instance, "snapshot"):
                    instance.snapshot = self.setup.cells
                exporter.register_preprocessor(instance)
        return exporter

    def _resources(self, name):
        """What nbgrader's ``init_single_notebook_resources`` and ``from_filename`` give each notebook."""
        notebook = name[: -len(".ipynb")]
        return {"unique_key": notebook, "output_files_dir": f"{notebook}_files",
                "metadata": {"name": notebook, "path": ""},
                "nbgrader": {"student": self.student, "assignment": self.setup.assignment,
                             "notebook": notebook, "db_url": self.setup.db_url}}
