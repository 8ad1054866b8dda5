"""Show a function of the package in a notebook: its code, highlighted, from the one copy in the package.

The notebooks never retype the package's code in a cell; they show it with
:func:`show_source`, one way everywhere. What a cell stores is plain text: a
Markdown code block (JupyterLab, GitHub and nbconvert highlight it) and the
same code as plain text, with no HTML or embedded ``<style>`` sheet, so the
stored notebook stays small and reads well in any viewer.

Examples
--------
>>> from chapter2.naive import naive_transpose
>>> print(source_of(naive_transpose, docstring=False).splitlines()[0])
def naive_transpose(x: Any) -> np.ndarray:
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Callable

from .errors import InputTypeError
from .validation import check_bool

__all__ = ["source_of", "show_source", "SourceCode"]


def source_of(func: Callable, docstring: bool = True) -> str:
    """The source of a function or method, dedented, with or without its docstring.

    Parameters
    ----------
    func : function or method defined in a source file
    docstring : bool, default True
        Keep the docstring; ``False`` leaves only the code (how notebooks 03
        and 04 show the loops of ``chapter2.naive``).

    Returns
    -------
    str

    Examples
    --------
    >>> from chapter2.scratch import relu
    >>> source_of(relu, docstring=False)
    'def relu(z: np.ndarray) -> np.ndarray:\\n    return np.maximum(z, 0)'
    """
    if not (inspect.isfunction(func) or inspect.ismethod(func)):
        raise InputTypeError(f"func must be a function, got {type(func).__name__}")
    docstring = check_bool(docstring, "docstring")
    source = textwrap.dedent(inspect.getsource(func)).rstrip("\n")
    if docstring:
        return source
    definition = ast.parse(source).body[0]
    if ast.get_docstring(definition) is None:
        return source
    first, last = definition.body[0].lineno, definition.body[0].end_lineno  # 1-based, inclusive
    lines = source.splitlines()
    return "\n".join(lines[:first - 1] + lines[last:])


class SourceCode:
    """Code to show as a notebook output: a highlighted Markdown block, plain text elsewhere.

    Examples
    --------
    >>> code = SourceCode("x = 1")
    >>> code
    x = 1
    >>> print(code._repr_markdown_())
    ```python
    x = 1
    ```
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_markdown_(self) -> str:
        fence = "```"
        while fence in self.text:
            fence += "`"
        return f"{fence}python\n{self.text}\n{fence}"

    def __repr__(self) -> str:
        return self.text


def show_source(func: Callable, docstring: bool = True) -> SourceCode:
    """Show ``func``'s code as the output of a notebook cell (make it the cell's last line).

    Examples
    --------
    >>> from chapter2.naive import naive_relu
    >>> show_source(naive_relu, docstring=False)  # doctest: +ELLIPSIS
    def naive_relu(x: Any) -> np.ndarray:
        x = as_numeric_array(x, "x")
    ...
    """
    return SourceCode(source_of(func, docstring=docstring))
