"""The ``audiostory`` renderer: each event's fused query conditioning -> DiT -> audio.

``residual(timeline)`` runs the LM once over the whole timeline and keeps, per event,
its semantic and residual query features (exact float32, base64) plus the token prefix
before it; residual tokens the planner stored in the project are used in place of the
recomputed ones. ``render(event, residual)`` reuses the stored features; an event whose
caption or duration was edited gets fresh semantic features from its stored prefix and
keeps its stored residual tokens, so the other events are untouched.
"""
from __future__ import annotations

import os

import numpy as np
import torch

from .. import __version__
from ..rendering.base import Residual, Take, take_id_for
from ..timeline import SoundEvent, Timeline
from . import MODEL_ENV
from . import inference as I
from . import tokens as T

PROVENANCE_KEY = "audiostory"


class AudioStoryRenderer:
    name = "audiostory"

    def __init__(self, model: str | None = None, *, steps: int | None = None, guidance_scale: float | None = None,
                 device: str | None = None) -> None:
        """``device``: auto | cpu | cuda | cuda:N | mps (None: STORY_AUDIO_DEVICE, else auto).
        Seeds give the same starting noise on every device (drawn on the CPU)."""
        self.model, self.net = I.load(model or os.environ.get(MODEL_ENV), device)
        self.steps, self.guidance_scale = steps, guidance_scale

    def residual(self, timeline: Timeline) -> Residual:
        net = self.net
        ids, evs, starts = I.timeline_sequence(net, timeline)
        sem, res = I.event_features(net, ids)
        stored = timeline.provenance.get(PROVENANCE_KEY, {}).get("residual", {})
        events = {}
        for k, e in enumerate(evs):
            r = I.unpack(stored[e.id]) if e.id in stored else res[k]
            events[e.id] = {"caption": e.caption, "duration_s": round(e.duration_s, 1), "prefix": ids[:starts[k]],
                            "sem": I.pack(sem[k]), "res": I.pack(r)}
        ctx = timeline.context
        return Residual(sample_rate=timeline.sample_rate, setting=ctx.setting, mood=ctx.mood, text=ctx.residual,
                        data={"model": self.model, "events": events, "tail": ids})

    def features(self, event: SoundEvent, residual: Residual) -> tuple[torch.Tensor, torch.Tensor]:
        """(sem (1, N, C), res (1, M, C)) on the model's device for an event under a
        held-fixed residual."""
        dev = self.net.device
        entry = residual.data["events"].get(event.id)
        if entry and entry["caption"] == event.caption and entry["duration_s"] == round(event.duration_s, 1):
            return I.unpack(entry["sem"])[None].to(dev), I.unpack(entry["res"])[None].to(dev)
        prefix = entry["prefix"] if entry else residual.data["tail"]
        own, _ = T.event_ids(self.net.tokenizer, self.net.layout, event.caption, event.duration_s)
        sem, res = I.event_features(self.net, prefix + own)
        return sem[-1:], (I.unpack(entry["res"])[None].to(dev) if entry else res[-1:])

    def render(self, event: SoundEvent, residual: Residual) -> Take:
        net = self.net
        sem, res = self.features(event, residual)
        with torch.no_grad():
            fused = net.fuse(sem, res)
        audio = I.audio_for(net, fused, event.duration_s, event.seed, steps=self.steps,
                            guidance_scale=self.guidance_scale)
        audio = _to_project(audio, net.cfg.sample_rate, residual.sample_rate, event.duration_s)
        params = {"steps": self.steps or net.cfg.sample_steps,
                  "guidance_scale": self.guidance_scale or net.cfg.guidance_scale}
        prov = {"backend": self.name, "model": self.model, "engine_version": __version__, "seed": event.seed,
                "caption": event.caption, "duration_s": event.duration_s, "residual_key": residual.key,
                "params": params, "take_id": take_id_for(self.name, self.model, event, residual, params)}
        return Take(event_id=event.id, audio=audio, sample_rate=residual.sample_rate, provenance=prov)


def _to_project(audio: np.ndarray, sr_model: int, sr_out: int, duration_s: float) -> np.ndarray:
    """Model-rate audio -> stereo float32 at the project rate with exactly round(d * sr) samples."""
    from .data import fit_channels, resample
    y = fit_channels(resample(audio, sr_model, sr_out), 2)
    n = int(round(duration_s * sr_out))
    out = np.zeros((2, n), np.float32)
    k = min(n, y.shape[-1])
    out[:, :k] = y[:, :k]
    return out
