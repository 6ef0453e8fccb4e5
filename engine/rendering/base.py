"""The renderer contract: one audio take per event, with provenance.

A backend implements ``residual(timeline) -> Residual`` (the cross-event context,
computed once per timeline and held fixed while single events are re-rendered) and
``render(event, residual) -> Take``. A new backend is one new file plus a line in
``engine/rendering/__init__.py``'s registry.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..timeline import SoundEvent, Timeline


@dataclass(frozen=True)
class Residual:
    """Story-level context every event of one timeline shares. ``key`` is a stable
    hash of everything in it, so a take cache can tell when it changed."""
    sample_rate: int
    setting: str = ""
    mood: str = ""
    text: str = ""
    data: dict = field(default_factory=dict, compare=False)

    @property
    def key(self) -> str:
        blob = json.dumps({"sr": self.sample_rate, "setting": self.setting, "mood": self.mood,
                           "text": self.text, "data": self.data}, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Take:
    """One rendered event: float32 ``(channels, samples)`` with exactly
    ``round(duration_s * sample_rate)`` samples, plus where it came from."""
    event_id: str
    audio: np.ndarray
    sample_rate: int
    provenance: dict = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        return self.audio.shape[-1] / self.sample_rate

    @property
    def take_id(self) -> str:
        return str(self.provenance.get("take_id", ""))


@runtime_checkable
class Renderer(Protocol):
    name: str

    def residual(self, timeline: Timeline) -> Residual: ...

    def render(self, event: SoundEvent, residual: Residual) -> Take: ...


def take_id_for(backend: str, model: str, event: SoundEvent, residual: Residual, params: Any = None) -> str:
    """Content address of a take: same inputs -> same id (cache key, take naming)."""
    blob = json.dumps({"b": backend, "m": model, "c": event.caption, "d": event.duration_s, "s": event.seed,
                       "r": event.recipe, "res": residual.key, "p": params}, sort_keys=True, default=str)
    return "t" + hashlib.sha256(blob.encode()).hexdigest()[:15]
