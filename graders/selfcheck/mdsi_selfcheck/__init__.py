"""Student self-check: run a notebook in a fresh kernel and report each exercise.

It only runs the public tests that are in the student's own notebook; the
hidden tests and the reference solutions never leave the instructor's side.
"""
