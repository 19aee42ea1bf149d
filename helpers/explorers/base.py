"""The one explorer builder: controls that re-run a domain function and show its result.

An explorer computes nothing. :func:`explorer` wires ipywidgets controls to one function of
a domain module (``traffic.visitor_mix``, ``leads.score_threshold``...), which returns a
frozen result with a ``headline`` (the sentence shown) and a ``value`` (the key figure)::

    box = explorer(
        {"channel": w.Dropdown(options=["all", "email"], description="channel")},
        lambda channel: traffic.traffic_mix(sessions, answer_key, channel),
        render=lambda mix: mix.table,
    )
    box                      # shows the controls, the key figure and the result

Every change of a control calls ``update(**values)`` again. The returned :class:`Explorer` is an
``ipywidgets.VBox`` that also keeps ``.result`` (the last value ``update`` returned), ``.error``
and ``.controls``, so a test can set ``box.controls["channel"].value = "email"`` and read
``box.result``. The key figure is in an HTML element of class ``kit-explorer-result``, with the
raw number in its ``data-value`` attribute, for the browser test.

Results are turned into display data directly (figures become PNG images, with their alt text
as an HTML image beside), so the output shows up in JupyterLab and in a saved notebook whatever
the matplotlib backend.

Accessibility: every control has a ``description`` (its accessible name); numbers are set with
labelled number boxes (``BoundedIntText``/``BoundedFloatText``: arrow keys or the spinner step
them) rather than sliders, whose handles ipywidgets leaves without an accessible name; the key
figure is a polite live region, so a screen reader announces it when it changes.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = ["Explorer", "explorer"]



def _figure_bundle(fig: Figure) -> dict[str, Any]:
    """The figure as a PNG, and as HTML: the same image with its alt text (plots.alt_text)."""
    from helpers import plots

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    bundle = {
        "text/html": plots._show_with_alt_text(fig),
        "image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
        "text/plain": f"<Figure: {fig.axes[0].get_title() if fig.axes else ''}>",
    }
    plt.close(fig)
    return bundle


def _bundle(item: Any) -> dict[str, Any]:
    """Display data (a MIME bundle) for one thing to show."""
    if isinstance(item, Axes):
        item = item.get_figure()
    if isinstance(item, Figure):
        return _figure_bundle(item)
    if isinstance(item, str):
        return {"text/plain": item}
    data: dict[str, Any] = {"text/plain": repr(item)}
    for mime, method in (("text/html", "_repr_html_"), ("text/markdown", "_repr_markdown_")):
        function = getattr(item, method, None)
        if callable(function):
            try:
                value = function()
            except Exception:
                value = None
            if value:
                data[mime] = value
    return data


def _bundles(shown: Any) -> tuple[dict[str, Any], ...]:
    items = list(shown) if isinstance(shown, (list, tuple)) else [shown]
    return tuple(
        {"output_type": "display_data", "data": _bundle(item), "metadata": {}}
        for item in items
        if item is not None
    )


def _default_key(result: Any) -> tuple[str, Any] | None:
    """A result's ``(headline, value)``; numbers and text are their own key figure."""
    if hasattr(result, "headline") and hasattr(result, "value"):
        return result.headline, result.value
    if isinstance(result, (bool, np.bool_)):
        return str(bool(result)), bool(result)
    if isinstance(result, (int, float, np.number)):
        return f"{result:,.4g}", result
    if isinstance(result, str):
        return result, result
    return None


def _key_html(text: str, value: Any) -> str:
    return (
        f'<div class="kit-explorer-result" data-value="{html.escape(str(value), quote=True)}" '
        'role="status" aria-live="polite" '
        f'style="font-size: 1.15em; font-weight: bold; margin: 0.3em 0;">'
        f"{html.escape(text)}</div>"
    )


class Explorer(w.VBox):
    """The box :func:`explorer` returns: controls, key figure, output, plus the last result.

    Attributes
    ----------
    controls : dict of str to Widget
        The controls, by the argument name they feed.
    result : Any
        What ``update`` returned for the current control values (None after an error).
    error : Exception or None
        The exception ``update`` raised for the current values, if any.
    key : ipywidgets.HTML
        Holds ``<div class="kit-explorer-result" data-value="...">`` with the key figure.
    output : ipywidgets.Output
        Where the result is shown.
    """

    def __init__(
        self,
        controls: Mapping[str, w.Widget],
        update: Callable[..., Any],
        *,
        key: Callable[[Any], str | tuple[str, Any] | None] | None = None,
        render: Callable[[Any], Any] | None = None,
        title: str | None = None,
        wrap: bool = False,
    ) -> None:
        self.controls = dict(controls)
        self._update = update
        self._key = key or _default_key
        self._render = render
        self.result: Any = None
        self.error: Exception | None = None
        self.key = w.HTML(value=_key_html("", ""))
        self.output = w.Output()
        header = [w.HTML(value=f"<strong>{html.escape(title)}</strong>")] if title else []
        row = w.HBox(list(self.controls.values()))
        if wrap:  # many controls: let them flow onto several lines
            row.layout.flex_flow = "row wrap"
        super().__init__(children=[*header, row, self.key, self.output])
        self.add_class("kit-explorer")
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        self.refresh()

    def values(self) -> dict[str, Any]:
        """The current value of each control, by argument name."""
        return {name: control.value for name, control in self.controls.items()}

    def _changed(self, _change: Any = None) -> None:
        self.refresh()

    def refresh(self) -> Any:
        """Call ``update`` with the current control values and show the result; return it."""
        try:
            self.result = self._update(**self.values())
            self.error = None
        except Exception as err:
            self.result, self.error = None, err
            self.key.value = _key_html("—", "")
            self.output.outputs = _bundles(f"Cannot show this choice: {type(err).__name__}: {err}")
            return None
        try:
            found = self._key(self.result)
            if isinstance(found, tuple):
                text, value = found
            elif found is None:
                text, value = "", ""
            else:
                text, value = str(found), found
            self.key.value = _key_html(text, value)
            shown = self._render(self.result) if self._render else self.result
            self.output.outputs = _bundles(shown)
        except Exception as err:
            self.error = err
            self.output.outputs = _bundles(f"Cannot draw this result: {type(err).__name__}: {err}")
        return self.result


def explorer(controls: Mapping[str, w.Widget], update: Callable[..., Any], **options: Any) -> Explorer:
    """Wire controls to a plain function: every change re-runs it and shows the result.

    Parameters
    ----------
    controls : dict of str to ipywidgets.Widget
        Each control's ``value`` is passed to ``update`` under its key.
    update : callable
        ``update(**values)``: the plain function that does the work and returns the result
        (a number, text, a DataFrame, a matplotlib figure or Axes...). Keep the logic there.
    **options
        Passed to :class:`Explorer`:

    key : callable, optional
        ``key(result)`` gives the key figure: text, or ``(text, value)``. By default numbers
        and text are their own key figure, and a result with ``headline`` and ``value``
        shows those. Shown in ``<div class="kit-explorer-result">``.
    render : callable, optional
        ``render(result)`` gives what to show (one object or a list: figures, frames, text);
        by default the result itself.
    title : str, optional
        A bold line above the controls.
    wrap : bool, default False
        Let the controls flow onto several lines (for explorers with many controls).

    Returns
    -------
    Explorer
        An ``ipywidgets.VBox`` with ``.result``, ``.error``, ``.controls``, ``.refresh()``.

    Examples
    --------
    >>> import ipywidgets as w
    >>> box = explorer({"n": w.IntSlider(value=2, min=0, max=10)}, lambda n: n * n)
    >>> box.result
    4
    >>> box.controls["n"].value = 3
    >>> box.result
    9
    """
    return Explorer(controls, update, **options)
