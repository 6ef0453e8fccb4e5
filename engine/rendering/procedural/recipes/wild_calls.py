"""Wild animal calls: the elephant's trumpet, the whale's song, the monkey's screech.

Models: source-filter voices (``_voice``).

- elephant trumpet: a loud, brassy blare - a high (450-750 Hz) pressed source with
  strong roughness and period doubling, blown through the long trunk (a tube: many
  narrow, evenly spaced resonances), soft-saturated like an overblown horn; a fast rise
  to a sustained, rising blare, then a falling end (1-2 s).
- whale song (humpback): slow tonal "units" - moans and whoops that glide up or down
  (100-700 Hz over 1-3 s), nearly pure (few harmonics), with slow amplitude swells,
  in phrases separated by silences, under a long, dark reverberation (the ocean).
- monkey: chimpanzee pant-hoots ("hoo-hoo-hoo", accelerating and rising) that climax
  in screams, or (for "screech/shriek" and small monkeys) bursts of short, high, harsh
  screeches and chatter.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _voice as V
from .animals import _calls_schedule
from .base import SynthRequest, recipe
from .eerie_voices import reverb_tail


def _normed(y: np.ndarray) -> np.ndarray:
    return y / (np.max(np.abs(y)) + 1e-12)


# ----------------------------------------------------------------------------------
# elephant
# ----------------------------------------------------------------------------------
_TRUNK = V.Vowel((420.0, 1150.0, 1850.0, 2600.0, 3350.0), (70.0, 90.0, 120.0, 160.0, 200.0))


@recipe("elephant_trumpet",
        descriptions=["an elephant trumpeting",
                      "the loud trumpet call of an angry elephant",
                      "a herd of elephants trumpeting on the savanna",
                      "a baby elephant squealing"],
        keywords=["elephant", "elephants", "pachyderm", "elephant trumpet", "elephant trumpeting",
                  "elephant trumpets", "trumpeting elephant", "elephant call", "mammoth"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=4.0)
def elephant_trumpet(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 7000.0)
    baby = req.has("baby", "calf", "little", "young") or req.size < 0.25
    r = float(np.clip(req.rate, 0.5, 2.0))
    length = (0.8 if baby else rng.uniform(1.2, 1.9)) / r ** 0.5
    if req.count:
        length = min(length, max((dur - 0.3) / req.count - 0.4, 0.35))
    times = _calls_schedule(rng, dur, req.count, group=(1, 2), in_gap=(0.4, 1.0), out_gap=(1.5, 4.0),
                            call_len=length)
    k = (1.3 if baby else 1.0) * 2.0 ** (-0.3 * (req.size - 0.5))
    out = np.zeros(-(-n // (sr // sri)))
    for t in times:
        d = min(length * rng.uniform(0.85, 1.15), max(dur - t - 0.05, 0.3))
        base = rng.uniform(450.0, 620.0) * (1.4 if baby else 1.0)
        f0 = lambda u, b=base: b * (0.75 + 0.3 * V.ramp(u, 0.0, 0.15) + 0.12 * V.ramp(u, 0.15, 0.7)
                                    - 0.35 * V.ramp(u, 0.75, 1.0))
        ph = V.Phonation(jitter=0.03, sub=0.45, rough=0.35 + 0.2 * req.intensity, breath=0.15)
        env = lambda u: V.ramp(u, 0.0, 0.08) * (1.0 - V.ramp(u, 0.7, 1.0)) * (0.85 + 0.15 * u)
        y = _normed(V.voice_call(sri, rng, d, f0, env, ph, _TRUNK.scaled(k)))
        y = np.tanh(2.5 * y) / np.tanh(2.5)      # the overblown, brassy blare
        dsp.place_signal(out, y, int(round(t * sri)), rng.uniform(0.85, 1.0))
    return dsp.upsample(out, sr // sri, n)


# ----------------------------------------------------------------------------------
# whale
# ----------------------------------------------------------------------------------
_WHALE = V.Vowel((350.0, 900.0, 1800.0), (120.0, 180.0, 260.0))


@recipe("whale_song",
        descriptions=["a whale singing",
                      "humpback whale song echoing under the sea",
                      "the haunting moans and whoops of whales calling underwater",
                      "a blue whale's deep call in the ocean"],
        keywords=["whale", "whales", "humpback", "humpbacks", "whalesong", "whale song", "whale singing",
                  "whale call", "whales calling", "singing whale", "cetacean", "orca", "beluga"],
        track="fx", texture=False, stereo_width=0.4, default_duration_s=10.0)
def whale_song(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 4000.0)
    deep = req.has("blue whale", "fin whale", "deep", "huge") or req.size > 0.8
    r = float(np.clip(req.rate, 0.5, 2.0))
    unit = (rng.uniform(1.2, 2.6) if not deep else rng.uniform(2.0, 3.5)) / r ** 0.5
    if req.count:
        unit = min(unit, max((dur - 0.5) / req.count - 0.3, 0.4))
    times = _calls_schedule(rng, dur, req.count, group=(2, 4), in_gap=(0.2, 0.8), out_gap=(1.5, 4.0),
                            call_len=unit)
    out = np.zeros(-(-n // (sr // sri)))
    for t in times:
        d = min(unit * rng.uniform(0.7, 1.3), max(dur - t - 0.05, 0.4))
        lo, hi = (40.0, 120.0) if deep else (120.0, 650.0)
        a, b = np.exp(rng.uniform(np.log(lo), np.log(hi), 2))
        if rng.random() < 0.3:            # a "whoop": a fast rise at the end
            f0 = lambda u, a=a, b=b: a + (max(b, 1.6 * a) - a) * V.ramp(u, 0.5, 1.0) ** 2
        else:                              # a slow moan gliding from a to b, slightly bowed
            bow = rng.uniform(-0.15, 0.2)
            f0 = lambda u, a=a, b=b, bw=bow: (a + (b - a) * u) * (1.0 + bw * np.sin(np.pi * u))
        am = rng.uniform(0.5, 3.0)
        env = lambda u, d=d, am=am: V.swell(0.25, 0.35)(u) * (0.8 + 0.2 * np.sin(2 * np.pi * am * u * d))
        ph = V.Phonation(jitter=0.006, sub=0.15 if rng.random() < 0.3 else 0.0, rough=0.05, breath=0.05,
                         tilt_hz=float(rng.uniform(300.0, 700.0)))
        y = V.voice_call(sri, rng, d, f0, env, ph, _WHALE.scaled(0.6 if deep else 1.0))
        dsp.place_signal(out, _normed(y), int(round(t * sri)), rng.uniform(0.6, 1.0))
    out = reverb_tail(out, sri, rng, rng.uniform(3.5, 5.0), 0.6, damp_hz=1500.0)
    return dsp.upsample(out, sr // sri, n)


# ----------------------------------------------------------------------------------
# monkey
# ----------------------------------------------------------------------------------
_HOO = V.Vowel((380.0, 850.0, 2500.0, 3400.0), (90.0, 120.0, 220.0, 320.0))
_AAH = V.Vowel((1000.0, 1700.0, 3000.0, 4200.0), (180.0, 220.0, 300.0, 400.0))


@recipe("monkey",
        descriptions=["a monkey screeching",
                      "monkeys chattering and shrieking in the jungle trees",
                      "a chimpanzee hooting, ooh ooh aah aah",
                      "an ape's excited pant-hoot and scream"],
        keywords=["monkey", "monkeys", "chimp", "chimps", "chimpanzee", "chimpanzees", "ape", "apes", "baboon",
                  "baboons", "macaque", "macaques", "gibbon", "gibbons", "primate", "monkey screech",
                  "monkey screeching", "monkey chatter", "monkeys chattering", "monkeys screeching",
                  "chimp hooting", "ooh ooh aah aah"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=5.0)
def monkey(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 9000.0)
    screech = req.has("screech", "screeches", "screeching", "shriek", "shrieks", "shrieking", "chatter",
                      "chattering", "small", "little", "macaque", "macaques", "scream", "screaming")
    out = np.zeros(-(-n // (sr // sri)))
    r = float(np.clip(req.rate, 0.5, 2.0))
    if screech:
        call_len = 0.22 / r ** 0.3
        times = _calls_schedule(rng, dur, req.count, group=(2, 5), in_gap=(0.05, 0.15), out_gap=(0.8, 2.5),
                                call_len=call_len)
        for t in times:
            d = call_len * rng.uniform(0.7, 1.3)
            base = rng.uniform(1100.0, 1700.0)
            f0 = lambda u, b=base: b * (0.85 + 0.25 * np.sin(np.pi * np.minimum(u / 0.5, 1.0) * 0.5)
                                        - 0.2 * V.ramp(u, 0.5, 1.0))
            ph = V.Phonation(jitter=0.04, sub=0.3, rough=0.3, breath=0.25)
            y = V.voice_call(sri, rng, d, f0, V.swell(0.1, 0.3), ph, _AAH.scaled(1.2))
            dsp.place_signal(out, _normed(y), int(round(t * sri)), rng.uniform(0.7, 1.0))
        return dsp.upsample(out, sr // sri, n)
    # pant-hoot bouts: "hoo" pants accelerating and rising, climaxing in screams
    events, t = [], rng.uniform(0.05, 0.4)      # (onset, length, f0, climax)
    while (req.count and len(events) < req.count) or (not req.count and t < dur - 1.0) or not events:
        m = int(rng.integers(5, 10))
        step = rng.uniform(0.28, 0.36)
        base = rng.uniform(250.0, 330.0)
        for j in range(m):
            if (req.count and len(events) >= req.count) or (not req.count and t > dur - 0.4):
                break
            climax = j >= m - 2
            d = rng.uniform(0.25, 0.4) if climax else 0.6 * step
            events.append((t, d, base * (1.0 + 0.1 * j) * (2.4 if climax else 1.0), climax, j))
            t += d + 0.4 * step + (0.05 if climax else 0.0)
            step = max(step * 0.9, 0.16)
        t += rng.uniform(1.5, 4.0)
    end = events[-1][0] + events[-1][1]
    squeeze = min(1.0, max(dur - 0.1, 0.2) / end)     # a counted bout longer than the take: squeeze it
    for t, d, b, climax, j in events:
        d = d * squeeze
        f0 = lambda u, b=b: b * (0.9 + 0.15 * np.sin(np.pi * u))
        ph = V.Phonation(jitter=0.03, sub=0.35 if climax else 0.05, rough=0.35 if climax else 0.1,
                         breath=0.25 if climax else 0.15)
        y = V.voice_call(sri, rng, d, f0, V.swell(0.15, 0.4), ph, _AAH if climax else _HOO)
        dsp.place_signal(out, _normed(y), int(round(t * squeeze * sri)), rng.uniform(0.8, 1.0) * min(0.6 + 0.05 * j, 1.0))
    return dsp.upsample(out, sr // sri, n)
