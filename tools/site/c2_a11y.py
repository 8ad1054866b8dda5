"""Accessibility fixes of MyST-NB's HTML for the web edition (a Sphinx extension).

MyST-NB writes a folded cell as ``<details><summary aria-label="Toggle hidden
content">`` around the visible prompt ("Show solution"). A label that does not
contain the visible text is a serious failure for axe-core (speech-input users
say what they see). Here the summary has no aria-label, so its accessible name
is the prompt a reader sees.
"""

from __future__ import annotations

from html import escape

from myst_nb.sphinx_ import HideCodeCellNode


def visit_hidden_cell(self, node) -> None:
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def depart_hidden_cell(self, node) -> None:
    self.body.append("</details>\n")


def setup(app):
    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_hidden_cell))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
