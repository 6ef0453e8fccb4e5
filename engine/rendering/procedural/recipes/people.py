"""Human and body sounds: crowd murmur, applause, footsteps, typing, paper, heartbeat,
breathing.

Models (Farnell, *Designing Sound*; Nemisindo): crowds are 10-30 pseudo-voices (glottal
pulse trains whose syllables switch vowel formants at 3-6 Hz, with consonant noise) over
speech-shaped babble; applause is many clappers, each a jittered clock of 5-10 ms
band-passed bursts with its own hand-cavity resonance; footsteps are a gait clock driving
heel and ball excitations into a surface model; heartbeats are damped 40-70 Hz lub-dubs;
breathing is filtered noise through breath formants in inhale/exhale cycles.
"""
from __future__ import annotations

import numpy as np
from scipy import signal

from .. import dsp
from .animals import _count_times
from .base import SynthRequest, recipe

# ----------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------
# vowel formants (adult male, Peterson & Barney-like), Hz
_VOWELS = np.array([
    [730, 1090, 2440],   # a
    [530, 1840, 2480],   # e
    [270, 2290, 3010],   # i
    [570, 840, 2410],    # o
    [500, 1500, 2500],   # schwa
], dtype=np.float64)
_VOWEL_BW = np.array([80.0, 110.0, 170.0])


def _allpole_sos(sr: int, freqs, bws) -> np.ndarray:
    """Cascade (Klatt-style) formant filter: one unity-DC-gain two-pole section per formant."""
    rows = []
    for f, bw in zip(freqs, bws):
        if f >= 0.47 * sr:
            continue
        r = np.exp(-np.pi * bw / sr)
        c = 2 * r * np.cos(2 * np.pi * f / sr)
        rows.append([1 - c + r * r, 0.0, 0.0, 1.0, -c, r * r])
    return np.asarray(rows) if rows else np.array([[1.0, 0, 0, 1.0, 0, 0]])


def _grain_env(L: int, attack_frac: float = 0.1) -> np.ndarray:
    """Fast-attack exponential-decay envelope of L samples."""
    u = np.arange(L) / max(L, 1)
    a = max(attack_frac, 1e-3)
    return np.where(u < a, u / a, np.exp(-5.0 * (u - a) / (1 - a)))


# ----------------------------------------------------------------------------------
# crowd murmur
# ----------------------------------------------------------------------------------
@recipe("crowd_murmur",
        descriptions=["the indistinct murmur of many people talking at once",
                      "a busy restaurant full of chattering diners",
                      "background chatter of a crowd in a hall",
                      "a room full of people conversing, walla",
                      "the hubbub of voices at a party or a market"],
        keywords=["crowd", "murmur", "chatter", "chattering", "talking", "conversation", "voices", "walla",
                  "hubbub", "babble", "people", "restaurant", "cafe", "party", "bar", "audience",
                  "children", "kids", "laughing", "laughter", "children laughing", "giggling"],
        track="ambience", texture=True, stereo_width=0.8, default_duration_s=10.0)
def crowd_murmur(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = sr // dsp.low_rate_factor(sr, 4800.0)
    ni = dsp.n_samples(dur, sri)
    lively = req.has("party", "bar", "pub", "laughing", "laughter", "cheerful", "lively", "festive") or req.mood == "happy"
    hushed = req.has("hushed", "whisper", "whispering", "quiet", "library", "murmuring", "murmurs")
    big = req.has("stadium", "huge", "hundreds", "large crowd", "arena", "concourse", "station", "market")
    density = float(np.clip(0.5 * req.size + 0.5 * req.intensity + (0.3 if big else 0) - (0.3 if hushed else 0), 0, 1))
    n_voices = int(10 + round(20 * density))
    effort = float(np.clip(req.intensity + (0.2 if lively else 0) - (0.3 if hushed else 0), 0, 1))

    cr = 200.0                                   # control rate for syllable envelopes
    nc = int(dur * cr) + 2
    tc = np.arange(nc) / cr
    n_bus = _VOWELS.shape[0]
    keys, weights = [], []
    cons_t, cons_a = [], []
    for v in range(n_voices):
        female = rng.random() < 0.5
        f0 = (rng.uniform(170, 250) if female else rng.uniform(90, 140)) * (1 + 0.15 * effort)
        near = rng.random() < 0.3
        gain = (rng.uniform(0.5, 1.0) if near else rng.uniform(0.12, 0.4))
        pan = rng.uniform(0.05, 0.95)
        laugher = lively and rng.random() < 0.2
        # syllable stream with phrase pauses: talk turns of a few seconds
        k = int(dur / 0.12) + 8
        d = rng.gamma(5.0, 0.19 / 5.0, k) / float(np.clip(req.rate, 0.5, 2.0))
        pause = rng.random(k) < 0.1
        d[pause] = rng.uniform(0.3, 1.8, int(pause.sum()))
        # listening turns: long silences
        turn = dsp.smooth_noise(k, 10, 0.5, rng, hop=64) < 0.35
        on = rng.uniform(-1.0, 0.5) + np.concatenate([[0.0], np.cumsum(d)[:-1]])
        vowel = rng.integers(0, n_bus, k)
        peak = rng.uniform(0.5, 1.0, k) * ~pause * ~turn
        if laugher:   # bursts of "ha-ha-ha": fast /a/ syllables, rising pitch
            lz = rng.random(k) < 0.06
            for i in np.flatnonzero(lz):
                m = min(int(rng.integers(4, 8)), k - i)
                d[i:i + m] = 0.17
                vowel[i:i + m] = 0
                peak[i:i + m] = 1.0
            on = rng.uniform(-1.0, 0.5) + np.concatenate([[0.0], np.cumsum(d)[:-1]])
        si = np.clip(np.searchsorted(on, tc, side="right") - 1, 0, k - 1)
        u = np.clip((tc - on[si]) / d[si], 0, 1)
        amp_c = peak[si] * np.sin(np.pi * np.minimum(u / 0.8, 1.0)) ** 0.6 * (tc >= on[0])
        intonation = np.exp(0.18 * (dsp.smooth_noise(nc, int(cr), 2.5, rng, hop=64) - 0.5) - 0.08 * u)
        f0_c = f0 * intonation * (1 + 0.1 * peak[si])
        # glottal pulse instants: integer crossings of the accumulated phase
        phase = np.cumsum(f0_c) / cr
        kk = np.arange(int(np.ceil(phase[0])), int(phase[-1]))
        if kk.size == 0:
            continue
        pt = np.interp(kk, phase, tc)
        pt = pt + rng.normal(0, 0.0004, pt.size)                   # jitter
        ci = np.clip((pt * cr).astype(np.int64), 0, nc - 1)
        a = amp_c[ci] * gain * (1 + 0.1 * rng.standard_normal(pt.size))
        live = a > 1e-3
        pt, a, ci = pt[live], a[live], ci[live]
        s = np.clip(np.round(pt * sri).astype(np.int64), 0, ni - 1)
        bus = vowel[si[ci]] + (n_bus if female else 0)
        keys.append((bus * 2) * ni + s); weights.append(a * np.cos(0.5 * np.pi * pan))
        keys.append((bus * 2 + 1) * ni + s); weights.append(a * np.sin(0.5 * np.pi * pan))
        # consonants at the start of about half the syllables
        ons = on[(peak > 0) & (rng.random(k) < 0.55) & (on >= 0) & (on < dur)]
        cons_t.append(ons); cons_a.append(np.full(ons.size, gain * 0.35) * rng.uniform(0.5, 1.0, ons.size))
    nb = 2 * n_bus * 2
    if keys:
        buses = np.bincount(np.concatenate(keys), weights=np.concatenate(weights), minlength=nb * ni)[:nb * ni]
    else:
        buses = np.zeros(nb * ni)
    buses = buses.reshape(nb, ni)
    voiced = np.zeros((2, ni))
    for b in range(nb):
        x = buses[b]
        if not np.any(x):
            continue
        vw, fem, ch = (b // 2) % n_bus, (b // 2) >= n_bus, b % 2
        sos = _allpole_sos(sri, _VOWELS[vw] * (1.17 if fem else 1.0), _VOWEL_BW * (1.1 if fem else 1.0))
        voiced[ch] += signal.sosfilt(sos, dsp.denormal_guard(x))
    # glottal spectral tilt, more vocal effort -> brighter
    voiced = dsp.highpass(voiced, sri, 120.0)
    voiced = voiced + (0.3 + 0.5 * effort) * dsp.highpass(voiced, sri, 1500.0)
    # babble bed: speech-shaped noise with syllabic (~4 Hz) modulation, from the unseen crowd
    bed = dsp.bandpass(rng.standard_normal((2, ni)), sri, 250, 2500, order=1)
    bed *= (0.6 + 0.4 * dsp.smooth_noise(ni, sri, 4.0, rng, hop=64))[None, :]
    rms_v = dsp.rms(voiced) + 1e-9
    voiced = voiced + bed * rms_v * (0.35 + 0.5 * density)
    if req.params.get("dull_hz"):
        # distant voices for a composite: low-passed at the internal rate, no consonant layer
        return dsp.upsample(dsp.lowpass(voiced, sri, req.params["dull_hz"]).astype(np.float32), sr // sri, n)
    out = dsp.upsample(voiced.astype(np.float32), sr // sri, n)
    # consonant noise (fricatives / plosive bursts), at the full rate
    ct = np.concatenate(cons_t) if cons_t else np.zeros(0)
    ca = np.concatenate(cons_a) if cons_a else np.zeros(0)
    env = dsp.place_grains(n, sr, ct, _grain_env(int(0.05 * sr), 0.3), ca)
    noise = (rng.random(n, dtype=np.float32) - np.float32(0.5)) * np.float32(3.4641016)
    fric = dsp.bandpass(noise, sr, 2500, min(7500, 0.45 * sr)) * env.astype(np.float32)
    fric *= np.float32(0.18 * rms_v / (dsp.rms(fric) + 1e-9))
    return out + np.stack([fric, np.roll(fric, int(0.011 * sr))])


# ----------------------------------------------------------------------------------
# footsteps
# ----------------------------------------------------------------------------------
_SURFACE_ALIASES = {
    "hard": ("concrete", "stone", "tile", "tiles", "tiled", "marble", "asphalt", "pavement", "sidewalk", "street",
             "cobblestone", "cobblestones", "ice", "hard", "brick", "corridor", "hallway", "parking", "garage"),
    "wood": ("wood", "wooden", "floorboards", "boards", "plank", "planks", "deck", "porch", "stairs", "staircase",
             "attic", "cabin", "parquet", "bridge"),
    "metal": ("metal", "metallic", "steel", "iron", "tin", "grate", "grating", "catwalk", "gangway", "ship"),
    "gravel": ("gravel", "pebbles", "stones", "rubble", "shingle", "glass", "debris"),
    "snow": ("snow", "snowy", "powder"),
    "grass": ("grass", "grassy", "lawn", "meadow", "field"),
    "leaves": ("leaves", "twigs", "undergrowth", "forest", "woods"),
    "carpet": ("carpet", "carpeted", "rug", "bedroom"),
    "sand": ("sand", "sandy", "beach", "desert", "dune"),
    "mud": ("mud", "muddy", "swamp", "bog", "marsh", "wet"),
    "water": ("water", "puddle", "puddles", "shallow", "wading", "stream", "splashing"),
    "dirt": ("dirt", "earth", "trail", "path", "soil", "ground"),
}


def _surface_of(req: SynthRequest, default: str = "hard") -> str:
    if req.surface:
        s = req.surface.lower()
        for key, names in _SURFACE_ALIASES.items():
            if s == key or s in names:
                return key
    for key in ("snow", "gravel", "metal", "water", "mud", "sand", "carpet", "leaves", "grass", "wood", "dirt", "hard"):
        if any(w in req.words for w in _SURFACE_ALIASES[key]):
            return key
    return default


def _rows_filter(x: np.ndarray, sr: int, lo: float | None, hi: float | None, order: int = 2) -> np.ndarray:
    """Butterworth filter along the last axis of a (k, L) block of grains."""
    nyq = 0.49 * sr
    if lo and hi:
        sos = signal.butter(order, [max(lo, 10), min(hi, nyq * 0.98)], "bandpass", fs=sr, output="sos")
    elif lo:
        sos = signal.butter(order, min(lo, nyq * 0.9), "highpass", fs=sr, output="sos")
    else:
        sos = signal.butter(order, min(hi, nyq * 0.98), "lowpass", fs=sr, output="sos")
    return signal.sosfilt(sos, x, axis=-1)


def _rows_modes(t: np.ndarray, exc_amp: np.ndarray, freqs: np.ndarray, t60: np.ndarray, amps: np.ndarray,
                onset: np.ndarray | None = None, sr: int = 44100) -> np.ndarray:
    """Per-row modal ring: sum_m amps * exp decay * sin, started at row onset (s)."""
    f32 = np.float32
    tt = t if onset is None else np.maximum(t - onset[:, None], 0).astype(f32)
    gate = 1.0 if onset is None else (t >= onset[:, None])
    y = np.zeros((freqs.shape[0], t.shape[-1]), dtype=f32)
    for m in range(freqs.shape[1]):
        if np.all(freqs[:, m] >= 0.45 * sr):
            continue
        f = freqs[:, m:m + 1].astype(f32)
        y += (amps[:, m:m + 1] * (f < 0.45 * sr)).astype(f32) * np.exp(-f32(6.9) * tt / t60[:, m:m + 1].astype(f32)) \
            * np.sin(f32(2 * np.pi) * f * tt)
    return y * gate * exc_amp[:, None]


def _footfalls(sr: int, rng, k: int, surface: str, **kw) -> np.ndarray:
    """Footfall grains, faded out once the foot is planted (no stray late onsets)."""
    y = _footfalls_raw(sr, rng, k, surface, **kw)
    if surface in ("metal", "wood"):
        return y
    L = y.shape[1]
    t = np.arange(L) / sr
    end = 0.22 if surface in ("mud", "water") else (0.09 if surface == "carpet" else 0.16)
    w = np.clip(1 - (t - end) / 0.05, 0, 1)
    return y * (0.5 - 0.5 * np.cos(np.pi * w))[None, :]


def _footfalls_raw(sr: int, rng, k: int, surface: str, *, heavy: float, running: bool, heels: bool,
               barefoot: bool, light: bool) -> np.ndarray:
    """k footfall grains (k, L): heel strike, roll, ball/toe contact, through a surface."""
    f32 = np.float32
    L = int((0.7 if surface == "metal" else 0.42) * sr)
    t = (np.arange(L) / sr).astype(f32)[None, :]
    # heel -> ball timing; runners land on the forefoot almost at once
    tb = (rng.uniform(0.018, 0.03, k) if running else rng.uniform(0.06, 0.1, k) * (1.3 if light else 1.0)).astype(f32)
    a_heel = (0.45 if (running or light) else 1.0) * rng.uniform(0.85, 1.0, k)
    a_ball = (1.0 if running else 0.55) * rng.uniform(0.8, 1.0, k)
    if light:
        a_heel *= 0.5
    hb = t >= tb[:, None]
    e_heel = np.exp(-t / f32(0.004))
    # the ball rolls in (8 ms rise) on top of the heel's scuff: one step, one onset
    e_ball = hb * np.exp(-np.maximum(t - tb[:, None], 0) / f32(0.006)) * np.minimum(np.maximum(t - tb[:, None], 0) / f32(0.008), 1)
    # roll/scuff: plateau from heel to just after the ball, decaying
    e_roll = np.minimum(t / f32(0.004), 1) * np.exp(-np.maximum(t - tb[:, None] - 0.03, 0) / f32(0.03))
    a_ball = a_ball * 0.75
    clicks = (a_heel[:, None] * e_heel + a_ball[:, None] * e_ball).astype(f32)
    roll_amp = (0.3 * np.maximum(a_heel, a_ball))[:, None].astype(f32)
    noise = rng.standard_normal((k, L)).astype(f32)
    body_f = rng.uniform(70, 110, k) * (0.85 if heavy > 0.6 else 1.0)
    body = _rows_modes(t, np.maximum(a_heel, 0.6 * a_ball) * (0.5 + heavy), body_f[:, None],
                       np.full((k, 1), 0.14 + 0.06 * heavy), np.ones((k, 1)), sr=sr)
    body += _rows_modes(t, a_ball * (0.1 + 0.2 * heavy), (body_f * 1.3)[:, None], np.full((k, 1), 0.05),
                        np.ones((k, 1)), onset=tb, sr=sr)

    if surface in ("hard", "wood", "metal"):
        cl = noise * clicks
        if barefoot:
            cl = _rows_filter(cl, sr, 150, 1500)       # skin slap
            scuff = _rows_filter(np.roll(noise, 977, axis=1) * e_roll * roll_amp, sr, 150, 1500)
        else:
            cl = _rows_filter(cl, sr, 700, 9000)
            scuff = _rows_filter(np.roll(noise, 977, axis=1) * e_roll * roll_amp, sr, 1500, 9000)
            if heels:        # stiletto: a hard, ringing tap
                cl = 0.6 * cl + _rows_modes(t, a_heel * 0.6, rng.uniform(2600, 3600, (k, 1)), np.full((k, 1), 0.03),
                                            np.ones((k, 1)), sr=sr)
        y = cl + scuff
        if surface == "hard":
            y = y + 0.6 * body
        elif surface == "wood":
            base = rng.uniform(95, 130)
            ratios = np.array([1.0, 1.72, 2.55, 3.9, 5.3, 7.4])
            fr = base * ratios[None, :] * rng.uniform(0.97, 1.03, (k, 6))
            t60 = np.array([0.22, 0.17, 0.13, 0.1, 0.08, 0.06])[None, :] * rng.uniform(0.8, 1.2, (k, 6))
            am = np.array([1.0, 0.8, 0.6, 0.45, 0.3, 0.2])[None, :] * rng.uniform(0.5, 1.0, (k, 6))
            ring = _rows_modes(t, a_heel, fr, t60, am, sr=sr) + _rows_modes(t, a_ball * 0.6, fr, t60 * 0.7, am,
                                                                           onset=tb, sr=sr)
            y = 0.5 * y + 0.35 * ring * np.abs(y).max(axis=1, keepdims=True) / (np.abs(ring).max(axis=1, keepdims=True) + 1e-9) + 0.8 * body
        else:  # metal: hollow, ringing plate / grate
            fr = rng.uniform(300, 3500, 8)
            fr = np.sort(fr)[None, :] * rng.uniform(0.99, 1.01, (k, 8))
            t60 = rng.uniform(0.25, 0.6, 8)[None, :] * np.ones((k, 1))
            am = rng.uniform(0.3, 1.0, 8)[None, :] * np.ones((k, 1))
            ring = _rows_modes(t, a_heel, fr, t60, am, sr=sr) + _rows_modes(t, a_ball * 0.7, fr, t60, am, onset=tb, sr=sr)
            y = 0.4 * y + 0.5 * ring * np.abs(y).max(axis=1, keepdims=True) / (np.abs(ring).max(axis=1, keepdims=True) + 1e-9) + 0.4 * body
        return y

    # granular surfaces: a cloud of tiny grains whose density and size follow the foot's
    # pressure (heel burst, roll, ball burst), over a floor of the same texture
    press = (a_heel[:, None] * np.exp(-t / f32(0.03 if running else 0.07)) * np.minimum(t / f32(0.003), 1)
             + a_ball[:, None] * hb * np.exp(-np.maximum(t - tb[:, None], 0) / f32(0.045))
             + roll_amp * 1.2 * e_roll).astype(f32)
    def cloud(p_max, lo, hi, floor=0.45, lo2=None, hi2=None):
        g = (rng.random((k, L)) < p_max * press) * noise * rng.uniform(0.4, 1.0, (k, L)).astype(f32)
        y = _rows_filter(g * press, sr, lo, hi)
        y /= (np.sqrt(np.mean(y ** 2, axis=1, keepdims=True)) + 1e-9)
        fl = _rows_filter(np.roll(noise, 333, axis=1) * press, sr, lo if lo2 is None else lo2, hi if hi2 is None else hi2)
        fl /= (np.sqrt(np.mean(fl ** 2, axis=1, keepdims=True)) + 1e-9)
        return y + floor * fl
    def with_body(y, amount):
        return y + amount * body * np.abs(y).max(axis=1, keepdims=True) / (np.abs(body).max(axis=1, keepdims=True) + 1e-9)
    if surface == "gravel":
        y = cloud(0.12 + 0.1 * heavy, 1200, 7000) + 0.5 * cloud(0.05, 350, 1400)
        return with_body(y, 0.35)
    if surface in ("snow", "sand"):
        y = cloud(0.5, 250, 2200 if surface == "snow" else 3500, floor=0.6)
        if surface == "snow":  # compressed-snow squeak
            y = y + 0.3 * cloud(0.3, 900, 1300) * (rng.random((k, 1)) < 0.5)
        return with_body(y, 0.3)
    if surface == "grass":
        y = cloud(0.03, 3000, 9000, floor=1.5, lo2=1800, hi2=9000)
        return with_body(y, 0.5)
    if surface == "leaves":
        y = cloud(0.15, 2000, 9000, floor=0.5, lo2=1500, hi2=6000)
        return with_body(y, 0.35)
    if surface == "dirt":
        y = 0.5 * cloud(0.05, 800, 4000, floor=0.6) + 0.6 * _rows_filter(noise * (clicks + e_roll * roll_amp), sr, 200, 2000) \
            / (np.sqrt(np.mean(_rows_filter(noise * clicks, sr, 200, 2000) ** 2, axis=1, keepdims=True)) + 1e-9)
        return with_body(y, 1.0)
    if surface == "carpet":
        y = _rows_filter(noise * press, sr, 80, 700, order=2)
        y /= np.sqrt(np.mean(y ** 2, axis=1, keepdims=True)) + 1e-9
        brush = _rows_filter(np.roll(noise, 555, axis=1) * press, sr, 600, 2500)   # fibres brushing the sole
        y += 0.5 * brush / (np.sqrt(np.mean(brush ** 2, axis=1, keepdims=True)) + 1e-9)
        return y + 0.3 * body * np.abs(y).max(axis=1, keepdims=True) / (np.abs(body).max(axis=1, keepdims=True) + 1e-9)
    if surface in ("mud", "water"):
        # suction / splash after the foot lands, plus a few bubble chirps
        lift = tb + rng.uniform(0.05, 0.08, k).astype(f32)
        dl = np.maximum(t - lift[:, None], 0)
        e_lift = np.minimum(dl / f32(0.04), 1) * np.exp(-dl / f32(0.05)) * 0.5
        if surface == "mud":
            e_lift *= 0.5
            sq = np.exp(-t / f32(0.12)) * np.minimum(t / f32(0.004), 1) * a_heel[:, None]
            y = _rows_filter(noise * (sq + press), sr, 150, 900) + 0.8 * _rows_filter(noise * e_lift, sr, 300, 1500)
            chirp = np.sin(2 * np.pi * (250 * dl + 2500 * dl * dl)) * e_lift
            return y + 0.2 * chirp * np.abs(y).max(axis=1, keepdims=True) + 0.4 * body
        spl = np.exp(-np.maximum(t, 0) / f32(0.08)) * (a_heel[:, None] + a_ball[:, None] * hb)
        y = _rows_filter(noise * spl, sr, 700, 7000) + 0.6 * _rows_filter(noise * e_lift, sr, 1000, 6000)
        bub_t = rng.uniform(0.01, 0.06, (k, 1)).astype(f32)
        tt = np.maximum(t - bub_t, 0)
        bub = np.sin(2 * np.pi * (600 * tt + 20000 * tt * tt)) * np.exp(-tt / 0.015) * np.minimum(tt / 0.005, 1)
        return y + 0.2 * bub * np.abs(y).max(axis=1, keepdims=True)
    return noise * clicks


@recipe("footsteps",
        descriptions=["someone walking, their footsteps echoing on a hard floor",
                      "boots crunching along a gravel path",
                      "a person running, rapid feet pounding the ground",
                      "slow creaking steps across wooden floorboards",
                      "high heels clicking down a corridor",
                      "trudging through deep snow"],
        keywords=["footsteps", "footstep", "steps", "walking", "walk", "walks", "running", "runs", "jogging",
                  "stomping", "pacing", "strides", "treading", "trudging", "heels", "boots", "feet", "approaching"],
        track="fx", texture=False, stereo_width=0.15, default_duration_s=5.0)
def footsteps(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    running = req.has("run", "runs", "running", "ran", "jog", "jogging", "sprint", "sprinting", "racing", "rushing",
                      "hurried", "hurrying", "fleeing", "chase", "chasing") or req.rate >= 1.6
    light = req.has("tiptoe", "tiptoeing", "sneaking", "creeping", "sneak", "creep", "quietly", "soft", "light")
    heavy = float(np.clip(req.intensity + (0.3 if req.has("heavy", "stomp", "stomping", "boots", "marching") else 0)
                          - (0.3 if light else 0) + 0.2 * (req.size - 0.5), 0, 1))
    heels = req.has("heels", "stiletto", "stilettos", "high-heels")
    barefoot = req.has("barefoot", "bare")
    default = "wood" if (req.indoor and req.has("house", "stairs", "old", "creaky", "creaking", "floorboards")) else "hard"
    surface = _surface_of(req, default)
    speed = req.rate / 1.8 if (running and req.rate >= 1.6) else req.rate
    period = (0.34 if running else 0.56) / float(np.clip(speed, 0.4, 2.5))
    if light:
        period *= 1.35
    if req.has("slow", "slowly", "shuffling", "trudging", "limping", "weary"):
        period *= 1.3
    if req.count:
        k = int(req.count)
        period = min(period, max((dur - 0.45) / max(k, 1), 0.12))
        t = 0.12 + period * np.arange(k) * (1 + 0.04 * dsp.smooth_noise(k, 10, 0.3, rng, lo=-1, hi=1, hop=64))
        t = t + rng.uniform(-0.04, 0.04, k) * period
        t = np.clip(t, 0.05, dur - 0.3)
        t = np.sort(t)
    else:
        k = int(dur / period) + 3
        per = period * (1 + 0.04 * dsp.smooth_noise(k, 10, 0.2, rng, lo=-1, hi=1, hop=64)) * (1 + rng.uniform(-0.05, 0.05, k))
        t = rng.uniform(0.05, 0.3) + np.concatenate([[0.0], np.cumsum(per)[:-1]])
        t = t[t < dur - 0.05]
        k = t.size
    g = _footfalls(sr, rng, k, surface, heavy=heavy, running=running, heels=heels, barefoot=barefoot, light=light)
    foot = np.where(np.arange(k) % 2 == 0, 1.0, rng.uniform(0.8, 0.95))        # left/right foot asymmetry
    amp = foot * dsp.db_to_gain(rng.uniform(-2, 2, k)) * (0.6 + 0.4 * heavy)
    return dsp.overlap_add(n, np.round(t * sr).astype(np.int64), g * amp[:, None])


# ----------------------------------------------------------------------------------
# applause
# ----------------------------------------------------------------------------------
def _clap_variants(sr: int, rng, g: int) -> np.ndarray:
    """g clap grains: 8-12 ms noise bursts through a hand-cavity resonance (Repp's
    palm/finger configurations span roughly 700-2800 Hz)."""
    L = int(0.018 * sr)
    t = np.arange(L) / sr
    fc = rng.uniform(700, 2800, g)
    env = np.minimum(t / 0.0007, 1)[None, :] * np.exp(-t[None, :] / rng.uniform(0.0018, 0.004, (g, 1)))
    x = rng.standard_normal((g, L)) * env
    out = np.zeros((g, L))
    for i in range(g):
        out[i] = dsp.resonator(x[i], sr, fc[i], rng.uniform(2, 6)) + 0.12 * dsp.bandpass(x[i], sr, 2000, 7000)
    return out / (np.abs(out).max(axis=1, keepdims=True) + 1e-9)


@recipe("applause",
        descriptions=["an audience applauding enthusiastically",
                      "a room full of people clapping their hands",
                      "a smattering of polite clapping",
                      "thunderous ovation from a large crowd",
                      "one person slowly clapping"],
        keywords=["applause", "applauding", "applaud", "clapping", "claps", "clap", "ovation", "audience",
                  "handclaps", "standing ovation"],
        track="fx", texture=True, stereo_width=0.7, default_duration_s=6.0)
def applause(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    variants = _clap_variants(sr, rng, 24)
    L = variants.shape[1]
    if req.count or req.has("single", "one person", "slow clap", "slowly", "lone"):
        if req.count:
            t = _count_times(dur, req.count, rng, lead=0.1, tail=0.2, jitter=0.03)
        else:
            per = rng.uniform(0.7, 1.1) / max(req.rate, 0.3)
            t = dsp.regular_times(dur - 0.05, per, start_s=0.1, jitter=0.03, rng=rng)
        v = rng.integers(0, 24, 2)
        idx = v[rng.integers(0, 2, t.size)]
        grains = variants[idx] * rng.uniform(0.85, 1.0, (t.size, 1))
        return dsp.overlap_add(n, np.round(t * sr), grains)
    big = req.has("ovation", "thunderous", "stadium", "huge", "roaring", "crowd", "standing")
    small = req.has("smattering", "polite", "scattered", "few", "small")
    size = float(np.clip(0.5 * req.size + 0.5 * req.intensity + (0.4 if big else 0) - (0.35 if small else 0), 0, 1))
    n_clappers = int(3 + round(200 * size ** 2))
    n_grain = min(n_clappers, 24)              # individually rendered near clappers
    enth = 0.8 + 0.5 * req.intensity
    rate = rng.uniform(3.0, 5.5, n_grain) * enth * float(np.clip(req.rate, 0.5, 2.0))
    start = rng.gamma(2.0, 0.15, n_grain)
    stop = dur - np.where(rng.random(n_grain) < 0.5, rng.exponential(0.08 * dur + 0.3, n_grain), 0.0)
    m = int(np.max(rate) * dur) + 4
    per = (1.0 / rate)[:, None] * (1 + 0.06 * rng.standard_normal((n_grain, m)))
    times = start[:, None] + np.cumsum(per, axis=1) - per[:, :1]
    ok = (times < stop[:, None]) & (times < dur)
    who = np.broadcast_to(np.arange(n_grain)[:, None], times.shape)[ok]
    t = times[ok]
    myvar = rng.integers(0, 24, (n_grain, 2))
    vidx = myvar[who, rng.integers(0, 2, who.size)]
    gain = rng.uniform(0.3, 1.0, n_grain)
    pan = rng.uniform(0, 1, n_grain)
    a = gain[who] * rng.uniform(0.7, 1.0, who.size)
    # swell in over the first ~second
    a *= np.clip(t / 0.6, 0.3, 1.0)
    # vectorised scatter for both channels
    st = np.round(t * sr).astype(np.int64)
    ii = (st[:, None] + np.arange(L)[None, :]).ravel()
    gv = (variants[vidx] * a[:, None]).astype(np.float32)
    wl = (gv * np.cos(0.5 * np.pi * pan[who])[:, None].astype(np.float32)).ravel()
    wr = (gv * np.sin(0.5 * np.pi * pan[who])[:, None].astype(np.float32)).ravel()
    out = np.stack([np.bincount(ii, wl, minlength=n + L)[:n], np.bincount(ii, wr, minlength=n + L)[:n]])
    if n_clappers > n_grain:
        # the rest of the crowd: a dense Poisson clap field through a few hand resonances
        dens = (n_clappers - n_grain) * 4.5 * enth
        env_t = np.linspace(0, dur, 64)
        swell = np.clip(env_t / 0.8, 0, 1) * np.clip((dur - env_t) / (0.15 * dur + 0.3) + 0.3, 0, 1)
        imp = np.zeros((2, n))
        for ch in range(2):
            tt = dsp.poisson_times(dur, dens / 2, rng)
            amp = rng.uniform(0.2, 0.6, tt.size) * np.interp(tt, env_t, swell) * rng.choice([-1.0, 1.0], tt.size)
            imp[ch] = dsp.denormal_guard(dsp.impulse_train(n, sr, tt, amp))
        burst = dsp.lowpass(imp, sr, 6000)
        field = dsp.resonator(burst, sr, rng.uniform(900, 1200), 1.2) + dsp.resonator(burst, sr, rng.uniform(1800, 2400), 1.5)
        out += field * (0.5 * np.sqrt(n_clappers / 24.0))
    return out


# ----------------------------------------------------------------------------------
# heartbeat
# ----------------------------------------------------------------------------------
def _heart_bpm(req: SynthRequest) -> float:
    bpm = 66.0 + 40.0 * max(req.intensity - 0.5, 0.0)
    if req.has("racing", "pounding", "fast", "rapid", "panic", "panicked", "terrified", "frantic", "running"):
        bpm = 125.0
    elif req.has("slow", "slowly", "calm", "resting", "sleeping", "faint", "dying", "weak"):
        bpm = 52.0
    if "bpm" in req.params:
        bpm = float(req.params["bpm"])
    return float(np.clip(bpm * req.rate, 30, 200))


@recipe("heartbeat",
        descriptions=["a human heart beating, lub-dub, lub-dub",
                      "a slow steady pulse thumping in the chest",
                      "a racing heart pounding with fear",
                      "the muffled thump of a heartbeat heard through a stethoscope"],
        keywords=["heartbeat", "heart", "heartbeats", "pulse", "lub-dub", "thumping", "pounding", "stethoscope"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=6.0)
def heartbeat(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    bpm = _heart_bpm(req)
    period = 60.0 / bpm
    if req.count:
        period = min(period, max((dur - 0.5) / req.count, 0.3))
        t = 0.1 + period * np.arange(req.count) * (1 + rng.uniform(-0.02, 0.02, req.count))
    else:
        k = int(dur / period) + 2
        t = rng.uniform(0.05, 0.25) + np.concatenate([[0.0], np.cumsum(period * (1 + rng.uniform(-0.03, 0.03, k)))[:-1]])
        t = t[t < dur - 0.05]
    k = t.size
    # systole (S1 -> S2) shortens as the rate rises
    s2 = np.clip(0.34 - 0.09 * (bpm - 60) / 60, 0.2, 0.36) * rng.uniform(0.97, 1.03, k)
    L = int(0.55 * sr)
    tt = (np.arange(L) / sr)[None, :]
    f1 = rng.uniform(42, 52) * rng.uniform(0.98, 1.02, (k, 1))
    f2 = rng.uniform(58, 70) * rng.uniform(0.98, 1.02, (k, 1))
    loud = 0.7 + 0.5 * req.intensity
    def thump(t0, f, tau, amp):
        u = np.maximum(tt - t0, 0)
        env = np.minimum(u / 0.012, 1) * np.exp(-u / tau) * (tt >= t0)
        return amp * env * (np.sin(2 * np.pi * f * u) + 0.35 * np.sin(2 * np.pi * 0.62 * f * u + 1.0))
    lub = thump(0.0, f1, 0.045, 1.0 * loud * rng.uniform(0.9, 1.0, (k, 1)))
    dub = thump(s2[:, None], f2, 0.03, 0.7 * loud * rng.uniform(0.85, 1.0, (k, 1)))
    y = dsp.denormal_guard(dsp.overlap_add(n, np.round(t * sr), lub + dub))
    # valve click texture and body-muffled flow noise, all kept below ~200 Hz
    thud = dsp.lowpass(rng.standard_normal(n) * np.abs(y) * 0.8, sr, 150, order=2)
    return dsp.lowpass(y + thud, sr, 180, order=2)


# ----------------------------------------------------------------------------------
# breathing
# ----------------------------------------------------------------------------------
@recipe("breathing",
        descriptions=["a person breathing slowly in and out",
                      "heavy panting after a long run",
                      "calm deep breaths through the nose",
                      "someone gasping for air, out of breath",
                      "soft sleepy breathing close to the microphone"],
        keywords=["breathing", "breath", "breaths", "breathe", "inhale", "exhale", "panting", "pant", "gasping",
                  "gasp", "sighing", "sigh", "wheezing", "respiration", "huffing"],
        track="fx", texture=True, stereo_width=0.0, default_duration_s=8.0)
def breathing(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    heavy = req.has("heavy", "heavily", "panting", "pant", "pants", "gasping", "gasp", "gasps", "exhausted",
                    "out of breath", "huffing", "running", "winded") or req.intensity > 0.8
    sleepy = req.has("sleep", "sleeping", "sleepy", "asleep", "calm", "slow", "deep", "relaxed")
    if heavy:
        ti, te, tp = 0.32, 0.42, 0.06
    elif sleepy:
        ti, te, tp = 1.6, 2.2, 1.0
    else:
        ti, te, tp = 1.2, 1.7, 0.6
    r = float(np.clip(req.rate, 0.4, 2.5))
    ti, te, tp = ti / r, te / r, tp / r
    cyc = ti + te + tp
    if cyc > dur - 0.1:          # a short take still holds one whole breath
        sc = max(dur - 0.15, 0.2) / cyc
        ti, te, tp = ti * sc, te * sc, tp * sc
        cyc = ti + te + tp
    if req.count:
        cyc = min(cyc, max((dur - 0.3) / req.count, 0.5))
        sc = cyc / (ti + te + tp)
        ti, te, tp = ti * sc, te * sc, tp * sc
        t = 0.1 + cyc * np.arange(req.count)
    else:
        k = int(dur / cyc) + 2
        t = rng.uniform(0.0, min(0.5 * cyc, 0.1 * dur)) + np.concatenate([[0.0], np.cumsum(cyc * (1 + 0.08 * rng.standard_normal(k)))[:-1]])
        t = t[t < dur - 0.2]
    k = t.size
    f32 = np.float32
    def breath_rows(d, shape_pow):
        L = int((d * 1.15) * sr) + 1
        u = (np.arange(L) / sr)[None, :] / (d * rng.uniform(0.9, 1.1, (k, 1)))
        env = np.where(u < 1, np.sin(np.pi * np.clip(u, 0, 1) ** shape_pow) ** 1.5, 0.0)
        return (rng.standard_normal((k, L)) * env).astype(f32), L
    # inhale: airflow turbulence at the nose/lips, brighter, rising
    xi, Li = breath_rows(ti, 0.8)
    inh = _rows_filter(xi, sr, 900, 6000) + 0.6 * np.asarray(signal.lfilter(*_res_ba(sr, 2600, 4), xi, axis=-1))
    # exhale: "hhh" through the vocal tract, lower formants; heavy -> partly voiced
    xe, Le = breath_rows(te, 1.2)
    exh = _rows_filter(xe, sr, 300, 3500) + 0.8 * np.asarray(signal.lfilter(*_res_ba(sr, 700, 3), xe, axis=-1)) \
        + 0.5 * np.asarray(signal.lfilter(*_res_ba(sr, 1250, 4), xe, axis=-1))
    loud_i = (0.5 if not heavy else 0.9) * rng.uniform(0.8, 1.0, (k, 1))
    loud_e = (0.45 if not heavy else 1.0) * rng.uniform(0.8, 1.0, (k, 1))
    y = dsp.overlap_add(n, np.round(t * sr), inh * loud_i) + dsp.overlap_add(n, np.round((t + ti) * sr), exh * loud_e)
    if heavy:   # a little voicing (grunt) on the heavy exhales
        f0 = rng.uniform(100, 140)
        L = Le
        tt = (np.arange(L) / sr)[None, :]
        u = tt / te
        env = np.where(u < 1, np.sin(np.pi * np.clip(u, 0, 1) ** 1.2) ** 2, 0.0)
        voice = np.sign(np.sin(2 * np.pi * f0 * tt * (1 - 0.15 * u))) * env * rng.uniform(0.0, 0.25, (k, 1))
        voice = _rows_filter(voice, sr, 300, 1200)
        y += dsp.overlap_add(n, np.round((t + ti) * sr), voice)
    return y


def _res_ba(sr: int, f: float, q: float):
    w0 = 2 * np.pi * min(f, 0.45 * sr) / sr
    alpha = np.sin(w0) / (2 * q)
    b = np.array([alpha, 0.0, -alpha]) / (1 + alpha)
    a = np.array([1 + alpha, -2 * np.cos(w0), 1 - alpha]) / (1 + alpha)
    return b, a


# ----------------------------------------------------------------------------------
# typing
# ----------------------------------------------------------------------------------
def _key_rows(sr: int, rng, k: int, families: np.ndarray, fam_modes: np.ndarray, *, L_s: float,
              click_hp: float, thock: np.ndarray) -> np.ndarray:
    """Keystroke grains: plastic tick (noise through the key's modes) + bottom-out thock."""
    L = int(L_s * sr)
    t = (np.arange(L) / sr)[None, :].astype(np.float32)
    x = rng.standard_normal((k, L)).astype(np.float32) * np.exp(-t / np.float32(0.0012))
    y = _rows_filter(x, sr, click_hp, 11000) * 0.5
    fm = fam_modes[families]                               # (k, M)
    for m in range(fm.shape[1]):
        f = fm[:, m:m + 1] * rng.uniform(0.97, 1.03, (k, 1))
        y += (0.5 / (m + 1)) * (f < 0.45 * sr) * np.exp(-t / 0.012) * np.sin(2 * np.pi * f * t)
    tf = thock[families][:, None]
    y += 0.6 * np.exp(-t / 0.01) * np.sin(2 * np.pi * tf * t) * np.minimum(t / 0.001, 1)
    return y


@recipe("typing",
        descriptions=["fingers typing quickly on a computer keyboard",
                      "the clatter of keystrokes in an office",
                      "someone tapping away at a laptop",
                      "an old mechanical typewriter clacking, with a bell at the end of the line",
                      "a few keys pressed on a keyboard"],
        keywords=["typing", "keyboard", "keystrokes", "keystroke", "keys", "typewriter", "typist", "laptop",
                  "computer", "clacking", "tapping", "type"],
        track="fx", texture=False, stereo_width=0.1, default_duration_s=6.0)
def typing(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    typewriter = req.has("typewriter", "typewriters", "typewritten")
    r = float(np.clip(req.rate * (0.7 + 0.6 * req.intensity), 0.3, 3.0))
    # keystroke timing: words of letters, spaces, thinking pauses
    if req.count:
        t = _count_times(dur, req.count, rng, lead=0.1, tail=0.25, jitter=0.12)
        space = rng.random(t.size) < 0.12
    else:
        mean_ioi = (0.19 if typewriter else 0.13) / r
        k = int(dur / mean_ioi * 1.2) + 8
        ioi = rng.lognormal(np.log(mean_ioi), 0.35, k)
        word_len = rng.integers(2, 9, k)
        pos = np.cumsum(np.ones(k)) % (word_len.mean() + 1)
        space = pos < 1
        ioi[space] *= 1.4
        think = rng.random(k) < 0.02
        ioi[think] += rng.uniform(0.6, 2.0, int(think.sum()))
        t = rng.uniform(0.05, 0.3) + np.concatenate([[0.0], np.cumsum(ioi)[:-1]])
        keep = t < dur - 0.1
        t, space = t[keep], space[keep]
    k = t.size
    fam_n = 6
    if typewriter:
        fam_modes = rng.uniform(1500, 4200, (fam_n, 3))
        thock = rng.uniform(160, 280, fam_n)
        fam = rng.integers(0, fam_n, k)
        g = _key_rows(sr, rng, k, fam, fam_modes, L_s=0.12, click_hp=1200, thock=thock) * 1.4
        # escapement tick as the carriage steps
        esc = dsp.place_grains(n, sr, t + rng.uniform(0.045, 0.06, k),
                               dsp.highpass(rng.standard_normal(int(0.004 * sr)), sr, 3000) * np.exp(-np.arange(int(0.004 * sr)) / (0.001 * sr)),
                               0.25 * np.ones(k)) if k else np.zeros(n)
        y = dsp.overlap_add(n, np.round(t * sr), g * rng.uniform(0.8, 1.0, (k, 1))) + esc
        # end of line: bell, then the carriage return (ratchet + slam)
        line_len = int(rng.integers(28, 45))
        bells = [i for i in range(line_len, k, line_len)]
        if not bells and dur > 3.0 and not req.count:
            bells = [max(k - 3, 0)] if k else []
        for i in bells:
            tb = t[min(i, k - 1)] + 0.15
            bl = dsp.modal_bank(int(1.2 * sr), sr, [2900, 2900 * 2.76, 2900 * 1.003], [0.9, 0.4, 0.9], [1.0, 0.3, 0.5])
            dsp.place_signal(y, bl * 1.2, int(tb * sr))
            tc = tb + 0.35
            nr = int(rng.integers(12, 20))
            ratchet = tc + np.arange(nr) * 0.022
            ng = int(0.003 * sr)
            rg = dsp.bandpass(rng.standard_normal(ng), sr, 2000, 8000) * np.exp(-np.arange(ng) / (0.0008 * sr))
            y += dsp.place_grains(n, sr, ratchet, rg, 0.35 * np.ones(nr))
            slide = dsp.bandpass(rng.standard_normal(int(0.45 * sr)), sr, 400, 3000) * np.hanning(int(0.45 * sr)) * 0.12
            dsp.place_signal(y, slide, int(tc * sr))
            slam = dsp.modal_bank(int(0.2 * sr), sr, [180, 420, 1300], [0.12, 0.08, 0.05], [1.0, 0.6, 0.4])
            dsp.place_signal(y, slam * 1.3, int((tc + nr * 0.022) * sr))
        return y
    # computer keyboard: laptop (short, quiet) or mechanical (clicky, longer)
    mech = req.has("mechanical", "clicky", "gaming")
    fam_modes = rng.uniform(1800 if mech else 2500, 5500 if mech else 7000, (fam_n, 2))
    thock = rng.uniform(250, 500 if mech else 800, fam_n)
    fam = rng.integers(0, fam_n, k)
    g = _key_rows(sr, rng, k, fam, fam_modes, L_s=0.06, click_hp=2000 if mech else 3000, thock=thock)
    amp = rng.uniform(0.6, 1.0, (k, 1))
    # spacebar: a deeper, rattling stabiliser thud
    if np.any(space):
        L = g.shape[1]
        tt = np.arange(L) / sr
        bar = np.exp(-tt / 0.02) * (np.sin(2 * np.pi * 190 * tt) + 0.5 * np.sin(2 * np.pi * 610 * tt))
        g[space] += 0.8 * bar[None, :]
        amp[space] *= 1.2
    y = dsp.overlap_add(n, np.round(t * sr), g * amp)
    # key release: a softer tick 70-120 ms after the press
    rel = _key_rows(sr, rng, k, fam, fam_modes * 1.1, L_s=0.04, click_hp=3000, thock=thock * 0)
    y += dsp.overlap_add(n, np.round((t + rng.uniform(0.07, 0.12, k)) * sr), rel * 0.22 * amp)
    return y


# ----------------------------------------------------------------------------------
# paper rustle
# ----------------------------------------------------------------------------------
@recipe("paper_rustle",
        descriptions=["papers rustling as someone shuffles through documents",
                      "a sheet of paper being crumpled into a ball",
                      "turning the pages of a book",
                      "leafing through a newspaper",
                      "handling crisp paper on a desk"],
        keywords=["paper", "papers", "rustle", "rustling", "crumple", "crumpling", "page", "pages", "newspaper",
                  "documents", "sheet", "shuffle", "shuffling", "leafing", "book", "envelope", "map"],
        track="fx", texture=False, stereo_width=0.2, default_duration_s=4.0)
def paper_rustle(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    crumple = req.has("crumple", "crumpling", "crumpled", "crinkle", "crinkling", "scrunch", "wrapping")
    pages = req.has("page", "pages", "book", "turning", "flip", "flipping", "leafing", "newspaper", "magazine")
    # gestures (a hand movement each) on a jittered Poisson clock
    if req.count:
        g_t = _count_times(dur, req.count, rng, lead=0.1, tail=0.6, jitter=0.1)
    else:
        rate = (1.2 if crumple else 0.6) * (0.6 + 0.8 * req.intensity) * req.rate
        g_t = np.sort(rng.uniform(0, max(dur - 0.4, 0.1), max(1, rng.poisson(rate * dur))))
    kinds = np.where(pages, 2, np.where(crumple, 1, rng.integers(0, 3, g_t.size))) * np.ones(g_t.size, int)
    env_s = np.zeros(n)       # swish (air + sliding friction) envelope
    cr_t, cr_a = [], []        # crackle grains
    flap_t = []
    for tg, kind in zip(g_t, kinds):
        d = {0: rng.uniform(0.3, 0.9), 1: rng.uniform(0.4, 1.2), 2: rng.uniform(0.35, 0.6)}[int(kind)]
        i0, i1 = int(tg * sr), min(int((tg + d) * sr), n)
        if i1 <= i0:
            continue
        u = np.linspace(0, 1, i1 - i0)
        shape = np.sin(np.pi * u ** (0.6 if kind == 2 else 1.0)) ** 1.5
        env_s[i0:i1] += shape * (0.6 if kind == 1 else 1.0) * rng.uniform(0.6, 1.0)
        dens = {0: 120, 1: 900, 2: 60}[int(kind)] * (0.5 + req.intensity)
        m = rng.poisson(dens * d)
        tt = tg + d * rng.beta(2, 2, m)
        cr_t.append(tt); cr_a.append((0.3 + rng.pareto(3.0, m)) * (0.5 if kind != 1 else 1.0))
        if kind == 2:
            flap_t.append(tg + d * rng.uniform(0.75, 0.9))
    swish_noise = rng.standard_normal(n)
    swish = dsp.bandpass(swish_noise, sr, 1200, min(9000, 0.45 * sr)) * env_s
    swish += 0.5 * dsp.resonator(dsp.denormal_guard(swish_noise * env_s), sr, rng.uniform(2500, 4000), 1.5)
    ct = np.concatenate(cr_t) if cr_t else np.zeros(0)
    ca = np.concatenate(cr_a) if cr_a else np.zeros(0)
    imp = dsp.denormal_guard(dsp.impulse_train(n, sr, ct, np.minimum(ca, 3.0) * rng.choice([-1.0, 1.0], ca.size)))
    crack = dsp.bandpass(imp, sr, 1500, min(10000, 0.45 * sr)) + 0.6 * dsp.resonator(imp, sr, rng.uniform(3000, 5000), 3)
    y = 0.5 * swish / (dsp.rms(swish) + 1e-9) + crack / (dsp.rms(crack) + 1e-9) * (0.35 if not crumple else 0.6)
    if flap_t:
        L = int(0.05 * sr)
        fl = dsp.bandpass(rng.standard_normal(L), sr, 300, 2500) * np.exp(-np.arange(L) / (0.012 * sr))
        y += dsp.place_grains(n, sr, flap_t, fl / (np.abs(fl).max() + 1e-9), 0.6 * np.ones(len(flap_t)))
    return y
