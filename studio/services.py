"""Heavy objects the studio needs, built lazily on first use and shared by sessions
(renderers are stateless between calls). Outputs go to per-render folders with
generated names under the app's data directory: no user-supplied path is ever used."""
from __future__ import annotations

import secrets
import threading
from pathlib import Path

from engine.paths import sub_dir


class Services:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._renderers: dict[str, object] = {}

    def renderer(self, name: str = "procedural"):
        with self._lock:
            if name not in self._renderers:
                import engine
                self._renderers[name] = engine.get_renderer(name)
            return self._renderers[name]

    @staticmethod
    def new_output_dir() -> Path:
        d = sub_dir("renders") / secrets.token_hex(8)
        d.mkdir(parents=True)
        return d

    @staticmethod
    def root() -> Path:
        return sub_dir("renders")


SERVICES = Services()
