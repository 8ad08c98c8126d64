"""Reference solutions for the course, one module per assignment.

Each graded function of ``shared/spec/exercises.md`` is written here once; the
source notebooks copy its body into their solution regions at build time, and
the hidden checks in :mod:`graders` use it as the oracle.
"""
