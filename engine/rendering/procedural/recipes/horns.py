"""Horns: car horns, ship horns and foghorns, train and truck air horns.

Models:
- car horn: an electric horn is a diaphragm driven by a buzzer contact, i.e. a near-square
  wave; cars carry a pair tuned about a third apart (typ. ~400 + ~500 Hz). Each unit is
  saturated on its own (tanh), then the pair goes through the small horn flare's band-limit
  and a broad 2-3 kHz flare resonance. A honk starts with a short pitch "blat" (the
  diaphragm settles) and stops within ~10 ms, so every honk is a clean onset. The caption
  picks the pattern: "honks twice" (exact count), "a long blast" / "leans on the horn"
  (sustained), "beeping its horn" / "toots" (short pips in twos and threes).
- ship horn / foghorn: a large air-driven whistle or diaphone: a low (70-180 Hz) rich,
  sawtooth-like tone (1/k partials plus a brassy flare resonance) whose level, brightness
  and pitch swell up over a few hundred ms as the air pressure builds, a long sustain, a
  slow release; a foghorn ends on the diaphone's falling "grunt". The echo off the water
  and the shore (a long, low-passed outdoor tail with a few discrete reflections) is part
  of the sound, so it is rendered here. "two long blasts" honours the count.
- train / truck air horn: a chord of three rich reed tones (~300-600 Hz, lower for a
  truck), a small upward pitch bend at onset, the level-crossing pattern (long, long,
  short, long) when no count is given, a short outdoor tail.
"""
from __future__ import annotations

import numpy as np
from scipy import signal

from .. import dsp
from .base import SynthRequest, recipe
from .machines import _fit_times, _harmonics, _wn

_SHIP = ("ship", "ships", "boat", "boats", "ferry", "ferries", "liner", "steamer", "steamship", "vessel", "tug",
         "tugboat", "freighter", "tanker", "harbour", "harbor", "port", "foghorn", "foghorns", "fog horn",
         "lighthouse", "ocean liner", "cruise", "barge", "riverboat", "paddle steamer", "sea", "docks")
_TRAIN = ("train", "trains", "locomotive", "railroad", "railway", "level crossing", "crossing")
_TRUCK = ("truck", "trucks", "lorry", "lorries", "semi", "air horn", "airhorn", "big rig", "18-wheeler")


def _variant(req: SynthRequest) -> str:
    if req.params.get("variant") in ("car", "ship", "foghorn", "train", "truck"):
        return req.params["variant"]
    if req.has("foghorn", "foghorns", "fog horn", "lighthouse", "diaphone"):
        return "foghorn"
    if req.has(*_SHIP):
        return "ship"
    if req.has(*_TRAIN):
        return "train"
    if req.has(*_TRUCK):
        return "truck"
    return "car"


def _schedule(rng, dur: float, count: int | None, length, in_gap, group, out_gap):
    """(onsets, lengths) of the blasts: exactly `count` in one group if given, else groups
    over the whole take; squeezed to end inside the take."""
    ts, ls = [], []
    t = rng.uniform(0.05, 0.2) if dur > 1.0 else 0.03
    if count:
        for _ in range(int(count)):
            d = rng.uniform(*length)
            ts.append(t)
            ls.append(d)
            t += d + rng.uniform(*in_gap)
    else:
        while True:
            m = int(rng.integers(group[0], group[1] + 1))
            for _ in range(m):
                d = rng.uniform(*length)
                ts.append(t)
                ls.append(d)
                t += d + rng.uniform(*in_gap)
            t += rng.uniform(*out_gap)
            if t > dur - 0.5 * length[0]:
                break
    ts, ls = np.asarray(ts), np.asarray(ls)
    if not count:   # drop blasts that start too late to be heard as blasts
        keep = ts < dur - np.minimum(0.6 * ls, 0.3)
        keep[0] = True
        ts, ls = ts[keep], ls[keep]
    return _fit_times(ts, ls, dur, margin_s=0.05)


def _gate_env(n: int, sr: int, ts, ls, attack_s: float, release_s: float, power: float = 1.0) -> np.ndarray:
    """Sum of per-blast envelopes: raised-cosine attack, hold, raised-cosine release."""
    env = np.zeros(n)
    for t, d in zip(ts, ls):
        s0 = int(round(t * sr))
        L = max(int(round(d * sr)), 8)
        a = min(int(attack_s * sr), L // 3)
        r = min(int(release_s * sr), L // 3)
        e = np.ones(L)
        if a > 0:
            e[:a] = 0.5 - 0.5 * np.cos(np.pi * np.arange(a) / a)
        if r > 0:
            e[L - r:] = 0.5 + 0.5 * np.cos(np.pi * np.arange(r) / r)
        dsp.place_signal(env, e ** power, s0)
    return np.minimum(env, 1.0)


def _since_onset(n: int, sr: int, ts, tau_s: float) -> np.ndarray:
    """exp(-t/tau) restarted at every onset (for onset pitch bends)."""
    out = np.zeros(n)
    L = int(6 * tau_s * sr) + 1
    k = np.exp(-np.arange(L) / (tau_s * sr))
    for t in ts:
        s0 = int(round(t * sr))
        if s0 < n:
            m = min(L, n - s0)
            out[s0:s0 + m] = np.maximum(out[s0:s0 + m], k[:m])
    return out


def _outdoor_tail(y: np.ndarray, sr: int, rng, *, t60_s: float, wet: float, lp_hz: float,
                  echoes: int = 3) -> np.ndarray:
    """Dry mono -> (2, n) with a decorrelated, low-passed outdoor tail plus a few discrete
    late reflections (shore, hills, buildings)."""
    n = y.size
    L = int(min(t60_s * 1.1, 6.0) * sr)
    t = np.arange(L) / sr
    out = np.empty((2, n))
    for ch in range(2):
        ir = _wn(L, rng) * np.exp(-6.907755 * t / t60_s) * np.minimum(t / 0.08, 1.0)
        ir = dsp.lowpass(ir, sr, lp_hz)
        for _ in range(echoes):
            d = int(rng.uniform(0.25, min(1.6, 0.8 * t60_s)) * sr)
            if d < L:
                ir[d] += rng.uniform(0.06, 0.15) * np.sqrt(sr) * 0.05 * np.exp(-3.0 * d / L)
        ir = ir / (np.sqrt(np.sum(ir ** 2)) + 1e-12)
        rev = signal.oaconvolve(y, ir)[:n]
        out[ch] = y + wet * dsp.lowpass(rev, sr, lp_hz)
    return out


# --- car horn ------------------------------------------------------------------------------------------
def _car(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    r = float(np.clip(req.rate, 0.5, 2.0))
    if req.has("long", "leans on", "leaning on", "leant on", "holds", "holding", "held", "blaring", "blares",
               "blared", "sustained", "continuous", "blasting"):
        length, in_gap, group, out_gap = (1.3, 2.6), (0.35, 0.6), (1, 1), (1.5, 4.0)
    elif req.has("beep", "beeps", "beeping", "beeped", "toot", "toots", "tooting", "tooted", "peep", "pip"):
        length, in_gap, group, out_gap = (0.1, 0.17), (0.09, 0.15), (2, 3), (1.0, 3.0)
    else:
        length, in_gap, group, out_gap = (0.22, 0.55), (0.13, 0.25), (1, 3), (1.2, 3.5)
    length = tuple(x / r for x in length)
    in_gap = tuple(x / r ** 0.5 for x in in_gap)
    ts, ls = _schedule(rng, dur, req.count, length, in_gap, group, out_gap)
    big = req.size > 0.7
    f1 = rng.uniform(360.0, 430.0) * (0.85 if big else 1.0) * (1.12 if req.size < 0.3 else 1.0)
    f2 = f1 * rng.uniform(1.19, 1.27)          # the pair, about a (minor/major) third apart
    # onset "blat": each unit starts a little flat and settles in ~25 ms; a weak battery sags
    bend = 1.0 - 0.035 * _since_onset(n, sr, ts, 0.02)
    drift = 1.0 + 0.002 * (dsp.smooth_noise(n, sr, 6.0, rng, hop=64) - 0.5)
    amps = [1.0, 0.07, 0.36, 0.05, 0.22, 0.03, 0.15, 0.02, 0.11, 0.02, 0.08]
    tone = np.zeros(n)
    for f, g in ((f1, 1.0), (f2, rng.uniform(0.45, 0.6))):
        x = _harmonics(f * bend * drift, sr, amps, start=rng.random()).astype(np.float64)
        tone += g * np.tanh(1.8 * x)            # each horn unit saturates on its own
    env = _gate_env(n, sr, ts, ls, 0.006, 0.012)
    y = tone * env
    # the horn flare: band-limit plus a broad resonance, a rattle of the grille
    y = dsp.bandpass(y, sr, 260.0, min(4500.0, 0.45 * sr))
    y = y + 0.35 * dsp.resonator(y, sr, rng.uniform(2000.0, 2800.0), 2.5)
    y = np.tanh(2.2 * y / (np.max(np.abs(y)) + 1e-12))
    return y + 1e-4 * _wn(n, rng)


# --- ship horn / foghorn -------------------------------------------------------------------------------
def _ship(req: SynthRequest, fog: bool) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    dec = dsp.low_rate_factor(sr, 3500.0, max_factor=4)
    lsr = sr // dec
    nl = -(-n // dec)
    size = float(np.clip(req.size, 0.0, 1.0))
    if fog:
        f0 = rng.uniform(85.0, 125.0) * (1.15 - 0.3 * size)
    else:
        small = req.has("tug", "tugboat", "ferry", "boat", "riverboat", "barge", "small")
        f0 = (rng.uniform(130.0, 175.0) if small else rng.uniform(70.0, 110.0) * (1.2 - 0.4 * size))
    r = float(np.clip(req.rate, 0.5, 2.0))
    if req.has("short", "quick", "brief", "toot", "toots"):
        length = (0.9, 1.4)
    elif req.has("long", "mournful", "lonely", "prolonged", "sustained"):
        length = (3.5, 5.5)
    else:
        length = (2.0, 3.5) if fog else (2.2, 4.0)
    length = tuple(x / r ** 0.5 for x in length)
    ts, ls = _schedule(rng, dur, req.count, length, (1.0, 1.8), (1, 2) if not fog else (1, 1),
                       (6.0, 12.0) if not fog else (8.0, 14.0))
    # pitch: rises a few percent as pressure builds; a foghorn grunts down at the end
    hop = 32
    k = nl // hop + 2
    tc = np.arange(k) * hop / lsr
    pitch = np.ones(k)
    for t, d in zip(ts, ls):
        u = np.clip((tc - t) / 0.35, 0.0, 1.0)
        on = (tc >= t) & (tc < t + d + 0.6)
        pitch = np.where(on, 0.93 + 0.07 * (u * u * (3 - 2 * u)), pitch)
        if fog:
            g = np.clip((tc - (t + d - 0.35)) / 0.35, 0.0, 1.0)
            pitch = np.where(on, pitch * (1.0 - 0.22 * g ** 1.5), pitch)
    wob = 1.0 + 0.004 * (dsp.smooth_noise(k, lsr // hop, 3.0, rng) - 0.5)
    f = dsp.control_up(f0 * pitch * wob, nl, hop)
    # rich, sawtooth-like spectrum: 1/k partials
    m = int(min(40, 0.42 * lsr / (f0 * 1.05)))
    amps = [1.0 / (i ** 1.05) for i in range(1, m + 1)]
    tone = _harmonics(f, lsr, amps, start=rng.random()).astype(np.float64)
    if not fog:   # a second whistle: slightly detuned (slow beating) or a fifth / octave up, weaker
        ratio = float(rng.choice([r_ for r_ in (1.004, 1.006, 1.5, 2.0) if f0 * r_ < 240.0]))
        m2 = int(min(24, 0.42 * lsr / (f0 * ratio * 1.05)))
        tone += rng.uniform(0.25, 0.45) * _harmonics(f * ratio, lsr, [1.0 / i for i in range(1, m2 + 1)],
                                                   start=rng.random()).astype(np.float64)
    # breathy air through the throat, riding the tone
    tone = tone + 0.05 * dsp.bandpass(_wn(nl, rng), lsr, 150.0, 1500.0) * (1 + 0.5 * np.sign(tone))
    env = _gate_env(nl, lsr, ts, ls, 0.45, 0.4 if not fog else 0.25)
    # brightness swells with the level: a low-passed core plus the bright part scaled by env^2
    core = dsp.lowpass(tone, lsr, 2.2 * f0, order=2)
    bright = tone - core
    y = env * core + env ** 2.5 * bright * 0.8
    y = y + 0.25 * dsp.resonator(y, lsr, rng.uniform(3.0, 4.5) * f0, 3.0)   # brassy flare
    if fog:   # the diaphone's rough, rattling grunt at the end of each blast
        rough = 1 + 0.35 * (dsp.smooth_noise(nl, lsr, 40.0, rng, hop=8) - 0.5)
        y = y * np.where(env < 0.999, rough, 1.0)
    y = np.tanh(1.3 * y / (np.max(np.abs(y)) + 1e-12))
    far = req.distance == "far"
    out = _outdoor_tail(y, lsr, rng, t60_s=rng.uniform(2.5, 3.5) * (1.3 if far else 1.0),
                        wet=0.25 if not far else 0.45, lp_hz=900.0, echoes=3)
    return dsp.upsample(out, dec, n) + 1e-5 * _wn(n, rng)


# --- train / truck air horn ----------------------------------------------------------------------------
_TRAIN_CHORD = np.array([311.1, 370.0, 415.3, 493.9, 622.3])   # Nathan 5-chime tunings (D#4 F#4 G#4 B4 D#5)


def _air(req: SynthRequest, truck: bool) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    dec = dsp.low_rate_factor(sr, 5000.0, max_factor=4)
    lsr = sr // dec
    nl = -(-n // dec)
    r = float(np.clip(req.rate, 0.5, 2.0))
    if req.count:
        ts, ls = _schedule(rng, dur, req.count, (1.0 / r, 1.8 / r), (0.3, 0.5), (1, 1), (1.0, 2.0))
    elif not truck and dur >= 4.0 and not req.has("short", "toot", "toots", "quick"):
        # level-crossing signal: long, long, short, long
        lens = np.array([1.6, 1.6, 0.6, 2.4]) * rng.uniform(0.85, 1.15, 4) / r
        gaps = rng.uniform(0.3, 0.5, 4) / r
        ts = rng.uniform(0.05, 0.2) + np.concatenate([[0.0], np.cumsum(lens[:-1] + gaps[:-1])])
        ts, ls = _fit_times(ts, lens, dur)
    else:
        ts, ls = _schedule(rng, dur, None, (0.5 / r, 1.6 / r), (0.3, 0.5), (1, 2), (2.0, 5.0))
    idx = np.sort(rng.choice(_TRAIN_CHORD.size, 3, replace=False))
    chord = _TRAIN_CHORD[idx] * rng.uniform(0.97, 1.03) * (0.55 if truck else 1.0)
    bend = 1.0 - 0.04 * _since_onset(nl, lsr, ts, 0.06)
    amps = [1.0, 0.7, 0.5, 0.35, 0.25, 0.18, 0.12, 0.08]
    tone = np.zeros(nl)
    for fq in chord:
        wob = 1.0 + 0.003 * (dsp.smooth_noise(nl, lsr, 5.0, rng, hop=32) - 0.5)
        tone += np.tanh(1.4 * _harmonics(fq * bend * wob, lsr, amps, start=rng.random()).astype(np.float64))
    env = _gate_env(nl, lsr, ts, ls, 0.04, 0.08)
    y = dsp.bandpass(tone * env, lsr, 200.0 if truck else 250.0, 0.44 * lsr)
    y = np.tanh(1.2 * y / (np.max(np.abs(y)) + 1e-12))
    y = y + 0.03 * dsp.bandpass(_wn(nl, rng), lsr, 500.0, 3000.0) * env   # air hiss
    out = _outdoor_tail(y, lsr, rng, t60_s=rng.uniform(1.2, 1.8), wet=0.2 if req.distance != "far" else 0.4,
                        lp_hz=2000.0, echoes=2)
    return dsp.upsample(out, dec, n) + 1e-5 * _wn(n, rng)


@recipe("horn",
        descriptions=["a car horn honking twice in the street",
                      "a driver leaning on the car horn, a long angry blast",
                      "an impatient driver beeping his horn",
                      "a ship's horn sounding a long low blast in the harbour",
                      "a foghorn moaning out over the sea",
                      "a ferry blowing two long blasts on its horn",
                      "a truck's air horn blaring",
                      "a train horn blaring at a level crossing"],
        keywords=["horn", "horns", "car horn", "car horns", "honk", "honks", "honked", "honking horn",
                  "horn honking", "horn honks", "horn blasts", "horn blast", "long blast", "long blasts", "horn blares", "horn blaring",
                  "beeping its horn", "beeps its horn", "beeping his horn", "beeping her horn", "beeps the horn",
                  "sounds the horn", "sounding its horn", "toots its horn", "hoots its horn",
                  "foghorn", "foghorns", "fog horn", "ship horn", "ship's horn", "ships horn", "ship horn blasts",
                  "boat horn", "ferry horn", "air horn", "airhorn", "truck horn", "train horn", "klaxon"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=5.0)
def horn(req: SynthRequest) -> np.ndarray:
    v = _variant(req)
    if v in ("ship", "foghorn"):
        return _ship(req, fog=(v == "foghorn"))
    if v in ("train", "truck"):
        return _air(req, truck=(v == "truck"))
    return _car(req)
