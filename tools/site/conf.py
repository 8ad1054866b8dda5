"""Sphinx configuration of the web edition, used by tools/build_site.py only.

The build writes ``site_settings.json`` beside this file (title, and the
notebooks' order); nothing here is meant to be edited per build.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

settings = json.loads((Path(__file__).parent / "site_settings.json").read_text(encoding="utf-8"))

project = settings["title"]
author = "chapter2"
copyright = "chapter2 contributors"
root_doc = settings["root_doc"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

extensions = [
    "myst_nb",
    # MathJax 3 from PyPI, copied into _static/mathjax and pointed to by mathjax_path:
    # the math is typeset without any request leaving the site.
    "c2_mathjax",
    # MyST-NB's folded cells without the aria-label that hides their visible prompt.
    "c2_a11y",
]

# Pages show the outputs stored in the notebooks, exactly; nothing is executed.
nb_execution_mode = "off"
# No ipywidgets embed manager (it would load require.js and widget code from a CDN):
# the static widgets are drawn at build time and driven by _static/c2widgets.js.
nb_ipywidgets_js = {}
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3

html_theme = "sphinx_book_theme"
html_title = settings["title"]
html_static_path = ["_c2static"]
# Our versions of theme components that fail an accessibility check (see each file).
templates_path = ["_c2templates"]
html_css_files = ["c2site.css"]
html_js_files = ["c2widgets.js"]
# A favicon of our own: without one every browser asks for /favicon.ico and logs a 404.
html_favicon = "_c2static/favicon.svg"
# pydata-sphinx-theme logs a console error when no default colour mode is given.
html_context = {"default_mode": "light"}
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "navigation_with_keys": False,
}
