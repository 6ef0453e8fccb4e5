"""Private, vectorised helpers shared by the nature recipes (nature.py, nature_water.py).

Underscore module: the recipe package does not auto-import it, it registers nothing.
Everything is sample-rate agnostic and uses only the request's generator for randomness.
"""
from __future__ import annotations

import numpy as np
from scipy import signal
from scipy.interpolate import CubicSpline

from .. import dsp

CTRL_RATE = 200.0  # Hz, grid for slow control signals (wind speed, swell, density)


# --- cheap noise -------------------------------------------------------------------
def noise(n: int, rng: np.random.Generator, channels: int = 0) -> np.ndarray:
    """Unit-variance uniform white noise (float32 generation is ~6x faster than normal)."""
    shape = (channels, n) if channels else n
    return (rng.random(shape, dtype=np.float32) - 0.5) * np.float32(3.4641016)


_PINK_B = np.array([0.049922035, -0.095993537, 0.050612699, -0.004408786])
_PINK_A = np.array([1.0, -2.494956002, 2.017265875, -0.522189400])


def pink(n: int, rng: np.random.Generator, channels: int = 0) -> np.ndarray:
    """Approximately 1/f noise from a 3-pole/3-zero filter over white noise (~unit RMS)."""
    return signal.lfilter(_PINK_B, _PINK_A, noise(n, rng, channels), axis=-1) * 9.0


def brown(n: int, sr: int, rng: np.random.Generator, corner_hz: float = 20.0) -> np.ndarray:
    """1/f^2 above corner_hz (leaky integrator), flat below: no DC build-up."""
    p = np.exp(-2 * np.pi * corner_hz / sr)
    y = signal.lfilter([1.0 - p], [1.0, -p], noise(n, rng))
    return y / (dsp.rms(y) + 1e-12)


# --- slow control signals ----------------------------------------------------------
def ctrl_grid(n: int, sr: int) -> np.ndarray:
    """Time axis (s) of the control grid covering n samples."""
    return np.arange(int(np.ceil(n / sr * CTRL_RATE)) + 2) / CTRL_RATE


def ctrl(n: int, sr: int, rate_hz: float, rng: np.random.Generator, lo: float = 0.0,
         hi: float = 1.0) -> np.ndarray:
    """A slow random curve on the control grid (not audio rate), cubic through random
    points 1/rate_hz apart, in [lo, hi]."""
    tc = ctrl_grid(n, sr)
    k = int(tc[-1] * rate_hz) + 4
    knots = (np.arange(k) - 1) / rate_hz
    y = CubicSpline(knots, rng.random(k))(tc)
    return lo + (hi - lo) * np.clip(y, 0.0, 1.0)


def thin(times: np.ndarray, density: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Keep Poisson onsets with probability density(t) in [0, 1] (density on the control grid)."""
    if times.size == 0:
        return times
    p = np.interp(times * CTRL_RATE, np.arange(density.size), density)
    return times[rng.random(times.size) < p]


def bump(tc: np.ndarray, t0: float, attack_s: float, release_s: float) -> np.ndarray:
    """Smooth asymmetric bump on the control grid: raised-cosine rise, exponential fall."""
    x = np.zeros_like(tc)
    rise = (tc >= t0 - attack_s) & (tc < t0)
    x[rise] = 0.5 - 0.5 * np.cos(np.pi * (tc[rise] - (t0 - attack_s)) / attack_s)
    fall = tc >= t0
    x[fall] = np.exp(-(tc[fall] - t0) / release_s)
    return x


# --- grain placement (vectorised over grains; loops only over overlap depth) -------
def _starts(times_s, n: int, sr: int):
    st = np.round(np.asarray(times_s, dtype=np.float64) * sr).astype(np.int64)
    ok = (st >= 0) & (st < n)
    return st, ok


def _pan_mix(bufs, n: int, spread: float) -> np.ndarray:
    """Left / centre / right buffers -> (2, n)."""
    bleed = 1.0 - spread
    l, c, r = (b[:n] for b in bufs)
    return np.stack([l + 0.75 * c + bleed * r, r + 0.75 * c + bleed * l])


def scatter_stereo(n: int, times_s: np.ndarray, grains: np.ndarray, sr: int,
                   rng: np.random.Generator, spread: float = 0.8) -> np.ndarray:
    """Place each grain left, centre or right (cost of one mono scatter) -> (2, n)."""
    bufs = [dsp.denormal_floor(n + grains.shape[-1] + 1) for _ in range(3)]
    st, ok = _starts(times_s, n, sr)
    side = rng.integers(0, 3, st.size)
    for s in range(3):
        sel = ok & (side == s)
        dsp.overlap_add(bufs[s].size, st[sel], grains[sel], out=bufs[s])
    return _pan_mix(bufs, n, spread)


def bubbles(sr: int, f0, tau_s, rise, amp, length_s: float | None = None) -> np.ndarray:
    """Bubble / plink grains (M, L): a sine whose pitch rises exponentially by `rise`
    (ratio over 3 time constants) with an exponential amplitude decay tau_s. The
    pitch is muted before it would pass 0.45 * sr (no aliasing at low sample rates);
    grains end at ~-30 dB with a short taper."""
    f0 = np.asarray(f0, dtype=np.float64)[:, None]
    tau = np.asarray(tau_s, dtype=np.float64)[:, None]
    k = np.log(np.maximum(np.asarray(rise, dtype=np.float64), 1.0001))[:, None] / (3 * tau)
    L = max(4, int(np.ceil((length_s if length_s else 3.5 * float(tau.max())) * sr)))
    t = (np.arange(L) / sr)[None, :]
    ph = 2 * np.pi * f0 * np.expm1(k * t) / k
    env = np.exp(-t / tau) * (1.0 - np.exp(-t * (sr / 8.0)))
    env = np.where(f0 * np.exp(k * t) < 0.45 * sr, env, 0.0)
    m = max(2, L // 8)
    env[:, L - m:] *= np.linspace(1.0, 0.0, m)
    return (np.asarray(amp, dtype=np.float64)[:, None] * env * np.sin(ph)).astype(np.float32)


def bubble_layer(n: int, sr: int, times: np.ndarray, f0, tau, rise, amp, rng=None,
                 stereo: bool = False, classes: int = 5, bins: int = 48) -> np.ndarray:
    """Many bubbles, cheaply: grains are grouped into a few length classes (by decay) and,
    inside each, share one of `bins` pitch templates (log-spaced centres of the actual
    pitches); each grain is its template times its own amplitude. Stereo: each bubble
    sits left, centre or right."""
    times = np.asarray(times, dtype=np.float64)
    if times.size == 0:
        return np.zeros((2, n)) if stereo else np.zeros(n)
    f0, tau, rise, amp = (np.broadcast_to(np.asarray(v, dtype=np.float64), times.shape) for v in (f0, tau, rise, amp))
    st, ok = _starts(times, n, sr)
    pad = int(np.ceil(3.5 * float(tau.max()) * sr)) + 8
    bufs = [dsp.denormal_floor(n + pad) for _ in range(3 if stereo else 1)]
    side = rng.integers(0, 3, times.size) if stereo else np.zeros(times.size, dtype=np.int64)
    lf = np.log(f0)
    fb = np.clip(((lf - lf.min()) / (np.ptp(lf) + 1e-9) * bins).astype(np.int64), 0, bins - 1)
    edges = np.quantile(tau, np.linspace(0, 1, classes + 1))
    cls = np.clip(np.searchsorted(edges, tau, side="right") - 1, 0, classes - 1)
    for c in range(classes):
        sel = np.flatnonzero((cls == c) & ok)
        if sel.size == 0:
            continue
        ub, inv = np.unique(fb[sel], return_inverse=True)
        cnt = np.bincount(inv)
        mean = lambda v: np.bincount(inv, weights=v[sel]) / cnt
        tmpl = bubbles(sr, np.exp(mean(lf)), mean(tau), mean(rise), np.ones(ub.size),
                       length_s=3.5 * float(tau[sel].max()))
        g = tmpl[inv] * amp[sel].astype(np.float32)[:, None]
        for s in range(len(bufs)):
            m = side[sel] == s
            dsp.overlap_add(bufs[s].size, st[sel][m], g[m], out=bufs[s])
    return _pan_mix(bufs, n, 0.8) if stereo else bufs[0][:n]


def narrowband(n: int, sr: int, freq_hz, bw_hz: float, rng: np.random.Generator,
               harmonics=((1.0, 1.0),)) -> np.ndarray:
    """Narrow-band noise around a (time-varying) centre frequency: a sine whose
    frequency wanders randomly by ~bw_hz and whose level flickers (a cheap stand-in
    for noise through a swept high-Q resonator). harmonics: (multiple, gain) pairs
    sharing the same wandering phase (e.g. the odd modes of a tube)."""
    m = int(np.ceil(n / sr * CTRL_RATE)) + 2
    bw_c = min(max(bw_hz, 0.5), 0.4 * CTRL_RATE)
    dev = dsp.lowpass(rng.standard_normal(m), CTRL_RATE, bw_c, order=1)
    dev *= bw_hz / (dsp.rms(dev) + 1e-12)
    am = dsp.lowpass(rng.standard_normal(m), CTRL_RATE, bw_c, order=1)
    am = np.clip(1.0 + 0.4 * am / (dsp.rms(am) + 1e-12), 0.0, None)
    f = np.clip(np.asarray(freq_hz, dtype=np.float64) + dsp.control_up(dev, n, sr / CTRL_RATE), 1.0, 0.45 * sr)
    ph = dsp.sweep_phase(f, sr)
    out = np.zeros(n)
    for h, g in harmonics:
        if h == 1.0:
            out += g * np.sin(ph)
        else:
            out += g * np.where(h * f < 0.45 * sr, np.sin(h * ph + rng.uniform(0, 6.3)), 0.0)
    return out * dsp.control_up(am, n, sr / CTRL_RATE)


def shift_add(x: np.ndarray, delays_s, gains, sr: int) -> np.ndarray:
    """Sparse echoes: sum of delayed, scaled copies of x (a few taps)."""
    n = x.shape[-1]
    out = np.zeros_like(x)
    for d, g in zip(delays_s, gains):
        k = int(round(d * sr))
        if 0 <= k < n:
            out[..., k:] += g * x[..., : n - k]
    return out


def cue_intensity(req, calm: tuple = (), strong: tuple = ()) -> float:
    """req.intensity nudged by caption words (a 'drizzle' is never heavy)."""
    i = float(np.clip(req.intensity, 0.0, 1.0))
    if calm and req.has(*calm):
        i = min(i, 0.3)
    if strong and req.has(*strong):
        i = max(i, 0.8)
    return i


def strike_times(duration_s: float, count: int | None, default: int, rng: np.random.Generator,
                 *, head_s: float = 0.05, tail_s: float = 0.3, min_gap_s: float = 0.12) -> np.ndarray:
    """Exactly `count` (or `default`) onsets spread over the take: evenly spaced slots,
    jittered inside each slot, never closer than min_gap_s."""
    k = int(count) if count is not None else int(default)
    if k <= 0:
        return np.zeros(0)
    span = max(duration_s - head_s - tail_s, 1e-3)
    slot = span / k
    jit = rng.uniform(0.15, 0.85, k) if slot > 2 * min_gap_s else np.full(k, 0.5)
    return head_s + (np.arange(k) + jit) * slot
