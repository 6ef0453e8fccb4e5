"""The engine's user-facing error types."""
from __future__ import annotations


class ValidationError(ValueError):
    """Bad input where data enters the engine. ``str(err)`` is one line naming the
    field path and the reason, e.g. ``events[2].start_s: must be >= 0 (got -1.0)``."""

    def __init__(self, field: str, reason: str):
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}" if field else reason)


class RenderCancelled(RuntimeError):
    """Raised between events when a cancel flag was set; finished takes are kept."""


class BackendUnavailable(RuntimeError):
    """A backend (model, package, server) cannot be used here; the message says how to fix it."""
