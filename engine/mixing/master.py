"""Mastering: integrated loudness to a target (ITU-R BS.1770-4, pyloudnorm's filters
and gating), then a look-ahead true-peak limiter (peak detected on a 4x oversampled
signal)."""
from __future__ import annotations

from contextlib import nullcontext
from functools import lru_cache

import numpy as np
import pyloudnorm
from numpy.lib.stride_tricks import as_strided
from scipy import signal
from scipy.ndimage import minimum_filter1d

OVERSAMPLE = 4


@lru_cache(maxsize=16)
def _k_weighting(sample_rate: int) -> np.ndarray:
    """The BS.1770 K-weighting stages (shelf, high-pass) as designed by pyloudnorm, as
    one cascade of second-order sections."""
    meter = pyloudnorm.Meter(sample_rate)
    return np.concatenate([signal.tf2sos(f.b, f.a) for f in meter._filters.values()])


def _block_edges(n: int, sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    """(first, end) sample of every 400 ms gating block (75 % overlap), as pyloudnorm
    places them."""
    block = 0.4
    n_blocks = int(np.round(((n / sample_rate - block) / (0.25 * block)))) + 1
    lo = np.array([int(block * (k * 0.25) * sample_rate) for k in range(n_blocks)], dtype=np.int64)
    hi = np.array([int(block * (k * 0.25 + 1) * sample_rate) for k in range(n_blocks)], dtype=np.int64)
    return lo, np.minimum(hi, n)


def _k_filter(a: np.ndarray, sample_rate: int) -> np.ndarray:
    return signal.sosfilt(_k_weighting(sample_rate).astype(a.dtype), a, axis=-1)


def _block_powers(y: np.ndarray, lo: np.ndarray, hi: np.ndarray, sample_rate: int, offset: int = 0) -> np.ndarray:
    """Mean square (channels summed: the L/R/C weights are 1.0) of K-weighted y over
    each block [lo, hi) (sample positions relative to y's first sample ``offset``),
    from the sums between consecutive block edges in one pass."""
    sq = np.einsum("cn,cn->n", y, y)
    n = sq.shape[0]
    edges = np.unique(np.concatenate([lo, hi])) - offset
    inner = edges[edges < n]
    csum = np.concatenate([[0.0], np.cumsum(np.add.reduceat(sq, inner), dtype=np.float64)])
    pos = np.searchsorted(np.append(inner, n), np.stack([lo, hi]) - offset)
    return (csum[pos[1]] - csum[pos[0]]) / (0.4 * sample_rate)


def _gated_lufs(power: np.ndarray) -> float:
    """BS.1770-4 gating (absolute -70 LUFS, then relative -10 LU) of block powers."""
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


def _measurable(a: np.ndarray, sample_rate: int) -> bool:
    return a.shape[-1] >= int(round(0.4 * sample_rate)) and bool(np.any(a))


def integrated_lufs(audio: np.ndarray, sample_rate: int) -> float:
    """Integrated loudness (ITU-R BS.1770-4) of (channels, samples) stereo/mono audio;
    -inf for silence or < 0.4 s. pyloudnorm's K-weighting filters and gating rules,
    with the 400 ms / 75 %-overlap block powers summed in one pass instead of a Python
    loop per block (pyloudnorm is the reference in the tests: same value to 1e-6 LU
    for float64 input). float32 input is filtered in float32 (the mixer's format:
    ~1e-4 relative error in the filtered signal, far below 0.01 LU)."""
    a = np.atleast_2d(np.asarray(audio))
    a = a.astype(np.float32 if a.dtype == np.float32 else np.float64, copy=False)
    if not _measurable(a, sample_rate):
        return float("-inf")
    lo, hi = _block_edges(a.shape[-1], sample_rate)
    return _gated_lufs(_block_powers(_k_filter(a, sample_rate), lo, hi, sample_rate))


@lru_cache(maxsize=16)
def _k_tail(sample_rate: int) -> int:
    """Samples after which the K-weighting's response to anything has decayed below
    1e-10 (its slowest pole)."""
    r = max(float(np.abs(np.roots(s[3:])).max()) for s in _k_weighting(sample_rate))
    return int(np.ceil(np.log(1e-10) / np.log(r)))


def _powers_after_limiting(y_in: np.ndarray, gain: np.float32, x_in: np.ndarray, out: np.ndarray,
                           touched: list[tuple[int, int]], sample_rate: int) -> np.ndarray:
    """Block powers of ``out`` = gain * x_in except in the ``touched`` stretches, from
    the K-weighted input ``y_in``: the filter is linear, so K(out) = gain * K(x_in) +
    K(out - gain * x_in), and the last term is zero before a stretch and dies out
    within :func:`_k_tail` after it. Only the blocks those stretches reach are summed
    again; the rest scale by gain^2."""
    n = out.shape[-1]
    lo, hi = _block_edges(n, sample_rate)
    power = _block_powers(y_in, lo, hi, sample_rate) * float(gain) ** 2
    tail = _k_tail(sample_rate)
    spans: list[list[int]] = []
    for r0, r1 in sorted(touched):
        r1 = min(n, r1 + tail)
        b = np.flatnonzero((lo < r1) & (hi > r0))
        s0, s1 = int(lo[b[0]]), int(hi[b[-1]])
        if spans and s0 <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], s1)
        else:
            spans.append([s0, s1])
    # the error signal of every span, each with its tail, filtered in one call: what
    # one piece leaves in the filter's state when the next begins has decayed below
    # 1e-10, as it would have in place. float64: float32 tails decay into (very slow)
    # denormals.
    pieces, where, at = [], {}, 0
    for s0, s1 in spans:
        err = out[:, s0:s1] - x_in[:, s0:s1] * gain
        nz = np.flatnonzero(np.any(err != 0, axis=0))
        if nz.size:
            e0, e1 = int(nz[0]), min(s1 - s0, int(nz[-1]) + 1 + tail)
            pieces.append(err[:, e0:e1].astype(np.float64))
            where[s0] = (e0, e1, at)
            at += e1 - e0
    if not pieces:
        return power
    k_err = _k_filter(np.concatenate(pieces, axis=1), sample_rate).astype(np.float32)
    for s0, s1 in spans:
        if s0 not in where:
            continue
        e0, e1, at = where[s0]
        ky = y_in[:, s0:s1] * gain
        ky[:, e0:e1] += k_err[:, at: at + e1 - e0]
        b = np.flatnonzero((lo >= s0) & (hi <= s1))
        power[b] = _block_powers(ky, lo[b], hi[b], sample_rate, offset=s0)
    return power


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


ROWS = 32  # output samples per row of the banded matrix product


@lru_cache(maxsize=1)
def _banded() -> np.ndarray:
    """(ROWS + taps - 1, 3 * ROWS) float32: the three in-between phases of the
    interpolator as one banded matrix, so a row of ROWS + taps - 1 input samples times
    it gives ROWS outputs of every phase in one BLAS product (each output is still the
    same 17-tap dot product; the zeros off the band are the price of using BLAS)."""
    ph = _polyphase().astype(np.float32)
    taps = ph.shape[1]
    t = np.zeros((ROWS + taps - 1, OVERSAMPLE - 1, ROWS), dtype=np.float32)
    j = np.arange(ROWS)
    for p in range(1, OVERSAMPLE):
        for k in range(taps):
            t[j + taps - 1 - k, p - 1, j] = ph[p, k]
    return t.reshape(ROWS + taps - 1, (OVERSAMPLE - 1) * ROWS)


@lru_cache(maxsize=1)
def detector_gain_bound() -> float:
    """The most the detector's output can exceed the largest |sample| within its
    reach: the largest L1 norm of an interpolation phase (1.947, +5.8 dB). This holds
    for any signal (|sum h_k x_k| <= sum |h_k| max |x|), not just band-limited ones;
    a full-scale sine at fs/4 with a 45 degree phase, the classic inter-sample over,
    reads only +3.0 dB over its samples."""
    return float(np.abs(_polyphase().astype(np.float32)).sum(axis=1).max()) * (1 + 1e-5)


@lru_cache(maxsize=1)
def _blas_controller():
    try:
        from threadpoolctl import ThreadpoolController
        return ThreadpoolController()
    except Exception:  # optional (it comes with scikit-learn): without it, smaller products
        return None


def _one_blas_thread():
    """(context, rows per product). The products here are small and many: a second
    BLAS thread only adds hand-offs, and on a busy machine spinning threads make it
    10x slower. Without threadpoolctl, products stay under OpenBLAS's threading size."""
    c = _blas_controller()
    return (c.limit(limits=1, user_api="blas"), 256) if c is not None else (nullcontext(), 48)


def _envelope(a: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """true_peak_envelope of float32 a (channels, n) for samples [lo, hi) only, with
    the surrounding samples (zeros beyond the ends) as filter context."""
    ctx, rows_per_step = _one_blas_thread()
    with ctx:
        return _envelope_blas(a, lo, hi, rows_per_step)


def _envelope_blas(a: np.ndarray, lo: int, hi: int, rows_per_step: int) -> np.ndarray:
    n = a.shape[-1]
    taps = _polyphase().shape[1]
    delay = (taps - 1) // 2
    pre = taps - 1 - delay
    t = _banded()
    peak = np.max(np.abs(a[:, lo:hi]), axis=0)
    step = ROWS * rows_per_step
    for s in range(lo, hi, step):
        e = min(hi, s + step)
        rows = -(-(e - s) // ROWS)
        xp = np.zeros((a.shape[0], rows * ROWS + taps - 1), dtype=np.float32)
        src0, src1 = max(0, s - pre), min(n, s - pre + xp.shape[1])
        xp[:, src0 - (s - pre): src1 - (s - pre)] = a[:, src0:src1]
        for ch in xp:
            win = as_strided(ch, shape=(rows, t.shape[0]), strides=(ROWS * 4, 4), writeable=False)
            y = np.abs(win @ t).reshape(rows, OVERSAMPLE - 1, ROWS)
            m = np.maximum(y[:, 0], y[:, 1])
            for p in range(2, OVERSAMPLE - 1):
                np.maximum(m, y[:, p], out=m)
            np.maximum(peak[s - lo: e - lo], m.ravel()[: e - s], out=peak[s - lo: e - lo])
    return peak


def true_peak_envelope(audio: np.ndarray) -> np.ndarray:
    """Per original sample, the largest |value| of the 4x oversampled signal around it
    (max over channels and phases). Shape (samples,). Each phase is a 17-tap FIR over
    the original samples (float32: a peak meter needs ~0.001 dB, not 1e-12)."""
    a = np.ascontiguousarray(np.atleast_2d(np.asarray(audio, dtype=np.float32)))
    return _envelope(a, 0, a.shape[-1]).astype(np.float64)


def true_peak_db(audio: np.ndarray) -> float:
    p = float(np.max(true_peak_envelope(audio))) if np.size(audio) else 0.0
    return 20 * np.log10(p) if p > 0 else float("-inf")


def _sub_peaks(a: np.ndarray) -> np.ndarray:
    """max |sample| over channels of every ROWS samples (the last stretch may be short),
    a cache-sized piece at a time, transposed so the max runs down contiguous rows."""
    n = a.shape[-1]
    full = n // ROWS
    pk = np.zeros(-(-n // ROWS), dtype=np.float32)
    step = 4096
    scratch = np.empty((ROWS, step), dtype=np.float32)
    col = np.empty(step, dtype=np.float32)
    for c in a:
        rows = c[: full * ROWS].reshape(full, ROWS)
        for r in range(0, full, step):
            blk = rows[r:r + step]
            k = blk.shape[0]
            np.abs(blk.T, out=scratch[:, :k])
            np.max(scratch[:, :k], axis=0, out=col[:k])
            np.maximum(pk[r:r + k], col[:k], out=pk[r:r + k])
        if full < pk.size:
            pk[full] = max(pk[full], np.abs(c[full * ROWS:]).max())
    return pk


def _bounds(pk: np.ndarray) -> np.ndarray:
    """Per ROWS samples, an upper bound of the detector's output there: the largest
    |sample| of the stretch and its neighbours (the filters reach 8 samples) times
    :func:`detector_gain_bound`."""
    nbr = pk.copy()
    nbr[1:] = np.maximum(nbr[1:], pk[:-1])
    nbr[:-1] = np.maximum(nbr[:-1], pk[1:])
    return nbr.astype(np.float64) * detector_gain_bound()


def _stretch_peaks(a: np.ndarray, idx: np.ndarray, pk: np.ndarray) -> np.ndarray:
    """The detector's largest output in each of the ROWS-sample stretches ``idx``
    (scattered ones: their input windows are gathered as rows of one matrix product;
    the first and last stretches, whose windows run off the ends, go one by one)."""
    n = a.shape[-1]
    taps = _polyphase().shape[1]
    pre = taps - 1 - (taps - 1) // 2
    t = _banded()
    k = t.shape[0]
    last_inner = (n - k + pre) // ROWS  # the last stretch whose window is inside the signal
    best = pk[idx].astype(np.float32)
    inner = (idx >= 1) & (idx <= last_inner)
    ii = idx[inner] - 1
    ctx, _ = _one_blas_thread()
    with ctx:
        if ii.size:
            got = np.zeros(ii.size, dtype=np.float32)
            for c in a:
                c = np.ascontiguousarray(c)
                view = as_strided(c[ROWS - pre:], shape=(last_inner, k), strides=(ROWS * c.itemsize, c.itemsize),
                                  writeable=False)
                y = np.abs(t.T @ view[ii].T)  # (outputs, stretches): the max runs down contiguous rows
                np.maximum(got, y.max(axis=0), out=got)
            best[inner] = np.maximum(best[inner], got)
    for j in np.flatnonzero(~inner):
        s0 = int(idx[j]) * ROWS
        best[j] = max(best[j], float(_envelope(a, s0, min(n, s0 + ROWS)).max()))
    return best


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[(first, end)] of the True runs of a boolean array."""
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist()))


def _dilate(mask: np.ndarray, k: int) -> np.ndarray:
    if k <= 0 or not mask.any():
        return mask
    return minimum_filter1d((~mask).astype(np.int8), 2 * k + 1, mode="constant", cval=1) == 0


def limit(audio: np.ndarray, sample_rate: int, ceiling_db: float = -1.0, *, window_s: float = 0.006,
          return_peak: bool = False):
    """True-peak limiter (see :func:`limit_inplace`) on a copy of ``audio``; float32
    stays float32, anything else is float64."""
    a = np.array(audio, dtype=np.float32 if np.asarray(audio).dtype == np.float32 else np.float64, copy=True)
    peak = limit_inplace(a, sample_rate, ceiling_db, window_s=window_s)
    return (a, peak) if return_peak else a


def limit_inplace(a: np.ndarray, sample_rate: int, ceiling_db: float = -1.0, *, window_s: float = 0.006,
                  touched: list | None = None, peaks: np.ndarray | None = None) -> float:
    """True-peak limiter, in place on (channels, samples) ``a``; returns the output's
    true peak (linear, exact: the same detector as :func:`true_peak_envelope`) and
    appends the (first, end) sample stretches it changed to ``touched``. ``peaks``:
    the largest |sample| of every 32 (:func:`_sub_peaks`), when the caller has them.

    The gain needed at each sample (ceiling / true peak) is held by a minimum filter
    over +-window and smoothed by a Hann average of the same support, so the smoothed
    gain is never above the needed gain at any sample (no overshoot) and changes over
    ~2*window (no clicks). Offline, so look-ahead is free.

    Only stretches that can reach the ceiling pay for 4x detection: where the sample
    peak of a 32-sample stretch and its neighbours times :func:`detector_gain_bound`
    stays under it, the detector cannot exceed it (an L1 bound that holds for any
    signal), so no gain is needed there. The gain is worked out per run of candidate
    stretches widened by the smoothing's reach, which makes it the same gain as over
    the whole signal. The reported peak is exact as well: elsewhere only stretches
    whose bound exceeds the largest peak found so far are measured, largest first."""
    a2 = np.atleast_2d(a)
    n = a2.shape[-1]
    if n == 0:
        return 0.0
    meas = a2 if a2.dtype == np.float32 else a2.astype(np.float32)
    limit_lin = 10 ** (ceiling_db / 20.0)
    ceiling = 10 ** ((ceiling_db - 0.02) / 20.0)
    half = max(1, int(window_s * sample_rate))
    w = np.hanning(2 * half + 3)[1:-1]
    w /= w.sum()
    pk = _sub_peaks(meas) if peaks is None else peaks
    bound = _bounds(pk)
    reach = -(-(2 * half + 2 * _polyphase().shape[1] + 2) // ROWS)
    covered = _dilate(bound > ceiling, reach)
    env = {r: _envelope(meas, *r) for r in ((b0 * ROWS, min(n, b1 * ROWS)) for b0, b1 in _runs(covered))}
    peak = max((float(e.max()) for e in env.values()), default=0.0)
    changed = set()
    for _ in range(4):  # gain applied at the base rate can leave a hair of inter-sample overshoot
        if peak <= limit_lin:
            break
        for (lo, hi), tp in env.items():
            if tp.max() <= ceiling:
                continue
            need = np.minimum(1.0, ceiling / np.maximum(tp.astype(np.float64), 1e-12))
            held = minimum_filter1d(need, size=2 * half + 1, mode="nearest")
            smooth = np.minimum(signal.oaconvolve(np.pad(held, half, mode="edge"), w, mode="valid"), 1.0)
            a2[:, lo:hi] *= smooth.astype(a2.dtype)
            if meas is not a2:
                meas[:, lo:hi] = a2[:, lo:hi]
            env[(lo, hi)] = _envelope(meas, lo, hi)
            changed.add((lo, hi))
        peak = max(float(e.max()) for e in env.values())
    if touched is not None:
        touched.extend(sorted(changed))
    outside = ~covered
    if outside.any():  # the exact peak elsewhere: |sample| is a lower bound, bound an upper one
        peak = max(peak, float(pk[outside].max()))
        rest = np.where(outside, bound, 0.0)
        cand = np.flatnonzero(rest > peak)
        cand = cand[np.argsort(rest[cand])[::-1]]
        for i in range(0, cand.size, 8192):
            batch = cand[i:i + 8192]
            batch = batch[rest[batch] > peak]
            if batch.size == 0:
                break
            peak = max(peak, float(_stretch_peaks(meas, batch, pk).max()))
    return peak


def master(audio: np.ndarray, sample_rate: int, *, loudness_lufs: float | None = -16.0,
           true_peak_db_ceiling: float | None = -1.0) -> tuple[np.ndarray, dict]:
    """Loudness normalisation then true-peak limiting; either step off with None.
    float32 throughout (the output format); the input is never modified. When the
    limiter takes more than 0.05 LU off the target, the gain is raised by the shortfall
    and the input limited again (up to 4 rounds). The output loudness is the input's
    K-weighted blocks scaled by the gain, with only the blocks the limiter reached
    filtered again (see :func:`_powers_after_limiting`)."""
    if loudness_lufs is None and true_peak_db_ceiling is None:
        return audio, {"gain_db": 0.0}  # un-mastered: nothing to measure or change
    x = np.atleast_2d(np.asarray(audio, dtype=np.float32))
    measurable = _measurable(x, sample_rate)
    y = _k_filter(x, sample_rate) if measurable else None
    lo, hi = _block_edges(x.shape[-1], sample_rate)
    info: dict = {"input_lufs": _gated_lufs(_block_powers(y, lo, hi, sample_rate)) if measurable else float("-inf")}
    gain_db = 0.0
    if loudness_lufs is not None and np.isfinite(info["input_lufs"]):
        gain_db = float(loudness_lufs - info["input_lufs"])
    pk = _sub_peaks(x) if true_peak_db_ceiling is not None else None
    for _ in range(4):
        g = np.float32(10 ** (gain_db / 20.0))
        a = x * g  # the one full-length copy per round
        touched: list[tuple[int, int]] = []
        if true_peak_db_ceiling is not None:
            # |x| * g rounds monotonically, so the peaks of x * g are the peaks of x times g, to the bit
            tp = limit_inplace(a, sample_rate, true_peak_db_ceiling, touched=touched, peaks=pk * g)
            info["true_peak_db"] = 20 * np.log10(tp) if tp > 0 else float("-inf")
        else:
            info["true_peak_db"] = true_peak_db(a)
        info["output_lufs"] = (_gated_lufs(_powers_after_limiting(y, g, x, a, touched, sample_rate))
                               if measurable else float("-inf"))
        short = (loudness_lufs - info["output_lufs"]) if loudness_lufs is not None and touched else 0.0
        if not np.isfinite(short) or short <= 0.05:
            break
        gain_db += short
    info["gain_db"] = gain_db
    return a.reshape(np.shape(audio)), info
