"""The engine's user-facing error types."""
from __future__ import annotations

import re

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str, limit: int = 300) -> str:
    """Text safe to show as one line: control characters (including newlines) escaped,
    at most ``limit`` characters. User data quoted in a message can never break it."""
    text = _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ValidationError(ValueError):
    """Bad input where data enters the engine. ``str(err)`` is one line naming the
    field path and the reason, e.g. ``events[2].start_s: must be >= 0 (got -1.0)``."""

    def __init__(self, field: str, reason: str):
        self.field = field = one_line(field, 160)
        self.reason = reason = one_line(reason)
        super().__init__(f"{field}: {reason}" if field else reason)


class RenderCancelled(RuntimeError):
    """Raised between events when a cancel flag was set; finished takes are kept."""


class BackendUnavailable(RuntimeError):
    """A backend (model, package, server) cannot be used here; the message says how to fix it."""
