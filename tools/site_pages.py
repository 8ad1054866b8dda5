"""Turn a stored notebook into the page source of the web edition (a copy; the notebook is untouched).

Every change is to what a reader needs around the stored cells, never to a
cell's code or outputs:

- a box under the title with links to open the notebook in JupyterLab, on
  Binder and in Colab, and the versions its outputs were executed with;
- solution cells folded behind "Show solution" (MyST-NB's ``hide-input``);
- a note under each exercise check on how to run it on one's own answer;
- each figure's caption (the "**Figure:**" paragraph that follows it) as the
  image's alt text;
- each widget's output, which needs a kernel, replaced by its static stand-in
  (HTML controls and the frames drawn by ``tools/site_frames.py``) or, where
  the controls take free input, by a note to run it in JupyterLab;
- links to files outside ``notebooks/`` pointed at the repository.
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import nbformat

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CAPTION = "**Figure:**"
# A markdown link whose target climbs out of notebooks/ ("](../docs/coverage.md)").
OUTSIDE_LINK = re.compile(r"\]\(\.\./([^)\s]+)\)")


@dataclass
class Links:
    """Where the notebooks live, from tools/site.cfg (or --repository)."""

    repository: str
    branch: str
    binder: str

    def blob(self, path: str) -> str:
        """The repository's page for a file, e.g. ``docs/coverage.md``."""
        return f"{self.repository.rstrip('/')}/blob/{self.branch}/{path}"

    def binder_url(self, notebook: str) -> str:
        owner_repo = self.repository.rstrip("/").split("github.com/", 1)[-1]
        labpath = quote(f"notebooks/{notebook}", safe="")
        return f"{self.binder.rstrip('/')}/v2/gh/{owner_repo}/{self.branch}?labpath={labpath}"

    def colab_url(self, notebook: str) -> str:
        owner_repo = self.repository.rstrip("/").split("github.com/", 1)[-1]
        return f"https://colab.research.google.com/github/{owner_repo}/blob/{self.branch}/notebooks/{notebook}"


def plain_text(markdown: str) -> str:
    """A caption's markdown as one line of plain text, for an ``alt`` attribute.

    >>> plain_text("**Figure:** the *first* image, `x[0]`, and [its label](#a): $W p$.")
    'the first image, x[0], and its label: W p.'
    """
    text = markdown.strip()
    if text.startswith(CAPTION):
        text = text[len(CAPTION):]
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`$]", "", text)
    return " ".join(text.split())


def versions_note(nb: nbformat.NotebookNode, frames_versions: dict[str, str] | None) -> str:
    """What the page can honestly say about the versions its outputs come from."""
    recorded = nb.metadata.get("chapter2", {}).get("executed_with")
    python = nb.metadata.get("language_info", {}).get("version", "an unrecorded version")
    if recorded:
        stored = ", ".join(f"{name} {version}" for name, version in recorded.items())
        sentence = f"The outputs on this page are the ones stored in the notebook, executed with {stored}."
    else:
        sentence = (f"The outputs on this page are the ones stored in the notebook, executed with Python "
                    f"{python} (from the notebook's metadata); the package versions of that run were not "
                    "recorded in the notebook.")
    if frames_versions:
        drawn = ", ".join(f"{name} {version}" for name, version in frames_versions.items())
        sentence += f" The figures the static widgets switch between were drawn when this site was built, with {drawn}."
    return sentence


def open_box(notebook: str, links: Links, versions: str) -> str:
    """The markdown of the box under each page's title."""
    binder = links.binder_url(notebook)
    colab = links.colab_url(notebook)
    return "\n".join([
        "```{admonition} Run this notebook",
        ":class: tip c2-open",
        f"- **On your computer**, after the [quick start]({links.blob('README.md')}#quick-start): "
        f"`jupyter lab notebooks/{notebook}`",
        f"- **[Open on Binder]({binder})** (builds the repository's `environment.yml`; nothing to install)",
        f"- **[Open in Colab]({colab})** (run `!pip install git+{links.repository}` in a first cell)",
        "",
        versions,
        "```",
    ])


CHECK_NOTE = ("```{note}\nThis check ran on the solution above when the notebook was stored. To check your own "
              "answer, open the notebook (links at the top of the page), write it in the solution cell and run "
              "both cells with Shift+Enter: the check says **Correct!** or what to fix, without showing the answer.\n```")


def _is_solution(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and bool(cell.metadata.get("nbgrader", {}).get("solution"))


def _is_check(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and bool(cell.metadata.get("nbgrader", {}).get("grade"))


def _has_figure(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


def _has_widget(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and any(WIDGET_VIEW in o.get("data", {}) for o in cell.get("outputs", []))


def _image_options(cell: nbformat.NotebookNode) -> dict[str, Any]:
    return cell.metadata.setdefault("mystnb", {}).setdefault("image", {})


def fold_solutions(nb: nbformat.NotebookNode) -> int:
    """Fold every solution cell's code behind "Show solution"; returns how many."""
    count = 0
    for cell in nb.cells:
        if _is_solution(cell):
            tags = cell.metadata.setdefault("tags", [])
            if "hide-input" not in tags:
                tags.append("hide-input")
            cell.metadata.setdefault("mystnb", {}).update(
                code_prompt_show="Show solution", code_prompt_hide="Hide solution")
            count += 1
    return count


def note_checks(nb: nbformat.NotebookNode) -> int:
    """Put a note on how to run it under every exercise check; returns how many."""
    cells, count = [], 0
    for cell in nb.cells:
        cells.append(cell)
        if _is_check(cell):
            cells.append(nbformat.v4.new_markdown_cell(CHECK_NOTE))
            count += 1
    nb.cells = cells
    return count


def caption_alt_texts(nb: nbformat.NotebookNode, name: str) -> int:
    """Give each figure the caption that follows it as alt text; returns how many.

    Raises
    ------
    ValueError
        When a figure has no caption (tests/test_accessibility.py keeps them there).
    """
    count = 0
    for index, cell in enumerate(nb.cells):
        if not _has_figure(cell):
            continue
        after = nb.cells[index + 1] if index + 1 < len(nb.cells) else None
        if after is None or after.cell_type != "markdown" or not after.source.lstrip().startswith(CAPTION):
            raise ValueError(f"{name} cell {index}: a figure without a '{CAPTION}' caption after it")
        _image_options(cell)["alt"] = plain_text(after.source)
        count += 1
    return count


# Wider than this (pixels of the stored PNG), a figure is shrunk by the theme's text column until its
# labels are a few pixels tall (08's backward stepper: about 5 px); such cells may use the margin too.
WIDE_FIGURE_PX = 1000


def widen_wide_figures(nb: nbformat.NotebookNode) -> int:
    """Tag every cell whose figure is wider than :data:`WIDE_FIGURE_PX` ``full-width``; returns how many.

    sphinx-book-theme lets a cell with that tag span the right margin as well as the text column.
    """
    count = 0
    for cell in nb.cells:
        widths = [_png_width(o["data"]["image/png"]) for o in cell.get("outputs", [])
                  if "image/png" in o.get("data", {})]
        if widths and max(widths) > WIDE_FIGURE_PX:
            tags = cell.metadata.setdefault("tags", [])
            if "full-width" not in tags:
                tags.append("full-width")
            count += 1
    return count


def _png_width(data: str | list[str]) -> int:
    """The width in pixels of a base64 PNG, read from its header (bytes 16-19 of the IHDR chunk)."""
    head = base64.b64decode("".join(data)[:32])
    return int.from_bytes(head[16:20], "big")


def point_outside_links(nb: nbformat.NotebookNode, links: Links) -> int:
    """Point links to files outside notebooks/ at the repository; returns how many."""
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source, n = OUTSIDE_LINK.subn(lambda m: f"]({links.blob(m.group(1))})", cell.source)
            count += n
    return count


def static_widgets(nb: nbformat.NotebookNode, stem: str, manifests: dict[str, dict]) -> int:
    """Replace each widget output by its static stand-in; returns how many widgets.

    The ``k``-th widget output of the notebook belongs to the ``k``-th LiveFigure
    the frames' run displayed, ``manifests[f"{stem}-{k}"]``.

    Raises
    ------
    ValueError
        When the frames' run displayed a different number of widgets than the
        notebook stores, or a widget's figure is not an image just before it.
    """
    widget_cells = [i for i, cell in enumerate(nb.cells) if _has_widget(cell)]
    ours = sorted((k for k in manifests if k.rsplit("-", 1)[0] == stem), key=lambda k: int(k.rsplit("-", 1)[1]))
    if manifests and len(ours) != len(widget_cells):
        raise ValueError(f"{stem}: the notebook stores {len(widget_cells)} widgets but drawing its frames "
                         f"displayed {len(ours)}; are the notebook and chapter2 in step?")
    tolerant = [i for i, cell in enumerate(nb.cells) if _is_machine_dependent(cell)]
    for k, index in enumerate(widget_cells):
        cell = nb.cells[index]
        key = f"{stem}-{k}"
        manifest = manifests.get(key)
        _check_same_figure(cell, key, manifest)
        _image_options(cell)["classes"] = "c2-live"
        alt = _image_options(cell).get("alt", "")
        html_text = widget_html(key, manifest, alt, redrawn=bool(tolerant) and tolerant[0] <= index)
        stand_in = nbformat.v4.new_output("display_data", data={"text/html": html_text})
        cell.outputs = [stand_in if WIDGET_VIEW in o.get("data", {}) else o for o in cell.outputs]
    return len(widget_cells)


def _check_same_figure(cell: nbformat.NotebookNode, key: str, manifest: dict | None) -> None:
    """The frame drawn for the start values has the stored figure's axes (same function, same notebook).

    Raises
    ------
    ValueError
        When the axes' labels differ: the frames would not belong to this figure.
    """
    drawn = (manifest or {}).get("start_layout")
    stored = [o.get("metadata", {}).get("image/png", {}).get("chapter2", {}).get("figure")
              for o in cell.outputs if "image/png" in o.get("data", {})]
    if drawn is None or not stored or stored[0] is None:
        return
    expected = [[axes["xlabel"], axes["ylabel"]] for axes in stored[0]["axes"]]
    if drawn != expected:
        raise ValueError(f"{key}: the figure drawn for the start values has axes {drawn}, the stored one "
                         f"{expected}; are the notebook and chapter2 in step?")


def _is_machine_dependent(cell: nbformat.NotebookNode) -> bool:
    """A cell whose stored numbers may differ on another machine (it declares nbval tolerances)."""
    return "nbval" in cell.get("metadata", {}).get("chapter2", {})


# Frames are drawn in a fresh run of the notebook while the site is built. Downstream of a
# machine-dependent cell (training) that run's numbers can differ from the stored ones the text quotes.
REDRAWN_NOTE = (" These frames come from a run of the notebook made when this page was built; it trains "
                "the network again, so numbers in them can differ slightly from the stored outputs that "
                "the text describes.")


def widget_html(key: str, manifest: dict | None, alt: str, redrawn: bool = False) -> str:
    """The HTML of a static widget: its controls, a place for text frames, and a note.

    ``redrawn`` adds :data:`REDRAWN_NOTE`, for a widget below a machine-dependent cell.
    """
    if manifest is None:
        return _frozen(key, "This widget's figures were not drawn for this build "
                            "(built with --no-widgets): the figure above is the stored one.")
    if not manifest.get("listable"):
        values = ", ".join(f"{name} = {value}" for name, value in manifest["values"].items())
        return _frozen(key, f"This widget's figures cannot be drawn in advance: {manifest['reason']}. The figure "
                            f"above is the stored one, for {values}. Run the notebook in JupyterLab (links at the "
                            "top of the page) to try your own values.")
    controls = "\n".join(_control_html(key, c) for c in manifest["controls"])
    data = {"base": f"_static/widgets/{key}/", "alt": alt, "frames": manifest["frames"],
            "controls": [{"indices": c["indices"], "initial": c["initial"], "labels": c["labels"],
                          "description": c["description"]} for c in manifest["controls"]]}
    payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    return (f'<div class="c2-widget" data-c2-widget="{key}">\n'
            f'<script type="application/json" class="c2-manifest">{payload}</script>\n'
            f'<div class="c2-controls">\n{controls}\n</div>\n'
            f'<pre class="c2-text" hidden></pre>\n'
            f'<p class="c2-note">{html.escape(_budget_note(manifest) + (REDRAWN_NOTE if redrawn else ""))}</p>\n</div>')


def _frozen(key: str, note: str) -> str:
    return f'<div class="c2-widget c2-frozen" data-c2-widget="{key}"><p class="c2-note">{html.escape(note)}</p></div>'


def _budget_note(manifest: dict) -> str:
    drawn, total = manifest["drawn"], manifest["total"]
    if drawn >= total:
        return (f"All {drawn} settings of this widget were drawn in advance by the notebook's own functions; "
                "no kernel is needed.")
    if manifest["design"] == "star":
        return (f"{drawn} of the {total:,} settings were drawn in advance: here one control moves at a time "
                "(moving one puts the others back to their start), each through an even spread of its values. "
                "Run the notebook in JupyterLab for every combination.")
    return (f"{drawn} of the {total:,} settings were drawn in advance: the controls move in coarser steps "
            "than in JupyterLab. Run the notebook there for every value.")


def _control_html(key: str, control: dict) -> str:
    ident = html.escape(f"c2-{key}-{control['name']}")
    label = html.escape(control["description"])
    labels = control["labels"]
    initial = control["initial"]
    if control["kind"] == "range":
        return (f'<div class="c2-control"><label for="{ident}">{label}</label>'
                f'<input type="range" id="{ident}" min="0" max="{len(labels) - 1}" step="1" value="{initial}" '
                f'aria-valuetext="{html.escape(labels[initial])}">'
                f'<output for="{ident}">{html.escape(labels[initial])}</output></div>')
    if control["kind"] == "checkbox":
        checked = " checked" if labels[initial] == "on" else ""
        return (f'<div class="c2-control"><input type="checkbox" id="{ident}"{checked}>'
                f'<label for="{ident}">{label}</label></div>')
    options = "".join(f'<option value="{i}"{" selected" if i == initial else ""}>{html.escape(text)}</option>'
                      for i, text in enumerate(labels))
    return (f'<div class="c2-control"><label for="{ident}">{label}</label>'
            f'<select id="{ident}">{options}</select></div>')


def add_open_box(nb: nbformat.NotebookNode, notebook: str, links: Links, versions: str) -> None:
    """Insert the "Run this notebook" box right after the title cell."""
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(open_box(notebook, links, versions)))


def add_toctree(nb: nbformat.NotebookNode, docnames: list[str]) -> None:
    """Give the landing page the (hidden) table of contents that orders every page."""
    entries = "\n".join(docnames)
    nb.cells.append(nbformat.v4.new_markdown_cell(f"```{{toctree}}\n:hidden:\n:maxdepth: 1\n\n{entries}\n```"))


def make_page(path: Path, links: Links, manifests: dict[str, dict], frames_versions: dict[str, str] | None,
              toc: list[str] | None = None) -> tuple[nbformat.NotebookNode, dict[str, int]]:
    """The page source of one notebook, and counts of what was changed.

    Parameters
    ----------
    path : pathlib.Path
        The stored notebook (read only).
    links : Links
    manifests : dict
        The frames' manifests by widget key (``"<stem>-<k>"``), empty to draw no widget.
    frames_versions : dict or None
        Package versions the frames were drawn with.
    toc : list of str, optional
        For the landing page: the other pages' names, in order.
    """
    nb = nbformat.read(path, as_version=4)
    stem = path.stem
    nb.metadata.pop("widgets", None)   # no widget state: the embed manager is never loaded
    counts = {
        "alt": caption_alt_texts(nb, path.name),
        "widgets": static_widgets(nb, stem, manifests),
        "solutions": fold_solutions(nb),
        "checks": note_checks(nb),
        "outside_links": point_outside_links(nb, links),
        "wide": widen_wide_figures(nb),
    }
    has_frames = any(k.rsplit("-", 1)[0] == stem for k in manifests)
    add_open_box(nb, path.name, links, versions_note(nb, frames_versions if has_frames else None))
    if toc:
        add_toctree(nb, toc)
    return nb, counts
