"""Classroom tools: student versions of the notebooks, and grading a class.

============ ==========================================================
module       what it holds
============ ==========================================================
authoring    the cells of an exercise section (for notebook authors)
student      student versions: solutions and hidden tests removed
submissions  which files are submissions, whose, graded by which notebook
restore      the teacher's copy is the truth: check cells put back
sandbox      limits, clean environment, own user, bubblewrap
confine      the small launcher that applies limits and drops privileges
runner       one submission in a process of its own
judge        a check run in the grader on answers fetched as data
wire         the plain-data format of those answers
dispatch     local workers, or a Dask distributed cluster
reports      score table, JSON report, gradebook CSV (escaped)
grading      ``grade_notebooks``, tying it together
============ ==========================================================

The command line exposes them as ``python -m chapter2 assignments`` and
``python -m chapter2 grade``.
"""
