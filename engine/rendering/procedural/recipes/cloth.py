"""Cloth and canvas flapping in the wind: flags, sails, kites, tarps, tents, laundry.

Model: a gusty wind-speed curve (slow 0.1-0.5 Hz random control, as in ``wind``) drives
the flutter of the fabric. Each flutter cycle slaps the cloth against the air: a burst
of band-passed noise (about 300 Hz - 4 kHz) shaped by a sharpened cosine at the flutter
phase, the flutter rate rising with wind speed (4-15 Hz; heavy canvas lower and slower,
a small flag or kite higher and faster). Per-cycle amplitude jitter keeps it from
sounding like a motor. When a gust rises fast, a sail or flag snaps taut: a sharp
"crack" (a 2-6 ms broadband burst with a short low body thump). Works as a bed over
long durations (texture).
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _nature_dsp as nd
from .base import SynthRequest, recipe


@recipe("flap",
        descriptions=["a flag flapping in the wind on a flagpole",
                      "canvas sails flapping and snapping on a sailing boat",
                      "a kite fluttering and flapping in a strong breeze",
                      "laundry flapping on a washing line in the wind",
                      "a tarp or tent flapping loudly in a gale",
                      "a cape fluttering in the wind"],
        keywords=["flag", "flags", "flagpole", "sail", "sails", "sailcloth", "kite", "kites", "tarp", "tarpaulin",
                  "canvas", "laundry", "washing line", "clothesline", "bedsheet", "bedsheets", "cape", "banner",
                  "banners", "pennant", "awning", "tent flapping", "flapping in the wind", "fluttering in the wind",
                  "cloth flapping", "fabric flapping", "flag flapping", "sails flapping", "kite flapping",
                  "laundry flapping", "tarp flapping", "sheets flapping", "flapping canvas", "luffing"],
        track="ambience", texture=True, stereo_width=0.35, default_duration_s=10.0)
def flap(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    heavy = req.has("sail", "sails", "canvas", "tarp", "tarpaulin", "tent", "awning", "heavy", "sailcloth") \
        or req.size > 0.8
    light = req.has("kite", "kites", "pennant", "small flag", "bunting", "ribbon", "ribbons", "cape", "scarf") \
        or req.size < 0.25
    strong = float(np.clip(req.intensity + (0.25 if req.has("gale", "storm", "gusty", "gust", "gusts", "strong wind",
                                                             "violently", "wildly") else 0.0)
                           - (0.2 if req.has("breeze", "gently", "gentle", "lazily") else 0.0), 0.0, 1.0))
    # flutter rate range (Hz) over the wind-speed curve: heavier cloth lower and slower
    if heavy:
        f_lo, f_hi, band = 4.0, 8.0, (250.0, 2500.0)
    elif light:
        f_lo, f_hi, band = 8.0, 15.0, (500.0, 4500.0)
    else:
        f_lo, f_hi, band = 5.5, 12.0, (300.0, 4000.0)
    r = float(np.clip(req.rate, 0.6, 1.6))
    f_lo, f_hi = min(f_lo * r, 14.0), min(f_hi * r, 15.0)

    # gusty wind speed on the control grid, in [0, 1]
    speed = 0.65 * nd.ctrl(n, sr, rng.uniform(0.15, 0.35), rng) + 0.35 * nd.ctrl(n, sr, rng.uniform(0.6, 1.2), rng)
    speed = np.clip(0.15 + 0.25 * strong + (0.55 + 0.2 * strong) * speed, 0.0, 1.0)
    step = sr / nd.CTRL_RATE
    spd = dsp.control_up(speed, n, step)
    f_flut = f_lo + (f_hi - f_lo) * spd
    phase = np.cumsum(f_flut) / sr + rng.uniform()
    cyc = np.floor(phase).astype(np.int64)
    frac = phase - cyc
    # per-cycle amplitude jitter (the cloth never slaps twice the same)
    jit = rng.uniform(0.45, 1.0, int(cyc[-1]) + 2)
    shape = (0.5 + 0.5 * np.cos(2 * np.pi * (frac - 0.5))) ** rng.uniform(5.0, 8.0)
    # a lighter, secondary ripple a third of a cycle later (the trailing edge)
    ripple = (0.5 + 0.5 * np.cos(2 * np.pi * (frac - 0.85))) ** 10 * 0.2
    env = (shape * jit[cyc] + ripple * jit[cyc + 1]) * spd ** 1.5

    carrier = dsp.bandpass(nd.noise(n, rng).astype(np.float64), sr, band[0], band[1])
    # the spectrum brightens a little with speed (faster snaps)
    bright = dsp.highpass(carrier, sr, 1500.0)
    y = (carrier + 0.6 * bright * spd) * env
    # the wind body itself, faint, so the bed never drops to dead silence
    y += 0.04 * dsp.bandpass(nd.pink(n, rng).astype(np.float64), sr, 150.0, 1200.0) * (0.3 + spd)

    # cracks: the cloth snapping taut on fast gust rises
    crack_p = 0.25 if heavy or req.has("flag", "flags", "sail", "sails", "snapping", "snap", "cracking") else 0.1
    crack_rate = crack_p * (0.4 + 1.2 * strong)
    dsp_rise = np.clip(np.gradient(speed) * nd.CTRL_RATE, 0.0, None)
    dens = np.clip(0.25 + dsp_rise / (dsp_rise.max() + 1e-9), 0.0, 1.0)
    tc = nd.thin(dsp.poisson_times(max(dur - 0.05, 0.01), crack_rate, rng), dens, rng)
    if tc.size:
        # snap at the nearest flutter peak
        idx = np.clip((tc * sr).astype(np.int64), 0, n - 1)
        tc = tc + (np.round(phase[idx] - 0.5) + 0.5 - phase[idx]) / f_flut[idx]
        tc = tc[(tc > 0.0) & (tc < dur - 0.02)]
    k = tc.size
    if k:
        L = int(0.06 * sr)
        tt = (np.arange(L) / sr)[None, :]
        burst = rng.standard_normal((k, L)) * np.exp(-tt / rng.uniform(0.0015, 0.004, (k, 1)))
        body = np.sin(2 * np.pi * rng.uniform(90, 180, (k, 1)) * tt) * np.exp(-tt / 0.012) * np.minimum(tt / 0.001, 1)
        g = (burst + (0.9 if heavy else 0.4) * body) * rng.uniform(0.6, 1.0, (k, 1))
        cracks = dsp.scatter_grains(n, sr, tc, g, guard=True)
        cracks = dsp.highpass(cracks, sr, 80.0)
        ref = float(np.percentile(np.abs(y), 99.5)) + 1e-12
        y += cracks * (1.6 + strong) * ref / (float(np.max(np.abs(g))) + 1e-12)
    if req.indoor:   # heard through a wall or window
        y = dsp.lowpass(y, sr, 1500.0)
    return y
