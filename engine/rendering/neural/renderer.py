"""The ``diffusers`` renderer: Stable Audio Open 1.0, Stable Audio 3 and AudioLDM2
pipelines from a hub id or a local folder, rendering a timeline's events in as few
batched denoising runs as their geometry allows.

Residual context (AudioStory's cross-event coherence): the timeline's setting, mood and
residual text are encoded once and blended into every caption's embeddings with
``context_weight``; with ``continuity`` > 0 an event also starts from the tail of the
previous event on its track (as initial audio at noise level ``1 - continuity``). Takes
are cached by content address (caption, seed, duration, residual key, settings, and the
take continued from), so changing one caption re-renders one event.
"""
from __future__ import annotations

import hashlib
import math
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from ... import __version__
from ...errors import BackendUnavailable, RenderCancelled, ValidationError
from ...mixing.placement import take_audio
from ...progress import CancelFlag, ProgressFn, as_progress
from ...timeline import SoundEvent, Timeline
from ..base import Residual, Take, take_id_for
from . import loading
from .chunks import join_chunks, plan_chunks
from .families import FAMILIES, Family, blend, cat_rows, denoise


def _chunk_seed(seed: int, index: int) -> int:
    if index == 0:
        return int(seed)
    return int.from_bytes(hashlib.sha256(f"{seed}:{index}".encode()).digest()[:4], "big")


def _fit(audio: np.ndarray, rate: int, sample_rate: int, n: int) -> np.ndarray:
    """float32 (channels, n) at ``sample_rate``: resampled, then trimmed or zero-padded."""
    a = take_audio(audio, rate, sample_rate)[:, :n]
    return np.ascontiguousarray(np.pad(a, ((0, 0), (0, n - a.shape[-1]))) if a.shape[-1] < n else a)


def _number(name: str, v, lo: float, hi: float) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not lo <= v <= hi:
        raise ValidationError(name, f"must be a number between {lo:g} and {hi:g} (got {v!r})")
    return float(v)


@dataclass
class _Event:
    """One event's render in progress: its chunk plan and finished pieces."""
    event: SoundEvent
    take_id: str
    plan: list
    after: Optional[str] = None           # event id whose take this one continues from (same call)
    tail: Optional[np.ndarray] = None      # model-rate audio it continues from
    tail_take: str = ""
    pieces: list = field(default_factory=list)
    last_latents: object = None


MODEL_ENV = "STORY_AUDIO_TTA_MODEL"  # default model= (hub id or folder) when none is passed


class DiffusersRenderer:
    name = "diffusers"

    def __init__(self, *, model: Optional[str] = None, steps: Optional[int] = None, guidance: Optional[float] = None,
                 device: Optional[str] = None, dtype=None, batch_size: Optional[int] = None,
                 negative_prompt: str = "", context_weight: float = 0.2, continuity: float = 0.0,
                 continue_strength: float = 0.3, overlap_s: Optional[float] = None, bucket_s: float = 1.0,
                 local_files_only: Optional[bool] = None, cache_size: int = 256, pipe=None) -> None:
        if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= 1000):
            raise ValidationError("steps", f"must be an integer between 1 and 1000 (got {steps!r})")
        if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int)
                                       or not 1 <= batch_size <= 256):
            raise ValidationError("batch_size", f"must be an integer between 1 and 256 (got {batch_size!r})")
        self.guidance = None if guidance is None else _number("guidance", guidance, 0.0, 50.0)
        self.context_weight = _number("context_weight", context_weight, 0.0, 1.0)
        self.continuity = _number("continuity", continuity, 0.0, 0.99)
        self.continue_strength = _number("continue_strength", continue_strength, 0.0, 0.99)
        self.overlap_s = None if overlap_s is None else _number("overlap_s", overlap_s, 0.0, 60.0)
        self.bucket_s = _number("bucket_s", bucket_s, 0.0, 600.0)
        self.negative_prompt = str(negative_prompt or "")
        if model is None or (isinstance(model, str) and not model.strip()):
            model = os.environ.get(MODEL_ENV, "")  # the studio and CLI pick the renderer by name only
        self.model = model
        self.steps, self.batch_size, self.cache_size = steps, batch_size, int(cache_size)
        self._device_opt, self._dtype_opt = device, dtype
        self._fam: Optional[Family] = None
        if pipe is None:
            self.folder = loading.resolve_model(model, local_files_only=local_files_only)
            self.pipeline = loading.pipeline_class_name(self.folder)
        else:  # an already-built pipeline (benchmarks, notebooks)
            self.folder, self.pipeline = None, type(pipe).__name__
            if self.pipeline not in FAMILIES:
                raise ValidationError("pipe", f"a {self.pipeline}; supported: {', '.join(loading.SUPPORTED)}")
            device = loading.pick_device(device)
            pipe.set_progress_bar_config(disable=True)
            self._fam = FAMILIES[self.pipeline](pipe, device, pipe.dtype)
        self.notes: list[str] = []
        self._text_cache: dict = {}
        self._takes: OrderedDict[str, Take] = OrderedDict()
        self._tails: dict[str, tuple[str, np.ndarray]] = {}   # event id -> (take id, audio at project rate)
        self._previous: dict[str, str] = {}                   # event id -> previous event on its track
        self.stats = {"pipeline_calls": 0, "rendered": 0, "cached": 0}

    # -- model ------------------------------------------------------------------------
    @property
    def family(self) -> Family:
        if self._fam is None:
            device = loading.pick_device(self._device_opt)
            dtype = loading.pick_dtype(device, self._dtype_opt)
            pipe, self.notes = loading.load_pipeline(self.folder, self.pipeline, device, dtype)
            self._fam = FAMILIES[self.pipeline](pipe, device, dtype)
        return self._fam

    def _settings(self) -> dict:
        fam = self.family
        return {"steps": self.steps or fam.default_steps,
                "guidance": fam.default_guidance if self.guidance is None else self.guidance,
                "negative": self.negative_prompt, "dtype": str(fam.dtype).replace("torch.", ""),
                "overlap_s": self._overlap_n() / fam.sample_rate, "bucket_s": self.bucket_s,
                "continue_strength": self.continue_strength}

    def _overlap_n(self) -> int:
        """Chunk overlap in model samples, a whole number of latent frames, < window/2."""
        fam = self.family
        want = self.overlap_s if self.overlap_s is not None else min(2.0, fam.window_s / 4)
        frames_in_window = int(round(fam.window_s * fam.sample_rate / fam.samples_per_frame))
        frames = min(int(round(want * fam.sample_rate / fam.samples_per_frame)), max(frames_in_window // 2 - 1, 0))
        return max(frames, 0) * fam.samples_per_frame

    def _window_n(self) -> int:
        fam = self.family
        return int(fam.window_s * fam.sample_rate // fam.samples_per_frame) * fam.samples_per_frame

    # -- residual -----------------------------------------------------------------------
    def residual(self, timeline: Timeline) -> Residual:
        ctx = timeline.context
        prompt = ", ".join(p for p in (ctx.setting, ctx.mood, ctx.residual) if p)
        previous: dict[str, str] = {}
        for track in {e.track for e in timeline.events}:
            evs = sorted((e for e in timeline.events if e.track == track), key=lambda e: (e.start_s, e.id))
            previous.update({b.id: a.id for a, b in zip(evs, evs[1:])})
        self._previous = previous
        return Residual(sample_rate=timeline.sample_rate, setting=ctx.setting, mood=ctx.mood, text=ctx.residual,
                        data={"context_prompt": prompt, "context_weight": self.context_weight if prompt else 0.0,
                              "continuity": self.continuity})

    def remember(self, takes: dict[str, Take]) -> None:
        """Make existing takes available as continuity sources (e.g. takes loaded from a
        project before re-rendering one event)."""
        for eid, take in takes.items():
            self._keep_tail(eid, take)

    def _keep_tail(self, eid: str, take: Take) -> None:
        self._tails[eid] = (take.take_id, np.ascontiguousarray(take.audio[:, -self._tail_n(take):]))

    # -- rendering ----------------------------------------------------------------------
    def render(self, event: SoundEvent, residual: Residual) -> Take:
        return self.render_many([event], residual)[event.id]

    def render_many(self, events: list[SoundEvent], residual: Residual, progress: Optional[ProgressFn] = None,
                    cancel: Optional[CancelFlag] = None) -> dict[str, Take]:
        """Takes for ``events``: cached ones reused, the rest rendered in batches of chunks
        that share a latent length and a start noise level."""
        report = as_progress(progress)
        settings = self._settings()
        todo = self._prepare(events, residual, settings)
        takes: dict[str, Take] = {}
        for st in list(todo.values()):
            hit = self._takes.get(st.take_id)
            if hit is not None:
                self._takes.move_to_end(st.take_id)
                takes[st.event.id] = Take(st.event.id, hit.audio, hit.sample_rate, dict(hit.provenance))
                self.stats["cached"] += 1
                del todo[st.event.id]
        total = sum(len(st.plan) for st in todo.values()) * settings["steps"]
        done = [0]
        while todo:
            ready = [st for st in todo.values() if st.after is None or st.after in takes]
            if not ready:  # pragma: no cover - _continuity_order rules this out
                raise RuntimeError("diffusers renderer: continuity dependencies form a cycle")
            for st in ready:
                if st.after is not None and st.tail is None and not st.pieces:
                    st.tail_take = takes[st.after].take_id
                    st.tail = self._model_rate(takes[st.after].audio[:, -self._tail_n(takes[st.after]):],
                                               residual.sample_rate)
            groups: dict[tuple, list] = {}
            for st in ready:
                k = len(st.pieces)
                start, length = st.plan[k]
                level = self._noise_level(st)
                groups.setdefault((self.family.frames(self._bucketed(length)), level), []).append(st)
            for (frames, level), members in sorted(groups.items(), key=lambda kv: kv[0]):
                self._run_group(members, frames, level, residual, settings, report, cancel, done, total)
            for st in ready:
                if len(st.pieces) == len(st.plan):
                    take = self._finish(st, residual, settings)
                    takes[st.event.id] = take
                    del todo[st.event.id]
        report(1.0, f"rendered {len(events)} events")
        return {e.id: takes[e.id] for e in events}

    def _prepare(self, events, residual, settings) -> dict[str, _Event]:
        fam = self.family
        if residual.sample_rate <= 0:
            raise ValidationError("residual.sample_rate", "must be positive")
        ids = {e.id for e in events}
        todo: dict[str, _Event] = {}
        window_n, overlap_n = self._window_n(), self._overlap_n()
        use_continuity = self.continuity > 0 and fam.can_encode_audio
        for e in self._continuity_order(events):
            n = max(1, int(round(e.duration_s * fam.sample_rate)))
            st = _Event(e, "", plan_chunks(n, window_n, overlap_n))
            prev = self._previous.get(e.id) if use_continuity else None
            if prev in ids:
                st.after, source = prev, todo[prev].take_id if prev in todo else None
            elif prev in self._tails:
                st.tail_take, tail = self._tails[prev]
                st.tail = self._model_rate(tail, residual.sample_rate)
                source = st.tail_take
            else:
                source = None
            params = dict(settings, pipeline=self.pipeline, continues=source)
            st.take_id = take_id_for(self.name, self.model, e, residual, params)
            todo[e.id] = st
        return todo

    def _continuity_order(self, events):
        """Events ordered so that the one an event continues from comes first."""
        ids = {e.id for e in events}
        order, seen = [], set()

        def visit(e, depth=0):
            if e.id in seen:
                return
            prev = self._previous.get(e.id)
            if prev in ids and depth < len(ids):
                visit(next(x for x in events if x.id == prev), depth + 1)
            seen.add(e.id)
            order.append(e)

        for e in events:
            visit(e)
        return order

    def _tail_n(self, take: Take) -> int:
        """Samples of a take's end that the next event on its track may continue from."""
        return int(round(max(self._overlap_n() / self.family.sample_rate, 0.05) * take.sample_rate))

    def _model_rate(self, audio: np.ndarray, rate: int) -> np.ndarray:
        fam = self.family
        a = _fit(audio, rate, fam.sample_rate, int(round(audio.shape[-1] * fam.sample_rate / rate)))
        if a.shape[0] != fam.channels:  # mono <-> stereo to what the VAE takes
            a = np.repeat(a[:1], fam.channels, axis=0) if a.shape[0] == 1 else a.mean(0, keepdims=True)
        return a

    def _bucketed(self, length: int) -> float:
        """Chunk length in seconds, rounded up to ``bucket_s`` (so events of similar length
        share a latent length and a batch), never past the window."""
        fam = self.family
        s = length / fam.sample_rate
        if self.bucket_s > 0:
            s = math.ceil(s / self.bucket_s - 1e-9) * self.bucket_s
        return min(s, fam.window_s)

    def _noise_level(self, st: _Event) -> float:
        if st.pieces:
            return 1.0 - self.continue_strength if self.continue_strength > 0 else 1.0
        return 1.0 - self.continuity if st.tail is not None else 1.0

    def _run_group(self, members, frames, level, residual, settings, report, cancel, done, total) -> None:
        fam = self.family
        size = self.batch_size or (8 if str(fam.device).startswith("cuda") else 4)
        i = 0
        while i < len(members):
            if cancel is not None and cancel.is_set():
                raise RenderCancelled("cancelled between batches")
            batch = members[i:i + size]
            try:
                self._run_batch(batch, frames, level, residual, settings, report, cancel, done, total)
            except Exception as e:  # noqa: BLE001 - only out-of-memory is handled here
                if not _is_oom(e):
                    raise
                _free_memory()
                if size == 1:
                    raise BackendUnavailable(
                        f"out of memory on {fam.device} rendering one event with {self.pipeline} in "
                        f"{settings['dtype']}; free GPU memory, use dtype='float16', or device='cpu'") from None
                size = max(1, size // 2)
                self.batch_size = size
                continue
            i += len(batch)

    def _run_batch(self, batch, frames, level, residual, settings, report, cancel, done, total) -> None:
        fam, torch = self.family, self.family.torch
        context = self._encode(residual.data.get("context_prompt", "")) if residual.data.get("context_weight") else None
        rows, inits, durations, gens = [], [], [], []
        for st in batch:
            k = len(st.pieces)
            start, length = st.plan[k]
            cond = self._encode(st.event.caption)
            rows.append(blend(cond, context, residual.data["context_weight"]) if context is not None else cond)
            durations.append(length / fam.sample_rate)
            gens.append(torch.Generator("cpu").manual_seed(_chunk_seed(st.event.seed, k)))
            inits.append(self._init_latents(st, frames) if level < 1.0 else None)
        pos = cat_rows(rows)
        neg = None
        if settings["guidance"] > 1.0 and (settings["negative"] or fam.pipeline != "StableAudioPipeline"):
            neg = cat_rows([self._encode(settings["negative"])] * len(batch))
        init = torch.cat(inits) if level < 1.0 else None
        ids = ", ".join(st.event.id for st in batch)

        def on_step(i, n):
            done[0] += len(batch) * settings["steps"] / n
            report(min(done[0] / max(total, 1), 0.999), f"denoising {ids}: step {i}/{n}")

        with torch.inference_mode():
            latents = denoise(fam, pos, neg, durations, gens, frames, steps=settings["steps"],
                              guidance=settings["guidance"], init=init, noise_level=level, on_step=on_step,
                              cancel=cancel)
            audio = fam.decode(latents).numpy()
        self.stats["pipeline_calls"] += 1
        for j, st in enumerate(batch):
            length = st.plan[len(st.pieces)][1]
            piece = audio[j, :, :length]
            if piece.shape[-1] < length:
                piece = np.pad(piece, ((0, 0), (0, length - piece.shape[-1])))
            st.pieces.append(piece.astype(np.float32))
            st.last_latents = latents[j:j + 1]

    def _init_latents(self, st: _Event, frames: int):
        """Initial latents for a chunk: the previous chunk's overlapping latent frames (or the
        encoded tail of the previous event) at the start, zeros after."""
        fam, torch = self.family, self.family.torch
        init = torch.zeros((1, *fam.latent_shape(frames)), device=fam.device, dtype=fam.dtype)
        ax = fam.time_axis
        if st.pieces:
            k = len(st.pieces)
            prev_len = st.plan[k - 1][1]
            first = (prev_len - self._overlap_n()) // fam.samples_per_frame
            src = st.last_latents.narrow(ax, first, self._overlap_n() // fam.samples_per_frame)
        else:
            wave = torch.from_numpy(st.tail[None]).float()
            pad = (-wave.shape[-1]) % fam.samples_per_frame
            src = fam.encode_audio(torch.nn.functional.pad(wave, (0, pad)))
        m = min(src.shape[ax], init.shape[ax])
        init.narrow(ax, 0, m).copy_(src.narrow(ax, 0, m))
        return init

    def _encode(self, text: str) -> dict:
        key = text
        if key not in self._text_cache:
            fam = self.family
            with fam.torch.inference_mode():
                self._text_cache[key] = fam.encode_text([text])
        return self._text_cache[key]

    def _finish(self, st: _Event, residual: Residual, settings: dict) -> Take:
        fam = self.family
        audio = join_chunks(st.pieces, st.plan, self._overlap_n())
        n = int(round(st.event.duration_s * residual.sample_rate))
        audio = _fit(audio, fam.sample_rate, residual.sample_rate, n)
        prov = {"backend": self.name, "model": self.model, "pipeline": self.pipeline, "engine_version": __version__,
                "seed": st.event.seed, "caption": st.event.caption, "duration_s": st.event.duration_s,
                "residual_key": residual.key, "take_id": st.take_id, "model_sample_rate": fam.sample_rate,
                "chunks": len(st.plan), "continued_from": st.tail_take or None, "device": str(fam.device),
                "notes": list(self.notes), **settings}
        take = Take(st.event.id, audio, residual.sample_rate, prov)
        self._takes[st.take_id] = take
        while len(self._takes) > self.cache_size:
            self._takes.popitem(last=False)
        self._keep_tail(st.event.id, take)
        self.stats["rendered"] += 1
        return take


def _is_oom(e: Exception) -> bool:
    import torch
    oom = getattr(torch, "OutOfMemoryError", None) or getattr(torch.cuda, "OutOfMemoryError", None)
    return (oom is not None and isinstance(e, oom)) or (isinstance(e, RuntimeError) and "out of memory" in str(e))


def _free_memory() -> None:
    import gc

    import torch
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
