"""Regenerate the small notebooks the classroom tests grade.

Run from the repository root: ``python tests/data/make_classroom_fixtures.py``.
The notebooks are tiny on purpose: grading starts a kernel per notebook, and
the tests should stay fast.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent
IMPORTS = "import numpy as np\nfrom chapter2.exercises.feedback import check_function"


def solution(source, grade_id, hint=None):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False,
                                 "grade_id": grade_id, "schema_version": 3}
    if hint:
        cell.metadata["chapter2_hint"] = hint
    return cell


def check(source, grade_id, points):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                 "points": points, "grade_id": grade_id, "schema_version": 3}
    return cell


def notebook(cells):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def instructor():
    """Two exercises, both solved: grading gives 3 / 3; its student version 0 / 3."""
    return notebook([
        new_markdown_cell("# Fixture: two tiny exercises"),
        new_code_cell(IMPORTS),
        solution("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
                 "double-solution", hint="return twice x"),
        check('check_function(double, lambda x: 2 * x, [(np.arange(3.0),)], task="double")',
              "double-check", 1),
        new_markdown_cell("Now squares."),
        solution("def square(x):\n    ### BEGIN SOLUTION\n    result = x * x\n"
                 "    return result\n    ### END SOLUTION", "square-solution"),
        check('check_function(square, np.square, [(np.arange(4.0),)], task="square")',
              "square-check", 2),
    ])


def broken():
    """A student's notebook with a syntax error, an infinite loop, a right and a wrong answer."""
    return notebook([
        new_code_cell(IMPORTS),
        solution("def double(x):\n    return 2 * * x", "double-solution"),
        check('check_function(double, lambda x: 2 * x, [(np.arange(3.0),)], task="double")',
              "double-check", 1),
        solution("def square(x):\n    while True:\n        pass", "square-solution"),
        check('check_function(square, np.square, [(np.arange(4.0),)], task="square")',
              "square-check", 2),
        solution("def triple(x):\n    return 3 * x", "triple-solution"),
        check('check_function(triple, lambda x: 3 * x, [(np.arange(2.0),)], task="triple")',
              "triple-check", 4),
        solution("def half(x):\n    return x / 3", "half-solution"),
        check('check_function(half, lambda x: x / 2, [(np.arange(2.0),)], task="half")',
              "half-check", 8),
    ])


def stubborn():
    """A student cell whose kernel ignores interrupts: grading must replace the kernel and go on."""
    return notebook([
        new_code_cell(IMPORTS),
        solution("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
                 "stuck-solution"),
        check('check_function(stuck, lambda: 1, [()], task="stuck")', "stuck-check", 1),
        solution("def one():\n    return 1", "one-solution"),
        check('check_function(one, lambda: 1, [()], task="one", check_dtype=False)',
              "after-restart-check", 1),
    ])


if __name__ == "__main__":
    for name, make in [("classroom_instructor", instructor), ("classroom_broken", broken),
                       ("classroom_stubborn", stubborn)]:
        nbformat.write(make(), HERE / f"{name}.ipynb")
    (HERE / "classroom_not_a_notebook.ipynb").write_text("this is not JSON\n")
