"""Placing takes on tracks: per-event gain envelopes (fades and equal-power
crossfades), constant-power pan, sample-exact positions. Pure functions."""
from __future__ import annotations

import numpy as np
from scipy import signal

from ..timeline import SoundEvent, Timeline


def samples(t_s: float, sample_rate: int) -> int:
    return int(round(t_s * sample_rate))


def fade_curve(k: int, *, fade_in: bool) -> np.ndarray:
    """Equal-power quarter-sine ramp of k samples: sin for fades in, cos for fades out.
    A fade-out and a fade-in of the same length sum to constant power (sin^2+cos^2=1)."""
    if k <= 0:
        return np.ones(0)
    x = (np.arange(k) + 0.5) / k
    return np.sin(0.5 * np.pi * x) if fade_in else np.cos(0.5 * np.pi * x)


def crossfades(events: list[SoundEvent], sample_rate: int) -> dict[str, tuple[int, int]]:
    """Per event (fade-in samples, fade-out samples) on one track. Consecutive events
    that overlap (the later starts inside the earlier and ends after it) join with an
    equal-power crossfade spanning exactly the overlap; otherwise the event's own fades."""
    evs = sorted(events, key=lambda e: (e.start_s, e.id))
    out = {e.id: (samples(e.fade_in_s, sample_rate), samples(e.fade_out_s, sample_rate)) for e in evs}
    for a, b in zip(evs, evs[1:]):
        a0, a1 = samples(a.start_s, sample_rate), samples(a.end_s, sample_rate)
        b0, b1 = samples(b.start_s, sample_rate), samples(b.end_s, sample_rate)
        if a0 < b0 < a1 <= b1:
            k = a1 - b0
            out[a.id] = (out[a.id][0], k)
            out[b.id] = (k, out[b.id][1])
    # fades never longer than the event; a fade-in and fade-out may share samples
    for e in evs:
        n = samples(e.end_s, sample_rate) - samples(e.start_s, sample_rate)
        fi, fo = out[e.id]
        out[e.id] = (min(fi, n), min(fo, n))
    return out


def gain_envelope(n: int, fade_in: int, fade_out: int) -> np.ndarray:
    env = np.ones(n)
    if fade_in:
        env[:fade_in] *= fade_curve(fade_in, fade_in=True)
    if fade_out:
        env[n - fade_out:] *= fade_curve(fade_out, fade_in=False)
    return env


def pan_gains(pan: float) -> tuple[float, float]:
    """Constant-power pan normalised to unity at centre: L^2 + R^2 = 2 for every pan."""
    theta = (float(pan) + 1.0) * np.pi / 4.0
    return float(np.sqrt(2) * np.cos(theta)), float(np.sqrt(2) * np.sin(theta))


def fit_take(audio: np.ndarray, take_rate: int, sample_rate: int, n: int) -> tuple[np.ndarray, bool]:
    """A take as float32 (2, n) at the project rate: resampled if needed, mono spread to
    two channels, trimmed/padded to n. No copy when it already fits. Returns
    (audio, was_adjusted)."""
    a = np.asarray(audio, dtype=np.float32)
    if a.ndim == 1:
        a = a[None, :]
    if a.shape[0] == 1:
        a = np.repeat(a, 2, axis=0)
    a = a[:2]
    if take_rate != sample_rate:
        from math import gcd
        g = gcd(int(take_rate), int(sample_rate))
        a = signal.resample_poly(a, sample_rate // g, take_rate // g, axis=-1).astype(np.float32)
    adjusted = a.shape[-1] != n
    if a.shape[-1] < n:
        a = np.pad(a, ((0, 0), (0, n - a.shape[-1])))
    return a[:, :n], adjusted


def place_event(event: SoundEvent, take_audio: np.ndarray, take_rate: int, timeline: Timeline,
                fades: tuple[int, int]) -> tuple[int, np.ndarray, bool]:
    """(start sample, processed float32 (2, m) segment, adjusted) for one event: fit,
    gain and pan in one pass, then the fade curves on the edges only."""
    sr = timeline.sample_rate
    s0, s1 = samples(event.start_s, sr), samples(event.end_s, sr)
    s1 = min(s1, timeline.n_samples)
    m = s1 - s0
    a, adjusted = fit_take(take_audio, take_rate, sr, m)
    g = 10 ** (event.gain_db / 20.0)
    gl, gr = pan_gains(event.pan)
    seg = a * np.array([[g * gl], [g * gr]], dtype=np.float32)
    fi, fo = fades
    if fi:
        seg[:, :fi] *= fade_curve(fi, fade_in=True).astype(np.float32)
    if fo:
        seg[:, m - fo:] *= fade_curve(fo, fade_in=False).astype(np.float32)
    return s0, seg, adjusted
