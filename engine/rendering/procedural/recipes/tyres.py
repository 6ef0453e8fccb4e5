"""Tyre screech and brake squeal.

Model: stick-slip friction. A sliding tyre's tread (or a brake pad on its disc) sticks
and slips at a rate set by the contact stiffness, exciting a narrow resonance: a squeal
~1-2 kHz for tyres (2-4 kHz, purer, for brakes) with a few harmonics. The pitch
wanders as load and speed change (slow random drift + fast chatter), the amplitude
flutters (rough 20-60 Hz modulation), and broadband scrub noise and road rumble ride
underneath. A stopping car's squeal falls in pitch and fades as it slows.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from .base import SynthRequest, recipe
from .impacts import _pattern, _spread


def _squeal(sr: int, rng, d: float, *, f0: float, harm: tuple, wander: float, noise: float,
            stop: bool) -> np.ndarray:
    L = max(int(d * sr), 16)
    u = np.arange(L) / L
    drift = dsp.smooth_noise(L, sr, rng.uniform(1.5, 4.0), rng, lo=-1.0, hi=1.0, hop=32)
    chatter = dsp.smooth_noise(L, sr, 25.0, rng, lo=-1.0, hi=1.0, hop=8)
    glide = 1.0 - (0.22 * np.clip((u - 0.55) / 0.45, 0.0, 1.0) ** 1.5 if stop else 0.0)
    f = f0 * (1.0 + wander * drift + 0.012 * chatter) * glide
    ph = dsp.sweep_phase(f, sr)
    s1, c1 = np.sin(ph), np.cos(ph)
    partials = (s1, 2.0 * s1 * c1, s1 * (3.0 - 4.0 * s1 * s1))    # sin(ph), sin(2ph), sin(3ph)
    tone = sum(a * p for a, p in zip(harm, partials))
    flutter = 1.0 + 0.3 * dsp.smooth_noise(L, sr, rng.uniform(20.0, 60.0), rng, lo=-1.0, hi=1.0, hop=8)
    scrub = dsp.bandpass(rng.standard_normal(L), sr, 300.0, min(7000.0, 0.45 * sr))   # tread scrub and road roar
    env = np.minimum(u / 0.06, 1.0) ** 1.5 * (np.minimum((1.0 - u) / (0.35 if stop else 0.15), 1.0) ** 1.2)
    return env * (tone * flutter + noise * scrub)


@recipe("tyre_screech",
        descriptions=["car tyres screeching as it skids to a halt",
                      "squealing brakes as a train or car stops suddenly",
                      "a car drifting around a corner with tires squealing",
                      "rubber screeching on asphalt during a burnout",
                      "a getaway car peeling out with screeching wheels",
                      "the screech of a skidding car braking hard",
                      "a sports car sliding sideways, rubber squealing"],
        keywords=["screech", "screeches", "screeching", "screeched", "squeal", "squealing", "squeals", "skid",
                  "skids", "skidding", "skidded", "tyre", "tyres", "tire", "tires", "brakes", "brake", "braking",
                  "drift", "drifting", "burnout", "handbrake", "peel out", "peels out", "peeling out"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=3.0)
def tyre_screech(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    brakes = req.has("brake", "brakes", "braking", "disc", "disk") and not req.has("tyre", "tyres", "tire", "tires")
    drift = req.has("drift", "drifting", "burnout", "donut", "donuts", "doughnut", "spinning", "corner", "around")
    stop = not drift and not req.has("peel", "peels", "peeling", "takes off", "accelerates", "away")
    length = (rng.uniform(2.0, 4.0) if drift else rng.uniform(1.2, 2.5)) / max(req.rate, 0.3) ** 0.5
    if req.count:
        length = min(length, max((dur - 0.2) / req.count - 0.5, 0.25))     # each one ends before the next
        times = _spread(int(req.count), dur, rng, gap_s=length + 0.5, start=(0.05, 0.15), tail_s=length,
                        jitter=0.05, min_gap_s=length + 0.3)
    elif dur <= length + 1.5:
        times, length = np.array([0.05]), max(dur - 0.1, 0.2)
    else:
        times = _pattern(dur, rng, first=(0.05, 0.4), every=(length + 1.0, length + 4.0), tail_s=length)
    sri = sr // dsp.low_rate_factor(sr, 9000.0)
    out = np.zeros(-(-n // (sr // sri)))
    for t in times:
        d = min(length * rng.uniform(0.85, 1.15), max(dur - t - 0.02, 0.2))
        if brakes:
            y = _squeal(sri, rng, d, f0=rng.uniform(2200.0, 3400.0), harm=(1.0, 0.08), wander=0.015,
                        noise=0.05, stop=True)
        else:
            y = _squeal(sri, rng, d, f0=rng.uniform(1050.0, 1600.0), harm=(1.0, 0.35, 0.12),
                        wander=0.07 if drift else 0.04, noise=0.12 + 0.1 * req.intensity, stop=stop)
        dsp.place_signal(out, y, int(round(t * sri)), rng.uniform(0.85, 1.0))
    return dsp.upsample(out, sr // sri, n)
