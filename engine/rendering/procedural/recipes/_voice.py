"""Private source-filter voice shared by the human and livestock voice recipes
(voices.py, livestock.py).

A call is a band-limited glottal source (PolyBLEP sawtooth on an f0 track) with the
nonlinear phenomena that make screams and animal calls sound alive: jitter (slow random
f0 wobble), period doubling (every other glottal cycle weaker: a subharmonic at f0/2)
and rough amplitude flicker (30-150 Hz, the "roughness" band of Arnal et al. 2015). Plus
aspiration noise, through a cascade (Klatt) formant filter that can morph between two
vowels (a mouth opening, "mmm-ooo", "w-aa"), with lip radiation (+6 dB/octave).

Underscore module: the recipe package does not auto-import it; it registers nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import signal

from .. import dsp
from .animals import _blep_saw
from .people import _allpole_sos

Track = Callable[[np.ndarray], np.ndarray]   # u in [0, 1] over the call -> value per sample


@dataclass(frozen=True)
class Vowel:
    freqs: tuple[float, ...]   # formant centres, Hz
    bws: tuple[float, ...]     # formant bandwidths, Hz

    def scaled(self, k: float) -> "Vowel":
        """The same vowel from a vocal tract 1/k as long (formants and bandwidths x k)."""
        return Vowel(tuple(f * k for f in self.freqs), tuple(b * k for b in self.bws))


@dataclass(frozen=True)
class Phonation:
    jitter: float = 0.01       # relative f0 wobble (smooth noise, ~25 Hz)
    sub: float = 0.0           # period doubling depth 0..1 (subharmonic at f0/2)
    rough: float = 0.0         # random amplitude flicker depth in the 30-150 Hz band
    breath: float = 0.05       # aspiration noise relative to the voiced source
    tilt_hz: float = 0.0       # one-pole low-pass on the source (0 = bright, pressed voice)


def glottal_source(f0: np.ndarray, sr: int, rng: np.random.Generator, ph: Phonation) -> np.ndarray:
    """Voiced excitation on a per-sample f0 track (Hz), unit-ish scale."""
    n = f0.size
    f = np.asarray(f0, dtype=np.float64)
    if ph.jitter:
        f = f * (1.0 + ph.jitter * dsp.smooth_noise(n, sr, 25.0, rng, lo=-1.0, hi=1.0, hop=16))
    src = _blep_saw(f, sr, float(rng.uniform()))
    if ph.sub:
        cyc = np.cumsum(f) / sr
        src *= 1.0 - ph.sub * (0.5 + 0.5 * np.cos(np.pi * cyc))
    if ph.rough:
        src *= 1.0 + ph.rough * dsp.smooth_noise(n, sr, float(rng.uniform(60, 110)), rng, lo=-1.0, hi=1.0, hop=4)
    if ph.tilt_hz:
        src = dsp.lowpass(src, sr, ph.tilt_hz, order=1)
    return src


def vowel_filter(x: np.ndarray, sr: int, vowel: Vowel) -> np.ndarray:
    return signal.sosfilt(_allpole_sos(sr, vowel.freqs, vowel.bws), x)


def voice_call(sr: int, rng: np.random.Generator, dur_s: float, f0: Track, env: Track, ph: Phonation,
               vowel_a: Vowel, vowel_b: Vowel | None = None, mix: Track | None = None) -> np.ndarray:
    """One vocal call of dur_s seconds at sample rate sr: (L,) float64.

    f0(u) and env(u) are the pitch (Hz) and amplitude contours over u in [0, 1];
    mix(u) in [0, 1] crossfades the formant filter from vowel_a to vowel_b."""
    L = max(int(dur_s * sr), 16)
    u = np.arange(L) / L
    e = np.asarray(env(u), dtype=np.float64)
    src = glottal_source(np.asarray(f0(u), dtype=np.float64), sr, rng, ph)
    if ph.breath:
        src = src + ph.breath * dsp.highpass(rng.standard_normal(L), sr, 600.0, order=1)
    exc = src * e
    y = vowel_filter(exc, sr, vowel_a)
    if vowel_b is not None and mix is not None:
        m = np.clip(np.asarray(mix(u), dtype=np.float64), 0.0, 1.0)
        y = (1.0 - m) * y + m * vowel_filter(exc, sr, vowel_b)
    return np.diff(y, prepend=0.0)   # lip radiation


def ramp(u: np.ndarray, a: float, b: float) -> np.ndarray:
    """0 before u=a, 1 after u=b, a smooth (smoothstep) step between."""
    w = np.clip((u - a) * (1.0 / max(b - a, 1e-6)), 0.0, 1.0)
    return w * w * (3.0 - 2.0 * w)


def swell(attack: float, release: float, power: float = 1.0) -> Track:
    """Envelope track: smooth attack over the first `attack` of the call, hold, smooth
    release over the last `release`."""
    return lambda u: (ramp(u, 0.0, attack) * (1.0 - ramp(u, 1.0 - release, 1.0))) ** power


def render_calls(n: int, sr: int, sri: int, times_s, gains, make_call: Callable[[int], np.ndarray]) -> np.ndarray:
    """Place calls rendered at the internal rate sri (make_call(i) -> (L,)) at times_s,
    then bring the sum to sr with exactly n samples."""
    factor = sr // sri
    ni = -(-n // factor)
    out = np.zeros(ni)
    for i, (t, g) in enumerate(zip(np.atleast_1d(times_s), np.atleast_1d(gains))):
        dsp.place_signal(out, make_call(i), int(round(float(t) * sri)), float(g))
    return dsp.upsample(out, factor, n)


def internal_rate(sr: int, content_hz: float) -> int:
    return sr // dsp.low_rate_factor(sr, content_hz)


def gasp(sr: int, rng: np.random.Generator, dur_s: float, *, centre_hz: float = 2200.0, pieces: int = 1) -> np.ndarray:
    """An inhaled gasp, peak 1: turbulent noise through a narrowed vocal tract, louder
    as it goes; pieces > 1 stutters it ("hic-hic-hic", the shuddering breath of a sob)."""
    L = max(int(dur_s * sr), 16)
    u = np.arange(L) / L
    x = rng.standard_normal(L)
    y = dsp.bandpass(x, sr, 0.35 * centre_hz, min(2.2 * centre_hz, 0.45 * sr)) \
        + 0.8 * dsp.resonator(x, sr, centre_hz, 5.0)
    env = np.sin(np.pi * u) ** 1.5 * (0.5 + 0.5 * u)
    if pieces > 1:
        env *= (0.5 - 0.5 * np.cos(2 * np.pi * pieces * u)) ** 2
    y = y * env
    return y / (np.max(np.abs(y)) + 1e-12)
