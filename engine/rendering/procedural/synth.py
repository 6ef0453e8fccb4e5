"""Run one recipe and finish its output into a clean take-ready signal."""
from __future__ import annotations

import numpy as np

from . import dsp
from .recipes import REGISTRY, SynthRequest

#: level (dB below the -1 dBFS ceiling) for each distance word, before the space
DISTANCE_ATTEN_DB = {"close": 0.0, "medium": -4.0, "far": -10.0}
PEAK_CEILING_DB = -1.0


def level_db(intensity: float, distance: str) -> float:
    """Peak level of a finished take: intensity spans 9 dB, distance attenuates."""
    return PEAK_CEILING_DB - 9.0 * (1.0 - float(np.clip(intensity, 0.0, 1.0))) + DISTANCE_ATTEN_DB.get(distance, -4.0)


def make_request(duration_s: float, sample_rate: int, seed: int, **params) -> SynthRequest:
    caption = str(params.pop("caption", "")).lower()
    words = frozenset(params.pop("words", None) or caption.replace(",", " ").replace(".", " ").split())
    known = {k: params.pop(k) for k in list(params) if k in SynthRequest.__dataclass_fields__}
    return SynthRequest(duration_s=float(duration_s), sample_rate=int(sample_rate),
                        rng=np.random.default_rng(int(seed) & 0xFFFFFFFF), caption=caption, words=words,
                        params=params, **known)


def run_recipe(recipe_id: str, req: SynthRequest) -> np.ndarray:
    """The recipe's dry output as (2, n) float32, exact length, finite."""
    rec = REGISTRY[recipe_id]
    n = req.n
    y = np.asarray(rec.synth(req), dtype=np.float64)
    if y.ndim == 1:
        y = y[None, :]
    if y.shape[-1] != n:  # a recipe's contract is exact length; be strict but safe
        y = np.pad(y, ((0, 0), (0, max(0, n - y.shape[-1]))))[:, :n]
    if not np.all(np.isfinite(y)):
        y = np.nan_to_num(y, nan=0.0, posinf=0.0, neginf=0.0)
    if y.shape[0] == 1:
        y = dsp.stereo_from_mono(y[0], req.sample_rate, np.random.default_rng(req.rng.integers(2**32)),
                                 width=rec.stereo_width)
    # everything after the recipe runs in float32: the chain is memory-bound on long takes
    return np.ascontiguousarray(y[:2], dtype=np.float32)


def finish(y: np.ndarray, sample_rate: int, *, peak_db: float, fade_in_s: float = 0.005,
           fade_out_s: float = 0.02) -> np.ndarray:
    """DC removal, zero-mean edge fades, then scale so the peak sits at peak_db (<= -1 dBFS)."""
    y = dsp.remove_dc(y, sample_rate)
    y = dsp.fade_and_center(y, sample_rate, fade_in_s=fade_in_s, fade_out_s=fade_out_s)
    y = dsp.normalize_peak(y, min(peak_db, PEAK_CEILING_DB)).astype(np.float32)
    # float32 rounding can land a hair above the target: never above the ceiling
    over = float(np.max(np.abs(y))) / float(dsp.db_to_gain(min(peak_db, PEAK_CEILING_DB)))
    return y / np.float32(over) if over > 1.0 else y


def synthesize(recipe_id: str, duration_s: float, sample_rate: int = 44100, seed: int = 0, **params) -> np.ndarray:
    """One recipe, dry (no acoustic space), finished: float32 (2, round(d*sr))."""
    req = make_request(duration_s, sample_rate, seed, **params)
    y = run_recipe(recipe_id, req)
    return finish(y, sample_rate, peak_db=level_db(req.intensity, req.distance))
