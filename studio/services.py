"""Heavy or shared objects the studio needs, built lazily on first use (never at
import): renderers, the take store, the last mix per project, cancel flags. Outputs go
to folders with generated names under the app's data directory: no user-supplied path
is ever used."""
from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path

from engine.paths import sub_dir
from engine.progress import CancelFlag


class Services:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._renderers: dict[str, object] = {}
        self._store = None
        self._mixes: OrderedDict[str, tuple] = OrderedDict()  # project name -> (key, mixdown)
        self._mix_caches: OrderedDict[str, object] = OrderedDict()
        self._cancel: dict[str, CancelFlag] = {}
        self._running = self._peak = self._renders = 0

    # -- renders running now (the queue's concurrency limit bounds them) ------------
    @contextmanager
    def rendering(self):
        """Count a render while it runs (``render_stats`` reports the figures)."""
        with self._lock:
            self._running += 1
            self._renders += 1
            self._peak = max(self._peak, self._running)
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1

    def render_stats(self) -> dict:
        """{"running": renders now, "peak": most at once since start, "renders": started}."""
        with self._lock:
            return {"running": self._running, "peak": self._peak, "renders": self._renders}

    def renderer(self, name: str = "procedural"):
        with self._lock:
            if name not in self._renderers:
                import engine
                self._renderers[name] = engine.get_renderer(name)
            return self._renderers[name]

    def store(self):
        with self._lock:
            if self._store is None:
                from engine.takes import TakeStore
                self._store = TakeStore(sub_dir("takes"))
            return self._store

    def warm_up(self) -> None:
        """Load the default renderer's matcher (torch, the embedder) ahead of the first
        click; called from a background thread once the server is listening."""
        from engine.rendering.procedural import matching
        self.renderer("procedural")
        matching.match("rain on a roof")

    # -- last mix per project (for the timeline view and export), a few kept --------
    def remember_mix(self, project: str, key: str, mixdown) -> None:
        with self._lock:
            self._mixes[project] = (key, mixdown)
            self._mixes.move_to_end(project)
            while len(self._mixes) > 4:
                self._mixes.popitem(last=False)

    def last_mix(self, project: str):
        """(key, mixdown) of the project's last mix, or (None, None)."""
        with self._lock:
            return self._mixes.get(project, (None, None))

    def mix_cache(self, project: str):
        """engine.mixing.MixCache for fast remixes when the engine has one, else None."""
        try:
            from engine.mixing import MixCache
        except ImportError:
            return None
        with self._lock:
            if project not in self._mix_caches:
                self._mix_caches[project] = MixCache()
                while len(self._mix_caches) > 4:
                    self._mix_caches.popitem(last=False)
            return self._mix_caches[project]

    def cancel_flag(self, project: str) -> CancelFlag:
        with self._lock:
            return self._cancel.setdefault(project, CancelFlag())

    @staticmethod
    def new_output_dir(kind: str = "renders") -> Path:
        d = sub_dir(kind) / secrets.token_hex(8)
        d.mkdir(parents=True)
        return d


SERVICES = Services()
