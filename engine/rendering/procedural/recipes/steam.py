"""Steam and compressed-air hiss: a valve, a vent, air brakes, an espresso wand, a leak.

Model. Gas forced through a small opening leaves as a turbulent jet; its noise is
broadband with a broad peak at a Strouhal frequency f ~ 0.2 U / D (jet speed over
nozzle size): kilohertz for a valve or a tyre's pin-hole, lower for a locomotive's
safety valve. So: white noise through two overlapping band-passes around that peak
(~0.55-1.8 fc), crossfaded by a slow random control (the peak wanders as the flow
does), a first-order high-passed "air" layer above it for the slow top roll-off, and a
little low-mid body (the pipe and the gas expanding, 120-800 Hz) that grows with the
flow. Amplitude: the valve's envelope (attack of a few milliseconds, a sustain with
slow random flutter, a release as it closes), times a 4-9 Hz flutter and a slower drift.
A falling pressure (air brakes, a puff) is a falling jet speed: the tail gets quieter
*and* darker, because the bright band's weight follows the pressure.
Caption cues pick the shape:
- a release (default): the valve opens, hisses for most of the take, closes;
- burst / puff / air brakes: short loud bursts (air brakes: a spike and a long
  falling tail), N of them when the caption counts them;
- continuous (radiator, leak, tyre, steady): the hiss fades in and runs to the end,
  a leak slowly losing pressure;
- espresso / milk frother: the same hiss plus milk gurgle (bubbles + low burble);
- pressure cooker: the weight rocking on its vent pulses the hiss 3-6 times a second
  with a faint metal tick.
"""
from __future__ import annotations

import re

import numpy as np

from .. import dsp
from . import _nature_dsp as nd
from .base import SynthRequest, recipe

_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "a couple of": 2, "a pair of": 2, "single": 1, "a single": 1}
_COUNTED = re.compile(r"\b(\d+|" + "|".join(sorted(_NUM, key=len, reverse=True)) +
                      r")\s+(?:short\s+|quick\s+|sharp\s+|loud\s+|little\s+|brief\s+)?"
                      r"(?:puffs?|bursts?|hiss(?:es)?|blasts?|spurts?|jets?|releases?)\b")


def _count(req: SynthRequest) -> int | None:
    """Exact number of bursts: the parsed count, or 'three puffs' / '2 bursts' (nouns the
    shared modifier parser does not count)."""
    if req.count:
        return int(req.count)
    m = _COUNTED.search(req.caption)
    if not m:
        return None
    w = m.group(1)
    return max(1, min(int(w) if w.isdigit() else _NUM[w], 40))


def _shape(req: SynthRequest) -> str:
    if req.has("air brake", "air brakes", "airbrake", "airbrakes", "brakes", "brake"):
        return "brakes"
    if _count(req) or req.has("burst", "bursts", "puff", "puffs", "puffing", "spurt", "spurts", "blast", "blasts",
                              "short", "brief", "quick", "sudden", "suddenly", "psst", "pssh", "pfft", "jet of"):
        return "burst"
    if req.has("radiator", "radiators", "pipe", "pipes", "leak", "leaks", "leaking", "leaky", "puncture",
               "punctured", "deflating", "deflates", "tyre", "tyres", "tire", "tires", "continuous",
               "continuously", "steady", "steadily", "constant", "constantly", "endless", "long", "vent",
               "venting"):
        return "continuous"
    return "release"


def _envelope(req: SynthRequest, shape: str, rng) -> tuple[np.ndarray, np.ndarray]:
    """(amplitude, pressure) at audio rate. Pressure (0..1) drives the jet's brightness."""
    sr, n, dur = req.sample_rate, req.n, req.duration_s
    t = np.arange(n) / sr
    amp = np.zeros(n)
    pres = np.zeros(n)
    if shape in ("burst", "brakes"):
        k = _count(req) or (1 if dur < 4.0 else max(1, int(round(dur / rng.uniform(3.0, 5.0)))))
        brakes = shape == "brakes"
        long_tail = brakes or req.has("long", "slowly", "dying", "fading")
        times = nd.strike_times(dur, k, k, rng, head_s=min(0.05, 0.1 * dur),
                                tail_s=min(1.2 if long_tail else 0.4, 0.35 * dur), min_gap_s=0.12)
        gap = np.diff(np.r_[times, dur]) if times.size else np.zeros(0)
        for t0, g in zip(times, gap):
            i0 = int(t0 * sr)
            tt = t[i0:] - t0
            ta = rng.uniform(0.002, 0.006)
            hold = (rng.uniform(0.05, 0.15) if brakes else rng.uniform(0.06, 0.22)) / max(req.rate, 0.5)
            hold = min(hold, 0.3 * g)
            tau = rng.uniform(0.35, 0.6) if brakes else rng.uniform(0.05, 0.12) * (2.0 if long_tail else 1.0)
            tau = min(tau, 0.3 * g)
            e = np.where(tt < hold, 1.0, np.exp(-(tt - hold) / max(tau, 1e-3)))
            if brakes:   # the spike: the line's first rush, a few dB over the body of the release
                e = e * (1.0 + 0.8 * np.exp(-tt / 0.06))
            e = e * (1.0 - np.exp(-tt / ta)) * rng.uniform(0.75, 1.0)
            amp[i0:] += e
            pres[i0:] = np.maximum(pres[i0:], np.minimum(e, 1.0))
        return amp, pres
    if shape == "continuous":
        ta = rng.uniform(0.15, 0.5) if not req.has("sudden", "suddenly", "bursts") else 0.01
        amp = 1.0 - np.exp(-t / ta)
        if req.has("leak", "leaks", "leaking", "leaky", "puncture", "punctured", "deflating", "deflates",
                   "tyre", "tyres", "tire", "tires"):
            # the vessel empties: pressure falls slowly over the take (and the hiss with it)
            pres = np.exp(-t / (rng.uniform(2.5, 4.0) * max(dur, 1.0)))
            amp = amp * pres ** 2
        else:
            pres = np.ones(n)
        return amp, pres
    # a release: the valve opens (a spit over the sustain), holds, closes
    t0 = min(rng.uniform(0.03, 0.08) * dur, 0.3)
    t1 = rng.uniform(0.78, 0.9) * dur
    ta = rng.uniform(0.008, 0.03)
    tr = min(rng.uniform(0.15, 0.4), 0.5 * (dur - t1) + 0.02)
    on = np.clip((t - t0) / ta, 0.0, None)
    amp = (1.0 - np.exp(-on)) * (t >= t0)
    amp *= 1.0 + 0.3 * np.exp(-np.clip(t - t0, 0.0, None) / 0.25) * (t >= t0)
    amp *= np.where(t < t1, 1.0, np.exp(-(t - t1) / tr))
    return amp, np.minimum(amp, 1.0)


@recipe("steam_hiss",
        descriptions=["steam hissing out of a valve",
                      "compressed air hissing from a hose or a leak",
                      "the sharp hiss of air brakes on a bus or a truck",
                      "an espresso machine's steam wand hissing and frothing milk",
                      "a pressure cooker hissing as it lets off steam",
                      "steam escaping in a loud hiss from a boiler's safety valve"],
        # no bare "hiss": a snake, a cat or a goose hisses too (and is no valve); the phrases
        # and the sources carry the cue
        # (the stemmer makes "hiss" -> "his" but "hissing"/"hisses" -> "hiss": both forms are listed)
        keywords=["snake hissing", "snake hisses", "hissing snake", "serpent hissing", "steam hiss", "steam hissing", "hiss of steam", "hissing steam", "air hiss", "air hissing",
                  "hiss of air", "hissing air", "hissing valve", "valve hissing", "hissing pipe", "pipes hissing",
                  "hissing hose", "steam escaping", "escaping steam", "let off steam", "lets off steam",
                  "letting off steam", "blowing off steam", "jet of steam", "puff of steam", "cloud of steam",
                  "steam vent", "steam valve", "safety valve", "release valve", "relief valve", "valve", "valves",
                  "compressed air", "air hose", "air leak", "air leaking", "leaking air", "escaping air",
                  "air escaping", "air brake", "air brakes", "airbrake", "airbrakes", "pneumatic", "espresso",
                  "espresso machine", "cappuccino", "milk frother", "frothing", "steam wand", "steam iron",
                  "pressure cooker", "radiator", "radiators", "deflating", "puncture", "punctured tyre",
                  "punctured tire", "leaking tyre", "leaking tire", "tyre leaking", "tire leaking", "tyre deflating",
                  "tire deflating", "psst", "pssh"],
        track="fx", texture=False, stereo_width=0.25, default_duration_s=4.0)
def steam_hiss(req: SynthRequest) -> np.ndarray:
    sr, n, rng = req.sample_rate, req.n, req.rng
    shape = _shape(req)
    espresso = req.has("espresso", "cappuccino", "latte", "frother", "frothing", "froth", "milk", "steam wand",
                       "coffee machine", "coffee maker")
    cooker = req.has("pressure cooker", "jiggle", "jiggles", "jiggling", "rocking", "rattling")
    # nozzle -> jet peak (Strouhal): pin-hole leaks high, a locomotive's valve low
    if req.has("tyre", "tyres", "tire", "tires", "puncture", "punctured", "pin", "pinhole", "tiny", "small"):
        fc = 6500.0
    elif espresso:
        fc = 5000.0
    elif shape == "brakes":
        fc = 3000.0
    elif req.has("locomotive", "locomotive's", "boiler", "engine", "train", "factory", "industrial", "huge",
                 "safety valve", "ship", "geyser"):
        fc = 2200.0
    else:
        fc = 4000.0
    fc *= rng.uniform(0.85, 1.15) * 2.0 ** (0.6 * (0.5 - float(np.clip(req.size, 0, 1))))
    fc = min(fc, 0.3 * sr)

    amp, pres = _envelope(req, shape, rng)
    up = lambda c: dsp.control_up(c, n, sr / nd.CTRL_RATE)  # noqa: E731
    # flutter (4-9 Hz, +-20 %) and a slow drift; the bright/dark balance wanders too
    flut = up(nd.ctrl(n, sr, rng.uniform(4.0, 9.0), rng, 0.8, 1.2) * nd.ctrl(n, sr, 0.3, rng, 0.85, 1.0))
    tilt = up(nd.ctrl(n, sr, rng.uniform(0.5, 1.5), rng, -0.2, 0.2))
    if cooker:   # the weight rocking on the vent: the jet pulses
        f_rock = rng.uniform(3.0, 6.0) * float(np.clip(req.rate, 0.5, 2.0))
        ph = dsp.sweep_phase(f_rock * up(nd.ctrl(n, sr, 0.5, rng, 0.9, 1.1)), sr)
        flut = flut * (0.45 + 0.55 * (0.5 + 0.5 * np.sin(ph + rng.uniform(0, 6.3))) ** 2)

    w = nd.noise(n, rng).astype(np.float64)
    lo = dsp.normalize_rms(dsp.bandpass(w, sr, 0.55 * fc, 1.25 * fc))
    hi = dsp.normalize_rms(dsp.bandpass(w, sr, 0.9 * fc, min(1.8 * fc, 0.45 * sr)))
    air = dsp.normalize_rms(dsp.lowpass(dsp.highpass(w, sr, 1.5 * fc, order=1), sr, min(15000.0, 0.45 * sr)))
    body = dsp.normalize_rms(dsp.bandpass(nd.noise(n, rng).astype(np.float64), sr, 120.0, 800.0))
    # the bright band's share follows the pressure: a falling pressure is a darker jet
    b = np.clip(0.15 + 0.7 * pres + tilt, 0.0, 1.0)
    jet = np.sqrt(1.0 - b) * lo + np.sqrt(b) * hi + (0.1 + 0.3 * pres) * air
    body_amt = 0.12 if shape != "brakes" else 0.18
    y = (jet + body_amt * body * (0.5 + 0.5 * pres)) * (amp * flut)

    if espresso:   # milk gurgle: bubbles and a low burble, under the hiss while it runs
        gate = up(nd.ctrl(n, sr, 12.0, rng) ** 3) * np.minimum(amp, 1.0)
        burble = dsp.normalize_rms(dsp.bandpass(nd.noise(n, rng).astype(np.float64), sr, 150.0, 900.0)) * gate
        rate = 60.0 + 60.0 * float(np.clip(req.intensity, 0, 1))
        bt = nd.thin(dsp.poisson_times(req.duration_s, rate, rng), nd.ctrl(n, sr, 3.0, rng, 0.3, 1.0), rng)
        bt = bt[np.minimum(amp[np.minimum((bt * sr).astype(int), n - 1)], 1.0) > rng.random(bt.size)]
        m = bt.size
        ref = dsp.rms(y) + 1e-9
        y = y + 0.22 * ref * burble
        if m:
            bub = nd.bubble_layer(n, sr, bt, rng.uniform(350.0, 1600.0, m), rng.uniform(0.003, 0.009, m),
                                  rng.uniform(1.2, 2.0, m), rng.uniform(0.3, 1.0, m) ** 2, rng=rng)
            y = y + 0.35 * ref * dsp.normalize_rms(np.asarray(bub, dtype=np.float64))
    if cooker:   # faint metal ticks of the rocking weight
        tk = dsp.poisson_times(req.duration_s, 4.0, rng)
        tk = tk[amp[np.minimum((tk * sr).astype(int), n - 1)] > 0.3]
        L = int(0.01 * sr)
        tt = np.arange(L) / sr
        g = np.sin(2 * np.pi * rng.uniform(2500.0, 4500.0, (tk.size, 1)) * tt) * np.exp(-tt / 0.002)
        y = y + 0.25 * dsp.overlap_add(n, np.round(tk * sr), g * rng.uniform(0.3, 1.0, (tk.size, 1)))
    return y
