"""Sidechain ducking: beds (ambience, music) dip under foreground (fx) events.

The key is the fx bus's short-term level (10 ms RMS frames). Above a threshold the beds
are pulled down by up to ``depth_db``, reaching full depth over ``range_db`` of key
level; the gain moves with separate attack and release times, so the beds dip just
before a hit (offline look-ahead) and swell back smoothly afterwards."""
from __future__ import annotations

from dataclasses import dataclass

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


def gain_curve(key: np.ndarray, sample_rate: int, d: Ducking) -> np.ndarray:
    """Linear gain (samples,) in [10^(-depth/20), 1] from a key signal (channels, samples)."""
    n = key.shape[-1]
    hop = max(1, int(round(FRAME_S * sample_rate)))
    frames = -(-n // hop)
    pad = frames * hop - n
    k = np.pad(np.asarray(key, dtype=np.float32), ((0, 0), (0, pad)))
    power = np.mean(np.square(k.reshape(k.shape[0], frames, hop), dtype=np.float64), axis=(0, 2))
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
    centers = (np.arange(frames) + 0.5) * hop
    gain_db = np.interp(np.arange(n), centers, out)
    return (10 ** (gain_db / 20.0)).astype(np.float32)
