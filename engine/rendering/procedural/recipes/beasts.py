"""Big-animal roars and growls: lion, tiger, bear, and the imaginary ones (dragon,
monster, beast).

Model: a source-filter voice (``_voice``) at a very low f0 (60-200 Hz) from a long
vocal tract (low, closely spaced formants), pushed into the nonlinear regime that makes
a roar a roar: strong period doubling (a subharmonic at f0/2), deterministic-chaos-like
roughness (30-150 Hz amplitude flicker), heavy jitter and a lot of turbulent noise
(Peters & Weissengruber on felid roars: f0 ~ 100-200 Hz in lions, with subharmonics and
noise). The envelope swells slowly to its peak and falls away longer, the pitch rising
to the peak and sagging after it; the jaw opens "ooo-AAH-ouh" with the swell.

A growl is lower and longer and pulsed (an irregular 3-7 Hz throb of breath pressure),
through a half-closed mouth. A dragon or monster is bigger (lower f0 and formants) and
ends its roar with a breathy, fire-like exhale: flickering band-passed turbulence.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _voice as V
from .animals import _calls_schedule
from .base import SynthRequest, recipe

_OPEN = V.Vowel((380.0, 880.0, 1550.0, 2300.0, 3100.0), (120.0, 150.0, 220.0, 300.0, 380.0))   # "AAH" of a roar
_CLOSED = V.Vowel((260.0, 620.0, 1400.0, 2200.0, 3000.0), (100.0, 130.0, 200.0, 280.0, 360.0))  # "ooo", "mmh"

# subject -> (f0 range Hz, formant scale = 1 / relative tract length)
_BEASTS = {
    "lion": ((110.0, 170.0), 0.85),
    "tiger": ((95.0, 150.0), 0.85),
    "bear": ((80.0, 130.0), 0.8),
    "big": ((60.0, 95.0), 0.62),       # dragon, monster, giant beast
    "cat": ((160.0, 220.0), 1.1),      # leopard, jaguar, panther, cougar: smaller cats
}
_BIG_WORDS = ("dragon", "dragons", "monster", "monsters", "beast", "beasts", "creature", "dinosaur", "dinosaurs",
              "t-rex", "kaiju", "godzilla", "giant", "demon", "behemoth", "troll", "ogre", "wyvern")


def _subject(req: SynthRequest) -> str:
    if req.has(*_BIG_WORDS):
        return "big"
    if req.has("tiger", "tigers", "tigress"):
        return "tiger"
    if req.has("bear", "bears", "grizzly", "grizzlies"):
        return "bear"
    if req.has("leopard", "jaguar", "panther", "cougar", "puma", "cheetah", "lynx"):
        return "cat"
    return "lion"


def _exhale(sr: int, rng: np.random.Generator, dur_s: float) -> np.ndarray:
    """A dragon's fire breath: a breathy, flickering rush of turbulence that swells
    quickly and dies away, peak 1."""
    L = max(int(dur_s * sr), 16)
    u = np.arange(L) / L
    x = rng.standard_normal(L)
    body = dsp.bandpass(x, sr, 180.0, min(3200.0, 0.45 * sr))
    body += 0.6 * dsp.lowpass(dsp.brown(L, rng), sr, 400.0)
    flicker = dsp.smooth_noise(L, sr, float(rng.uniform(12.0, 25.0)), rng, lo=0.35, hi=1.0, hop=8) ** 2
    env = V.ramp(u, 0.0, 0.12) * np.exp(-3.0 * u) * (1.0 - V.ramp(u, 0.85, 1.0))
    y = body * flicker * env
    return y / (np.max(np.abs(y)) + 1e-12)


@recipe("roar",
        descriptions=["a lion roaring",
                      "a tiger growling menacingly",
                      "a huge dragon roaring and breathing fire",
                      "the deep roar of a monster in a cave",
                      "a grizzly bear growling and roaring",
                      "a wild beast snarling with a low rumbling growl"],
        keywords=["lion", "lions", "lioness", "tiger", "tigers", "tigress", "bear", "bears", "grizzly", "dragon",
                  "dragons", "monster", "monsters", "beast", "beasts", "dinosaur", "t-rex", "kaiju", "godzilla",
                  "jaguar", "leopard", "panther", "cougar", "big cat", "lion roar", "lion roaring", "tiger growl",
                  "tiger growling", "tiger roar", "bear growl", "bear growling", "bear roar", "dragon roar",
                  "monster roar", "monster growl", "beast roar", "beast growl", "roaring lion", "growling bear"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=5.0)
def roar(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 4800.0)
    who = _subject(req)
    (f_lo, f_hi), k = _BEASTS[who]
    growl = req.has("growl", "growls", "growling", "growled", "snarl", "snarls", "snarling", "rumbling growl")
    # size: 0.5 neutral; "huge"/"giant" lowers pitch and formants, "small"/"cub" raises them
    s = req.size - 0.5
    if req.has("cub", "cubs", "young", "baby"):
        s = min(s, -0.35)
    f_scale = 2.0 ** (-0.9 * s)
    k = k * 2.0 ** (-0.5 * s)
    if growl:
        f_scale *= 0.62
    inten = req.intensity
    r = float(np.clip(req.rate, 0.5, 2.0))
    length = (rng.uniform(2.6, 3.6) if growl else rng.uniform(1.6, 2.4)) / r ** 0.5
    if who == "big":
        length *= 1.25
    fire = who == "big" and not growl
    tail = 0.9 if fire else 0.0
    if req.count:   # every call fits, with a breath between
        length = min(length, max(((dur - 0.3) / req.count - 0.45 - tail) / 1.15, 0.35))
    if req.count:   # evenly spread, each call (and its tail) clear of the next
        span = length * 1.15 + 1.3 * tail
        period = max(dur - 0.15 - span, 0.0) / max(req.count - 1, 1)
        slack = max(period - span - 0.4, 0.0)
        times = 0.1 + period * np.arange(req.count) + rng.uniform(0.0, 0.3 * slack, req.count)
    else:
        times = _calls_schedule(rng, dur, None, group=(1, 3), in_gap=(0.4, 1.2) if not fire else (1.0, 1.6),
                                out_gap=(1.5, 4.0), call_len=length * 1.1 + tail)
    out = np.zeros(-(-n // (sr // sri)))
    for t in times:
        d = min(length * rng.uniform(0.85, 1.15), max(dur - t - 0.05, 0.3))
        base = rng.uniform(f_lo, f_hi) * f_scale
        peak_at = rng.uniform(0.22, 0.34)
        rise = rng.uniform(0.25, 0.45) * (0.7 + 0.6 * inten)
        if growl:
            f0 = lambda u, b=base: b * (1.0 + 0.12 * np.sin(np.pi * u))
            pulse_rate = rng.uniform(3.0, 6.5)
            pulses_n = max(int(sri * d / 32) + 4, 8)
            throb = dsp.smooth_noise(pulses_n, sri, pulse_rate * 2.0, rng, lo=0.0, hi=1.0)

            def env(u, th=throb, pr=pulse_rate, d=d, ph0=rng.uniform(0, 2 * np.pi)):
                idx = np.minimum((u * (th.size - 1)).astype(int), th.size - 1)
                pulse = 0.5 + 0.5 * np.sin(2 * np.pi * pr * u * d + ph0 + 2.0 * th[idx])
                return V.swell(0.2, 0.35)(u) * (0.25 + 0.75 * pulse ** 1.5)
            mix = lambda u: 0.35 * np.sin(np.pi * u)                      # a half-open mouth
            ph = V.Phonation(jitter=0.04, sub=0.75, rough=0.55, breath=0.45, tilt_hz=700.0)
        else:
            f0 = lambda u, b=base, p=peak_at, r_=rise: b * (0.75 + r_ * np.sin(0.5 * np.pi * np.minimum(u / p, 1.0))
                                                             - (0.25 + r_) * V.ramp(u, p, 1.0) * 0.9)
            env = lambda u, p=peak_at: (V.ramp(u, 0.0, p) ** 1.5) * (1.0 - V.ramp(u, p + 0.05, 1.0)) ** 1.3
            mix = lambda u, p=peak_at: V.ramp(u, 0.0, p) * (1.0 - 0.7 * V.ramp(u, p + 0.2, 1.0))
            ph = V.Phonation(jitter=0.035, sub=rng.uniform(0.5, 0.75), rough=0.35 + 0.25 * inten,
                             breath=0.3 + 0.15 * inten, tilt_hz=1100.0 if who != "big" else 800.0)
        y = V.voice_call(sri, rng, d, f0, env, ph, _CLOSED.scaled(k), _OPEN.scaled(k), mix=mix)
        # the chest: a low-passed copy of the source adds body under the formants
        y = y + 0.5 * dsp.lowpass(y, sri, 300.0 * k)
        y /= np.max(np.abs(y)) + 1e-12
        dsp.place_signal(out, y, int(round(t * sri)), rng.uniform(0.85, 1.0))
        if fire:
            ex = _exhale(sri, rng, rng.uniform(0.8, 1.2) * tail + 0.3)
            dsp.place_signal(out, ex, int(round((t + 0.6 * d) * sri)), rng.uniform(0.3, 0.4))
    return dsp.upsample(out, sr // sri, n)
