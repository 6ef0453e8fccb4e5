"""Inference: instruction -> reasoning -> events with fused conditionings -> audio.

Plain functions over an :class:`AudioStory` model; the planner and renderer backends
are thin adapters over these. They run on the model's device; audio and packed features
come back as CPU numpy.
"""
from __future__ import annotations

import base64
from functools import lru_cache

import numpy as np
import torch

from . import tokens as T


def load(model, device: str | None = None) -> tuple[str, object]:
    """(resolved folder, model on ``device``), loaded once per process and device (the
    weights are read-only at inference). ``device=None``: STORY_AUDIO_DEVICE, else auto.
    A bad device, or a missing or broken folder, is a one-line
    BackendUnavailable/ValidationError."""
    from . import check_model_folder, resolve_device
    dev = resolve_device(device)
    folder = str(check_model_folder(model))
    return folder, _load(folder, dev)


@lru_cache(maxsize=2)
def _load(folder: str, device: str = "cpu"):
    from ..errors import BackendUnavailable
    from .model import AudioStory
    try:
        return AudioStory.from_pretrained(folder).to(device)
    except Exception as e:  # corrupt weights, bad config, mismatched heads: all mean "cannot use this model"
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise BackendUnavailable(f"cannot load AudioStory model {folder} ({type(e).__name__}: {first[:200]})") from None


def pack(x: torch.Tensor | np.ndarray, dtype=np.float32) -> dict:
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu()
    a = np.ascontiguousarray(np.asarray(x, dtype=dtype))
    return {"shape": list(a.shape), "dtype": np.dtype(dtype).name, "b64": base64.b64encode(a.tobytes()).decode()}


def unpack(d: dict) -> torch.Tensor:
    a = np.frombuffer(base64.b64decode(d["b64"]), dtype=d["dtype"]).reshape(d["shape"])
    return torch.from_numpy(a.astype(np.float32))


@torch.no_grad()
def generate_plan(model, story: str, duration_s: float, *, max_new_tokens: int | None = None):
    """Greedy decoding with the query runs forced: (ParsedPlan, generated ids incl. prompt)."""
    from transformers import LogitsProcessorList
    lay = model.layout
    prompt = T.prompt_ids(model.tokenizer, story, duration_s) + [lay.ids[T.THINK]]
    ids = torch.tensor([prompt], device=model.device)
    out = model.llm.generate(input_ids=ids, attention_mask=torch.ones_like(ids), do_sample=False,
                             max_new_tokens=max_new_tokens or model.cfg.max_tokens - len(prompt),
                             logits_processor=LogitsProcessorList([T.force_processor(lay)]),
                             eos_token_id=lay.eos, pad_token_id=lay.pad)
    seq = out[0].tolist()
    return T.parse(model.tokenizer, lay, seq[len(prompt) - 1:]), seq


@torch.no_grad()
def event_features(model, seq: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    """Semantic (E, N, C) and residual (E, M, C) features of every event in one sequence."""
    _, sem, res, _ = model.run_llm([seq])
    return sem, res


def timeline_sequence(model, timeline) -> tuple[list[int], list, list[int]]:
    """The teacher-forced sequence of a timeline: (ids without eos, events in start
    order, index where each event's ``<|gen|>`` begins)."""
    evs = sorted(timeline.events, key=lambda e: (e.start_s, e.id))
    story = timeline.story or ". ".join(e.caption for e in evs)
    triples = [(e.caption, e.start_s, e.duration_s) for e in evs]
    ids, _ = T.sequence(model.tokenizer, model.layout, story, timeline.duration_s, triples,
                        timeline.reasoning or None)
    gen = model.layout.ids[T.GEN]
    starts = [i for i, t in enumerate(ids) if t == gen]
    return ids[:-1], evs, starts


@torch.no_grad()
def audio_for(model, fused: torch.Tensor, duration_s: float, seed: int, *, steps: int | None = None,
              guidance_scale: float | None = None, crossfade_s: float = 0.1) -> np.ndarray:
    """float32 (channels, round(duration_s * sr)) at the model's rate. Events longer than
    one window are generated as consecutive windows (seeds seed, seed+1, …) joined by
    equal-power crossfades."""
    cfg = model.cfg
    sr = cfg.sample_rate
    total = int(round(duration_s * sr))
    xf = int(round(min(crossfade_s, cfg.max_clip_s / 4) * sr))
    win = int(round(cfg.max_clip_s * sr))
    out = np.zeros((cfg.audio_channels, 0), np.float32)
    k = 0
    while out.shape[-1] < total:
        need = total - out.shape[-1] + (xf if out.shape[-1] else 0)
        length = min(win, need)
        lat = model.detok.sample(fused, length / sr, (int(seed) + k) % 2**32, steps=steps,
                                 guidance_scale=guidance_scale)
        clip = model.detok.decode(lat)[0, :, :length].float().cpu().numpy()
        if out.shape[-1] == 0:
            out = clip
        else:
            n = min(xf, clip.shape[-1], out.shape[-1])
            t = np.linspace(0.0, np.pi / 2, n, dtype=np.float32)
            joined = out[:, out.shape[-1] - n:] * np.cos(t) + clip[:, :n] * np.sin(t)
            out = np.concatenate([out[:, :out.shape[-1] - n], joined, clip[:, n:]], axis=1)
        k += 1
    return np.ascontiguousarray(out[:, :total], dtype=np.float32)
