"""Small, vectorised DSP building blocks shared by every procedural recipe.

Conventions (pedalboard/librosa style): pure functions, arrays in -> new arrays out,
keyword-only options, units in names. Mono signals are 1-D float arrays; the sample
rate is always passed. Nothing here loops per sample in Python: recipes must stay
far faster than real time (the catalog's budget is >= 100x real time on 2 cores).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import signal

__all__ = [
    "n_samples", "time_axis", "white", "pink", "brown", "butter", "lowpass", "highpass",
    "bandpass", "bandstop", "resonator", "modal_bank", "exp_decay", "adsr", "smooth_noise",
    "poisson_times", "regular_times", "place_grains", "impulse_train", "place_signal",
    "db_to_gain", "gain_to_db", "normalize_peak", "fade_edges", "edge_envelope", "fade_and_center", "remove_dc", "stereo_from_mono",
    "decorrelate", "freq_mod_sine", "soft_clip", "rms", "sweep_phase",
    "normalize_rms", "denormal_floor", "denormal_guard", "overlap_add", "scatter_grains", "low_rate_factor",
    "upsample", "control_up",
]


def n_samples(duration_s: float, sample_rate: int) -> int:
    """Exact frame count for a duration, the engine-wide rule: round(d * sr)."""
    return int(round(duration_s * sample_rate))


def time_axis(n: int, sample_rate: int) -> np.ndarray:
    return np.arange(n, dtype=np.float64) / sample_rate


def db_to_gain(db):
    return 10.0 ** (np.asarray(db, dtype=np.float64) / 20.0)


def gain_to_db(g, floor_db: float = -240.0):
    g = np.maximum(np.abs(np.asarray(g, dtype=np.float64)), 10 ** (floor_db / 20))
    return 20.0 * np.log10(g)


def rms(x: np.ndarray) -> float:
    """Root mean square over all samples (any shape), accumulated in float64 without a
    squared temporary (einsum: no BLAS threads)."""
    x = np.ravel(np.asarray(x))
    if x.size == 0:
        return 0.0
    if x.dtype != np.float32:
        x = x.astype(np.float64, copy=False)
    return float(np.sqrt(np.einsum("i,i->", x, x, dtype=np.float64) / x.size))


def normalize_rms(x: np.ndarray, target: float = 1.0) -> np.ndarray:
    """x scaled to the given RMS (silence stays silence); keeps float32 as float32."""
    x = np.asarray(x)
    g = target / (rms(x) + 1e-12)
    return x * (np.float32(g) if x.dtype == np.float32 else g)


# --- denormal guard ------------------------------------------------------------------
_FLOOR = np.zeros(0)
DENORMAL_LEVEL = 1e-15  # about -300 dBFS: far below any audible or measurable level


def denormal_floor(n: int, *, level: float = DENORMAL_LEVEL) -> np.ndarray:
    """A fixed, deterministic (seed-independent) noise floor of n samples, float64.

    Recursive (IIR) filters fed with sparse signals (impulse trains, scattered grains,
    gated noise) let their state decay into subnormal floats during silences, which
    makes scipy's filters 10-20x slower. Starting from this floor keeps them normal."""
    global _FLOOR
    if _FLOOR.size < n:
        _FLOOR = np.random.default_rng(0x5EED).standard_normal(max(n, 2 * _FLOOR.size))
    f = _FLOOR[:n] * level
    return f


def denormal_guard(x: np.ndarray, *, level: float = DENORMAL_LEVEL) -> np.ndarray:
    """x (float64) plus the denormal floor along its last axis: use before an IIR
    filter on a sparse signal. The floor is inaudible (<= 1e-6 difference in the
    filtered output for any sane filter)."""
    x = np.asarray(x, dtype=np.float64)
    return x + denormal_floor(x.shape[-1], level=level)


# --- noise -----------------------------------------------------------------------
def white(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal(n)


def _shaped(n: int, rng: np.random.Generator, exponent: float) -> np.ndarray:
    """Noise with power spectrum ~ 1/f**exponent, by FFT shaping; unit RMS."""
    if n <= 1:
        return np.zeros(n)
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(spec.size, dtype=np.float64)
    f[0] = 1.0
    spec *= f ** (-exponent / 2.0)
    spec[0] = 0.0
    x = np.fft.irfft(spec, n)
    return x / (rms(x) + 1e-12)


def pink(n: int, rng: np.random.Generator) -> np.ndarray:
    """Pink (1/f) noise, unit RMS, zero mean."""
    return _shaped(n, rng, 1.0)


def brown(n: int, rng: np.random.Generator) -> np.ndarray:
    """Brown (1/f^2) noise, unit RMS, zero mean (no DC: the 0 Hz bin is removed)."""
    return _shaped(n, rng, 2.0)


def smooth_noise(n: int, sample_rate: int, rate_hz: float, rng: np.random.Generator,
                 *, lo: float = 0.0, hi: float = 1.0, hop: int = 1) -> np.ndarray:
    """A slow random control signal in [lo, hi]: cubic interpolation of random points
    spaced 1/rate_hz apart. Use for wind speed, swell, crowd density, flicker. With
    hop > 1 the spline is evaluated every hop samples and linearly interpolated (cheap
    at audio rate; fine while rate_hz << sample_rate / hop)."""
    if n == 0:
        return np.zeros(0)
    if hop > 1:
        m = n // hop + 2
        c = smooth_noise(m, max(1, sample_rate // hop), rate_hz, rng, lo=lo, hi=hi)
        return control_up(c, n, hop)
    step = max(1, int(sample_rate / max(rate_hz, 1e-3)))
    k = n // step + 4
    pts = rng.uniform(0.0, 1.0, k)
    x = np.arange(k) * step
    from scipy.interpolate import CubicSpline
    y = CubicSpline(x, pts)(np.arange(n) + step)
    return lo + (hi - lo) * np.clip(y, 0.0, 1.0)


# --- filters (second-order sections, stable at any order) -------------------------
@lru_cache(maxsize=512)
def _butter_sos(order: int, cutoff: tuple, btype: str, sample_rate: int) -> np.ndarray:
    return signal.butter(order, cutoff if len(cutoff) > 1 else cutoff[0], btype=btype, fs=sample_rate, output="sos")


def butter(x: np.ndarray, sample_rate: int, cutoff_hz, btype: str, *, order: int = 2) -> np.ndarray:
    """Butterworth filter as second-order sections (designs cached); float32 input
    stays float32."""
    nyq = sample_rate / 2.0
    c = np.clip(np.atleast_1d(np.asarray(cutoff_hz, dtype=np.float64)), 1.0, nyq * 0.98)
    if btype in ("bandpass", "bandstop") and c[0] >= c[1]:
        c = np.array([min(c[0], c[1] * 0.9), c[1]])
    sos = _butter_sos(order, tuple(round(float(v), 6) for v in c), btype, int(sample_rate))
    x = np.asarray(x)
    # a fresh copy per call: the design is cached, and sosfilt wants a writable array
    return signal.sosfilt(sos.astype(np.float32 if x.dtype == np.float32 else np.float64), x, axis=-1)


def lowpass(x, sample_rate, cutoff_hz, *, order=2):
    return butter(x, sample_rate, cutoff_hz, "lowpass", order=order)


def highpass(x, sample_rate, cutoff_hz, *, order=2):
    return butter(x, sample_rate, cutoff_hz, "highpass", order=order)


def bandpass(x, sample_rate, low_hz, high_hz, *, order=2):
    return butter(x, sample_rate, [low_hz, high_hz], "bandpass", order=order)


def bandstop(x, sample_rate, low_hz, high_hz, *, order=2):
    return butter(x, sample_rate, [low_hz, high_hz], "bandstop", order=order)


def resonator(x: np.ndarray, sample_rate: int, freq_hz: float, q: float) -> np.ndarray:
    """Two-pole resonant band-pass (RBJ constant 0 dB peak) at freq_hz with quality q."""
    w0 = 2 * np.pi * min(freq_hz, sample_rate * 0.49) / sample_rate
    alpha = np.sin(w0) / (2 * max(q, 1e-3))
    b = np.array([alpha, 0.0, -alpha])
    a = np.array([1 + alpha, -2 * np.cos(w0), 1 - alpha])
    return signal.lfilter(b / a[0], a / a[0], x)


def modal_bank(n: int, sample_rate: int, freqs_hz, decays_s, amps, *, phases=None) -> np.ndarray:
    """Sum of exponentially decaying sines (modal synthesis of a struck object).
    decays_s is the time to fall by 60 dB (T60) for each mode."""
    t = time_axis(n, sample_rate)
    freqs = np.asarray(freqs_hz, dtype=np.float64)[:, None]
    t60 = np.maximum(np.asarray(decays_s, dtype=np.float64)[:, None], 1e-4)
    a = np.asarray(amps, dtype=np.float64)[:, None]
    ph = 0.0 if phases is None else np.asarray(phases, dtype=np.float64)[:, None]
    keep = (freqs[:, 0] < sample_rate * 0.49)
    out = a * np.exp(-6.907755 * t / t60) * np.sin(2 * np.pi * freqs * t + ph)
    return out[keep].sum(axis=0) if keep.any() else np.zeros(n)


# --- envelopes ---------------------------------------------------------------------
def exp_decay(n: int, sample_rate: int, t60_s: float) -> np.ndarray:
    return np.exp(-6.907755 * time_axis(n, sample_rate) / max(t60_s, 1e-5))


def adsr(n: int, sample_rate: int, *, attack_s=0.01, decay_s=0.1, sustain=0.7, release_s=0.2) -> np.ndarray:
    """Linear-attack, exponential decay/release envelope filling exactly n samples."""
    t = time_axis(n, sample_rate)
    dur = n / sample_rate
    env = np.where(t < attack_s, t / max(attack_s, 1e-6), 1.0)
    dec = sustain + (1 - sustain) * np.exp(-(t - attack_s) / max(decay_s / 3, 1e-6))
    env = np.where(t >= attack_s, dec, env)
    rel_start = max(dur - release_s, attack_s)
    rel = np.clip(1.0 - (t - rel_start) / max(release_s, 1e-6), 0.0, 1.0)
    return env * np.where(t > rel_start, rel, 1.0)


def sweep_phase(freq_hz: np.ndarray, sample_rate: int) -> np.ndarray:
    """Phase (radians) of an oscillator whose instantaneous frequency is freq_hz per sample."""
    return 2 * np.pi * np.cumsum(np.asarray(freq_hz, dtype=np.float64)) / sample_rate


def freq_mod_sine(freq_hz: np.ndarray, sample_rate: int, phase0: float = 0.0) -> np.ndarray:
    return np.sin(sweep_phase(freq_hz, sample_rate) + phase0)


# --- event placement (vectorised; no per-event Python loops over samples) ---------
def poisson_times(duration_s: float, rate_hz: float, rng: np.random.Generator) -> np.ndarray:
    """Onset times (s) of a Poisson process with the given mean rate, sorted."""
    k = rng.poisson(max(rate_hz, 0.0) * duration_s)
    return np.sort(rng.uniform(0.0, duration_s, k))


def regular_times(duration_s: float, period_s: float, *, start_s: float = 0.0,
                  jitter: float = 0.0, rng: np.random.Generator | None = None) -> np.ndarray:
    """Onsets every period_s from start_s, each jittered by +-jitter*period (uniform)."""
    t = np.arange(start_s, duration_s, max(period_s, 1e-3))
    if jitter and rng is not None and t.size:
        t = t + rng.uniform(-jitter, jitter, t.size) * period_s
    return t[(t >= 0) & (t < duration_s)]


def overlap_add(n: int, starts, grains: np.ndarray, *, out: np.ndarray | None = None) -> np.ndarray:
    """Add each row of grains (k, L) into a length-n buffer starting at its integer
    start sample; samples falling outside [0, n) are dropped. Adds into `out` in place
    when given (e.g. a denormal floor), else into zeros (float64).

    Vectorised over grains: rows are split into interleaved groups whose members never
    overlap, and each group is one fancy-index add (the loop runs over the overlap
    depth, not the events); very dense clouds use one weighted bincount instead."""
    buf = np.zeros(n) if out is None else out
    grains = np.asarray(grains)
    starts = np.round(np.ravel(np.asarray(starts, dtype=np.float64))).astype(np.int64)
    if n == 0 or starts.size == 0 or grains.size == 0:
        return buf
    grains = grains.reshape(starts.size, -1)
    L = grains.shape[1]
    keep = (starts < n) & (starts + L > 0)
    if not keep.all():
        starts, grains = starts[keep], grains[keep]
        if starts.size == 0:
            return buf
    lo, hi = min(0, int(starts.min())), max(n, int(starts.max()) + L)
    work = buf if (lo == 0 and hi == n) else np.zeros(hi - lo, dtype=buf.dtype)
    st = starts - lo
    order = np.argsort(st, kind="stable")
    st, grains = st[order], grains[order]
    m = st.size
    depth = int(np.max(np.searchsorted(st, st + L) - np.arange(m)))
    ar = np.arange(L)
    if depth > 48:
        work += np.bincount((st[:, None] + ar).ravel(), weights=grains.ravel().astype(np.float64),
                            minlength=work.size)[: work.size].astype(work.dtype, copy=False)
    else:
        for k in range(depth):
            work[(st[k::depth, None] + ar).ravel()] += grains[k::depth].ravel()
    if work is not buf:
        buf += work[-lo: -lo + n]
    return buf


def scatter_grains(n: int, sample_rate: int, times_s, grains: np.ndarray, *, guard: bool = False) -> np.ndarray:
    """One grain row per onset time (s) overlap-added into (n,) float64; with guard=True
    the buffer starts from the denormal floor (for IIR filtering afterwards)."""
    out = denormal_floor(n) if guard else np.zeros(n)
    return overlap_add(n, np.asarray(times_s, dtype=np.float64) * sample_rate, grains, out=out)


def impulse_train(n: int, sample_rate: int, times_s, amps=None) -> np.ndarray:
    """Sparse impulses at the given times (summed where they collide)."""
    x = np.zeros(n)
    idx = np.round(np.asarray(times_s, dtype=np.float64) * sample_rate).astype(np.int64)
    a = np.ones(idx.size) if amps is None else np.broadcast_to(np.asarray(amps, dtype=np.float64), idx.shape)
    ok = (idx >= 0) & (idx < n)
    np.add.at(x, idx[ok], a[ok])
    return x


def place_grains(n: int, sample_rate: int, times_s, grain: np.ndarray, amps=None) -> np.ndarray:
    """Every onset gets the same grain: impulse train convolved (FFT) with the grain."""
    imp = impulse_train(n, sample_rate, times_s, amps)
    if not np.any(imp) or grain.size == 0:
        return np.zeros(n)
    return signal.oaconvolve(imp, grain)[:n]


def place_signal(out: np.ndarray, sig: np.ndarray, start_sample: int, gain: float = 1.0) -> None:
    """Add sig into out (in place) at start_sample, clipped to out's bounds."""
    n = out.shape[-1]
    if start_sample >= n or start_sample + sig.shape[-1] <= 0:
        return
    s0 = max(start_sample, 0)
    a0 = s0 - start_sample
    m = min(sig.shape[-1] - a0, n - s0)
    out[..., s0:s0 + m] += gain * sig[..., a0:a0 + m]


# --- multi-rate rendering -----------------------------------------------------------
def low_rate_factor(sample_rate: int, content_hz: float, *, max_factor: int = 4) -> int:
    """Largest integer decimation d <= max_factor (d divides sample_rate) whose rate
    still carries content_hz below 0.45 * sample_rate / d; 1 if none. Render a layer
    whose content sits below content_hz at sample_rate // d, then upsample()."""
    for d in range(int(max_factor), 1, -1):
        if sample_rate % d == 0 and sample_rate / d * 0.45 >= content_hz:
            return d
    return 1


def upsample(y: np.ndarray, factor: int, n: int) -> np.ndarray:
    """Polyphase upsampling by an integer factor along the last axis, exact length n
    (zero-padded or trimmed). factor 1 only fixes the length."""
    y = np.asarray(y)
    if factor > 1:
        y = signal.resample_poly(y, int(factor), 1, axis=-1)
    if y.shape[-1] < n:
        y = np.pad(y, [(0, 0)] * (y.ndim - 1) + [(0, n - y.shape[-1])])
    return y[..., :n]


def control_up(c: np.ndarray, n: int, step: float, *, hold: bool = False) -> np.ndarray:
    """A control curve with one value every `step` audio samples (step may be fractional)
    -> n audio samples: linear interpolation, or sample-and-hold (integer step) with
    hold=True (steps under a millisecond are inaudible on slow controls)."""
    c = np.asarray(c, dtype=np.float64)
    if hold:
        return np.repeat(c, int(step))[:n]
    return np.interp(np.arange(n) * (1.0 / step), np.arange(c.size), c)


# --- finishing ---------------------------------------------------------------------
def soft_clip(x: np.ndarray, drive: float = 1.0) -> np.ndarray:
    return np.tanh(drive * x) / np.tanh(max(drive, 1e-6))


def remove_dc(x: np.ndarray, sample_rate: int, *, cutoff_hz: float = 10.0, order: int = 1) -> np.ndarray:
    """Remove the mean, then a causal high-pass (first order by default) against slow
    drift. Causal on purpose: a zero-phase (forward-backward) filter would smear
    sub-audio content backwards into a slow swell *before* every hit. Recipes whose
    struck modes leave sub-audio 'DC area' use a steeper one (order=2, ~30 Hz).
    Keeps the input's float dtype."""
    x = np.asarray(x)
    if x.dtype not in (np.float32, np.float64):
        x = x.astype(np.float64)
    y = x - np.mean(x, axis=-1, keepdims=True, dtype=np.float64).astype(x.dtype)
    sos = _butter_sos(int(order), (float(cutoff_hz),), "highpass", int(sample_rate))
    return signal.sosfilt(sos.astype(y.dtype), y, axis=-1)


def edge_envelope(n: int, sample_rate: int, *, fade_in_s: float = 0.005, fade_out_s: float = 0.01) -> np.ndarray:
    """Raised-cosine fade-in/fade-out gain curve of n samples (1.0 in between)."""
    env = np.ones(n)
    for length_s, at_start in ((fade_in_s, True), (fade_out_s, False)):
        k = min(int(round(length_s * sample_rate)), n // 2)
        if k <= 0:
            continue
        ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(k) / k)
        if at_start:
            env[:k] *= ramp
        else:
            env[n - k:] *= ramp[::-1]
    return env


def fade_and_center(x: np.ndarray, sample_rate: int, *, fade_in_s: float = 0.005,
                    fade_out_s: float = 0.01) -> np.ndarray:
    """Edge fades that keep the mean at exactly zero: the residual mean left by fading
    is removed in proportion to the fade envelope, so the edges stay at zero. Works in
    place on a float copy and only touches the faded edges twice."""
    y = np.array(x, dtype=np.result_type(x.dtype, np.float32), copy=True)
    n = y.shape[-1]
    k_in = min(int(round(fade_in_s * sample_rate)), n // 2)
    k_out = min(int(round(fade_out_s * sample_rate)), n // 2)
    env_in = (0.5 - 0.5 * np.cos(np.pi * np.arange(k_in) / max(k_in, 1))).astype(y.dtype)
    env_out = (0.5 - 0.5 * np.cos(np.pi * np.arange(k_out) / max(k_out, 1)))[::-1].astype(y.dtype)
    if k_in:
        y[..., :k_in] *= env_in
    if k_out:
        y[..., n - k_out:] *= env_out
    env_sum = n - k_in - k_out + float(env_in.sum()) + float(env_out.sum())
    c = (np.sum(y, axis=-1, keepdims=True, dtype=np.float64) / max(env_sum, 1e-12)).astype(y.dtype)
    y -= c  # the flat middle ...
    if k_in:  # ... and the edges in proportion to their gain, so they still start/end at 0
        y[..., :k_in] += c * (1 - env_in)
    if k_out:
        y[..., n - k_out:] += c * (1 - env_out)
    return y


def normalize_peak(x: np.ndarray, peak_db: float = -1.0) -> np.ndarray:
    p = max(float(np.max(x)), -float(np.min(x))) if x.size else 0.0
    return x * np.asarray(db_to_gain(peak_db) / p, dtype=x.dtype) if p > 0 else x


def fade_edges(x: np.ndarray, sample_rate: int, *, fade_in_s: float = 0.005, fade_out_s: float = 0.01) -> np.ndarray:
    """Raised-cosine fades so no take starts or ends on a step."""
    return np.asarray(x, dtype=np.float64) * edge_envelope(x.shape[-1], sample_rate, fade_in_s=fade_in_s,
                                                           fade_out_s=fade_out_s)


def decorrelate(x: np.ndarray, sample_rate: int, rng: np.random.Generator, *, amount: float = 1.0) -> np.ndarray:
    """A second channel that is the same sound but not the same samples: a short
    random-phase allpass-like FIR (velvet noise, ~20 ms) blended in."""
    k = max(8, int(0.02 * sample_rate))
    fir = np.zeros(k)
    taps = rng.choice(k, size=max(4, k // 60), replace=False)
    fir[taps] = rng.choice([-1.0, 1.0], taps.size) * np.exp(-3.0 * taps / k)
    fir /= np.sqrt(np.sum(fir ** 2)) + 1e-12
    wet = signal.oaconvolve(np.asarray(x, np.float32), fir.astype(np.float32))[: x.shape[-1]].astype(np.float64)
    return (1 - amount) * x + amount * wet


def stereo_from_mono(x: np.ndarray, sample_rate: int, rng: np.random.Generator, *, width: float = 0.0) -> np.ndarray:
    """(2, n) from mono; width 0 = identical channels (a point source), 1 = fully
    decorrelated (a diffuse bed). Equal RMS per channel."""
    x = np.asarray(x, dtype=np.float64)
    if width <= 0:
        return np.stack([x, x])
    l = decorrelate(x, sample_rate, rng, amount=width)
    r = decorrelate(x, sample_rate, rng, amount=width)
    return np.stack([l, r])
