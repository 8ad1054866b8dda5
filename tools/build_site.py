"""Build the web edition: every notebook as a static page, its widgets alive without a kernel.

Usage (from anywhere; needs the ``site`` extra, ``pip install -e ".[site]"``)::

    python tools/build_site.py OUTDIR                 # the whole site
    python tools/build_site.py OUTDIR --no-widgets    # pages only, stored figures (a quick look)
    python -m http.server -d OUTDIR                   # preview at http://127.0.0.1:8000

Why Sphinx with MyST-NB and the book theme: MyST-NB renders a notebook's
stored outputs as they are (``nb_execution_mode = "off"``), the theme gives a
table of contents and previous/next links, and Sphinx writes a search index
that works from static files; all three are on PyPI and build offline.
MathJax comes from the PyPI package ``sphinx-mathjax-offline``, so no page
asks anything of another host.

The pages are built from the stored notebooks, which are never executed for
them. Only the widgets' figures are drawn here: each notebook that holds
widgets runs, up to its last widget, in a fresh kernel in which every
``LiveFigure`` draws its frames (``tools/site_frames.py``), two notebooks at a
time. The site must stay within the size budget of ``tools/site.cfg``.
"""

from __future__ import annotations

import argparse
import configparser
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = Path(__file__).resolve().parent
NOTEBOOKS = ROOT / "notebooks"
CONFIG = TOOLS / "site.cfg"
SITE_FILES = TOOLS / "site"
# Written into OUTDIR, so a later build may replace a folder it made itself, and nothing else.
MARKER = ".chapter2-site"
EXTRA = {"sphinx": "sphinx", "myst_nb": "myst-nb", "sphinx_book_theme": "sphinx-book-theme",
         "sphinx-mathjax-offline": "sphinx-mathjax-offline", "nbclient": "nbclient"}
FRAME_PACKAGES = ("chapter2", "numpy", "matplotlib")
CELL_TIMEOUT = 900   # seconds; 01 trains the network before its widget
# The notebooks whose frames take longest to draw (measured: about 45 and 80 s), started first.
SLOWEST = ("01_first_look", "09_looking_back")


class BuildError(Exception):
    """A problem to report in one line, before or instead of a traceback."""


def check_extra() -> None:
    """Fail with one line naming the install command when a build dependency is missing."""
    missing = [package for module, package in EXTRA.items() if importlib.util.find_spec(module) is None]
    if missing:
        raise BuildError(f"missing {', '.join(missing)}: install the site extra with "
                         f"pip install -e \"{ROOT}[site]\"")


def prepare_outdir(outdir: Path) -> Path:
    """Check that OUTDIR can be written and holds nothing but an earlier site."""
    outdir = outdir.resolve()
    if outdir.exists() and not outdir.is_dir():
        raise BuildError(f"OUTDIR {outdir} exists and is not a folder")
    if outdir.is_dir() and any(outdir.iterdir()) and not (outdir / MARKER).exists():
        raise BuildError(f"OUTDIR {outdir} is not empty and holds no earlier web edition; "
                         "choose an empty or new folder")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=outdir):
            pass
    except OSError as error:
        raise BuildError(f"OUTDIR {outdir} is not writable: {error.strerror}") from None
    return outdir


def read_settings(path: Path, repository: str | None) -> dict:
    """The [site] section of tools/site.cfg, with --repository applied."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path, encoding="utf-8")
    try:
        section = parser["site"]
        settings = {key: section[key] for key in ("title", "repository", "branch", "binder")}
        settings["frames_per_widget"] = section.getint("frames_per_widget")
        settings["size_budget_mb"] = section.getfloat("size_budget_mb")
    except (KeyError, ValueError) as error:
        raise BuildError(f"{path}: a [site] setting is missing or not a number ({error})") from None
    if repository:
        settings["repository"] = repository
    if "github.com/" not in settings["repository"]:
        raise BuildError(f"repository must be a GitHub address (Binder and Colab open it), "
                         f"got {settings['repository']!r}")
    return settings


def notebooks() -> list[Path]:
    """The stored notebooks, in reading order."""
    found = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise BuildError(f"no notebooks found in {NOTEBOOKS}")
    return found


def widget_cells(path: Path) -> list[int]:
    """Indices of the cells whose stored outputs hold a widget."""
    from site_pages import WIDGET_VIEW

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [i for i, cell in enumerate(cells)
            if any(WIDGET_VIEW in o.get("data", {}) for o in cell.get("outputs", []))]


def draw_frames(path: Path, outdir: Path, budget: int) -> tuple[str, float]:
    """Run a notebook up to its last widget in a fresh kernel that records every widget's frames."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    # A kernel that inherits MPLBACKEND=Agg displays no figures, so LiveFigure never shows.
    os.environ.pop("MPLBACKEND", None)
    nb = nbformat.read(path, as_version=4)
    last = widget_cells(path)[-1]
    install = (f"import sys\nsys.path.insert(0, {str(TOOLS)!r})\nimport site_frames\n"
               f"site_frames.install({str(outdir)!r}, {budget}, {path.stem!r})")
    nb.cells = [nbformat.v4.new_code_cell(install)] + nb.cells[:last + 1]
    started = time.perf_counter()
    try:
        NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        last_line = str(error).strip().splitlines()[-1] if str(error).strip() else repr(error)
        raise BuildError(f"{path.name}: a cell failed while drawing the widgets' frames: {last_line}") from None
    return path.name, time.perf_counter() - started


def check_mnist() -> None:
    """The notebooks load MNIST before their widgets: find it (or download it) before any kernel starts."""
    from chapter2.datasets import mnist
    from chapter2.errors import DatasetError

    try:
        mnist.locate(verbose=True)
    except DatasetError as error:
        raise BuildError(f"the widgets' figures need MNIST: {error} (or build with --no-widgets)") from None


def draw_all_frames(paths: list[Path], outdir: Path, budget: int, jobs: int) -> dict[str, dict]:
    """Draw every widget's frames, ``jobs`` notebooks at a time; the manifests by widget key."""
    check_mnist()
    with_widgets = [p for p in paths if widget_cells(p)]
    # The longest first (01 trains the network, 09 trains twelve small ones), so the
    # workers finish close together.
    with_widgets.sort(key=lambda p: p.stem not in SLOWEST)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for name, seconds in pool.map(draw_frames, with_widgets, [outdir] * len(with_widgets),
                                      [budget] * len(with_widgets)):
            print(f"  frames of {name} drawn in {seconds:.0f} s", flush=True)
    manifests = {folder.name: json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
                 for folder in sorted(outdir.iterdir()) if (folder / "manifest.json").exists()}
    for key, manifest in manifests.items():
        print(f"    {key}: " + (f"{manifest['drawn']} of {manifest['total']:,} settings drawn "
                                 f"({manifest['design']}) in {manifest['seconds']:.1f} s"
                                 if manifest["listable"] else f"not listable ({manifest['reason']})"))
    return manifests


def versions(packages: tuple[str, ...]) -> dict[str, str]:
    """Python and the given packages' installed versions."""
    found = {"Python": platform.python_version()}
    found.update({name: metadata.version(name) for name in packages})
    return found


def stage(paths: list[Path], src: Path, settings: dict, manifests: dict[str, dict]) -> dict[str, int]:
    """Write conf.py, the static files and one page source per notebook into ``src``."""
    import nbformat
    from site_pages import Links, make_page

    for name in ("conf.py", "c2_mathjax.py", "c2_a11y.py"):
        shutil.copy(SITE_FILES / name, src / name)
    shutil.copytree(SITE_FILES / "static", src / "_c2static", dirs_exist_ok=True)
    shutil.copytree(SITE_FILES / "templates", src / "_c2templates", dirs_exist_ok=True)
    root = paths[0].stem
    (src / "site_settings.json").write_text(json.dumps({"title": settings["title"], "root_doc": root}),
                                            encoding="utf-8")
    links = Links(settings["repository"], settings["branch"], settings["binder"])
    frames_versions = versions(FRAME_PACKAGES) if manifests else None
    totals: dict[str, int] = {}
    for path in paths:
        toc = [p.stem for p in paths[1:]] if path == paths[0] else None
        nb, counts = make_page(path, links, manifests, frames_versions, toc)
        nbformat.write(nb, src / path.name)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    return totals


def sphinx_build(src: Path, html: Path, jobs: int) -> None:
    """Run Sphinx with warnings as errors."""
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", "-j", str(jobs),
               str(src), str(html)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise BuildError("Sphinx reported the warnings or errors above (warnings are errors here)")


def write_landing(html: Path, root: str) -> None:
    """index.html sends a browser straight to the first notebook's page."""
    target = f"{root}.html"
    (html / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={target}"><title>Start here</title></head>'
        f'<body><main><p><a href="{target}">Start here</a></p></main></body></html>\n', encoding="utf-8")


def folder_size(folder: Path) -> int:
    """Bytes in all files below ``folder``."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def check_size(folder: Path, budget_mb: float) -> int:
    """The site's size in bytes; a BuildError when it is over the budget."""
    size = folder_size(folder)
    if size > budget_mb * 1_000_000:
        raise BuildError(f"the site is {size / 1e6:.1f} MB, over the budget of {budget_mb:g} MB (tools/site.cfg)")
    return size


def publish(html: Path, outdir: Path) -> None:
    """Replace OUTDIR's contents (an earlier site, or nothing) with the new site."""
    for child in outdir.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    shutil.copytree(html, outdir, dirs_exist_ok=True)
    (outdir / MARKER).write_text("Written by tools/build_site.py; a later build replaces this folder.\n")
    # GitHub Pages runs Jekyll, which would leave out every folder starting with "_" (_static).
    (outdir / ".nojekyll").write_text("")


def build(outdir: Path, settings: dict, with_widgets: bool, jobs: int) -> dict:
    """Build the site into ``outdir``; returns what was built, for the summary line."""
    paths = notebooks()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="chapter2-site-") as tmp:
        src, html = Path(tmp) / "src", Path(tmp) / "html"
        frames = src / "_c2static" / "widgets"
        frames.mkdir(parents=True)
        manifests = draw_all_frames(paths, frames, settings["frames_per_widget"], jobs) if with_widgets else {}
        counts = stage(paths, src, settings, manifests)
        sphinx_build(src, html, jobs)
        write_landing(html, paths[0].stem)
        size = check_size(html, settings["size_budget_mb"])
        publish(html, outdir)
    static = [m for m in manifests.values() if m.get("listable")]
    return {"pages": len(paths), "seconds": time.perf_counter() - started, "mb": size / 1e6,
            "widgets": counts.get("widgets", 0), "static": len(static),
            "frames": sum(m["drawn"] for m in static), **counts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path, help="folder to write the site into (new, empty, or an earlier site)")
    parser.add_argument("--repository", help="GitHub address the open-in links use (default: tools/site.cfg)")
    parser.add_argument("--no-widgets", action="store_true",
                        help="skip drawing the widgets' frames (faster; the widgets show their stored figure)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="notebooks run at once, and Sphinx's processes (default: 2)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(TOOLS))
    try:
        if args.jobs < 1:
            raise BuildError(f"--jobs must be at least 1, got {args.jobs}")
        check_extra()
        outdir = prepare_outdir(args.outdir)
        settings = read_settings(CONFIG, args.repository)
        done = build(outdir, settings, not args.no_widgets, args.jobs)
    except BuildError as error:
        print(f"build_site: error: {error}", file=sys.stderr)
        return 1
    print(f"built {done['pages']} pages into {outdir} in {done['seconds']:.0f} s: {done['mb']:.1f} MB; "
          f"{done['static']} of {done['widgets']} widgets static with {done['frames']} frames; "
          f"{done['alt']} figures with alt text, {done['solutions']} solutions folded, "
          f"{done['checks']} checks with a note")
    return 0


if __name__ == "__main__":
    sys.exit(main())
