"""Boiling / simmering / bubbling liquid: a pot on the stove, a cauldron, a swamp.

Model (Farnell, *Designing Sound*, "Water"; Minnaert 1933). A liquid at the boil is a
cloud of small bubbles collapsing or bursting at the surface, each one an exponentially
damped sinusoid at its Minnaert frequency (f ~ 3.26 m / radius: 1-10 mm bubbles, about
300 Hz - 3 kHz) whose pitch rises a little as it decays. Onsets are Poisson; their rate
is the heat: a simmer is ~5-15 bubbles/s, a rolling boil ~40-120/s. Convection makes the
rate surge slowly (never a loop). Big or thick pots (a cauldron, stew, porridge, swamp
mud) have bigger, lower, slower bubbles and a low glugging body: each big bubble swells
as a low rising "gloop" and ends in a thick "pop" (the skin of the surface tearing, a
short mid-band burst with a few splatter droplets). Under a rolling boil sits a soft
broadband hiss (vapour, countless micro-bubbles, the burner); with "lid" in the caption
the lid lifts on the steam and rattles in short bursts of metal clicks.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _nature_dsp as nd
from .base import SynthRequest, recipe

_SIMMER = ("simmer", "simmers", "simmering", "simmered", "gentle", "gently", "low heat", "slowly", "lazily",
           "lazy", "quietly", "warming", "barely")
_ROLLING = ("rolling", "rolling boil", "full boil", "furious", "furiously", "vigorous", "vigorously", "violently",
            "violent", "rapid", "rapidly", "fiercely", "hard", "madly", "frantically", "churning", "seething")
_THICK = ("cauldron", "stew", "stews", "porridge", "oatmeal", "swamp", "swamps", "mud", "muddy", "bog", "marsh",
          "lava", "tar", "sauce", "chili", "chilli", "gloop", "gloopy", "goo", "gooey", "sludge", "potion",
          "mudpot", "mud pot", "bubbling mud", "jam", "custard", "polenta", "risotto", "magma", "thick")
_MUD = ("swamp", "swamps", "mud", "muddy", "bog", "marsh", "mudpot", "mud pot", "lava", "tar", "magma", "geyser")
_BIG = ("cauldron", "vat", "cauldrons", "huge", "giant", "large", "big", "swamp", "bog", "marsh", "vats",
        "cooking pot", "stockpot", "kettle drum", "tank")
_SMALL = ("pan", "saucepan", "small", "little", "tiny", "cup", "mug", "beaker", "flask", "test tube", "milk pan")


def _thick_pops(n: int, sr: int, times: np.ndarray, rng: np.random.Generator, size: float) -> np.ndarray:
    """Big bubbles in a viscous liquid: a low swelling 'gloop' (a damped sine, 60-260 Hz,
    rising in pitch as it nears the top), then the skin tearing: a short band-passed burst
    and one or two bright splatter droplets. (2, n)."""
    k = times.size
    if k == 0:
        return np.zeros((2, n))
    L = int(0.30 * sr)
    t = (np.arange(L) / sr)[None, :]
    f0 = np.exp(rng.uniform(np.log(60.0), np.log(260.0), (k, 1))) * (1.35 - 0.6 * size)
    tau = rng.uniform(0.035, 0.08, (k, 1))
    rise = np.log(rng.uniform(1.4, 2.4, (k, 1))) / (3 * tau)
    ph = 2 * np.pi * f0 * np.expm1(rise * t) / rise
    env = (1.0 - np.exp(-t / 0.006)) * np.exp(-t / tau)
    gloop = env * np.sin(ph)
    # the burst: where the gloop reaches the surface (~1-2 time constants in)
    t_b = (tau[:, 0] * rng.uniform(0.8, 1.8, k))
    b0 = np.round(t_b * sr).astype(np.int64)
    Lb = int(0.03 * sr)
    tb = np.arange(Lb) / sr
    burst = rng.standard_normal((k, Lb)) * np.exp(-tb / rng.uniform(0.002, 0.006, (k, 1)))
    burst = dsp.bandpass(burst, sr, 350.0, min(2200.0, 0.45 * sr), order=2)
    burst /= np.abs(burst).max(axis=1, keepdims=True) + 1e-9
    fd = np.exp(rng.uniform(np.log(900.0), np.log(2600.0), (k, 1)))
    drop = np.sin(2 * np.pi * fd * tb * (1 + 8.0 * tb)) * np.exp(-tb / 0.004) * (1 - np.exp(-tb * sr / 8))
    rows = np.arange(k)[:, None]
    cols = np.clip(b0[:, None] + np.arange(Lb)[None, :], 0, L - 1)
    g = gloop.copy()
    np.add.at(g, (rows, cols), 0.55 * burst + 0.35 * rng.uniform(0.3, 1.0, (k, 1)) * drop)
    g *= np.linspace(1.0, 0.0, L)[None, :] ** 0.5  # tail taper
    g *= (0.4 + 0.6 * rng.random((k, 1)) ** 0.7)
    return nd.scatter_stereo(n, times, g.astype(np.float32), sr, rng, spread=0.6)


def _lid_rattle(n: int, sr: int, dur: float, rng: np.random.Generator, heat: float) -> np.ndarray:
    """A pan lid lifted by the steam: bursts of 2-7 clicks 15-45 ms apart, every 0.4-2 s,
    each click ringing the same few metal-lid modes (fixed per take). (n,)."""
    period = 1.4 - 0.9 * heat
    starts = dsp.poisson_times(max(dur - 0.2, 0.05), 1.0 / period, rng)
    ts, amps = [], []
    for s in starts:
        m = int(rng.integers(2, 8))
        gaps = rng.uniform(0.015, 0.045, m)
        tt = s + np.cumsum(gaps) - gaps[0]
        ts.append(tt)
        amps.append(rng.uniform(0.4, 1.0, m) * np.linspace(1.0, 0.6, m))
    if not ts:
        return np.zeros(n)
    times, amp = np.concatenate(ts), np.concatenate(amps)
    ok = times < dur - 0.02
    times, amp = times[ok], amp[ok]
    L = int(0.12 * sr)
    f1 = rng.uniform(900.0, 1500.0)
    fm = f1 * np.array([1.0, 1.71, 2.38, 3.42, 4.6])
    keep = fm < 0.45 * sr
    ring = dsp.modal_bank(L, sr, fm[keep], np.array([0.06, 0.05, 0.04, 0.03, 0.025])[keep],
                          np.array([1.0, 0.8, 0.6, 0.45, 0.3])[keep])
    tick = np.zeros(L)
    m = int(0.002 * sr) + 1
    tick[:m] = rng.standard_normal(m) * np.exp(-np.arange(m) / (0.0004 * sr))
    grain = ring / (np.abs(ring).max() + 1e-9) + 0.6 * tick
    return dsp.place_grains(n, sr, times, grain, amp)


@recipe("boiling",
        descriptions=["a pot of water bubbling on the stove",
                      "water coming to a rolling boil in a saucepan",
                      "a witch's cauldron bubbling and glooping",
                      "a thick stew simmering gently in a pot",
                      "a bubbling swamp of mud, thick gloopy pops",
                      "soup boiling on the hob, bubbles bursting at the surface"],
        keywords=["boil", "boiling", "boils", "boiled", "rolling boil", "bubbling", "bubble", "simmer",
                  "simmering", "simmers", "cauldron", "cauldrons", "stew", "soup", "porridge", "saucepan",
                  "stockpot", "broth", "bubbling mud", "mud pot", "mudpot", "hob", "gloop", "gloopy", "potion"],
        track="fx", texture=True, stereo_width=0.5, default_duration_s=8.0)
def boiling(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    # heat: 0 = barely simmering .. 1 = a furious rolling boil
    heat = 0.25 + 0.6 * float(np.clip(req.intensity, 0.0, 1.0))
    if req.has(*_SIMMER):
        heat = min(heat, 0.22)
    if req.has(*_ROLLING):
        heat = max(heat, 0.9)
    mud = req.surface == "mud" or req.has(*_MUD)     # no pot at all: mostly slow gloops
    thick = mud or req.has(*_THICK)
    big = thick or req.has(*_BIG) or req.size > 0.7
    small = (not big) and (req.has(*_SMALL) or req.size < 0.3)
    size = 0.9 if big else (0.15 if small else 0.5)
    speed = float(np.clip(req.rate, 0.5, 2.0))

    # convection surges: the boil is never steady (and never loops)
    dens = nd.ctrl(n, sr, 0.35 * speed, rng, 0.55, 1.0)
    flick = nd.ctrl(n, sr, 4.0 * speed, rng, 0.0, 1.0)
    gate = np.clip(dens * (0.75 + 0.25 * flick), 0.0, 1.0)
    up = lambda c: dsp.control_up(c, n, sr / nd.CTRL_RATE)  # noqa: E731

    # 1. the bubble cloud: Minnaert plinks, rate set by the heat (simmer ~12/s, rolling ~90/s)
    rate = 6.0 * 20.0 ** heat * speed * (0.25 if mud else (0.45 if thick else 1.0))
    t = nd.thin(dsp.poisson_times(dur, rate / 0.85, rng), gate, rng)
    k = t.size
    lo, hi = (300.0, 3000.0) if small else ((150.0, 1400.0) if big else (250.0, 2400.0))
    f0 = np.exp(rng.uniform(np.log(lo), np.log(hi), k))
    q = rng.uniform(7.0, 18.0, k) * (0.7 if thick else 1.0)   # viscous liquid damps faster
    tau = np.clip(q / (np.pi * f0), 0.0015, 0.03)
    amp = (0.25 + 0.75 * rng.random(k) ** 1.5) * (f0 / lo) ** (0.25 if small else 0.0)
    plinks = nd.bubble_layer(n, sr, t, f0, tau, rise=rng.uniform(1.08, 1.5, k), amp=amp, rng=rng, stereo=True)
    ref = dsp.rms(plinks) + 1e-9
    if k == 0:
        ref = 1e-3
    out = plinks

    # 2. the liquid's body: a low churning roar (nucleate boiling), more of it when big
    body = dsp.lowpass(nd.pink(n, rng, channels=2), sr, 260.0 + 900.0 * (1 - size) * heat, order=2)
    body = dsp.highpass(body, sr, 45.0)
    body *= up(gate * (0.6 + 0.4 * flick)).astype(np.float32)
    out = out + dsp.normalize_rms(body, ref * (0.05 + 0.15 * heat) * (2.5 if big else 1.0))

    # 3. big / thick pots: slow glugging, each bubble a low gloop and a thick pop
    if big:
        prate = (1.6 + 4.0 * heat ** 1.3) * speed * (0.8 if mud else (1.0 if thick else 0.6))
        tp = nd.thin(dsp.poisson_times(max(dur - 0.05, 0.01), prate / 0.85, rng), gate, rng)
        pops = _thick_pops(n, sr, tp, rng, size)
        if tp.size:
            out = out + dsp.normalize_rms(pops, ref * (1.3 if mud else (0.9 if thick else 0.6)))

    # 4. a soft broadband hiss under a rolling boil (vapour, micro-bubbles)
    hiss_g = max(heat - 0.35, 0.0) ** 1.5
    if hiss_g > 0:
        hiss = dsp.bandpass(nd.noise(n, rng), sr, 1200.0, min(11000.0, 0.45 * sr))
        hiss = hiss * up(0.5 + 0.5 * dens * (0.6 + 0.4 * flick)).astype(np.float32)
        hiss = dsp.normalize_rms(hiss, ref * 0.55 * hiss_g * (0.5 if thick else 1.0))
        out = out + np.stack([hiss, np.roll(hiss, int(0.019 * sr))])

    # 5. lid rattle, only when a lid is named
    if req.has("lid", "lids"):
        lid = _lid_rattle(n, sr, dur, rng, heat)
        if np.any(lid):
            out = out + dsp.normalize_rms(lid, ref * (0.6 + 0.6 * heat))[None, :] * np.array([[1.0], [0.8]])
    return out
