"""Open JupyterLab on lesson 00, quietly: ``python -m helpers.lab`` (what ``make lab`` runs).

The same command works on Windows, macOS and Linux, with or without ``make``:

.. code-block:: sh

    python -m pip install -e ".[lab]"    # once, in the kit's folder
    python -m helpers.lab                # opens lesson 00 in your browser

What it does, so the terminal shows nothing a newcomer needs to worry about:

- serves the kit's ``notebooks/`` folder on 127.0.0.1 only, token auth left on, and prints a
  link that opens lesson 00 itself (``/lab/tree/00_start_here.ipynb``), not the Launcher;
- marks the kit's own notebooks as trusted (what ``jupyter trust`` does), so the server does
  not log "Notebook ... is not trusted" for each lesson;
- turns off what the kit does not use and what would need the network: the language-server
  extension (jupyter-lsp, which logs every language server it cannot find), news, update
  checks and the extension manager's downloads.

Any other arguments go to ``jupyter lab``, e.g. ``python -m helpers.lab --no-browser --port=8899``.
Nothing here is imported by the lessons; only this launcher needs JupyterLab.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

__all__ = ["LESSON_00", "lab_arguments", "main", "notebooks_dir", "trust_notebooks"]

#: The lesson the printed link and the browser open.
LESSON_00 = "00_start_here.ipynb"

_INSTALL_LAB = 'python -m pip install -e ".[lab]"'


def notebooks_dir(start: Path | None = None) -> Path:
    """The folder holding the lessons.

    The kit's source tree (``notebooks/`` beside the ``helpers`` package) when it is there,
    else ``notebooks/`` in the current folder, else the current folder.

    Examples
    --------
    >>> (notebooks_dir() / LESSON_00).exists()
    True
    """
    here = Path(__file__).resolve().parent.parent / "notebooks"
    if (here / LESSON_00).exists():
        return here
    cwd = Path(start) if start is not None else Path.cwd()
    for candidate in (cwd / "notebooks", cwd):
        if (candidate / LESSON_00).exists():
            return candidate
    return cwd


def lab_arguments(root: Path, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The ``jupyter lab`` arguments the kit uses (``extra`` last, so it can override them).

    Examples
    --------
    >>> args = lab_arguments(Path("notebooks"))
    >>> "--ServerApp.ip=127.0.0.1" in args
    True
    >>> "--LabApp.default_url=/lab/tree/00_start_here.ipynb" in args
    True
    """
    args = [
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={root}",
        # the printed link and the browser open lesson 00, not the Launcher
        f"--LabApp.default_url=/lab/tree/{LESSON_00}",
        # the kit uses no language server; jupyter-lsp would list ~20 it cannot find
        "--ServerApp.jpserver_extensions=jupyter_lsp=False",
        # offline and quiet: no news, no update checks, no extension downloads
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    args += _kernel_transport()
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    return [*args, *extra]


def _kernel_transport() -> list[str]:
    """Encrypt the kernel's connection (CurveZMQ) where pyzmq can, else use local sockets.

    A kernel on plain TCP logs "susceptible to eavesdropping" each time a lesson opens.
    """
    try:
        import zmq
        from jupyter_client.manager import KernelManager

        if zmq.has("curve") and hasattr(KernelManager, "transport_encryption"):
            return ["--KernelManager.transport_encryption=auto"]
    except Exception:  # no pyzmq or jupyter_client here: the server will say so itself
        return []
    return ["--KernelManager.transport=ipc"] if os.name == "posix" else []


def trust_notebooks(root: Path) -> int:
    """Sign the kit's notebooks in ``root`` as trusted (as ``jupyter trust`` does).

    Returns how many notebooks were newly signed. Notebooks that cannot be read are left
    alone: the server reports them as usual.
    """
    import nbformat
    from nbformat.sign import NotebookNotary

    notary = NotebookNotary()
    signed = 0
    for path in sorted(Path(root).glob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # a broken notebook is the server's to report, not ours
            continue
        if not notary.check_signature(nb):
            notary.sign(nb)
            signed += 1
    return signed


def _quiet_settings() -> None:
    """No news pop-up or update check in JupyterLab's settings (where the environment allows)."""
    folder = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"
    overrides = {
        "@jupyterlab/apputils-extension:notification": {
            "fetchNews": "false",
            "checkForUpdates": False,
        }
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "overrides.json"
        if not path.exists():
            path.write_text(json.dumps(overrides, indent=1) + "\n", encoding="utf-8")
    except OSError:  # a read-only system Python: the command-line options still apply
        pass


def prepare(root: Path | None = None) -> Path:
    """Quiet settings and trusted notebooks; returns the notebooks folder."""
    root = notebooks_dir() if root is None else Path(root)
    _quiet_settings()
    trust_notebooks(root)
    return root


def main(argv: list[str] | None = None) -> int:
    """Start JupyterLab on lesson 00 with the kit's quiet options."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--prepare"]:
        prepare()
        return 0
    try:
        from jupyterlab.labapp import LabApp
    except ImportError:
        print(
            "JupyterLab is not installed in this Python.\n"
            f"In a terminal, in the kit's folder, run:  {_INSTALL_LAB}\n"
            "then run this command again.",
            file=sys.stderr,
        )
        return 1
    root = prepare()
    LabApp.launch_instance(argv=lab_arguments(root, argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
