"""Farm animal calls: cow moo and sheep/goat bleat.

Models: source-filter voices (``_voice``). A moo is a long, low glottal pulse train
(f0 ~ 90-160 Hz, a slow rise then a long fall) that starts nasal through a closed mouth
("mmm": a low murmur formant, the mouth formants shut) and opens into "ooo/aaa" as the
jaw drops. A bleat is a short, high call (sheep ~ 200-300 Hz, lambs and goats higher)
whose signature is the fast 6-14 Hz vibrato/tremolo of an unstable larynx (pitch and
amplitude modulated together), after a brief nasal "m/b" onset.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _voice as V
from .animals import _calls_schedule
from .base import SynthRequest, recipe

_NASAL = V.Vowel((260.0, 1000.0, 2300.0), (90.0, 300.0, 400.0))          # "mmm": closed mouth
_MOO_OPEN = V.Vowel((480.0, 900.0, 2300.0, 3200.0), (90.0, 120.0, 220.0, 300.0))
_BAA = V.Vowel((780.0, 1550.0, 2700.0, 3800.0), (120.0, 160.0, 240.0, 320.0))
_MEH = V.Vowel((560.0, 1900.0, 2700.0, 3800.0), (100.0, 160.0, 240.0, 320.0))
_BLEAT_NASAL = V.Vowel((300.0, 1200.0, 2600.0), (90.0, 250.0, 350.0))


def _herd_size(req: SynthRequest, rng, plural_words: tuple[str, ...]) -> int:
    if req.count:
        return 1
    if req.has("herd", "flock", "many", "field of", *plural_words):
        return int(rng.integers(3, 6))
    return 1


def _voices(rng, size: float, n_animals: int, make_times, make_call, sr: int, sri: int, n: int) -> np.ndarray:
    """Several animals of a herd (the first one near, of the given size; the others
    farther and a little different), each with its own call times."""
    total = np.zeros(n)
    for a in range(n_animals):
        near = a == 0
        times = make_times()
        gain = 1.0 if near else rng.uniform(0.25, 0.6)
        ind = {"size": size if near else float(np.clip(size * rng.uniform(0.8, 1.2), 0.0, 1.0))}
        y = V.render_calls(n, sr, sri, times, np.full(np.size(times), gain), lambda i: make_call(ind))
        if not near:   # farther away: duller
            y = dsp.lowpass(y, sr, rng.uniform(1500, 3000), order=1)
        total += y
    return total


# ----------------------------------------------------------------------------------
# cow
# ----------------------------------------------------------------------------------
@recipe("cow_moo",
        descriptions=["a cow mooing in a field",
                      "cattle lowing in the barn",
                      "the long deep moo of a dairy cow",
                      "a bull bellowing on the farm",
                      "a herd of cows calling to each other in a pasture"],
        keywords=["cow", "cows", "moo", "moos", "mooing", "mooed", "cattle", "lowing", "bull", "calf", "heifer",
                  "ox", "oxen", "herd", "dairy", "pasture"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=5.0)
def cow_moo(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 4500.0)
    size = req.size
    if req.has("calf", "calves", "young"):
        size = min(size, 0.2)
    elif req.has("bull", "bulls", "ox", "oxen", "huge", "big"):
        size = max(size, 0.85)
    r = float(np.clip(req.rate, 0.5, 2.0))
    length = float(np.interp(size, [0, 1], [1.0, 2.6])) / r ** 0.5
    if req.count:   # every moo fits, with a breath between
        length = min(length, max((dur - 0.3) / req.count - 0.6, 0.4) / 1.2)

    def call(ind):
        s = ind["size"]
        f0b = float(np.interp(s, [0, 0.5, 1], [175.0, 125.0, 95.0])) * rng.uniform(0.92, 1.08)
        k = float(np.interp(s, [0, 1], [1.25, 0.9]))        # tract length scaling
        d = length * rng.uniform(0.8, 1.2)
        peak = rng.uniform(0.1, 0.22)
        f0 = lambda u: f0b * (0.85 + peak * np.sin(np.pi * np.minimum(u / 0.5, 1.0)) * (u < 0.5)
                              + peak * (u >= 0.5) - 0.3 * V.ramp(u, 0.45, 1.0))
        opening = rng.uniform(0.15, 0.35)
        ph = V.Phonation(jitter=0.01, sub=0.25 if rng.random() < 0.5 else 0.0, rough=0.1, breath=0.04,
                         tilt_hz=900.0)
        return V.voice_call(sri, rng, d, f0, V.swell(0.15, 0.3), ph, _NASAL.scaled(k), _MOO_OPEN.scaled(k),
                            mix=lambda u: V.ramp(u, 0.05, opening) * (1 - 0.5 * V.ramp(u, 0.8, 1.0)))

    herd = _herd_size(req, rng, ("cows", "cattle", "herd", "bulls", "calves"))
    if req.count:   # evenly spread, a breath (>= 0.5 s) between moos
        period = (dur - 0.2 - 1.2 * length) / max(req.count - 1, 1)
        jit = 0.25 * max(period - 1.2 * length - 0.5, 0.0)
        times = lambda: 0.1 + period * np.arange(req.count) + rng.uniform(0.0, jit, req.count)  # noqa: E731
    else:
        times = lambda: _calls_schedule(rng, dur, None, group=(1, 2), in_gap=(0.5, 1.5), out_gap=(2.0, 6.0),  # noqa: E731
                                        call_len=length * 1.2)
    return _voices(rng, size, herd, times, call, sr, sri, n)


# ----------------------------------------------------------------------------------
# sheep / goat
# ----------------------------------------------------------------------------------
@recipe("sheep_bleat",
        descriptions=["a sheep bleating, baa",
                      "a flock of sheep baaing on a hillside",
                      "a goat bleating in the farmyard",
                      "a little lamb calling for its mother",
                      "nanny goats maa-ing in a pen"],
        keywords=["sheep", "bleat", "bleats", "bleating", "baa", "baaing", "lamb", "lambs", "ewe", "ewes", "ram",
                  "goat", "goats", "kid goat", "nanny goat", "billy goat", "flock", "maa"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=4.0)
def sheep_bleat(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 8000.0)
    goat = req.has("goat", "goats", "kid goat", "nanny", "billy", "maa")
    young = req.has("lamb", "lambs", "kid", "baby", "little") or req.size < 0.25
    f_lo = 300.0 if goat else 190.0
    if young:
        f_lo *= 1.5
    r = float(np.clip(req.rate, 0.5, 2.0))
    length = (0.55 if goat else 0.8) / r ** 0.5

    def call(ind):
        f0b = rng.uniform(f_lo, f_lo * 1.35)
        trem = rng.uniform(9.0, 14.0) if goat else rng.uniform(6.0, 10.0)
        depth = rng.uniform(0.06, 0.1) if goat else rng.uniform(0.04, 0.07)
        d = length * rng.uniform(0.8, 1.25)
        ph0 = rng.uniform(0, 2 * np.pi)
        wob = lambda u: np.sin(2 * np.pi * trem * u * d + ph0) * V.ramp(u, 0.1, 0.3)
        f0 = lambda u: f0b * (1.0 + 0.08 * np.sin(np.pi * u) - 0.1 * V.ramp(u, 0.6, 1.0)) * (1 + depth * wob(u))
        env = lambda u: V.swell(0.08, 0.25)(u) * (1 - 0.45 * (0.5 - 0.5 * wob(u)))
        ph = V.Phonation(jitter=0.015, sub=0.0, rough=0.15, breath=0.12)
        k = 1.3 if young else 1.0
        return V.voice_call(sri, rng, d, f0, env, ph, _BLEAT_NASAL.scaled(k), (_MEH if goat else _BAA).scaled(k),
                            mix=lambda u: V.ramp(u, 0.0, 0.12))

    herd = _herd_size(req, rng, ("sheep", "flock", "goats", "lambs", "ewes"))
    if herd == 1 and req.has("sheep") and not req.has("a sheep", "one sheep", "single", "lone") and not req.count:
        herd = int(rng.integers(1, 4))      # "sheep" may be plural
    times = lambda: _calls_schedule(rng, dur, req.count, group=(1, 3), in_gap=(0.3, 0.8), out_gap=(1.5, 4.0),
                                    call_len=length * 1.25)
    return _voices(rng, req.size, herd, times, call, sr, sri, n)
