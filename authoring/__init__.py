"""Tools for the people who write the notebooks, not for learners (not installed with chapter2).

- ``exercise_cells.py``: the exercises of every notebook, written once and appended.
- ``tolerance.py`` and ``nbval_plugin.py``: nbval with numeric tolerances for the few
  machine-dependent cells, loaded by the root ``conftest.py``.
- ``spread.py``: measures how far machine-dependent outputs move (``python -m authoring.spread``).
- ``coverage.py``: the chapter's headings against the notebooks (``python -m authoring.coverage``).
"""
