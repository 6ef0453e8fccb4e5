"""Household machines and small objects: vacuum cleaners (and hair dryers, leaf blowers,
lawnmowers), a toilet flush, a bouncing ball, a zipper.

Models:
- vacuum: a high-speed universal motor (330-480 Hz rotation) driving a centrifugal fan: rotation
  harmonics + a blade-pass harmonic series (blades x rotation) + airflow noise whose level goes
  with speed squared; switched on it spins up exponentially (~1 s), off it spins down. The nozzle
  pushed over the floor modulates the airflow slowly. A hair dryer is a smaller motor with fewer
  blades and a brighter hiss; a leaf blower a two-stroke engine plus a large airflow; a lawnmower
  a single-cylinder four-stroke (25-30 firings/s) with the blade's whoosh and grass cutting.
- flush: the handle clunk, then a rush of water (broadband filtered noise + a dense bubble cloud +
  a low swirl), the siphon breaking into gurgles and air gulps, then the cistern refilling: a
  valve hiss and trickle some 20 dB down.
- ball_bounce: each impact = contact slap + floor thud + the ball's hollow cavity/shell ring; a
  dropped ball bounces with restitution e, so the flight times T_k = T0 e^k and the impact
  speeds shrink geometrically; dribbling keeps a steady period.
- zipper: the slider passing the teeth (100-300 clicks/s, accelerating then slowing) as short noise
  clicks through a band-pass whose centre sweeps up as the zip closes (down when unzipping).
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _nature_dsp as nd
from .base import SynthRequest, recipe
from .impacts import _spread
from .machines import _cycles, _harmonics, _onepole, _pinkish, _sin_c, _wn
from .workshop import _ctl, _two_stroke


# --------------------------------------------------------------------------------------------
# vacuum cleaner & co.
# --------------------------------------------------------------------------------------------
def _onoff(req: SynthRequest, rng, tau_up: float, tau_dn: float):
    """Speed curve (0..1 on the control grid) of a machine switched on (and maybe off)."""
    dur = req.duration_s
    running = req.has("running", "in the background", "drones", "droning", "constant", "constantly", "steady")
    t_on = -10.0 if running else rng.uniform(0.05, 0.2)
    off = req.has("off", "stops", "stopping", "shut", "shuts", "switched off", "turned off", "turns off",
                  "powers down", "on and off", "winds down")
    t_off = dur - rng.uniform(1.2, 1.8) if off and dur > 3.0 else dur + 10.0

    def curve(tc):
        up = np.where(tc >= t_on, 1 - np.exp(-(tc - t_on) / tau_up), 0.0)
        at_off = 1 - np.exp(-(t_off - t_on) / tau_up)
        return np.where(tc > t_off, at_off * np.exp(-(tc - t_off) / tau_dn), up)
    return curve


def _four_stroke_single(f_fire: np.ndarray, sr: int, rng) -> np.ndarray:
    """One cylinder, four strokes: an exhaust pulse every other revolution through the muffler."""
    n = f_fire.size
    cyc = _cycles(f_fire, sr, rng.random())
    ki = np.floor(cyc).astype(np.int64)
    ki -= ki[0]
    frac = cyc - np.floor(cyc)
    jit = 1.0 + 0.12 * rng.standard_normal(int(ki[-1]) + 2)
    pulse = np.exp(-frac * 14.0) * jit[ki]
    body = dsp.lowpass(pulse - pulse.mean(), sr, 900.0)
    y = dsp.normalize_rms(body)
    for f0, q, g in ((rng.uniform(110, 160), 3.0, 0.8), (rng.uniform(300, 420), 4.0, 0.5)):
        y = y + g * dsp.normalize_rms(dsp.resonator(body, sr, f0, q))
    rasp = dsp.bandpass(_wn(n, rng), sr, 600.0, 4000.0) * pulse
    return np.tanh(1.2 * dsp.normalize_rms(y + 0.3 * dsp.normalize_rms(rasp)))


@recipe("vacuum",
        descriptions=["a vacuum cleaner running on the carpet",
                      "someone hoovering the living room",
                      "a hair dryer blowing hot air",
                      "a leaf blower roaring in the yard",
                      "a lawnmower cutting the grass",
                      "a vacuum cleaner switched on, whining as it spins up"],
        keywords=["vacuum", "vacuums", "vacuuming", "vacuum cleaner", "hoover", "hoovering", "hoovers",
                  "hair dryer", "hairdryer", "blow dryer", "blowdryer", "leaf blower", "leafblower",
                  "lawnmower", "lawn mower", "mower", "mowing", "mows", "shop vac", "dustbuster", "suction"],
        track="fx", texture=False, stereo_width=0.1, default_duration_s=8.0)
def vacuum(req: SynthRequest) -> np.ndarray:
    n_out = req.n
    dec = dsp.low_rate_factor(req.sample_rate, 9500.0, max_factor=2)
    sr, rng, dur = req.sample_rate // dec, req.rng, req.duration_s
    n = -(-n_out // dec)
    inten = float(np.clip(req.intensity, 0, 1))
    mower = req.has("lawnmower", "lawn mower", "mower", "mowing", "mows", "mowed")
    blower = req.has("leaf blower", "leafblower", "leaf-blower")
    dryer = req.has("hair dryer", "hairdryer", "blow dryer", "blowdryer", "dryer", "hair-dryer")
    move = _ctl(n, sr, lambda tc: nd.ctrl(n, sr, 0.8, rng, 0.0, 1.0))     # the nozzle / mower pushed around
    if mower or blower:
        s = _onepole(_ctl(n, sr, _onoff(req, rng, 0.5, 0.8)), sr, 0.02)
        if mower:
            f_fire = rng.uniform(24.0, 30.0) * (0.55 + 0.45 * s) * (1 - 0.04 * move)
            eng = _four_stroke_single(f_fire, sr, rng)
            blade = _cycles(2 * 2 * f_fire, sr, rng.random())      # 2 blade tips, 2 revs per firing
            whoosh = dsp.bandpass(_pinkish(n, rng), sr, 150.0, 2500.0) * (0.6 + 0.4 * _sin_c(blade))
            grass = dsp.bandpass(_wn(n, rng), sr, 1500.0, min(8000.0, 0.45 * sr)) * move
            y = (eng + 0.35 * dsp.normalize_rms(whoosh) * s + 0.15 * dsp.normalize_rms(grass) * s) * (0.4 + 0.6 * s)
        else:
            f_fire = rng.uniform(115.0, 135.0) * (0.65 + 0.35 * s) * (1 + 0.02 * move)
            eng = _two_stroke(f_fire, sr, rng, rasp=0.3)
            air = dsp.bandpass(_pinkish(n, rng), sr, 250.0, min(8000.0, 0.45 * sr))
            air = dsp.normalize_rms(air) * (0.7 + 0.3 * move)
            y = (0.7 * eng + (0.8 + 0.4 * inten) * air * s ** 2) * (0.4 + 0.6 * s)
        return dsp.upsample(y, dec, n_out)
    if dryer:
        f_rot, blades, tau_up = rng.uniform(250.0, 330.0), int(rng.integers(5, 8)), rng.uniform(0.15, 0.25)
        air_band, air_gain = (900.0, 9000.0), 1.1
    else:
        f_rot, blades, tau_up = rng.uniform(330.0, 480.0), int(rng.integers(8, 13)), rng.uniform(0.3, 0.45)
        air_band, air_gain = (200.0, 6000.0), 0.9
    if req.has("high", "turbo", "powerful", "loud") or inten > 0.8:
        f_rot *= 1.08
    s = _ctl(n, sr, _onoff(req, rng, tau_up, 2.5 * tau_up))
    f = f_rot * s * (1 + 0.004 * (move - 0.5)) + 0.5
    cyc = _cycles(f, sr, rng.random())
    rot = _harmonics(f, sr, [1.0, 0.35, 0.25, 0.15, 0.1], cyc=cyc).astype(np.float64)
    bpf = np.minimum(f * blades, 0.44 * sr)
    bl = _harmonics(bpf, sr, [1.0, 0.3], cyc=cyc * blades).astype(np.float64)
    air = dsp.bandpass(_pinkish(n, rng), sr, air_band[0], min(air_band[1], 0.45 * sr))
    air = dsp.normalize_rms(air) * (0.75 + 0.25 * move) * s ** 2
    rumble = dsp.lowpass(_wn(n, rng), sr, 300.0)
    y = (0.55 * dsp.normalize_rms(rot) * s ** 1.5 + 0.25 * dsp.normalize_rms(bl) * s ** 2 + air_gain * air
         + 0.15 * dsp.normalize_rms(rumble) * s)
    return dsp.upsample(y, dec, n_out)


# --------------------------------------------------------------------------------------------
# toilet flush
# --------------------------------------------------------------------------------------------
@recipe("flush",
        descriptions=["a toilet flushing and the cistern refilling",
                      "someone flushes the toilet in the bathroom",
                      "water rushing and gurgling down a toilet bowl",
                      "a loo being flushed, then the tank hissing as it fills",
                      "a urinal flushing in a public restroom"],
        keywords=["toilet", "toilets", "flush", "flushes", "flushing", "flushed", "loo", "cistern", "lavatory",
                  "urinal", "wc"],
        track="fx", texture=False, stereo_width=0.2, default_duration_s=10.0)
def flush(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    sc = float(np.clip(dur / 7.0, 0.15, 1.0))           # short takes: a compressed flush
    t0 = rng.uniform(0.05, 0.15) * sc
    t_rush = t0 + 0.12 * sc
    hold = rng.uniform(1.8, 2.6) * sc
    t_gurgle = t_rush + 0.25 * sc + hold
    g_len = rng.uniform(0.8, 1.3) * sc
    fall = rng.uniform(0.6, 1.0) * sc
    t_refill = t_gurgle - 0.3 * sc
    tc = nd.ctrl_grid(n, sr)
    up = lambda c: dsp.control_up(c, n, sr / nd.CTRL_RATE)  # noqa: E731
    # rush envelope: fast swell, swirling hold sagging a little, then the bowl empties
    rush = np.clip((tc - t_rush) / (0.25 * sc), 0, 1) ** 0.7
    rush *= np.where(tc < t_gurgle, 1.0 - 0.25 * np.clip((tc - t_rush) / (hold + 0.25 * sc), 0, 1),
                     0.75 * np.exp(-(tc - t_gurgle) / fall))
    swirl = nd.ctrl(n, sr, 5.0, rng, 0.7, 1.0)
    wn = nd.noise(n, rng)
    body = dsp.bandpass(nd.pink(n, rng), sr, 120.0, 7000.0)
    hiss = dsp.bandpass(wn, sr, 1500.0, min(10000.0, 0.45 * sr))
    low = dsp.lowpass(nd.pink(n, rng), sr, 350.0)
    water = (dsp.normalize_rms(body) + 0.45 * dsp.normalize_rms(hiss) + 0.6 * dsp.normalize_rms(low)) * up(rush * swirl)
    # bubble cloud in the rush
    bt = nd.thin(dsp.poisson_times(dur, 400.0, rng), np.clip(rush, 0, 1), rng)
    bub = nd.bubble_layer(n, sr, bt, np.exp(rng.uniform(np.log(300.0), np.log(2500.0), bt.size)),
                          rng.uniform(0.004, 0.012, bt.size), rng.uniform(1.2, 2.5, bt.size),
                          rng.uniform(0.2, 1.0, bt.size))
    y = water + 1.2 * dsp.normalize_rms(bub) * 0.5 * (bt.size > 0)
    # siphon breaking: big low gulps and air glugs
    gt = t_gurgle + np.sort(rng.uniform(0, g_len, max(2, int(rng.integers(8, 15) * g_len))))
    gg = nd.bubble_layer(n, sr, gt, rng.uniform(140.0, 450.0, gt.size), rng.uniform(0.02, 0.05, gt.size),
                         rng.uniform(1.5, 3.0, gt.size), rng.uniform(0.5, 1.0, gt.size))
    gulp_env = np.clip((tc - t_gurgle) / 0.1, 0, 1) * np.exp(-np.maximum(tc - t_gurgle, 0) / max(g_len, 0.1))
    gulp = dsp.bandpass(wn, sr, 200.0, 1500.0) * up(gulp_env * nd.ctrl(n, sr, 9.0, rng, 0.0, 1.0) ** 2)
    y = y + 0.9 * dsp.normalize_rms(gg) * dsp.rms(water) / (dsp.rms(water) + 1e-9) * 0.4 + 0.3 * gulp
    # refill: valve hiss and a trickle into the bowl, about 20 dB down, creeping up in pitch
    ref = np.clip((tc - t_refill) / 0.4, 0, 1) * (0.9 + 0.1 * nd.ctrl(n, sr, 1.5, rng))
    fc = rng.uniform(2500.0, 4000.0)
    valve = dsp.bandpass(hiss, sr, fc * 0.7, min(fc * 1.5, 0.45 * sr)) + 0.4 * dsp.bandpass(body, sr, 300.0, 1500.0)
    tt = nd.thin(dsp.poisson_times(dur, 25.0, rng), ref, rng)
    trickle = nd.bubble_layer(n, sr, tt, rng.uniform(500.0, 1800.0, tt.size), rng.uniform(0.003, 0.008, tt.size),
                              rng.uniform(1.2, 2.0, tt.size), rng.uniform(0.3, 1.0, tt.size))
    peak_rms = dsp.rms(water[int(t_rush * sr):int(t_gurgle * sr)]) if t_gurgle > t_rush + 0.05 else dsp.rms(water)
    lvl = 10 ** (rng.uniform(-22.0, -18.0) / 20) * peak_rms
    refill = (dsp.normalize_rms(valve) + 0.5 * dsp.normalize_rms(trickle) * (tt.size > 0)) * up(ref) * lvl
    # the handle: a plastic lever and the flapper clunking in the ceramic tank
    h = int(0.15 * sr)
    handle = dsp.modal_bank(h, sr, rng.uniform(0.95, 1.05, 4) * np.array([420.0, 1150.0, 2300.0, 3900.0]),
                            np.array([0.08, 0.06, 0.05, 0.03]), np.array([1.0, 0.7, 0.5, 0.3]))
    dsp.place_signal(y, handle * 0.6 * peak_rms * 3.0, int(t0 * sr))
    return y + refill + 1e-5 * _wn(n, rng)


# --------------------------------------------------------------------------------------------
# bouncing ball
# --------------------------------------------------------------------------------------------
_BALLS = {  # cavity/shell ring (Hz), ring T60 (s), restitution, first flight (s), thud (Hz)
    "basketball": ((560.0, 760.0), 0.16, (0.76, 0.84), (0.55, 0.8), 90.0),
    "football": ((380.0, 520.0), 0.1, (0.68, 0.76), (0.5, 0.7), 80.0),
    "tennis": ((1100.0, 1600.0), 0.05, (0.7, 0.76), (0.45, 0.65), 140.0),
    "pingpong": ((3500.0, 5200.0), 0.03, (0.86, 0.9), (0.3, 0.45), 0.0),
    "rubber": ((900.0, 1500.0), 0.06, (0.82, 0.88), (0.45, 0.7), 110.0),
}


def _ball_kind(req: SynthRequest) -> str:
    if req.has("ping pong", "ping-pong", "pingpong", "table tennis"):
        return "pingpong"
    if req.has("tennis"):
        return "tennis"
    if req.has("football", "soccer", "volleyball", "kickball", "beach ball"):
        return "football"
    if req.has("rubber", "bouncy", "superball", "super ball", "small", "marble"):
        return "rubber"
    return "basketball"


@recipe("ball_bounce",
        descriptions=["a basketball bouncing on a gym floor",
                      "a player dribbling a basketball on the court",
                      "a dropped ball bouncing lower and faster until it stops",
                      "a tennis ball bouncing on a hard floor",
                      "a ping pong ball bouncing on a table"],
        keywords=["basketball", "basketballs", "dribble", "dribbles", "dribbling", "bounce",
                  "bounces", "bouncing", "bounced", "ping pong", "ping-pong", "tennis ball", "football",
                  "soccer ball", "volleyball", "rubber ball", "bouncy ball"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=4.0)
def ball_bounce(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    kind = _ball_kind(req)
    (flo, fhi), t60, (elo, ehi), (tlo, thi), thud_hz = _BALLS[kind]
    f_ring = rng.uniform(flo, fhi)
    e = rng.uniform(elo, ehi)
    T0 = rng.uniform(tlo, thi) * float(np.interp(req.size, [0, 0.5, 1], [0.8, 1.0, 1.3]))
    dribble = req.has("dribble", "dribbles", "dribbling", "dribbled")
    times, gains = [], []
    if dribble:
        period = rng.uniform(0.48, 0.6) / float(np.clip(req.rate, 0.6, 1.8))
        k = int(req.count) if req.count else max(1, int((dur - 0.3) / period))
        t = _spread(k, dur, rng, gap_s=period, start=(0.05, 0.15), tail_s=0.25, jitter=0.03, min_gap_s=0.15)
        times, gains = list(t), list(rng.uniform(0.85, 1.0, k))
    else:
        t = rng.uniform(0.05, 0.2)
        while True:
            m = int(req.count) if req.count else 60
            T = T0
            if req.count:        # all of them must fit the take: shrink the drop height if needed
                span = T0 * (1 - e ** (m - 1)) / (1 - e) if m > 1 else 0.0
                room = dur - t - 0.25
                if span > room and span > 0:
                    T = T0 * room / span
            a, j = 1.0, 0
            while j < m and (req.count or T * e ** j > 0.035):
                if t >= dur - 0.05:
                    break
                times.append(t)
                gains.append(a * rng.uniform(0.93, 1.0))
                t += T * e ** j
                a *= e ** 1.2
                j += 1
            if req.count:
                break
            t += rng.uniform(0.8, 2.0)       # picked up and dropped again
            if t > dur - 0.4:
                break
    times, gains = np.asarray(times), np.asarray(gains)
    L = int(0.3 * sr)
    tt = np.arange(L) / sr
    y = np.zeros(n)
    for t, g in zip(times, gains):
        bright = 0.5 + 0.5 * g                     # softer impacts are darker
        fr = f_ring * rng.uniform(0.99, 1.01)
        ring = dsp.modal_bank(L, sr, fr * np.array([1.0, 1.58, 2.3]), t60 * np.array([1.0, 0.6, 0.4]),
                              np.array([1.0, 0.4 * bright, 0.2 * bright]))
        thud = (np.sin(2 * np.pi * thud_hz * tt) * np.exp(-tt / 0.02)) if thud_hz else 0.0
        c = int(0.004 * sr)
        slap = np.zeros(L)
        slap[:c] = dsp.bandpass(rng.standard_normal(c), sr, 500.0, min(5000.0 * bright + 1000.0, 0.45 * sr)) \
            * np.exp(-np.arange(c) / (0.0008 * sr))
        grain = g * (0.7 * ring + 0.9 * thud + 0.6 * slap)
        grain *= np.minimum(tt / 0.0005, 1.0)
        dsp.place_signal(y, grain, int(round(t * sr)))
    return y + 1e-5 * _wn(n, rng)


# --------------------------------------------------------------------------------------------
# zipper
# --------------------------------------------------------------------------------------------
def _swept_band(x: np.ndarray, sr: int, centre_hz: np.ndarray) -> np.ndarray:
    """x through band-passes crossfaded by log-centre: a cheap, click-free sweeping band-pass."""
    bank = np.array([900.0, 1400.0, 2200.0, 3400.0, 5200.0, 7800.0])
    bank = bank[bank < 0.4 * sr]
    pos = np.interp(np.log(centre_hz), np.log(bank), np.arange(bank.size, dtype=np.float64))
    out = np.zeros_like(x)
    for k, c in enumerate(bank):
        w = np.clip(1.0 - np.abs(pos - k), 0.0, 1.0)
        if np.any(w > 1e-4):
            out += w * dsp.bandpass(x, sr, c / 1.5, min(c * 1.5, 0.45 * sr))
    return out


@recipe("zipper",
        descriptions=["a zipper being zipped up on a jacket",
                      "someone unzipping a bag",
                      "the quick rasp of a zip fastener closing",
                      "zipping up a tent door",
                      "a backpack zipper opened and closed"],
        keywords=["zipper", "zippers", "zip", "zips", "zipped", "zipping", "unzip", "unzips", "unzipped",
                  "unzipping", "zip fastener", "fastener"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=2.0)
def zipper(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    rate = float(np.clip(req.rate, 0.5, 2.0))
    big = req.has("tent", "sleeping bag", "suitcase", "luggage", "heavy", "coat") or req.size > 0.7
    first_down = req.has("unzip", "unzips", "unzipped", "unzipping", "opens", "opening", "open")
    zlen = lambda: rng.uniform(0.35, 0.7) * (1.4 if big else 1.0) / rate  # noqa: E731
    if req.count:
        k = int(req.count)
        times = _spread(k, dur, rng, gap_s=1.2 / rate, start=(0.05, 0.15), tail_s=0.6, jitter=0.3, min_gap_s=0.3)
    elif dur <= 2.5:
        times = np.array([rng.uniform(0.05, 0.15) * min(1.0, dur)])
    else:
        times = [rng.uniform(0.05, 0.3)]
        while times[-1] + 2.0 < dur:
            times.append(times[-1] + rng.uniform(1.2, 3.0))
        times = np.asarray(times)
    y = np.zeros(n)
    for i, t in enumerate(times):
        nxt = times[i + 1] if i + 1 < times.size else dur
        d = min(zlen(), max(nxt - t - 0.08, 0.1), max(dur - t - 0.03, 0.05))
        m = max(int(d * sr), 16)
        u = np.arange(m) / m
        speed = np.sin(np.pi * np.clip(u, 0, 1)) ** 0.6                  # the pull accelerates then slows
        r = rng.uniform(150.0, 260.0) * (0.8 if big else 1.0) * rate ** 0.5
        cyc = _cycles(np.maximum(r * speed, 1.0), sr, rng.random())
        idx = np.flatnonzero(np.diff(np.floor(cyc)) > 0) + 1
        imp = np.zeros(m)
        imp[idx] = rng.uniform(0.6, 1.0, idx.size) * (0.4 + 0.6 * speed[idx])
        c = max(8, int(0.0012 * sr))
        click = rng.standard_normal(c) * np.exp(-np.arange(c) / (0.0003 * sr))
        clicks = np.convolve(imp, click)[:m]
        down = first_down if i % 2 == 0 else not first_down
        lo, hi = (1100.0, 4200.0) if not big else (800.0, 3000.0)
        fc = lo * (hi / lo) ** (1 - u if down else u)
        z = _swept_band(clicks + 0.15 * rng.standard_normal(m) * speed, sr, fc)
        fabric = dsp.lowpass(rng.standard_normal(m), sr, 900.0) * speed * 0.1
        env = np.minimum(u * m / (0.01 * sr), 1.0) * np.minimum((1 - u) * m / (0.01 * sr), 1.0)
        dsp.place_signal(y, (z + fabric) * env, int(round(t * sr)))
    return y + 1e-5 * _wn(n, rng)
