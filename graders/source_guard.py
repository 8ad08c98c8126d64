"""Stop hand edits of the built source notebooks before they are released or silently overwritten.

``source/<id>/<id>.ipynb`` is build output (``mdsi-course build``), but it is
what the formgrader links to, so an instructor may edit it there.  The build
stamps each source notebook with a short hash of every cell; a notebook whose
cells no longer match its stamp was edited by hand.  Then ``nbgrader
generate_assignment`` (and the formgrader's "Generate" button) fails, through
:class:`RequireBuiltSource`, and the build refuses to overwrite the edit,
both saying where the edit belongs.
"""

import hashlib
import json

from nbgrader.preprocessors import NbGraderPreprocessor

STAMP = "mdsi_build"


class HandEdited(Exception):
    """A built source notebook was edited after it was built."""


def cell_digest(cell):
    """12 hex digits over what makes a cell: its type, source and nbgrader metadata (not outputs)."""
    what = [cell.cell_type, cell.source, cell.metadata.get("nbgrader", {})]
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()[:12]


def edit_instead(assignment):
    """The hand-written files an edit of ``assignment``'s source notebook belongs in."""
    return [f"templates/{assignment}.py", f"solutions/{assignment}.py", f"graders/exercises/{assignment}.py"]


def stamp(notebook, assignment):
    """Record in ``notebook``'s metadata that the build made it, and the digest of each cell."""
    notebook.metadata[STAMP] = {"edit_instead": edit_instead(assignment),
                                "cells": [cell_digest(c) for c in notebook.cells]}
    return notebook


def hand_edits(notebook):
    """How the notebook's cells differ from its stamp, in words; empty if it is as built (or never stamped)."""
    built = notebook.metadata.get(STAMP, {}).get("cells")
    if built is None:
        return []
    now = [cell_digest(c) for c in notebook.cells]
    changes = []
    for number, (cell, digest) in enumerate(zip(notebook.cells, now, strict=True), start=1):
        if digest not in built:
            first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "(empty)")
            changes.append(f"cell {number} ({cell.cell_type}: {first[:50]})")
    removed = len(built) - len(now)
    if removed > 0:
        changes.append(f"{removed} built cell(s) deleted")
    return changes


def check_unedited(notebook, path):
    """Raise :class:`HandEdited`, saying where the edit belongs, if ``notebook`` (read from ``path``) was edited."""
    changes = hand_edits(notebook)
    if changes:
        files = " / ".join(notebook.metadata[STAMP]["edit_instead"])
        raise HandEdited(
            f"{path} was edited by hand after `mdsi-course build` made it ({'; '.join(changes[:5])}). "
            f"It is build output, so the edit would be lost at the next build or released unchecked. "
            f"Move the edit to {files} (prose and public tests / reference code / hidden checks and points), "
            f"then run `make build`; `mdsi-course build --overwrite` discards the hand edit.")


class RequireBuiltSource(NbGraderPreprocessor):
    """First step of ``generate_assignment``: refuse a hand-edited source notebook; drop the build stamp."""

    def preprocess(self, nb, resources):
        path = resources.get("metadata", {}).get("path", "source")
        check_unedited(nb, f"{path}/{resources.get('unique_key', 'notebook')}.ipynb")
        nb.metadata.pop(STAMP, None)
        return nb, resources
