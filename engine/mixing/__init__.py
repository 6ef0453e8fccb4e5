"""Mixing: place takes on tracks with fades and equal-power crossfades, sum the
tracks, master to a loudness target under a true-peak ceiling."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Callable, NamedTuple

import numpy as np

from ..errors import ValidationError
from ..timeline import Timeline
from . import master as _master
from .cache import MixCache
from .ducking import Ducking, apply_gain, gain_frames, gain_slice
from .placement import CHUNK, add_event, crossfades, event_coef, event_span, take_audio, take_length

PRESETS = {"broadcast": -23.0, "default": -16.0, "streaming": -14.0}


@dataclass
class Mixdown:
    """``audio``: mastered (2, n) float32, n = round(duration_s * sample_rate).
    ``stems``: per track, pre-master (2, n) float32, aligned to zero; the audible
    tracks' stems sum to ``premaster`` (read-only when they came from a
    :class:`MixCache`). ``event_segments``: per event (start sample, pre-master (2, m)
    segment) for per-event stems, a mapping that builds each segment on first access."""
    audio: np.ndarray
    sample_rate: int
    stems: dict[str, np.ndarray]
    premaster: np.ndarray
    event_segments: Mapping[str, tuple[int, np.ndarray]] = field(default_factory=dict)
    info: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        return self.audio.shape[-1] / self.sample_rate


class EventSegments(Mapping):
    """event id -> (start sample, pre-master float32 (2, m) segment), each built from
    its take on first access and kept: the mix itself never needs them, only
    per-event stem export does."""

    def __init__(self, builders: dict[str, Callable[[], tuple[int, np.ndarray]]]):
        self._builders = builders
        self._built: dict[str, tuple[int, np.ndarray]] = {}

    def __getitem__(self, event_id: str) -> tuple[int, np.ndarray]:
        if event_id not in self._built:
            self._built[event_id] = self._builders[event_id]()
        return self._built[event_id]

    def __iter__(self):
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)


class _Placed(NamedTuple):
    """One event ready to place: where, how long, its fades and per-channel gain."""
    event_id: str
    s0: int
    m: int
    fades: tuple[int, int]
    coef: np.ndarray
    take: object


def _audio_source(sample_rate: int, cache: MixCache | None) -> Callable[[_Placed], np.ndarray]:
    """event -> its take at the project rate; with a cache, a take that needs
    resampling is resampled once and reused by every later mix."""
    def audio(p: _Placed) -> np.ndarray:
        t = p.take
        if cache is None or t.sample_rate == sample_rate:
            return take_audio(t.audio, t.sample_rate, sample_rate)
        return cache.get("resampled", (cache.take_key(t), sample_rate),
                         lambda: take_audio(t.audio, t.sample_rate, sample_rate))
    return audio


def _build_track(placed: list[_Placed], n: int, audio: Callable[[_Placed], np.ndarray]) -> np.ndarray:
    """One track's (2, n) float32 buffer: every event written or added in place, in
    start order (so everything from the furthest end so far on is still zeros and is
    written directly)."""
    buf = np.zeros((2, n), dtype=np.float32)
    fresh = 0
    for p in placed:
        add_event(buf, p.s0, audio(p), p.coef, p.fades, p.m, fresh)
        fresh = max(fresh, p.s0 + p.m)
    return buf


def _segment_builder(p: _Placed, audio: Callable[[_Placed], np.ndarray], duck: tuple[np.ndarray, int] | None):
    def build() -> tuple[int, np.ndarray]:
        seg = np.zeros((2, p.m), dtype=np.float32)
        add_event(seg, 0, audio(p), p.coef, p.fades, p.m, 0)
        if duck is not None:
            seg *= gain_slice(duck[0], duck[1], p.s0, p.s0 + p.m)
        return p.s0, seg
    return build


def _sum_tracks(bufs: list[np.ndarray], n: int) -> np.ndarray:
    """The sum of (2, n) buffers into a new one, a cache-sized stretch at a time (each
    buffer read once, the sum written once)."""
    if not bufs:
        return np.zeros((2, n), dtype=np.float32)
    out = np.empty((2, n), dtype=np.float32)
    step = 2 * CHUNK
    for s in range(0, n, step):
        o = out[:, s:s + step]
        if len(bufs) == 1:
            o[...] = bufs[0][:, s:s + step]
            continue
        np.add(bufs[0][:, s:s + step], bufs[1][:, s:s + step], out=o)
        for b in bufs[2:]:
            o += b[:, s:s + step]
    return out


def mix(timeline: Timeline, takes: dict, loudness_lufs: float | None = -16.0, true_peak_db: float | None = -1.0,
        *, cache: MixCache | None = None, **options) -> Mixdown:
    """Mix rendered takes (event id -> Take) into one soundtrack.

    Options: ``allow_missing`` (skip events without a take instead of raising);
    ``ducking`` (a :class:`Ducking`, True for the default 6 dB, False/None to turn it
    off; default on); ``preset`` ("broadcast" -23, "default" -16, "streaming" -14 LUFS)
    instead of ``loudness_lufs``; ``cache`` (a :class:`MixCache` kept across calls:
    remixing after an edit re-places only the tracks whose events or takes changed;
    the result is bit-identical to an uncached mix)."""
    allow_missing = bool(options.pop("allow_missing", False))
    duck = options.pop("ducking", True)
    if duck is True:
        duck = Ducking()
    elif duck in (False, None, 0):
        duck = None
    elif not isinstance(duck, Ducking):
        raise ValidationError("ducking", "must be true, false or a Ducking(...)")
    if "preset" in options:
        preset = options.pop("preset")
        if preset not in PRESETS:
            raise ValidationError("preset", f"unknown loudness preset {preset!r} (choose from {', '.join(PRESETS)})")
        loudness_lufs = PRESETS[preset]
    if options:
        raise ValidationError("mix", f"unknown option {sorted(options)[0]!r}")
    for name, v in (("loudness_lufs", loudness_lufs), ("true_peak_db", true_peak_db)):
        if v is not None and (not isinstance(v, (int, float)) or isinstance(v, bool) or not np.isfinite(v)):
            raise ValidationError(name, f"must be a finite number or None (got {v!r})")
    if loudness_lufs is not None and not -70 <= loudness_lufs <= 0:
        raise ValidationError("loudness_lufs", f"must be between -70 and 0 (got {loudness_lufs:g})")
    if true_peak_db is not None and not -20 <= true_peak_db <= 0:
        raise ValidationError("true_peak_db", f"must be between -20 and 0 (got {true_peak_db:g})")
    if cache is not None and not isinstance(cache, MixCache):
        raise ValidationError("cache", "must be a MixCache or None")
    sr, n = timeline.sample_rate, timeline.n_samples
    warnings: list[str] = []
    placed: dict[str, list[_Placed]] = {}
    for track in timeline.tracks:
        evs = [e for e in timeline.events if e.track == track.id]
        fades = crossfades(evs, sr)
        placed[track.id] = []
        for ev in sorted(evs, key=lambda e: (event_span(e, timeline)[0], e.id)):
            take = takes.get(ev.id)
            if take is None:
                if allow_missing:
                    warnings.append(f"{ev.id}: no take, left silent")
                    continue
                raise ValidationError(f"takes[{ev.id}]", "no take for this event: render it first")
            s0, m = event_span(ev, timeline)
            if take_length(int(np.shape(take.audio)[-1]), take.sample_rate, sr) != m:
                warnings.append(f"{ev.id}: take length differs from the event (stale take), trimmed/padded")
            placed[track.id].append(_Placed(ev.id, s0, m, fades[ev.id], event_coef(ev, track.gain_db), take))
    stems: dict[str, np.ndarray] = {}
    keys: dict[str, tuple] = {}
    audio_of = _audio_source(sr, cache)
    for tid, ps in placed.items():
        if cache is None:
            stems[tid] = _build_track(ps, n, audio_of)
            continue
        keys[tid] = (n, sr, tuple((p.s0, p.m, p.fades, p.coef.tobytes(), cache.take_key(p.take)) for p in ps))
        stems[tid] = cache.get("track", keys[tid], lambda ps=ps: _build_track(ps, n, audio_of))
    ducked: dict[str, tuple[np.ndarray, int]] = {}
    if duck is not None:
        key_ids = [t for t in duck.key_tracks if t in stems]
        targets = [t.id for t in timeline.tracks if duck.applies_to(t.id) and placed[t.id]]
        if key_ids and targets:
            def frames():
                return gain_frames([stems[t] for t in key_ids], sr, duck)
            duck_key = (duck, sr, tuple(keys[t] for t in key_ids)) if cache is not None else None
            gain, hop = frames() if cache is None else cache.get("duck_gain", duck_key, frames)
            if np.any(gain < 1.0):
                for tid in targets:
                    ducked[tid] = (gain, hop)
                    if cache is None:
                        apply_gain(stems[tid], gain, hop)
                    else:
                        src = stems[tid]
                        stems[tid] = cache.get("ducked", (keys[tid], duck_key),
                                               lambda src=src: apply_gain(src, gain, hop, out=np.empty_like(src)))
    segments = EventSegments({p.event_id: _segment_builder(p, audio_of, ducked.get(tid))
                              for tid, ps in placed.items() for p in ps})
    soloed = {t.id for t in timeline.tracks if t.solo}
    audible = [t.id for t in timeline.tracks if (t.id in soloed if soloed else not t.mute)]
    premaster = _sum_tracks([stems[t] for t in audible if placed[t]], n)
    if cache is not None:
        cache.end_mix()
    audio, info = _master.master(premaster, sr, loudness_lufs=loudness_lufs, true_peak_db_ceiling=true_peak_db)
    info["audible_tracks"] = audible
    return Mixdown(audio=np.asarray(audio, dtype=np.float32), sample_rate=sr, stems=stems, premaster=premaster,
                   event_segments=segments, info=info, warnings=warnings)
