"""Signal descriptors with known meanings, for quality gates, matching checks and
evaluation: spectral centroid, band energy, flatness, onsets, periodicity, decay.
Pure functions over (channels, samples) or 1-D audio; the sample rate is passed."""
from __future__ import annotations

import numpy as np
from scipy import signal


def to_mono(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return x.mean(axis=0) if x.ndim == 2 else x


def power_spectrum(x, sample_rate: int, *, nperseg: int = 4096):
    """Welch power spectral density: (freqs_hz, psd)."""
    m = to_mono(x)
    return signal.welch(m, fs=sample_rate, nperseg=min(nperseg, max(16, m.size)))


def spectral_centroid_hz(x, sample_rate: int) -> float:
    f, p = power_spectrum(x, sample_rate)
    return float(np.sum(f * p) / (np.sum(p) + 1e-20))


def band_energy_fraction(x, sample_rate: int, low_hz: float, high_hz: float) -> float:
    """Fraction of total power between low_hz and high_hz."""
    f, p = power_spectrum(x, sample_rate)
    band = (f >= low_hz) & (f < high_hz)
    return float(np.sum(p[band]) / (np.sum(p) + 1e-20))


def spectral_flatness(x, sample_rate: int, low_hz: float = 50.0, high_hz: float = 16000.0) -> float:
    """Geometric / arithmetic mean of the PSD in a band: ~1 for white noise, ~0 for a tone."""
    f, p = power_spectrum(x, sample_rate)
    band = (f >= low_hz) & (f < min(high_hz, sample_rate / 2))
    q = p[band] + 1e-20
    return float(np.exp(np.mean(np.log(q))) / np.mean(q))


def tonality_db(x, sample_rate: int) -> float:
    """Strongest spectral peak over the median PSD level, in dB: high for bells/tones."""
    _, p = power_spectrum(x, sample_rate, nperseg=8192)
    return float(10 * np.log10((p.max() + 1e-20) / (np.median(p) + 1e-20)))


def envelope(x, sample_rate: int, *, hop_s: float = 0.005) -> tuple[np.ndarray, float]:
    """RMS envelope on hop_s frames: (env, frame_rate_hz)."""
    m = to_mono(x)
    hop = max(1, int(hop_s * sample_rate))
    k = m.size // hop
    if k == 0:
        return np.zeros(0), sample_rate / hop
    e = np.sqrt(np.mean(m[: k * hop].reshape(k, hop) ** 2, axis=1))
    return e, sample_rate / hop


def onset_times(x, sample_rate: int, *, min_gap_s: float = 0.05, threshold_db: float = 12.0) -> np.ndarray:
    """Onsets (s): frames where the envelope jumps by threshold_db above its recent
    minimum and clears -40 dB of the loudest frame, at least min_gap_s apart."""
    env, fr = envelope(x, sample_rate, hop_s=0.002)
    if env.size < 3 or env.max() <= 0:
        return np.zeros(0)
    db = 20 * np.log10(env / env.max() + 1e-9)
    w = max(1, int(0.03 * fr))
    from scipy.ndimage import minimum_filter1d
    floor = minimum_filter1d(db, size=w, origin=(w - 1) // 2)  # minimum over the preceding w frames
    rise = db - floor
    cand = np.flatnonzero((rise >= threshold_db) & (db > -40))
    onsets, last = [], -1e9
    for i in cand:
        if (i - last) / fr >= min_gap_s:  # a new cluster of rising frames
            onsets.append(i / fr)
        last = i
    return np.asarray(onsets)


def onset_rate_hz(x, sample_rate: int, **kw) -> float:
    d = to_mono(x).size / sample_rate
    return float(len(onset_times(x, sample_rate, **kw)) / d) if d > 0 else 0.0


def dominant_period_s(x, sample_rate: int, *, min_s: float = 0.05, max_s: float = 4.0) -> tuple[float, float]:
    """Strongest periodicity of the envelope: (period_s, normalised autocorrelation 0..1)."""
    env, fr = envelope(x, sample_rate)
    e = env - env.mean()
    if e.size < 4 or not np.any(e):
        return 0.0, 0.0
    ac = signal.fftconvolve(e, e[::-1])[e.size - 1:]
    ac /= ac[0] + 1e-20
    lo, hi = int(min_s * fr), min(int(max_s * fr), ac.size - 1)
    if hi <= lo:
        return 0.0, 0.0
    k = lo + int(np.argmax(ac[lo:hi]))
    return k / fr, float(ac[k])


def decay_time_s(x, sample_rate: int, drop_db: float = 30.0) -> float:
    """Time from the loudest frame until the envelope stays drop_db below it for good."""
    env, fr = envelope(x, sample_rate, hop_s=0.01)
    if env.size == 0 or env.max() <= 0:
        return 0.0
    db = 20 * np.log10(env / env.max() + 1e-12)
    i0 = int(np.argmax(db))
    above = np.flatnonzero(db[i0:] >= -drop_db)
    return float((above[-1] + 1) / fr)


def dc_offset(x) -> float:
    return float(np.max(np.abs(np.mean(np.asarray(x, dtype=np.float64), axis=-1))))


def peak_dbfs(x) -> float:
    p = float(np.max(np.abs(x))) if np.size(x) else 0.0
    return 20 * np.log10(p) if p > 0 else -np.inf
