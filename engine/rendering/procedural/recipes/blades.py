"""Blades: swords clashing (clang) and a sword drawn from its scabbard (schwing).

Model: a blade is a long free-free bar plus a thin plate. Its bending modes follow the
free bar's inharmonic ratios 1 : 2.756 : 5.404 : 8.933 : 13.34, and the cross-section
adds a cluster of bright, closely spaced modes (2.5-9 kHz); every mode has a slightly
detuned twin (two bending planes) that beats. A clash excites both blades' modes at
once: a 1-3 ms bright contact burst, sometimes a short blade-on-blade slide, then a
long ring (low modes T60 2-4 s, high modes shorter). A draw is friction: noise through
the high modes with brightness and level rising along the slide, ending on a ring-out.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from .base import SynthRequest, recipe
from .impacts import _burst, _modal_events, _pattern, _spread

BAR_RATIOS = np.array([1.0, 2.756, 5.404, 8.933, 13.345])


def _blade_modes(rng, size: float, ring: float, *, twins: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(freqs Hz, T60 s, weights) of one blade: bar modes + bright cluster, the bar modes
    with a detuned twin (twins=True)."""
    base = rng.uniform(420.0, 620.0) * (1.25 - 0.5 * size)
    bar = base * BAR_RATIOS * rng.uniform(0.99, 1.01, BAR_RATIOS.size)
    cluster = np.sort(np.exp(rng.uniform(np.log(2500.0), np.log(8500.0), 5)))
    f = np.concatenate([bar, cluster])
    t60 = np.concatenate([np.linspace(4.0, 2.0, bar.size), rng.uniform(0.8, 1.6, cluster.size)]) * ring
    w = np.concatenate([np.array([0.5, 0.9, 1.0, 0.8, 0.5]), rng.uniform(0.25, 0.6, cluster.size)])
    if not twins:
        return f, t60, w
    m = bar.size
    twin = bar * (1.0 + rng.uniform(0.0015, 0.004, m))
    return np.concatenate([f, twin]), np.concatenate([t60, t60[:m] * 0.9]), np.concatenate([w, 0.25 * w[:m]])


def _clash_times(req: SynthRequest, rng) -> np.ndarray:
    dur = req.duration_s
    if req.count:
        return _spread(int(req.count), dur, rng, gap_s=0.45 / max(req.rate, 0.3), start=(0.05, 0.15),
                       tail_s=min(1.2, 0.4 * dur), min_gap_s=0.15)
    if dur <= 2.5 or req.has("a clang", "single", "one", "strike", "strikes"):
        return np.array([rng.uniform(0.03, 0.12)])
    # a duel: exchanges of 2-4 quick clashes, pauses between
    heads = _pattern(dur, rng, first=(0.05, 0.3), every=(1.4, 3.0), tail_s=1.0)
    runs = [h + np.cumsum(np.r_[0.0, rng.uniform(0.22, 0.5, int(rng.integers(1, 4)))]) for h in heads]
    t = np.concatenate(runs)
    return np.sort(t[t < dur - 0.4])


def _draw(req: SynthRequest, sr: int, n: int, rng, freqs, t60s, w) -> np.ndarray:
    """The schwing at rate sr, n samples: friction along the blade, brightening, then a
    ring-out."""
    d = min(rng.uniform(0.45, 0.8) / max(req.rate, 0.3) ** 0.5, 0.8 * req.duration_s)
    t0 = rng.uniform(0.03, 0.1)
    L = int(d * sr)
    u = np.arange(L) / L
    x = rng.standard_normal(L) * (0.15 + 0.85 * u ** 1.5) * (1 + 0.3 * dsp.smooth_noise(L, sr, 40.0, rng, hop=32))
    hi = np.flatnonzero(freqs > 2000.0)[:8]
    y = sum(w[j] * dsp.resonator(x, sr, freqs[j], 60.0) for j in hi)
    dark, bright = dsp.bandpass(x, sr, 1200, 3500), dsp.bandpass(x, sr, 3500, min(10000.0, 0.45 * sr))
    y = y + 0.06 * ((1 - u) * dark + u * bright)
    y *= np.minimum((1 - u) / 0.03, 1.0)
    out = np.zeros(n)
    dsp.place_signal(out, y / (np.max(np.abs(y)) + 1e-12), int(t0 * sr))
    tail = _modal_events(n, sr, [t0 + d], freqs, t60s * 0.6, (w * 0.02)[None, :])
    return out + tail


@recipe("sword_clang",
        descriptions=["two swords clashing in a duel",
                      "metal blades clanging together with a long ring",
                      "a sword fight, steel striking steel",
                      "a knight parrying a blow, ringing metal",
                      "a sword drawn from its scabbard with a metallic schwing"],
        keywords=["swords", "sword fight", "swordfight", "swordplay", "clash", "clashing", "clang", "clanging",
                  "clank", "clanking", "clanks", "pans", "pots and pans", "saucepans", "pans clattering",
                  "clangs", "duel", "dueling", "duelling", "fencing", "parry", "parries", "blades", "steel on steel",
                  "sabre", "saber", "katana", "rapier", "scabbard", "sheath", "unsheathe", "unsheathed", "schwing",
                  "draws sword", "draw sword", "drawn sword"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=3.0)
def sword_clang(req: SynthRequest) -> np.ndarray:
    sr, rng = req.sample_rate, req.rng
    sri = sr // dsp.low_rate_factor(sr, 9500.0, max_factor=2)     # modes and contact stay < 9.5 kHz
    n = dsp.n_samples(req.duration_s, sri)
    ring = 0.6 if req.has("dull", "muffled", "short") else (1.3 if req.has("ringing", "rings", "long") else 1.0)
    fa, ta, wa = _blade_modes(rng, req.size, ring)
    if req.has("scabbard", "sheath", "unsheathe", "unsheathed", "unsheathes", "schwing", "drawn", "draws", "draw",
               "drawing") and not req.has("clash", "clashing", "clang", "duel", "fight"):
        return dsp.upsample(_draw(req, sri, n, rng, fa, ta, wa), sr // sri, req.n)
    fb, tb, wb = _blade_modes(rng, req.size, ring, twins=False)
    freqs, t60s, w = np.concatenate([fa, fb]), np.concatenate([ta, tb]), np.concatenate([wa, 0.5 * wb])
    times = _clash_times(req, rng)
    k = times.size
    force = rng.uniform(0.7, 1.0, k) * (0.6 + 0.4 * req.intensity)
    amps = force[:, None] * w[None, :] * rng.uniform(0.3, 1.0, (k, freqs.size))   # strike position
    y = _modal_events(n, sri, times, freqs, t60s, amps * 0.05)
    for t, f in zip(times, force):
        contact = _burst(sri, rng, 0.004, hp_hz=3000.0, t60_s=0.003)
        dsp.place_signal(y, contact * f * 0.8, int(round(t * sri)))
        if rng.random() < 0.35:   # blades sliding along each other for a moment
            m = int(rng.uniform(0.04, 0.09) * sri)
            slide = dsp.bandpass(rng.standard_normal(m), sri, 2500, min(9000.0, 0.45 * sri)) \
                * np.linspace(1.0, 0.0, m) ** 2
            dsp.place_signal(y, slide * f * 0.25, int(round(t * sri)))
    return dsp.upsample(y, sr // sri, req.n)
