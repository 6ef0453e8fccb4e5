"""Cartoon spring: the "boing" (sproing, jaw-harp twang, doorstop spring).

Model: a plucked spring or jaw-harp reed is a decaying, harmonically rich tone whose
pitch bends up into its resting frequency just after the pluck (the tension settles)
and then wobbles (6-12 Hz) as the spring's slow sway modulates its tension; the mouth
cavity (or the cartoon convention) adds a formant that sweeps with the wobble, the
"boi-oi-oi-ng". A bouncing boing repeats with shrinking gaps and levels.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from .base import SynthRequest, recipe
from .impacts import _pattern, _spread


def _boing(sr: int, rng, d: float, *, f0: float, t60: float, wobble: float) -> np.ndarray:
    L = max(int(d * sr), 16)
    t = np.arange(L) / sr
    fw = rng.uniform(6.0, 11.0)
    sway = np.exp(-t / rng.uniform(0.3, 0.6)) * np.sin(2 * np.pi * fw * t)
    bend = rng.uniform(0.5, 0.6)
    f = f0 * (1.0 - bend * np.exp(-t / rng.uniform(0.06, 0.1))) * (1.0 + wobble * sway)
    ph = dsp.sweep_phase(f, sr)
    # harmonics weighted by a formant that sweeps with the sway ("oi-oi-oi")
    fc = rng.uniform(900.0, 1400.0) * (1.0 + 0.45 * sway)
    y = np.zeros(L)
    phases = rng.uniform(0, 2 * np.pi, 10)    # random partial phases: a smooth, not pulsy, waveform
    hop = 16                                  # partial gains are slow: evaluate every 16 samples
    lf = np.log2(f[::hop] / fc[::hop])
    for h in range(1, 11):
        g = np.exp(-0.5 * ((lf + np.log2(h)) / 0.8) ** 2) + 0.6 / h
        g *= h * f[::hop] < 0.45 * sr
        y += np.repeat(g, hop)[:L] * np.sin(h * ph + phases[h - 1])
    env = np.minimum(t / 0.003, 1.0) * np.exp(-6.907755 * t / t60)
    return y * env


@recipe("boing",
        descriptions=["a cartoon boing of a bouncing spring",
                      "a comical sproing as something springs up",
                      "a jaw harp twang, boi-oi-oing",
                      "a wobbly spring sound effect from an animated cartoon",
                      "a doorstop spring flicked, wobbling"],
        keywords=["boing", "boings", "boinng", "sproing", "sproings", "boink", "spring", "springs", "springy",
                  "jaw harp", "mouth harp", "twang", "doorstop", "slinky", "pogo"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=1.5)
def boing(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    f0 = rng.uniform(180.0, 320.0) * float(np.interp(req.size, [0, 0.5, 1], [1.6, 1.0, 0.65]))
    t60 = float(np.interp(req.size, [0, 1], [0.7, 1.6])) * rng.uniform(0.9, 1.1)
    wobble = rng.uniform(0.08, 0.14) * (0.7 + 0.6 * req.intensity)
    bouncing = req.has("bouncing", "bounces", "bounce", "bouncy", "pogo")
    if req.count:
        times = _spread(int(req.count), dur, rng, gap_s=max(0.4, min(0.8, t60 * 0.6)), start=(0.03, 0.1),
                        tail_s=0.4, min_gap_s=0.25)
        gains = np.ones(times.size)
    elif bouncing and dur > 1.5:
        gaps = 0.7 * 0.78 ** np.arange(7)      # a bounce: each hop shorter and softer
        times = rng.uniform(0.03, 0.1) + np.concatenate([[0.0], np.cumsum(gaps)])
        times = times[times < dur - 0.3]
        gains = 0.8 ** np.arange(times.size)
    elif dur <= 2.5:
        times, gains = np.array([rng.uniform(0.02, 0.08)]), np.ones(1)
    else:
        times = _pattern(dur, rng, first=(0.03, 0.2), every=(1.0, 2.5), tail_s=0.6)
        gains = rng.uniform(0.8, 1.0, times.size)
    sri = sr // dsp.low_rate_factor(sr, 5000.0)
    out = np.zeros(-(-n // (sr // sri)))
    for i, (t, g) in enumerate(zip(times, gains)):
        nxt = times[i + 1] if i + 1 < times.size else dur
        d = min(t60 * 1.1, max(dur - t, 0.05))
        y = _boing(sri, rng, d, f0=f0 * rng.uniform(0.97, 1.03), t60=t60, wobble=wobble)
        if nxt - t < d:    # the next pluck damps this one
            k = int((nxt - t) * sri)
            y[k:] *= np.exp(-np.arange(y.size - k) / (0.01 * sri))
        dsp.place_signal(out, y, int(round(t * sri)), g)
    return dsp.upsample(out, sr // sri, n)
