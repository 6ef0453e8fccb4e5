"""Kitchen foley: sizzling/frying and chopping on a cutting board.

Models. Frying is water in food flashing to steam under hot oil: a dense Poisson
cloud of tiny bubble bursts (0.1-1 ms clicks, amplitudes heavy-tailed: many faint, few
loud) over a broadband steam hiss that flutters (random control cubed, as Farnell's
fire hiss), plus rarer oil "spits" (5-10 ms bursts ringing 1.5-5 kHz), all under a slow
swell (heat, stirring); food dropped into the pan starts with a loud surge that settles.
Chopping is a hand-driven clock (2-7 chops/s, runs with pauses to gather the pieces)
driving three layers per chop: the blade shearing the vegetable (a 10-40 ms crackle of
micro-fractures just before contact), the knife striking the board (a few damped
wood-plate modes 150-900 Hz over a low counter thud) and a faint steel tick.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _nature_dsp as nd
from .base import SynthRequest, recipe
from .impacts import _spread
from .people import _rows_filter, _rows_modes


# ----------------------------------------------------------------------------------
# sizzle / frying
# ----------------------------------------------------------------------------------
@recipe("sizzle",
        descriptions=["bacon sizzling in a hot frying pan",
                      "onions frying in oil on the stove",
                      "food sizzling on a hot griddle",
                      "oil crackling and spitting in a deep fryer",
                      "steaks searing on a barbecue grill"],
        keywords=["sizzle", "sizzles", "sizzling", "fry", "fries", "frying", "fried", "sear", "searing",
                  "saute", "sauteing", "frying pan", "skillet", "griddle", "deep fryer", "hot oil", "bacon",
                  "grill", "grilling", "barbecue", "spitting oil"],
        track="fx", texture=True, stereo_width=0.5, default_duration_s=8.0)
def sizzle(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    heat = nd.cue_intensity(req, calm=("gentle", "gently", "simmer", "simmering", "low heat", "warming"),
                            strong=("deep fryer", "deep-fried", "deep frying", "spitting", "searing", "sear",
                                    "hot oil", "crackling", "very hot", "violently"))
    heat = 0.2 + 0.8 * heat
    # swell: slow heat/stirring drift; food hitting the pan gives a surge that settles
    tc = nd.ctrl_grid(n, sr)
    swell = nd.ctrl(n, sr, 0.15, rng, 0.55, 1.0)
    if req.has("drop", "drops", "dropped", "added", "adds", "hits", "tossed", "thrown", "into the pan",
               "into a pan", "into the oil", "lowered", "placed"):
        swell = swell * (1.0 + 1.2 * nd.bump(tc, 0.08, 0.05, rng.uniform(1.0, 2.0)))
    swell = swell / swell.max()
    up = lambda c: dsp.control_up(c, n, sr / nd.CTRL_RATE)  # noqa: E731

    # micro-pops: dense, tiny, heavy-tailed bubble bursts
    rate = (60.0 + 700.0 * heat ** 2) * float(np.clip(req.rate, 0.5, 2.0))
    tp = nd.thin(dsp.poisson_times(dur, rate, rng), swell ** 1.5, rng)
    k = tp.size
    L = int(0.0015 * sr) + 1
    tt = (np.arange(L) / sr)[None, :]
    amp = np.minimum(rng.pareto(3.0, k) + 0.2, 1.5)[:, None] * rng.choice([-1.0, 1.0], (k, 1))
    g = (rng.standard_normal((k, L)) * np.exp(-tt / rng.uniform(0.1e-3, 0.35e-3, (k, 1))) * amp).astype(np.float32)
    # each pop sits left or right (with some bleed): a wide bed at the cost of one scatter
    left = rng.random(k) < 0.5
    chans = [dsp.overlap_add(n, tp[sel] * sr, g[sel], out=np.zeros(n, np.float32)) for sel in (left, ~left)]
    crackle = np.stack([chans[0] + 0.35 * chans[1], chans[1] + 0.35 * chans[0]])
    # spits: rarer, louder bursts ringing in the 1.5-5 kHz band, panned
    ts = nd.thin(dsp.poisson_times(dur, 4.0 + 10.0 * heat, rng), swell ** 2, rng)
    ks = ts.size
    Ls = int(0.012 * sr)
    ts_ = (np.arange(Ls) / sr)[None, :]
    f = np.exp(rng.uniform(np.log(1500.0), np.log(5000.0), (ks, 1)))
    ring = np.sin(2 * np.pi * f * ts_ + rng.uniform(0, 6.3, (ks, 1))) * np.exp(-ts_ / rng.uniform(0.001, 0.003, (ks, 1)))
    burst = np.diff(rng.standard_normal((ks, Ls)) * np.exp(-ts_ / 0.0015), axis=1, prepend=0.0)
    sp = (ring + 0.5 * burst) * rng.uniform(1.0, 2.5, (ks, 1))
    pan = 0.5 * np.pi * rng.uniform(0.15, 0.85, (ks, 1))
    for c, w in enumerate((np.cos(pan), np.sin(pan))):
        dsp.overlap_add(n, ts * sr, (sp * w * np.sqrt(2)).astype(np.float32), out=crackle[c])
    crackle *= up(swell ** 0.7).astype(np.float32)
    crackle = np.float32(4.0) * np.tanh(crackle * np.float32(0.25))   # the loudest spits saturate a little
    # steam hiss: broadband, fluttering, following the swell (the right channel is the
    # same noise 23 ms later: uncorrelated, at the cost of one filter)
    flutter = 0.35 + 0.65 * nd.ctrl(n, sr, 30.0, rng) ** 3
    hiss = dsp.bandpass(nd.noise(n, rng), sr, 1500.0, min(13000.0, 0.45 * sr)) * up(flutter * swell).astype(np.float32)
    hiss = dsp.normalize_rms(hiss, 0.35 * dsp.rms(chans[0]) + 1e-9)
    return crackle + np.stack([hiss, np.roll(hiss, int(0.023 * sr))])

# ----------------------------------------------------------------------------------
# chopping on a cutting board
# ----------------------------------------------------------------------------------
def _chop_times(req: SynthRequest, rng, period: float) -> np.ndarray:
    """Runs of 5-16 chops a period apart (hand jitter ~6 %), pauses between runs."""
    dur = req.duration_s
    if req.count:
        return _spread(int(req.count), dur, rng, gap_s=period, start=(0.08, 0.2), tail_s=0.3, jitter=0.08,
                       min_gap_s=0.1)
    out, t = [], rng.uniform(0.05, 0.3)
    while t < dur - 0.15:
        m = int(rng.integers(5, 17))
        run = t + np.cumsum(np.r_[0.0, period * (1 + 0.06 * rng.standard_normal(m - 1))])
        out.append(run[run < dur - 0.15])
        t = run[-1] + period + rng.uniform(0.5, 1.3)
    return np.concatenate(out) if out else np.array([0.05])


@recipe("chopping",
        descriptions=["chopping vegetables on a wooden cutting board",
                      "a chef rapidly dicing onions with a kitchen knife",
                      "a knife slicing carrots on a chopping board",
                      "a cleaver chopping meat on a butcher's block",
                      "mincing herbs with a sharp knife"],
        keywords=["chop", "chops", "chopping", "chopped", "dice", "dicing", "diced", "mince", "mincing",
                  "slice", "slicing", "sliced", "cutting board", "chopping board", "kitchen knife", "cleaver",
                  "butcher", "vegetables", "carrots", "carrot", "onions", "celery", "herbs", "cucumber"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=5.0)
def chopping(req: SynthRequest) -> np.ndarray:
    sr, n, rng = req.sample_rate, req.n, req.rng
    heavy = req.has("cleaver", "meat", "bone", "bones", "butcher", "butcher's", "hacking", "hack", "ribs")
    fine = req.has("mince", "mincing", "minced", "dice", "dicing", "diced", "herbs", "garlic", "parsley")
    period = (0.5 if heavy else (0.17 if fine else 0.3)) / float(np.clip(req.rate, 0.5, 2.0))
    times = _chop_times(req, rng, period)
    k = times.size
    # a board (per take) and the chops on it (per event)
    board = rng.uniform(110.0, 160.0) if heavy else rng.uniform(170.0, 240.0)
    ratios = np.array([1.0, 1.52, 2.27, 2.9, 3.8, 4.7])
    freqs = board * ratios[None, :] * rng.uniform(0.97, 1.03, (k, ratios.size))
    t60 = np.broadcast_to(np.array([0.09, 0.07, 0.06, 0.05, 0.04, 0.03]) * (1.4 if heavy else 1.0), freqs.shape)
    mode_amp = rng.uniform(0.3, 1.0, freqs.shape) / np.sqrt(ratios)[None, :]
    pre = 0.0 if heavy else 0.03           # the blade meets the vegetable before the board
    f32 = np.float32
    L, P = int((pre + 0.22) * sr), int(pre * sr)
    t = (np.arange(L) / sr)[None, :].astype(f32)
    hit = np.full(k, pre)
    force = rng.uniform(0.75, 1.0, k) * (0.6 + 0.4 * req.intensity) * (0.7 if fine else 1.0)
    g = _rows_modes(t, force, freqs, t60, mode_amp, onset=hit, sr=sr)
    peak = float(np.max(np.abs(g)))
    ta = t[:, : L - P] if P else t    # time after contact
    thud = np.sin(f32(2 * np.pi) * rng.uniform(80, 120, (k, 1)).astype(f32) * ta) * np.exp(-ta / f32(0.015))
    tick = np.sin(f32(2 * np.pi) * rng.uniform(3500, 6500, (k, 1)).astype(f32) * ta) * np.exp(-ta / f32(0.012))
    g[:, P:] += ((0.6 if heavy else 0.25) * force[:, None] * thud + 0.08 * tick).astype(f32)
    # the contact itself: a 1.5 ms noise click (filtered over its first 12 ms only)
    Lc = int(0.012 * sr)
    click = rng.standard_normal((k, Lc)).astype(f32) * np.exp(-ta[:, :Lc] / f32(0.0015))
    g[:, P:P + Lc] += 0.25 * force[:, None] * _rows_filter(click, sr, 800, 8000)
    if P:
        # shearing crunch: sparse micro-fractures before contact, denser towards it
        win = np.clip(t[:, :P] / pre, 0, 1) ** 2
        frac = (rng.random((k, P)) < 0.12 * win) * rng.standard_normal((k, P))
        crunch = _rows_filter(frac, sr, 1500, 7000)
        soft = req.has("herbs", "parsley", "soft", "tomato", "tomatoes")
        amp = rng.uniform(0.3, 0.6, (k, 1)) * (0.4 if soft else 1.0) * peak
        g[:, :P] += amp * crunch / (np.abs(crunch).max(axis=1, keepdims=True) + 1e-9)
    starts = np.round((times - pre) * sr)
    y = dsp.overlap_add(n, starts, g)
    # scraping the pieces aside between runs (not when an exact count is asked for)
    if not req.count and k > 1:
        gaps = np.flatnonzero(np.diff(times) > 2.5 * period)
        for i in gaps[rng.random(gaps.size) < 0.5]:
            d = min(rng.uniform(0.25, 0.5), times[i + 1] - times[i] - 0.15)
            if d > 0.1:
                Ls = int(d * sr)
                sc = dsp.bandpass(rng.standard_normal(Ls), sr, 700, 4000) * np.hanning(Ls) * 0.012
                dsp.place_signal(y, sc * peak, int((times[i] + 0.12) * sr))
    return y
