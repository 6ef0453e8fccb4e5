"""Unvoiced and explosive voice sounds: whispering, coughing.

Models (source-filter, ``_voice``):
- whisper: speech with the glottis open: the vocal tract is excited by turbulent
  (aspiration) noise instead of glottal pulses, so formants ride on noise and there is
  no pitch. Syllables come at the speech rate (4-6 a second) in words and phrases with
  pauses; about half begin with a fricative (/s/ 5-8 kHz, /sh/ 2-4 kHz) or a plosive
  release, and each syllable's vowel is a different formant set (a, e, i, o).
- cough: a brief closure, then an explosive release: a glottal click (broadband
  impulse) and a burst of turbulent noise through a lax /ə/ tract with a fast attack and
  ~100-200 ms decay, often ending in a short rough voiced "uh". Coughs come in bouts of
  1-3 after a quick inhale; "coughs twice" is an exact count.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _voice as V
from .base import SynthRequest, recipe
from .voices import _SPEAKERS, _VOWELS, _speaker

_SCHWA = V.Vowel((550.0, 1450.0, 2450.0, 3400.0), (130.0, 160.0, 220.0, 320.0))


def _whispered(v: V.Vowel) -> V.Vowel:
    """Whispered vowels: F1 a little higher, all bandwidths about twice as wide (open glottis losses)."""
    return V.Vowel((v.freqs[0] * 1.12, *v.freqs[1:]), tuple(2.2 * b for b in v.bws))


def _noise_syllable(sri: int, rng, dur_s: float, vowel: V.Vowel) -> np.ndarray:
    """One whispered vowel: aspiration noise through the tract, rise-fall envelope."""
    L = max(int(dur_s * sri), 16)
    u = np.arange(L) / L
    x = dsp.highpass(rng.standard_normal(L), sri, 300.0, order=1)
    y = V.vowel_filter(x * V.swell(0.2, 0.45, 1.2)(u), sri, vowel)
    y = np.diff(y, prepend=0.0)
    return y / (np.max(np.abs(y)) + 1e-12)


def _fricative(sri: int, rng, kind: str, dur_s: float) -> np.ndarray:
    L = max(int(dur_s * sri), 16)
    u = np.arange(L) / L
    lo, hi = {"s": (4500.0, 0.45 * sri), "sh": (1900.0, 4200.0), "f": (1500.0, 0.45 * sri)}[kind]
    y = dsp.bandpass(rng.standard_normal(L), sri, lo, min(hi, 0.45 * sri)) * np.sin(np.pi * u) ** 1.2
    return y / (np.max(np.abs(y)) + 1e-12)


@recipe("whisper",
        descriptions=["someone whispering a secret",
                      "a hushed whispered voice close to the ear",
                      "two people whispering quietly to each other",
                      "a child whispering in the dark",
                      "a breathy, unvoiced whisper"],
        keywords=["whisper", "whispers", "whispering", "whispered", "whisperer", "psst", "sotto voce",
                  "hushed voice", "hushed voices", "speaks in a whisper", "under his breath", "under her breath"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=4.0)
def whisper(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 9000.0)
    factor = sr // sri
    ni = -(-n // factor)
    two = req.has("two people", "to each other", "people", "voices", "couple", "whispers back", "conversation")
    speakers = []
    for i in range(2 if two else 1):
        who = _speaker(req, rng) if i == 0 else ("female" if rng.random() < 0.5 else "male")
        speakers.append(_SPEAKERS[who][0] * rng.uniform(0.95, 1.05))
    r = float(np.clip(req.rate, 0.6, 1.6))
    keys = list(_VOWELS)
    out = np.zeros(ni)
    t, turn = rng.uniform(0.03, 0.2), 0
    while t < dur - 0.15:
        k = speakers[turn % len(speakers)]
        g_turn = 1.0 if turn % len(speakers) == 0 else rng.uniform(0.5, 0.8)
        words = int(rng.integers(2, 7))
        for _ in range(words):
            for _ in range(int(rng.integers(1, 4))):
                if t > dur - 0.1:
                    break
                d = rng.uniform(0.1, 0.2) / r
                lead = rng.random()
                if lead < 0.3:     # a fricative onset: s / sh / f
                    kind = str(rng.choice(["s", "s", "sh", "f"]))
                    fd = rng.uniform(0.05, 0.11) / r
                    dsp.place_signal(out, _fricative(sri, rng, kind, fd), int(round(t * sri)),
                                     g_turn * rng.uniform(0.35, 0.6))
                    t += 0.75 * fd
                elif lead < 0.5:   # a plosive release (t, k, p)
                    cl = int(0.006 * sri)
                    burst = dsp.highpass(rng.standard_normal(cl), sri, 1500.0) * np.exp(-np.arange(cl) / (0.0015 * sri))
                    dsp.place_signal(out, burst / (np.max(np.abs(burst)) + 1e-12), int(round(t * sri)),
                                     g_turn * 0.5)
                    t += 0.015
                vw = _whispered(_VOWELS[keys[int(rng.integers(len(keys)))]].scaled(k))
                dsp.place_signal(out, _noise_syllable(sri, rng, d, vw), int(round(t * sri)),
                                 g_turn * rng.uniform(0.6, 1.0))
                t += d + rng.uniform(0.0, 0.04)
            t += rng.uniform(0.04, 0.15) / r                         # between words
        t += rng.uniform(0.3, 0.9) / r                               # phrase pause / breath
        turn += 1
    return dsp.upsample(out, factor, n) + 1e-5 * rng.standard_normal(n)


@recipe("cough",
        descriptions=["a man coughing",
                      "a woman coughs twice",
                      "a dry hacking cough",
                      "someone clearing their throat and coughing",
                      "a sick person with a chesty cough"],
        keywords=["cough", "coughs", "coughing", "coughed", "coughing fit", "hacking cough", "clears his throat",
                  "clears her throat", "clearing his throat", "clearing her throat", "clears throat",
                  "throat clearing", "splutter", "spluttering", "sputtering cough", "ahem"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=3.0)
def cough(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 9000.0)
    factor = sr // sri
    ni = -(-n // factor)
    who = _speaker(req, rng)
    k, (lo, hi) = _SPEAKERS[who]
    throat = req.has("clears his throat", "clears her throat", "clearing his throat", "clearing her throat",
                     "clears throat", "throat clearing", "ahem", "clearing throat")
    chesty = req.has("chesty", "wet", "sick", "ill", "hacking", "consumptive", "rattling", "fit", "coughing fit")
    r = float(np.clip(req.rate, 0.6, 1.6))
    # schedule: bouts of 1-3 coughs (an exact total if counted)
    times, t, left = [], rng.uniform(0.05, 0.2), req.count
    while (left is not None and left > 0) or (left is None and t < dur - 0.3):
        m = int(rng.integers(1, 4)) if not chesty else int(rng.integers(2, 5))
        if left is not None:
            m = min(m, left)
            left -= m
        for _ in range(m):
            times.append(t)
            t += rng.uniform(0.28, 0.42) / r
        t += rng.uniform(1.2, 3.5) / r
    times = np.asarray(times)
    if times[-1] + 0.3 > dur:
        times = times * max(dur - 0.3, 0.05) / max(times[-1], 1e-6)
    out = np.zeros(ni)
    vow = _SCHWA.scaled(k)
    for i, t0 in enumerate(times):
        if i == 0 or times[i] - times[i - 1] > 0.8:     # a quick inhale before each bout
            gd = min(rng.uniform(0.18, 0.3), max(t0 - 0.02, 0.0))
            if gd > 0.08:
                dsp.place_signal(out, V.gasp(sri, rng, gd, centre_hz=1600.0 * k), int(round((t0 - gd - 0.02) * sri)),
                                 0.12)
        d = rng.uniform(0.13, 0.22) * (0.6 if throat else 1.0) * (1.3 if chesty else 1.0)
        L = int(d * sri)
        tt = np.arange(L) / sri
        # explosive release: turbulent noise through the tract, fast attack, exp decay
        env = np.minimum(tt / 0.004, 1.0) * np.exp(-tt / (0.3 * d))
        x = rng.standard_normal(L) * env
        body = V.vowel_filter(x, sri, vow)
        burst = body / (np.max(np.abs(body)) + 1e-12) + 0.08 * dsp.highpass(x, sri, 2500.0)
        # glottal click at the release
        click = np.zeros(L)
        click[:int(0.002 * sri)] = rng.standard_normal(int(0.002 * sri))
        burst = burst / (np.max(np.abs(burst)) + 1e-12) + 0.3 * dsp.bandpass(click, sri, 300.0, 3000.0)
        dsp.place_signal(out, burst / (np.max(np.abs(burst)) + 1e-12), int(round(t0 * sri)), rng.uniform(0.8, 1.0))
        # the rough voiced "uh" that ends many coughs (and all throat clearing)
        if throat or rng.random() < 0.6:
            vd = rng.uniform(0.08, 0.16)
            f = rng.uniform(lo, hi) * 0.9
            ph = V.Phonation(jitter=0.04, sub=0.4, rough=0.4, breath=0.5, tilt_hz=1500.0)
            y = V.voice_call(sri, rng, vd, lambda u, f=f: f * (1.0 - 0.15 * u), V.swell(0.1, 0.6), ph, vow)
            dsp.place_signal(out, y / (np.max(np.abs(y)) + 1e-12), int(round((t0 + 0.35 * d) * sri)),
                             rng.uniform(0.2, 0.35))
    return dsp.upsample(out, factor, n) + 1e-5 * rng.standard_normal(n)
