"""ARIA attributes for Dash components, which accept them only as hyphenated keyword arguments."""

from __future__ import annotations

from typing import Any


def aria(**attrs: str) -> dict[str, Any]:
    """Return ``{"aria-<name>": value}`` for each keyword, to unpack into a Dash component.

    Example: ``html.Div(children, **aria(live="polite"))`` renders ``aria-live="polite"``.
    (A dict literal of str values would be checked by mypy against every typed keyword of the
    component; this one is typed for what it is: extra attributes.)
    """
    return {f"aria-{name}": value for name, value in attrs.items()}
