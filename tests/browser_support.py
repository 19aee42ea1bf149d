"""Drive a real JupyterLab in a real Chromium, for tests/test_browser.py.

Three pieces, each usable on its own:

- :class:`LabServer` starts ``jupyter lab`` from the kit's own environment on a free
  localhost port, with a random token and every piece of user state (config, workspaces,
  settings, runtime, IPython profile) in a temporary folder, and stops it again.
- :func:`launch_chromium` starts Debian's Chromium through Playwright (Playwright never
  downloads a browser here) with the flags a machine without network needs.
- :func:`open_notebook`, :func:`run_all`, :func:`problems` and :func:`move_control` open a
  lesson, run it the way a learner does (*Run > Run All Cells*), and list what a learner
  would see go wrong.

Selectors are JupyterLab 4's; they were checked against the real DOM of JupyterLab 4.6:

=================================================  ===========================================
``.jp-NotebookPanel``                              the open notebook (one per test page)
``.jp-Notebook-ExecutionIndicator[data-status]``   kernel state in the toolbar: idle / busy / ...
``.lm-MenuBar-itemLabel`` "Run", then              the Run menu, and its *Run All Cells* item
``.lm-Menu-item[data-command="runmenu:run-all"]``
``.jp-CodeCell .jp-InputPrompt``                   ``[ ]:`` not run, ``[*]:`` running, ``[3]:``
``.jp-OutputArea-output[data-mime-type]``          one output; tracebacks and stderr are
                                                   ``application/vnd.jupyter.stderr``
``.jp-OutputArea-executeResult``                   the child holding a cell's return value
``.jp-RenderedImage img``, ``.jp-RenderedSVG svg``  a chart
``.jupyter-widgets``                               a widget view drawn by the widget manager
``.jupyter-widgets-error-widget``                  "Error displaying widget" (ipywidgets 8
                                                   draws an icon and "Click to show javascript
                                                   error.")
``.jp-Dialog``                                     a modal dialog (e.g. "Select Kernel")
=================================================  ===========================================

The explorer convention shared with ``helpers.explorers.explorer``: an explorer is a widget
whose outermost element has the CSS class ``kit-explorer``; the key figure it shows lives in
an element with the class ``kit-explorer-result`` (the explorer's ``.result`` HTML widget),
and its text is exactly what the explorer's pure function returns.
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

#: Where Debian's package puts the browser.
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser")
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
)
INSTALL_HINT = (
    "the browser test needs Debian's Chromium, which is not installed "
    "(no 'chromium' on PATH). Install it with: sudo apt-get install chromium"
)

PROMPT_RUN = re.compile(r"^\[\d+\]:?$")
#: ipywidgets reprs: what a learner sees when the widget front end is missing or a widget is
#: printed instead of displayed, e.g. "VBox(children=(Dropdown(description='x', ...".
WIDGET_REPR = re.compile(
    r"\b(?:VBox|HBox|GridBox|Box|Dropdown|IntSlider|FloatSlider|IntRangeSlider|"
    r"FloatRangeSlider|SelectionSlider|SelectionRangeSlider|ToggleButtons|ToggleButton|"
    r"RadioButtons|Select|SelectMultiple|Checkbox|Button|Tab|Accordion|Stack|Output|HTML|"
    r"HTMLMath|Label|Text|Textarea|IntText|FloatText|BoundedIntText|BoundedFloatText|Play|"
    r"DatePicker|ColorPicker|Combobox|interactive)"
    r"\((?:\)|children=|description=|value=|options=|outputs=|layout=|index=|min=|max=|"
    r"_dom_classes=|placeholder=|style=)"
)
#: Chart objects leaking as text instead of (or besides) the chart (CONTRIBUTING.md: end a chart
#: cell with plt.show() or a trailing ';').
CHART_REPR = re.compile(
    r"^(?:<(?:Axes|Figure|AxesSubplot|matplotlib\.)|\[<matplotlib\.|Text\(-?[\d.]+, -?[\d.]+, )",
    re.MULTILINE,
)
ERROR_TEXT = re.compile(r"Traceback \(most recent call last\)|^\w*(?:Error|Exception)\b.*:", re.M)
#: A code cell that draws a chart: it calls plt.<something>( or plots.<something>( outside a
#: comment. A cell that calls them without drawing can opt out with the tag "no-chart".
CHART_CALL = re.compile(r"\b(?:plt|plots)\.\w+\(")
COMMENT = re.compile(r"#.*$", re.MULTILINE)


# --------------------------------------------------------------------------- the browser


def find_chromium() -> str | None:
    """The path of Debian's Chromium, or None when it is not installed."""
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def launch_chromium(playwright: Any, executable: str) -> Any:
    """Start headless Chromium at ``executable`` (never a Playwright-downloaded browser)."""
    return playwright.chromium.launch(
        executable_path=executable, headless=True, args=list(CHROMIUM_FLAGS)
    )


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    """A TCP port nobody listens on right now (bind to port 0 and ask the OS)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LabServer:
    """``jupyter lab`` serving ``root`` with all its state kept inside ``state``.

    ``page_config`` is written to the temporary config dir's ``labconfig/page_config.json``
    (e.g. ``{"disabledExtensions": {...}}`` to simulate a missing front-end extension).
    """

    root: Path
    state: Path
    page_config: dict[str, Any] | None = None
    startup_timeout: float = 60.0
    port: int = 0
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.state / "server.log"

    def start(self) -> LabServer:
        jupyter = Path(sys.executable).parent / "jupyter"
        dirs = {name: self.state / name for name in
                ("config", "runtime", "ipython", "workspaces", "settings", "data")}
        for path in dirs.values():
            path.mkdir(parents=True, exist_ok=True)
        # No "Would you like to get notified about official Jupyter news?" toast over the
        # lesson (the server-side news and update checks are off on the command line).
        notification = dirs["settings"] / "@jupyterlab" / "apputils-extension"
        notification.mkdir(parents=True, exist_ok=True)
        (notification / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        if self.page_config is not None:
            labconfig = dirs["config"] / "labconfig"
            labconfig.mkdir(exist_ok=True)
            (labconfig / "page_config.json").write_text(json.dumps(self.page_config))
        env = dict(os.environ)
        env.update(
            JUPYTER_CONFIG_DIR=str(dirs["config"]),
            JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
            JUPYTER_DATA_DIR=str(dirs["data"]),
            IPYTHONDIR=str(dirs["ipython"]),
            JUPYTER_PLATFORM_DIRS="1",
        )
        env.pop("JUPYTER_PATH", None)
        self.port = free_port()
        cmd = [
            str(jupyter), "lab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            f"--LabApp.workspaces_dir={dirs['workspaces']}",
            f"--LabApp.user_settings_dir={dirs['settings']}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # containers and CI runners often run as root
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.root
            )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"jupyter lab exited with code {self.process.returncode}; "
                    f"its log:\n{self.log.read_text(errors='replace')[-3000:]}"
                )
            try:
                self.api("GET", "/api/status", timeout=2)
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"jupyter lab did not answer /api/status within {self.startup_timeout:.0f} s; "
            f"its log:\n{self.log.read_text(errors='replace')[-3000:]}"
        )

    def api(self, method: str, path: str, timeout: float = 10) -> Any:
        """Call the server's REST API with the token; the decoded JSON (or None)."""
        request = urllib.request.Request(
            self.url + path, method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Stop every kernel session (between lessons, so kernels do not pile up)."""
        try:
            for session in self.api("GET", "/api/sessions"):
                self.api("DELETE", f"/api/sessions/{session['id']}")
        except (OSError, urllib.error.URLError):
            pass

    def stop(self) -> None:
        """Terminate the server (SIGTERM, then SIGKILL after 10 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def lab_url(self, notebook: str, workspace: str) -> str:
        """A fresh workspace per page, so no earlier tab is restored next to the lesson."""
        return f"{self.url}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={self.token}"


# --------------------------------------------------------------------------- the lesson


class BrowserTimeout(AssertionError):
    """The page did not reach the expected state in time."""


def _wait(page: Any, script: str, timeout: float, what: str, arg: Any = None) -> None:
    try:
        page.wait_for_function(script, arg=arg, timeout=timeout * 1000, polling=200)
    except Exception as err:  # playwright's TimeoutError
        raise BrowserTimeout(f"{what} (waited {timeout:.0f} s): {err}") from None


def open_notebook(page: Any, server: LabServer, notebook: str, timeout: float = 60) -> None:
    """Open ``notebook`` in a fresh workspace and wait for its kernel to be idle."""
    workspace = re.sub(r"[^A-Za-z0-9]+", "-", notebook).strip("-") + "-" + secrets.token_hex(3)
    page.goto(server.lab_url(notebook, workspace), wait_until="domcontentloaded")
    _wait(
        page,
        """() => {
            if (document.querySelector('.jp-Dialog')) return true;
            const panel = document.querySelector('.jp-NotebookPanel');
            if (!panel) return false;
            const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
            const kernel = panel.querySelector('.jp-Toolbar-kernelName');
            // Before the session starts the indicator already says idle, next to
            // "No Kernel"; wait for a named kernel that is idle.
            return ind && ind.dataset.status === 'idle' && kernel
                && kernel.textContent.trim() !== '' && kernel.textContent.trim() !== 'No Kernel'
                && panel.querySelectorAll('.jp-Cell').length > 0;
        }""",
        timeout,
        f"{notebook}: the notebook did not open with an idle kernel",
    )
    dialog = page.query_selector(".jp-Dialog")
    if dialog is not None:
        raise AssertionError(f"{notebook}: JupyterLab shows a dialog on opening: "
                             f"{dialog.inner_text()[:300]!r}")


def run_all(page: Any, notebook: str, timeout: float = 120) -> float:
    """*Run > Run All Cells*, then wait until nothing is queued and the kernel is idle.

    Returns the seconds it took. Execution stops at the first error, so "finished" means
    no ``[*]`` prompt is left and the kernel is idle (not that every cell has a number:
    :func:`problems` reports the cells that never ran).
    """
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click('.lm-Menu-item[data-command="runmenu:run-all"]')
    start = time.monotonic()
    _wait(
        page,
        r"""() => {
            const panel = document.querySelector('.jp-NotebookPanel');
            const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
            // visible prompts (hidden-input cells show none): at least one has a number,
            // so the run really started, and none is still queued
            const shown = prompts.filter(p => p.closest('.jp-InputArea'));
            const started = shown.length === 0
                || shown.some(p => /\[\d+\]/.test(p.textContent));
            return started && !prompts.some(p => p.textContent.includes('*'))
                && ind && ind.dataset.status === 'idle';
        }""",
        timeout,
        f"{notebook}: Run All Cells did not finish",
    )
    elapsed = time.monotonic() - start
    # Widget views render after the kernel is idle; give them a moment (bounded).
    try:
        page.wait_for_function(
            """() => !document.querySelector('.jp-NotebookPanel').textContent
                       .includes('Loading widget...')""",
            timeout=15_000, polling=200,
        )
    except Exception:
        pass  # problems() reports the widget that never rendered
    page.wait_for_timeout(300)
    return elapsed


def save_and_read(page: Any, path: Path, timeout: float = 15) -> dict[str, Any] | None:
    """*File > Save Notebook*, then the saved notebook as JupyterLab has it (or None).

    Hidden-input cells (solutions, prose checks) show no execution count on the page; the
    saved copy has every cell's count. Only the temporary copy is ever saved.
    """
    before = path.stat().st_mtime_ns
    try:
        page.click(".lm-MenuBar-itemLabel:text-is('File')")
        page.click('.lm-Menu-item[data-command="docmanager:save"]')
    except Exception:
        page.keyboard.press("Escape")
        return None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.stat().st_mtime_ns != before:
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                pass  # still being written
        time.sleep(0.1)
    return None


_COLLECT = """() => {
    const panel = document.querySelector('.jp-NotebookPanel');
    return [...panel.querySelectorAll('.jp-CodeCell')].map(cell => {
        const prompt = cell.querySelector('.jp-InputPrompt');
        const area = cell.querySelector('.jp-OutputArea');
        const outputs = area ? [...area.querySelectorAll(':scope > .jp-OutputArea-child')] : [];
        return {
            prompt: prompt ? prompt.textContent.trim() : '',
            // source_hidden cells (solutions) show a placeholder without a count
            hidden: !!cell.querySelector('.jp-InputPlaceholder'),
            outputs: outputs.map(child => {
                const out = child.querySelector('.jp-OutputArea-output');
                return {
                    mime: out ? (out.dataset.mimeType || '') : '',
                    result: child.classList.contains('jp-OutputArea-executeResult'),
                    // textContent, not innerText: innerText is empty for cells that
                    // content-visibility skips (off screen in JupyterLab 4)
                    text: out ? out.textContent : '',
                    widget: !!(out && out.querySelector('.jupyter-widgets')),
                    widgetError: out ? out.querySelectorAll(
                        '.jupyter-widgets-error-widget').length : 0,
                };
            }),
            images: area ? [...area.querySelectorAll('img')].filter(
                img => img.complete && img.naturalWidth > 0).length
                + area.querySelectorAll('.jp-RenderedSVG svg').length : 0,
        };
    });
}"""


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def tags(cell: dict[str, Any]) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _snippet(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def problems(page: Any, notebook: dict[str, Any], name: str,
             console: list[str] | None = None, saved: dict[str, Any] | None = None
             ) -> list[str]:
    """Everything a learner would see go wrong in the open, already run notebook.

    ``notebook`` is the stored notebook (JSON) whose code cells match the page's code cells
    one to one; ``saved`` the same notebook saved by JupyterLab after the run (see
    :func:`save_and_read`), which tells whether hidden-input cells ran. Returns one readable
    line per problem; an empty list means the lesson is fine.
    """
    code = [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
    counts: list[Any] | None = None
    if saved is not None:
        counts = [c.get("execution_count") for c in saved.get("cells", [])
                  if c.get("cell_type") == "code"]
        if len(counts) != len(code):
            counts = None
    cells = page.evaluate(_COLLECT)
    found: list[str] = []
    dialog = page.query_selector(".jp-Dialog")
    if dialog is not None:
        found.append(f"{name}: JupyterLab shows a dialog: {_snippet(dialog.inner_text(), 300)!r}")
    if len(cells) != len(code):
        found.append(f"{name}: the page shows {len(cells)} code cells, the file has {len(code)}")
    js_errors = [m for m in (console or []) if "error" in m.lower()]
    # A hidden-input cell shows no count; Run All runs in order, so it ran when a later
    # cell ran or when it has outputs.
    last_ran = max((i for i, c in enumerate(cells) if PROMPT_RUN.match(c["prompt"])), default=-1)
    for number, (stored, shown) in enumerate(zip(code, cells, strict=False), start=1):
        source = _source(stored)
        where = f"{name}: code cell {number} ({_snippet(source, 60)!r})"
        ran = bool(PROMPT_RUN.match(shown["prompt"])) or (
            shown["hidden"] and (number - 1 < last_ran or bool(shown["outputs"])
                                 or (counts is not None and counts[number - 1] is not None)))
        if source.strip() and not ran:
            found.append(f"{where} did not run (prompt {shown['prompt']!r}); "
                         "execution stopped earlier or the kernel died")
        for out in shown["outputs"]:
            text = out["text"]
            if out["mime"] == "application/vnd.jupyter.stderr" and ERROR_TEXT.search(text):
                found.append(f"{where} shows an error: {_snippet(text, 400)}")
            if out["widgetError"]:
                detail = f"; browser console: {_snippet(' | '.join(js_errors), 400)}" \
                    if js_errors else ""
                found.append(f"{where}: Error displaying widget (the widget's front end "
                             f"failed to load){detail}")
            if "Loading widget..." in text:
                found.append(f"{where}: a widget is still 'Loading widget...' (never drawn)")
            if not out["widget"] and out["mime"] in (
                "text/plain", "application/vnd.jupyter.stdout", ""
            ):
                match = WIDGET_REPR.search(text)
                if match:
                    found.append(f"{where}: a widget is shown as text ({_snippet(text, 120)!r}) "
                                 "instead of being drawn; is the ipywidgets front end "
                                 "(jupyterlab_widgets) installed, and is the widget displayed "
                                 "rather than printed?")
                if CHART_REPR.search(text):
                    found.append(f"{where}: a chart object leaks as text "
                                 f"({_snippet(text, 80)!r}); end the cell with plt.show() "
                                 "or a ';'")
        draws = CHART_CALL.search(COMMENT.sub("", source)) and "no-chart" not in tags(stored)
        if draws and ran and shown["images"] == 0:
            found.append(f"{where} draws a chart (calls plt./plots.) but shows no image "
                         "(tag the cell 'no-chart' if it is not meant to draw)")
    return found


def stderr_notes(page: Any, name: str) -> list[str]:
    """stderr lines that are not errors (warnings): not failures, but worth a look."""
    texts = page.evaluate(
        """() => [...document.querySelectorAll(
            '.jp-NotebookPanel .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
        )].map(e => e.textContent)"""
    )
    return [f"{name}: stderr: {_snippet(t, 200)}" for t in texts if not ERROR_TEXT.search(t)]


# --------------------------------------------------------------------------- explorers


def explorer_result(page: Any, index: int = 0) -> str:
    """The text of the key figure of the ``index``-th explorer on the page."""
    locator = page.locator(".jp-NotebookPanel .kit-explorer").nth(index)
    return (locator.locator(".kit-explorer-result").first.text_content() or "").strip()


def move_control(page: Any, how: str, target: str, value: str, index: int = 0) -> None:
    """Move one control inside the ``index``-th ``.kit-explorer`` like a learner would.

    how = "select"  ``target`` a CSS selector (e.g. "select") -> choose the option labelled
                    ``value``;
          "toggle"  click the button (ToggleButtons / Button) whose text is ``value``;
          "keys"    focus the control matched by ``target`` (a number box, a slider
                    handle) and press the keys in ``value`` (e.g. "ArrowUp Enter");
          "text"    fill the input matched by ``target`` with ``value`` and press Enter.
    """
    explorer = page.locator(".jp-NotebookPanel .kit-explorer").nth(index)
    explorer.scroll_into_view_if_needed()
    if how == "select":
        explorer.locator(target).first.select_option(label=value)
    elif how == "toggle":
        explorer.locator(target or "button").filter(has_text=value).first.click()
    elif how in ("keys", "slider"):
        handle = explorer.locator(target or "input").first
        handle.focus()
        for key in value.split():
            handle.press(key)
    elif how == "text":
        box = explorer.locator(target or "input").first
        box.fill(value)
        box.press("Enter")
    else:
        raise ValueError(f"move_control(): unknown how={how!r}; use select, toggle, keys "
                         "or text")


def wait_for_result(page: Any, expected: str, before: str, index: int = 0,
                    timeout: float = 15, settle: float = 1.5) -> str:
    """Wait until the explorer shows ``expected``; return what it shows in the end.

    Returns early when the figure changed to something else and stayed there for
    ``settle`` seconds (a wrong value), so a failing check does not wait the full timeout.
    """
    deadline = time.monotonic() + timeout
    changed_at: float | None = None
    shown = before
    while time.monotonic() < deadline:
        previous, shown = shown, explorer_result(page, index)
        if shown == expected:
            return shown
        if shown != before:
            if shown != previous or changed_at is None:
                changed_at = time.monotonic()
            elif time.monotonic() - changed_at >= settle:
                return shown
        page.wait_for_timeout(100)
    return shown


# --------------------------------------------------------------------------- pictures


def screenshot(page: Any, path: Path, max_height: int = 16_000) -> None:
    """The whole notebook as a learner scrolls through it, in one PNG.

    JupyterLab fills the window and scrolls inside the notebook, so a "full page" screenshot
    would show one screen. The viewport is grown to the notebook's height (capped at
    ``max_height`` pixels, Chromium's texture limit), then captured.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or {"width": 1280, "height": 900}
    extra = page.evaluate(
        """() => {
            const panel = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')
                || document.querySelector('.jp-NotebookPanel .jp-Notebook');
            return {scroll: panel.scrollHeight, client: panel.clientHeight};
        }"""
    )
    height = min(max_height, size["height"] + max(0, extra["scroll"] - extra["client"]))
    page.set_viewport_size({"width": size["width"], "height": height})
    page.wait_for_timeout(500)  # let content-visibility cells paint
    page.evaluate(
        """() => { const p = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
                   if (p) p.scrollTop = 0; }"""
    )
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


# --------------------------------------------------------------------------- accessibility
#: What the kit draws inside a notebook: outputs (charts, tables, feedback, explorers) and the
#: lessons' own text. JupyterLab's chrome around them is not the kit's to fix.
KIT_CONTENT = [".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea",
               ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownOutput"]
AXE_IMPACTS = ("serious", "critical")


def axe_violations(page: Any, name: str, impacts: tuple[str, ...] = AXE_IMPACTS) -> list[str]:
    """axe-core's serious and critical violations in what the kit drew, one line each.

    axe-core comes with the ``axe-playwright-python`` package (its ``axe.min.js``), so the
    check runs offline. Only :data:`KIT_CONTENT` is audited.
    """
    from axe_playwright_python.base import AXE_FILE_PATH

    page.evaluate(AXE_FILE_PATH.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async (selectors) => {
            const include = selectors.filter(s => document.querySelector(s));
            if (!include.length) return [];
            const result = await axe.run({include}, {resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.length, where: v.nodes.slice(0, 2).map(n => n.html.slice(0, 140))}));
        }""",
        KIT_CONTENT,
    )
    return [f"{name}: axe-core {v['impact']} '{v['id']}' ({v['help']}) on {v['nodes']} "
            f"element(s), e.g. {v['where']}" for v in found if v["impact"] in impacts]
