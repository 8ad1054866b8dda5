"""Drive JupyterLab in headless Chromium: start a server, run a notebook, move its widgets.

Used by ``test_jupyterlab.py`` through the fixtures in ``conftest.py``. Nothing here
imports playwright at module level, so collecting the test suite works on a
machine without it (the fixtures then skip, or fail under CI, with a message
naming how to install a browser).

Progress and widgets are read from the DOM of JupyterLab 4 with ipywidgets 8:
prompts (``[3]:``, ``[*]:``), the notebook's execution indicator
(``data-status``), rendered ``.jupyter-widgets``, noUiSlider handles. Errors are
read where they can be told apart from warnings: cell tracebacks from the
notebook as saved (the page draws them like any stderr text), and widget
callback tracebacks from JupyterLab's log console.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = Path(os.environ.get("CHAPTER2_BROWSER_NOTEBOOKS", REPO / "notebooks"))
SCREENSHOT_DIR = REPO / "build" / "screenshots"

# Browsers the test can drive, in the order they are tried: one named in
# CHAPTER2_BROWSER, Debian's Chromium (.ci/install-browser), one on PATH, then
# the Chromium that `python -m playwright install chromium` downloads.
SYSTEM_BROWSERS = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
# The machine has no internet: without the networking flags Chromium keeps
# trying (and failing) to reach Google's services in the background.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]



def find_browser() -> str | None:
    """The path of a Chromium-family browser to drive, or None when there is none.

    Nothing is downloaded: a browser must already be installed.
    """
    named = os.environ.get("CHAPTER2_BROWSER")
    if named:
        return named if os.access(named, os.X_OK) else None
    for candidate in SYSTEM_BROWSERS:
        path = shutil.which(candidate)
        if path:
            return path
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as driver:
        path = driver.chromium.executable_path
    return path if os.access(path, os.X_OK) else None


WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on show

# User settings written into the server's private settings directory: no news
# pop-up (it would cover part of every screenshot and ask the internet), and all
# cells attached to the DOM so the whole notebook can be read and photographed.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none"},
}


class LabError(RuntimeError):
    """JupyterLab could not be started or did not behave as expected."""


# ---------------------------------------------------------------- the server

@dataclass
class LabServer:
    """A running ``jupyter lab`` process serving ``root`` on 127.0.0.1."""

    process: subprocess.Popen
    port: int
    token: str
    root: Path
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str, query: str = "") -> str:
        """Address of ``path`` on the server, with the token attached."""
        extra = f"{query}&" if query else ""
        return f"{self.base_url}/{path.lstrip('/')}?{extra}token={self.token}"

    def api(self, path: str, method: str = "GET") -> Any:
        """Call the server's REST API and return the decoded JSON (or None)."""
        request = urllib.request.Request(
            f"{self.base_url}/api/{path}", method=method,
            headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def shut_down_kernels(self) -> None:
        """End every kernel session so the next notebook starts on a quiet machine."""
        for session in self.api("sessions"):
            self.api(f"sessions/{session['id']}", method="DELETE")

    def stop(self) -> None:
        """Stop the server's whole process group, politely first."""
        if self.process.poll() is None:
            try:
                self.shut_down_kernels()
            except (OSError, urllib.error.URLError, ValueError):
                pass  # the server is going away anyway
        _kill_group(self.process)


def _kill_group(process: subprocess.Popen) -> None:
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            continue


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_lab(root: Path, workdir: Path, timeout: float = 120.0) -> LabServer:
    """Start JupyterLab from this Python environment, serving ``root``.

    Every Jupyter and IPython directory points into ``workdir``, so the user's
    own settings, workspaces and kernels are neither read nor changed.
    """
    for relative, settings in LAB_SETTINGS.items():
        path = workdir / "settings" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # with Agg inherited the kernel would draw no figures
    env.update(JUPYTER_CONFIG_DIR=str(workdir / "config"),
               JUPYTER_RUNTIME_DIR=str(workdir / "runtime"),
               JUPYTER_DATA_DIR=str(workdir / "data"),
               IPYTHONDIR=str(workdir / "ipython"))
    port, token = free_port(), secrets.token_hex(24)
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={workdir / 'settings'}",
        f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
        "--LabApp.extension_manager=readonly",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI containers run as root
    log_path = workdir / "jupyterlab.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    server = LabServer(process, port, token, root, log_path)
    try:
        _wait_until_answering(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_answering(server: LabServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise LabError(f"jupyter lab exited with code {server.process.returncode} "
                           f"before answering; its log ends:\n{server.log_tail()}")
        try:
            server.api("status")
            return
        except (OSError, urllib.error.URLError, ValueError):
            time.sleep(0.5)
    raise LabError(f"jupyter lab did not answer /api/status within {timeout:.0f} s; "
                   f"its log ends:\n{server.log_tail()}")


# ------------------------------------------------------------- the notebook

# One poll of the notebook's state, read in a single round trip.
_STATE_JS = """
() => {
  const panel = document.querySelector('PANEL');
  if (!panel) return null;
  const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const prompts = Array.from(panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt'))
      .map(p => p.textContent.trim());
  const dialog = document.querySelector('.jp-Dialog');
  const dirty = document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty') !== null;
  return {status: indicator ? indicator.dataset.status : null, prompts, dirty,
          dialog: dialog ? dialog.innerText.slice(0, 300) : null};
}
""".replace("PANEL", PANEL)

_NUMBERED = re.compile(r"^\[\d+\]:$")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def open_notebook(page, server: LabServer, name: str, timeout: float = 120.0) -> None:
    """Open ``name`` in a fresh JupyterLab workspace and wait for an idle kernel."""
    page.goto(server.url(f"lab/tree/{name}", query="reset"))
    page.wait_for_selector(f"{PANEL} .jp-Cell", timeout=timeout * 1000)
    # The page shows "idle" before any kernel exists; ask the server instead.
    _poll(page, timeout, f"the kernel of {name} to start",
          lambda s: s["status"] == "idle" and _kernel_state(server, name) == "idle")


def _kernel_state(server: LabServer, name: str) -> str | None:
    for session in server.api("sessions"):
        if session["path"] == name and session.get("kernel"):
            return session["kernel"]["execution_state"]
    return None


def run_all_cells(page) -> None:
    """Clear the stored outputs, then Run > Run All Cells, both through the menus."""
    _menu(page, "Edit", "editmenu:clear-all")
    _poll(page, 30, "the outputs to clear",
          lambda s: not any(_NUMBERED.match(p) for p in s["prompts"]))
    _menu(page, "Run", "runmenu:run-all")


def _menu(page, title: str, command: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{title}$")).click()
    page.locator(f'.lm-Menu-item[data-command="{command}"]').click()


def wait_until_run(page, name: str, timeout: float) -> dict:
    """Wait until the kernel is idle and no cell is queued any more.

    Run All marks every code cell ``[*]`` at once; a cell that raises cancels
    the rest, which go back to ``[ ]``. So "idle, nothing starred, something
    numbered" (seen twice in a row) means the run is over, complete or not.
    """
    def finished(state: dict) -> bool:
        prompts = state["prompts"]
        return (state["status"] == "idle" and "[*]:" not in prompts
                and any(_NUMBERED.match(p) for p in prompts))
    try:
        return _poll(page, timeout, f"all cells of {name} to run", finished, settle=2)
    except LabError as error:
        prompts = page.evaluate(_STATE_JS)["prompts"]
        done = sum(bool(_NUMBERED.match(p)) for p in prompts)
        running = prompts.index("[*]:") + 1 if "[*]:" in prompts else None
        raise LabError(f"{error}\n{done} of {len(prompts)} code cells finished"
                       + (f"; code cell {running} (counting from 1) was still running"
                          if running else "")) from None


def _poll(page, timeout: float, what: str, done, settle: int = 1) -> dict:
    """Evaluate the notebook state until ``done`` holds ``settle`` times in a row."""
    deadline, streak, state = time.monotonic() + timeout, 0, None
    while time.monotonic() < deadline:
        state = page.evaluate(_STATE_JS)
        if state and state["dialog"]:
            raise LabError(f"JupyterLab opened a dialog while waiting for {what}: "
                           f"{state['dialog']!r}")
        streak = streak + 1 if state and done(state) else 0
        if streak >= settle:
            return state
        page.wait_for_timeout(500)
    raise LabError(f"timed out after {timeout:.0f} s waiting for {what} "
                   f"(kernel {state and state['status']})")


def save_and_read(page, server: LabServer, name: str) -> dict:
    """File > Save the running copy and return it as JSON, outputs included.

    JupyterLab 4 draws a traceback like any stderr text (``data-mime-type=
    "application/vnd.jupyter.stderr"``), so the page cannot tell an error from
    a warning; the saved notebook can (``output_type: "error"``). Only the
    temporary copy the server serves is written.
    """
    _menu(page, "File", "docmanager:save")
    _poll(page, 30, f"{name} to be saved", lambda s: not s["dirty"])
    return json.loads((server.root / name).read_text(encoding="utf-8"))


def run_problems(notebook: dict) -> list[str]:
    """Every traceback (briefly), and which code cells were left without a count."""
    problems, unrun = [], []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        for output in cell["outputs"]:
            if output["output_type"] == "error":
                problems.append(f"cell {index} ({_first_line(cell)!r}) raised "
                                f"{output['ename']}: {_shorten(output['evalue'])}\n"
                                f"{_shorten(_ANSI.sub('', ''.join(output['traceback'][1:2])))}")
        if cell.get("execution_count") is None:
            unrun.append(index)
    if unrun:
        problems.append(f"{len(unrun)} code cells did not run (cells {unrun[:8]}"
                        f"{', ...' if len(unrun) > 8 else ''})")
    return problems


def _shorten(text: str, limit: int = 600) -> str:
    return text if len(text) <= limit else text[:limit] + " [...]"


def _first_line(cell: dict) -> str:
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    return next((line for line in source.splitlines() if line.strip()), "")[:60]


def logged_errors(page) -> list[str]:
    """The exception lines in JupyterLab's log console (View > Show Log Console).

    A widget callback that raises prints no traceback in its cell: JupyterLab
    sends it to the log console, so that is where to look for one.
    """
    _menu(page, "View", "logconsole:open")
    panel = page.locator(".jp-LogConsolePanel").first
    panel.wait_for(state="attached")
    page.wait_for_timeout(500)
    lines = [line.strip() for line in panel.inner_text().splitlines()]
    found = [line for line in lines if _EXCEPTION_LINE.match(line)]
    return [f"{line} (x{found.count(line)})" if found.count(line) > 1 else line
            for line in dict.fromkeys(found)]


_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)(: .*)?$")


def screenshot(page, path: Path) -> None:
    """Photograph the notebook panel, the window grown tall enough to show every cell."""
    path.parent.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(_FULL_HEIGHT_JS)
    # Chromium cannot capture more than 16384 pixels in one image.
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(height, 16000)})
    page.wait_for_timeout(500)
    page.evaluate(f"() => document.querySelector('{PANEL} .jp-WindowedPanel-outer').scrollTo(0, 0)")
    page.locator(PANEL).screenshot(path=str(path))


# How tall the window must be to show the notebook down to its last cell.
_FULL_HEIGHT_JS = """
() => {
  const outer = document.querySelector('PANEL .jp-WindowedPanel-outer');
  const cells = outer.querySelectorAll('.jp-Cell');
  const bottom = cells[cells.length - 1].getBoundingClientRect().bottom + outer.scrollTop;
  const below = window.innerHeight - outer.getBoundingClientRect().bottom;
  return Math.ceil(bottom + below + 40);
}
""".replace("PANEL", PANEL)


# ------------------------------------------------------------------ widgets

# What a control looks like in ipywidgets 8, and how a person would change it.
CONTROLS = {
    "slider": ".widget-slider",          # IntSlider, FloatSlider, SelectionSlider...
    "dropdown": ".widget-dropdown",
    "checkbox": ".widget-checkbox",
    "toggle buttons": ".widget-toggle-buttons",
    "radio buttons": ".widget-radio",
    "text box": ".widget-text",         # Text, IntText, FloatText...
}

# The cell's top-level outputs: is each a rendered widget, and what does it say?
_TOP_OUTPUTS_JS = """
cell => Array.from(cell.querySelectorAll(
      '.jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output')).map(out => ({
  widget: out.querySelector(':scope > .jupyter-widgets') !== null,
  mime: out.dataset.mimeType || null,
  text: out.innerText.slice(0, 200)}))
"""

# What the cell shows apart from its controls: every image, and the text of
# every output that holds no widget (outputs nested in an Output widget count).
_SHOWN_JS = """
cell => {
  const area = cell.querySelector('.jp-Cell-outputArea');
  if (!area) return '';
  const images = Array.from(area.querySelectorAll('img')).map(img => img.src);
  const texts = Array.from(area.querySelectorAll('.jp-OutputArea-output'))
      .filter(out => !out.classList.contains('jupyter-widgets')
                     && out.querySelector('.jupyter-widgets') === null)
      .map(out => out.innerText);
  return JSON.stringify([images, texts]);
}
"""

# A control's visible state: readouts, selections, ticks, slider positions.
_CONTROL_STATE_JS = """
el => JSON.stringify([
  Array.from(el.querySelectorAll('.widget-readout')).map(r => r.innerText),
  Array.from(el.querySelectorAll('select, input')).map(
      i => (i.type === 'checkbox' || i.type === 'radio') ? i.checked : i.value),
  Array.from(el.querySelectorAll('.noUi-handle')).map(h => h.getAttribute('aria-valuenow')),
  Array.from(el.querySelectorAll('button.mod-active')).map(b => b.innerText)])
"""


@dataclass
class WidgetReport:
    """What exercising the widgets of one notebook found."""

    changed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def stored_widget_views(notebook: Path) -> dict[int, int]:
    """Count the widget outputs stored in each cell of a saved notebook."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    counts = {}
    for index, cell in enumerate(cells):
        views = sum(WIDGET_MIME in output.get("data", {}) for output in cell.get("outputs", []))
        if views:
            counts[index] = views
    return counts


def cell_label(page, index: int) -> str:
    """``cell 7 (LiveFigure(draw, ...)`` -- the cell's number and first code line."""
    source = page.locator(f"{PANEL} .jp-Cell").nth(index).locator(
        ".jp-InputArea-editor .cm-line").first.inner_text()
    return f"cell {index} ({source.strip()[:60]!r})"


def check_widgets_rendered(page, expected: dict[int, int], timeout: float = 30.0) -> list[str]:
    """Wait until every cell that stored widget outputs shows as many rendered widgets.

    Returns one message per cell whose widgets did not render (a text repr such as
    ``VBox(children=...)`` or "Loading widget..." means the frontend is missing).
    """
    cells = page.locator(f"{PANEL} .jp-Cell")
    problems = []
    for index, count in sorted(expected.items()):
        deadline = time.monotonic() + timeout
        while True:
            outputs = cells.nth(index).evaluate(_TOP_OUTPUTS_JS)
            rendered = sum(out["widget"] for out in outputs)
            if rendered >= count or time.monotonic() > deadline:
                break
            page.wait_for_timeout(500)
        if rendered < count:
            shown = [out["text"] for out in outputs if not out["widget"]]
            problems.append(
                f"{cell_label(page, index)}: {rendered} of {count} widgets rendered after "
                f"{timeout:.0f} s; the other outputs show {shown!r}")
    return problems


def widget_cells(page) -> list[int]:
    """Indexes of the cells that show at least one rendered widget."""
    return page.evaluate(f"""() => Array.from(document.querySelectorAll('{PANEL} .jp-Cell'))
        .map((cell, i) => cell.querySelector('.jp-Cell-outputArea .jupyter-widgets') ? i : -1)
        .filter(i => i >= 0)""")


def exercise_widgets(page, server: LabServer, name: str, timeout: float = 60.0) -> WidgetReport:
    """Change every control of every widget once; each change must redraw its cell.

    A change counts when the cell's images or non-widget text differ afterwards;
    the figure of a ``LiveFigure`` is an ordinary output of the same cell, and an
    ``interact`` draws inside an Output widget, so both are covered.
    """
    report = WidgetReport()
    cells = page.locator(f"{PANEL} .jp-Cell")
    for index in widget_cells(page):
        cell = cells.nth(index)
        operated, wait = 0, timeout
        for kind, selector in CONTROLS.items():
            controls = cell.locator(f".jp-Cell-outputArea {selector}")
            for number in range(controls.count()):
                control = controls.nth(number)
                operated += 1
                redrawn, outcome = _change_and_watch(page, server, name, cell, kind, control, wait)
                where = f"{cell_label(page, index)}, {_describe(kind, control)}"
                (report.changed if redrawn else report.problems).append(f"{where}: {outcome}")
                if not redrawn:
                    wait = min(timeout, 5.0)  # the cell is broken: no need to wait long again
        if not operated:
            report.problems.append(f"{cell_label(page, index)} shows widgets but no control "
                                   f"this test knows how to operate ({', '.join(CONTROLS)})")
    return report


def _describe(kind: str, control) -> str:
    texts = control.locator(".widget-label, .widget-label-basic").all_inner_texts()
    label = next((t.replace("\u200b", "").strip() for t in texts
                  if t.replace("\u200b", "").strip()), "")
    return f"{kind} {label!r}" if label else kind


def _change_and_watch(page, server, name, cell, kind, control, timeout) -> tuple[bool, str]:
    """Operate one control; say whether the cell redrew, and what happened."""
    control.scroll_into_view_if_needed()
    shown_before = cell.evaluate(_SHOWN_JS)
    state_before = control.evaluate(_CONTROL_STATE_JS)
    _operate(kind, control)
    if not _wait_for(page, 5, lambda: control.evaluate(_CONTROL_STATE_JS) != state_before):
        return False, "the control did not move when operated"
    moved = f"moved from {_readable(state_before)} to {_readable(control.evaluate(_CONTROL_STATE_JS))}"
    redrawn = _wait_for(page, timeout, lambda: cell.evaluate(_SHOWN_JS) != shown_before)
    _poll(page, timeout, f"the kernel of {name} to finish the widget update",
          lambda s: s["status"] == "idle" and _kernel_state(server, name) == "idle")
    if redrawn:
        return True, f"{moved}, the output changed"
    return False, (f"{moved} but the cell's figure and text stayed the same for "
                   f"{timeout:.0f} s (is its observer broken, or does the drawing ignore "
                   f"this control?)")


def _readable(state: str) -> str:
    readouts, values, handles, active = json.loads(state)
    return repr((readouts or active or values or handles or ["?"])[0])


def _operate(kind: str, control) -> None:
    if kind == "slider":
        handle = control.locator(".noUi-handle").first
        at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        vertical = "widget-vslider" in (control.get_attribute("class") or "")
        keys = ("ArrowDown", "ArrowUp") if vertical else ("ArrowLeft", "ArrowRight")
        handle.focus()
        handle.press(keys[0] if at_max else keys[1])
    elif kind == "dropdown":
        select = control.locator("select")
        current = select.evaluate("s => s.selectedIndex")
        total = select.locator("option").count()
        select.select_option(index=(current + 1) % total)
    elif kind == "checkbox":
        control.locator("input[type=checkbox]").click()
    elif kind == "toggle buttons":
        control.locator("button:not(.mod-active)").first.click()
    elif kind == "radio buttons":
        control.locator("input[type=radio]:not(:checked)").first.check()
    elif kind == "text box":
        box = control.locator("input")
        box.fill(_next_text(box.input_value()))
        box.press("Enter")  # a box with continuous_update=False sends on Enter


def _next_text(text: str) -> str:
    """A nearby value for a text box: its first number plus one, say "(4, 1)" -> "(5, 1)"."""
    number = re.search(r"-?\d+(\.\d+)?", text)
    if number is None:
        return text + "x"
    value = float(number.group()) + 1 if number.group(1) else int(number.group()) + 1
    return text[:number.start()] + str(value) + text[number.end():]


def _wait_for(page, timeout: float, condition) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        page.wait_for_timeout(250)
    return condition()
