"""nbconvert preprocessors used when nbgrader generates feedback for students."""

from nbgrader.preprocessors import NbGraderPreprocessor


class ShortenTestTracebacks(NbGraderPreprocessor):
    """Show only ``ErrorName: message`` for errors in graded test cells.

    A traceback through a hidden test quotes its code (nbgrader issue 917);
    the check's message already says what went wrong and why, so nothing
    useful to the student is lost.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources
