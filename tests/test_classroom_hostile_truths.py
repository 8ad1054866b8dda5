"""Truths out of the students' reach (issue 19: classes 1 and 8, and the notebook-format rules).

The graded class is built as in ``test_classroom_hostile.py``: from a real
``assignments`` handout of notebook 03, whose instructor source gains one
hidden test (it reads ``np``, imported in the notebook's first cell below
``%matplotlib inline``). One run of ``python -m chapter2 grade`` then checks that

* a submission that harvests the installed checks (patches their helpers,
  calls each check once to capture its reference or truth, and re-binds the
  answers before every cell with an IPython ``pre_run_cell`` hook) scores
  what the unanswered notebook scores, and so does one that reads the
  checks' source files for a truth;
* the hidden test runs in the grader (it costs a student who passes only the
  visible check), yet no feedback notebook holds it, and no cheat's feedback
  holds a solution;
* honest students keep full marks and get no "modified check cell" note.

The fast tests below need no kernel: docstrings, the first cell's imports,
and the restored notebook.

SLOW (the graded class): about a minute.
"""

import contextlib
import doctest
import importlib
import io
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from chapter2.classroom.authoring import check_cell, code_cell, solution_cell
from chapter2.classroom.restore import instructor_from_notebook, read_submission, restore
from chapter2.classroom.student import make_student_notebook, write_student_versions
from chapter2.exercises.feedback import CORRECT, NOT_YET

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = "03_elementwise_and_broadcasting.ipynb"
EXERCISE_MODULES = ["first_look", "tensors", "broadcasting", "tensor_product", "geometry", "derivatives",
                    "sgd", "backprop", "looking_back"]
HIDDEN = "hidden-test-5e2b"  # text only the instructor's hidden test holds
HIDDEN_TEST = ("### BEGIN HIDDEN TESTS\n"
               f"assert np.allclose(naive_leaky_relu(np.array([-2.0, 3.0]), 0.5), [-1.0, 3.0]), {HIDDEN!r}\n"
               "### END HIDDEN TESTS")
SOLUTION_LINE = "out[index] = alpha * x[index]"  # in the instructor notebook only

#: One shareable cell: capture every check's reference or truth, re-bind the answers before every cell.
HARVEST = """\
import chapter2.exercises.broadcasting as b
got, stolen = {}, {}
def grab(kind):
    def fake(*args, **kwargs):
        got[kind] = args
    return fake
for helper in ['check_function', 'check_answers', 'check_choice']:
    setattr(b, helper, grab(helper))
for check, answer in [('check_naive_leaky_relu', 'naive_leaky_relu'), ('check_naive_add_column', 'naive_add_column'),
                      ('check_broadcast_predictions', 'my_predictions'), ('check_why_not_columns', 'my_answer')]:
    try:
        getattr(b, check)(lambda *args: None)
        kind, args = got.popitem()
    except Exception as error:
        print('no harvest:', error)
        continue
    if kind == 'check_function':
        stolen[answer] = args[1]
    elif kind == 'check_answers':
        stolen[answer] = lambda truths=list(args[2]): truths
    else:
        stolen[answer] = lambda letter=args[1].answer: letter
def rebind(*_):
    get_ipython().user_ns.update(stolen)
get_ipython().events.register('pre_run_cell', rebind)
rebind()
print('harvested', sorted(stolen))
"""

#: The solution cell of the "why" exercise, answered from the checks' source files.
READ_TRUTH = """\
import pathlib, re
import chapter2.exercises
letter = None
for path in pathlib.Path(chapter2.exercises.__file__).parent.rglob('*.py'):
    try:
        found = re.search(r'WHY_NOT_COLUMNS = Choice\\(.*?\\n    "([a-d])",', path.read_text(), re.S)
    except OSError as error:
        print(error)
        found = None
    letter = letter or (found and found.group(1))
print('read', letter)


def my_answer():
    return letter
"""


# ------------------------------------------------------------------ no kernel

def _check_functions():
    for name in EXERCISE_MODULES:
        module = importlib.import_module(f"chapter2.exercises.{name}")
        for attribute in dir(module):
            check = getattr(module, attribute)
            if attribute.startswith("check_") and check.__module__.rsplit(".", 1)[-1] == name:
                yield f"{name}.{attribute}", check  # the notebook's checks, not feedback's helpers


def test_every_exercise_module_has_checks():
    assert len(list(_check_functions())) == 45  # 38, plus 2 of 08, 1 of 03, 3 of 06 and 1 of 09 (issue 20)


@pytest.mark.parametrize("name, check", list(_check_functions()), ids=lambda v: v if isinstance(v, str) else "")
def test_no_check_docstring_gives_a_passing_answer(name, check):
    """Each check's examples show a first attempt that fails, with its feedback; none passes."""
    tests = [t for t in doctest.DocTestFinder().find(check) if t.examples]
    assert tests, f"{name} has no example of the feedback it gives"
    printed = io.StringIO()
    for test in tests:
        namespace = dict(test.globs)
        with contextlib.redirect_stdout(printed):
            for example in test.examples:
                try:
                    exec(compile(example.source, name, "exec"), namespace)
                except AssertionError:  # ExerciseFailed: the attempt failed, as it should
                    pass
    shown = "".join(e.want for t in tests for e in t.examples)
    assert CORRECT not in printed.getvalue() and CORRECT not in shown, f"{name}'s docstring passes its check"
    assert NOT_YET in printed.getvalue()


def _exercise_notebook(first_cell: str) -> nbformat.NotebookNode:
    hidden = "tensors.check_get_batch(get_batch)\n" + HIDDEN_TEST.replace(
        "naive_leaky_relu(np.array([-2.0, 3.0]), 0.5), [-1.0, 3.0]", "get_batch(np.arange(4), 2, 1), [2, 3]")
    return nbformat.v4.new_notebook(cells=[
        code_cell(first_cell),
        solution_cell("def get_batch(data, size, n):\n    ### BEGIN SOLUTION\n"
                      "    return data[size * n:size * (n + 1)]\n    ### END SOLUTION", "get_batch"),
        check_cell(hidden, "get_batch-check", points=1)])


def test_imports_below_an_ipython_magic_are_the_instructors_not_the_students():
    nb = _exercise_notebook("%matplotlib inline\nimport numpy as np\nfrom chapter2.exercises import tensors")
    (check,) = instructor_from_notebook(nb, "demo.ipynb").checks
    assert check.remote_names == ("get_batch",)  # np and tensors come from the instructor's imports


def test_the_restored_notebook_is_the_handout_hidden_tests_stay_in_the_grader():
    instructor = instructor_from_notebook(_exercise_notebook("import numpy as np\n"
                                                             "from chapter2.exercises import tensors"), "demo.ipynb")
    handout = make_student_notebook(instructor.notebook)
    restored = restore(read_submission(nbformat.writes(handout)), instructor)
    assert restored.notes == []  # an honest, untouched handout: nothing was "modified"
    assert "HIDDEN" not in nbformat.writes(restored.notebook)
    assert "BEGIN SOLUTION" not in nbformat.writes(restored.notebook)
    assert "HIDDEN TESTS" in restored.checks[0].source  # the grader still runs them
    tampered = read_submission(nbformat.writes(handout).replace("tensors.check_get_batch", "print"))
    assert restore(tampered, instructor).notes == ["modified check cell get_batch-check restored"]


# ------------------------------------------------------------------ the graded class

def _cells(nb, kind):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get(kind)]


def _instructor_source() -> nbformat.NotebookNode:
    nb = nbformat.read(ROOT / "notebooks" / NOTEBOOK, as_version=4)
    (check,) = [c for c in _cells(nb, "grade") if c.metadata["nbgrader"]["grade_id"] == "naive_leaky_relu-check"]
    check.source += "\n" + HIDDEN_TEST
    assert nb.cells[2].source.startswith("%matplotlib inline\n") and "import numpy as np" in nb.cells[2].source
    return nb


def _honest(handout, source):
    """The handout with each solution cell answered as the instructor did (an honest, complete notebook)."""
    nb = nbformat.read(handout, as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in _cells(source, "solution")}
    for cell in _cells(nb, "solution"):
        cell.source = answers[cell.metadata["nbgrader"]["grade_id"]]
    return nb


def _with_cell_after_import(nb, source):
    index = next(i for i, c in enumerate(nb.cells) if c.source == "from chapter2.exercises import broadcasting")
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(source))
    return nb


def _solution(nb, grade_id):
    (cell,) = [c for c in _cells(nb, "solution") if c.metadata["nbgrader"]["grade_id"] == grade_id]
    return cell


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("truths")
    source_dir, submitted = root / "source" / "ps1", root / "submitted"
    source_dir.mkdir(parents=True)
    source = _instructor_source()
    nbformat.write(source, source_dir / NOTEBOOK)
    (handout,) = write_student_versions([source_dir / NOTEBOOK], root / "release" / "ps1")
    unanswered = lambda: nbformat.read(handout, as_version=4)  # noqa: E731
    students = {"aa-honest": _honest(handout, source), "ab-unanswered": unanswered(),
                "t1-harvest": _with_cell_after_import(unanswered(), HARVEST)}
    reader = unanswered()
    _solution(reader, "why_not_columns").source = READ_TRUTH
    students["t2-read-truth"] = reader
    partial = _honest(handout, source)
    _solution(partial, "naive_leaky_relu").source = (  # passes the visible check, not the hidden test
        "def naive_leaky_relu(x, alpha):\n"
        "    return x.copy() if x.shape == (2,) else np.where(x > 0, x, alpha * x).astype(x.dtype)")
    students["t3-visible-only"] = partial
    changed = unanswered()
    _cells(changed, "grade")[0].source = "print('all good')"
    students["t4-check-changed"] = changed
    for student, nb in students.items():
        path = submitted / student / "ps1" / NOTEBOOK
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)
    report, feedback = root / "report.json", root / "feedback"
    result = subprocess.run(
        [sys.executable, "-m", "chapter2", "grade", str(submitted), "--source", str(source_dir.parent),
         "--workers", "2", "--timeout", "30", "--json", str(report), "--feedback", str(feedback),
         "--no-progress"], capture_output=True, text=True, timeout=1200, cwd=root)
    assert report.is_file(), result.stderr
    rows = {row["student"]: row for row in json.loads(report.read_text())["notebooks"]}
    texts = {s: (feedback / s / "ps1" / NOTEBOOK).read_text() for s in students}
    full = sum(c.metadata["nbgrader"]["points"] for c in _cells(source, "grade"))
    return {"rows": rows, "feedback": texts, "full": full, "result": result}


@pytest.mark.slow
def test_honest_work_keeps_full_marks_and_no_modified_note(graded):
    rows = graded["rows"]
    assert rows["aa-honest"]["points"] == graded["full"], rows["aa-honest"]
    assert rows["ab-unanswered"]["points"] == 0
    assert rows["aa-honest"]["notes"] == [] and rows["ab-unanswered"]["notes"] == []
    assert "modified check cell" in " ".join(rows["t4-check-changed"]["notes"])  # the control


@pytest.mark.slow
@pytest.mark.parametrize("student", ["t1-harvest", "t2-read-truth"])
def test_harvesting_the_checks_scores_what_the_unanswered_notebook_scores(graded, student):
    rows = graded["rows"]
    assert rows[student]["points"] == rows["ab-unanswered"]["points"], rows[student]["exercises"]


@pytest.mark.slow
def test_the_kernel_sees_no_check_and_no_truth(graded):
    harvest, reader = graded["feedback"]["t1-harvest"], graded["feedback"]["t2-read-truth"]
    assert "the checks are not in this kernel" in harvest
    assert "harvested []" in harvest
    assert "read None" in reader


@pytest.mark.slow
def test_hidden_tests_run_in_the_grader_and_never_reach_the_feedback(graded):
    partial = {e["grade_id"]: e["status"] for e in graded["rows"]["t3-visible-only"]["exercises"]}
    assert partial["naive_leaky_relu-check"] == "failed"
    assert "a hidden test failed" in graded["feedback"]["t3-visible-only"]
    assert graded["rows"]["t3-visible-only"]["points"] == graded["full"] - 2
    for student, text in graded["feedback"].items():
        assert "HIDDEN TESTS" not in text and HIDDEN not in text, student
    for student in ("ab-unanswered", "t1-harvest", "t2-read-truth", "t4-check-changed"):
        assert SOLUTION_LINE not in graded["feedback"][student], student
