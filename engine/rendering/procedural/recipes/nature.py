"""Weather, fire and composite nature beds: thunder, wind, fire, cave_ambience, forest_ambience.

(The water family lives in nature_water.py; shared helpers in _nature_dsp.py.)
"""
from __future__ import annotations

import numpy as np
from scipy import signal

from .. import dsp
from . import _nature_dsp as nd
from .base import REGISTRY, SynthRequest, layer, recipe
from .nature_water import drip_layer

C_SOUND = 343.0


# ------------------------------------------------------------------------ thunder
_DIST_M = {"close": 450.0, "medium": 2200.0, "far": 7500.0}


def _walk(rng, start, nseg, bias, seg_m, spread):
    steps = rng.normal(0.0, 1.0, (nseg, 3)) * np.asarray(spread) + np.asarray(bias)
    steps /= np.linalg.norm(steps, axis=1, keepdims=True) + 1e-12
    lens = seg_m * rng.uniform(0.5, 1.5, nseg)
    return start + np.vstack([np.zeros(3), np.cumsum(steps * lens[:, None], axis=0)])


def _lightning(rng: np.random.Generator, ground_dist_m: float):
    """A tortuous channel: cloud-to-ground random walk, a few branches, and a long
    horizontal intracloud run. Returns segment midpoints (k, 3) and vectors (k, 3)."""
    height = rng.uniform(2500.0, 4500.0)
    az = rng.uniform(0, 2 * np.pi)
    base = np.array([ground_dist_m * np.cos(az), ground_dist_m * np.sin(az), 0.0])
    main = _walk(rng, base, 120, [0, 0, 1.0], height / 95.0, [0.7, 0.7, 0.4])
    paths = [main]
    for _ in range(int(rng.integers(3, 7))):
        d = rng.normal(0, 1, 3)
        d[2] = -0.4 * abs(d[2])
        paths.append(_walk(rng, main[int(rng.integers(15, 115))], int(rng.integers(15, 50)),
                           d / np.linalg.norm(d), 45.0, [0.8, 0.8, 0.5]))
    d = rng.normal(0, 1, 3)
    d[2] = 0.0
    paths.append(_walk(rng, main[-1], int(rng.integers(80, 200)), d / np.linalg.norm(d), 60.0, [0.9, 0.9, 0.15]))
    mids = np.vstack([(p[1:] + p[:-1]) / 2 for p in paths])
    vecs = np.vstack([p[1:] - p[:-1] for p in paths])
    return mids, vecs


def _thunder_strike(n: int, sr: int, t0: float, dist_m: float, rng: np.random.Generator):
    """N-waves from every channel segment at its own arrival time, low-passed by its
    own distance; returns (direct signal, per-control-frame arrival energy)."""
    mids, vecs = _lightning(rng, dist_m)
    rel = mids - np.array([0.0, 0.0, 1.5])
    r = np.linalg.norm(rel, axis=1)
    u = rel / r[:, None]
    seg_len = np.linalg.norm(vecs, axis=1)
    v = vecs / (seg_len[:, None] + 1e-9)
    sin_t = np.linalg.norm(np.cross(v, u), axis=1)        # radiation is strongest broadside
    amp = np.sqrt(seg_len) * (0.25 + sin_t) / r * np.exp(-r / 9000.0)
    arr = t0 + (r - r.min()) / C_SOUND
    width = rng.uniform(0.7e-3, 5e-3, r.size) * (1.0 + r / 1000.0)  # N-waves stretch with range
    # tortuosity micro-structure: short N-waves riding each segment (heard only close up)
    k2 = 2 * r.size
    idx = np.repeat(np.arange(r.size), 2)
    r_all = np.concatenate([r, r[idx]])
    arr_all = np.concatenate([arr, arr[idx] + rng.uniform(0, 0.03, k2)])
    amp_all = np.concatenate([amp, 0.7 * amp[idx] * rng.uniform(0.3, 1.0, k2)])
    w_all = np.concatenate([width, rng.uniform(0.15e-3, 0.8e-3, k2) * (1.0 + r[idx] / 1000.0)])
    out = np.zeros(n)
    edges = [0.0, 900.0, 2000.0, 4500.0, np.inf]
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (r_all >= lo) & (r_all < hi) & (arr_all < n / sr)
        if not np.any(sel):
            continue
        w = w_all[sel]
        L = int(np.ceil(w.max() * sr)) + 2
        x = (np.arange(L) / sr)[None, :] / w[:, None]
        g = np.where(x < 1.0, 1.0 - 2.0 * x, 0.0) * np.minimum(1.0, x * w[:, None] * sr / 2.0)
        g = (g * amp_all[sel][:, None]).astype(np.float32)
        y = dsp.scatter_grains(n, sr, arr_all[sel], g, guard=True)
        fc = 16000.0 / (1.0 + np.median(r_all[sel]) / 250.0)  # air absorption
        out += dsp.lowpass(y, sr, fc, order=2)
    tc = nd.ctrl_grid(n, sr)
    energy = np.histogram(arr, bins=np.append(tc, tc[-1] + 1 / nd.CTRL_RATE), weights=amp ** 2)[0]
    return out, energy


@recipe("thunder",
        descriptions=["a loud crack of thunder right overhead",
                      "distant thunder rumbling across the sky",
                      "a thunderclap followed by a long rolling rumble",
                      "a storm with booming thunder",
                      "lightning strikes nearby with a sharp crack and roar"],
        keywords=["thunder", "thunderclap", "thunderstorm", "lightning", "rumble", "thunderbolt", "storm", "boom"],
        track="ambience", texture=False, stereo_width=0.7, handles_distance=True, default_duration_s=10.0)
def thunder(req: SynthRequest) -> np.ndarray:
    """Lightning channel geometry -> N-waves per segment (delayed by path length,
    widened and low-passed by range) + 20-120 Hz brown rumble following the arrival
    density + sparse echoes from terrain and cloud. req.distance sets the strike range:
    close = a tearing crack then roll; far = a soft, low, slow-building rumble."""
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    dist = req.distance
    if req.has("overhead", "crack", "cracks", "clap", "nearby", "close", "sharp"):
        dist = "close" if req.distance != "far" else "medium"
    elif req.has("distant", "faraway", "far-off", "rolling", "far"):
        dist = "far"
    base_m = _DIST_M.get(dist, 2200.0)
    default = 1 + int(dur // 14.0)
    t_strikes = nd.strike_times(dur, req.count, default, rng, head_s=0.08,
                                tail_s=min(0.6 * dur, 4.0 if req.count is None else 2.0))
    if req.count is None and t_strikes.size:
        t_strikes[0] = rng.uniform(0.08, 0.25)
    direct = np.zeros(n)
    energy = 0.0
    for i, t0 in enumerate(t_strikes):
        d = base_m * rng.uniform(0.75, 1.3) * (1.0 if i == 0 else rng.uniform(0.8, 1.8))
        y, e = _thunder_strike(n, sr, float(t0), d, rng)
        g = rng.uniform(0.6, 1.0) if i else 1.0
        direct += g * y
        energy = energy + g * g * e
    # rumble: brown noise 20-120 Hz, envelope = smoothed arrival energy with a long roll-off
    tc = nd.ctrl_grid(n, sr)
    a = np.exp(-1.0 / (0.9 * nd.CTRL_RATE))
    env = np.sqrt(signal.lfilter([1 - a], [1, -a], np.asarray(energy, dtype=np.float64) * nd.CTRL_RATE))
    att = np.exp(-1.0 / (0.08 * nd.CTRL_RATE))
    env = signal.lfilter([1 - att], [1, -att], env)  # no instantaneous rumble attack
    env *= nd.ctrl(n, sr, 1.5, rng, 0.55, 1.0)       # rolling, uneven
    rumble = dsp.bandpass(nd.brown(n, sr, rng), sr, 22.0, 120.0) * dsp.control_up(env, n, sr / nd.CTRL_RATE)
    r_dir = dsp.rms(direct) + 1e-12
    far_mix = {"close": 0.8, "medium": 1.0, "far": 2.0}.get(dist, 1.2)
    dry = direct + dsp.normalize_rms(rumble, r_dir * far_mix)
    # sparse echoes: hills, buildings, cloud base (each later one darker and weaker)
    k = int(rng.integers(8, 14))
    delays = np.sort(rng.uniform(0.15, 3.5, k))
    gains = 0.55 * np.exp(-delays / 1.6) * rng.uniform(0.4, 1.0, k)
    wet = nd.shift_add(dsp.lowpass(dry, sr, 900.0 if dist == "close" else 450.0), delays, gains, sr)
    out = dry + wet
    if dist == "far":
        out = dsp.lowpass(out, sr, 1500.0)
    return out


# --------------------------------------------------------------------------- wind
@recipe("wind",
        descriptions=["gusty wind blowing across open ground",
                      "a strong gale howling around the house",
                      "a soft breeze rising and falling",
                      "wind whistling through gaps and cracks",
                      "stormy air buffeting in powerful gusts"],
        keywords=["wind", "gust", "gusts", "gusty", "breeze", "gale", "howling", "blowing", "windy", "draught",
                  "whistling", "blustery"],
        track="ambience", texture=True, stereo_width=0.8, default_duration_s=10.0)
def wind(req: SynthRequest) -> np.ndarray:
    """Aeroacoustic noise whose band centre and level follow a slow random wind speed
    (0.1-0.3 Hz drift + discrete gusts); howling cue adds narrow resonances whose pitch
    tracks the speed and which speak only above a threshold speed."""
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    inten = nd.cue_intensity(req, calm=("breeze", "gentle", "soft", "light", "calm", "faint"),
                             strong=("gale", "storm", "stormy", "strong", "hurricane", "blizzard", "howling",
                                     "fierce", "violent", "gusty"))
    rate = max(req.rate, 0.2)
    tc = nd.ctrl_grid(n, sr)
    speed = nd.ctrl(n, sr, 0.15 * rate, rng, 0.25, 0.65) * (0.45 + 0.75 * inten)
    g_times = dsp.poisson_times(dur + 3.0, (0.06 + 0.16 * inten) * rate, rng) - 1.5
    for tg in g_times:
        speed += rng.uniform(0.25, 0.7) * (0.4 + 0.8 * inten) * nd.bump(tc, tg, rng.uniform(0.6, 2.2) / rate,
                                                                         rng.uniform(1.2, 3.5) / rate)
    speed += nd.ctrl(n, sr, 3.0, rng, -0.05, 0.05)  # turbulence flutter
    speed = np.clip(speed, 0.03, 1.8)

    src = nd.noise(n, rng)
    centres = np.array([110.0, 230.0, 470.0, 950.0, 1900.0, 3800.0])
    fc = 140.0 * 2.0 ** (3.0 * speed)  # faster air -> higher, brighter
    out = np.zeros(n)
    for c in centres:
        if c * 1.41 >= 0.47 * sr:
            continue
        w = np.exp(-0.5 * (np.log2(c / fc) / 0.85) ** 2) * speed ** 1.6
        out += dsp.normalize_rms(dsp.bandpass(src, sr, c / 1.41, c * 1.41)) * dsp.control_up(w, n, sr / nd.CTRL_RATE) * (c / 470.0) ** -0.25
    buffet = dsp.normalize_rms(dsp.lowpass(nd.noise(n, rng), sr, 80.0, order=2)) * dsp.control_up(speed ** 2, n, sr / nd.CTRL_RATE)
    out += 0.6 * buffet
    howl = req.has("howling", "howl", "howls", "whistling", "whistles", "whistle", "moaning", "wailing", "shrieking")
    if howl or inten > 0.85:
        thr = 0.2 if howl else 0.45
        gate = np.clip((speed - thr) / 0.5, 0.0, 1.0) ** 2
        base = rng.uniform(320.0, 800.0)
        f = dsp.control_up(base * (0.55 + 0.75 * speed), n, sr / nd.CTRL_RATE)
        parts = ((1.0, 1.0), (rng.uniform(1.35, 1.6), rng.uniform(0.3, 0.8)), (rng.uniform(2.1, 2.6), rng.uniform(0.2, 0.5)))
        hw = nd.narrowband(n, sr, f, rng.uniform(4.0, 10.0), rng, harmonics=parts) * dsp.control_up(gate, n, sr / nd.CTRL_RATE)
        out += dsp.normalize_rms(hw, dsp.rms(out) * (1.6 if howl else 0.3))
    if req.indoor:
        out = dsp.lowpass(out, sr, 1500.0)
    return out


# --------------------------------------------------------------------------- fire
@recipe("fire",
        descriptions=["a campfire crackling and popping",
                      "logs burning in a fireplace",
                      "a roaring bonfire with hissing flames",
                      "wood crackling in a hearth",
                      "flames flickering and snapping as the wood burns"],
        keywords=["fire", "campfire", "bonfire", "fireplace", "hearth", "crackling", "flames", "burning", "blaze",
                  "logs", "embers", "crackle"],
        track="ambience", texture=True, stereo_width=0.4, default_duration_s=10.0)
def fire(req: SynthRequest) -> np.ndarray:
    """Farnell's fire: hiss (high-passed noise x random control^4) + crackles (Poisson
    clusters of micro-snaps ringing 1-6 kHz) + occasional resin pops + lapping (band-
    passed ~30 Hz noise, clipped, modulating a low roar)."""
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    inten = nd.cue_intensity(req, calm=("embers", "smouldering", "smoldering", "dying", "small", "gentle", "low"),
                             strong=("roaring", "bonfire", "blaze", "blazing", "inferno", "raging", "wildfire",
                                     "burning building"))
    hearth = bool(req.indoor) or req.has("fireplace", "hearth", "stove", "woodstove", "wood-burning", "log fire")
    big = req.has("bonfire", "blaze", "inferno", "wildfire", "burning building", "roaring") or req.size > 0.75
    rate = max(req.rate, 0.2)

    # crackles: clusters of 1-6 micro-snaps within ~25 ms, each a damped 1-6 kHz ring
    c_rate = (3.0 + 22.0 * inten) * rate * (0.7 if hearth else 1.0)
    flick = nd.ctrl(n, sr, 0.4, rng, 0.35, 1.0)
    tc_ev = nd.thin(dsp.poisson_times(dur, c_rate, rng), flick, rng)
    m = 1 + rng.poisson(1.8, tc_ev.size)
    ev_amp = np.minimum(rng.pareto(3.0, tc_ev.size) + 0.3, 1.8)
    t_snap = np.repeat(tc_ev, m) + np.concatenate([np.r_[0.0, np.sort(rng.uniform(0, 0.025, k - 1))] for k in m]) \
        if tc_ev.size else np.zeros(0)
    ks = t_snap.size
    a_snap = np.repeat(ev_amp, m) * rng.uniform(0.25, 1.0, ks)
    L = int(0.007 * sr) + 1
    t = (np.arange(L) / sr)[None, :]
    f = np.exp(rng.uniform(np.log(1000.0), np.log(min(6500.0, 0.42 * sr)), ks))[:, None]
    tau = rng.uniform(0.2e-3, 1.2e-3, ks)[:, None]
    snaps = (a_snap[:, None] * np.exp(-t / tau) * np.sin(2 * np.pi * f * t + rng.uniform(0, 6.3, (ks, 1))))
    crack = dsp.scatter_grains(n, sr, t_snap, snaps.astype(np.float32), guard=True)
    crack = dsp.highpass(crack, sr, 600.0)

    # pops: resin pockets bursting, lower and fuller, rarer in a tidy hearth
    p_rate = (0.1 + 0.5 * inten) * rate * (0.5 if hearth else 1.0)
    tp = dsp.poisson_times(dur, p_rate, rng)
    kp = tp.size
    if kp:
        Lp = int(0.04 * sr)
        tt = (np.arange(Lp) / sr)[None, :]
        fp = rng.uniform(350.0, 1200.0, kp)[:, None]
        body = np.exp(-tt / rng.uniform(0.003, 0.008, (kp, 1))) * np.sin(2 * np.pi * fp * tt)
        burst = rng.standard_normal((kp, Lp)) * np.exp(-tt / 0.004)
        pops = dsp.scatter_grains(n, sr, tp, (rng.uniform(0.6, 1.2, (kp, 1)) * (body + 0.5 * burst)).astype(np.float32), guard=True)
    else:
        pops = np.zeros(n)

    # hiss: gas escaping, in surges (control^4 makes it sporadic)
    hctl = nd.ctrl(n, sr, 5.0, rng, 0.0, 1.0) ** 4
    hiss = dsp.highpass(nd.noise(n, rng), sr, 2500.0) * dsp.control_up(hctl, n, sr / nd.CTRL_RATE)
    # lapping: band-passed ~30 Hz noise, clipped -> flapping modulation of a low roar
    lap = dsp.bandpass(nd.noise(n, rng), sr, 18.0, 45.0)
    lap = np.tanh(3.0 * lap / (dsp.rms(lap) + 1e-12))
    roar_src = dsp.bandpass(nd.pink(n, rng), sr, 60.0, 700.0 if big else 450.0)
    roar = roar_src * (0.45 + 0.55 * np.abs(lap)) + 0.3 * dsp.highpass(lap, sr, 25.0) * dsp.rms(roar_src)
    # levels in units of a typical snap's peak (~1): the flames' body sits ~20 dB under
    roar_level = (0.07 + 0.10 * inten + (0.08 if big else 0.0)) * (0.7 if hearth else 1.0)
    snaps_all = 1.5 * np.tanh((crack + pops) / 1.5)  # the loudest snaps saturate a little
    return snaps_all + dsp.normalize_rms(hiss, 0.03 + 0.03 * inten) + dsp.normalize_rms(roar, roar_level)


# ------------------------------------------------------------------ cave_ambience
def _cave_echo(x: np.ndarray, sr: int, rng: np.random.Generator, t60_s: float) -> np.ndarray:
    """Long sparse echoes + a dark diffuse tail, convolved at a reduced rate (the tail is
    dark anyway), stereo: (2, n)."""
    n = x.size
    fd = 4 if sr >= 32000 else 2
    srd = sr / fd
    xd = signal.resample_poly(x, 1, fd)
    Lir = int(t60_s * 1.1 * srd)
    tt = np.arange(Lir) / srd
    outs = []
    taps_t = np.sort(rng.uniform(0.09, 0.75, 6))
    taps_g = 0.6 * np.exp(-taps_t / 0.5) * rng.uniform(0.5, 1.0, 6)
    for ch in range(2):
        ir = np.zeros(Lir)
        k = int(1200 * t60_s)
        pos = rng.integers(int(0.02 * srd), Lir, k)
        ir[pos] += rng.choice([-1.0, 1.0], k) * 0.12 * np.exp(-6.9 * pos / srd / t60_s)
        ir = dsp.lowpass(ir, srd, 2200.0, order=1)
        jit = rng.uniform(0.97, 1.03, taps_t.size)
        ir[np.minimum((taps_t * jit * srd).astype(int), Lir - 1)] += taps_g
        ir *= np.exp(-tt / (t60_s * 2))
        outs.append(signal.fftconvolve(xd, ir)[: xd.size])
    y = signal.resample_poly(np.stack(outs), fd, 1, axis=-1)
    if y.shape[-1] < n:
        y = np.pad(y, ((0, 0), (0, n - y.shape[-1])))
    return y[:, :n]


@recipe("cave_ambience",
        descriptions=["inside a dark cave with water dripping and echoing",
                      "a cavern's still air, drops plinking into pools far away",
                      "an underground grotto, hollow and echoing",
                      "deep inside a mine tunnel with slow drips",
                      "the cold hollow quiet of a cave"],
        keywords=["cave", "cavern", "grotto", "underground", "mine", "tunnel", "catacomb", "dungeon", "echoing"],
        track="ambience", texture=True, stereo_width=1.0, default_duration_s=20.0)
def cave_ambience(req: SynthRequest) -> np.ndarray:
    """Composite: several drip sources (own pitch and irregular rhythm) + very low air
    movement and a faint Helmholtz drone of the cave mouth + the cave's own long sparse
    echoes and dark 3-5 s tail (reverberation is part of this sound)."""
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    inten = float(np.clip(req.intensity, 0, 1))
    rate = max(req.rate, 0.2)
    srcs = int(rng.integers(3, 6))
    times = []
    for _ in range(srcs):
        period = rng.uniform(1.5, 6.0) / rate / (0.6 + 0.8 * inten)
        iv = rng.gamma(3.0, period / 3.0, int(dur / period) + 4)
        times.append(rng.uniform(0, period) + np.cumsum(iv) - iv[0])
    t = np.sort(np.concatenate(times))
    t = t[(t > 0.05) & (t < dur - 0.1)]
    drips = drip_layer(n, sr, t, rng, sources=srcs)
    # distant drips are quieter: random per-drip gain already; add far, dull ones
    drips = drips * 1.0
    air = dsp.lowpass(nd.brown(n, sr, rng, corner_hz=30.0), sr, 140.0, order=2) * dsp.control_up(nd.ctrl(n, sr, 0.07, rng, 0.4, 1.0), n, sr / nd.CTRL_RATE)
    drone = nd.narrowband(n, sr, np.full(n, rng.uniform(45.0, 85.0)), 2.5, rng) * dsp.control_up(nd.ctrl(n, sr, 0.05, rng, 0.0, 1.0) ** 2, n, sr / nd.CTRL_RATE)
    d_peak = 1.0
    low = dsp.normalize_rms(air, 0.07 * d_peak) + dsp.normalize_rms(drone, 0.012 * d_peak)
    out = np.stack([drips, drips]) + np.stack([low, dsp.decorrelate(low, sr, rng)])
    if req.params.get("echo", True):
        out += 0.9 * _cave_echo(drips, sr, rng, rng.uniform(3.0, 5.0))
    return out


# ---------------------------------------------------------------- forest_ambience
def _leaves(n: int, sr: int, dur: float, rng: np.random.Generator, windy: float) -> np.ndarray:
    """Wind in the canopy: leaf-contact micro-clicks whose density follows a gusty speed,
    band-passed like foliage, plus a soft low wind body. Stereo (2, n)."""
    tc = nd.ctrl_grid(n, sr)
    speed = nd.ctrl(n, sr, 0.12, rng, 0.15, 0.7)
    for tg in dsp.poisson_times(dur + 4.0, 0.08 + 0.15 * windy, rng) - 2.0:
        speed += rng.uniform(0.2, 0.6) * windy * nd.bump(tc, tg, rng.uniform(1.0, 2.5), rng.uniform(1.5, 3.5))
    speed = np.clip(speed, 0.0, 1.0)
    out = np.zeros((2, n))
    for ch in range(2):
        tt = nd.thin(dsp.poisson_times(dur, 2500.0, rng), speed ** 2, rng)
        out[ch] = dsp.denormal_guard(dsp.impulse_train(n, sr, tt, rng.random(tt.size) ** 2))
    out = dsp.bandpass(out, sr, 1500.0, 7500.0)
    body = dsp.lowpass(nd.pink(n, rng, channels=2), sr, 350.0) * dsp.control_up(speed ** 2, n, sr / nd.CTRL_RATE)
    return dsp.normalize_rms(out, 1.0) + dsp.normalize_rms(body, 0.5)


@recipe("forest_ambience",
        descriptions=["a forest with birds singing and leaves rustling",
                      "woodland ambience, birdsong and insects among the trees",
                      "a quiet wood at night with crickets chirping",
                      "the peaceful outdoors in a green forest",
                      "trees swaying in the breeze with birds calling"],
        keywords=["forest", "woods", "woodland", "jungle", "trees", "nature", "outdoors", "countryside", "grove",
                  "wilderness"],
        track="ambience", texture=True, stereo_width=1.0, default_duration_s=20.0)
def forest_ambience(req: SynthRequest) -> np.ndarray:
    """Composite bed: birds layer + insects layer + leaves rustling in a gusty breeze.
    Time of day balances them (night: insects up, birds down; dawn: a fuller chorus)."""
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    inten = float(np.clip(req.intensity, 0, 1))
    night = req.has("night", "nighttime", "midnight", "evening", "dusk", "crickets", "nocturnal")
    dawn = req.has("dawn", "morning", "sunrise", "chorus", "birdsong", "spring")
    windy = 1.0 if req.has("windy", "wind", "breeze", "rustling", "leaves", "gusty", "swaying") else 0.35
    w_birds = 0.25 if night else (1.3 if dawn else 1.0)
    w_ins = 0.9 if night else 0.3
    w_leaves = 0.22 + 0.35 * windy
    out = dsp.normalize_rms(_leaves(n, sr, dur, rng, windy), w_leaves * 0.1)
    for rid, w, sub_i in (("birds", w_birds, 0.35 + 0.5 * inten if not night else 0.2),
                          ("insects", w_ins, 0.5 if night else 0.3)):
        if rid in REGISTRY and w > 0:
            y = layer(rid, req, intensity=float(sub_i), count=None)
            out += dsp.normalize_rms(y, 0.1 * w)
    return out
