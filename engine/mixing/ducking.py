"""Sidechain ducking: beds (ambience, music) dip under foreground (fx) events.

The key is the fx bus's short-term level (10 ms RMS frames). Above a threshold the beds
are pulled down by up to ``depth_db``, reaching full depth over ``range_db`` of key
level; the gain moves with separate attack and release times, so the beds dip just
before a hit (offline look-ahead) and swell back smoothly afterwards."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

FRAME_S = 0.01


@dataclass(frozen=True)
class Ducking:
    depth_db: float = 6.0          # maximum reduction of the ducked tracks
    threshold_db: float = -45.0    # key level (dBFS RMS) where ducking starts
    range_db: float = 15.0         # key level above threshold for full depth
    attack_s: float = 0.08
    release_s: float = 0.6
    lookahead_s: float = 0.03      # offline: start dipping slightly before the hit
    key_tracks: tuple[str, ...] = ("fx",)
    ducked_tracks: tuple[str, ...] = ("ambience", "music")   # plus any track starting with these names

    def applies_to(self, track_id: str) -> bool:
        return track_id not in self.key_tracks and any(track_id.startswith(t) for t in self.ducked_tracks)


def gain_frames(keys: list[np.ndarray], sample_rate: int, d: Ducking) -> tuple[np.ndarray, int]:
    """The ducking gain at control rate: (linear gain per 10 ms frame (float64), hop in
    samples) from the key tracks, each (channels, samples). Frame powers are summed
    straight from the key buffers (no full-length temporaries); the release snaps to
    exactly 1.0 once it is within 1e-6 dB, so stretches far from any hit cost nothing."""
    n = keys[0].shape[-1]
    hop = max(1, int(round(FRAME_S * sample_rate)))
    frames = -(-n // hop)
    full = n // hop
    channels = keys[0].shape[0]
    power = np.zeros(frames)
    for k in keys:
        k = np.asarray(k, dtype=np.float32)
        k3 = k[:, : full * hop].reshape(channels, full, hop)
        for f0 in range(0, full, 256):  # 256 frames at a time: squares stay in cache
            blk = k3[:, f0: f0 + 256]
            power[f0: f0 + blk.shape[1]] += np.einsum("cfh,cfh->f", blk, blk)
        if full < frames:
            power[full] += float(np.sum(np.square(k[:, full * hop:], dtype=np.float64)))
    power /= channels * hop
    level_db = 10 * np.log10(power + 1e-12)
    amount = np.clip((level_db - d.threshold_db) / max(d.range_db, 1e-6), 0.0, 1.0)
    target_db = -d.depth_db * amount
    shift = int(round(d.lookahead_s / FRAME_S))
    if shift:
        target_db = np.minimum(target_db, np.r_[target_db[shift:], np.zeros(shift)])
    # one-pole smoothing with separate attack (going down) and release (coming back) times
    a_att = np.exp(-FRAME_S / max(d.attack_s, 1e-4))
    a_rel = np.exp(-FRAME_S / max(d.release_s, 1e-4))
    out = np.empty_like(target_db)
    g = 0.0
    for i, t in enumerate(target_db.tolist()):  # ~100 iterations per second of audio
        a = a_att if t < g else a_rel
        g = a * g + (1 - a) * t
        out[i] = g
    gain = 10 ** (out / 20.0)
    gain[out > -1e-6] = 1.0
    return gain, hop


@lru_cache(maxsize=16)
def _weights(hop: int) -> np.ndarray:
    """(2, hop) float32 weights of the previous and the next frame's gain for each
    sample of a frame (linear interpolation between frame centres; the own frame
    takes the rest)."""
    j = np.arange(hop) - hop / 2.0  # sample minus frame centre, in samples
    w = np.zeros((2, hop))
    lo = j < 0
    w[0, lo] = -j[lo] / hop
    w[1, ~lo] = j[~lo] / hop
    return w.astype(np.float32)


def gain_slice(gain: np.ndarray, hop: int, s0: int, s1: int) -> np.ndarray:
    """Per-sample float32 gain for samples [s0, s1): the frame gains linearly
    interpolated between frame centres (held flat before the first and after the
    last), elementwise, so any slice gives the same bits as the whole."""
    f0, f1 = s0 // hop, -(-s1 // hop)
    # frames f0 - 1 .. f1 (the ends held), so prev/own/next are plain shifted slices
    g = np.empty(f1 - f0 + 2, dtype=np.float32)
    g[1:-1] = gain[f0:f1]
    g[0] = gain[max(f0 - 1, 0)]
    g[-1] = gain[min(f1, gain.size - 1)]
    own = g[1:-1, None]
    w = _weights(hop)
    h = (hop + 1) // 2  # samples before the frame centre lean on the previous frame, the rest on the next
    rows = np.empty((f1 - f0, hop), dtype=np.float32)
    np.multiply(g[:-2, None] - own, w[0, None, :h], out=rows[:, :h])
    np.multiply(g[2:, None] - own, w[1, None, h:], out=rows[:, h:])
    rows += own  # exactly 1.0 where all three frames are
    return rows.ravel()[s0 - f0 * hop: s1 - f0 * hop]


def apply_gain(x: np.ndarray, gain: np.ndarray, hop: int, out: np.ndarray | None = None) -> np.ndarray:
    """x (channels, samples) times the interpolated frame gain, into ``out`` (x itself
    when None) a few hundred frames at a time; stretches at unity are left alone
    (copied when ``out`` is another buffer)."""
    out = x if out is None else out
    n = x.shape[-1]
    step = 128 * hop
    for s in range(0, n, step):
        e = min(n, s + step)
        f0, f1 = max(0, s // hop - 1), min(gain.size, -(-e // hop) + 1)
        if np.all(gain[f0:f1] == 1.0):
            if out is not x:
                out[:, s:e] = x[:, s:e]
            continue
        np.multiply(x[:, s:e], gain_slice(gain, hop, s, e), out=out[:, s:e])
    return out
