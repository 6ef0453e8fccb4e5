"""Numeric inputs that name their field when a client sends a bad value.

Gradio's own Number/Slider preprocessing fails on a string, NaN or an out-of-range
number before any handler runs, with a message that names no field (or a generic
"upstream error"). ``named(component, field)`` checks the value first and raises a
one-line ``gr.Error`` such as ``duration_s: must be a number (got 'abc')``."""
from __future__ import annotations

import math
from typing import Any

import gradio as gr


def check_number(payload: Any, field: str, minimum: float | None, maximum: float | None) -> float | None:
    """The payload as a finite float within [minimum, maximum], or None when empty
    (the handler then says the field is required)."""
    if payload is None or payload == "":
        return None
    if isinstance(payload, bool) or not isinstance(payload, (int, float, str)):
        raise gr.Error(f"{field}: must be a number (got {type(payload).__name__})", print_exception=False)
    try:
        x = float(payload)
    except (ValueError, OverflowError):
        raise gr.Error(f"{field}: must be a number (got {str(payload)[:20]!r})", print_exception=False) from None
    if not math.isfinite(x):
        raise gr.Error(f"{field}: must be a finite number", print_exception=False)
    if (minimum is not None and x < minimum) or (maximum is not None and x > maximum):
        raise gr.Error(f"{field}: must be between {minimum:g} and {maximum:g} (got {x:g})", print_exception=False)
    return x


def named(component, field: str):
    """Make ``component`` (a gr.Number or gr.Slider) check its value as ``field``."""
    original = component.preprocess

    def preprocess(payload: Any):
        x = check_number(payload, field, component.minimum, component.maximum)
        return None if x is None else original(x)
    component.preprocess = preprocess
    return component
