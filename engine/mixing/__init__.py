"""Mixing: place takes on tracks with fades and equal-power crossfades, sum the
tracks, master to a loudness target under a true-peak ceiling."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import ValidationError
from ..timeline import Timeline
from . import master as _master
from .ducking import Ducking, gain_curve
from .placement import crossfades, place_event

PRESETS = {"broadcast": -23.0, "default": -16.0, "streaming": -14.0}


@dataclass
class Mixdown:
    """``audio``: mastered (2, n) float32, n = round(duration_s * sample_rate).
    ``stems``: per track, pre-master (2, n) float32, aligned to zero; the audible
    tracks' stems sum to ``premaster``. ``event_segments``: per event (start sample,
    pre-master (2, m) segment) for per-event stems."""
    audio: np.ndarray
    sample_rate: int
    stems: dict[str, np.ndarray]
    premaster: np.ndarray
    event_segments: dict[str, tuple[int, np.ndarray]] = field(default_factory=dict)
    info: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        return self.audio.shape[-1] / self.sample_rate


def mix(timeline: Timeline, takes: dict, loudness_lufs: float | None = -16.0, true_peak_db: float | None = -1.0,
        **options) -> Mixdown:
    """Mix rendered takes (event id -> Take) into one soundtrack.

    Options: ``allow_missing`` (skip events without a take instead of raising);
    ``ducking`` (a :class:`Ducking`, True for the default 6 dB, False/None to turn it
    off; default on); ``preset`` ("broadcast" -23, "default" -16, "streaming" -14 LUFS)
    instead of ``loudness_lufs``."""
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
    sr, n = timeline.sample_rate, timeline.n_samples
    warnings: list[str] = []
    stems = {t.id: np.zeros((2, n), dtype=np.float32) for t in timeline.tracks}
    segments: dict[str, tuple[int, np.ndarray]] = {}
    for track in timeline.tracks:
        evs = [e for e in timeline.events if e.track == track.id]
        fades = crossfades(evs, sr)
        for ev in evs:
            take = takes.get(ev.id)
            if take is None:
                if allow_missing:
                    warnings.append(f"{ev.id}: no take, left silent")
                    continue
                raise ValidationError(f"takes[{ev.id}]", "no take for this event: render it first")
            s0, seg, adjusted = place_event(ev, take.audio, take.sample_rate, timeline, fades[ev.id])
            if adjusted:
                warnings.append(f"{ev.id}: take length differs from the event (stale take), trimmed/padded")
            stems[track.id][:, s0:s0 + seg.shape[-1]] += seg
            segments[ev.id] = (s0, seg)
        if track.gain_db:
            tg = np.float32(10 ** (track.gain_db / 20.0))
            stems[track.id] *= tg
            for e in evs:
                if e.id in segments:
                    segments[e.id][1][...] *= tg
    if duck is not None:
        keys = [stems[t] for t in duck.key_tracks if t in stems]
        targets = [t.id for t in timeline.tracks if duck.applies_to(t.id)]
        if keys and targets and any(np.any(k) for k in keys):
            g = gain_curve(sum(keys), sr, duck)
            for tid in targets:
                stems[tid] *= g
                for ev in timeline.events:
                    if ev.track == tid and ev.id in segments:
                        s0, seg = segments[ev.id]
                        seg *= g[s0:s0 + seg.shape[-1]]
    soloed = {t.id for t in timeline.tracks if t.solo}
    audible = [t.id for t in timeline.tracks if (t.id in soloed if soloed else not t.mute)]
    premaster = np.zeros((2, n), dtype=np.float32)
    for tid in audible:
        premaster += stems[tid]
    audio, info = _master.master(premaster, sr, loudness_lufs=loudness_lufs, true_peak_db_ceiling=true_peak_db)
    info["audible_tracks"] = audible
    return Mixdown(audio=np.asarray(audio, dtype=np.float32), sample_rate=sr, stems=stems, premaster=premaster,
                   event_segments=segments, info=info, warnings=warnings)
