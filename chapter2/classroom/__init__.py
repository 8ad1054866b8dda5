"""Classroom tools: student versions of the notebooks and headless grading.

:mod:`chapter2.classroom.student` turns the instructor notebooks (nbgrader
format) into student versions; :mod:`chapter2.classroom.grading` runs student
notebooks without a browser and scores their exercise checks. The command
line exposes both as ``python -m chapter2 assignments`` and
``python -m chapter2 grade``.
"""
