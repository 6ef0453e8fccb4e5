"""Farmyard and corvid calls: duck quack (and goose honk), pig oink/squeal, horse
neigh (whinny), crow/raven caw.

Models: source-filter voices (``_voice``).

- quack: a short (~0.15 s) buzzy, nasal "wak": a pressed syrinx source with strong
  period doubling through a nasal tract (a low murmur plus a 1-2 kHz resonance), a fast
  pitch fall; a mallard's series gets quieter and closer together ("decrescendo call").
  A goose honk is the same sound longer (~0.3 s), higher, with a rising "a-HONK" onset.
- oink: short (0.12-0.3 s), low (80-150 Hz) nasal grunts with a snorted noise onset,
  in twos and threes; "squeal" is a long, high (0.8-1.5 kHz), rough, rising-falling cry.
- neigh: the whinny - a high, tremulous f0 that leaps 400 -> ~900 Hz and glides down to
  ~300 Hz over 1-1.5 s with fast (8-14 Hz) vibrato, the mouth opening then closing,
  followed by a snort or two (nostril flutter: noise modulated at 25-40 Hz).
- caw: a crow's harsh, noisy "kaaw" (0.3-0.5 s): chaotic phonation (heavy jitter,
  period doubling, roughness, much turbulence) through an open "aa" tract, in series of
  2-4; a raven's is lower and croakier.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _voice as V
from .animals import _calls_schedule
from .base import SynthRequest, recipe


def _to_rate(out: np.ndarray, sr: int, sri: int, n: int) -> np.ndarray:
    return dsp.upsample(out, sr // sri, n)


def _series_times(rng, dur: float, count: int | None, call_len: float, *, per_series=(3, 6), gap=(0.06, 0.14),
                  pause=(0.8, 2.5), accel: float = 0.0) -> np.ndarray:
    """Onsets of a call series: exactly count if given (evenly spaced, squeezed to fit),
    else series of per_series calls (getting faster by accel) with pauses between."""
    if count:
        step = call_len + rng.uniform(*gap)
        span = (count - 1) * step + call_len
        room = dur - 0.15
        if span > room:
            step = max((room - call_len) / max(count - 1, 1), call_len * 0.5)
        t0 = rng.uniform(0.05, max(min(0.3, room - (count - 1) * step - call_len), 0.05))
        return t0 + step * np.arange(count)
    times, t = [], rng.uniform(0.05, 0.4)
    while t < dur - call_len:
        m = int(rng.integers(per_series[0], per_series[1] + 1))
        step = call_len + rng.uniform(*gap)
        for _ in range(m):
            if t >= dur - call_len:
                break
            times.append(t)
            t += step
            step = max(step * (1.0 - accel), call_len + 0.04)
        t += rng.uniform(*pause)
    if not times:
        times = [0.05]
    return np.asarray(times)


def _normed(y: np.ndarray) -> np.ndarray:
    return y / (np.max(np.abs(y)) + 1e-12)


# ----------------------------------------------------------------------------------
# duck quack / goose honk
# ----------------------------------------------------------------------------------
_DUCK = V.Vowel((520.0, 1150.0, 1900.0, 3000.0), (60.0, 80.0, 120.0, 200.0))     # nasal "wa"
_DUCK_NASAL = V.Vowel((300.0, 1000.0, 2200.0), (50.0, 100.0, 160.0))
_GOOSE = V.Vowel((650.0, 1300.0, 2300.0, 3300.0), (120.0, 170.0, 240.0, 330.0))


@recipe("quack",
        descriptions=["a duck quacking",
                      "ducks quacking on a pond",
                      "a mallard's loud quack quack quack",
                      "a goose honking",
                      "a flock of geese honking as they fly over"],
        keywords=["duck", "ducks", "duckling", "ducklings", "mallard", "quack", "quacks", "quacking", "quacked",
                  "goose", "geese", "gander", "gosling", "goose honk", "goose honking", "geese honking",
                  "honking goose", "honking geese", "duck quack"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=4.0)
def quack(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 6000.0)
    goose = req.has("goose", "geese", "gander", "gosling", "honk", "honks", "honking")
    young = req.has("duckling", "ducklings", "gosling", "baby", "little") or req.size < 0.25
    r = float(np.clip(req.rate, 0.5, 2.0))
    call_len = (0.3 if goose else 0.15) / r ** 0.3
    if goose:
        times = _series_times(rng, dur, req.count, call_len, per_series=(1, 4), gap=(0.15, 0.4), pause=(0.5, 2.0))
    else:
        times = _series_times(rng, dur, req.count, call_len, per_series=(3, 7), gap=(0.07, 0.14),
                              pause=(0.8, 2.5), accel=0.06)
    out = np.zeros(-(-n // (sr // sri)))
    k = (1.25 if young else 1.0) * 2.0 ** (-0.3 * (req.size - 0.5))
    m = len(times)
    for i, t in enumerate(times):
        d = call_len * rng.uniform(0.85, 1.15)
        if goose:
            base = rng.uniform(330.0, 430.0) * (1.5 if young else 1.0)
            f0 = lambda u, b=base: b * (0.8 + 0.25 * V.ramp(u, 0.0, 0.25) - 0.12 * V.ramp(u, 0.6, 1.0))
            ph = V.Phonation(jitter=0.02, sub=0.3, rough=0.25, breath=0.1)
            y = V.voice_call(sri, rng, d, f0, V.swell(0.12, 0.3), ph, _DUCK_NASAL.scaled(k), _GOOSE.scaled(k),
                             mix=lambda u: V.ramp(u, 0.05, 0.3))
        else:
            base = rng.uniform(260.0, 340.0) * (1.8 if young else 1.0)
            f0 = lambda u, b=base: b * (1.1 - 0.25 * u)
            ph = V.Phonation(jitter=0.03, sub=0.15, rough=0.15, breath=0.2, tilt_hz=0.0)
            env = lambda u: (V.ramp(u, 0.0, 0.12) * (1.0 - V.ramp(u, 0.45, 1.0))) ** 0.8
            y = V.voice_call(sri, rng, d, f0, env, ph, _DUCK_NASAL.scaled(k), _DUCK.scaled(k),
                             mix=lambda u: V.ramp(u, 0.0, 0.25) * (1 - 0.5 * V.ramp(u, 0.6, 1.0)))
        # decrescendo along the take's series (but every call stays clearly audible)
        g = rng.uniform(0.85, 1.0) * (1.0 - 0.35 * i / max(m - 1, 1) if req.count and not goose else 1.0)
        dsp.place_signal(out, _normed(y), int(round(t * sri)), g)
    return _to_rate(out, sr, sri, n)


# ----------------------------------------------------------------------------------
# pig
# ----------------------------------------------------------------------------------
_PIG_NASAL = V.Vowel((250.0, 900.0, 2100.0, 3000.0), (80.0, 180.0, 260.0, 340.0))   # "nnng"
_PIG_OPEN = V.Vowel((450.0, 1150.0, 2300.0, 3200.0), (100.0, 160.0, 240.0, 330.0))
_SQUEAL = V.Vowel((1300.0, 2500.0, 3600.0), (200.0, 280.0, 380.0))


@recipe("oink",
        descriptions=["a pig oinking",
                      "pigs grunting and snorting in a sty",
                      "a piglet squealing",
                      "a hog snuffling and grunting in the mud",
                      "a sow grunting while piglets squeal"],
        keywords=["pig", "pigs", "piglet", "piglets", "hog", "hogs", "swine", "sow", "boar", "oink", "oinks",
                  "oinking", "sty", "pigsty", "pig grunt", "pig grunting", "pig squeal", "pig squealing",
                  "piglet squeal", "piglet squealing", "pigs squealing"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=4.0)
def oink(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 6500.0)
    piglet = req.has("piglet", "piglets", "baby", "little") or req.size < 0.25
    squeal_only = req.has("squeal", "squeals", "squealing", "squealed", "shriek", "shrieking")
    r = float(np.clip(req.rate, 0.5, 2.0))
    grunt_len = (0.14 if piglet else 0.22) / r ** 0.3
    squeal_len = 0.7 / r ** 0.3
    k = (1.35 if piglet else 1.0) * 2.0 ** (-0.3 * (req.size - 0.5))
    if squeal_only:
        times = _calls_schedule(rng, dur, req.count, group=(1, 2), in_gap=(0.15, 0.35), out_gap=(0.6, 1.8),
                                call_len=squeal_len)
        kinds = ["squeal"] * len(times)
    else:
        times = _calls_schedule(rng, dur, req.count, group=(2, 4), in_gap=(0.08, 0.25), out_gap=(0.5, 1.8),
                                call_len=grunt_len)
        # now and then (not when counted) a grunt turns into a squeal
        kinds = ["squeal" if (not req.count and rng.random() < 0.08) else "grunt" for _ in times]
    out = np.zeros(-(-n // (sr // sri)))
    for t, kind in zip(times, kinds):
        if kind == "grunt":
            d = grunt_len * rng.uniform(0.7, 1.3)
            base = rng.uniform(85.0, 140.0) * (2.0 if piglet else 1.0)
            f0 = lambda u, b=base: b * (1.0 + 0.15 * np.sin(np.pi * u) - 0.1 * u)
            ph = V.Phonation(jitter=0.04, sub=0.3, rough=0.25, breath=0.25, tilt_hz=1500.0)
            y = V.voice_call(sri, rng, d, f0, V.swell(0.1, 0.45), ph, _PIG_NASAL.scaled(k), _PIG_OPEN.scaled(k),
                             mix=lambda u: 0.6 * np.sin(np.pi * u))
            # a snorted onset: nasal turbulence just before the voicing
            sn = int(0.04 * sri)
            h = dsp.bandpass(rng.standard_normal(sn), sri, 400.0, 2500.0) * np.hanning(sn)
            y = _normed(y)
            dsp.place_signal(out, _normed(h), int(round((t - 0.02) * sri)), 0.2)
        else:
            d = squeal_len * rng.uniform(0.75, 1.3)
            base = rng.uniform(800.0, 1200.0) * (1.25 if piglet else 1.0)
            f0 = lambda u, b=base: b * (0.8 + 0.35 * np.sin(np.pi * np.minimum(u / 0.4, 1.0) * 0.5)
                                        - 0.25 * V.ramp(u, 0.5, 1.0))
            ph = V.Phonation(jitter=0.03, sub=0.35, rough=0.4, breath=0.15)
            y = _normed(V.voice_call(sri, rng, d, f0, V.swell(0.08, 0.3), ph, _SQUEAL.scaled(k)))
        dsp.place_signal(out, y, int(round(t * sri)), rng.uniform(0.8, 1.0) * (0.8 if kind == "squeal" else 1.0))
    return _to_rate(out, sr, sri, n)


# ----------------------------------------------------------------------------------
# horse neigh / whinny
# ----------------------------------------------------------------------------------
_HORSE_OPEN = V.Vowel((700.0, 1300.0, 2300.0, 3300.0), (140.0, 180.0, 260.0, 340.0))
_HORSE_CLOSED = V.Vowel((420.0, 1000.0, 2200.0, 3200.0), (110.0, 160.0, 240.0, 330.0))


def _snort(sr: int, rng: np.random.Generator, dur_s: float) -> np.ndarray:
    """A horse's snort/blow: noisy nostril flutter (noise modulated at 25-40 Hz), peak 1."""
    L = max(int(dur_s * sr), 16)
    u = np.arange(L) / L
    x = dsp.bandpass(rng.standard_normal(L), sr, 150.0, 1800.0) + 0.5 * dsp.resonator(
        rng.standard_normal(L), sr, rng.uniform(350.0, 600.0), 3.0)
    flutter = 0.5 + 0.5 * np.sin(2 * np.pi * rng.uniform(25.0, 40.0) * u * dur_s)
    y = x * (0.35 + 0.65 * flutter ** 2) * V.ramp(u, 0.0, 0.08) * np.exp(-2.5 * u)
    return _normed(y)


@recipe("neigh",
        descriptions=["a horse neighing",
                      "a horse whinnying loudly",
                      "a pony neighs and snorts in the stable",
                      "the shrill whinny of a frightened stallion"],
        keywords=["neigh", "neighs", "neighing", "neighed", "whinny", "whinnies", "whinnying", "whinnied",
                  "nicker", "nickering", "horse neigh", "horse neighing", "horse whinny", "horse whinnying",
                  "horse snort", "horse snorting", "neighing horse", "whinnying horse", "pony neigh"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=4.0)
def neigh(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 7000.0)
    pony = req.has("pony", "foal", "colt", "little", "small") or req.size < 0.25
    nicker = req.has("nicker", "nickers", "nickering")
    r = float(np.clip(req.rate, 0.5, 2.0))
    length = (0.6 if nicker else rng.uniform(1.0, 1.5)) / r ** 0.3
    snort_len = 0.35
    if req.count:
        length = min(length, max((dur - 0.2) / req.count - snort_len - 0.3, 0.4))
    times = _calls_schedule(rng, dur, req.count, group=(1, 1), in_gap=(0.5, 1.0), out_gap=(1.5, 4.0),
                            call_len=length + snort_len + 0.1)
    k = (1.2 if pony else 1.0) * 2.0 ** (-0.3 * (req.size - 0.5))
    p_hi = 1.2 if pony else 1.0
    out = np.zeros(-(-n // (sr // sri)))
    for t in times:
        d = min(length * rng.uniform(0.9, 1.1), max(dur - t - 0.05, 0.3))
        if nicker:   # a low, soft, pulsed "huh-huh-huh"
            base = rng.uniform(110.0, 150.0)
            f0 = lambda u, b=base: b * (1.0 - 0.1 * u)
            rate = rng.uniform(9.0, 13.0)
            env = lambda u, d=d, rt=rate: V.swell(0.1, 0.3)(u) * (0.5 + 0.5 * np.sin(2 * np.pi * rt * u * d)) ** 2
            ph = V.Phonation(jitter=0.03, sub=0.2, rough=0.2, breath=0.4, tilt_hz=900.0)
            y = V.voice_call(sri, rng, d, f0, env, ph, _HORSE_CLOSED.scaled(k))
        else:
            start, top, end = (rng.uniform(380.0, 450.0) * p_hi, rng.uniform(850.0, 980.0) * p_hi,
                               rng.uniform(280.0, 330.0) * p_hi)
            peak = rng.uniform(0.18, 0.28)
            vib, depth = rng.uniform(8.0, 13.0), rng.uniform(0.05, 0.09)
            ph0 = rng.uniform(0, 2 * np.pi)

            def f0(u, s=start, tp=top, e=end, p=peak, d=d, v=vib, dp=depth, ph0=ph0):
                up = s + (tp - s) * np.sin(0.5 * np.pi * np.minimum(u / p, 1.0))
                down = (tp - e) * (V.ramp(u, p, 1.0) ** 0.8)
                w = V.ramp(u, 0.1, 0.35)   # the tremolo grows once the whinny is under way
                return (up - down) * (1.0 + dp * w * np.sin(2 * np.pi * v * u * d + ph0))

            env = lambda u, d=d, v=vib, ph0=ph0: V.swell(0.06, 0.3)(u) * (
                1.0 - 0.35 * V.ramp(u, 0.1, 0.35) * (0.5 - 0.5 * np.sin(2 * np.pi * v * u * d + ph0)))
            ph = V.Phonation(jitter=0.02, sub=0.2, rough=0.2, breath=0.1)
            y = V.voice_call(sri, rng, d, f0, env, ph, _HORSE_CLOSED.scaled(k), _HORSE_OPEN.scaled(k),
                             mix=lambda u: V.ramp(u, 0.0, 0.2) * (1 - 0.7 * V.ramp(u, 0.6, 1.0)))
        dsp.place_signal(out, _normed(y), int(round(t * sri)), rng.uniform(0.85, 1.0))
        # then a snort or two (not after a brief nicker)
        o = t + d + rng.uniform(0.08, 0.15)
        for _ in range(0 if nicker else int(rng.integers(1, 3))):
            sd = rng.uniform(0.6, 1.0) * snort_len
            if o + sd > dur - 0.05:
                break
            dsp.place_signal(out, _snort(sri, rng, sd), int(round(o * sri)), rng.uniform(0.2, 0.3))
            o += sd + rng.uniform(0.05, 0.15)
    return _to_rate(out, sr, sri, n)


# ----------------------------------------------------------------------------------
# crow / raven caw
# ----------------------------------------------------------------------------------
_CAW = V.Vowel((1100.0, 1700.0, 2700.0, 3800.0), (220.0, 260.0, 340.0, 420.0))     # open, harsh "aa"
_CAW_ON = V.Vowel((700.0, 1500.0, 2600.0, 3700.0), (180.0, 240.0, 320.0, 400.0))   # the "k-" closure


@recipe("caw",
        descriptions=["a crow cawing",
                      "crows cawing in the trees",
                      "a raven croaking overhead",
                      "the harsh kaaw kaaw of a crow",
                      "rooks and jackdaws calling over a field"],
        keywords=["caw", "caws", "cawing", "cawed", "raven", "ravens", "rook", "rooks", "jackdaw", "jackdaws",
                  "magpie", "magpies", "corvid", "corvids", "crow caw", "crow cawing", "crows caw", "crows cawing",
                  "cawing crow", "cawing crows", "raven croak", "raven croaking", "murder of crows", "kaaw"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=4.0)
def caw(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 8000.0)
    raven = req.has("raven", "ravens", "croak", "croaking", "croaks")
    small = req.has("jackdaw", "jackdaws", "magpie", "magpies") or req.size < 0.25
    r = float(np.clip(req.rate, 0.5, 2.0))
    call_len = (0.45 if raven else 0.38 if not small else 0.22) / r ** 0.3
    times = _series_times(rng, dur, req.count, call_len, per_series=(2, 4), gap=(0.12, 0.3), pause=(1.0, 3.0))
    k = (0.85 if raven else 1.15 if small else 1.0) * 2.0 ** (-0.3 * (req.size - 0.5))
    out = np.zeros(-(-n // (sr // sri)))
    for t in times:
        d = call_len * rng.uniform(0.8, 1.15)
        base = (rng.uniform(300.0, 380.0) if raven else rng.uniform(480.0, 620.0)) * (1.3 if small else 1.0)
        f0 = lambda u, b=base: b * (0.9 + 0.2 * V.ramp(u, 0.0, 0.15) - 0.25 * V.ramp(u, 0.4, 1.0))
        ph = V.Phonation(jitter=0.08, sub=0.3, rough=0.2, breath=0.3, tilt_hz=0.0)
        env = lambda u: (V.ramp(u, 0.0, 0.08) * (1.0 - V.ramp(u, 0.55, 1.0))) ** 0.7
        y = _normed(V.voice_call(sri, rng, d, f0, env, ph, _CAW_ON.scaled(k), _CAW.scaled(k),
                                 mix=lambda u: V.ramp(u, 0.0, 0.15)))
        # the harshness: broadband turbulence riding the call (wide band, so it rasps
        # rather than whistles)
        L = y.size
        u = np.arange(L) / L
        hiss = dsp.bandpass(rng.standard_normal(L), sri, 700.0 * k, min(5500.0 * k, 0.45 * sri)) * env(u)
        y = y + 0.6 * _normed(hiss)
        dsp.place_signal(out, _normed(y), int(round(t * sri)), rng.uniform(0.8, 1.0))
    return _to_rate(out, sr, sri, n)
