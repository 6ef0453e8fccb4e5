"""Impacts and mechanical one-shots: doors, knocks, clocks, glass, explosions, guns,
thuds and whooshes. Every class is a physical model (Farnell, *Designing Sound*):
stick-slip friction through wood formants, excitation bursts through modal banks,
N-waves with decaying noise, swept band-passed noise.

Private helpers here (``_modal_events``, ``_decay_env``, ``_xfade_lowpass`` ...) are also
used by ``tonal.py``; they are candidates for ``dsp.py``.
"""
from __future__ import annotations

import numpy as np
from scipy import signal

from .. import dsp
from .base import SynthRequest, recipe

TWO_PI = 2.0 * np.pi
LN1000 = 6.907755


# --------------------------------------------------------------------------------------
# private helpers (vectorised; per-event loops only over a handful of events)
# --------------------------------------------------------------------------------------
def _flatten(x: np.ndarray, k: int) -> np.ndarray:
    """Noise divided by its own k-sample RMS: keeps the spectrum, removes the random deep
    fades of narrow-band noise (a dense diffuse tail or rumble has a smooth envelope)."""
    n = x.size
    if n <= k:
        return x
    c = np.cumsum(np.concatenate([[0.0], x * x]))
    loc = np.sqrt(np.maximum((c[k:] - c[:-k]) / k, 1e-30))
    loc = np.concatenate([np.full(k // 2, loc[0]), loc, np.full(n - loc.size - k // 2, loc[-1])])
    return x / (loc + 0.05 * np.sqrt(np.mean(x * x)))


def _punch(y: np.ndarray, drive: float = 2.0) -> np.ndarray:
    """Gentle peak saturation (a sound designer's limiter on a transient-heavy take):
    lowers the crest factor of clicks and impulses without changing their timing."""
    p = float(np.max(np.abs(y))) if y.size else 0.0
    return dsp.soft_clip(y / p, drive) if p > 0 else y


def _modal_events(n: int, sr: int, times_s, freqs_hz, t60s_s, amps) -> np.ndarray:
    """A bank of 2-pole resonators (one per mode) excited by impulses at times_s.

    amps is (events, modes): how hard each event excites each mode (0 = not at all).
    Each mode is an exact exponentially decaying sine (IIR, O(n) per mode); low modes are
    run at a decimated rate (sr/4, sr/2) and the sum is upsampled once, so long ringing
    banks (bells, chimes) stay far faster than real time."""
    times = np.atleast_1d(np.asarray(times_s, dtype=np.float64))
    freqs = np.atleast_1d(np.asarray(freqs_hz, dtype=np.float64))
    t60s = np.broadcast_to(np.asarray(t60s_s, dtype=np.float64), freqs.shape)
    a = np.asarray(amps, dtype=np.float64)
    if a.ndim == 1:
        a = np.broadcast_to(a[None, :], (times.size, freqs.size))
    out = np.zeros(n)
    done = freqs >= 0.45 * sr
    # high, short-lived modes with few events: direct grains are cheaper than a full-rate IIR
    short = ~done & (freqs >= 0.16 * sr) & (t60s < 0.8)
    js = np.flatnonzero(short)
    if js.size:
        live = a[:, js] != 0
        grain_cost = float(np.sum(live * t60s[js][None, :])) * sr
        if grain_cost < 0.5 * n * js.size:
            done |= short
            for i, t in enumerate(times):
                jj = js[live[i]]
                if jj.size:
                    g = dsp.modal_bank(int(float(np.max(t60s[jj])) * sr), sr, freqs[jj], t60s[jj], a[i, jj])
                    dsp.place_signal(out, g, int(round(t * sr)))
    for dec in (4, 2, 1):
        fs = sr / dec
        if dec > 1 and fs < 4000:
            continue
        sel = ~done & ((freqs < 0.4 * fs) if dec > 1 else np.ones(freqs.size, bool))
        if not sel.any():
            continue
        done |= sel
        m = -(-n // dec)
        idx = np.round(times * fs).astype(np.int64)
        ok = (idx >= 0) & (idx < m)
        if not ok.any():
            continue
        i0 = int(idx[ok].min())
        acc = np.zeros(m)
        x = np.empty(m - i0)
        floor = dsp.denormal_floor(m - i0)
        for j in np.flatnonzero(sel):
            if not np.any(a[ok, j]):
                continue
            x[:] = floor
            np.add.at(x, idx[ok] - i0, a[ok, j])
            w = TWO_PI * freqs[j] / fs
            r = np.exp(-LN1000 / (max(t60s[j], 1e-4) * fs))
            acc[i0:] += signal.lfilter([0.0, r * np.sin(w)], [1.0, -2 * r * np.cos(w), r * r], x)
        if dec > 1:
            acc = signal.resample_poly(acc, dec, 1)[:n]
        out[:acc.size] += acc
    return out


def _decay_env(n: int, sr: int, times_s, amps, t60_s: float, attack_s: float = 0.0) -> np.ndarray:
    """Sum of exponential decays (optionally with an exponential attack) started at each
    time: a leaky integrator of an impulse train, O(n)."""
    x = dsp.denormal_guard(dsp.impulse_train(n, sr, times_s, amps))
    r = np.exp(-LN1000 / (max(t60_s, 1e-4) * sr))
    env = signal.lfilter([1.0], [1.0, -r], x)
    if attack_s > 0:
        ra = np.exp(-1.0 / (attack_s * sr / 3.0))
        env = env - signal.lfilter([1.0], [1.0, -ra], x)
        env = np.maximum(env, 0.0)
    return env


def _xfade_lowpass(x: np.ndarray, sr: int, cutoff_hz: np.ndarray,
                   bank_hz=(8000.0, 3500.0, 1500.0, 650.0, 280.0, 120.0)) -> np.ndarray:
    """Time-varying low-pass: x through a bank of fixed low-passes, crossfaded per sample
    in log-cutoff (a cheap, click-free falling/rising filter sweep)."""
    bank = np.asarray(sorted(c for c in bank_hz if c < 0.45 * sr) or [0.4 * sr])
    lc = np.log(np.clip(cutoff_hz, bank[0], bank[-1]))
    lb = np.log(bank)
    pos = np.interp(lc, lb, np.arange(bank.size, dtype=np.float64))
    out = np.zeros_like(x)
    for k, c in enumerate(bank):
        w = np.clip(1.0 - np.abs(pos - k), 0.0, 1.0)
        if np.any(w > 1e-4):
            out += w * dsp.butter(x, sr, c, "lowpass")
    return out


def _burst(sr: int, rng: np.random.Generator, dur_s: float, *, lp_hz: float | None = None,
           hp_hz: float | None = None, t60_s: float | None = None) -> np.ndarray:
    """A short noise burst (contact / crack) with a fast attack and exponential decay."""
    k = max(4, int(dur_s * sr))
    b = rng.standard_normal(k)
    env = np.exp(-LN1000 * np.arange(k) / (sr * (t60_s or dur_s)))
    a = min(k, max(2, int(0.0004 * sr)))
    env[:a] *= np.linspace(0.0, 1.0, a)
    b *= env
    if lp_hz:
        b = dsp.butter(b, sr, lp_hz, "lowpass")
    if hp_hz:
        b = dsp.butter(b, sr, hp_hz, "highpass")
    return b


def _modes_grain(sr: int, dur_s: float, freqs, t60s, amps) -> np.ndarray:
    freqs = np.asarray(freqs, dtype=np.float64)
    t60s = np.broadcast_to(np.asarray(t60s, dtype=np.float64), freqs.shape)
    # only as long as the longest mode needs (never longer than dur_s)
    m = max(8, int(min(dur_s, float(np.max(t60s)) * 1.05) * sr))
    return dsp.modal_bank(m, sr, freqs, t60s, amps)


def _spread(count: int, dur: float, rng: np.random.Generator, *, gap_s: float, start=(0.08, 0.25),
            tail_s: float = 0.5, jitter: float = 0.25, min_gap_s: float = 0.09) -> np.ndarray:
    """count onsets: first near the start, then about gap_s apart (jittered), compressed
    if the take is too short so all of them fit (never closer than min_gap_s)."""
    if count <= 0:
        return np.zeros(0)
    t0 = min(rng.uniform(*start), dur * 0.2)
    gaps = gap_s * (1.0 + jitter * rng.uniform(-1, 1, count - 1))
    room = max(dur - t0 - tail_s, 0.0)
    if gaps.sum() > room and count > 1:
        gaps *= max(room, min_gap_s * (count - 1)) / gaps.sum()
    gaps = np.maximum(gaps, min_gap_s)
    return t0 + np.concatenate([[0.0], np.cumsum(gaps)])


def _pattern(dur: float, rng: np.random.Generator, *, first=(0.08, 0.3), every=(3.0, 6.0),
             tail_s: float = 0.8) -> np.ndarray:
    """A sparse natural pattern for one-shots in long takes: one near the start, then
    repeats at random intervals until the end (leaving a tail)."""
    t = [rng.uniform(*first)]
    while True:
        nxt = t[-1] + rng.uniform(*every)
        if nxt > dur - tail_s:
            break
        t.append(nxt)
    return np.asarray(t[: max(1, len(t))])


def _fit(x: np.ndarray, n: int) -> np.ndarray:
    if x.shape[-1] >= n:
        return x[..., :n]
    pad = [(0, 0)] * (x.ndim - 1) + [(0, n - x.shape[-1])]
    return np.pad(x, pad)


def _is_metal(req: SynthRequest) -> bool:
    return req.surface in ("metal", "tin") or req.has("metal", "metallic", "steel", "iron", "tin")


# --------------------------------------------------------------------------------------
# door creak: stick-slip friction through wood formants
# --------------------------------------------------------------------------------------
CREAK_FORMANTS = (62.5, 125.0, 250.0, 395.0, 560.0, 790.0)


@recipe("door_creak",
        descriptions=["an old wooden door slowly creaking open on rusty hinges",
                      "a long groaning squeak of a hinge as a door swings",
                      "the creak of old floorboards or a wooden gate moving under strain",
                      "a spooky haunted-house creaking door",
                      "wood rubbing and squeaking as something is slowly pushed"],
        keywords=["creak", "creaking", "creaks", "squeak", "squeaky", "hinge", "hinges", "groan", "creaky"],
        default_duration_s=3.0)
def door_creak(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    dec = max(1, int(sr // 11025))
    fs = sr / dec
    m = -(-n // dec)
    rusty = req.has("rusty", "rust", "squeak", "squeaky", "squeaking", "squeal", "metal")
    # creak gestures: (start, length)
    if req.count is not None:
        k = max(0, int(req.count))
        lens = rng.uniform(1.2, 3.0, k) / req.rate
        avail = max(dur - 0.2, 0.3)
        if lens.sum() * 1.25 > avail and k:
            lens *= avail / (lens.sum() * 1.25)
        gap = (avail - lens.sum()) / max(k, 1)
        starts = 0.05 + np.concatenate([[0.0], np.cumsum(lens[:-1] + gap)])[:k] if k else np.zeros(0)
    elif dur <= 5.0:
        lens = np.array([dur * rng.uniform(0.7, 0.9)])
        starts = np.array([rng.uniform(0.02, 0.08) * dur])
    else:
        starts, lens, t = [], [], rng.uniform(0.05, 0.4)
        while t < dur - 0.8:
            ln = min(rng.uniform(1.5, 4.0) / req.rate, dur - t - 0.1)
            starts.append(t), lens.append(ln)
            t += ln + rng.uniform(0.3, 1.5)
        starts, lens = np.array(starts), np.array(lens)
    # force profile at the decimated rate
    tt = np.arange(m) / fs
    force = np.zeros(m)
    for s, ln in zip(starts, lens):
        u = (tt - s) / max(ln, 1e-3)
        inside = (u >= 0) & (u < 1)
        shape = np.zeros(m)
        shape[inside] = np.sin(np.pi * u[inside]) ** 0.6 * (1 + 0.3 * np.sin(np.pi * u[inside] * rng.uniform(1, 3)))
        force = np.maximum(force, shape * rng.uniform(0.7, 1.0))
    wob = dsp.smooth_noise(m, int(fs), rng.uniform(2.0, 5.0), rng, lo=0.55, hi=1.0)
    force *= wob * (0.55 + 0.45 * req.intensity)
    # stick-slip: slip rate grows with force (a few clicks/s when barely moving -> a squeal)
    lo_hz = rng.uniform(6, 14)
    hi_hz = rng.uniform(350, 650) if rusty else rng.uniform(110, 240)
    rate = lo_hz + (hi_hz - lo_hz) * force ** 1.6
    rate *= 1.0 + 0.12 * rng.standard_normal(m) * (force > 0)
    phase = np.cumsum(np.maximum(rate, 0.0)) / fs
    slips = np.flatnonzero(np.diff(np.floor(phase), prepend=0.0) > 0)
    slips = slips[force[slips] > 0.04]
    pulses = dsp.denormal_floor(m)
    pulses[slips] = force[slips] ** 1.3 * rng.lognormal(0.0, 0.35, slips.size)
    # wood formants (+ weaker squeak formants) at the decimated rate
    y = np.zeros(m)
    forms = list(CREAK_FORMANTS) + [1100.0, 1650.0, 2350.0]
    gains = [0.8, 1.0, 1.0, 0.9, 0.8, 0.7] + ([0.25, 0.2, 0.12] if not rusty else [0.6, 0.5, 0.35])
    for f, g in zip(forms, gains):
        f = f * rng.uniform(0.95, 1.05)
        if f < 0.45 * fs:
            y += g * dsp.resonator(pulses, int(fs), f, rng.uniform(7, 16))
    # short frame delays: the door leaf and frame re-radiate a few ms later
    for d_ms, g in ((rng.uniform(3, 6), 0.45), (rng.uniform(7, 12), 0.3), (rng.uniform(13, 19), 0.2)):
        d = int(d_ms * 1e-3 * fs)
        y[d:] += g * y[:-d] if d > 0 else 0
    if dec > 1:
        y = signal.resample_poly(y, dec, 1)[:n]
    # crisp surface grain of each slip at the full rate
    idx = np.minimum(slips * dec, n - 1)
    crisp = dsp.denormal_floor(n)
    crisp[idx] = pulses[slips] * (0.3 + 1.4 * force[slips] ** 2)   # harder slips are sharper
    crisp = dsp.butter(crisp, sr, (1500.0, min(6000.0, 0.45 * sr)), "bandpass")
    return _punch(dsp.remove_dc(_fit(y, n) + 0.6 * crisp, sr, cutoff_hz=40.0, order=2), 2.5)


# --------------------------------------------------------------------------------------
# door knock: knuckle burst -> panel modes
# --------------------------------------------------------------------------------------
def _knock_groups(count: int | None, dur: float, rate: float, rng) -> np.ndarray:
    ival = rng.uniform(0.2, 0.3) / rate
    if count is None:
        if dur < 6.0:
            groups = [3]
        else:
            groups, used = [3], 3 * ival + 3.5
            while used < dur - 2.0:
                g = int(rng.choice([2, 3, 3, 4]))
                groups.append(g)
                used += g * ival + rng.uniform(3.0, 5.5)
    else:
        c = max(0, int(count))
        if c <= 5:
            groups = [c] if c else []
        else:  # several groups of 2-4, as a person knocks, waits, knocks again
            g = int(np.ceil(c / 4)) + int(c >= 8 and rng.random() < 0.4)
            groups = [c // g + (1 if i < c % g else 0) for i in range(g)]
            groups = [int(x) for x in rng.permutation(groups)]
    if not groups:
        return np.zeros(0)
    # times within each group: a slight accelerando
    inner = [np.concatenate([[0.0], np.cumsum(ival * (1 - 0.06 * np.arange(g - 1)) *
                                              rng.uniform(0.92, 1.08, g - 1))]) for g in groups]
    lens = np.array([x[-1] for x in inner])
    avail = max(dur - 0.2 - 0.45, 0.2)
    ng = len(groups)
    pauses = np.zeros(0)
    if ng > 1:
        pause = float(np.clip((avail - lens.sum()) / (ng - 1), 0.5, 6.0))
        pauses = pause * rng.uniform(0.85, 1.0, ng - 1)
    total = lens.sum() + pauses.sum()
    scale = min(1.0, avail / total) if total > 0 else 1.0
    t, out = rng.uniform(0.08, 0.2), []
    for i, x in enumerate(inner):
        out.extend(t + x * scale)
        t += (lens[i] + (pauses[i] if i < ng - 1 else 0.0)) * scale
    out = np.asarray(out)
    # never closer than 90 ms (still distinct knocks)
    for i in range(1, out.size):
        out[i] = max(out[i], out[i - 1] + 0.09)
    return out


@recipe("door_knock",
        descriptions=["someone knocking on a wooden door with their knuckles",
                      "three sharp raps on a front door",
                      "a visitor tapping at the door, waiting, then knocking again",
                      "pounding with a fist on a heavy door",
                      "knuckles rapping on a metal or glass panel"],
        keywords=["knock", "knocks", "knocking", "rap", "raps", "rapping", "door", "pounding", "tap"],
        default_duration_s=3.0)
def door_knock(req: SynthRequest) -> np.ndarray:
    sr, n, rng = req.sample_rate, req.n, req.rng
    metal = _is_metal(req)
    glass = not metal and (req.surface == "glass" or req.has("glass", "window", "windowpane"))
    heavy = req.has("pound", "pounding", "pounds", "bang", "banging", "bangs", "fist", "hammering") \
        or req.intensity > 0.85
    times = _knock_groups(req.count, req.duration_s, req.rate, rng)
    # the door: one set of modes per take, small per-knock variation
    # a dominant panel mode rings on; the others die away quickly, as on a real door
    if metal:
        f1 = rng.uniform(260, 380) * (1.3 - 0.6 * req.size)
        ratios = np.array([1.0, 1.93, 2.87, 3.61, 4.92, 6.3, 7.62, 9.4, 11.3, 13.8])
        t60 = rng.uniform(0.45, 0.65) / ratios ** 0.8
        amps = rng.uniform(0.5, 1.0, ratios.size) / ratios ** 0.3
        body_len, click_lp = 1.0, 7000.0
    elif glass:
        f1 = rng.uniform(700, 1000)
        ratios = np.array([1.0, 1.9, 2.7, 3.9, 5.2, 7.3])
        t60 = rng.uniform(0.05, 0.1) / ratios ** 0.5
        amps = 1 / ratios ** 0.3
        body_len, click_lp = 0.2, 8000.0
    else:  # wooden panel: main mode ~150-260 Hz, a quick low body mode, damped upper modes
        f1 = rng.uniform(170, 250) * (1.25 - 0.5 * req.size) * (0.75 if heavy else 1.0)
        ratios = np.array([1.0, 0.55, 1.62, 2.31, 3.1, 4.2, 5.4, 7.0, 9.1, 12.0])
        t60 = np.concatenate([[rng.uniform(0.1, 0.16) * (1.2 if heavy else 1.0), 0.05],
                              rng.uniform(0.04, 0.07) / ratios[2:] ** 0.5])
        amps = np.concatenate([[1.0, 0.5], rng.uniform(0.4, 0.9, ratios.size - 2) / ratios[2:] ** 0.4])
        body_len, click_lp = 0.3, 4500.0
    ratios = ratios * (1 + 0.02 * rng.standard_normal(ratios.size)) ** (np.arange(ratios.size) > 0)
    freqs = f1 * ratios
    tau = (rng.uniform(2.0, 3.5) if heavy else rng.uniform(0.5, 1.2) * (1.4 - 0.6 * req.intensity)) * 1e-3
    amps = amps / (1 + (freqs * tau * 1.5) ** 2)
    out = np.zeros(n)
    for i, t in enumerate(times):
        acc = rng.uniform(0.85, 1.0) * (1.08 if i == 0 and times.size > 2 else 1.0)
        a = amps * rng.uniform(0.8, 1.2, amps.size)
        g = _modes_grain(sr, body_len, freqs * rng.uniform(0.995, 1.005), t60, a)
        click = _burst(sr, rng, max(tau * 3, 0.002), lp_hz=min(click_lp, 0.45 * sr) * (0.6 if heavy else 1.0),
                       t60_s=tau * 4)
        g[:click.size] += 0.35 * click * (np.max(np.abs(g)) + 1e-9) / (np.max(np.abs(click)) + 1e-9)
        dsp.place_signal(out, g, int(round(t * sr)), acc)
    return _punch(dsp.remove_dc(out, sr, cutoff_hz=50.0, order=2), 2.0)


# --------------------------------------------------------------------------------------
# door slam: air push + low thump + latch click + panel ring + rattle
# --------------------------------------------------------------------------------------
def _slam_grain(sr: int, rng, req: SynthRequest) -> tuple[np.ndarray, int]:
    """(grain, index of the impact inside the grain)."""
    pre = int(rng.uniform(0.18, 0.3) * sr)
    length = int(2.0 * sr)
    g = np.zeros(pre + length)
    hard = 0.5 + 0.5 * req.intensity
    metal = _is_metal(req)
    # air pushed ahead of the closing leaf: a slow low swell, no onset of its own
    air = dsp.butter(rng.standard_normal(pre), sr, (150.0, 900.0), "bandpass") * np.linspace(0, 1, pre) ** 3
    g[:pre] += 0.006 * air / (np.max(np.abs(air)) + 1e-9)
    body = np.zeros(length)
    ft = rng.uniform(50, 80) * (1.2 - 0.4 * req.size)
    thump = _modes_grain(sr, 1.0, [ft, ft * 1.63], [0.18, 0.1], [1.0, 0.45])
    body[:thump.size] += thump
    contact = _burst(sr, rng, 0.03, lp_hz=900.0, t60_s=0.03)
    body[:contact.size] += 0.9 * contact / (np.max(np.abs(contact)) + 1e-9)
    # panel ring (wood, or steel for metal doors)
    if metal:
        pf = rng.uniform(120, 200) * np.sort(np.concatenate([[1.0], rng.uniform(1.4, 22, 10)]))
        pt = rng.uniform(0.8, 1.4) / (1 + 0.04 * pf / pf[0])
        pa = rng.uniform(0.2, 0.5, pf.size)
    else:
        # a dominant panel mode rings on; the upper modes are damped
        pf = rng.uniform(140, 200) * (1.2 - 0.4 * req.size) * np.array([1.0, 1.6, 2.2, 2.7, 3.5, 4.4, 5.7, 7.1])
        pf[1:] *= 1 + 0.03 * rng.standard_normal(pf.size - 1)
        pt = np.concatenate([[rng.uniform(0.3, 0.45)], rng.uniform(0.06, 0.12, pf.size - 1)])
        pa = np.concatenate([[0.7], rng.uniform(0.25, 0.5, pf.size - 1) / (pf[1:] / pf[0]) ** 0.4])
    ring = _modes_grain(sr, 1.8, pf, pt, pa * hard)
    body[:ring.size] += ring
    # latch: 2-3 metallic micro-clicks 4-25 ms after the impact
    t = rng.uniform(0.004, 0.012)
    for _ in range(int(rng.integers(2, 4))):
        lf = rng.uniform(2200, 6000, 4)
        click = _modes_grain(sr, 0.06, np.minimum(lf, 0.45 * sr), rng.uniform(0.015, 0.045, 4),
                             rng.uniform(0.3, 1.0, 4))
        dsp.place_signal(body, click, int(t * sr), 0.35 * hard)
        t += rng.uniform(0.002, 0.006)
    # hardware / frame rattle
    for tr in np.sort(rng.uniform(0.02, 0.25, int(4 + 10 * req.intensity))):
        rf = rng.uniform(700, 3000, 2)
        gr = _modes_grain(sr, 0.05, rf, [0.02, 0.03], [1.0, 0.6])
        dsp.place_signal(body, gr, int(tr * sr), 0.06 * hard * np.exp(-tr / 0.12))
    g[pre:] += body
    return g, pre


@recipe("door_slam",
        descriptions=["a door slammed shut with a heavy bang",
                      "someone angrily slamming a wooden door, the latch clicking",
                      "a heavy front door banging closed in the wind",
                      "a car or cupboard door shut hard with a thump",
                      "the bang of a door closing forcefully, frame rattling"],
        keywords=["slam", "slams", "slammed", "slamming", "shut", "door", "bang", "banging"],
        default_duration_s=2.5)
def door_slam(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    if req.count is not None:
        times = _spread(int(req.count), dur, rng, gap_s=2.5, start=(0.3, 0.4), tail_s=0.8, min_gap_s=0.35)
    elif dur <= 8.0:
        times = np.array([rng.uniform(0.3, 0.45)])
    else:  # doors in a building banging now and then
        times = _pattern(dur, rng, first=(0.3, 0.45), every=(5.0, 9.0), tail_s=1.5)
    out = np.zeros(n)
    for t in times:
        g, pre = _slam_grain(sr, rng, req)
        dsp.place_signal(out, g, int(round(t * sr)) - pre, rng.uniform(0.85, 1.0))
    return _punch(dsp.remove_dc(out, sr, cutoff_hz=30.0, order=2), 2.0)


# --------------------------------------------------------------------------------------
# clock tick: escapement micro-clicks -> metal modes + case resonance
# --------------------------------------------------------------------------------------
def _tick_grain(sr, rng, base_hz: float, case_f, case_t60: float, case_gain: float, n_clicks: int) -> np.ndarray:
    length = int(max(0.06, case_t60 * 1.2) * sr)
    g = np.zeros(length)
    t = 0.0
    amp = 1.0
    for _ in range(n_clicks):
        f = np.minimum(base_hz * np.array([1.0, 1.47, 2.09, 2.71]) * rng.uniform(0.97, 1.03, 4), 0.45 * sr)
        c = _modes_grain(sr, 0.08, f, rng.uniform(0.015, 0.05, 4), rng.uniform(0.4, 1.0, 4))
        dsp.place_signal(g, c, int(t * sr), amp)
        t += rng.uniform(0.002, 0.009)
        amp *= rng.uniform(0.35, 0.7)
    cf = np.asarray(case_f) * rng.uniform(0.98, 1.02, len(case_f))
    case = _modes_grain(sr, case_t60 * 1.2, cf, case_t60 / (1 + 0.1 * np.arange(len(case_f))),
                        rng.uniform(0.6, 1.0, len(case_f)))
    dsp.place_signal(g, case, 0, case_gain)
    return g / (np.max(np.abs(g)) + 1e-12)


@recipe("clock_tick",
        descriptions=["a clock ticking steadily on the wall",
                      "the tick-tock of a grandfather clock's pendulum in a quiet room",
                      "a mechanical watch or timer ticking away the seconds",
                      "the rhythmic clicking of a clockwork escapement",
                      "a countdown timer ticking fast"],
        keywords=["clock", "tick", "ticking", "ticks", "tock", "tick-tock", "timer", "watch", "pendulum"],
        texture=True, default_duration_s=6.0)
def clock_tick(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    grand = req.has("grandfather", "pendulum", "longcase", "grand")
    fast = req.has("fast", "rapid", "stopwatch", "timer", "countdown", "racing", "quick", "quickly")
    tick_hz = (2.0 if fast else 1.0) * max(req.rate, 0.1)
    period = 1.0 / tick_hz
    if grand:
        base = rng.uniform(1800, 2600)
        case_f, case_t60, case_gain = [rng.uniform(150, 220), rng.uniform(330, 420), rng.uniform(600, 760), 1100.0], \
            rng.uniform(0.18, 0.3), 0.5
    else:
        base = rng.uniform(2600, 4200) * (1.2 - 0.4 * req.size)
        case_f, case_t60, case_gain = [rng.uniform(500, 800), rng.uniform(1100, 1500), rng.uniform(1900, 2400)], \
            rng.uniform(0.05, 0.09), 0.35
    # a pool of slightly different ticks and tocks (the same escapement, never the same bytes)
    ticks = [_tick_grain(sr, rng, base, case_f, case_t60, case_gain, int(rng.integers(2, 5))) for _ in range(5)]
    tocks = [_tick_grain(sr, rng, base * 0.84, np.asarray(case_f) * 0.93, case_t60, case_gain * 1.1,
                         int(rng.integers(2, 5))) for _ in range(5)]
    t0 = rng.uniform(0.05, 0.3) * min(period, 1.0)
    k = int(req.count) if req.count is not None else int(np.floor((dur - t0 - 0.05) / period)) + 1
    k = max(k, 0)
    beat_err = rng.uniform(-0.003, 0.003)
    idx = np.arange(k)
    times = t0 + idx * period + np.where(idx % 2 == 1, beat_err * period, 0.0) + rng.normal(0, 0.0004, k)
    if req.count is not None and k > 1 and times[-1] > dur - 0.1:  # squeeze an exact count into the take
        times = t0 + (times - t0) * (dur - 0.1 - t0) / (times[-1] - t0)
    out = np.zeros(n)
    for i, t in enumerate(times):
        pool = ticks if i % 2 == 0 else tocks
        dsp.place_signal(out, pool[int(rng.integers(len(pool)))], int(round(t * sr)), rng.uniform(0.85, 1.0))
    # faint mechanism whirr under the ticks so the gaps are not digital silence
    bed = dsp.butter(rng.standard_normal(n), sr, (1500.0, min(6000.0, 0.45 * sr)), "bandpass")
    return _punch(dsp.remove_dc(out, sr, cutoff_hz=100.0, order=2), 2.5) + 0.002 * bed


# --------------------------------------------------------------------------------------
# glass break: crack + high-Q random partial sets + sparse shard tinkles
# --------------------------------------------------------------------------------------
def _glass_break(out, sr, rng, t0: float, req: SynthRequest, dur: float) -> None:
    hi = 0.45 * sr
    bottle = req.has("bottle", "jar")
    lo_f, hi_f = (1200.0, 5000.0) if bottle else (2000.0, 8000.0)
    lo_f *= 1.2 - 0.4 * req.size
    i0 = int(t0 * sr)
    crack = _burst(sr, rng, 0.12, hp_hz=1200.0, t60_s=rng.uniform(0.05, 0.12))
    dsp.place_signal(out, crack, i0, 1.0)
    if bottle:  # the thunk of a thick vessel
        th = _modes_grain(sr, 0.3, [rng.uniform(300, 500), rng.uniform(800, 1100)], [0.12, 0.08], [1.0, 0.5])
        dsp.place_signal(out, th, i0, 0.8)
    n_frag = int(4 + 6 * req.intensity + 3 * req.size)
    for d in np.sort(rng.exponential(0.02, n_frag)):
        k = int(rng.integers(5, 10))
        f = np.exp(rng.uniform(np.log(lo_f), np.log(min(hi_f, hi)), k))
        t60 = rng.uniform(0.08, 0.4, k)
        g = _modes_grain(sr, 0.4, f, t60, rng.uniform(0.2, 1.0, k))
        dsp.place_signal(out, g, i0 + int(d * sr), rng.uniform(0.4, 0.9))
    # shards landing: Poisson with a decaying rate, starting after a short fall
    t_land = t0 + rng.uniform(0.2, 0.45)
    tau = rng.uniform(0.6, 1.2) * (0.7 + 0.6 * req.size)
    n_sh = int(rng.poisson(10 + 25 * req.intensity))
    ts = t_land + rng.exponential(tau, n_sh)
    # late stragglers falling off the frame for the rest of a long take
    ts = np.concatenate([ts, t_land + rng.uniform(2.0, max(dur - t0, 2.1), rng.poisson(0.25 * max(dur - t0 - 2, 0)))])
    ts = ts[ts < dur - 0.05][:90]
    for t in ts:
        k = int(rng.integers(2, 5))
        f = np.exp(rng.uniform(np.log(max(lo_f * 1.4, 2500.0)), np.log(min(11000.0, hi)), k))
        g = _modes_grain(sr, 0.15, f, rng.uniform(0.03, 0.12, k), rng.uniform(0.3, 1.0, k))
        g[0] += 0.3
        a = rng.uniform(0.05, 0.3) * (1.0 if t - t_land < 3 * tau else 0.5)
        dsp.place_signal(out, g, int(t * sr), a)
        if rng.random() < 0.3:  # a bounce
            dsp.place_signal(out, g, int((t + rng.uniform(0.03, 0.1)) * sr), a * 0.4)


@recipe("glass_break",
        descriptions=["a window pane shattering into pieces",
                      "a glass bottle smashed on the floor, shards tinkling",
                      "a wine glass dropped and breaking",
                      "the crash of breaking glass followed by falling fragments",
                      "someone smashing through a window"],
        keywords=["glass", "shatter", "shattering", "smash", "smashed", "break", "breaking", "window",
                  "shards", "bottle"],
        default_duration_s=3.0)
def glass_break(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    if req.count is not None:
        times = _spread(int(req.count), dur, rng, gap_s=2.5, tail_s=1.0, min_gap_s=0.3)
    elif dur <= 10.0:
        times = np.array([rng.uniform(0.05, 0.2)])
    else:
        times = _pattern(dur, rng, first=(0.05, 0.2), every=(6.0, 10.0), tail_s=2.5)
    out = np.zeros(n)
    for t in times:
        _glass_break(out, sr, rng, float(t), req, dur)
    return _punch(dsp.remove_dc(out, sr, cutoff_hz=100.0, order=2), 2.0)


# --------------------------------------------------------------------------------------
# explosion: N-wave + decaying noise with a falling low-pass + thump + rumble + debris
# --------------------------------------------------------------------------------------
def _explosion(sr, rng, req: SynthRequest, length_s: float) -> np.ndarray:
    size = 0.5 * req.size + 0.5 * req.intensity
    if req.has("bomb", "nuclear", "massive", "huge", "artillery"):
        size = max(size, 0.85)
    if req.has("grenade", "firecracker", "small"):
        size = min(size, 0.35)
    m = int(length_s * sr)
    t = np.arange(m) / sr
    y = np.zeros(m)
    # N-wave (shock front), lightly low-passed by the air
    tn = (4 + 20 * size) * 1e-3
    k = int(tn * sr)
    nw = np.zeros(min(m, int(0.1 * sr)))
    nw[:k] = np.linspace(1.0, -1.0, k)[:nw.size]
    y[:nw.size] += 1.2 * dsp.butter(nw, sr, min(3500.0, 0.45 * sr), "lowpass")
    # blast noise: fast attack, long decay, falling low-pass
    t60 = 1.5 + 3.0 * size
    env = np.exp(-LN1000 * t / t60) * (1 - np.exp(-t / 0.003))
    noise = rng.standard_normal(m) * env
    cutoff = 150.0 + rng.uniform(4000, 7000) * np.exp(-t / (0.12 + 0.35 * size))
    y += 0.9 * _xfade_lowpass(noise, sr, cutoff)
    # low thump with a pitch drop
    f = rng.uniform(32, 48) * (1.3 - 0.5 * size) + rng.uniform(40, 80) * np.exp(-t / 0.06)
    y += 1.6 * np.sin(dsp.sweep_phase(f, sr)) * np.exp(-LN1000 * t / (0.7 + 1.0 * size))
    # rolling rumble (computed at a low rate: it lives below 200 Hz)
    dec = max(1, int(sr // 1400))
    md = -(-m // dec)
    fd = sr / dec
    rum = dsp.butter(rng.standard_normal(md), fd, (25.0, min(110.0 + 60 * rng.random(), 0.4 * fd)), "bandpass")
    rum = _flatten(rum, max(4, int(0.02 * fd)))
    rum = dsp.butter(rum, fd, min(160.0, 0.4 * fd), "lowpass")
    roll = dsp.smooth_noise(md, int(fd), 1.5, rng, lo=0.4, hi=1.0)
    td = np.arange(md) / fd
    rum = rum * roll * np.exp(-LN1000 * td / (2.5 + 5.0 * size)) * (1 - np.exp(-td / 0.05))
    y += 1.2 * (signal.resample_poly(rum, dec, 1)[:m] if dec > 1 else rum)
    # debris: small impacts pattering down after the blast
    grains = []
    for _ in range(6):
        gl = int(rng.uniform(0.01, 0.04) * sr)
        gg = rng.standard_normal(gl) * np.exp(-np.arange(gl) / (gl / 5))
        grains.append(dsp.resonator(gg, sr, rng.uniform(500, 4000), rng.uniform(2, 6)))
    nd = int(rng.poisson(20 + 50 * size))
    td = 0.25 + rng.exponential(0.8 + 1.5 * size, nd)
    td = td[td < length_s - 0.05][:90]
    for tt in td:
        a = rng.uniform(0.03, 0.15) * np.exp(-(tt - 0.25) / (1.5 + 2 * size))
        dsp.place_signal(y, grains[int(rng.integers(6))], int(tt * sr), a)
    return dsp.soft_clip(y * 0.8, 1.5)


@recipe("explosion",
        descriptions=["a huge explosion with a deep rumbling boom and falling debris",
                      "a bomb going off, the blast echoing and rolling away",
                      "a grenade detonating nearby",
                      "a building blowing up, rubble raining down",
                      "a loud detonation shaking the ground"],
        keywords=["explosion", "explosions", "explode", "explodes", "blast", "bomb", "boom", "detonation",
                  "grenade", "kaboom"],
        default_duration_s=5.0)
def explosion(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    if req.count is not None:
        times = _spread(int(req.count), dur, rng, gap_s=4.0, tail_s=1.5, min_gap_s=0.4)
    else:
        times = np.array([rng.uniform(0.03, 0.12)])
    out = np.zeros(n)
    for t in times:
        i0 = int(round(t * sr))
        size = 0.5 * req.size + 0.5 * req.intensity
        length = min(dur - t, 1.3 * (2.5 + 5.0 * max(size, 0.85 if req.has("bomb", "nuclear") else 0)) + 0.5)
        if length <= 0.01:
            continue
        dsp.place_signal(out, _explosion(sr, rng, req, length), i0, rng.uniform(0.85, 1.0))
    return dsp.remove_dc(out, sr, cutoff_hz=20.0, order=2)


# --------------------------------------------------------------------------------------
# gunshot: mechanism click + N-wave crack + muzzle blast + echo tail
# --------------------------------------------------------------------------------------
def _shot_grain(sr, rng, kind: str, indoor: bool) -> np.ndarray:
    m = int(0.35 * sr)
    t = np.arange(m) / sr
    y = np.zeros(m)
    if kind == "silenced":
        y += _fit(_burst(sr, rng, 0.06, lp_hz=1800.0, t60_s=0.05), m) * 0.8
        y += _fit(_burst(sr, rng, 0.004, hp_hz=3000.0, t60_s=0.004), m) * 0.5
        return y
    big = {"rifle": 1.0, "shotgun": 1.4, "pistol": 0.7, "gun": 0.8}[kind]
    # mechanism click (hammer / bolt) just before the blast
    click = _burst(sr, rng, 0.003, hp_hz=2500.0, t60_s=0.002)
    # supersonic crack: a very short N-wave
    k = max(3, int((0.0006 + 0.0006 * (kind == "rifle")) * sr))
    nw = np.zeros(m)
    nw[:k] = np.linspace(1.0, -1.0, k)
    y += 1.3 * nw
    # muzzle blast: broadband burst whose brightness falls fast
    t60 = rng.uniform(0.08, 0.14) * big
    blast = rng.standard_normal(m) * np.exp(-LN1000 * t / t60) * (1 - np.exp(-t / 0.0004))
    cutoff = 900.0 + 9000.0 * np.exp(-t / (0.006 * big))
    y += 1.2 * _xfade_lowpass(blast, sr, cutoff, bank_hz=(12000.0, 6000.0, 2800.0, 1300.0, 700.0))
    # body thump of the report
    fb = rng.uniform(70, 110) / big ** 0.5
    y += 0.9 * big * np.sin(TWO_PI * fb * t) * np.exp(-LN1000 * t / (0.12 * big))
    pre = int(0.004 * sr)
    out = np.zeros(m + pre)
    out[:click.size] += 0.25 * click / (np.max(np.abs(click)) + 1e-9)
    out[pre:] += y
    return out


@recipe("gunshot",
        descriptions=["a single pistol shot echoing off buildings",
                      "a rifle being fired, the crack rolling across a valley",
                      "a burst of machine gun fire",
                      "gunfire: several shots ringing out",
                      "a shotgun blast"],
        keywords=["gunshot", "gunshots", "shot", "shots", "gun", "gunfire", "pistol", "rifle", "shotgun",
                  "firing", "fires", "machine"],
        default_duration_s=3.0)
def gunshot(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    kind = "silenced" if req.has("silenced", "suppressed", "silencer", "suppressor") else \
        "shotgun" if req.has("shotgun") else "rifle" if req.has("rifle", "sniper") else \
        "pistol" if req.has("pistol", "handgun", "revolver") else "gun"
    auto = req.has("machine gun", "machine-gun", "machinegun", "automatic", "burst", "rapid fire", "submachine")
    rps = rng.uniform(8.0, 10.5) * min(max(req.rate, 0.6), 1.05)
    if req.count is not None:
        c = max(0, int(req.count))
        if auto:
            times = rng.uniform(0.08, 0.2) + np.arange(c) / rps + rng.normal(0, 0.003, c)
            if c and times[-1] > dur - 0.4:
                times = _spread(c, dur, rng, gap_s=1 / rps, tail_s=0.3, jitter=0.05)
        else:
            times = _spread(c, dur, rng, gap_s=rng.uniform(0.6, 1.4) / req.rate, tail_s=1.0, min_gap_s=0.12)
    elif auto:
        times, t = [], rng.uniform(0.08, 0.2)
        while t < dur - 0.6:
            k = int(rng.integers(4, 11))
            burst = t + np.arange(k) / rps + rng.normal(0, 0.003, k)
            times.extend(burst[burst < dur - 0.4])
            t = burst[-1] + rng.uniform(0.6, 2.2)
        times = np.asarray(times)
    elif dur <= 5.0:
        times = np.array([rng.uniform(0.05, 0.15)])
    else:  # sporadic shots, sometimes a double tap
        times = list(_pattern(dur, rng, first=(0.05, 0.2), every=(1.5, 4.5), tail_s=1.5))
        for i in range(len(times) - 1, 0, -1):
            if rng.random() < 0.25:
                times.insert(i + 1, times[i] + rng.uniform(0.25, 0.45))
        times = np.asarray(times)
    times = np.sort(times[(times >= 0) & (times < dur)])
    indoor = bool(req.indoor) or req.has("indoors", "inside", "room", "hallway", "corridor")
    pool = [_shot_grain(sr, rng, kind, indoor) for _ in range(4)]
    out = np.zeros(n)
    amps = rng.uniform(0.85, 1.0, times.size)
    for t, a in zip(times, amps):
        dsp.place_signal(out, pool[int(rng.integers(4))], int(round(t * sr)), a)
    if kind == "silenced" or times.size == 0:
        return _punch(dsp.remove_dc(out, sr, cutoff_hz=40.0, order=2), 2.0)
    # echo tail: diffuse reverberant noise whose envelope is driven by the shots, plus a
    # few discrete slap-back echoes from buildings / the valley side (outdoors)
    tail_t60 = rng.uniform(0.5, 0.9) if indoor else rng.uniform(1.4, 2.6)
    driver = _decay_env(n, sr, times + 0.012, amps, tail_t60, attack_s=0.03)
    if not indoor:
        # slap-backs stand a few dB above the decaying tail at their delay (smeared, not clicks)
        for d in (rng.uniform(0.12, 0.3), rng.uniform(0.35, 0.7), rng.uniform(0.8, 1.3)):
            g = rng.uniform(0.6, 1.0) * 10 ** (-3.0 * d / tail_t60)
            driver += _decay_env(n, sr, times + d, amps * g, 0.4, attack_s=0.06)
    tail = dsp.butter(rng.standard_normal(n), sr, (120.0, rng.uniform(1500, 2600) if not indoor else 3500.0),
                 "bandpass")
    # a diffuse tail is dense: flatten the noise's own ms-scale fluctuations (a reverb tail
    # sums thousands of reflections, it does not flutter like narrow-band noise)
    tail = _flatten(tail, max(8, int(0.0015 * sr)))
    return _punch(dsp.remove_dc(out + (0.03 if auto else 0.11) * tail * driver, sr, cutoff_hz=30.0, order=2), 1.2 if auto else 3.0)


# --------------------------------------------------------------------------------------
# impact thud: low modal thump of a heavy body, shaped by the surface
# --------------------------------------------------------------------------------------
def _thud_grain(sr, rng, req: SynthRequest) -> np.ndarray:
    heavy = 0.5 * req.size + 0.5 * req.intensity
    surf = req.surface or ("metal" if _is_metal(req) else None)
    punch = req.has("punch", "punches", "punched", "hit", "kick", "blow")
    box = req.has("box", "boxes", "crate", "cardboard", "package", "parcel")
    m = int(1.0 * sr)
    g = np.zeros(m)
    if punch:
        f1 = rng.uniform(90, 150)
        body = _modes_grain(sr, 0.3, f1 * np.array([1, 1.7, 2.6]), [0.12, 0.08, 0.05], [1, 0.5, 0.3])
        slap = _burst(sr, rng, 0.015, lp_hz=3500.0, hp_hz=600.0, t60_s=0.012)
        g[:body.size] += body
        g[:slap.size] += 0.6 * slap / (np.max(np.abs(slap)) + 1e-9)
        return g
    f1 = rng.uniform(45, 70) * (1.35 - 0.6 * heavy)
    ratios = np.array([1.0, 1.52, 2.3, 3.1, 4.4])
    t60 = rng.uniform(0.18, 0.3) * (0.8 + 0.6 * heavy) / (1 + 0.25 * ratios)
    body = _modes_grain(sr, 0.8, f1 * ratios * rng.uniform(0.97, 1.03, 5), t60,
                        np.array([1.0, 0.6, 0.4, 0.25, 0.15]) * rng.uniform(0.7, 1.0, 5))
    g[:body.size] += body
    contact_lp = {"carpet": 250.0, "grass": 350.0, "mud": 300.0, "sand": 350.0, "snow": 300.0,
                  "concrete": 1800.0, "metal": 2500.0, "wood": 1000.0}.get(surf or "", 700.0)
    contact = _burst(sr, rng, 0.05, lp_hz=contact_lp * (0.7 + 0.6 * req.intensity), t60_s=0.04)
    g[:contact.size] += 0.7 * contact / (np.max(np.abs(contact)) + 1e-9)
    if surf == "wood" or (surf is None and bool(req.indoor)):   # floorboards boom
        ff = rng.uniform(90, 140) * np.array([1.0, 1.7, 2.5, 3.6])
        fl = _modes_grain(sr, 0.6, ff, [0.3, 0.2, 0.15, 0.1], [0.6, 0.4, 0.3, 0.2])
        g[:fl.size] += fl
    elif surf in ("metal", "tin"):
        mf = rng.uniform(180, 300) * np.sort(np.concatenate([[1.0], rng.uniform(1.3, 12, 8)]))
        mg = _modes_grain(sr, 1.0, mf, rng.uniform(0.4, 0.9, mf.size), rng.uniform(0.15, 0.4, mf.size))
        g[:mg.size] += mg
    elif surf == "concrete":
        cf = _burst(sr, rng, 0.02, hp_hz=1500.0, t60_s=0.01)
        g[:cf.size] += 0.3 * cf / (np.max(np.abs(cf)) + 1e-9)
    if box:
        bf = rng.uniform(180, 320) * np.array([1.0, 1.45, 2.1, 2.9])
        bg = _modes_grain(sr, 0.2, bf, [0.09, 0.07, 0.05, 0.04], [0.8, 0.6, 0.4, 0.3])
        rustle = _burst(sr, rng, 0.08, lp_hz=4000.0, hp_hz=1000.0, t60_s=0.07)
        g[:bg.size] += bg
        g[:rustle.size] += 0.25 * rustle / (np.max(np.abs(rustle)) + 1e-9)
    return g


@recipe("impact_thud",
        descriptions=["a heavy body dropping to the floor with a dull thump",
                      "a sack of something heavy falling onto the ground",
                      "a hard punch landing with a thud",
                      "a box falling off a shelf and hitting the floor",
                      "something heavy hitting the ground"],
        keywords=["thud", "thuds", "thump", "thumps", "drop", "dropped", "falls", "fall", "punch", "impact",
                  "hit", "body"],
        default_duration_s=2.0)
def impact_thud(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    if req.count is not None:
        times = _spread(int(req.count), dur, rng, gap_s=1.0 / req.rate, start=(0.05, 0.15), tail_s=0.5,
                        min_gap_s=0.15)
    elif dur <= 4.0:
        times = np.array([rng.uniform(0.05, 0.15)])
    else:
        times = _pattern(dur, rng, first=(0.05, 0.2), every=(2.5, 5.0), tail_s=0.8)
    out = np.zeros(n)
    for t in times:
        dsp.place_signal(out, _thud_grain(sr, rng, req), int(round(t * sr)), rng.uniform(0.8, 1.0))
    return _punch(dsp.remove_dc(out, sr, cutoff_hz=25.0, order=2), 1.5)


# --------------------------------------------------------------------------------------
# whoosh: band-passed noise with a swept centre, an amplitude swell and a pan sweep
# --------------------------------------------------------------------------------------
def _whoosh(sr, rng, req: SynthRequest, length_s: float) -> np.ndarray:
    m = int(length_s * sr)
    u = np.arange(m) / max(m - 1, 1)
    peak_at = rng.uniform(0.35, 0.6)
    bump = np.where(u < peak_at, np.sin(0.5 * np.pi * u / peak_at),
                    np.cos(0.5 * np.pi * (u - peak_at) / (1 - peak_at))) ** 2
    speed = 0.5 + 0.5 * req.intensity
    f_lo = rng.uniform(250, 500) * (1.3 - 0.6 * req.size)
    f_hi = rng.uniform(1000, 2400) * (0.6 + 0.8 * speed) * (1.2 - 0.5 * req.size)
    fc = f_lo * (f_hi / f_lo) ** (bump ** 0.8)
    bw_oct = rng.uniform(0.6, 1.0)
    noise = rng.standard_normal(m)
    centres = np.geomspace(150.0, min(10000.0, 0.42 * sr), 12)
    lf = np.log2(fc)
    w_all = np.exp(-0.5 * ((lf[None, :] - np.log2(centres)[:, None]) / bw_oct) ** 2)
    w_all /= np.sqrt(np.sum(w_all ** 2, axis=0, keepdims=True)) + 1e-12
    y = np.zeros(m)
    for c, w in zip(centres, w_all):
        if w.max() > 0.02:
            y += w * dsp.butter(noise, sr, (c / 1.5, min(c * 1.5, 0.45 * sr)), "bandpass")
    y *= bump ** rng.uniform(1.6, 2.6)
    if req.has("sword", "blade", "whip", "stick", "swing", "swish"):  # a faint aeolian whistle
        y += 0.15 * np.sin(dsp.sweep_phase(fc * 1.1, sr)) * bump ** 3 * np.std(y) / 0.2
    # pan sweep across the stereo field as the object passes
    direction = rng.choice([-1.0, 1.0])
    pan = 0.5 + direction * 0.4 * np.tanh(3 * (u - peak_at))
    return np.stack([y * np.cos(0.5 * np.pi * pan), y * np.sin(0.5 * np.pi * pan)])


@recipe("whoosh",
        descriptions=["a fast swoosh of something swinging through the air",
                      "a sword swishing past",
                      "an object flying by with a rushing whoosh",
                      "a quick swish of a cape or a stick cutting the air",
                      "a transition whoosh sweeping across"],
        keywords=["whoosh", "swoosh", "swish", "woosh", "swing", "swipe", "rush", "flying", "passes", "whizz", "whiz",
                  "whizzing", "whizzes", "whizzed", "zooming", "zooms", "arrow", "arrows", "zip past", "zips past"],
        stereo_width=0.2, default_duration_s=1.5)
def whoosh(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    short = req.has("swish", "sword", "whip", "blade", "swipe", "stick")
    length = lambda: (rng.uniform(0.22, 0.45) if short else rng.uniform(0.5, 1.1) * (0.8 + 0.5 * req.size)) \
        / max(req.rate, 0.3)
    if req.count is not None:
        times = _spread(int(req.count), dur, rng, gap_s=max(0.5, 1.2 / req.rate), start=(0.02, 0.1),
                        tail_s=0.5, min_gap_s=0.2)
    elif dur <= 2.5:
        times = np.array([rng.uniform(0.02, 0.1) * dur])
    else:
        times = _pattern(dur, rng, first=(0.05, 0.3), every=(1.2, 3.5), tail_s=0.7)
    out = np.zeros((2, n))
    for t in times:
        ln = min(length(), dur - t)
        if ln > 0.05:
            dsp.place_signal(out, _whoosh(sr, rng, req, ln), int(round(t * sr)), rng.uniform(0.8, 1.0))
    return out
