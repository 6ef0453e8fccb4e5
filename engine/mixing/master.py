"""Mastering: integrated loudness to a target (ITU-R BS.1770-4 via pyloudnorm),
then a look-ahead true-peak limiter (peak detected on a 4x oversampled signal)."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyloudnorm
from scipy import signal
from scipy.ndimage import minimum_filter1d

OVERSAMPLE = 4


@lru_cache(maxsize=16)
def _k_weighting(sample_rate: int) -> np.ndarray:
    """The BS.1770 K-weighting stages (shelf, high-pass) as designed by pyloudnorm, as
    one cascade of second-order sections."""
    meter = pyloudnorm.Meter(sample_rate)
    return np.concatenate([signal.tf2sos(f.b, f.a) for f in meter._filters.values()])


def integrated_lufs(audio: np.ndarray, sample_rate: int) -> float:
    """Integrated loudness (ITU-R BS.1770-4) of (channels, samples) stereo/mono audio;
    -inf for silence or < 0.4 s. pyloudnorm's K-weighting filters and gating rules,
    with the 400 ms / 75 %-overlap block powers computed from one cumulative sum instead
    of a Python loop per block (pyloudnorm is the reference in the tests: same value
    to 1e-6 LU)."""
    a = np.atleast_2d(np.asarray(audio, dtype=np.float64))
    n = a.shape[-1]
    block = 0.4
    if n < int(round(block * sample_rate)) or not np.any(a):
        return float("-inf")
    a = signal.sosfilt(_k_weighting(sample_rate), a, axis=-1)
    step = 0.25 * block
    n_blocks = int(np.round(((n / sample_rate - block) / step))) + 1
    lo = np.array([int(block * (k * 0.25) * sample_rate) for k in range(n_blocks)], dtype=np.int64)
    hi = np.array([int(block * (k * 0.25 + 1) * sample_rate) for k in range(n_blocks)], dtype=np.int64)
    hi = np.minimum(hi, n)
    # L/R (and C) channel weights are 1.0, so the channel sum can come before the blocks
    sq = np.einsum("cn,cn->n", a, a)
    csum = np.concatenate([[0.0], np.cumsum(sq)])
    power = (csum[hi] - csum[lo]) / (block * sample_rate)
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(power)
    gated = loud >= -70.0
    if not np.any(gated):
        return float("-inf")
    rel = -0.691 + 10 * np.log10(np.mean(power[gated])) - 10.0
    keep = gated & (loud > rel)
    if not np.any(keep):
        return float("-inf")
    return float(-0.691 + 10 * np.log10(np.mean(power[keep])))


@lru_cache(maxsize=1)
def _polyphase(taps_per_phase: int = 16) -> np.ndarray:
    """(OVERSAMPLE, taps + 1) interpolation filters: a Kaiser-windowed sinc low-pass at
    the original Nyquist with an odd length (so its delay is a whole number of original
    samples and phase 0 lands exactly on the input samples), split into its phases
    (the BS.1770-4 Annex 2 structure, 16 rather than 12 taps per phase)."""
    length = OVERSAMPLE * taps_per_phase + 1
    h = signal.firwin(length, 1.0 / OVERSAMPLE, window=("kaiser", 8.0)) * OVERSAMPLE
    h = np.pad(h, (0, OVERSAMPLE * (taps_per_phase + 1) - length))
    return np.stack([h[p::OVERSAMPLE] for p in range(OVERSAMPLE)])


def true_peak_envelope(audio: np.ndarray) -> np.ndarray:
    """Per original sample, the largest |value| of the 4x oversampled signal around it
    (max over channels and phases). Shape (samples,). Each phase is a short FIR over
    the original samples (float32: a peak meter needs ~0.001 dB, not 1e-12)."""
    a = np.atleast_2d(np.asarray(audio, dtype=np.float32))
    n = a.shape[-1]
    phases = _polyphase().astype(np.float32)
    delay = (OVERSAMPLE * (phases.shape[1] - 1)) // 2 // OVERSAMPLE  # whole original samples
    peak = np.max(np.abs(a), axis=0)
    for h in phases[1:]:  # phase 0 reproduces the input samples themselves
        for ch in a:
            y = np.convolve(ch, h)[delay: delay + n]
            np.maximum(peak, np.abs(y), out=peak)
    return peak.astype(np.float64)


def true_peak_db(audio: np.ndarray) -> float:
    p = float(np.max(true_peak_envelope(audio))) if np.size(audio) else 0.0
    return 20 * np.log10(p) if p > 0 else float("-inf")


def limit(audio: np.ndarray, sample_rate: int, ceiling_db: float = -1.0, *, window_s: float = 0.006,
          return_peak: bool = False):
    """True-peak limiter. The gain needed at each sample (ceiling / true peak) is held
    by a minimum filter over +-window and smoothed by a Hann average of the same
    support, so the smoothed gain is never above the needed gain at any sample (no
    overshoot) and changes over ~2*window (no clicks). Offline, so look-ahead is free.
    Only the stretches the gain touched are re-measured after each pass."""
    a = np.array(audio, dtype=np.float64, copy=True)
    limit_lin = 10 ** (ceiling_db / 20.0)
    ceiling = 10 ** ((ceiling_db - 0.02) / 20.0)
    half = max(1, int(window_s * sample_rate))
    w = np.hanning(2 * half + 3)[1:-1]
    w /= w.sum()
    tp = true_peak_envelope(a)
    for _ in range(4):  # gain applied at the base rate can leave a hair of inter-sample overshoot
        if tp.max() <= limit_lin:
            break
        need = np.minimum(1.0, ceiling / np.maximum(tp, 1e-12))
        held = minimum_filter1d(need, size=2 * half + 1, mode="nearest")
        smooth = signal.oaconvolve(np.pad(held, half, mode="edge"), w, mode="valid")
        touched = np.flatnonzero(smooth < 1.0)
        a *= smooth[None, :]
        # re-measure only where the signal changed (plus the interpolator's reach)
        margin = _polyphase().shape[1] + 1
        lo, hi = max(0, touched[0] - margin), min(a.shape[-1], touched[-1] + margin + 1)
        ctx_lo, ctx_hi = max(0, lo - margin), min(a.shape[-1], hi + margin)  # full filter context
        tp[lo:hi] = true_peak_envelope(a[:, ctx_lo:ctx_hi])[lo - ctx_lo: hi - ctx_lo]
    return (a, float(tp.max())) if return_peak else a


def master(audio: np.ndarray, sample_rate: int, *, loudness_lufs: float | None = -16.0,
           true_peak_db_ceiling: float | None = -1.0) -> tuple[np.ndarray, dict]:
    """Loudness normalisation then true-peak limiting; either step off with None."""
    if loudness_lufs is None and true_peak_db_ceiling is None:
        return audio, {"gain_db": 0.0}  # un-mastered: nothing to measure or change
    a = np.asarray(audio, dtype=np.float64)
    info: dict = {"input_lufs": integrated_lufs(a, sample_rate)}
    gain_db = 0.0
    if loudness_lufs is not None and np.isfinite(info["input_lufs"]):
        gain_db = float(loudness_lufs - info["input_lufs"])
        a = a * 10 ** (gain_db / 20.0)
    info["gain_db"] = gain_db
    if true_peak_db_ceiling is not None:
        a, tp = limit(a, sample_rate, true_peak_db_ceiling, return_peak=True)
        info["true_peak_db"] = 20 * np.log10(tp) if tp > 0 else float("-inf")
    else:
        info["true_peak_db"] = true_peak_db(a)
    info["output_lufs"] = integrated_lufs(a, sample_rate)
    return a, info
