"""Supernatural voices: the ghost's moan and the zombie's groan.

Models: source-filter voices (``_voice``).

- ghost: a slow, wavering, nearly pure "ooo" - a heavily low-passed glottal source (so
  little more than the fundamental and a few harmonics) through a rounded /u/ tract,
  with a wide, slow vibrato (4-6 Hz, +-4-6 %) over slower portamento swoops, swelling
  in and fading out over 2-4 s, and a long diffuse reverberation: the reverb is part
  of the sound (the voice from nowhere), so this recipe adds it.
- zombie: a low (60-95 Hz), creaky, gurgled groan - vocal fry (strong period doubling,
  roughness and jitter), a wet 10-25 Hz flutter of amplitude and throat resonance, a
  half-open "uhh-aah-ohh" mouth; swell then fall; dry.
"""
from __future__ import annotations

import numpy as np
from scipy import signal

from .. import dsp
from . import _voice as V
from .animals import _calls_schedule
from .base import SynthRequest, recipe

_OO = V.Vowel((310.0, 800.0, 2300.0, 3100.0), (60.0, 90.0, 160.0, 240.0))
_UH = V.Vowel((560.0, 1100.0, 2400.0, 3300.0), (110.0, 140.0, 220.0, 320.0))
_OH = V.Vowel((450.0, 820.0, 2400.0, 3300.0), (100.0, 130.0, 220.0, 320.0))


def reverb_tail(x: np.ndarray, sr: int, rng: np.random.Generator, t60_s: float, wet: float,
                damp_hz: float = 3000.0) -> np.ndarray:
    """x plus a diffuse synthetic-IR reverberation (decaying, darkening noise), same length."""
    L = int(t60_s * sr)
    t = np.arange(L) / sr
    ir = dsp.lowpass(rng.standard_normal(L), sr, damp_hz, order=1) * np.exp(-6.91 * t / t60_s)
    ir *= V.ramp(t / max(t[-1], 1e-9), 0.0, 0.01)   # a soft pre-delay onset
    ir /= np.sqrt(np.sum(ir ** 2)) + 1e-12
    wet_sig = signal.oaconvolve(x, ir)[: x.size]
    return (1.0 - 0.5 * wet) * x + wet * 2.0 * wet_sig


def _is_zombie(req: SynthRequest) -> bool:
    if req.has("ghost", "ghosts", "ghostly", "phantom", "spectre", "specter", "spirit", "spirits", "haunting",
               "haunted", "banshee", "wraith", "poltergeist"):
        return False
    return req.has("zombie", "zombies", "undead", "ghoul", "ghouls", "walker", "walkers", "groan", "groans",
                   "groaning", "groaned", "corpse", "mummy", "creaky")


@recipe("moan",
        descriptions=["a ghost moaning",
                      "an eerie ghostly wail echoing through a haunted house",
                      "a phantom's slow mournful wooo",
                      "a zombie groaning",
                      "the undead shambling and moaning hungrily",
                      "a ghoul's low, gurgling groan"],
        keywords=["groaning in pain", "groans in pain", "moaning in pain", "moans in pain", "ghost", "ghosts", "ghostly", "phantom", "spectre", "specter", "wraith", "banshee", "poltergeist",
                  "zombie", "zombies", "undead", "ghoul", "ghouls", "ghost moan", "ghost moaning", "ghostly moan",
                  "ghostly wail", "moaning ghost", "zombie groan", "zombie groaning", "zombie moan",
                  "zombie moaning", "groaning zombie", "haunted moan", "wooo"],
        track="fx", texture=False, stereo_width=0.2, default_duration_s=6.0)
def moan(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 5000.0)
    zombie = _is_zombie(req)
    r = float(np.clip(req.rate, 0.5, 2.0))
    s = req.size - 0.5
    length = (rng.uniform(1.4, 2.4) if zombie else rng.uniform(2.2, 3.6)) / r ** 0.5
    tail = 0.0 if zombie else 1.2
    if req.count:
        length = min(length, max((dur - 0.3) / req.count - 0.3 - 0.5 * tail, 0.4))
    times = _calls_schedule(rng, dur, req.count, group=(1, 2), in_gap=(0.3, 0.9), out_gap=(1.0, 3.0),
                            call_len=length + 0.5 * tail)
    out = np.zeros(-(-n // (sr // sri)))
    for t in times:
        d = min(length * rng.uniform(0.85, 1.15), max(dur - t - 0.05, 0.3))
        if zombie:
            base = rng.uniform(60.0, 95.0) * 2.0 ** (-0.6 * s)
            k = 0.95 * 2.0 ** (-0.3 * s)
            f0 = lambda u, b=base: b * (0.9 + 0.2 * np.sin(np.pi * u) - 0.15 * V.ramp(u, 0.6, 1.0))
            L = max(int(d * sri), 16)
            gurgle = dsp.smooth_noise(L + 2, sri, float(rng.uniform(12.0, 25.0)), rng, lo=0.0, hi=1.0, hop=8)

            def env(u, g=gurgle):
                i = np.minimum((u * (g.size - 1)).astype(int), g.size - 1)
                return V.swell(0.2, 0.4)(u) * (0.55 + 0.45 * g[i])
            ph = V.Phonation(jitter=0.07, sub=0.65, rough=0.5, breath=0.3, tilt_hz=900.0)
            y = V.voice_call(sri, rng, d, f0, env, ph, _UH.scaled(k), _OH.scaled(k),
                             mix=lambda u, w=rng.uniform(0.3, 0.6): V.ramp(u, w, 1.0))
            # the wet throat: a gurgled resonance under the groan
            gl = dsp.resonator(rng.standard_normal(y.size), sri, rng.uniform(250.0, 400.0), 4.0)
            y = y / (np.max(np.abs(y)) + 1e-12) + 0.12 * gl / (np.max(np.abs(gl)) + 1e-12) * env(np.arange(y.size) / y.size)
        else:
            base = rng.uniform(190.0, 320.0) * 2.0 ** (-0.6 * s)
            vib, depth = rng.uniform(4.0, 6.0), rng.uniform(0.04, 0.06)
            swoop, sw_rate, ph0 = rng.uniform(0.08, 0.18), rng.uniform(0.3, 0.6), rng.uniform(0, 2 * np.pi)
            f0 = lambda u, b=base, d=d, v=vib, dp=depth, sw=swoop, sr_=sw_rate, p0=ph0: b * (
                1.0 + sw * np.sin(2 * np.pi * sr_ * u * d + p0) + 0.1 * np.sin(np.pi * u)) \
                * (1.0 + dp * V.ramp(u, 0.1, 0.3) * np.sin(2 * np.pi * v * u * d))
            env = lambda u: V.swell(0.35, 0.4)(u) ** 1.3
            ph = V.Phonation(jitter=0.008, sub=0.0, rough=0.0, breath=0.05, tilt_hz=350.0)
            y = V.voice_call(sri, rng, d, f0, env, ph, _OO.scaled(2.0 ** (-0.2 * s)))
        dsp.place_signal(out, y / (np.max(np.abs(y)) + 1e-12), int(round(t * sri)), rng.uniform(0.85, 1.0))
    if not zombie:
        out = reverb_tail(out, sri, rng, rng.uniform(2.2, 3.0), 0.55, damp_hz=2500.0)
    return dsp.upsample(out, sr // sri, n)
