"""One acoustic space per timeline: the procedural backend's residual context.

The timeline's setting picks a space (room, hall, church, cave, forest, street,
open air, underwater); its impulse response is synthesised deterministically from
the space's name (noise with per-band exponential decay plus early reflections), so
every event, and any single re-render, sits in the same room."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import signal

from . import dsp


@dataclass(frozen=True)
class Space:
    name: str
    t60_s: float            # mid-band reverberation time
    wet: float              # wet gain for a source at medium distance
    damping: float          # 0..1: how much faster highs decay than lows
    early_ms: tuple = ()    # discrete early reflections (ms)
    lowpass_hz: float = 0.0  # whole-space low-pass (underwater), 0 = none


SPACES: dict[str, Space] = {s.name: s for s in (
    Space("open_air", 0.35, 0.06, 0.7, (11.0, 23.0)),
    Space("forest", 0.9, 0.14, 0.75, (17.0, 31.0, 47.0)),
    Space("street", 1.1, 0.16, 0.55, (9.0, 21.0, 58.0, 95.0)),
    Space("room", 0.45, 0.18, 0.5, (3.0, 5.5, 8.0, 12.0)),
    Space("hall", 1.4, 0.24, 0.45, (8.0, 15.0, 22.0, 35.0)),
    Space("church", 3.2, 0.32, 0.4, (18.0, 29.0, 44.0, 61.0)),
    Space("cave", 3.8, 0.38, 0.3, (37.0, 81.0, 143.0, 230.0)),
    Space("underwater", 0.7, 0.30, 0.9, (4.0, 9.0), lowpass_hz=900.0),
)}

# ordered: the first group whose words occur in the setting wins
_SPACE_WORDS = (
    ("underwater", ("underwater", "under water", "submarine", "seabed", "ocean floor", "diving", "scuba")),
    ("cave", ("cave", "cavern", "tunnel", "mine", "grotto", "catacomb", "dungeon", "crypt", "sewer")),
    ("church", ("church", "cathedral", "chapel", "temple", "abbey", "monastery", "crypt")),
    ("hall", ("hall", "ballroom", "theatre", "theater", "museum", "warehouse", "station", "gym",
              "auditorium", "factory", "hangar", "mansion", "castle", "spaceship", "ship", "stadium", "arena")),
    ("room", ("room", "kitchen", "bedroom", "office", "house", "home", "cabin", "apartment", "flat", "attic",
              "basement", "cellar", "farmhouse", "bathroom", "car", "inside", "indoors", "bar", "cafe",
              "café", "shop", "library", "classroom", "study", "hut", "barn", "corridor", "hallway")),
    ("street", ("street", "city", "town", "alley", "downtown", "market", "traffic", "road", "village",
                "square", "harbor", "harbour", "port", "station platform")),
    ("forest", ("forest", "woods", "wood", "jungle", "grove", "rainforest", "trees", "swamp")),
    ("open_air", ("field", "meadow", "beach", "sea", "ocean", "shore", "desert", "mountain", "farm",
                  "garden", "park", "countryside", "lake", "river", "sky", "outdoors", "outside", "valley",
                  "prairie", "coast", "island", "battlefield", "space")),
)


def choose_space(setting: str, override: str = "", story: str = "") -> Space:
    """The space named by ``override`` if it is one, else the first match in the
    setting, else in the story, else open air."""
    if override in SPACES:
        return SPACES[override]
    for text in (setting, story):
        t = " " + re.sub(r"[^a-z ]+", " ", text.lower()) + " "
        for name, words in _SPACE_WORDS:
            if any(f" {w} " in t for w in words):
                return SPACES[name]
    return SPACES["open_air"]


@lru_cache(maxsize=32)
def impulse_response(space_name: str, sample_rate: int) -> np.ndarray:
    """Stereo IR (2, m), deterministic per (space, rate), unit energy per channel
    in the diffuse tail; read-only."""
    sp = SPACES[space_name]
    seed = int.from_bytes(hashlib.sha256(f"space:{space_name}".encode()).digest()[:4], "big")
    rng = np.random.default_rng(seed)
    m = dsp.n_samples(min(sp.t60_s * 1.1, 4.5) + 0.02, sample_rate)
    t = dsp.time_axis(m, sample_rate)
    ir = np.zeros((2, m))
    # three bands, highs decaying faster according to the damping
    bands = ((None, 500.0, sp.t60_s * (1 + 0.3 * sp.damping)), (500.0, 4000.0, sp.t60_s),
             (4000.0, None, sp.t60_s * max(0.15, 1 - 0.8 * sp.damping)))
    for ch in range(2):
        noise = rng.standard_normal(m)
        for lo, hi, t60 in bands:
            if lo is None:
                b = dsp.lowpass(noise, sample_rate, hi, order=4)
            elif hi is None:
                b = dsp.highpass(noise, sample_rate, lo, order=4)
            else:
                b = dsp.bandpass(noise, sample_rate, lo, hi, order=2)
            ir[ch] += b * np.exp(-6.907755 * t / t60)
    onset = dsp.n_samples(0.004, sample_rate)  # the diffuse tail builds up after a short gap
    ir[:, :onset] = 0.0
    ramp = min(dsp.n_samples(0.02, sample_rate), m - onset)
    ir[:, onset:onset + ramp] *= np.linspace(0, 1, ramp)
    ir /= np.sqrt(np.sum(ir ** 2, axis=1, keepdims=True)) + 1e-12
    for k, ms in enumerate(sp.early_ms):
        idx = dsp.n_samples(ms / 1000.0, sample_rate)
        if idx < m:
            g = 0.5 * 0.8 ** k
            ir[0, idx] += g * (1 if k % 2 == 0 else 0.7)
            ir[1, min(idx + 1 + k, m - 1)] += g * (0.7 if k % 2 == 0 else 1)
    if sp.lowpass_hz:
        ir = dsp.lowpass(ir, sample_rate, sp.lowpass_hz, order=2)
    ir.setflags(write=False)
    return ir


def apply_space(dry: np.ndarray, sample_rate: int, space: Space, *, distance: str = "medium",
                handles_distance: bool = False) -> np.ndarray:
    """Place a (2, n) dry take in the space: air absorption and direct/reverb balance
    by distance, convolution with the space's IR; returns (2, n)."""
    n = dry.shape[-1]
    dry = np.asarray(dry, dtype=np.float32)
    direct = dry
    if not handles_distance:
        if distance == "far":
            direct = dsp.lowpass(direct, sample_rate, 5000.0, order=2).astype(np.float32)
        elif distance == "medium":
            direct = dsp.lowpass(direct, sample_rate, 14000.0, order=1).astype(np.float32)
    if space.lowpass_hz:
        direct = (0.6 * dsp.lowpass(direct, sample_rate, space.lowpass_hz * 1.5, order=4)).astype(np.float32)
    wet_gain = space.wet * {"close": 0.5, "medium": 1.0, "far": 1.8}.get(distance, 1.0)
    if wet_gain <= 0:
        return direct
    wet = _reverb(dry, sample_rate, space.name)
    # equalise wet energy to the dry energy so wet_gain is a true ratio
    dry_rms = float(np.sqrt(np.mean(np.square(dry, dtype=np.float64)))) + 1e-12
    wet_rms = float(np.sqrt(np.mean(np.square(wet, dtype=np.float64)))) + 1e-12
    return direct + np.float32(wet_gain * dry_rms / wet_rms) * wet



def _reverb(dry: np.ndarray, sample_rate: int, space_name: str) -> np.ndarray:
    """The diffuse part, float32: float32 FFTs are ~5x faster than float64 here and far
    below audibility in error. (A half-rate tail was tried: resampling cost more than
    the smaller convolution saved.)"""
    ir = impulse_response(space_name, sample_rate).astype(np.float32)
    return signal.oaconvolve(dry, ir, axes=-1)[:, : dry.shape[-1]]
