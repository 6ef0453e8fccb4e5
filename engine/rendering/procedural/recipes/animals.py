"""Animal voices: songbirds, insects, frogs, dogs, cats, horses' hooves, roosters, owls.

Models (Farnell, *Designing Sound*; Nemisindo): birds are sine carriers with FM/AM
syllable gestures arranged into species-like songs; insects are ~4.5 kHz carriers gated
in pulse groups (crickets), tymbal click trains (cicadas) or a band-limited buzzing saw
(flies, mosquitoes, bees); barks, meows, croaks and crows are source-filter voices
(glottal pulse train or harmonic series -> formants); hooves are a 4-beat gait clock
driving a hollow "clop" resonance through a surface layer.

Everything dense is rendered as grains scattered with ``np.bincount`` (no per-sample
Python loops); per-event loops are used only where events are few.
"""
from __future__ import annotations

import numpy as np
from scipy import signal

from .. import dsp
from .base import SynthRequest, recipe


# ----------------------------------------------------------------------------------
# private helpers (shared with people.py)
# ----------------------------------------------------------------------------------
def _tone_grains(n: int, sr: int, starts_s, durs_s, f_start, f_end, *, curve=1.0, chevron=0.0,
                 fm_rate=0.0, fm_depth=0.0, amp=1.0, h2=0.0, h3=0.0, att=1.0, rel=1.0,
                 am_rate=0.0, am_depth=0.0, pan=None, rng=None) -> np.ndarray:
    """Sum of tonal syllables (FM/AM chirps). Each syllable i lasts durs_s[i]; its
    frequency glides f_start -> f_end with a power-law curve, optionally arched
    (chevron 0..1), plus sinusoidal FM; its envelope is u^att (1-u)^rel. Returns (n,)
    or, if pan (0 left .. 1 right) is given, (2, n). Rendered in groups of equal
    (quantised) length so the work is vectorised."""
    starts_s = np.atleast_1d(np.asarray(starts_s, dtype=np.float64))
    k = starts_s.size
    if k == 0:
        return np.zeros((2, n)) if pan is not None else np.zeros(n)
    P = lambda v: np.broadcast_to(np.asarray(v, dtype=np.float64), (k,)).copy()  # noqa: E731
    durs, fs, fe, cv, ch = P(durs_s), P(f_start), P(f_end), P(curve), P(chevron)
    fr, fd, am, a2, a3 = P(fm_rate), P(fm_depth), P(amp), P(h2), P(h3)
    at, rl, amr, amd = P(att), P(rel), P(am_rate), P(am_depth)
    ph0 = (rng.uniform(0, 2 * np.pi, k) if rng is not None else np.zeros(k))
    nyq = 0.45 * sr
    q = max(1, int(0.004 * sr))
    lens = (np.ceil(durs * sr / q).astype(np.int64) + 1) * q
    st = np.round(starts_s * sr).astype(np.int64)
    pn = P(pan) if pan is not None else None
    f32 = np.float32
    st = np.maximum(st, 0)
    maxL = int(lens.max())
    T = 256
    uu = np.linspace(0.0, 1.0, T)[None, :]
    idx_l, w_l, w_r = [], [], []
    for L in np.unique(lens):
        sel = np.flatnonzero(lens == L)
        c = lambda v: v[sel, None].astype(f32)  # noqa: E731
        t = (np.arange(L) / sr).astype(f32)[None, :]
        uc = np.minimum(t * (1.0 / c(durs)), f32(1.0))
        cvs = cv[sel]
        if np.all(cvs == 1.0):
            shape = uc
        elif np.all(cvs == 2.0):
            shape = uc * uc
        else:
            shape = uc ** c(cv)
        if np.any(ch[sel] != 0):
            shape = (1 - c(ch)) * shape + c(ch) * np.sin(f32(np.pi) * uc)
        f = c(fs) + (c(fe) - c(fs)) * shape
        if np.any(fd[sel] > 0):
            f += c(fd) * np.sin(f32(2 * np.pi) * c(fr) * t + c(ph0))
        np.clip(f, 30.0, nyq, out=f)
        cyc = np.cumsum(f * f32(1.0 / sr), axis=1)
        cyc -= np.floor(cyc)
        ph = f32(2 * np.pi) * cyc + c(ph0)
        # envelope u^att (1-u)^rel from a per-row table (zero once u reaches 1)
        tab = uu ** at[sel, None] * (1 - uu) ** rl[sel, None]
        tab = (tab / (tab.max(axis=1, keepdims=True) + 1e-12) * am[sel, None]).astype(f32)
        tab[:, -1] = 0.0
        ii = (uc * f32(T - 1)).astype(np.intp)
        env = np.take_along_axis(tab, ii, axis=1)
        if np.any(amd[sel] > 0):
            env *= 1 - c(amd) * (0.5 + 0.5 * np.sin(f32(2 * np.pi) * c(amr) * t))
        y = np.sin(ph)
        if np.any(a2[sel] > 0):
            y += c(a2) * np.sin(2 * ph) * (2 * f < nyq)
        if np.any(a3[sel] > 0):
            y += c(a3) * np.sin(3 * ph) * (3 * f < nyq)
        y *= env
        idx_l.append((st[sel, None] + np.arange(L)[None, :]).ravel())
        if pan is None:
            w_l.append(y.ravel())
        else:
            p = pn[sel, None]
            w_l.append((y * np.cos(0.5 * np.pi * p).astype(f32)).ravel())
            w_r.append((y * np.sin(0.5 * np.pi * p).astype(f32)).ravel())
    idx = np.concatenate(idx_l)
    left = np.bincount(idx, weights=np.concatenate(w_l), minlength=n + maxL)[:n]
    if pan is None:
        return left
    return np.stack([left, np.bincount(idx, weights=np.concatenate(w_r), minlength=n + maxL)[:n]])


def _blep_saw(freq_hz: np.ndarray, sr: int, phase0: float = 0.0) -> np.ndarray:
    """Band-limited (PolyBLEP) sawtooth following a per-sample frequency track."""
    dt = np.clip(np.asarray(freq_hz, dtype=np.float64) / sr, 1e-6, 0.45)
    ph = (phase0 + np.cumsum(dt)) % 1.0
    y = 2.0 * ph - 1.0
    lo = ph < dt
    x = ph[lo] / dt[lo]
    y[lo] -= x + x - x * x - 1.0
    hi = ph > 1.0 - dt
    x = (ph[hi] - 1.0) / dt[hi]
    y[hi] -= x * x + x + x + 1.0
    return y


def _pulse_times(duration_s: float, f0_fn, rng, jitter: float = 0.0, t0: float = 0.0) -> np.ndarray:
    """Glottal pulse instants from t0 to duration_s for a frequency function f0_fn(t)."""
    times = []
    t = t0
    # vectorised in chunks: estimate count, then refine with cumsum of periods
    grid = np.linspace(t0, duration_s, 256)
    fmax = float(np.max(f0_fn(grid))) if grid.size else 100.0
    kmax = int((duration_s - t0) * fmax * 1.2) + 4
    tt = np.full(kmax, t0)
    # fixed-point: periods evaluated at approximate times
    for _ in range(3):
        per = 1.0 / np.maximum(f0_fn(tt), 1.0)
        if jitter:
            per = per * (1 + jitter * rng.standard_normal(kmax)) if _ == 2 else per
        tt = t0 + np.concatenate([[0.0], np.cumsum(per)[:-1]])
    times = tt[tt < duration_s]
    return times


def _formant_filter(x: np.ndarray, sr: int, freqs, bws, gains) -> np.ndarray:
    """Parallel formant bank: sum of resonators (centre, bandwidth Hz, gain)."""
    y = np.zeros_like(x)
    for f, bw, g in zip(freqs, bws, gains):
        if f < 0.45 * sr:
            y += g * dsp.resonator(x, sr, f, max(f / max(bw, 1.0), 0.5))
    return y


def _formant_gain(fr: np.ndarray, formants) -> np.ndarray:
    """Magnitude of a formant envelope (sum of resonance peaks) at frequencies fr."""
    g = np.zeros_like(fr)
    for f, bw, a in formants:
        g += a / np.sqrt(1.0 + ((fr - f) / (0.5 * bw)) ** 2)
    return g


def _harmonic_voice(n_len: int, sr: int, f0: np.ndarray, formants_t, *, n_harm: int = 24,
                    tilt: float = 1.0, rng=None, jitter: float = 0.0) -> np.ndarray:
    """Harmonic series on an f0 track with time-varying formant weighting.
    formants_t: list of (freq_track, bw, amp) with freq_track arrays of length n_len
    (or scalars). Source-filter evaluated exactly at each harmonic."""
    f0 = np.asarray(f0, dtype=np.float64)
    if jitter and rng is not None:
        j = dsp.lowpass(rng.standard_normal(n_len), sr, 60.0) * jitter * 8
        f0 = f0 * (1 + j)
    ph = dsp.sweep_phase(f0, sr)
    out = np.zeros(n_len)
    nyq = 0.45 * sr
    for h in range(1, n_harm + 1):
        fh = h * f0
        ok = fh < nyq
        if not np.any(ok):
            break
        g = np.zeros(n_len)
        for ft, bw, a in formants_t:
            g += a / np.sqrt(1.0 + ((fh - ft) / (0.5 * bw)) ** 2)
        out += ok * g * h ** (-tilt) * np.sin(h * ph)
    return out


def _count_times(duration_s: float, count: int, rng, *, lead=0.15, tail=0.4, jitter=0.15):
    """count onsets spread over the take (evenly, jittered), leaving room at the end."""
    span = max(duration_s - lead - tail, 0.05)
    if count <= 1:
        return np.array([lead + min(0.1 * span, 0.3)])
    step = span / count
    t = lead + step * (np.arange(count) + 0.5 - 0.5) + rng.uniform(-jitter, jitter, count) * step
    return np.clip(np.sort(t), 0.0, duration_s - 0.05)


# ----------------------------------------------------------------------------------
# birds
# ----------------------------------------------------------------------------------
def _bird_voice(rng, kind: str, size: float):
    """A species-like voice: syllable palette + song pattern."""
    base = rng.uniform(2600, 5200) * (1.25 - 0.5 * size)
    pal = []
    if kind == "chipper":      # "chirp chirp": short down-sweeps / chevrons
        for _ in range(2):
            f = base * rng.uniform(0.9, 1.4)
            pal.append(dict(d=rng.uniform(0.04, 0.09), fs=f * rng.uniform(1.2, 1.6), fe=f * rng.uniform(0.55, 0.8),
                            cv=rng.choice([1.0, 2.0]), ch=rng.uniform(0, 0.6), fr=0, fd=0, h2=0.15, at=0.4, rl=1.5))
    elif kind == "whistler":   # thrush/robin: melodic glides with slow vibrato
        base *= 0.7
        for _ in range(rng.integers(3, 6)):
            f = base * rng.uniform(0.8, 1.5)
            pal.append(dict(d=rng.uniform(0.12, 0.35), fs=f, fe=f * rng.uniform(0.8, 1.25), cv=rng.choice([1.0, 2.0]),
                            ch=rng.uniform(0, 0.3), fr=rng.uniform(5, 25),
                            fd=f * rng.uniform(0.005, 0.04), h2=0.06, at=0.5, rl=0.8))
    elif kind == "warbler":    # fast varied FM syllables
        for _ in range(rng.integers(3, 6)):
            f = base * rng.uniform(0.8, 1.5)
            pal.append(dict(d=rng.uniform(0.04, 0.11), fs=f * rng.uniform(0.8, 1.3), fe=f * rng.uniform(0.7, 1.3),
                            cv=1.0, ch=rng.uniform(-0.5, 0.5), fr=rng.uniform(30, 90), fd=f * rng.uniform(0.05, 0.2),
                            h2=0.1, at=0.7, rl=0.9))
    else:                      # "trill": rapid repeated short note
        f = base * rng.uniform(0.9, 1.5)
        pal.append(dict(d=rng.uniform(0.02, 0.045), fs=f * 1.3, fe=f * 0.75, cv=1.0, ch=0.3, fr=0, fd=0,
                        h2=0.1, at=0.5, rl=1.2))
        pal.append(dict(d=rng.uniform(0.15, 0.3), fs=f * 0.9, fe=f * 1.1, cv=1.0, ch=0.0, fr=rng.uniform(40, 120),
                        fd=f * 0.15, h2=0.2, at=0.6, rl=0.8))
    return pal


def _bird_phrase(rng, kind, pal):
    """Syllable index sequence and inter-onset gaps (s) of one song phrase."""
    if kind == "chipper":
        m = int(rng.integers(2, 7))
        idx = np.where(rng.random(m) < 0.8, 0, 1)
        gaps = np.full(m, rng.uniform(0.15, 0.4)) * rng.uniform(0.9, 1.1, m)
    elif kind == "whistler":
        m = int(rng.integers(3, 7))
        idx = rng.integers(0, len(pal), m)
        gaps = np.array([pal[i]["d"] for i in idx]) + rng.uniform(0.04, 0.15, m)
    elif kind == "warbler":
        m = int(rng.integers(8, 20))
        motif = rng.integers(0, len(pal), rng.integers(2, 4))
        idx = np.resize(motif, m)
        gaps = np.array([pal[i]["d"] for i in idx]) + rng.uniform(0.01, 0.05, m)
    else:
        m = int(rng.integers(6, 16))
        idx = np.zeros(m + 1, dtype=int)
        idx[-1] = 1
        gaps = np.full(m + 1, pal[0]["d"] + rng.uniform(0.02, 0.05))
        m += 1
    return np.asarray(idx), np.asarray(gaps)


@recipe("birds",
        descriptions=["songbirds chirping and singing in the trees",
                      "a dawn chorus of many small birds whistling and twittering",
                      "little birds tweeting in a garden on a spring morning",
                      "a single bird singing a melodic song",
                      "sparrows chirping, warbling finches and a blackbird's whistle"],
        keywords=["bird", "birds", "birdsong", "songbird", "chirp", "chirping", "tweet", "tweeting",
                  "twitter", "warble", "warbling", "dawn chorus", "sparrow", "robin", "finch", "blackbird"],
        track="ambience", texture=True, stereo_width=0.6, default_duration_s=10.0)
def birds(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    if req.count:
        # exactly `count` chirps from one nearby bird
        pal = _bird_voice(rng, "chipper", req.size)
        t = _count_times(dur, req.count, rng, lead=0.1, tail=0.25, jitter=0.1)
        p = pal[0]
        k = t.size
        y = _tone_grains(n, sr, t, p["d"] * rng.uniform(0.9, 1.1, k) + 0.03, p["fs"] * rng.uniform(0.97, 1.03, k),
                         p["fe"], curve=p["cv"], chevron=p["ch"], amp=rng.uniform(0.8, 1.0, k), h2=p["h2"],
                         att=p["at"], rel=p["rl"], pan=np.full(k, 0.5), rng=rng)
        return y
    many = req.has("chorus", "dawn", "flock", "many", "aviary", "dozens")
    single = req.has("a bird", "single", "lone", "one bird", "solitary") and not many
    n_birds = int(rng.integers(10, 17)) if many else (1 if single else int(2 + round(3 * req.intensity) + rng.integers(0, 2)))
    kinds_all = ["chipper", "whistler", "warbler", "trill"]
    w = np.array([1.0, 1.0, 1.0, 0.7])
    if req.has("chirp", "chirping", "chirps", "tweet", "tweeting", "sparrow", "sparrows"):
        w[0] += 2.0
    if req.has("song", "singing", "sings", "melodic", "blackbird", "thrush", "robin"):
        w[1] += 2.0
    if req.has("warble", "warbling", "twitter", "twittering", "finch", "finches"):
        w[2] += 2.0
    w /= w.sum()
    cols = {k: [] for k in ("t", "d", "fs", "fe", "cv", "ch", "fr", "fd", "a", "h2", "at", "rl", "pan")}
    rate_mul = float(np.clip(req.rate, 0.3, 3.0))
    for b in range(n_birds):
        kind = kinds_all[rng.choice(4, p=w)]
        pal = _bird_voice(rng, kind, req.size)
        near = b == 0 or rng.random() < 0.35
        gain = rng.uniform(0.6, 1.0) if near else rng.uniform(0.12, 0.4)
        pan = rng.uniform(0.1, 0.9)
        # song bouts: phrase every few seconds, singing activity varies slowly
        mean_gap = rng.uniform(1.5, 5.0) / rate_mul * (0.7 if many else 1.0)
        t = rng.uniform(0.0, min(mean_gap, dur * 0.5))
        while t < dur - 0.1:
            idx, gaps = _bird_phrase(rng, kind, pal)
            gaps = gaps / rate_mul
            ons = t + np.concatenate([[0.0], np.cumsum(gaps)[:-1]])
            pv = rng.uniform(0.96, 1.04)     # rendition-level pitch variation
            for i, o in zip(idx, ons):
                p = pal[i]
                cols["t"].append(o); cols["d"].append(p["d"] * rng.uniform(0.92, 1.08))
                cols["fs"].append(p["fs"] * pv); cols["fe"].append(p["fe"] * pv)
                cols["cv"].append(p["cv"]); cols["ch"].append(p["ch"]); cols["fr"].append(p["fr"])
                cols["fd"].append(p["fd"]); cols["a"].append(gain * rng.uniform(0.75, 1.0))
                cols["h2"].append(p["h2"]); cols["at"].append(p["at"]); cols["rl"].append(p["rl"])
                cols["pan"].append(np.clip(pan + rng.normal(0, 0.03), 0, 1))
            t = ons[-1] + gaps[-1] + rng.exponential(mean_gap) + 0.3
    c = {k: np.asarray(v, dtype=np.float64) for k, v in cols.items()}
    keep = c["t"] < dur
    c = {k: v[keep] for k, v in c.items()}
    sri = sr // dsp.low_rate_factor(sr, 9500.0)
    ni = dsp.n_samples(dur, sri)
    y = _tone_grains(ni, sri, c["t"], c["d"], np.minimum(c["fs"], 9000), np.minimum(c["fe"], 9000),
                     curve=c["cv"], chevron=np.abs(c["ch"]), fm_rate=c["fr"], fm_depth=c["fd"], amp=c["a"],
                     h2=c["h2"], att=c["at"], rel=c["rl"], pan=c["pan"], rng=rng)
    y = dsp.upsample(y, sr // sri, n)
    # faint leaf/air bed so gaps are not digital silence
    bed = dsp.bandpass(rng.standard_normal(n), sr, 400, 5000) * 0.003 * (1 + many)
    return y + np.stack([bed, np.roll(bed, int(0.013 * sr))])


# ----------------------------------------------------------------------------------
# insects
# ----------------------------------------------------------------------------------
def _cricket(n, sr, dur, rng, *, trill: bool, gain: float, rate_mul: float):
    fc = rng.uniform(3900, 5200) if not trill else rng.uniform(2600, 3600)
    if trill:      # tree cricket: continuous pulse train ~40-70 pulses/s
        pr = rng.uniform(40, 70) * rate_mul
        per = 1.0 / pr
        k = int(dur / per) + 2
        t = rng.uniform(0, per) + np.cumsum(per * (1 + 0.02 * rng.standard_normal(k)))
        pd = per * rng.uniform(0.45, 0.6)
        # long trills with short breaks
        swell = 0.6 + 0.4 * np.sin(2 * np.pi * rng.uniform(0.05, 0.15) * t + rng.uniform(0, 6.3))
        a = gain * swell
    else:          # field cricket: chirps of 3-5 pulses, 1.5-4 chirps/s
        npulse = int(rng.integers(3, 6))
        cr = rng.uniform(1.5, 3.5) * rate_mul
        pper = rng.uniform(0.028, 0.042) / rate_mul ** 0.3
        k = int(dur * cr) + 2
        ct = rng.uniform(0, 1 / cr) + np.cumsum((1 / cr) * (1 + 0.04 * rng.standard_normal(k)))
        t = (ct[:, None] + pper * np.arange(npulse)[None, :]).ravel()
        pd = pper * rng.uniform(0.5, 0.7)
        a = gain * np.tile(np.linspace(0.75, 1.0, npulse), k) * np.repeat(rng.uniform(0.85, 1.0, k), npulse)
    keep = t < dur
    t, a = t[keep], np.broadcast_to(a, keep.shape)[keep]
    kk = t.size
    # each pulse: tooth-strike carrier with a slight downward glide
    return _tone_grains(n, sr, t, np.full(kk, pd), fc * 1.015, fc * 0.985, amp=a, h2=0.08, h3=0.03,
                        att=0.35, rel=0.9, rng=rng)


def _cicada(n, sr, dur, rng, gain):
    """Tymbal click train (150-350 clicks/s) ringing a ~5 kHz body resonance, in
    swelling songs that rise over seconds, hold and fade."""
    fc = rng.uniform(4200, 6500)
    cr = rng.uniform(150, 350)
    env_t = np.arange(0, dur + 1, 0.01)
    cyc = rng.uniform(6, 14)
    ph = (env_t / cyc + rng.uniform(0, 1)) % 1.0
    song = np.clip(np.minimum(ph / 0.25, (1 - ph) / 0.15), 0, 1) ** 1.5
    k = int(dur * cr) + 2
    t = np.cumsum((1 / cr) * (1 + 0.05 * rng.standard_normal(k)))
    t = t[t < dur]
    a = np.interp(t, env_t, song) * gain * rng.uniform(0.5, 1.0, t.size) * rng.choice([-1.0, 1.0], t.size)
    imp = dsp.denormal_guard(dsp.impulse_train(n, sr, t, a))
    y = dsp.resonator(imp, sr, fc, 9.0) + 0.5 * dsp.resonator(imp, sr, fc * 1.45, 6.0)
    return dsp.bandpass(y, sr, 2500, min(9500, 0.45 * sr))


def _buzz(n, sr, dur, rng, kind: str, intensity: float):
    """Wingbeat sawtooth (fly ~200 Hz, bee ~230 Hz, mosquito ~550 Hz) with flight
    wobble, approach/leave swells and, for flies, landings (pauses)."""
    base = {"fly": rng.uniform(170, 230), "mosquito": rng.uniform(450, 650), "bee": rng.uniform(200, 260)}[kind]
    wob = dsp.smooth_noise(n, sr, 3.0, rng, lo=-1, hi=1, hop=64)
    drift = dsp.smooth_noise(n, sr, 0.4, rng, lo=-1, hi=1, hop=64)
    near = dsp.smooth_noise(n, sr, rng.uniform(0.2, 0.5), rng, lo=0.05, hi=1.0, hop=64) ** 2
    f = base * (1 + 0.04 * wob + 0.05 * drift + 0.04 * (near - 0.4))   # Doppler-ish rise when near
    y = _blep_saw(f, sr) + 0.3 * _blep_saw(f * 2.003, sr, 0.3)
    y = dsp.bandpass(y, sr, base * 0.8, min(base * 18, 0.45 * sr)) + 0.4 * dsp.resonator(y, sr, base * 6, 3)
    if kind == "fly":
        land = dsp.smooth_noise(n, sr, 0.25, rng, hop=64) > 0.22
        gate = dsp.lowpass(land.astype(float), sr, 8.0)
        near = near * np.clip(gate, 0, 1)
    y = y * (0.15 + near)
    y = y + 0.05 * dsp.highpass(rng.standard_normal(n), sr, 3000) * near  # wing air noise
    return y


@recipe("insects",
        descriptions=["crickets chirping on a warm summer night",
                      "a chorus of cicadas buzzing in the heat",
                      "the rhythmic high-pitched trilling of night insects in the grass",
                      "a fly buzzing around the room",
                      "a mosquito whining near your ear"],
        keywords=["insect", "insects", "cricket", "crickets", "cicada", "cicadas", "katydid", "fly", "flies",
                  "mosquito", "bee", "bees", "buzzing", "buzz", "wasp", "grasshopper", "chirring"],
        track="ambience", texture=True, stereo_width=0.7, default_duration_s=10.0)
def insects(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = sr // dsp.low_rate_factor(sr, 9500.0)
    ni = dsp.n_samples(dur, sri)
    up = lambda y: dsp.upsample(y, sr // sri, n)  # noqa: E731
    if req.has("mosquito", "mosquitoes", "mosquitos", "gnat", "gnats"):
        return up(_buzz(ni, sri, dur, rng, "mosquito", req.intensity))
    if req.has("bee", "bees", "wasp", "wasps", "hornet", "bumblebee", "hive", "swarm"):
        y = _buzz(ni, sri, dur, rng, "bee", req.intensity)
        if req.has("bees", "hive", "swarm", "wasps"):
            for _ in range(3):
                y = y + _buzz(ni, sri, dur, rng, "bee", req.intensity)
        return up(y)
    if req.has("fly", "flies", "housefly", "bluebottle") or (req.has("buzz", "buzzing")
                                                             and not req.has("cicada", "cicadas")):
        return up(_buzz(ni, sri, dur, rng, "fly", req.intensity))
    rm = float(np.clip(req.rate, 0.4, 2.5))
    if req.has("cicada", "cicadas"):
        out = np.zeros(n)
        for _ in range(int(2 + round(2 * req.intensity))):
            out += _cicada(n, sr, dur, rng, rng.uniform(0.4, 1.0))
        return out
    out = np.zeros(ni)
    n_crick = int(3 + round(6 * req.intensity) + rng.integers(0, 2))
    for i in range(n_crick):
        trill = (i % 4 == 3)
        out += _cricket(ni, sri, dur, rng, trill=trill, gain=rng.uniform(0.25, 1.0) * (0.6 if trill else 1.0),
                        rate_mul=rm)
    return up(out)


# ----------------------------------------------------------------------------------
# source-filter voices: a glottal pulse train through formants, rendered per call
# ----------------------------------------------------------------------------------
def _glottal_call(sr: int, rng, dur: float, f0_track, formants, *, jitter=0.03, shimmer=0.15,
                  subharm=0.0, breath=0.1, env=None) -> np.ndarray:
    """One vocal call of dur seconds. f0_track(u) gives Hz over u in [0, 1]; formants is a
    list of (freq, bandwidth, gain). Pulses are placed by integrating f0 (with jitter),
    each pulse a short glottal flow derivative; aspiration noise rides the envelope."""
    L = max(int(dur * sr), 8)
    u = np.arange(L) / L
    f0 = np.asarray(f0_track(u), dtype=np.float64)
    cyc = np.cumsum(f0) / sr
    kk = np.arange(1, int(cyc[-1]))
    if kk.size:
        pos = np.interp(kk, cyc, np.arange(L))
        pos = pos + rng.normal(0, jitter, kk.size) * sr / np.interp(pos, np.arange(L), f0)
        amp = 1 + shimmer * rng.standard_normal(kk.size)
        if subharm:
            amp *= np.where(kk % 2 == 0, 1.0, 1.0 - subharm)
        src = dsp.impulse_train(L, sr, np.clip(pos, 0, L - 1) / sr, amp)
    else:
        src = np.zeros(L)
    # glottal pulse shape: a few-sample smoothing + spectral tilt
    src = dsp.lowpass(src, sr, 3500.0, order=1) + 0.3 * src
    e = env(u) if env is not None else np.sin(np.pi * u) ** 0.5
    src = src * e + breath * rng.standard_normal(L) * e
    return _formant_filter(src, sr, [f for f, _, _ in formants], [b for _, b, _ in formants],
                           [g for _, _, g in formants])


def _calls_schedule(rng, dur, count, *, group=(1, 4), in_gap=(0.25, 0.45), out_gap=(1.0, 3.0), call_len=0.2):
    """Onset times of calls: exactly count if given, else groups over the whole take."""
    if count:
        if count * (call_len + in_gap[0]) > dur - 0.3:
            return _count_times(dur, count, rng, lead=0.1, tail=call_len + 0.05, jitter=0.05)
        times, t = [], rng.uniform(0.05, 0.25)
        while len(times) < count:
            m = min(int(rng.integers(group[0], group[1] + 1)), count - len(times))
            for _ in range(m):
                times.append(t)
                t += call_len + rng.uniform(*in_gap)
            t += rng.uniform(*out_gap)
        times = np.asarray(times)
        span = times[-1] + call_len
        if span > dur - 0.1:   # squeeze to fit, keeping the grouping rhythm
            times = times * (dur - 0.15 - call_len) / max(times[-1], 1e-6)
        return times
    times, t = [], rng.uniform(0.05, 0.5)
    while t < dur - call_len:
        for _ in range(int(rng.integers(group[0], group[1] + 1))):
            if t >= dur - call_len:
                break
            times.append(t)
            t += call_len + rng.uniform(*in_gap)
        t += rng.uniform(*out_gap)
    if not times:
        times = [min(0.05, 0.1 * dur)]
    return np.asarray(times)


# ----------------------------------------------------------------------------------
# dog
# ----------------------------------------------------------------------------------
@recipe("dog_bark",
        descriptions=["a dog barking loudly",
                      "a big dog's deep woof, woof",
                      "a small yappy dog yapping at the door",
                      "a guard dog barking and growling at a stranger",
                      "a hound howling in the distance"],
        keywords=["dog", "dogs", "bark", "barks", "barking", "woof", "yap", "yapping", "growl", "growling",
                  "puppy", "hound", "howl", "howling", "bow-wow"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=4.0)
def dog_bark(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    size = req.size
    if req.has("puppy", "small", "little", "tiny", "yappy", "yapping", "yap", "chihuahua", "terrier"):
        size = min(size, 0.15)
    elif req.has("big", "large", "huge", "deep", "guard", "mastiff", "rottweiler", "shepherd", "hound"):
        size = max(size, 0.85)
    f0_base = float(np.interp(size, [0, 0.5, 1], [900, 480, 230])) * rng.uniform(0.92, 1.08)
    fs = float(np.interp(size, [0, 0.5, 1], [1.35, 1.0, 0.72]))     # vocal-tract length scaling
    forms = [(650 * fs, 180, 1.0), (1500 * fs, 250, 0.7), (2600 * fs, 350, 0.35), (3800 * fs, 500, 0.15)]
    out = np.zeros(n)
    if req.has("growl", "growling", "growls", "snarl", "snarling") and not req.count:
        # sustained rough low growls: low f0 with strong subharmonics and AM flutter
        t = 0.1
        while t < dur - 0.3:
            d = min(rng.uniform(1.0, 2.5), dur - t - 0.05)
            f0 = f0_base * 0.28
            fl = rng.uniform(18, 30)
            y = _glottal_call(sr, rng, d, lambda u: f0 * (1 + 0.1 * np.sin(np.pi * u)), [(f * 0.8, b, g) for f, b, g in forms],
                              jitter=0.06, shimmer=0.4, subharm=0.5, breath=0.4,
                              env=lambda u: np.minimum(u / 0.1, 1) * np.minimum((1 - u) / 0.15, 1) * (0.7 + 0.3 * np.sin(2 * np.pi * fl * u * d)))
            dsp.place_signal(out, y, int(t * sr))
            t += d + rng.uniform(0.3, 0.8)
        return out
    if req.has("howl", "howling", "howls") and not req.count:
        t = 0.1
        while t < dur - 0.5:
            d = min(rng.uniform(2.0, 3.5), dur - t - 0.05)
            f0 = f0_base * 1.0
            y = _glottal_call(sr, rng, d, lambda u: f0 * (0.8 + 0.35 * np.sin(np.pi * np.minimum(u * 1.6, 1) / 2) - 0.15 * u ** 3)
                              * (1 + 0.01 * np.sin(2 * np.pi * 5 * u * d)), [(f * 0.9, b, g) for f, b, g in forms[:3]],
                              jitter=0.005, shimmer=0.03, breath=0.03,
                              env=lambda u: np.minimum(u / 0.2, 1) * np.minimum((1 - u) / 0.3, 1))
            dsp.place_signal(out, y, int(t * sr))
            t += d + rng.uniform(1.0, 3.0)
        return out
    blen = float(np.interp(size, [0, 1], [0.11, 0.24]))
    r = float(np.clip(req.rate, 0.4, 2.5))
    times = _calls_schedule(rng, dur, req.count, group=(1, 4), in_gap=(0.18 / r, 0.4 / r),
                            out_gap=(0.8 / r, 2.5 / r), call_len=blen)
    for t in times:
        d = blen * rng.uniform(0.85, 1.15)
        f0 = f0_base * rng.uniform(0.93, 1.07) * (1 + 0.2 * req.intensity)
        # "wruff": pitch leaps up in the first 20%, then falls; mouth opens (formants rise)
        f0_fn = lambda u, f0=f0: f0 * (0.75 + 0.45 * np.minimum(u / 0.2, 1) - 0.35 * np.maximum(u - 0.2, 0))
        y = _glottal_call(sr, rng, d, f0_fn, forms, jitter=0.02, shimmer=0.25, subharm=0.25 * size,
                          breath=0.35, env=lambda u: np.minimum(u / 0.04, 1) ** 2 * np.exp(-2.5 * np.maximum(u - 0.15, 0)))
        dsp.place_signal(out, y, int(t * sr), rng.uniform(0.8, 1.0))
    return out


# ----------------------------------------------------------------------------------
# cat
# ----------------------------------------------------------------------------------
@recipe("cat_meow",
        descriptions=["a cat meowing",
                      "a hungry kitten mewing for food",
                      "a house cat's plaintive miaow",
                      "a cat purring contentedly",
                      "an annoyed cat yowling"],
        keywords=["cat", "cats", "meow", "meows", "meowing", "miaow", "mew", "mewing", "kitten", "kitty",
                  "purr", "purring", "yowl", "yowling", "feline"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=3.0)
def cat_meow(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    out = np.zeros(n)
    if req.has("purr", "purring", "purrs") and not req.count:
        # ~25 Hz pulse train of nasal noise bursts, inhale/exhale alternating
        pr = rng.uniform(23, 28)
        ti = dsp.regular_times(dur, 1.0 / pr, jitter=0.05, rng=rng)
        cyc = rng.uniform(1.6, 2.4)
        ph = (ti / cyc) % 1.0
        a = np.where(ph < 0.45, 0.7, 1.0) * np.sin(np.pi * np.where(ph < 0.45, ph / 0.45, (ph - 0.45) / 0.55)) ** 0.5
        L = int(0.03 * sr)
        g = dsp.lowpass(rng.standard_normal(L), sr, 400) * np.hanning(L)
        y = dsp.place_grains(n, sr, ti, g, a)
        return dsp.lowpass(y + 0.3 * dsp.resonator(dsp.denormal_guard(y), sr, 180, 2), sr, 1200)
    kitten = req.has("kitten", "kittens", "kitty", "mew", "mewing") or req.size < 0.25
    yowl = req.has("yowl", "yowling", "angry", "annoyed", "fight", "hiss")
    r = float(np.clip(req.rate, 0.4, 2.5))
    dlen = (0.35 if kitten else (1.3 if yowl else 0.75)) / r ** 0.5
    times = _calls_schedule(rng, dur, req.count, group=(1, 2), in_gap=(0.4, 0.9), out_gap=(1.0, 3.0), call_len=dlen)
    for t in times:
        d = min(dlen * rng.uniform(0.8, 1.2), max(dur - t - 0.03, 0.1))
        L = int(d * sr)
        u = np.arange(L) / L
        f0 = (rng.uniform(650, 900) if kitten else rng.uniform(480, 620)) * (0.85 if yowl else 1.0)
        # m-i-a-o-w: pitch rises to ~40% then falls; mouth opens then closes
        f0t = f0 * (0.8 + 0.4 * np.sin(np.pi * np.minimum(u / 0.8, 1)) ** 1.3 - 0.12 * u) \
            * (1 + 0.02 * np.sin(2 * np.pi * 7 * u * d))
        open_ = np.sin(np.pi * np.clip((u - 0.05) / 0.85, 0, 1)) ** 0.8
        F1 = 450 + 550 * open_
        F2 = 2300 - 1200 * np.clip((u - 0.2) / 0.7, 0, 1) - 200 * open_
        F3 = np.full(L, 3200.0)
        fk = 1.25 if kitten else 1.0
        y = _harmonic_voice(L, sr, f0t, [(F1 * fk, 250, 1.0), (F2 * fk, 300, 0.7), (F3 * fk, 400, 0.3)],
                            n_harm=16, tilt=0.8, rng=rng, jitter=0.01 if not yowl else 0.03)
        env = np.minimum(u / 0.08, 1) * np.minimum((1 - u) / 0.2, 1) ** 1.5 * (0.4 + 0.6 * open_)
        y = y * env + 0.02 * dsp.bandpass(rng.standard_normal(L), sr, 1500, 6000) * env
        dsp.place_signal(out, y, int(t * sr), rng.uniform(0.8, 1.0))
    return out


# ----------------------------------------------------------------------------------
# horse hooves
# ----------------------------------------------------------------------------------
_GAITS = {  # stride period (s) and the four footfall phases within a stride
    "walk": (1.1, [0.0, 0.25, 0.5, 0.75]),
    "trot": (0.72, [0.0, 0.035, 0.5, 0.535]),
    "canter": (0.62, [0.0, 0.2, 0.23, 0.42]),
    "gallop": (0.46, [0.0, 0.14, 0.32, 0.45]),
}


@recipe("horse_hooves",
        descriptions=["a horse's hooves clip-clopping on cobblestones",
                      "a horse galloping across a field",
                      "the clatter of a trotting horse on a road",
                      "horses walking slowly along a dirt track",
                      "hoofbeats of a rider approaching at a canter"],
        keywords=["horse", "horses", "hooves", "hoof", "hoofbeats", "clip-clop", "gallop", "galloping", "trot",
                  "trotting", "canter", "cantering", "stallion", "pony", "mare", "cavalry", "carriage"],
        track="fx", texture=False, stereo_width=0.15, default_duration_s=6.0)
def horse_hooves(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    if req.has("gallop", "galloping", "gallops", "charging", "stampede") or req.rate >= 1.8:
        gait = "gallop"
    elif req.has("canter", "cantering"):
        gait = "canter"
    elif req.has("trot", "trotting", "trots") or req.rate >= 1.3:
        gait = "trot"
    else:
        gait = "walk"
    stride, phases = _GAITS[gait]
    stride /= float(np.clip(req.rate if gait == "walk" else 1.0, 0.5, 1.6))
    hard_words = ("cobblestone", "cobblestones", "cobbles", "road", "street", "stone", "pavement", "paved",
                  "concrete", "asphalt", "town", "city", "courtyard", "stable", "clip-clop")
    surf = (req.surface or "").lower()
    if surf in ("wood", "bridge") or req.has("bridge", "wooden", "planks"):
        surface = "wood"
    elif surf in ("grass", "dirt", "mud", "sand", "snow", "earth") or req.has("field", "grass", "dirt", "meadow",
                                                                              "sand", "beach", "mud", "track", "prairie", "snow"):
        surface = "soft"
    elif surf or req.has(*hard_words):
        surface = "hard"
    else:
        surface = "soft" if gait == "gallop" else "hard"
    # footfall times: a gait clock with per-stride tempo drift and per-hoof jitter
    if req.count:
        k = int(req.count)
        m = k // 4 + 2
        st = np.arange(m)[:, None] * stride + np.asarray(phases)[None, :] * stride
        t = st.ravel()[:k]
        span = t[-1] + 0.2 if k else 1.0
        if span > dur - 0.2:
            t = t * (dur - 0.4) / max(t[-1], 1e-6)
        t = t + 0.1
        hoof = np.arange(k) % 4
    else:
        m = int(dur / stride) + 3
        s0 = rng.uniform(0.0, stride) + np.concatenate([[0.0], np.cumsum(stride * (1 + 0.03 * rng.standard_normal(m)))[:-1]])
        t = (s0[:, None] + np.asarray(phases)[None, :] * stride * (1 + 0.02 * rng.standard_normal((m, 4)))).ravel()
        hoof = np.tile(np.arange(4), m)
        keep = t < dur - 0.05
        t, hoof = t[keep] - (stride if False else 0.0), hoof[keep]
        k = t.size
    f32 = np.float32
    L = int(0.25 * sr)
    tt = (np.arange(L) / sr)[None, :].astype(f32)
    noise = rng.standard_normal((k, L)).astype(f32)
    weight = 0.6 + 0.4 * req.intensity + (0.25 if gait == "gallop" else 0.0)
    a = (rng.uniform(0.75, 1.0, k) * np.array([1.0, 0.85, 0.95, 0.8])[hoof] * weight)[:, None].astype(f32)
    if surface == "hard":
        # iron shoe on stone: a hollow "clop" (hoof cavity, ~0.5 and ~1.8 kHz) + bright click
        h1 = rng.uniform(480, 750, 4)[hoof][:, None] * rng.uniform(0.97, 1.03, (k, 1))
        h2 = rng.uniform(1500, 2300, 4)[hoof][:, None] * rng.uniform(0.97, 1.03, (k, 1))
        ring = (np.exp(-tt / 0.018) * np.sin(2 * np.pi * h1 * tt) + 0.6 * np.exp(-tt / 0.012) * np.sin(2 * np.pi * h2 * tt)
                + 0.25 * np.exp(-tt / 0.03) * np.sin(2 * np.pi * rng.uniform(3200, 4200, (k, 1)) * tt))
        click = dsp.highpass(noise * np.exp(-tt / f32(0.0015)), sr, 2000)
        thud = np.exp(-tt / 0.04) * np.sin(2 * np.pi * rng.uniform(90, 130, (k, 1)) * tt)
        g = ring * np.minimum(tt / 0.0008, 1) + 0.6 * click + 0.5 * thud
    elif surface == "wood":
        fr = rng.uniform(140, 190) * np.array([1.0, 1.9, 2.7, 4.1])
        g = sum(np.exp(-tt / (0.12 / (i + 1))) * np.sin(2 * np.pi * f * rng.uniform(0.98, 1.02, (k, 1)) * tt) / (i + 1)
                for i, f in enumerate(fr))
        g = g + 0.5 * dsp.bandpass(noise * np.exp(-tt / f32(0.003)), sr, 500, 4000)
    else:
        # turf / dirt: a dull thud and a spray of soil
        thud = np.exp(-tt / 0.05) * np.sin(2 * np.pi * rng.uniform(70, 110, (k, 1)) * tt) * np.minimum(tt / 0.003, 1)
        soil = dsp.bandpass(noise * np.exp(-tt / f32(0.035)), sr, 200, 1500)
        clods = dsp.bandpass((rng.random((k, L)) < 0.01 * np.exp(-tt / 0.05)) * noise, sr, 800, 4000)
        g = thud * 1.2 + 0.6 * soil / (np.abs(soil).max(axis=1, keepdims=True) + 1e-9) + 0.3 * clods
    y = dsp.overlap_add(n, np.round(t * sr), g * a)
    if gait == "gallop" and not req.count:   # breath snorts timed to the stride
        sn = np.arange(rng.uniform(0, stride), dur - 0.2, stride)
        Ls = int(0.12 * sr)
        snort = dsp.bandpass(rng.standard_normal(Ls), sr, 300, 2000) * np.hanning(Ls)
        y += dsp.place_grains(n, sr, sn + 0.08, snort, 0.15 * np.ones(sn.size))
    return y


# ----------------------------------------------------------------------------------
# rooster
# ----------------------------------------------------------------------------------
@recipe("rooster",
        descriptions=["a rooster crowing at sunrise, cock-a-doodle-doo",
                      "a cockerel crowing loudly in a farmyard",
                      "the morning crow of a farm rooster",
                      "a cock crowing in the distance at dawn"],
        keywords=["rooster", "cock-a-doodle-doo", "cockerel", "crow", "crowing", "cock", "farmyard", "chicken",
                  "hens", "farm"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=4.0)
def rooster(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    crow_len = min(rng.uniform(1.5, 2.1), max(dur - 0.15, 0.3))
    if req.count:
        times = _count_times(dur, req.count, rng, lead=0.1, tail=crow_len + 0.05, jitter=0.05)
    else:
        times = []
        t = rng.uniform(0.1, 0.4)
        while t < dur - crow_len * 0.8 or not times:
            times.append(t)
            t += crow_len + rng.uniform(3.0, 7.0)
        times = np.asarray(times)
    out = np.zeros(n)
    for t0 in times:
        d = crow_len * rng.uniform(0.92, 1.08)
        L = int(d * sr)
        u = np.arange(L) / L
        # cock - a - doo - dle - doooo: syllable boundaries (fractions of the crow)
        b = np.array([0.0, 0.1, 0.17, 0.32, 0.4, 1.0]) + np.r_[0, rng.uniform(-0.01, 0.01, 4), 0]
        targets = np.array([520, 600, 680, 650, 760]) * rng.uniform(0.9, 1.12)
        si = np.clip(np.searchsorted(b, u, side="right") - 1, 0, 4)
        f0 = targets[si].astype(np.float64)
        last = si == 4
        ul = (u - b[4]) / (1 - b[4])
        f0[last] = targets[4] * (1 + 0.12 * np.sin(np.pi * np.clip(ul[last] / 0.5, 0, 1)) - 0.35 * np.clip((ul[last] - 0.55) / 0.45, 0, 1) ** 1.5)
        f0 = dsp.lowpass(f0, sr, 25.0, order=1) if L > 32 else f0
        f0 = np.maximum(f0, 150)
        # amplitude: syllables separated by brief dips; last one long and fading
        us = (u - b[si]) / np.maximum(b[si + 1] - b[si], 1e-3)
        env = np.sin(np.pi * np.clip(us, 0, 1)) ** 0.35
        env[last] = np.minimum(ul[last] / 0.08, 1) * np.clip((1 - ul[last]) / 0.35, 0, 1) ** 0.8
        env *= np.array([0.8, 0.7, 0.95, 0.8, 1.0])[si]
        open_ = np.where(si % 2 == 0, 1.0, 0.6)
        F1 = dsp.lowpass(700 + 400 * open_, sr, 30.0, order=1)
        y = _harmonic_voice(L, sr, f0, [(F1, 300, 1.0), (1900.0, 400, 0.8), (3000.0, 500, 0.5)],
                            n_harm=14, tilt=0.55, rng=rng, jitter=0.03)
        rough = 1 + 0.3 * np.sin(2 * np.pi * rng.uniform(35, 60) * u * d)   # harsh flutter
        y = y * env * rough + 0.06 * dsp.bandpass(rng.standard_normal(L), sr, 1000, 5000) * env
        dsp.place_signal(out, y, int(t0 * sr), rng.uniform(0.85, 1.0))
    return out


# ----------------------------------------------------------------------------------
# owl
# ----------------------------------------------------------------------------------
@recipe("owl",
        descriptions=["an owl hooting softly in the night",
                      "the low hoo-hoo of a great horned owl in the woods",
                      "a tawny owl calling from a dark forest",
                      "a single distant owl hoot at midnight"],
        keywords=["owl", "owls", "hoot", "hoots", "hooting", "hoo", "tawny", "barn owl", "night bird"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=5.0)
def owl(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    tawny = req.has("tawny", "quavering", "hoo-hoo-hoo")
    f0 = (rng.uniform(380, 480) if tawny else rng.uniform(300, 400)) * float(np.interp(req.size, [0, 1], [1.25, 0.85]))
    # phrase patterns: (onset s, duration s, relative pitch)
    if tawny:
        pattern = [(0.0, 0.7, 1.0), (1.9, 0.15, 0.95), (2.35, 0.12, 0.97), (2.55, 0.9, 1.0)]
    else:   # great horned: hoo, hoo-hoo, hoooo, hoooo
        pattern = [(0.0, 0.35, 1.0), (0.65, 0.16, 1.03), (0.86, 0.16, 1.03), (1.4, 0.5, 1.0), (2.2, 0.45, 0.96)]
    plen = pattern[-1][0] + pattern[-1][1]
    hoots = []   # (onset, duration, rel pitch)
    if req.count:
        c = int(req.count)
        p = 0
        t = 0.1
        while len(hoots) < c:
            o, d, rp = pattern[p % len(pattern)]
            if p % len(pattern) == 0 and p:
                t += plen + rng.uniform(1.5, 3.0)
            hoots.append((t + o, d, rp))
            p += 1
        end = hoots[-1][0] + hoots[-1][1]
        if end > dur - 0.1:
            sc = (dur - 0.2) / end
            hoots = [(o * sc, d * min(sc, 1.0), rp) for o, d, rp in hoots]
    else:
        t = rng.uniform(0.1, 0.6)
        while t < dur - 0.6:
            for o, d, rp in pattern:
                if t + o + d < dur - 0.05:
                    hoots.append((t + o, d, rp))
            t += plen + rng.uniform(2.5, 6.0) / float(np.clip(req.rate, 0.4, 2.5))
        if not hoots:
            hoots = [(0.05, min(pattern[0][1], max(dur - 0.15, 0.1)), 1.0)]
    out = np.zeros(n)
    for o, d, rp in hoots:
        d = d * rng.uniform(0.95, 1.05)
        L = int(d * sr)
        u = np.arange(L) / L
        f = f0 * rp * (0.94 + 0.08 * np.sin(np.pi * np.minimum(u / 0.6, 1)) - 0.05 * np.maximum(u - 0.6, 0) / 0.4)
        if tawny and d > 0.5:
            f = f * (1 + 0.025 * np.sin(2 * np.pi * 9 * u * d) * np.clip((u - 0.3) / 0.3, 0, 1))
        ph = dsp.sweep_phase(f, sr)
        env = np.minimum(u / 0.18, 1) ** 1.5 * np.minimum((1 - u) / 0.3, 1) ** 1.2
        y = (np.sin(ph) + 0.12 * np.sin(2 * ph) + 0.04 * np.sin(3 * ph)) * env
        y += 0.04 * dsp.lowpass(rng.standard_normal(L), sr, 1200) * env     # breathy
        dsp.place_signal(out, y, int(o * sr), rng.uniform(0.85, 1.0))
    return out


# ----------------------------------------------------------------------------------
# frogs
# ----------------------------------------------------------------------------------
@recipe("frogs",
        descriptions=["frogs croaking in a pond at night",
                      "a chorus of tree frogs ribbiting",
                      "a deep bullfrog croak by the swamp",
                      "toads calling in the marsh after rain"],
        keywords=["frog", "frogs", "croak", "croaking", "croaks", "ribbit", "ribbiting", "toad", "toads",
                  "bullfrog", "peepers", "amphibian", "pond", "swamp"],
        track="ambience", texture=True, stereo_width=0.6, default_duration_s=8.0)
def frogs(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = sr // dsp.low_rate_factor(sr, 4500.0)
    ni = dsp.n_samples(dur, sri)
    bull = req.has("bullfrog", "bullfrogs", "deep", "toad", "toads", "big") or req.size > 0.75
    tree = req.has("tree", "ribbit", "ribbiting", "peepers", "small", "little") and not bull
    if req.count:
        n_frogs = 1
    else:
        n_frogs = int(1 + round(6 * req.intensity) + rng.integers(0, 3)) if not bull else int(1 + round(2 * req.intensity))
    out = np.zeros((2, ni))
    for fidx in range(n_frogs):
        big = bull or (not tree and rng.random() < 0.3)
        if big:
            pr, fc1, fc2, note = rng.uniform(60, 110), rng.uniform(180, 320), rng.uniform(500, 800), rng.uniform(0.35, 0.7)
            calls, ngap = 1, 0.0
        else:
            pr, fc1, fc2, note = rng.uniform(50, 120), rng.uniform(1200, 2200), rng.uniform(2500, 3600), rng.uniform(0.08, 0.15)
            calls, ngap = 2, rng.uniform(0.12, 0.2)     # "rib-bit": two pulsed notes
        call_len = note * calls + ngap
        if req.count:
            ct = _calls_schedule(rng, dur, req.count, group=(1, 3), in_gap=(0.2, 0.4), out_gap=(0.6, 1.5),
                                 call_len=call_len)
        else:
            ct = _calls_schedule(rng, dur, None, group=(1, 6), in_gap=(0.15, 0.6), out_gap=(1.0, 5.0),
                                 call_len=call_len)
        if ct.size == 0:
            continue
        # pulse instants within each note; the pulse rate rises slightly through a note
        k_p = int(note * pr) + 1
        pu = np.arange(k_p) / k_p
        offs = np.concatenate([pu * note + c * (note + ngap) for c in range(calls)])
        note_env = np.concatenate([np.sin(np.pi * (pu + 0.5 / k_p)) ** 0.7 * (1.0 if c == 0 else 0.85) for c in range(calls)])
        pt = (ct[:, None] + offs[None, :]).ravel() + rng.normal(0, 0.0005, ct.size * offs.size)
        pa = (np.broadcast_to(note_env, (ct.size, offs.size)) * rng.uniform(0.7, 1.0, (ct.size, 1))).ravel()
        imp = dsp.denormal_guard(dsp.impulse_train(ni, sri, pt, pa))
        y = dsp.resonator(imp, sri, fc1, 6.0 if big else 10.0) + 0.5 * dsp.resonator(imp, sri, fc2, 8.0)
        if big:
            y = y + 0.6 * dsp.resonator(imp, sri, fc1 * 0.5, 4.0)
        gain = 1.0 if fidx == 0 else rng.uniform(0.2, 0.8)
        p = rng.uniform(0.1, 0.9)
        out[0] += y * gain * np.cos(0.5 * np.pi * p)
        out[1] += y * gain * np.sin(0.5 * np.pi * p)
    return dsp.upsample(out, sr // sri, n)
