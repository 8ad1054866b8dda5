"""Figures the notebooks draw, one module per kind of picture.

Every function here returns a matplotlib ``Figure`` of a fixed size (so the
notebooks' stored outputs stay stable) with a title and labelled axes.
"""

from chapter2.plotting.describe import install as _install_figure_descriptions

# Inside a running IPython kernel, every figure displayed from now on carries a description
# of what was drawn in its output metadata (see chapter2.plotting.describe); elsewhere a no-op.
_install_figure_descriptions()
