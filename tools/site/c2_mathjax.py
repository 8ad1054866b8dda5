"""Serve MathJax from the site itself (a Sphinx extension of the web edition).

MathJax 3 comes from the PyPI package ``sphinx-mathjax-offline`` (part of the
``site`` extra). That package's own extension copies all of its 24 MB and does
not declare itself safe for parallel builds; this one copies only what the
CHTML output of TeX needs or may load later (fonts, TeX extensions, the menu and
its accessibility tools) and is safe in parallel: it only copies files at the end.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

# tex-chtml.js is the combined component the pages load; the folders hold what it may
# load on demand (autoloaded TeX packages, the menu's accessibility extensions, fonts).
KEEP = ("tex-chtml.js", "input", "output", "ui", "a11y", "sre", "adaptors")


def mathjax_folder() -> Path:
    """The MathJax copy inside the installed sphinx-mathjax-offline package."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError('sphinx-mathjax-offline is missing: pip install -e ".[site]"')
    return Path(list(spec.submodule_search_locations)[0]) / "static" / "mathjax"


def copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source, target = mathjax_folder(), Path(app.outdir) / "_static" / "mathjax"
    for name in KEEP:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, dirs_exist_ok=True)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, target / name)


def setup(app):
    mathjax_folder()   # fail at the start of the build, not at its end
    app.config.mathjax_path = "mathjax/tex-chtml.js"
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
