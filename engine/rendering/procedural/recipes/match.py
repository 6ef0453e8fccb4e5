"""A match being struck: scratch, flare, flame.

Model: the head dragged along the striker is a 40-120 ms scratch of stick-slip friction
grains (band-passed 1.5-8 kHz clicks at a few hundred per second over rough noise); the
head ignites in a flare, a 0.15-0.4 s "fffwhup" of broadband noise (a fast attack, a
low-pass that opens then closes) with a few sputtering snaps; then the small flame burns
on as a soft, flickering hiss about 15-25 dB under the flare, dying slowly. "N matches"
or a count gives N strikes; a failed strike ("fails", "won't light") is a scratch only.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _nature_dsp as nd
from .base import SynthRequest, recipe


def _strike(sr: int, rng, *, flame_s: float, flare: bool, strong: float) -> np.ndarray:
    scr = rng.uniform(0.04, 0.12)
    Ls = int(scr * sr)
    ts = np.arange(Ls) / sr
    # stick-slip grains along the striker
    rate = rng.uniform(250, 600)
    k = max(int(rate * scr), 3)
    starts = np.sort(rng.uniform(0, scr, k))
    g = rng.standard_normal((k, 48)) * np.exp(-np.arange(48) / 8.0)[None, :] * rng.uniform(0.4, 1.0, (k, 1))
    grains = dsp.scatter_grains(Ls, sr, starts, g)
    rough = rng.standard_normal(Ls) * 0.35
    scratch = dsp.bandpass(grains + rough, sr, 1500.0, min(8000.0, 0.45 * sr))
    scratch *= np.sin(np.pi * ts / scr) ** 0.5
    scratch /= np.max(np.abs(scratch)) + 1e-12
    if not flare:
        return scratch * 0.8
    # flare: broadband burst, the low-pass opening then closing
    fl = rng.uniform(0.15, 0.4)
    Lf = int(fl * sr)
    tf = np.arange(Lf) / sr
    burst = nd.noise(Lf, rng).astype(np.float64)
    env = np.minimum(tf / 0.008, 1.0) * np.exp(-tf / (0.3 * fl))
    lo1 = dsp.lowpass(burst, sr, 6000.0)
    lo2 = dsp.lowpass(burst, sr, 1200.0)
    w = np.exp(-tf / (0.25 * fl))
    flare_sig = (w * lo1 + (1 - w) * lo2) * env
    flare_sig += 0.5 * dsp.bandpass(burst, sr, 100.0, 600.0) * env     # the "whup" body
    # sputtering snaps of the burning head
    ksn = int(rng.integers(2, 7))
    tsn = rng.uniform(0.0, 0.6 * fl, ksn)
    Lsn = int(0.003 * sr)
    snaps = rng.standard_normal((ksn, Lsn)) * np.exp(-np.arange(Lsn) / (0.0005 * sr))[None, :]
    flare_sig += 0.7 * dsp.highpass(dsp.scatter_grains(Lf, sr, tsn, snaps), sr, 1000.0)
    flare_sig /= np.max(np.abs(flare_sig)) + 1e-12
    # the flame: soft flickering hiss, slowly dying
    Lh = max(int(flame_s * sr), 16)
    th = np.arange(Lh) / sr
    flick = dsp.smooth_noise(Lh, sr, 6.0, rng, lo=0.5, hi=1.0, hop=32)
    hiss = dsp.bandpass(nd.noise(Lh, rng).astype(np.float64), sr, 250.0, 2500.0) * flick
    hiss = hiss / (dsp.rms(hiss) + 1e-12) * (0.035 + 0.02 * strong)
    hiss *= np.minimum(th / 0.1, 1.0) * np.exp(-th / max(flame_s * 1.5, 0.5))
    gap = int(rng.uniform(0.0, 0.015) * sr)
    total = Ls + gap + Lf + Lh
    out = np.zeros(total)
    out[:Ls] += scratch * (0.55 + 0.15 * strong)
    out[Ls + gap:Ls + gap + Lf] += flare_sig
    start_h = Ls + gap + int(0.5 * Lf)
    dsp.place_signal(out, hiss, start_h)
    return out


@recipe("match_strike",
        descriptions=["a match being struck and flaring into flame",
                      "someone striking a match on the box, the scratch and the fizz of the flame",
                      "lighting a match in a dark room",
                      "a matchstick scratched alight, whoosh and a soft burning hiss"],
        keywords=["matchstick", "matchsticks", "matchbox", "strike a match", "struck a match",
                  "strikes a match", "striking a match", "match being struck", "match is struck", "lighting a match",
                  "lights a match", "light a match", "lit a match", "match strike", "match flares", "safety match",
                  "match struck"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=3.0)
def match_strike(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    strong = float(np.clip(req.intensity, 0.0, 1.0))
    fails = req.has("fails", "failed", "won't light", "doesn't light", "damp", "unsuccessfully")
    k = int(req.count) if req.count else 1
    if req.count:
        starts = 0.05 + (np.arange(k) * max(dur - 0.1, 0.1) / k) + rng.uniform(0, 0.03, k)
    else:
        starts = np.array([rng.uniform(0.05, min(0.3, 0.2 * dur))])
    out = np.zeros(n)
    for i, t0 in enumerate(starts):
        end = starts[i + 1] if i + 1 < k else dur
        flame_s = max(end - t0 - 0.5, 0.2)
        y = _strike(sr, rng, flame_s=flame_s, flare=not (fails and i < k - 1 or fails and k == 1), strong=strong)
        y = y[: max(int((end - t0) * sr) - 16, 16)].copy()
        fo = min(int(0.02 * sr), y.size)
        y[-fo:] *= np.linspace(1.0, 0.0, fo)
        dsp.place_signal(out, y, int(t0 * sr), rng.uniform(0.85, 1.0))
    return out
