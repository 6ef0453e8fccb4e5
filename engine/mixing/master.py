"""Mastering: integrated loudness to a target (ITU-R BS.1770-4 via pyloudnorm),
then a look-ahead true-peak limiter (peak detected on a 4x oversampled signal)."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyloudnorm
from scipy import signal
from scipy.ndimage import minimum_filter1d

OVERSAMPLE = 4


def integrated_lufs(audio: np.ndarray, sample_rate: int) -> float:
    """Integrated loudness of (channels, samples) audio; -inf for silence or < 0.4 s."""
    a = np.asarray(audio, dtype=np.float64)
    if a.shape[-1] < int(0.4 * sample_rate) or not np.any(a):
        return float("-inf")
    return float(pyloudnorm.Meter(sample_rate).integrated_loudness(a.T))


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
    the original samples: a few multiply-adds per sample."""
    a = np.atleast_2d(np.asarray(audio, dtype=np.float64))
    n = a.shape[-1]
    phases = _polyphase()
    delay = (OVERSAMPLE * (phases.shape[1] - 1)) // 2 // OVERSAMPLE  # whole original samples
    peak = np.max(np.abs(a), axis=0)
    for h in phases[1:]:  # phase 0 reproduces the input samples themselves
        for ch in a:
            y = np.convolve(ch, h)[delay: delay + n]
            np.maximum(peak, np.abs(y), out=peak)
    return peak


def true_peak_db(audio: np.ndarray) -> float:
    p = float(np.max(true_peak_envelope(audio))) if np.size(audio) else 0.0
    return 20 * np.log10(p) if p > 0 else float("-inf")


def limit(audio: np.ndarray, sample_rate: int, ceiling_db: float = -1.0, *, window_s: float = 0.006) -> np.ndarray:
    """True-peak limiter. The gain needed at each sample (ceiling / true peak) is
    held by a minimum filter over +-window and smoothed by a Hann average of the same
    support, so the smoothed gain is never above the needed gain at any sample (no
    overshoot) and changes over ~2*window (no clicks). Offline, so look-ahead is free."""
    a = np.asarray(audio, dtype=np.float64)
    ceiling = 10 ** ((ceiling_db - 0.02) / 20.0)
    for _ in range(3):  # gain applied at the base rate can leave a hair of inter-sample overshoot
        tp = true_peak_envelope(a)
        if tp.max() <= 10 ** (ceiling_db / 20.0):
            break
        need = np.minimum(1.0, ceiling / np.maximum(tp, 1e-12))
        half = max(1, int(window_s * sample_rate))
        held = minimum_filter1d(need, size=2 * half + 1, mode="nearest")
        w = np.hanning(2 * half + 3)[1:-1]
        w /= w.sum()
        smooth = signal.oaconvolve(np.pad(held, half, mode="edge"), w, mode="valid")
        a = a * smooth[None, :]
    return a


def master(audio: np.ndarray, sample_rate: int, *, loudness_lufs: float | None = -16.0,
           true_peak_db_ceiling: float | None = -1.0) -> tuple[np.ndarray, dict]:
    """Loudness normalisation then true-peak limiting; either step off with None."""
    a = np.asarray(audio, dtype=np.float64)
    if loudness_lufs is None and true_peak_db_ceiling is None:
        return a, {"gain_db": 0.0}  # un-mastered: nothing to measure or change
    info: dict = {"input_lufs": integrated_lufs(a, sample_rate)}
    gain_db = 0.0
    if loudness_lufs is not None and np.isfinite(info["input_lufs"]):
        gain_db = float(loudness_lufs - info["input_lufs"])
        a = a * 10 ** (gain_db / 20.0)
    info["gain_db"] = gain_db
    if true_peak_db_ceiling is not None:
        a = limit(a, sample_rate, true_peak_db_ceiling)
    info["output_lufs"] = integrated_lufs(a, sample_rate)
    info["true_peak_db"] = true_peak_db(a)
    return a, info
