"""Placing takes on tracks: per-event gain envelopes (fades and equal-power
crossfades), constant-power pan, sample-exact positions. Pure functions."""
from __future__ import annotations

from functools import lru_cache
from math import gcd

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


def pan_gains(pan: float) -> tuple[float, float]:
    """Constant-power pan normalised to unity at centre: L^2 + R^2 = 2 for every pan."""
    theta = (float(pan) + 1.0) * np.pi / 4.0
    return float(np.sqrt(2) * np.cos(theta)), float(np.sqrt(2) * np.sin(theta))


CHUNK = 1 << 15  # samples per step when adding into already-written audio (fits in L2)


@lru_cache(maxsize=256)
def fade32(k: int, fade_in: bool) -> np.ndarray:
    """:func:`fade_curve` as a read-only float32 array, computed once per length."""
    c = fade_curve(k, fade_in=fade_in).astype(np.float32)
    c.setflags(write=False)
    return c


def event_coef(event: SoundEvent, track_gain_db: float = 0.0) -> np.ndarray:
    """(2, 1) float32 per-channel gain of one event: its gain, its track's gain and
    the constant-power pan folded into two scalars."""
    g = 10 ** ((event.gain_db + track_gain_db) / 20.0)
    gl, gr = pan_gains(event.pan)
    return np.array([[g * gl], [g * gr]], dtype=np.float32)


def pieces(m: int, fade_in: int, fade_out: int) -> list[tuple[int, int, np.ndarray | None]]:
    """[(a, b, curve)] covering [0, m): inside [a, b) the gain curve is ``curve``
    (float32, b - a samples: the fade-in and/or fade-out there) or flat (None)."""
    fi, fo = min(fade_in, m), min(fade_out, m)
    cuts = sorted({0, m, fi, m - fo})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        c = None
        if a < fi:
            c = fade32(fi, True)[a:b]
        if fo and b > m - fo:
            d = fade32(fo, False)[a - (m - fo): b - (m - fo)]
            c = d if c is None else c * d
        out.append((a, b, c))
    return out


def add_event(out: np.ndarray, s0: int, audio: np.ndarray, coef: np.ndarray, fades: tuple[int, int], m: int,
              fresh_from: int) -> None:
    """Add one event into ``out[:, s0:s0 + m]`` in place: ``audio`` (1 or 2 channels,
    float32; samples beyond its end count as silence) times ``coef``
    (2, 1) times the fade curves, which touch only the fade regions. ``out[:,
    fresh_from:]`` must still be the zeros it was allocated with: there the product is
    written straight into ``out`` (0 + v == v, so the result is the same bits as
    adding); before it, it is added in L2-sized steps, never as a full-length
    temporary."""
    n_take = min(audio.shape[-1], m)
    f = fresh_from - s0
    for a, b, curve in pieces(m, *fades):
        b = min(b, n_take)
        if a >= b:
            continue
        g = coef if curve is None else coef * curve[None, : b - a]
        for c0 in range(a, min(b, f), CHUNK):
            c1 = min(c0 + CHUNK, b, f)
            gc = g if curve is None else g[:, c0 - a: c1 - a]
            out[:, s0 + c0: s0 + c1] += audio[:, c0:c1] * gc
        a2 = max(a, f)
        if a2 < b:
            gc = g if curve is None else g[:, a2 - a:]
            np.multiply(audio[:, a2:b], gc, out=out[:, s0 + a2: s0 + b])


def take_audio(audio: np.ndarray, take_rate: int, sample_rate: int) -> np.ndarray:
    """A take as float32 (1 or 2, samples) at the project rate, without a copy when it
    already is (mono stays one channel: the pan gains spread it)."""
    a = np.asarray(audio, dtype=np.float32)
    if a.ndim == 1:
        a = a[None, :]
    a = a[:2]
    if take_rate != sample_rate:
        a = signal.resample_poly(a, *_ratio(take_rate, sample_rate), axis=-1).astype(np.float32)
    return a


def _ratio(take_rate: int, sample_rate: int) -> tuple[int, int]:
    g = gcd(int(take_rate), int(sample_rate))
    return int(sample_rate) // g, int(take_rate) // g


def take_length(n: int, take_rate: int, sample_rate: int) -> int:
    """Samples an n-sample take has at the project rate (what :func:`take_audio`'s
    resampling gives), without resampling it."""
    up, down = _ratio(take_rate, sample_rate)
    return n if up == down else -(-n * up // down)


def event_span(event: SoundEvent, timeline: Timeline) -> tuple[int, int]:
    """(start sample, length in samples) of an event, clipped to the timeline."""
    sr = timeline.sample_rate
    s0 = samples(event.start_s, sr)
    return s0, max(0, min(samples(event.end_s, sr), timeline.n_samples) - s0)
