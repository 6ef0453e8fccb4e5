"""Workshop tools: hand saws and chainsaws, hammers, electric drills.

Models (Farnell, *Designing Sound*, "machines"; the physics of the tool sets the clock):
- saw (hand saw): a back-and-forth stroke clock (1.5-3 strokes/s); the blade speed follows a
  half-sine per half-stroke, the push (cutting) half louder and longer than the pull; each tooth
  catching the fibres gives a grain at the tooth rate (teeth per metre x blade speed, 100-300/s)
  that modulates noise band-passed 1-6 kHz; the board adds a few wood modes, a hacksaw on metal
  a brighter ringing band.
- chainsaw: a two-stroke single cylinder fires once per revolution (80-180 Hz between fast idle
  and full throttle): a sawtooth-rich harmonic series with per-firing jitter and an exhaust rasp,
  driven by a revving throttle envelope; "cutting"/"through" holds the throttle open, loads the
  engine (the pitch sags 10-15 %) and adds chip-spray noise.
- hammer: each blow excites the nail (a cantilever whose ring rises in pitch as its free length
  shortens), the steel head (short bright modes) and the board (low wood modes, a thud); the last
  blow seats the nail (dull, woody). On an anvil: long, bright modal ring.
- drill: a universal motor's rotation harmonics (150-400 Hz fundamental) + commutator whine +
  brush noise, spinning up exponentially on the trigger and down on release; biting into wood,
  metal or masonry loads it (pitch sag) and adds bit noise (chips, screech, hammer-action rattle).
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _nature_dsp as nd
from .base import SynthRequest, recipe
from .impacts import _modal_events, _spread
from .machines import TWO_PI, _cycles, _harmonics, _onepole, _pinkish, _sin_c, _wn


def _ctl(n: int, sr: int, curve_fn) -> np.ndarray:
    """Evaluate a control curve on the 200 Hz grid and bring it to audio rate."""
    tc = nd.ctrl_grid(n, sr)
    return dsp.control_up(curve_fn(tc), n, sr / nd.CTRL_RATE)


def _two_stroke(f_fire: np.ndarray, sr: int, rng: np.random.Generator, *, rasp: float = 0.5) -> np.ndarray:
    """A small two-stroke engine at a per-sample firing rate: sawtooth-rich harmonic series
    (exhaust pulses), per-firing level jitter (uneven combustion), an exhaust-port rasp
    (noise gated by each firing) and muffler saturation. Unit-ish RMS."""
    n = f_fire.size
    cyc = _cycles(f_fire, sr, rng.random())
    amps = [1.0 / k ** 0.85 for k in range(1, 36)]
    tone = _harmonics(f_fire, sr, amps, cyc=cyc).astype(np.float64)
    ki = np.floor(cyc).astype(np.int64)
    ki -= ki[0]
    jit = 1.0 + 0.18 * rng.standard_normal(int(ki[-1]) + 2)
    frac = cyc - np.floor(cyc)
    pulse = np.exp(-frac * 7.0) * jit[ki]
    noise = dsp.bandpass(_wn(n, rng), sr, 700.0, min(6000.0, 0.45 * sr)) * pulse
    y = dsp.normalize_rms(tone * jit[ki]) + rasp * dsp.normalize_rms(noise)
    y = y + 0.6 * dsp.resonator(y, sr, float(rng.uniform(450.0, 700.0)), 2.5)   # muffler box
    return np.tanh(0.9 * dsp.normalize_rms(y))


def _runs(dur: float, rng, *, on=(1.5, 4.0), off=(0.5, 1.5), first=(0.08, 0.25), tail=0.4):
    """(start, stop) of on-periods of a tool used in bursts."""
    out, t = [], rng.uniform(*first)
    while t < dur - tail - 0.3:
        e = min(t + rng.uniform(*on), dur - tail)
        out.append((t, e))
        t = e + rng.uniform(*off)
    return out or [(min(first[0], dur * 0.1), max(dur - 0.05, dur * 0.5))]


# --------------------------------------------------------------------------------------------
# saw
# --------------------------------------------------------------------------------------------
def _chainsaw(req: SynthRequest) -> np.ndarray:
    n_out = req.n
    dec = dsp.low_rate_factor(req.sample_rate, 9000.0, max_factor=2)
    sr, rng, dur = req.sample_rate // dec, req.rng, req.duration_s
    n = -(-n_out // dec)
    cutting = req.has("cutting", "cuts", "cut", "through", "felling", "fells", "log", "logs", "tree", "trunk",
                      "timber", "branch", "branches", "wood", "slicing")
    idle = rng.uniform(80.0, 92.0)
    top = rng.uniform(160.0, 180.0)
    inten = float(np.clip(req.intensity, 0, 1))

    def throttle(tc):
        th = np.zeros_like(tc)
        if cutting:
            # rev up, hold wide open through the cut (engine under load), back off, sometimes again
            for a, b in _runs(dur, rng, on=(2.0, 5.0), off=(0.8, 1.6), first=(0.2, 0.5), tail=0.5):
                th = np.maximum(th, np.clip((tc - a) / 0.25, 0, 1) * np.clip((b - tc) / 0.3 + 1, 0, 1))
        else:
            t = rng.uniform(0.3, 0.7)
            while t < dur - 0.4:
                hold = rng.uniform(0.25, 1.2)
                peak = rng.uniform(0.7, 1.0)
                th = np.maximum(th, peak * np.clip((tc - t) / 0.12, 0, 1) * np.exp(-np.maximum(tc - t - hold, 0) / 0.2))
                t += hold + rng.uniform(0.6, 1.5)
        return np.clip(th, 0, 1)

    th = _ctl(n, sr, throttle)
    th = _onepole(th, sr, 0.05)
    load = np.clip((th - 0.6) / 0.4, 0, 1) if cutting else np.zeros(n)
    wob = _ctl(n, sr, lambda tc: nd.ctrl(n, sr, 3.0, rng, 0.97, 1.03)[: tc.size])
    f = (idle + (top - idle) * th) * (1.0 - 0.12 * load * wob) * wob
    eng = _two_stroke(f, sr, rng)
    level = 0.45 + 0.55 * th
    y = eng * level
    # the chain: a thin rattle/whine riding on the revs
    chain = dsp.bandpass(_wn(n, rng), sr, 2500.0, min(8000.0, 0.45 * sr)) * th ** 2
    y = y + 0.12 * dsp.normalize_rms(chain)
    if cutting:
        grit = _ctl(n, sr, lambda tc: nd.ctrl(n, sr, 12.0, rng, 0.3, 1.0)[: tc.size])
        chips = dsp.bandpass(_wn(n, rng), sr, 1200.0, min(7500.0, 0.45 * sr)) * grit
        groan = dsp.bandpass(_pinkish(n, rng), sr, 150.0, 900.0)
        y = y + (0.55 + 0.3 * inten) * load * dsp.normalize_rms(chips) + 0.25 * load * dsp.normalize_rms(groan)
    return dsp.upsample(y, dec, n_out)


def _hand_saw(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    metal = req.has("hacksaw", "metal", "pipe", "steel", "iron", "bar") or req.surface == "metal"
    rate = float(np.clip(rng.uniform(1.8, 2.6) * np.clip(req.rate, 0.6, 1.25), 1.5, 3.0))
    push_frac = rng.uniform(0.54, 0.6)
    pull_gain = rng.uniform(0.35, 0.5)

    def stroke_rate(tc):
        r = rate * (1 + 0.06 * (nd.ctrl(n, sr, 0.5, rng)[: tc.size] - 0.5))
        if dur > 10.0:   # the sawyer pauses now and then (re-grips, checks the line)
            t = rng.uniform(5.0, 9.0)
            while t < dur - 2.0:
                r = r * (1 - np.exp(-0.5 * ((tc - t) / 0.35) ** 2) * 0.999)
                t += rng.uniform(5.0, 9.0)
        return r

    fs = _ctl(n, sr, stroke_rate)
    cyc = _cycles(fs, sr, 0.0)
    ki = np.floor(cyc).astype(np.int64)
    u = cyc - ki
    push = u < push_frac
    uu = np.where(push, u / push_frac, (u - push_frac) / (1 - push_frac))
    v = np.sin(np.pi * uu)                                # blade speed in each half-stroke
    per = 1.0 + 0.15 * rng.standard_normal(int(ki[-1]) + 2)
    amp = np.where(push, 1.0, pull_gain) * per[ki] * v ** 1.5 * np.clip(fs / rate, 0, 1) ** 2
    # teeth: grains at the tooth rate (teeth per metre x blade speed)
    teeth_hz = rng.uniform(160.0, 260.0) * (1.4 if metal else 1.0)
    tcyc = _cycles(teeth_hz * v * np.where(push, 1.0, 0.8), sr, rng.random())
    grain = np.exp(-(tcyc - np.floor(tcyc)) * 6.0)
    wn = _wn(n, rng)
    if metal:
        band = dsp.bandpass(wn, sr, 2500.0, min(9000.0, 0.45 * sr))
        ring = dsp.resonator(band, sr, rng.uniform(3500.0, 5500.0), 25.0)
        src = dsp.normalize_rms(band) + 0.6 * dsp.normalize_rms(ring)
    else:
        src = dsp.bandpass(wn, sr, 1000.0, min(6000.0, 0.45 * sr))
    y = dsp.normalize_rms(src) * (0.3 + 0.7 * grain) * amp
    # the board / workpiece: a few low modes driven by the cutting
    body = np.zeros(n)
    exc = dsp.lowpass(y, sr, 1200.0)
    for f0, q in ((rng.uniform(180, 260), 6.0), (rng.uniform(380, 520), 8.0), (rng.uniform(700, 900), 8.0)):
        body += dsp.resonator(exc, sr, f0 * (2.2 if metal else 1.0), q)
    return y + 0.5 * dsp.normalize_rms(body) * dsp.rms(y)


@recipe("saw",
        descriptions=["a hand saw sawing back and forth through a wooden plank",
                      "a carpenter sawing wood in a workshop",
                      "a chainsaw revving and cutting through a log",
                      "a hacksaw cutting a metal pipe",
                      "a lumberjack's chainsaw buzzing in the forest"],
        keywords=["saw", "saws", "sawing", "sawed", "sawn", "handsaw", "hand saw", "hacksaw", "chainsaw",
                  "chainsaws", "chain saw", "bucksaw", "crosscut", "ripsaw", "sawmill", "lumberjack"],
        track="fx", texture=False, stereo_width=0.1, default_duration_s=6.0)
def saw(req: SynthRequest) -> np.ndarray:
    if req.has("chainsaw", "chainsaws", "chain saw", "chain-saw", "lumberjack", "sawmill"):
        return _chainsaw(req)
    return _hand_saw(req)


# --------------------------------------------------------------------------------------------
# hammer
# --------------------------------------------------------------------------------------------
def _hammer_times(req: SynthRequest, rng, period: float):
    """Blow times and each blow's progress (0 -> 1 as its nail goes in)."""
    dur = req.duration_s
    if req.count:
        k = int(req.count)
        t = _spread(k, dur, rng, gap_s=period, start=(0.05, 0.15), tail_s=0.3, jitter=0.1, min_gap_s=0.15)
        return t, (np.arange(k) / max(k - 1, 1)), np.arange(k) == k - 1
    times, prog, last = [], [], []
    t = rng.uniform(0.05, 0.2)
    while t < dur - 0.25 or not times:
        m = int(rng.integers(3, 8))
        for j in range(m):
            if t >= dur - 0.25 and times:
                break
            times.append(t)
            prog.append(j / max(m - 1, 1))
            last.append(j == m - 1)
            t += period * (1 + 0.08 * rng.standard_normal())
        t += rng.uniform(0.6, 1.6)   # set the next nail
    return np.asarray(times), np.asarray(prog), np.asarray(last)


@recipe("hammer",
        descriptions=["hammering a nail into a wooden board",
                      "a carpenter driving nails with a claw hammer",
                      "a blacksmith striking hot metal on an anvil",
                      "hammer blows ringing on metal in a workshop",
                      "someone tapping a nail in with a hammer"],
        keywords=["hammer", "hammers", "hammering", "hammered", "nail", "nails", "nailing", "anvil",
                  "blacksmith", "smithy", "forge", "mallet", "claw hammer", "sledgehammer"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=4.0)
def hammer(req: SynthRequest) -> np.ndarray:
    sr, n, rng = req.sample_rate, req.n, req.rng
    anvil = req.has("anvil", "blacksmith", "smithy", "forge", "smith", "horseshoe") or (
        (req.surface == "metal" or req.has("metal", "steel", "iron")) and not req.has("nail", "nails"))
    mallet = req.has("mallet", "rubber", "chisel") and not anvil
    nail = not anvil and not mallet
    sledge = req.has("sledgehammer", "sledge", "heavy", "huge", "big")
    period = (0.55 if anvil else (0.75 if sledge else 0.4)) * rng.uniform(0.9, 1.1) / float(np.clip(req.rate, 0.5, 2.0))
    times, prog, last = _hammer_times(req, rng, period)
    k = times.size
    force = rng.uniform(0.8, 1.0, k) * (0.6 + 0.5 * req.intensity)
    if nail:
        force *= 0.75 + 0.25 * prog      # first taps to set the nail are lighter
    y = np.zeros(n)
    if anvil:
        f1 = rng.uniform(650.0, 950.0) * (0.8 if sledge else 1.0)
        ratios = np.array([1.0, 2.31, 3.58, 5.12, 6.86, 8.41, 10.3])
        freqs = f1 * ratios * rng.uniform(0.99, 1.01, ratios.size)
        t60 = np.array([1.6, 1.3, 1.0, 0.8, 0.6, 0.45, 0.35]) * rng.uniform(0.85, 1.15)
        amps = force[:, None] * (rng.uniform(0.5, 1.0, (k, ratios.size)) / ratios[None, :] ** 0.4)
        y += _modal_events(n, sr, times, freqs, t60, amps)
    board = rng.uniform(120.0, 200.0) * (0.7 if sledge else 1.0)
    wood_r = np.array([1.0, 1.6, 2.4, 3.3, 4.5])
    nail_f0 = rng.uniform(1400.0, 1900.0)
    head_f = rng.uniform(3000.0, 4200.0) * np.array([1.0, 1.7, 2.6])
    L = int(0.45 * sr)
    for i in range(k):
        p, g = float(prog[i]), float(force[i])
        seated = nail and bool(last[i]) and k > 1
        wf = board * wood_r * rng.uniform(0.97, 1.03, wood_r.size)
        wa = g * (0.5 + 0.7 * p if nail else 0.8) * (1.8 if seated or mallet else 1.0) / wood_r
        grain = dsp.modal_bank(L, sr, wf, np.full(wood_r.size, 0.07 if not sledge else 0.12), wa)
        if nail and not seated:
            fl = nail_f0 / (1.0 - 0.6 * p)   # shorter free length -> higher ring
            nf = fl * np.array([1.0, 2.76, 5.4])
            grain += dsp.modal_bank(L, sr, nf, np.array([0.12, 0.07, 0.04]) * rng.uniform(0.8, 1.2),
                                    g * np.array([0.9, 0.35, 0.15]))
        if not mallet:
            grain += dsp.modal_bank(L, sr, head_f * rng.uniform(0.98, 1.02), np.array([0.05, 0.035, 0.02]),
                                    g * (0.25 if seated else 0.4) * np.array([1.0, 0.5, 0.3]))
        # contact crack
        c = int(0.004 * sr)
        click = rng.standard_normal(c) * np.exp(-np.arange(c) / (0.0006 * sr))
        grain[:c] += 0.5 * g * dsp.highpass(click, sr, 1500.0 if not mallet else 400.0)
        dsp.place_signal(y, grain, int(round(times[i] * sr)))
    return y + 1e-5 * _wn(n, rng)


# --------------------------------------------------------------------------------------------
# drill
# --------------------------------------------------------------------------------------------
@recipe("drill",
        descriptions=["an electric drill whirring as it spins up",
                      "a power drill boring a hole into the wall",
                      "a cordless screwdriver driving screws",
                      "the high whine of a power tool motor in a workshop",
                      "a dentist's drill whining"],
        keywords=["drill", "drills", "drilling", "drilled", "power drill", "electric drill", "hammer drill",
                  "cordless drill", "screwdriver", "power tool", "power tools", "dremel", "router",
                  "angle grinder", "grinder", "sander", "jigsaw", "circular saw"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=4.0)
def drill(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    inten = float(np.clip(req.intensity, 0, 1))
    dentist = req.has("dentist", "dentist's", "dental")
    masonry = req.has("concrete", "wall", "brick", "masonry", "hammer drill", "stone", "tile")
    metal = req.has("metal", "steel", "iron", "sheet") or req.surface == "metal"
    wood = req.has("wood", "wooden", "plank", "board", "timber", "screw", "screws") or req.surface == "wood"
    bite = masonry or metal or wood or req.has("into", "through", "hole", "holes", "boring", "bores")
    f_run = rng.uniform(240.0, 360.0) * float(np.clip(req.rate, 0.7, 1.15))
    if req.has("screwdriver", "screw", "screws", "cordless"):
        f_run *= 0.65
    if dentist:
        f_run = rng.uniform(330.0, 390.0)
    f_run = float(np.clip(f_run, 150.0, 400.0))
    if req.count:
        starts = _spread(int(req.count), dur, rng, gap_s=2.0, start=(0.08, 0.2), tail_s=0.6, jitter=0.2,
                         min_gap_s=0.6)
        gaps = np.diff(np.r_[starts, dur - 0.1])
        runs = [(s, s + max(0.3, min(2.5, g - 0.55))) for s, g in zip(starts, gaps)]
    elif dur <= 6.0:
        runs = [(rng.uniform(0.08, 0.2), dur - rng.uniform(0.55, 0.8))]
    else:
        runs = _runs(dur, rng, on=(1.5, 4.5), off=(0.6, 1.6), tail=0.8)
    tau_up, tau_dn = rng.uniform(0.12, 0.2), rng.uniform(0.3, 0.45)

    def speed(tc):
        s = np.zeros_like(tc)
        for a, b in runs:
            up = np.where(tc >= a, 1 - np.exp(-(tc - a) / tau_up), 0.0)
            up = np.where(tc > b, (1 - np.exp(-(b - a) / tau_up)) * np.exp(-(tc - b) / tau_dn), up)
            s = np.maximum(s, up)
        return s

    def load(tc):
        ld = np.zeros_like(tc)
        if not bite:
            return ld
        for a, b in runs:
            la, lb = a + 0.45 * (b - a) ** 0.5, b - 0.15
            if lb > la:
                ld = np.maximum(ld, np.clip((tc - la) / 0.1, 0, 1) * np.clip((lb - tc) / 0.1, 0, 1))
        return ld

    s = _ctl(n, sr, speed)
    ld = _ctl(n, sr, load)
    wob = _ctl(n, sr, lambda tc: nd.ctrl(n, sr, 2.0, rng, 0.995, 1.005)[: tc.size])
    f = f_run * s * (1 - 0.1 * ld) * wob + 0.5
    cyc = _cycles(f, sr, rng.random())
    motor = _harmonics(f, sr, [1.0, 0.45, 0.3, 0.22, 0.12, 0.1, 0.06, 0.05], cyc=cyc).astype(np.float64)
    seg = int(rng.integers(10, 17))
    whine = _sin_c(cyc * seg) * (seg * f < 0.45 * sr)
    brush = dsp.bandpass(_wn(n, rng), sr, 2000.0, min(9000.0, 0.45 * sr)) * (0.7 + 0.3 * _sin_c(cyc))
    amp = s ** 1.5
    y = (dsp.normalize_rms(motor) + 0.12 * whine + 0.1 * dsp.normalize_rms(brush) ) * amp
    if bite:
        if masonry:
            blows = _cycles(np.full(n, rng.uniform(40.0, 55.0)), sr, rng.random())
            rattle = np.exp(-(blows - np.floor(blows)) * 9.0)
            noise = dsp.bandpass(_wn(n, rng), sr, 300.0, 5000.0) * rattle
        elif metal:
            noise = dsp.resonator(_wn(n, rng), sr, rng.uniform(2800.0, 4500.0), 18.0) \
                + 0.5 * dsp.bandpass(_wn(n, rng), sr, 3000.0, min(9000.0, 0.45 * sr))
        else:
            grit = _ctl(n, sr, lambda tc: nd.ctrl(n, sr, 25.0, rng, 0.2, 1.0)[: tc.size])
            noise = dsp.bandpass(_wn(n, rng), sr, 800.0, 5000.0) * grit
        y = y + (0.5 + 0.4 * inten) * dsp.normalize_rms(noise) * ld * amp
    return y + 1e-5 * _wn(n, rng)
