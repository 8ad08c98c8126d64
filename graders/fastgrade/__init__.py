"""Fast, resumable autograding with stock nbgrader semantics.

``nbgrader autograde`` starts a new kernel for every notebook and runs one
notebook after another.  This package keeps nbgrader's own preprocessors and
gradebook writes in one coordinator process, and runs the notebooks in
parallel workers whose kernels are forked from a *zygote*: a process that has
already imported NumPy, SciPy, scikit-learn and matplotlib but never runs
anyone's code.  Every submission still gets a brand-new kernel process.
"""
