"""Hens and chickens clucking.

Model: source-filter voices (``_voice``). A cluck ("buk") is a short voiced note,
60-130 ms, f0 ~ 300-600 Hz with a quick upward flick and a falling end, through a
nasal, half-closed beak (a low murmur formant and a weak upper pair), with an abrupt
onset. Clucks come in irregular series (the contented "buk... buk-buk... buk"), and now
and then a hen breaks into the egg song: a quickening run of buks ending in a long,
rising-then-falling, more open "bukaaaw". Several hens = several voices, each with its
own pitch and tempo, panned across the stereo field. The rooster's crow is ``rooster``.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _voice as V
from .base import SynthRequest, recipe

_BUK = V.Vowel((420.0, 1350.0, 2600.0), (110.0, 260.0, 380.0))          # nasal, beak nearly shut
_BUK_OPEN = V.Vowel((750.0, 1600.0, 2800.0), (130.0, 220.0, 340.0))     # the "-aaw" of the egg song


def _buk(sri: int, rng, f0b: float, *, long: bool = False) -> np.ndarray:
    if long:   # "bukaaaw": rises, holds, falls; the beak opens
        d = rng.uniform(0.4, 0.65)
        rise = rng.uniform(1.35, 1.6)
        f0 = lambda u: f0b * (1.0 + (rise - 1.0) * V.ramp(u, 0.0, 0.35) - 0.2 * V.ramp(u, 0.65, 1.0))
        env = V.swell(0.06, 0.3)
        ph = V.Phonation(jitter=0.02, sub=0.15, rough=0.25, breath=0.1)
        return V.voice_call(sri, rng, d, f0, env, ph, _BUK, _BUK_OPEN, mix=lambda u: V.ramp(u, 0.05, 0.3))
    d = rng.uniform(0.06, 0.13)
    flick = rng.uniform(1.05, 1.2)
    f0 = lambda u: f0b * (1.0 + (flick - 1.0) * np.sin(np.pi * np.minimum(u / 0.6, 1.0)) - 0.15 * V.ramp(u, 0.6, 1.0))
    env = lambda u: V.ramp(u, 0.0, 0.06) * (1.0 - V.ramp(u, 0.35, 1.0)) ** 1.5
    ph = V.Phonation(jitter=0.02, sub=0.0, rough=0.2, breath=0.08)
    return V.voice_call(sri, rng, d, f0, env, ph, _BUK, _BUK_OPEN, mix=lambda u: 0.3 * np.sin(np.pi * u))


def _series(rng, dur: float, tempo: float, egg: bool, egg_p: float) -> list[tuple[float, bool]]:
    """(onset, is_long) over the take: irregular runs of clucks, sometimes an egg song."""
    ev: list[tuple[float, bool]] = []
    t = rng.uniform(0.05, 0.6)
    while t < dur - 0.15:
        if (egg and not ev) or rng.random() < egg_p:   # buk-buk-buk-buk-bukaaaw
            m = int(rng.integers(3, 7))
            gap = rng.uniform(0.18, 0.26) / tempo
            for i in range(m):
                if t < dur - 0.15:
                    ev.append((t, False))
                t += gap * (1.0 - 0.08 * i)
            if t < dur - 0.5:
                ev.append((t, True))
            t += 0.7 + rng.uniform(0.8, 2.0) / tempo
            continue
        for _ in range(int(rng.integers(1, 5))):
            if t >= dur - 0.15:
                break
            ev.append((t, False))
            t += rng.uniform(0.16, 0.45) / tempo
        t += rng.uniform(0.5, 1.8) / tempo
    if not ev:
        ev = [(min(0.05, 0.1 * dur), False)]
    return ev


@recipe("cluck",
        descriptions=["hens clucking in the farmyard",
                      "a chicken clucking, buk buk buk",
                      "a hen cackling after laying an egg, buk-buk-bukaaw",
                      "chickens pecking and clucking in a coop",
                      "a flock of hens clucking contentedly in the yard"],
        keywords=["hen", "hens", "chicken", "chickens", "cluck", "clucks", "clucking", "clucked", "cackle",
                  "cackling", "poultry", "chook", "chooks", "pullet", "pullets", "chicken coop", "hen house",
                  "henhouse", "coop", "buk", "bawk", "bok", "hens clucking", "chickens clucking", "chicken clucking",
                  "hen clucking", "clucking hen", "clucking hens", "clucking chickens", "laying hens"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=5.0)
def cluck(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 6000.0)
    chick = req.has("chick", "chicks", "young", "little", "baby")
    tempo = float(np.clip(req.rate, 0.5, 2.0)) * (1.3 if req.has("agitated", "alarmed", "squawking", "scared") else 1.0)
    egg = req.has("egg", "eggs", "laying", "laid", "cackle", "cackling", "bukaaw", "bawk", "egg song")
    several = req.has("hens", "chickens", "flock", "coop", "chooks", "poultry", "yard", "farmyard", "henhouse",
                      "hen house", "many", "several", "pullets")
    if req.count:   # exactly count clucks from one hen
        from .animals import _calls_schedule
        times = _calls_schedule(rng, dur, req.count, group=(1, 4), in_gap=(0.15, 0.35), out_gap=(0.5, 1.2),
                                call_len=0.13)
        voices = [([(float(t), False) for t in times], 0.5, 1.0, 0.0)]
        hens = 1
    else:
        hens = int(rng.integers(2, 5)) if several else 1
        voices = []
        for h in range(hens):
            pan = 0.5 if h == 0 else float(rng.uniform(0.1, 0.9))
            voices.append((_series(rng, dur, tempo * rng.uniform(0.8, 1.2), egg and h == 0,
                                   0.12 if (egg or several) else 0.06), pan, 1.0 if h == 0 else rng.uniform(0.35, 0.7),
                           float(h > 0)))
    out = np.zeros((2, n))
    for h, (ev, pan, gain, far) in enumerate(voices):
        f0b = rng.uniform(300.0, 420.0) * (1.6 if chick else 1.0)
        calls = [(t, lg) for t, lg in ev]
        y = V.render_calls(n, sr, sri, [t for t, _ in calls], np.ones(len(calls)),
                           lambda i: _buk(sri, rng, f0b * rng.uniform(0.95, 1.08), long=calls[i][1]))
        if far:
            y = dsp.lowpass(y, sr, rng.uniform(2000, 3500), order=1)
        y = y / (np.max(np.abs(y)) + 1e-12) * gain
        out[0] += np.cos(0.5 * np.pi * pan) * y * np.sqrt(2)
        out[1] += np.sin(0.5 * np.pi * pan) * y * np.sqrt(2)
    return out if hens > 1 else out[0]
