"""Check the web edition: serve it on 127.0.0.1 and look at each page as a browser sees it.

Used by ``test_site.py``. Every check is a function that returns the problems it
found (an empty list when there are none), so the tests can show each one
finding a problem planted in a copy of the site, not only passing on the real one.
Nothing here imports playwright at module level.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from labdriver import free_port

LOCAL_HOSTS = {"127.0.0.1"}
# Schemes that never reach a server (inline data, in-page script URLs).
INERT_SCHEMES = {"data", "blob", "about", "javascript"}
# axe-core's impacts, from the top: these two fail the test.
FAILING_IMPACTS = {"serious", "critical"}


@dataclass
class Server:
    """``python -m http.server`` on a folder, bound to 127.0.0.1."""

    process: subprocess.Popen
    port: int

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def serve(folder: Path, timeout: float = 30.0) -> Server:
    """Serve ``folder`` on a free port of 127.0.0.1 and wait until it answers."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                "--directory", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Server(process, port)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(server.url(), timeout=2):
                return server
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"http.server on {folder} did not answer on port {port}") from None
            time.sleep(0.2)


# --- internal links, from the files ------------------------------------------------------------

class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name"):
            if attrs.get(name):
                self.ids.add(attrs[name])
        for name in ("href", "src"):
            if attrs.get(name) is not None and tag in ("a", "link", "img", "script", "source", "iframe"):
                self.targets.append(attrs[name])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def broken_internal_links(site: Path) -> list[str]:
    """Every link or resource of every page that points inside the site at nothing.

    A link counts as internal when it has no scheme and no host. Its file must
    exist inside the site, and its ``#fragment``, if any, must be an id (or a
    name) in that file.
    """
    site = site.resolve()
    # The pages a reader can reach; _static/ holds the theme's template fragments, not pages.
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)
    parsed = {page: _parse(page) for page in pages}
    problems = []
    for page, links in parsed.items():
        for target in links.targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.strip() == "":
                continue
            path = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            where = f"{page.relative_to(site)}: {target}"
            if site not in path.parents and path != site:
                problems.append(f"{where} leaves the site")
            elif path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                problems.append(f"{where} points at a missing file")
            elif parts.fragment and path.suffix == ".html":
                ids = parsed[path].ids if path in parsed else _parse(path).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{where} points at a missing anchor")
    return problems


# --- a page in the browser ---------------------------------------------------------------------

@dataclass
class PageReport:
    """What one page load showed."""

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    math: dict = field(default_factory=dict)
    serious_violations: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything wrong with the page, one line each."""
        found = [f"console error: {e}" for e in self.console_errors]
        found += [f"failed request: {r}" for r in self.failed_requests]
        found += [f"request to another host: {r}" for r in self.external_requests]
        found += [f"image not loaded: {i['src']}" for i in self.images if not i["loaded"]]
        found += [f"image without alt text: {i['src']}" for i in self.images if not i["alt"]]
        if self.math.get("expected") and self.math.get("typeset") != self.math.get("expected"):
            found.append(f"math not typeset: {self.math}")
        if self.math.get("errors"):
            found.append(f"math errors: {self.math['errors']}")
        found += [f"accessibility: {v}" for v in self.serious_violations]
        return found


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in INERT_SCHEMES or parts.hostname in LOCAL_HOSTS


def open_page(context, url: str, report: PageReport):
    """Open ``url`` in a new tab of ``context``, recording every request and console error.

    Requests to any host other than 127.0.0.1 are recorded and aborted, so the
    check never depends on (or reaches) the internet.
    """
    page = context.new_page()

    def route(route_):
        if _is_local(route_.request.url):
            route_.continue_()
        else:
            report.external_requests.append(route_.request.url)
            route_.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and report.console_errors.append(m.text))
    page.on("pageerror", lambda e: report.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: _is_local(r.url) and report.failed_requests.append(
        f"{r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and report.failed_requests.append(f"{r.url} ({r.status})"))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return page


IMAGES_JS = """async () => {
  const images = Array.from(document.images);
  images.forEach(i => { i.loading = "eager"; });
  await Promise.all(images.map(i => i.complete ? null : new Promise(r => { i.onload = r; i.onerror = r; })));
  return images.map(i => ({src: i.getAttribute("src"), loaded: i.complete && i.naturalWidth > 0,
                           alt: (i.getAttribute("alt") || "").trim()}));
}"""

MATH_JS = """async () => {
  const expected = document.querySelectorAll(".math").length;
  if (expected && window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const typeset = Array.from(document.querySelectorAll(".math")).filter(m => m.querySelector("mjx-container")).length;
  return {expected: expected, typeset: typeset, errors: document.querySelectorAll("mjx-merror").length};
}"""


def inspect_page(context, url: str, axe_js: Path | None, screenshot: Path | None = None) -> PageReport:
    """Load a page and report its errors, requests, images, math and accessibility."""
    report = PageReport()
    page = open_page(context, url, report)
    try:
        report.images = page.evaluate(IMAGES_JS)
        report.math = page.evaluate(MATH_JS)
        page.wait_for_load_state("networkidle")
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
        if axe_js is not None:
            report.serious_violations = axe_violations(page, axe_js)
    finally:
        page.close()
    return report


def axe_violations(page, axe_js: Path) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    page.add_script_tag(content=axe_js.read_text(encoding="utf-8"))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in violations if v.get("impact") in FAILING_IMPACTS]


# --- search ------------------------------------------------------------------------------------

SEARCH_DONE_JS = """() => {
  const box = document.querySelector("#search-results");
  return !!box && box.querySelectorAll("p.search-summary, .search-summary").length > 0;
}"""


def search(context, server: Server, word: str, screenshot: Path | None = None) -> list[str]:
    """The pages Sphinx's static search lists for ``word``, as file names."""
    report = PageReport()
    page = open_page(context, server.url(f"search.html?q={word}"), report)
    try:
        page.wait_for_function(SEARCH_DONE_JS, timeout=30_000)
        hrefs = page.eval_on_selector_all("#search-results li a", "links => links.map(a => a.getAttribute('href'))")
        if screenshot is not None:
            page.screenshot(path=str(screenshot))
    finally:
        page.close()
    if report.problems():
        raise AssertionError(f"the search page itself has problems: {report.problems()}")
    return sorted({Path(urlsplit(h).path).name for h in hrefs})


def words_only_in(notebooks: list[Path], target: str, min_length: int = 9) -> list[str]:
    """Words of the markdown of notebook ``target`` found in no other notebook's markdown or code."""
    def words(path: Path, kinds: tuple[str, ...]) -> set[str]:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = " ".join("".join(c["source"]) for c in cells if c["cell_type"] in kinds)
        return {w.lower() for w in re.findall(r"[A-Za-z]+", text) if len(w) >= min_length}

    mine = words(next(p for p in notebooks if p.stem == target), ("markdown",))
    others = set().union(*(words(p, ("markdown", "code")) for p in notebooks if p.stem != target))
    # Sphinx's search matches stems ("accumulate" finds "accumulated"), so a word counts as 08's
    # own only if no word elsewhere shares its first seven letters.
    stems = {w[:7] for w in others}
    return sorted(w for w in mine - others if w[:7] not in stems)


# --- static widgets ----------------------------------------------------------------------------

WIDGETS_JS = """() => Array.from(document.querySelectorAll(".c2-widget")).map(w => ({
  key: w.dataset.c2Widget, frozen: w.classList.contains("c2-frozen"), ready: w.classList.contains("c2-ready"),
  note: (w.querySelector(".c2-note") || {}).textContent || "",
  controls: w.querySelectorAll(".c2-control input, .c2-control select").length}))"""

STATE_JS = """key => {
  const w = document.querySelector(`.c2-widget[data-c2-widget="${key}"]`);
  const img = w.closest(".cell").querySelector("img.c2-live");
  const text = w.querySelector("pre.c2-text");
  return {src: img.getAttribute("src"), alt: img.alt, loaded: img.complete && img.naturalWidth > 0,
          imgHidden: img.hidden, text: text.hidden ? null : text.textContent};
}"""

MOVE_JS = """([key, index]) => {
  const w = document.querySelector(`.c2-widget[data-c2-widget="${key}"]`);
  const input = w.querySelectorAll(".c2-control input, .c2-control select")[index];
  if (input.type === "checkbox") { input.click(); return "toggled"; }
  const count = input.tagName === "SELECT" ? input.options.length : parseInt(input.max, 10) + 1;
  const now = parseInt(input.value, 10);
  const next = now === count - 1 ? 0 : count - 1;
  input.value = String(next);
  input.dispatchEvent(new Event(input.tagName === "SELECT" ? "change" : "input", {bubbles: true}));
  return `${now} -> ${next}`;
}"""


def widgets_on(page) -> list[dict]:
    """The static widgets of the open page."""
    return page.evaluate(WIDGETS_JS)


def move_each_control(page, key: str) -> list[str]:
    """Move every control of widget ``key`` once; the controls whose move changed nothing shown."""
    problems = []
    for index in range(page.evaluate(f"() => document.querySelector('.c2-widget[data-c2-widget=\"{key}\"]')"
                                     ".querySelectorAll('.c2-control input, .c2-control select').length")):
        before = page.evaluate(STATE_JS, key)
        move = page.evaluate(MOVE_JS, [key, index])
        try:
            page.wait_for_function(
                f"([key, src, text]) => {{ const s = ({STATE_JS})(key); return s.src !== src || s.text !== text; }}",
                arg=[key, before["src"], before["text"]], timeout=5_000)
        except Exception:  # playwright's TimeoutError; nothing changed
            problems.append(f"{key} control {index} ({move}): the figure did not change")
            continue
        try:   # the new frame is shown as text at once, or as an image once it has loaded
            page.wait_for_function(f"key => {{ const s = ({STATE_JS})(key); return s.text !== null || s.loaded; }}",
                                   arg=key, timeout=10_000)
        except Exception:  # playwright's TimeoutError; reported below
            pass
        after = page.evaluate(STATE_JS, key)
        if after["text"] is None and not (after["loaded"] and "Shown for" in after["alt"]):
            problems.append(f"{key} control {index} ({move}): new image not loaded or without alt: {after}")
    return problems
