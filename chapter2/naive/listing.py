"""Show a naive function's code in a notebook without its docstring."""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Callable

from ..errors import InputTypeError


def code_listing(func: Callable) -> str:
    """The source of ``func`` with its docstring left out.

    Notebooks print this so a reader sees the loop itself, while the code
    lives in one place (the package) and is never retyped in a cell.

    Parameters
    ----------
    func : function defined in a source file

    Returns
    -------
    str

    Examples
    --------
    >>> from chapter2.naive import naive_transpose
    >>> print(code_listing(naive_transpose).splitlines()[0])
    def naive_transpose(x: Any) -> np.ndarray:
    """
    if not inspect.isfunction(func):
        raise InputTypeError(f"func must be a function, got {type(func).__name__}")
    source = textwrap.dedent(inspect.getsource(func))
    body = ast.parse(source).body[0].body
    lines = source.splitlines()
    if ast.get_docstring(ast.parse(source).body[0]) is not None:
        first, last = body[0].lineno, body[0].end_lineno  # 1-based, inclusive
        lines = lines[:first - 1] + lines[last:]
    return "\n".join(lines)
