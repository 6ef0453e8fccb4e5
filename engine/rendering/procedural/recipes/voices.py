"""Non-verbal human voices: screams and shrieks, shouts and calls, crying (infant cry
and adult sobbing).

Models: source-filter voices (``_voice``). A scream is a pressed, very high glottal
source whose pitch leaps up at onset, with strong roughness (period doubling and
30-150 Hz amplitude flicker: the acoustic "alarm" niche of screams) through an open /a/
tract. A shout is 1-3 syllables at raised vocal effort, each with an /h/ onset and its
own vowel; "calling out" sustains a final vowel on the calling (falling third) contour.
An infant cry is a train of expiratory bursts (f0 ~ 350-550 Hz, rise-fall with
vibrato, formants sweeping open "w-aa") separated by inspiratory gasps and breath
pauses (Zeskind/LaGasse cry acoustics); a sob is short voiced "uh-huh" pulses on a
shuddering, stuttered inhale.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _voice as V
from .animals import _calls_schedule
from .base import SynthRequest, recipe

_OPEN_A = V.Vowel((950.0, 1550.0, 2800.0, 3900.0), (160.0, 200.0, 280.0, 380.0))   # screamed /a/
_AE = V.Vowel((760.0, 1900.0, 2900.0, 4000.0), (140.0, 200.0, 280.0, 380.0))       # /ae/, "eeah"
_VOWELS = {
    "a": V.Vowel((780.0, 1250.0, 2600.0, 3600.0), (110.0, 140.0, 220.0, 320.0)),
    "e": V.Vowel((560.0, 1800.0, 2550.0, 3600.0), (90.0, 140.0, 220.0, 320.0)),
    "o": V.Vowel((560.0, 900.0, 2500.0, 3500.0), (90.0, 120.0, 220.0, 320.0)),
    "i": V.Vowel((330.0, 2200.0, 3000.0, 3800.0), (70.0, 150.0, 240.0, 320.0)),
}
# speaker -> (formant scale = 1 / relative tract length, speaking f0 range Hz)
_SPEAKERS = {"male": (1.0, (105.0, 145.0)), "female": (1.17, (190.0, 250.0)), "child": (1.35, (260.0, 330.0))}


def _speaker(req: SynthRequest, rng: np.random.Generator, p_female: float = 0.5) -> str:
    if req.has("child", "kid", "kids", "children", "boy", "girl", "toddler", "little"):
        return "child"
    if req.has("man", "men", "male", "guy", "he", "his", "father", "soldier", "sailor", "old man"):
        return "male"
    if req.has("woman", "women", "female", "lady", "she", "her", "mother"):
        return "female"
    return "female" if rng.random() < p_female else "male"


def _place_gasps(out: np.ndarray, sri: int, rng, onsets, *, length_s=(0.2, 0.35), gain=0.25, centre_hz=2200.0,
                 pieces: int = 1) -> None:
    """An inhale just before each call that has room for one (not before the first)."""
    for a, b in zip(onsets[:-1], onsets[1:]):
        d = min(rng.uniform(*length_s), 0.8 * (b - a))
        if d > 0.08:
            g = V.gasp(sri, rng, d, centre_hz=centre_hz * rng.uniform(0.9, 1.1), pieces=pieces)
            dsp.place_signal(out, g, int(round((b - d - 0.03) * sri)), gain)


def _to_rate(out: np.ndarray, sr: int, sri: int, n: int) -> np.ndarray:
    return dsp.upsample(out, sr // sri, n)


# ----------------------------------------------------------------------------------
# scream / shriek
# ----------------------------------------------------------------------------------
@recipe("scream",
        descriptions=["a woman screaming in terror",
                      "a piercing high-pitched shriek of fear",
                      "a man's agonised scream of pain",
                      "a blood-curdling horror movie scream",
                      "someone shrieking in panic"],
        keywords=["scream", "screams", "screaming", "screamed", "shriek", "shrieks", "shrieking", "shrieked",
                  "screech of terror", "blood-curdling", "horror scream", "wail of terror"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=3.0)
def scream(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 9000.0)
    who = _speaker(req, rng, p_female=0.65)
    k, _ = _SPEAKERS[who]
    f0_lo = {"male": (330.0, 480.0), "female": (560.0, 820.0), "child": (750.0, 1000.0)}[who]
    shriek = req.has("shriek", "shrieks", "shrieking", "shrieked", "squeal", "yelp")
    length = (0.35, 0.7) if shriek else (0.8, 1.8)
    length = tuple(x / float(np.clip(req.rate, 0.5, 2.0)) ** 0.5 for x in length)
    times = _calls_schedule(rng, dur, req.count, group=(1, 3), in_gap=(0.35, 0.7), out_gap=(1.0, 3.0),
                            call_len=length[1])
    inten = req.intensity
    out = np.zeros(-(-n // (sr // sri)))
    for t in times:
        d = min(rng.uniform(*length), max(dur - t - 0.05, 0.15))
        base = rng.uniform(*f0_lo) * (1.2 if shriek else 1.0)
        rise = rng.uniform(0.25, 0.55) * (0.7 + 0.6 * inten)
        vib = rng.uniform(5.0, 8.0)
        f0 = lambda u, b=base, r=rise, d=d, v=vib: b * (1 + r * V.ramp(u, 0.0, 0.15) - 0.3 * V.ramp(u, 0.72, 1.0)) \
            * (1 + 0.012 * np.sin(2 * np.pi * v * u * d))
        ph = V.Phonation(jitter=0.02, sub=rng.uniform(0.15, 0.35) * (0.5 + inten), rough=0.2 + 0.2 * inten,
                         breath=0.12)
        env = lambda u: V.swell(0.05, 0.22)(u) * (1 - 0.35 * u)
        y = V.voice_call(sri, rng, d, f0, env, ph, _OPEN_A.scaled(k), _AE.scaled(k),
                         mix=lambda u, m=rng.uniform(0.3, 0.8): m * V.ramp(u, 0.5, 1.0))
        dsp.place_signal(out, y / (np.max(np.abs(y)) + 1e-12), int(round(t * sri)), rng.uniform(0.85, 1.0))
    _place_gasps(out, sri, rng, times, gain=0.05, centre_hz=2000.0 * k)
    return _to_rate(out, sr, sri, n)


# ----------------------------------------------------------------------------------
# shout / yell / calling out
# ----------------------------------------------------------------------------------
def _shout_words(req: SynthRequest, rng) -> list[tuple[str, float, float]]:
    """Syllables of one shout: (vowel, relative length, relative pitch)."""
    if req.has("calling out", "calls out", "call out", "calling", "calls", "hello", "hallo", "ahoy", "call"):
        # "hel-lo-o": a short upbeat, then a sustained calling third
        return [("e", 0.25, 1.0), ("o", 1.0, 1.18), ("o", 0.9, 0.98)]
    if req.has("help"):
        return [("e", 0.55, 1.1)]
    pats = [[("e", 0.6, 1.1)],                              # "hey!"
            [("o", 0.35, 1.0), ("i", 0.6, 1.15)],          # "oy-ee!"
            [("a", 0.3, 1.0), ("e", 0.45, 1.15), ("o", 0.5, 0.95)],
            [("a", 0.7, 1.05)]]                            # "aah!" / "stop!"
    return pats[int(rng.integers(len(pats)))]


@recipe("shout",
        descriptions=["a man shouting angrily",
                      "someone yelling loudly across the street",
                      "a voice calling out for help in the distance",
                      "a woman calls out a name, hello",
                      "a soldier barking a loud command",
                      "people hollering at each other",
                      "someone cries out in alarm"],
        keywords=["shout", "shouts", "shouting", "shouted", "yell", "yells", "yelling", "yelled", "holler",
                  "hollering", "calling out", "calls out", "call out", "cries out", "cry out", "cried out",
                  "bellow", "bellows", "bellowing", "hey", "hello", "ahoy", "help"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=3.0)
def shout(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 9000.0)
    who = _speaker(req, rng, p_female=0.4)
    k, (lo, hi) = _SPEAKERS[who]
    effort = 0.55 + 0.45 * req.intensity
    syl = _shout_words(req, rng)
    unit = rng.uniform(0.3, 0.45) / float(np.clip(req.rate, 0.5, 2.0)) ** 0.5
    span = sum(s[1] for s in syl) * unit + 0.05 * len(syl)
    times = _calls_schedule(rng, dur, req.count, group=(1, 3), in_gap=(0.5, 1.0), out_gap=(1.2, 3.5),
                            call_len=span)
    out = np.zeros(-(-n // (sr // sri)))
    for t in times:
        base = rng.uniform(lo, hi) * (1.0 + 0.6 * effort)     # raised vocal effort raises f0
        ph = V.Phonation(jitter=0.015, sub=0.1 * effort, rough=0.12 + 0.2 * effort, breath=0.08, tilt_hz=0.0)
        o = t
        scale = min(1.0, max(dur - t - 0.05, 0.1) / span)
        for vw, rel_len, rel_f0 in syl:
            d = max(rel_len * unit * scale, 0.08)
            f0 = lambda u, b=base * rel_f0: b * (0.92 + 0.12 * np.sin(np.pi * np.minimum(u / 0.6, 1.0)) - 0.08 * u)
            # /h/ onset: aspiration through the coming vowel's tract
            h = V.vowel_filter(rng.standard_normal(int(0.05 * sri)) * np.hanning(int(0.05 * sri)), sri,
                               _VOWELS[vw].scaled(k))
            dsp.place_signal(out, np.diff(h, prepend=0.0), int(round((o - 0.035) * sri)), 0.15)
            y = V.voice_call(sri, rng, d, f0, V.swell(0.08, 0.3, 0.8), ph, _VOWELS[vw].scaled(k))
            dsp.place_signal(out, y / (np.max(np.abs(y)) + 1e-12), int(round(o * sri)), rng.uniform(0.85, 1.0))
            o += d + rng.uniform(0.02, 0.06)
    return _to_rate(out, sr, sri, n)


# ----------------------------------------------------------------------------------
# baby crying / sobbing
# ----------------------------------------------------------------------------------
_INFANT_OPEN = V.Vowel((1150.0, 2700.0, 4300.0), (220.0, 320.0, 420.0))
_INFANT_CLOSED = V.Vowel((600.0, 2200.0, 4000.0), (150.0, 260.0, 380.0))


def _is_sob(req: SynthRequest) -> bool:
    if req.has("baby", "babies", "infant", "newborn", "crib", "cot", "cradle", "nursery", "wailing baby"):
        return False
    return req.has("sob", "sobs", "sobbing", "weep", "weeps", "weeping", "sniffle", "sniffling", "man", "woman",
                   "someone", "person", "she", "he", "girl", "boy", "adult", "widow", "mourner", "mourners")


def _cry_schedule(rng, dur: float, count: int | None, burst=(0.6, 1.3)) -> tuple[np.ndarray, np.ndarray]:
    """Cry bursts (onsets, lengths): each followed by a short inspiration, with a longer
    breath pause every few bursts; exactly `count` bursts if given (squeezed to fit)."""
    on, ln, t = [], [], rng.uniform(0.05, 0.25)
    while (count and len(on) < count) or (not count and t < dur - 0.3):
        d = rng.uniform(*burst)
        on.append(t)
        ln.append(d)
        t += d + rng.uniform(0.2, 0.4)
        if rng.random() < 0.25:
            t += rng.uniform(0.6, 1.6)
    on, ln = np.asarray(on), np.asarray(ln)
    end = on[-1] + ln[-1]
    if end > dur - 0.05:
        s = max(dur - 0.1, 0.2) / end
        on, ln = on * s, ln * s
    return on, ln


@recipe("baby_cry",
        descriptions=["a baby crying",
                      "a newborn infant wailing in its crib",
                      "a toddler bawling and crying",
                      "someone crying and sobbing",
                      "a child weeping inconsolably",
                      "a woman sobbing quietly"],
        keywords=["cry", "cries", "crying", "cried", "sob", "sobs", "sobbing", "weep", "weeping", "bawl",
                  "bawling", "wail", "wailing", "whimper", "whimpering", "baby", "infant", "newborn", "tears"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=5.0)
def baby_cry(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 9000.0)
    out = np.zeros(-(-n // (sr // sri)))
    if _is_sob(req):
        _sobs(out, sri, rng, req)
        return _to_rate(out, sr, sri, n)
    whimper = req.has("whimper", "whimpering", "fussing", "fussy", "grizzling") or req.intensity < 0.3
    r = float(np.clip(req.rate, 0.5, 2.0))
    burst = (0.3, 0.6) if whimper else (0.6, 1.3)
    times, lens = _cry_schedule(rng, dur, req.count, tuple(b / r for b in burst))
    base_lo = 330.0 if whimper else 390.0
    for t, d in zip(times, lens):
        base = rng.uniform(base_lo, base_lo + 110.0)
        vib, pk = rng.uniform(5.0, 9.0), rng.uniform(0.12, 0.22)
        f0 = lambda u, b=base, v=vib, p=pk, d=d: b * (0.9 + p * np.sin(np.pi * u) ** 0.7 - 0.08 * V.ramp(u, 0.7, 1.0)) \
            * (1 + 0.02 * np.sin(2 * np.pi * v * u * d))
        rough = rng.random() < 0.35     # some bursts break into rough, dysphonated crying
        ph = V.Phonation(jitter=0.02, sub=0.35 if rough else 0.0, rough=0.25 if rough else 0.1, breath=0.1)
        y = V.voice_call(sri, rng, d, f0, V.swell(0.1, 0.2), ph, _INFANT_CLOSED, _INFANT_OPEN,
                         mix=lambda u: V.ramp(u, 0.0, 0.25) * (1 - 0.6 * V.ramp(u, 0.75, 1.0)))
        dsp.place_signal(out, y / (np.max(np.abs(y)) + 1e-12), int(round(t * sri)),
                         rng.uniform(0.8, 1.0) * (0.6 if whimper else 1.0))
    _place_gasps(out, sri, rng, times, length_s=(0.12, 0.25), gain=0.06, centre_hz=2800.0)
    return _to_rate(out, sr, sri, n)


def _sobs(out: np.ndarray, sri: int, rng, req: SynthRequest) -> None:
    """Adult (or child) sobbing: a stuttered inhale, then a group of short voiced
    "uh-huh" pulses falling in pitch, sometimes ending on a wavering wail."""
    dur = out.size / sri
    who = _speaker(req, rng, p_female=0.6)
    k, (lo, hi) = _SPEAKERS[who]
    vow = _VOWELS["a"].scaled(k)
    groups, t = [], rng.uniform(0.05, 0.3)
    while (req.count and len(groups) < req.count) or (not req.count and t < dur - 0.8) or not groups:
        groups.append(t)
        t += rng.uniform(1.8, 3.5) / float(np.clip(req.rate, 0.5, 2.0))
    if groups[-1] + 1.2 > dur:
        groups = list(np.asarray(groups) * max(dur - 1.3, 0.05) / max(groups[-1], 1e-6))
    for g0 in groups:
        inh = V.gasp(sri, rng, rng.uniform(0.3, 0.45), centre_hz=1800.0 * k, pieces=int(rng.integers(2, 4)))
        dsp.place_signal(out, inh, int(round(g0 * sri)), 0.15)
        o = g0 + inh.size / sri + 0.05
        base = rng.uniform(lo, hi) * 1.15
        m = int(rng.integers(2, 5))
        for j in range(m):
            d = rng.uniform(0.09, 0.18) if j < m - 1 or rng.random() < 0.5 else rng.uniform(0.5, 0.9)
            f0 = lambda u, b=base * (1 - 0.06 * j), d=d: b * (1.05 - 0.15 * u) * (1 + 0.04 * np.sin(2 * np.pi * 5.5 * u * d))
            ph = V.Phonation(jitter=0.04, sub=0.2, rough=0.3, breath=0.45, tilt_hz=1800.0)
            y = V.voice_call(sri, rng, d, f0, V.swell(0.25, 0.5), ph, vow)
            dsp.place_signal(out, y / (np.max(np.abs(y)) + 1e-12), int(round(o * sri)), rng.uniform(0.7, 1.0))
            o += d + rng.uniform(0.06, 0.14)
