"""Progress is a plain callback: ``progress(fraction_0_to_1, message)``. The studio
adapts it to gr.Progress, the CLI to a line on stderr. Cancellation is a flag that
long loops check between units of work."""
from __future__ import annotations

import sys
import threading
import time
from typing import Callable, Optional

ProgressFn = Callable[[float, str], None]


def null_progress(fraction: float, message: str = "") -> None:  # noqa: ARG001
    pass


class CancelFlag:
    """Thread-safe flag a UI sets and a render loop checks between events."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def clear(self) -> None:
        self._event.clear()

    def is_set(self) -> bool:
        return self._event.is_set()


def stderr_progress(prefix: str = "") -> ProgressFn:
    """A progress callback for terminals: one updating line on stderr."""
    last = [0.0]

    def report(fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - last[0] < 0.1:
            return
        last[0] = now
        end = "\n" if fraction >= 1.0 else ""
        sys.stderr.write(f"\r{prefix}[{int(round(100 * fraction)):3d}%] {message[:70]:<70}{end}")
        sys.stderr.flush()

    return report


def as_progress(progress: Optional[ProgressFn]) -> ProgressFn:
    return progress if progress is not None else null_progress
