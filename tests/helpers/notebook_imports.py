"""The import statements of a notebook, for running its exercise cells without the lesson."""

import ast


def import_statements(nb) -> list:
    """Every ``import``/``from ... import`` of the notebook's code cells, as AST nodes, in order.

    IPython magic lines (the first cell's ``%matplotlib inline``) are not Python
    and are dropped first, so the imports of that cell are kept.
    """
    statements = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith("%"))
        try:
            tree = ast.parse(source)
        except SyntaxError:  # a cell with other IPython syntax holds no imports the exercises need
            continue
        statements += [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    return statements
