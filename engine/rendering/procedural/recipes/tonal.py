"""Tonal sources: church bells, wind chimes, sfxr-style game/UI sounds and a mood-led
music bed. Bells and chimes are modal banks (partials with their own decays, struck
at modelled times); lasers, blips and power-ups follow the sfxr parameter model;
music_pad voices chords as detuned band-limited saws/sines through a low-pass."""
from __future__ import annotations

import numpy as np
from scipy import signal

from .. import dsp
from .base import SynthRequest, recipe
from .impacts import LN1000, _modal_events, _pattern, _punch, _spread

TWO_PI = 2.0 * np.pi


# --------------------------------------------------------------------------------------
# church bell
# --------------------------------------------------------------------------------------
#: (ratio to the strike note, relative amplitude, relative T60): hum, prime, tierce,
#: quint, nominal, superquint, octave nominal, upper partial
BELL_PARTIALS = ((0.5, 0.55, 1.0), (1.0, 0.5, 0.62), (1.2, 0.75, 0.5), (1.5, 0.3, 0.33),
                 (2.0, 1.0, 0.45), (2.5, 0.35, 0.24), (3.0, 0.35, 0.18), (4.2, 0.22, 0.1))


@recipe("church_bell",
        descriptions=["a large church bell tolling slowly",
                      "the deep ringing peal of a cathedral bell across town",
                      "a bronze bell in a tower striking the hour",
                      "a funeral bell tolling with a long humming decay",
                      "a village chapel bell ringing on a Sunday morning"],
        keywords=["bell", "bells", "toll", "tolls", "tolling", "church", "cathedral", "peal", "belfry", "chime",
                  "clock striking", "clock strikes", "clock chiming", "clock chimes", "clock tolling",
                  "striking the hour", "chiming the hour", "bell striking", "bell chiming"],
        stereo_width=0.3, default_duration_s=8.0)
def church_bell(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    size = req.size
    if req.has("small", "chapel", "handbell", "little", "school"):
        size = min(size, 0.25)
    if req.has("cathedral", "big", "great", "huge", "large", "deep"):
        size = max(size, 0.8)
    strike = 480.0 * 2.0 ** (-2.2 * size) * rng.uniform(0.92, 1.08)   # ~210 Hz (great) .. ~480 Hz (small)
    t_long = (7.0 + 10.0 * size) * rng.uniform(0.9, 1.1)             # hum T60
    gap = (2.2 + 1.8 * size) * rng.uniform(0.9, 1.1) / max(req.rate, 0.2)
    if req.count is not None:
        times = _spread(int(req.count), dur, rng, gap_s=gap, start=(0.05, 0.2), tail_s=1.5, jitter=0.04,
                        min_gap_s=0.5)
    elif dur < 2.0 + gap * 0.5:
        times = np.array([rng.uniform(0.03, 0.1)])
    else:
        times = dsp.regular_times(dur - 1.0, gap, start_s=rng.uniform(0.05, 0.2), jitter=0.03, rng=rng)
    k = times.size
    freqs, t60s, amps = [], [], []
    for ratio, a, tr in BELL_PARTIALS:
        f = strike * ratio * (1 + 0.004 * rng.standard_normal())
        beat = rng.uniform(0.3, 2.2)                    # a detuned pair: the bell's warble
        split = rng.uniform(0.55, 0.75)
        for df, share in ((-beat / 2, split), (beat / 2, 1 - split)):
            freqs.append(f + df)
            t60s.append(t_long * tr * rng.uniform(0.9, 1.1))
            amps.append(a * share)
    # a few inharmonic upper partials: the clang of the strike
    for ratio in rng.uniform(5.0, 9.5, 5):
        freqs.append(strike * ratio)
        t60s.append(rng.uniform(0.3, 0.9))
        amps.append(rng.uniform(0.08, 0.2))
    freqs, t60s, amps = map(np.asarray, (freqs, t60s, amps))
    # each toll: strike strength sets loudness and brightness (upper partials grow faster)
    strength = rng.uniform(0.85, 1.0, k) * (0.6 + 0.4 * req.intensity)
    bright = (freqs / strike)[None, :] ** (0.3 * (strength[:, None] - 0.8))
    excite = strength[:, None] * amps[None, :] * bright * rng.uniform(0.85, 1.15, (k, freqs.size))
    y = _modal_events(n, sr, times, freqs, t60s, excite)
    # clapper contact: a short bright thunk on each strike
    thunk = np.zeros(n)
    for t, s in zip(times, strength):
        ln = int(0.01 * sr)
        b = rng.standard_normal(ln) * np.exp(-np.arange(ln) / (0.002 * sr))
        dsp.place_signal(thunk, b, int(round(t * sr)), 0.15 * s)
    thunk = dsp.butter(dsp.denormal_guard(thunk), sr, (800.0, min(5000.0, 0.45 * sr)), "bandpass")
    return y + thunk


# --------------------------------------------------------------------------------------
# wind chimes
# --------------------------------------------------------------------------------------
CHIME_RATIOS = (1.0, 2.756, 5.404, 8.933)   # free-free bar / tube modes


@recipe("wind_chimes",
        descriptions=["wind chimes tinkling gently in a breeze on a porch",
                      "metal tubes clinking together as the wind picks up",
                      "a soft random jingle of hanging chimes in a garden",
                      "bamboo or metal chimes swaying and ringing",
                      "delicate bell-like tones struck at random by the wind"],
        keywords=["chimes", "chime", "wind chimes", "windchime", "tinkling", "tinkle", "jingle", "porch",
                  "magic spell", "magical", "sparkle", "sparkling", "shimmer", "shimmering", "twinkle", "twinkling",
                  "fairy dust"],
        texture=True, stereo_width=0.5, default_duration_s=10.0)
def wind_chimes(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    bamboo = req.has("bamboo", "wooden", "wood")
    # tuning: a pentatonic set of bars
    n_bars = int(rng.integers(5, 8))
    root = rng.uniform(520, 820) * 2.0 ** (-1.2 * (req.size - 0.5))
    if bamboo:
        root *= 0.6
    penta = np.array([0, 2, 4, 7, 9, 12, 14, 16, 19, 21])
    start = int(rng.integers(0, 3))
    notes = root * 2.0 ** (penta[start:start + n_bars] / 12.0)
    # wind: a slow random speed; strikes are a Poisson process whose rate follows it
    ctl_sr = 200
    m_ctl = int(dur * ctl_sr) + 2
    wind = dsp.smooth_noise(m_ctl, ctl_sr, rng.uniform(0.12, 0.3), rng) ** 1.5
    wind = np.clip(0.25 + 0.75 * wind * (0.5 + req.intensity), 0.0, 1.5)
    lam_max = 1.5 + 7.0 * req.intensity
    cand = dsp.poisson_times(dur, lam_max * 1.5, rng)
    if req.count is not None:
        c = max(0, int(req.count))
        cand = np.sort(rng.uniform(0.05, max(dur - 0.5, 0.1), c))
        keep = np.ones(c, bool)
    else:
        keep = rng.random(cand.size) < (wind[(cand * ctl_sr).astype(int)] / 1.5) ** 2
    times = cand[keep]
    if times.size == 0 and req.count is None:
        times = np.array([rng.uniform(0.05, max(dur * 0.3, 0.06))])
    w_at = wind[np.minimum((times * ctl_sr).astype(int), m_ctl - 1)]
    # the clapper walks among neighbouring bars
    bars = (np.cumsum(rng.integers(-2, 3, times.size)) + rng.integers(0, n_bars)) % n_bars
    strike = np.clip(w_at, 0.2, 1.2) * rng.uniform(0.35, 1.0, times.size)
    freqs = (notes[:, None] * np.array(CHIME_RATIOS)[None, :]).ravel()
    t_fund = (0.8 if bamboo else rng.uniform(2.5, 4.5)) * (0.7 + 0.6 * req.size)
    t60s = np.tile(t_fund / np.array([1.0, 2.2, 4.5, 8.0]), n_bars)
    rel = np.array([1.0, 0.7, 0.45, 0.3]) * (0.4 if bamboo else 1.0) ** np.arange(4)
    excite = np.zeros((times.size, freqs.size))
    for j in range(4):
        excite[np.arange(times.size), bars * 4 + j] = strike * rel[j] * rng.uniform(0.7, 1.3, times.size)
    keep_modes = freqs < 0.45 * sr
    y = _modal_events(n, sr, times, freqs[keep_modes], t60s[keep_modes], excite[:, keep_modes])
    # a breath of breeze under the chimes, following the same wind
    w_full = np.interp(np.arange(n) / sr, np.arange(m_ctl) / ctl_sr, wind)
    dec = max(1, int(sr // 5512))
    md = -(-n // dec)
    breeze = dsp.butter(rng.standard_normal(md), sr / dec, (200.0, min(1500.0, 0.4 * sr / dec)), "bandpass")
    breeze = signal.resample_poly(breeze, dec, 1)[:n] if dec > 1 else breeze
    return y + 0.12 * np.std(y) * w_full * breeze / (np.std(breeze) + 1e-12)


# --------------------------------------------------------------------------------------
# sfxr model (laser, ui_blip, power_up)
# --------------------------------------------------------------------------------------
def _sfxr(sr: int, rng: np.random.Generator, *, wave: str = "square", f0: float = 440.0,
          slide: float = 0.0, dslide: float = 0.0, fmin: float = 30.0, vib_depth: float = 0.0,
          vib_hz: float = 0.0, arp: float = 1.0, arp_t: float | None = None, duty: float = 0.5,
          duty_sweep: float = 0.0, attack: float = 0.0, sustain: float = 0.1, punch: float = 0.0,
          decay: float = 0.2, repeat: float | None = None, lp_hz: float | None = None,
          hp_hz: float | None = None) -> np.ndarray:
    """One sfxr-style sound: an oscillator whose frequency slides (oct/s, with a delta
    slide), vibrates, jumps by an arpeggio ratio and optionally restarts (repeat), with an
    attack / sustain+punch / decay envelope, rendered 4x oversampled then decimated."""
    os_ = 4
    fs = sr * os_
    length = attack + sustain + decay
    m = max(16, int(length * fs))
    t = np.arange(m) / fs
    tr = np.mod(t, repeat) if repeat else t
    logf = np.log2(f0) + slide * tr + 0.5 * dslide * tr * tr
    f = 2.0 ** logf
    if arp_t is not None:
        f = np.where(tr >= arp_t, f * arp, f)
    if vib_depth:
        f = f * (1.0 + vib_depth * np.sin(TWO_PI * vib_hz * t))
    alive = np.logical_and.accumulate(f >= fmin) if not repeat else np.ones(m, bool)
    f = np.clip(f, 1.0, 0.45 * sr)
    ph = np.cumsum(f) / fs
    frac = np.mod(ph, 1.0)
    if wave == "square":
        d = np.clip(duty + duty_sweep * t, 0.05, 0.95)
        x = np.where(frac < d, 1.0, -1.0)
    elif wave == "saw":
        x = 1.0 - 2.0 * frac
    elif wave == "triangle":
        x = 1.0 - 4.0 * np.abs(frac - 0.5)
    elif wave == "noise":
        table = rng.uniform(-1, 1, 4096)
        x = table[(np.floor(ph * 32).astype(np.int64)) % table.size]
    else:
        x = np.sin(TWO_PI * ph)
    env = np.empty(m)
    a_n, s_n = int(attack * fs), int(sustain * fs)
    env[:a_n] = np.linspace(0.0, 1.0, a_n) if a_n else 0
    s_u = np.arange(min(s_n, m - a_n)) / max(s_n, 1)
    env[a_n:a_n + s_u.size] = 1.0 + punch * (1.0 - s_u)
    rest = m - a_n - s_u.size
    env[a_n + s_u.size:] = np.linspace(1.0, 0.0, rest) ** 1.5 if rest > 0 else 0
    y = x * env * alive
    y = signal.resample_poly(y, 1, os_)
    if lp_hz:
        y = dsp.butter(y, sr, min(lp_hz, 0.45 * sr), "lowpass")
    if hp_hz:
        y = dsp.butter(y, sr, hp_hz, "highpass")
    return y


def _one_shot_times(req: SynthRequest, rng, *, gap_s: float, every=(1.0, 3.0), single_below_s: float = 2.5):
    dur = req.duration_s
    if req.count is not None:
        return _spread(int(req.count), dur, rng, gap_s=gap_s, start=(0.03, 0.1), tail_s=0.3, jitter=0.3,
                       min_gap_s=0.08)
    if dur <= single_below_s:
        return np.array([rng.uniform(0.02, 0.08)])
    return _pattern(dur, rng, first=(0.03, 0.2), every=every, tail_s=0.5)


def _laser_params(req: SynthRequest, rng) -> dict:
    heavy = req.has("cannon", "heavy", "blaster", "big") or req.size > 0.75
    return dict(
        wave=str(rng.choice(["square", "saw", "square", "sine"])),
        f0=rng.uniform(900, 2200) * (0.55 if heavy else 1.0) * (0.8 + 0.4 * req.intensity),
        slide=-rng.uniform(6.0, 14.0) * (0.7 if heavy else 1.0), dslide=rng.uniform(0.0, 30.0),
        fmin=60.0, duty=rng.uniform(0.15, 0.5), duty_sweep=rng.uniform(-1.0, 1.5),
        vib_depth=rng.uniform(0, 0.08) if rng.random() < 0.3 else 0.0, vib_hz=rng.uniform(15, 40),
        attack=0.0, sustain=rng.uniform(0.04, 0.12) * (1.5 if heavy else 1.0), punch=rng.uniform(0.1, 0.6),
        decay=rng.uniform(0.1, 0.25) * (1.5 if heavy else 1.0), hp_hz=rng.uniform(80, 250))


@recipe("laser",
        descriptions=["a sci-fi laser gun firing pew pew",
                      "a retro space blaster shot zapping",
                      "a ray gun zap with a fast falling pitch",
                      "an 8-bit arcade shooting sound",
                      "futuristic energy weapons firing"],
        keywords=["laser", "lasers", "pew", "zap", "zaps", "blaster", "ray", "phaser", "sci-fi", "shoot"],
        default_duration_s=1.0)
def laser(req: SynthRequest) -> np.ndarray:
    sr, n, rng = req.sample_rate, req.n, req.rng
    times = _one_shot_times(req, rng, gap_s=0.35 / max(req.rate, 0.2), every=(0.3, 2.0), single_below_s=1.5)
    base = _laser_params(req, rng)   # one weapon per take, each shot slightly different
    out = np.zeros(n)
    for t in times:
        p = dict(base, f0=base["f0"] * rng.uniform(0.93, 1.07), slide=base["slide"] * rng.uniform(0.9, 1.1))
        dsp.place_signal(out, _sfxr(sr, rng, **p), int(round(t * sr)), rng.uniform(0.85, 1.0))
    return out


def _blip_params(req: SynthRequest, rng) -> dict:
    if req.has("coin", "pickup", "collect", "collected", "reward", "gem", "ring"):
        return dict(wave="square", f0=rng.uniform(900, 1500), duty=rng.uniform(0.3, 0.5),
                    arp=rng.choice([1.335, 1.498, 1.26]), arp_t=rng.uniform(0.04, 0.09),
                    sustain=rng.uniform(0.04, 0.1), punch=rng.uniform(0.3, 0.6), decay=rng.uniform(0.15, 0.35))
    if req.has("error", "deny", "denied", "wrong", "invalid", "fail", "failure", "buzz", "negative"):
        return dict(wave=str(rng.choice(["square", "saw"])), f0=rng.uniform(140, 260), duty=0.5,
                    arp=rng.uniform(0.7, 0.8), arp_t=rng.uniform(0.08, 0.12), sustain=rng.uniform(0.15, 0.25),
                    punch=0.2, decay=rng.uniform(0.05, 0.12), lp_hz=3000.0)
    if req.has("confirm", "select", "selected", "ok", "accept", "success", "correct", "positive"):
        return dict(wave=str(rng.choice(["sine", "square", "triangle"])), f0=rng.uniform(600, 1000), duty=0.5,
                    arp=rng.choice([1.5, 2.0, 1.335]), arp_t=rng.uniform(0.05, 0.08),
                    sustain=rng.uniform(0.06, 0.12), punch=rng.uniform(0.2, 0.5), decay=rng.uniform(0.1, 0.2))
    if req.has("click", "tap", "hover", "tick", "navigate", "scroll", "button"):
        return dict(wave=str(rng.choice(["sine", "square"])), f0=rng.uniform(1500, 3000), duty=0.5,
                    slide=rng.uniform(-4, 2), sustain=rng.uniform(0.01, 0.025), punch=0.5,
                    decay=rng.uniform(0.02, 0.05), hp_hz=300.0)
    # generic blip / select (the sfxr "blip" preset)
    return dict(wave=str(rng.choice(["square", "sine", "triangle"])), f0=rng.uniform(500, 1600),
                duty=rng.uniform(0.25, 0.5), slide=rng.uniform(-0.5, 0.5) if rng.random() < 0.5 else 0.0,
                sustain=rng.uniform(0.03, 0.09), punch=rng.uniform(0.0, 0.5), decay=rng.uniform(0.05, 0.18),
                hp_hz=150.0)


@recipe("ui_blip",
        descriptions=["a short beep of a game menu selection",
                      "a coin pickup jingle in a retro video game",
                      "an interface confirmation chirp",
                      "an 8-bit notification blip",
                      "a button click sound on a screen"],
        keywords=["blip", "blips", "beep", "bleep", "coin", "menu", "ui", "interface", "notification", "click",
                  "pickup", "select", "8-bit", "chiptune"],
        default_duration_s=1.0)
def ui_blip(req: SynthRequest) -> np.ndarray:
    sr, n, rng = req.sample_rate, req.n, req.rng
    times = _one_shot_times(req, rng, gap_s=0.3 / max(req.rate, 0.2), every=(0.5, 2.5), single_below_s=1.5)
    base = _blip_params(req, rng)
    out = np.zeros(n)
    for t in times:
        p = dict(base, f0=base["f0"] * rng.choice([1.0, 1.0, 1.122, 0.891]))
        dsp.place_signal(out, _sfxr(sr, rng, **p), int(round(t * sr)), rng.uniform(0.85, 1.0))
    return out


def _power_up(sr, rng, req: SynthRequest) -> np.ndarray:
    speed = max(req.rate, 0.3)
    if rng.random() < 0.5:   # continuous rising sweep with vibrato (sfxr powerup, no repeat)
        return _sfxr(sr, rng, wave=str(rng.choice(["square", "saw", "triangle"])), f0=rng.uniform(200, 450),
                     slide=rng.uniform(2.5, 5.0) * speed, dslide=rng.uniform(0, 4.0), vib_depth=rng.uniform(0.04, 0.15),
                     vib_hz=rng.uniform(8, 16), duty=rng.uniform(0.3, 0.5), duty_sweep=rng.uniform(-0.4, 0.4),
                     sustain=rng.uniform(0.25, 0.5) / speed, punch=rng.uniform(0.0, 0.3),
                     decay=rng.uniform(0.2, 0.4) / speed, hp_hz=100.0, lp_hz=9000.0)
    # rising arpeggio: each note a short upward chirp (sfxr repeat + slide)
    steps = np.array([0, 4, 7, 12, 16, 19, 24, 28])[: int(rng.integers(5, 9))]
    step_s = rng.uniform(0.05, 0.085) / speed
    f0 = rng.uniform(260, 520)
    wave = str(rng.choice(["square", "triangle", "saw"]))
    out = np.zeros(int((steps.size * step_s + 0.4) * sr))
    for i, st in enumerate(steps):
        last = i == steps.size - 1
        g = _sfxr(sr, rng, wave=wave, f0=f0 * 2 ** (st / 12), slide=rng.uniform(0.5, 2.0), duty=0.4,
                  sustain=step_s * (2.5 if last else 0.8), punch=0.3, decay=(0.25 if last else 0.05), hp_hz=100.0)
        dsp.place_signal(out, g, int(i * step_s * sr), 0.7 + 0.3 * i / steps.size)
    return out


@recipe("power_up",
        descriptions=["a video game power-up sound rising in pitch",
                      "an arcade level-up jingle climbing upward",
                      "a retro bonus pickup with a rising arpeggio",
                      "a character gaining an extra life in an 8-bit game",
                      "a sci-fi charging up sweep"],
        keywords=["power-up", "powerup", "power", "level-up", "levelup", "upgrade", "bonus", "charge",
                  "charging", "1up"],
        default_duration_s=1.5)
def power_up(req: SynthRequest) -> np.ndarray:
    sr, n, rng = req.sample_rate, req.n, req.rng
    times = _one_shot_times(req, rng, gap_s=1.2 / max(req.rate, 0.2), every=(1.8, 4.0), single_below_s=2.5)
    out = np.zeros(n)
    for t in times:
        dsp.place_signal(out, _power_up(sr, rng, req), int(round(t * sr)), rng.uniform(0.85, 1.0))
    return out


# --------------------------------------------------------------------------------------
# music pad: a mood-led chord bed
# --------------------------------------------------------------------------------------
MAJOR = (0, 2, 4, 5, 7, 9, 11)
MINOR = (0, 2, 3, 5, 7, 8, 10)
#: mood -> scale, chord degrees with transition weights, seconds per chord, register, brightness
MOODS = {
    "calm": dict(scale=MAJOR, chords=(0, 3, 5, 4, 1, 2), sec=(6.0, 9.0), root=(50, 56), bright=0.25,
                 cutoff=1600.0, sevenths=0.5, centre=65),
    "happy": dict(scale=MAJOR, chords=(0, 3, 4, 5, 1), sec=(2.0, 3.0), root=(53, 60), bright=0.7,
                  cutoff=3200.0, sevenths=0.2, centre=72),
    "sad": dict(scale=MINOR, chords=(0, 5, 2, 6, 3, 4), sec=(7.0, 10.0), root=(45, 52), bright=0.15,
                cutoff=900.0, sevenths=0.4, centre=57),
    "tense": dict(scale=MINOR, chords=(0, 1, 6, 3, 4), sec=(5.0, 8.0), root=(40, 46), bright=0.35,
                  cutoff=1200.0, sevenths=0.0, centre=55),
    "epic": dict(scale=MINOR, chords=(0, 5, 2, 6, 3), sec=(3.5, 5.0), root=(41, 47), bright=0.6,
                 cutoff=2600.0, sevenths=0.0, centre=60),
}
MOOD_CUES = {
    "tense": ("tense", "suspense", "suspenseful", "ominous", "scary", "horror", "dread", "creepy", "thriller"),
    "happy": ("happy", "cheerful", "upbeat", "joyful", "playful", "bright", "light-hearted", "fun"),
    "sad": ("sad", "melancholy", "melancholic", "sorrowful", "mournful", "somber", "tragic", "grief"),
    "epic": ("epic", "heroic", "battle", "triumphant", "cinematic", "trailer", "grand", "majestic"),
    "calm": ("calm", "peaceful", "serene", "relaxing", "gentle", "ambient", "soothing"),
}
_TABLE = 2048
_SINE = np.sin(TWO_PI * np.arange(_TABLE) / _TABLE)


def _wavetable(f0: float, fs: float, rolloff: float, fmax: float) -> np.ndarray:
    """One cycle of a band-limited saw-like wave: harmonics 1/k**rolloff up to fmax."""
    h = max(1, int(min(fmax, 0.45 * fs) // max(f0, 1.0)))
    spec = np.zeros(_TABLE // 2 + 1, dtype=np.complex128)
    k = np.arange(1, min(h, _TABLE // 2 - 1) + 1)
    spec[k] = -1j * k ** (-rolloff)
    w = np.fft.irfft(spec, _TABLE)
    return w / (np.max(np.abs(w)) + 1e-12)


def _osc(table: np.ndarray, phase_cycles: np.ndarray) -> np.ndarray:
    return table[(phase_cycles * _TABLE).astype(np.int64) & (_TABLE - 1)]


def _progression(mood: dict, dur: float, rng) -> list[tuple[float, float, int]]:
    """[(start_s, length_s, degree)]: a random walk over the mood's chord set that starts
    on the tonic and never repeats a chord back to back, so long takes do not loop."""
    out, t, deg = [], 0.0, 0
    while t < dur:
        ln = rng.uniform(*mood["sec"])
        out.append((t, ln, deg))
        t += ln
        choices = [c for c in mood["chords"] if c != deg]
        w = np.array([3.0 if c in (0, 3, 4, 5) else 1.0 for c in choices])
        deg = int(rng.choice(choices, p=w / w.sum()))
    return out


def _chord_midi(scale, key: int, degree: int, seventh: bool, tense: bool, rng) -> list[int]:
    idx = [degree, degree + 2, degree + 4] + ([degree + 6] if seventh else [])
    notes = [key + scale[i % 7] + 12 * (i // 7) for i in idx]
    if tense and rng.random() < 0.5:
        notes[2] -= 1                    # flattened fifth: diminished colour
    return notes


def _drum(fs: float, rng, big: float) -> np.ndarray:
    m = int(0.9 * fs)
    t = np.arange(m) / fs
    f = 48.0 + 70.0 * np.exp(-t / 0.04)
    body = np.sin(dsp.sweep_phase(f, int(fs))) * np.exp(-LN1000 * t / (0.5 + 0.3 * big))
    skin = rng.standard_normal(m) * np.exp(-t / 0.015)
    skin = dsp.butter(skin, fs, min(1200.0, 0.4 * fs), "lowpass")
    return body + 0.5 * skin


@recipe("music_pad",
        descriptions=["a soft ambient music bed of sustained synth chords",
                      "a cinematic underscore that sets the mood of the scene",
                      "slow evolving background music with warm pads",
                      "an emotional orchestral-style score swelling under the story",
                      "a tense suspenseful drone with pulsing low notes"],
        keywords=["music", "score", "soundtrack", "pad", "underscore", "melody", "chords", "theme", "background",
                  "jazz", "piano", "guitar", "violin", "cello", "orchestra", "orchestral", "symphony", "song", "band",
                  "choir", "hymn", "harp", "flute", "organ", "trumpet", "fanfare", "tune", "lullaby", "waltz", "ballad"],
        track="music", texture=True, stereo_width=0.0, default_duration_s=20.0)
def music_pad(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    mood_name = req.mood if req.mood in MOODS else "calm"
    if mood_name == "calm":   # the default: let a caption cue choose
        for name, cues in MOOD_CUES.items():
            if req.has(*cues):
                mood_name = name
                break
    mood = MOODS[mood_name]
    speed = float(np.clip(req.rate, 0.4, 2.5))
    mood = dict(mood, sec=(mood["sec"][0] / speed, mood["sec"][1] / speed))
    # internal rate ~11 kHz (the bed is low-passed well below that), upsampled once at the end
    dec = max(1, int(round(sr / 11025)))
    fs = sr / dec
    m = -(-n // dec)
    t_all = np.arange(m) / fs
    out = np.zeros((2, m))
    key = int(rng.integers(*mood["root"]))
    scale = mood["scale"]
    fmax = min(mood["cutoff"] * 2.2, 0.42 * fs)
    prog = _progression(mood, dur, rng)
    drift = dsp.smooth_noise(m, int(fs), 0.3, rng, lo=-1.0, hi=1.0)
    bright_ctl = dsp.smooth_noise(m, int(fs), 0.08, rng, lo=0.0, hi=1.0)
    tense = mood_name == "tense"
    epic = mood_name == "epic"
    for ci, (start, ln, deg) in enumerate(prog):
        att = min(ln * 0.45, {"calm": 2.0, "sad": 2.5, "tense": 1.5, "happy": 0.3, "epic": 1.2}[mood_name])
        rel = min(2.5, ln * 0.6)
        i0 = int(start * fs)
        i1 = min(m, int((start + ln + rel) * fs))
        if i1 <= i0:
            continue
        tt = t_all[i0:i1] - start
        env = np.clip(tt / att, 0, 1) ** 1.5 * np.clip(1 - (tt - ln) / rel, 0, 1)
        if epic:   # brass-like swell: opens through the chord
            swell = np.clip(tt / (ln * 0.7), 0, 1) ** 2
        notes = _chord_midi(scale, key, deg, rng.random() < mood["sevenths"], tense, rng)
        # voicing: bass an octave below the root, upper voices around middle C
        c0 = mood["centre"]
        upper = sorted(c0 + ((x - c0 + 6) % 12) - 6 for x in notes)
        bass = notes[0] - 12 if notes[0] - 12 >= 36 else notes[0]
        voices = [(bass, 0.5, 0.5)] + [(v, 0.5 + 0.35 * ((j % 2) * 2 - 1) * (j > 0), 0.35)
                                        for j, v in enumerate(upper)]
        if mood_name == "calm":   # a soft airy octave above the top voice
            voices.append((upper[-1] + 12, 0.5 + rng.uniform(-0.3, 0.3), 0.12))
        if epic:
            voices.append((bass - 12 if bass - 12 >= 28 else bass, 0.5, 0.5))   # octave doubling
            voices += [(v + 12, 0.5 + rng.uniform(-0.4, 0.4), 0.18) for v in upper[:2]]
        b = mood["bright"] * (0.6 + 0.8 * bright_ctl[i0:i1])
        if epic:
            b = np.clip(0.15 + 0.85 * swell, 0, 1)
        drift_seg = 1 + 0.0015 * drift[i0:i1]
        for midi, pan, gain in voices:
            f = 440.0 * 2 ** ((midi - 69) / 12)
            dark = _wavetable(f, fs, 2.0, fmax)
            diff = _wavetable(f, fs, 1.0, fmax) - dark
            sig = np.zeros(i1 - i0)
            spread = 1.5 if midi < 52 else rng.uniform(4, 9)    # cents: a tight bass, a chorused pad
            for det, amp in ((-1, 1.0), (1, 0.65)):              # unequal pair: beating, never cancelling
                fr = f * 2 ** (det * spread / 1200)
                ph = rng.random() + (fr / fs) * np.cumsum(drift_seg)
                k = (ph * _TABLE).astype(np.int64) & (_TABLE - 1)
                sig += amp * (dark[k] + b * diff[k])
            sig += 0.6 * _SINE[k]   # a sine partial under the saws
            sig *= env * (0.4 if mood_name == "happy" else 1.0)   # happy: a light bed under the plucks
            out[0, i0:i1] += (gain * np.cos(0.5 * np.pi * pan)) * sig
            out[1, i0:i1] += (gain * np.sin(0.5 * np.pi * pan)) * sig
        # motion layers
        if mood_name == "happy":   # arpeggiated plucks through the chord tones
            step = 60.0 / rng.uniform(110, 130) / 2
            k = int(ln / step)
            arp_notes = [u + 12 for u in upper]
            pat = rng.permutation(len(arp_notes)) if ci % 2 else np.arange(len(arp_notes))
            for s in range(k):
                a0 = i0 + int(s * step * fs)
                a1 = min(m, a0 + int(0.35 * fs))
                if a0 >= m:
                    break
                f = 440.0 * 2 ** ((arp_notes[pat[s % len(pat)]] - 69) / 12)
                u = np.arange(a1 - a0) / fs
                pl = (np.sin(TWO_PI * f * u) + 0.3 * np.sin(TWO_PI * 2 * f * u)) * np.exp(-u / 0.1) * 0.9
                pan = 0.5 + 0.3 * np.sin(s * 0.9)
                out[0, a0:a1] += pl * np.cos(0.5 * np.pi * pan)
                out[1, a0:a1] += pl * np.sin(0.5 * np.pi * pan)
        if tense:   # a low pulsing ostinato on the chord root
            bpm = rng.uniform(84, 104) * speed
            beat = 60.0 / bpm / 2
            f = 440.0 * 2 ** ((notes[0] - 12 - 69) / 12)
            tb = t_all[i0:min(m, int((start + ln) * fs))] - start
            pulse = np.exp(-np.mod(tb, beat) / 0.09) * (0.7 + 0.3 * (np.floor(tb / beat) % 4 == 0))
            osc = np.sin(TWO_PI * f * tb) + 0.4 * np.sin(TWO_PI * 2 * f * tb)
            out[:, i0:i0 + tb.size] += 0.35 * osc * pulse
    if tense:   # a sustained low drone with a slow tremolo, under everything
        f = 440.0 * 2 ** ((key - 24 - 69) / 12)
        trem = 0.7 + 0.3 * np.sin(TWO_PI * rng.uniform(0.15, 0.4) * t_all)
        dr = (np.sin(TWO_PI * f * t_all) + 0.5 * np.sin(TWO_PI * f * 1.4983 * t_all + 1.0)) * trem * 0.35
        out += dr
    if epic:   # drum hits: on the beat, with accents and a fill before each chord change
        bpm = rng.uniform(70, 88) * speed
        beat = 60.0 / bpm
        drum = _drum(fs, rng, 1.0)
        hits = np.arange(rng.uniform(0.0, 0.2), dur, beat)
        for i, h in enumerate(hits):
            a = 1.0 if i % 4 == 0 else 0.55 if i % 2 == 0 else 0.3
            dsp.place_signal(out, np.stack([drum, drum]), int(h * fs), 1.6 * a)
    out = dsp.butter(out, fs, mood["cutoff"], "lowpass")
    if dec > 1:
        out = signal.resample_poly(out, dec, 1, axis=-1)
    return out[:, :n] if out.shape[-1] >= n else np.pad(out, ((0, 0), (0, n - out.shape[-1])))
