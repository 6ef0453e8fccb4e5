"""Water: rain, stream, water_drips, pouring, ocean_waves, underwater.

Models (Farnell, *Designing Sound*, ch. "Water", "Rain"): every liquid sound here is
built from bubbles (a sine whose pitch rises exponentially as the bubble nears the
surface, Minnaert-sized, exponentially damped) plus impact pulses and shaped noise.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _nature_dsp as nd
from .base import SynthRequest, recipe


# --------------------------------------------------------------------------- rain
def _ring(x: np.ndarray, sr: int, f: float, q: float) -> np.ndarray:
    """A resonant mode whose impulse response starts at ~unit amplitude (the RBJ
    band-pass peaks at 0 dB, so a struck high-Q mode would otherwise be ~w0/Q quiet)."""
    w0 = 2 * np.pi * min(f, 0.49 * sr) / sr
    return dsp.resonator(x, sr, f, q) * (q / max(np.sin(w0), 1e-6))


_METAL = ("tin", "metal", "corrugated", "metallic", "iron", "steel", "car", "shed")
_GLASS = ("window", "windows", "windowpane", "glass", "pane", "skylight", "windshield", "windscreen")


@recipe("rain",
        descriptions=["steady rain falling outside",
                      "a torrential downpour drumming on the ground",
                      "light drizzle pattering softly on leaves and puddles",
                      "raindrops tapping on a tin roof",
                      "rain streaming against a window pane",
                      "a rainstorm, water pouring from the sky"],
        keywords=["rain", "drizzle", "downpour", "raindrops", "rainfall", "shower", "rainstorm", "raining",
                  "pattering", "torrential"],
        track="ambience", texture=True, stereo_width=1.0, default_duration_s=10.0)
def rain(req: SynthRequest) -> np.ndarray:
    """Poisson droplets (impact tick + rising plink for drops that land in water) over a
    high-passed pink bed; tin/metal: impacts ring metal modes; window: glass ticks, the
    rest of the rain heard muffled through the pane."""
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    inten = nd.cue_intensity(req, calm=("drizzle", "drizzling", "light", "gentle", "soft", "sprinkle", "spitting"),
                             strong=("downpour", "torrential", "heavy", "pouring", "storm", "rainstorm", "deluge",
                                     "thunderstorm", "monsoon", "lashing"))
    if req.has("drizzle", "drizzling", "spitting"):
        inten = min(inten, 0.15)
    metal = (req.surface in ("metal", "tin")) or req.has(*_METAL)
    glass = (not metal) and ((req.surface == "glass") or req.has(*_GLASS))
    inside = glass or (bool(req.indoor) and not metal)

    # slow intensity swells (gusts of heavier rain), never the same twice
    dens = nd.ctrl(n, sr, 0.12 * max(req.rate, 0.2), rng, 0.55, 1.0)

    # 1. bed: the far field of countless drops, high-passed pink, stereo-independent
    bed = nd.pink(n, rng, channels=2)
    if inside:
        bed = dsp.bandpass(bed, sr, 150.0, 1600.0 + 1500.0 * inten)
    else:
        bed = dsp.bandpass(bed, sr, 500.0 + 300.0 * inten, 9000.0)
    bed *= dsp.control_up(dens, n, sr / nd.CTRL_RATE)
    bed = dsp.normalize_rms(bed, (0.010 + 0.20 * inten ** 1.5) * (0.5 if glass else 1.0))

    # 2. patter: impact ticks, heavy-tailed sizes, density follows the swell
    rate_hz = (25.0 + 2400.0 * inten ** 2) * (0.6 if metal else (0.4 if glass else 1.0))
    t_imp = nd.thin(dsp.poisson_times(dur, rate_hz, rng), dens, rng)
    size = rng.random(t_imp.size) ** 2.5
    side = rng.random(t_imp.size) < 0.5
    imp = np.stack([dsp.denormal_guard(dsp.impulse_train(n, sr, t_imp[side], size[side])),
                    dsp.denormal_guard(dsp.impulse_train(n, sr, t_imp[~side], size[~side]))])
    imp = imp + 0.25 * imp[::-1]
    if metal:
        # a sheet-metal roof: every drop rings the same few high-Q plate modes
        f1 = rng.uniform(380.0, 520.0)
        ratios = np.r_[1.0, np.sort(np.exp(rng.uniform(np.log(1.5), np.log(13.0), 8)))]
        mono = imp.sum(axis=0)
        ring = np.zeros(n)
        for r in ratios:
            f = f1 * r
            if f < 0.45 * sr:  # higher modes die faster: lift them so the roof 'pings'
                ring += _ring(mono, sr, f, rng.uniform(20.0, 50.0)) * r ** 0.5
        tick = dsp.highpass(imp, sr, 3000.0)
        patter = dsp.normalize_rms(ring, 1.6 * dsp.rms(tick))[None, :] + tick
    elif glass:
        # drops tapping the pane: bright, short glass modes, a few rivulet plinks
        mono = imp.sum(axis=0)
        ring = np.zeros(n)
        for f in rng.uniform(1800.0, 7000.0, 4):
            ring += _ring(mono, sr, min(f, 0.44 * sr), rng.uniform(8.0, 16.0))
        tick = dsp.highpass(imp, sr, 2500.0)
        patter = tick + dsp.normalize_rms(ring, 0.8 * dsp.rms(tick))[None, :]
    else:
        # ground / leaves / puddles: a 0.5 ms tick plus a soft body thud
        patter = dsp.highpass(imp, sr, 1800.0) + 0.35 * dsp.lowpass(imp, sr, 700.0)

    # 3. plinks: drops that land in standing water make a rising bubble
    pl_rate = (3.0 + 45.0 * inten) * (0.25 if (metal or glass) else 1.0)
    t_pl = nd.thin(dsp.poisson_times(dur, pl_rate, rng), dens, rng)
    k = t_pl.size
    plinks = nd.bubble_layer(n, sr, t_pl, f0=np.exp(rng.uniform(np.log(1500), np.log(5500), k)),
                             tau=rng.uniform(0.003, 0.010, k), rise=rng.uniform(1.2, 2.0, k),
                             amp=0.25 + 0.75 * rng.random(k) ** 2, rng=rng, stereo=True, classes=2)
    if inside:
        plinks *= 0.4
    return bed + patter + 0.55 * plinks


# ------------------------------------------------------------------------- stream
@recipe("stream",
        descriptions=["a babbling brook trickling over stones",
                      "a flowing river rushing past",
                      "water burbling and gurgling in a small creek",
                      "a mountain stream running over rocks",
                      "the continuous bubbling of running water"],
        keywords=["stream", "brook", "creek", "river", "babbling", "trickling", "burbling", "gurgling", "rapids",
                  "flowing water", "running water", "rivulet"],
        track="ambience", texture=True, stereo_width=1.0, default_duration_s=10.0)
def stream(req: SynthRequest) -> np.ndarray:
    """Dense cloud of rising-pitch bubbles (Poisson, log-uniform Minnaert frequencies)
    over low-passed noise; a river is bigger: lower bubbles, more roar, less detail."""
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    inten = nd.cue_intensity(req, calm=("trickle", "trickling", "gentle", "small", "tiny", "quiet"),
                             strong=("rushing", "rapids", "torrent", "raging", "roaring", "waterfall"))
    river = req.has("river", "rapids", "torrent", "waterfall", "rushing") or req.size > 0.75
    flow = nd.ctrl(n, sr, 0.3 * max(req.rate, 0.2), rng, 0.6, 1.0)
    gurgle = nd.ctrl(n, sr, 6.0 * max(req.rate, 0.2), rng, 0.0, 1.0)  # fast burble of the surface

    lo, hi = (180.0, 1300.0) if river else (380.0, 3200.0)
    rate_hz = (70.0 + 160.0 * inten) * max(req.rate, 0.3) ** 0.5
    t = nd.thin(dsp.poisson_times(dur, rate_hz, rng), np.clip(flow * (0.5 + 0.7 * gurgle), 0, 1), rng)
    k = t.size
    f0 = np.exp(rng.uniform(np.log(lo), np.log(hi), k))
    q = rng.uniform(6.0, 16.0, k)                    # bubble damping: tau = Q / (pi f)
    tau = np.clip(q / (np.pi * f0), 0.0012, 0.018)
    amp = (0.3 + 0.7 * rng.random(k)) * (f0 / lo) ** -0.3
    bub = nd.bubble_layer(n, sr, t, f0, tau, rise=rng.uniform(1.1, 1.8, k), amp=amp, rng=rng, stereo=True)

    # the body of the flow: low-passed noise, burbling; plus a faint splash hiss
    body = nd.pink(n, rng, channels=2)
    body = dsp.lowpass(body, sr, 500.0 if river else 1100.0, order=2)
    g = dsp.control_up(flow * (0.75 + 0.25 * gurgle), n, sr / nd.CTRL_RATE)
    hiss = dsp.highpass(nd.noise(n, rng, channels=2), sr, 3000.0) * dsp.control_up(gurgle ** 2, n, sr / nd.CTRL_RATE)
    bub_rms = dsp.rms(bub) + 1e-9
    body = dsp.normalize_rms(body * g, bub_rms * (1.2 if river else 0.45) * (0.7 + 0.6 * inten))
    hiss = dsp.normalize_rms(hiss, bub_rms * 0.12)
    return bub + body + hiss


# -------------------------------------------------------------------- water_drips
def _drip_grains(sr: int, f0, rise, tau, amp, rng: np.random.Generator, metal: bool) -> np.ndarray:
    """One drip: a tiny impact tick, then the bubble's upward 'plink'."""
    g = nd.bubbles(sr, f0, tau, rise, amp, length_s=0.25 if metal else 0.16).astype(np.float64)
    L = g.shape[1]
    t = np.arange(L) / sr
    tick = rng.standard_normal((len(f0), min(L, int(0.002 * sr) + 2)))
    tick *= np.exp(-t[: tick.shape[1]] / 0.0004)[None, :]
    g[:, : tick.shape[1]] += 0.35 * np.asarray(amp)[:, None] * tick
    if metal:  # drip into a sink / pan: the vessel's modes ring under the plink
        fm = rng.uniform(700.0, 1100.0) * np.array([1.0, 2.32, 4.25, 6.63])
        ok = fm < 0.45 * sr
        ring = dsp.modal_bank(L, sr, fm[ok], np.array([0.25, 0.18, 0.12, 0.08])[ok],
                              np.array([1.0, 0.6, 0.4, 0.25])[ok])
        g += 0.25 * np.asarray(amp)[:, None] * ring[None, :]
    return g


def drip_layer(n: int, sr: int, times: np.ndarray, rng: np.random.Generator, *, pitch_hz: float | None = None,
               metal: bool = False, sources: int = 2) -> np.ndarray:
    """Drips from a few sources (each its own pitch), at the given times."""
    k = len(times)
    if k == 0:
        return np.zeros(n)
    base = np.exp(rng.uniform(np.log(700), np.log(2200), sources)) if pitch_hz is None else \
        pitch_hz * rng.uniform(0.8, 1.25, sources)
    src = rng.integers(0, sources, k)
    f0 = base[src] * rng.uniform(0.94, 1.06, k)
    tau = rng.uniform(0.018, 0.035, k)
    rise = rng.uniform(1.8, 3.2, k)
    amp = rng.uniform(0.6, 1.0, k)
    return dsp.scatter_grains(n, sr, times, _drip_grains(sr, f0, rise, tau, amp, rng, metal), guard=True)


@recipe("water_drips",
        descriptions=["water dripping slowly from a leaky tap",
                      "single drops of water plinking into a puddle",
                      "a faucet dripping into a sink",
                      "droplets falling one by one into water",
                      "slow drip, drip, drip of water"],
        keywords=["drip", "drips", "dripping", "drop", "droplet", "droplets", "leak", "leaky", "faucet", "tap",
                  "plink"],
        track="fx", texture=False, stereo_width=0.2, default_duration_s=6.0)
def water_drips(req: SynthRequest) -> np.ndarray:
    """Sparse drips: an impact tick plus a bubble whose pitch rises exponentially with an
    exponential decay; a main leaky-tap rhythm plus irregular neighbours; exact count."""
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    metal = req.surface in ("metal", "tin") or req.has("sink", "pan", "bucket", "pot", "metal", "tin")
    if req.count is not None:
        times = nd.strike_times(dur, req.count, 0, rng, head_s=0.05, tail_s=0.2, min_gap_s=0.15)
    else:
        period = rng.uniform(0.7, 1.3) / max(req.rate, 0.1) / (0.7 + 0.6 * req.intensity)
        main = dsp.regular_times(dur - 0.15, period, start_s=rng.uniform(0.05, 0.4), jitter=0.06, rng=rng)
        extra = dsp.poisson_times(max(dur - 0.2, 0.01), 0.25 / period, rng)
        times = np.sort(np.concatenate([main, extra]))
        if times.size > 1:  # two drops never fuse into one
            times = times[np.concatenate([[True], np.diff(times) > 0.12])]
        if times.size == 0:
            times = np.array([min(0.1, dur / 3)])
    return drip_layer(n, sr, times, rng, metal=metal, sources=1 if req.count == 1 else 2)


# ------------------------------------------------------------------------ pouring
@recipe("pouring",
        descriptions=["water being poured into a glass",
                      "liquid filling a bottle, the pitch rising as it fills",
                      "pouring a drink from a jug into a cup",
                      "a glass being filled from a pitcher",
                      "glugging liquid into a container"],
        keywords=["pour", "pouring", "pours", "filling", "fill", "glug", "glugging", "decant"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=5.0)
def pouring(req: SynthRequest) -> np.ndarray:
    """A falling stream into a vessel: splash noise and a bubble stream whose energy is
    focussed by the air column above the liquid, a quarter-wave tube f = c / 4(H - h)
    that shortens as the vessel fills, so the resonance (and the bubbles it favours) rise."""
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    big = req.has("bucket", "jug", "pitcher", "jar", "pot", "kettle", "tank", "barrel")
    small = req.has("glass", "cup", "mug", "shot", "bottle", "vial", "teacup")
    height = 0.30 if big else (0.11 if small else 0.12 + 0.22 * req.size)
    if req.has("bottle"):
        height = 0.20
    tc = nd.ctrl_grid(n, sr)
    # fill level: starts near empty, ends almost full (faster pouring fills further)
    h_end = np.clip(0.72 + 0.12 * (req.rate - 1.0), 0.5, 0.9)
    frac = np.clip(tc / max(dur, 1e-3), 0, 1)
    h = 0.04 + (h_end - 0.04) * frac
    f_res = 343.0 / (4.0 * (height * (1.0 - h) + 0.3 * 0.03))  # + end correction (radius ~3 cm)
    f_res = np.minimum(f_res, 0.4 * sr)
    flutter = nd.ctrl(n, sr, 14.0, rng, 0.4, 1.0)          # the stream breaks up irregularly
    onset = np.clip(tc / 0.08, 0, 1) * np.clip((dur - tc) / 0.12, 0, 1)  # pour starts / stops
    gate = flutter * onset * (0.6 + 0.4 * req.intensity)

    # 1. bubbles, pitched near the cavity resonance (the cavity amplifies them there)
    rate_hz = 90.0 + 120.0 * req.intensity
    t = nd.thin(dsp.poisson_times(dur, rate_hz, rng), gate, rng)
    k = t.size
    fr = np.interp(t * nd.CTRL_RATE, np.arange(f_res.size), f_res)
    f0 = fr * np.exp(rng.normal(0.0, 0.12, k))
    bub = nd.bubble_layer(n, sr, t, f0, tau=np.clip(14.0 / (np.pi * f0), 0.002, 0.02),
                          rise=rng.uniform(1.05, 1.4, k), amp=0.4 + 0.6 * rng.random(k))
    # 2. the resonance itself: narrow noise at f and 3f (odd modes of a closed tube)
    fr_audio = dsp.control_up(f_res, n, sr / nd.CTRL_RATE)
    g_audio = dsp.control_up(gate, n, sr / nd.CTRL_RATE)
    res = nd.narrowband(n, sr, fr_audio, 25.0, rng, harmonics=((1.0, 1.0), (3.0, 0.35)))
    res *= g_audio
    # 3. splash of the stream hitting the surface
    splash = dsp.bandpass(nd.noise(n, rng), sr, 900.0, 8000.0) * g_audio
    r = dsp.rms(bub) + 1e-9
    return bub + dsp.normalize_rms(res, 0.9 * r) + dsp.normalize_rms(splash, 0.3 * r)


# -------------------------------------------------------------------- ocean_waves
@recipe("ocean_waves",
        descriptions=["waves crashing on a beach",
                      "the sea surging onto the shore and drawing back",
                      "gentle surf lapping at the sand",
                      "breakers rolling in on a rocky coast",
                      "the rhythmic roar of the ocean at the seaside"],
        keywords=["ocean", "sea", "waves", "wave", "surf", "breakers", "shore", "beach", "seaside", "coast", "tide",
                  "seashore"],
        track="ambience", texture=True, stereo_width=0.9, default_duration_s=20.0)
def ocean_waves(req: SynthRequest) -> np.ndarray:
    """Noise bands whose gains follow asymmetric 6-12 s swells: low roar rises with the
    approaching wave, all bands burst at the crash, a high-passed foam fizz (with tiny
    bubble pops) trails off; a second, farther train and a steady distant surf overlap."""
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    inten = nd.cue_intensity(req, calm=("lapping", "gentle", "calm", "lap", "quiet", "lake", "ripples"),
                             strong=("crashing", "storm", "stormy", "rough", "pounding", "huge", "giant", "big"))
    rate = max(req.rate, 0.2)
    tc = nd.ctrl_grid(n, sr)
    low, mid, high, foam = (np.zeros_like(tc) for _ in range(4))
    for layer, (gain, far) in enumerate(((1.0, 0.0), (0.5, 1.0))):
        period = (4.0 + 6.0 * inten) / rate if layer == 0 else (5.0 + 7.0 * inten) / rate
        t0 = rng.uniform(0.05, 0.9) * period  # the take starts anywhere in the cycle
        crashes = dsp.regular_times(dur + 2 * period, period, start_s=t0, jitter=0.22, rng=rng) - period
        for tcr in crashes:
            a = gain * rng.uniform(0.55, 1.0) * (0.4 + 0.6 * inten)
            rise_s = rng.uniform(0.35, 0.6) * period
            swell = nd.bump(tc, tcr, rise_s, rng.uniform(0.8, 1.6))
            crash = nd.bump(tc, tcr + 0.1, rng.uniform(0.15, 0.35), rng.uniform(0.5, 1.1) * (0.6 + 0.6 * inten))
            tail = nd.bump(tc, tcr + 0.5, 0.4, rng.uniform(1.5, 3.0) * (0.7 + 0.5 * inten))
            low += a * (0.6 * swell + 0.5 * crash)
            mid += a * (0.25 * swell + crash + 0.4 * tail) * (1.0 - 0.5 * far) * (0.6 + 0.6 * inten)
            high += a * (0.8 * crash + 0.5 * tail) * (1.0 - 0.8 * far) * (0.3 + 1.0 * inten)
            foam += a * tail * (1.0 - 0.7 * far) * (0.6 + 0.6 * inten)
    low += 0.08 + 0.05 * inten  # the far surf never stops
    wob = nd.ctrl(n, sr, 0.5, rng, 0.75, 1.0)

    src = nd.pink(n, rng)
    b_low = dsp.lowpass(nd.brown(n, sr, rng), sr, 380.0)
    b_mid = dsp.bandpass(src, sr, 350.0, 1500.0)
    b_high = dsp.bandpass(src, sr, 1500.0, 6000.0)
    b_foam = dsp.highpass(nd.noise(n, rng), sr, 3500.0)
    # foam bubbles: tiny pops riding the fizz
    pops_t = nd.thin(dsp.poisson_times(dur, 250.0, rng), np.clip(foam / (foam.max() + 1e-9), 0, 1), rng)
    pops = dsp.highpass(dsp.denormal_guard(dsp.impulse_train(n, sr, pops_t, rng.random(pops_t.size) ** 2)), sr, 2500.0)
    out = (dsp.normalize_rms(b_low) * dsp.control_up(low * wob, n, sr / nd.CTRL_RATE) * 1.0
           + dsp.normalize_rms(b_mid) * dsp.control_up(mid, n, sr / nd.CTRL_RATE) * 0.55
           + dsp.normalize_rms(b_high) * dsp.control_up(high, n, sr / nd.CTRL_RATE) * 0.28
           + dsp.normalize_rms(b_foam) * dsp.control_up(foam, n, sr / nd.CTRL_RATE) * 0.10
           + dsp.normalize_rms(pops) * dsp.control_up(foam, n, sr / nd.CTRL_RATE) * 0.05)
    if req.has("pebble", "pebbles", "shingle", "stones", "stony", "rocky", "gravel"):
        # backwash dragging stones: clattering clicks while the water runs back
        tt = nd.thin(dsp.poisson_times(dur, 300.0, rng), np.clip(foam / (foam.max() + 1e-9), 0, 1) ** 1.5, rng)
        clat = dsp.bandpass(dsp.denormal_guard(dsp.impulse_train(n, sr, tt, rng.random(tt.size) ** 1.5)), sr, 1200.0, 5000.0)
        out += dsp.normalize_rms(clat) * dsp.control_up(foam, n, sr / nd.CTRL_RATE) * 0.12
    return out


# --------------------------------------------------------------------- underwater
@recipe("underwater",
        descriptions=["muffled sound heard beneath the surface of the water",
                      "submerged under the sea, deep rumble and rising bubbles",
                      "a diver breathing out streams of bubbles",
                      "the dull pressure and gurgle of being underwater",
                      "deep water ambience with low muffled movement"],
        keywords=["underwater", "submerged", "beneath", "undersea", "diver", "diving", "scuba", "bubbles",
                  "submarine", "deep"],
        track="ambience", texture=True, stereo_width=0.8, default_duration_s=10.0)
def underwater(req: SynthRequest) -> np.ndarray:
    """Low-passed brown rumble with slow pressure swells and water movement, plus bursts
    of large rising bubbles (low Minnaert frequencies, long ring) heard through water:
    everything above ~1.5 kHz is absorbed. Diver cue: exhalation bursts on a breath clock."""
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    inten = float(np.clip(req.intensity, 0, 1))
    tc = nd.ctrl_grid(n, sr)
    swell = nd.ctrl(n, sr, 0.12, rng, 0.5, 1.0)
    move = nd.ctrl(n, sr, 0.35, rng, 0.0, 1.0) ** 2
    rumble = dsp.lowpass(nd.brown(n, sr, rng, corner_hz=25.0), sr, 220.0, order=4) * dsp.control_up(swell, n, sr / nd.CTRL_RATE)
    swish = dsp.bandpass(nd.pink(n, rng), sr, 90.0, 600.0) * dsp.control_up(move, n, sr / nd.CTRL_RATE)

    diver = req.has("diver", "diving", "scuba", "breathing", "breath", "breathes", "regulator", "snorkel")
    if diver:
        period = rng.uniform(3.8, 5.0) / max(req.rate, 0.2)
        bursts = dsp.regular_times(dur, period, start_s=rng.uniform(0.5, 1.5), jitter=0.06, rng=rng)
        per_burst = lambda: int(rng.integers(60, 120))
        spread = lambda: rng.uniform(0.9, 1.5)
    else:
        bursts = dsp.poisson_times(dur, (0.1 + 0.25 * inten) * max(req.rate, 0.2), rng)
        per_burst = lambda: int(rng.integers(3, 16))
        spread = lambda: rng.uniform(0.3, 1.2)
    ts = [b + np.sort(rng.random(per_burst())) ** 1.5 * spread() for b in bursts]
    t = np.concatenate(ts) if ts else np.zeros(0)
    t = t[t < dur - 0.05]
    k = t.size
    f0 = np.exp(rng.uniform(np.log(140.0), np.log(900.0), k))
    bub = nd.bubble_layer(n, sr, t, f0, tau=np.clip(20.0 / (np.pi * f0), 0.006, 0.04),
                          rise=rng.uniform(1.05, 1.35, k), amp=rng.uniform(0.3, 1.0, k))
    bub = dsp.lowpass(bub, sr, 1400.0, order=2)
    out = dsp.normalize_rms(rumble, 1.0) + dsp.normalize_rms(swish, 0.35)
    if diver:  # muffled inhale through the regulator before each exhale
        hiss_env = np.zeros_like(tc)
        for b in bursts:
            hiss_env += nd.bump(tc, b - 0.25, 0.9, 0.2) * (tc < b)
        inhale = dsp.lowpass(dsp.highpass(nd.noise(n, rng), sr, 250.0), sr, 1100.0, order=4) * dsp.control_up(hiss_env, n, sr / nd.CTRL_RATE)
        out += dsp.normalize_rms(inhale, 0.25)
    if k:
        out += bub * (4.0 if diver else 2.5) * (0.6 + 0.5 * inten)
    return out
