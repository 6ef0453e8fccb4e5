"""Vehicles and the road: engines, pass-bys, traffic, trains, the city bed.

Models (Farnell, *Designing Sound*, "engines" and "motion"):
- car_engine: firing clock (rpm/60 x cylinders/2) -> a jittered exhaust-pulse train (per-cylinder
  imbalance, per-firing timing and level jitter) -> exhaust-pipe resonances + body low-pass,
  intake roar, diesel clatter, tanh drive. rpm gestures: idle hunting, revs (blips), gear-shifting
  acceleration, deceleration, cranking start.
- car_passby: engine + tyre roar + wind through a moving-source model: 1/r gain, air absorption,
  constant-power pan sweep, Doppler by a variable delay line (the emission-time read-out).
- traffic: a Poisson stream of such pass-bys in two lanes (rendered at a reduced rate, then a
  full-rate tyre-hiss layer following the cars' envelope) + distant road rumble + horns.
- train: the wheel-rail joint clock (car length and bogie axle spacing / speed) -> metallic clacks,
  rolling roar, diesel rumble or steam chuffs, an optional horn / whistle; trackside or onboard.
- city_ambience: traffic + distant crowd murmur + a rare distant siren + city rumble.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from .base import REGISTRY, SynthRequest, recipe, sub_request
from .machines import (TWO_PI, _brownish, _decaying_sine_filter, _gate, _ctl_len, _cycles, _harmonics, _hop,
                       _onepole, _pinkish, _sin_c, _wn)

SPEED_OF_SOUND = 343.0


# --- moving source ---------------------------------------------------------------------------------
def _doppler_pan(src: np.ndarray, sr: int, n: int, *, t0: float, v: float, d0: float, sign: float,
                 air: float = 1.0, floor: float = 0.0, pre: int = 0) -> np.ndarray:
    """A source moving in a straight line past the listener (closest approach d0 m at t0 s, speed v m/s,
    sign +1 = left to right). src[pre + i] is the sound emitted at time i/sr. Returns (2, n) with
    Doppler (variable delay), 1/r gain, air absorption and a constant-power pan sweep."""
    src = np.asarray(src, dtype=np.float64)
    t = np.arange(n) / sr
    x = sign * v * (t - t0)
    r = np.sqrt(x * x + d0 * d0)
    delay = r * (sr / SPEED_OF_SOUND)
    need = int(np.ceil(delay.max())) + 2
    if pre < need:  # not enough pre-roll: extend the source backwards by reflection
        ext = need - pre
        head = src[1:ext + 1][::-1] if src.size > ext + 1 else np.resize(src[::-1], ext)
        src = np.concatenate([head, src])
        pre += ext
    idx = pre + np.arange(n) - delay
    y = np.interp(idx, np.arange(src.size), src)
    hop = _hop(sr)
    rc = r[::hop]
    xc = x[::hop]
    g = floor + (1.0 - floor) * d0 / rc
    w = np.clip(air * (1.0 - d0 / rc), 0.0, 0.95)
    dull = dsp.lowpass(y, sr, 1200.0, order=2)
    ws = dsp.control_up(w, n, hop, hold=True)
    y = y + ws * (dull - y)
    theta = np.arctan(xc / d0)
    p = 0.5 + 0.85 * theta / np.pi
    gl = dsp.control_up(g * np.cos(0.5 * np.pi * p), n, hop, hold=True)
    gr = dsp.control_up(g * np.sin(0.5 * np.pi * p), n, hop, hold=True)
    return np.stack([y * gl, y * gr])


# --- engine core -----------------------------------------------------------------------------------
def _engine_core(rpm: np.ndarray, sr: int, rng: np.random.Generator, *, cyl: int = 4, pipe_hz: float = 95.0,
                 load=0.5, rough: float = 0.04, diesel: bool = False, cheap: bool = False,
                 misfire: float = 0.0) -> np.ndarray:
    """Exhaust-pulse engine model; rpm and load are per-sample arrays (or scalars). The pulse train,
    pipe resonances and intake run at a quarter rate (content < 5 kHz), then are upsampled."""
    n_out = rpm.size
    dec = dsp.low_rate_factor(sr, 4950.0, max_factor=4)
    if dec > 1:
        rpm = rpm[::dec]
        load = load[::dec] if np.ndim(load) else load
        sr = sr // dec
    n = rpm.size
    f = np.maximum(rpm, 60.0) * (cyl / 120.0)  # firing rate = rpm/60 * cyl/2
    cyc = _cycles(f, sr, rng.random())
    kk = np.floor(cyc)
    frac = (cyc - kk).astype(np.float32)
    ki = kk.astype(np.int32)
    ki -= ki[0]
    nf = int(ki[-1]) + 2
    bias = 1.0 + 2.5 * rough * rng.standard_normal(cyl)
    amps = bias[(np.arange(nf) + int(rng.integers(cyl))) % cyl] * (1.0 + rough * rng.standard_normal(nf))
    if misfire > 0:
        amps *= (rng.random(nf) > misfire)
    offs = rng.uniform(0.0, 2.0 * rough, nf).astype(np.float32)
    sharp = np.clip(1.0 / (f * 0.0032), 3.0, 12.0).astype(np.float32)
    xk = np.maximum(frac - offs[ki], np.float32(0.0))
    xk *= sharp
    a_s = amps.astype(np.float32)[ki]
    pulse = xk * np.exp(np.float32(1.0) - xk)
    p = pulse * a_s
    p -= p.mean()
    load = np.asarray(load, dtype=np.float64)
    body = dsp.lowpass(p, sr, 260.0)
    ex = dsp.resonator(p, sr, pipe_hz, 3.0)
    if not cheap:
        ex = ex + 0.55 * dsp.resonator(p, sr, pipe_hz * 2.3, 4.0) + 0.3 * dsp.resonator(p, sr, pipe_hz * 3.9, 5.0)
    y = 1.2 * dsp.normalize_rms(body) + 0.9 * dsp.normalize_rms(ex)
    if not cheap:
        nz = _wn(n, rng)
        intake = dsp.bandpass(nz * (0.4 + np.abs(p)), sr, 900.0, 3800.0)
        rr = np.clip(rpm / 6000.0, 0.05, 1.5)
        y = y + (0.12 + 0.35 * load) * np.maximum(rr, 0.3) * dsp.normalize_rms(intake)
    if diesel and not cheap:
        knock = dsp.bandpass(nz * pulse ** 8 * a_s, sr, 1500.0, 5000.0)
        y = y + 0.35 * dsp.normalize_rms(knock)
    drive = 0.9 + 1.8 * load
    level = (0.3 + 0.7 * load) * np.sqrt(np.clip(rpm / 2000.0, 0.3, 2.5))  # throttle + firing density
    return dsp.upsample(np.tanh(drive * y * 0.6) * level, dec, n_out)


def _vehicle_kind(req: SynthRequest) -> str:
    if req.has("motorcycle", "motorbike", "bike", "scooter", "moped", "dirt bike"):
        return "bike"
    if req.has("truck", "lorry", "bus", "diesel", "tractor", "van", "semi", "18-wheeler", "coach"):
        return "truck"
    if req.has("v8", "muscle", "hot rod", "hotrod", "sports car", "supercar", "race car", "racecar", "racing",
               "dragster", "mustang", "nascar", "formula"):
        return "sport"
    return "car"


_KIND = {  # cylinders, idle rpm, redline, exhaust-pipe resonance
    "car": (4, 820.0, 6200.0, 105.0),
    "bike": (2, 1150.0, 9500.0, 150.0),
    "truck": (6, 620.0, 2600.0, 70.0),
    "sport": (8, 780.0, 7200.0, 85.0),
}


def _blip(tc, t_i, peak, rise, tau):
    u = tc - t_i
    up = peak * np.sin(0.5 * np.pi * np.clip(u / rise, 0, 1))
    down = peak * np.exp(-np.maximum(u - rise, 0) / tau)
    return np.where(u < 0, 0.0, np.where(u < rise, up, down))


@recipe("car_engine",
        descriptions=["a car engine idling with a low steady burble",
                      "someone revving an engine, the motor roaring up and dropping back",
                      "a vehicle accelerating hard through the gears",
                      "the throaty rumble of a V8 ticking over",
                      "an engine starting up and settling into idle",
                      "a motorbike engine growling"],
        keywords=["engine", "motor", "car", "idle", "idling", "rev", "revving", "revs", "accelerate", "accelerating",
                  "vroom", "ignition", "exhaust", "motorcycle", "motorbike", "v8", "throttle"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=6.0)
def car_engine(req: SynthRequest) -> np.ndarray:
    sr, n, rng = req.sample_rate, req.n, req.rng
    dur = req.duration_s
    hop = _hop(sr)
    k = _ctl_len(n, hop)
    cr = sr / hop
    tc = np.arange(k) / cr
    inten = float(np.clip(req.intensity, 0, 1))
    kind = _vehicle_kind(req)
    cyl, idle, red, pipe = _KIND[kind]
    idle *= rng.uniform(0.93, 1.07)
    pipe *= rng.uniform(0.9, 1.1) * (1.2 - 0.4 * float(np.clip(req.size, 0, 1)))
    rough = 0.035
    misfire = 0.0
    if req.has("old", "rough", "sputter", "sputtering", "sputters", "broken", "misfire", "misfiring", "choke",
               "struggling", "rattly", "clapped"):
        rough, misfire = 0.12, 0.04
    hunt = 1.0 + 0.02 * (dsp.smooth_noise(k, cr, 1.2, rng) - 0.5)
    rpm = np.full(k, idle) * hunt
    load = np.full(k, 0.15 + 0.1 * inten)
    gate = np.ones(k)
    starter = None
    rate = float(np.clip(req.rate, 0.4, 2.5))
    if req.has("rev", "revs", "revving", "revved", "vroom", "blip", "blips"):
        m = req.count if req.count else int(np.clip(round((1 + 2 * inten) * dur / 4.0), 1, 12))
        times = (np.arange(m) + 0.5) / m * dur * 0.92 + rng.uniform(-0.08, 0.08, m) * dur / m
        peaks = (red - idle) * (0.45 + 0.5 * inten) * rng.uniform(0.8, 1.05, m)
        add = np.zeros(k)
        for t_i, pk in zip(times, peaks):
            add = np.maximum(add, _blip(tc, t_i - 0.1, pk, rng.uniform(0.22, 0.35) / rate, rng.uniform(0.35, 0.55)))
        rpm = rpm + add
        d = np.gradient(rpm) * cr
        load = np.clip(0.25 + 0.75 * (d > 200.0) + 0.2 * inten, 0.1, 1.0)
    elif req.has("accelerate", "accelerates", "accelerating", "acceleration", "speeds up", "speeding up",
                 "pulls away", "pulling away", "drives off", "drives away", "takes off", "floors it", "zooms off",
                 "peels out", "speeds off", "screeches off"):
        t_go = min(0.12 * dur, 1.0)
        gears = int(np.clip(round(dur / 2.5), 1, 4))
        seg = (dur - t_go) / gears
        hi = idle + (red - idle) * (0.55 + 0.4 * inten)
        lo_after = hi * 0.62
        acc = np.full(k, idle)
        for g in range(gears):
            a = t_go + g * seg
            u = np.clip((tc - a) / seg, 0, 1)
            lo = idle * 1.3 if g == 0 else lo_after
            cur = lo + (hi - lo) * (1 - np.exp(-2.2 * u)) / (1 - np.exp(-2.2))
            acc = np.where(tc >= a, cur, acc)
        rpm = _onepole(acc, int(round(cr)), 0.06) * hunt
        load = np.where(tc >= t_go, 0.8 + 0.2 * inten, 0.2)
        load = _onepole(load, int(round(cr)), 0.05)
    elif req.has("decelerate", "decelerates", "slows", "slowing", "slow down", "slows down", "coasting", "winds down"):
        top = idle + (red - idle) * 0.6
        rpm = idle + (top - idle) * np.exp(-tc / max(0.4 * dur, 0.5))
        rpm = rpm * hunt
        load = np.full(k, 0.1)
    elif req.has("start", "starts", "starting", "start up", "starts up", "ignition", "crank", "cranks",
                 "cranking", "turns over", "fires up"):
        tcrank = min(rng.uniform(0.6, 1.2), 0.35 * dur)
        catch = np.clip((tc - tcrank) / 0.08, 0, 1)
        flare = (red * 0.28) * np.exp(-np.maximum(tc - tcrank, 0) / 0.5) * (tc >= tcrank)
        rpm = np.where(tc < tcrank, 260.0, idle * hunt + flare)
        load = np.where(tc < tcrank + 0.4, 0.6, 0.2)
        gate = 0.02 + 0.98 * catch
        starter = tcrank
    rpm = np.minimum(rpm, red * 1.05) * (1 + 0.003 * (dsp.smooth_noise(k, cr, 6.0, rng) - 0.5))
    y = _engine_core(dsp.control_up(rpm, n, hop, hold=True), sr, rng, cyl=cyl, pipe_hz=pipe, load=dsp.control_up(load, n, hop, hold=True), rough=rough,
                     diesel=(kind == "truck"), misfire=misfire)
    y = y * dsp.control_up(gate, n, hop, hold=True)
    if starter is not None:
        # starter motor: a geared whine chopped by the compression strokes
        ns = min(n, int((starter + 0.05) * sr))
        ts = np.arange(ns) / sr
        fm = rng.uniform(380.0, 520.0) * np.ones(ns)
        comp = 0.55 + 0.45 * np.sin(TWO_PI * (260.0 / 60 * cyl / 2) * ts) ** 2
        st = _harmonics(fm, sr, [1.0, 0.5, 0.35, 0.2])[:ns] * comp
        st = st + 0.3 * dsp.bandpass(_wn(ns, rng), sr, 1500.0, 5000.0) * comp
        st *= np.minimum(1.0, (ns - np.arange(ns)) / (0.05 * sr))
        y[:ns] += 0.6 * st
    return y


# --- car pass-by ---------------------------------------------------------------------------------------
def _car_source(m: int, sr: int, rng, *, kind: str, v: float, inten: float, wet: bool, cheap: bool,
                tyre: np.ndarray | None = None) -> np.ndarray:
    """A cruising vehicle as heard close by: engine + tyre roar + wind, length m."""
    cyl, idle, red, pipe = _KIND[kind]
    hop = _hop(sr)
    k = _ctl_len(m, hop)
    cr = sr / hop
    cruise = idle + (red - idle) * np.clip(0.25 + 0.012 * v + 0.2 * inten, 0.2, 0.85)
    rpm = cruise * (1 + 0.04 * (dsp.smooth_noise(k, cr, 0.4, rng) - 0.5))
    eng = _engine_core(dsp.control_up(rpm, m, hop, hold=True), sr, rng, cyl=cyl, pipe_hz=pipe, load=0.4 + 0.4 * inten,
                       diesel=(kind == "truck"), cheap=cheap)
    if tyre is None:
        tyre = dsp.bandpass(_pinkish(m, rng), sr, 280.0, 2600.0)
    sp = (v / 20.0) ** 2
    mix = {"bike": 0.4, "truck": 0.9, "sport": 0.7, "car": 1.0}[kind]
    y = dsp.normalize_rms(eng) * (1.3 if kind in ("bike", "sport") else 1.0) + (0.5 + 0.4 * mix) * sp * dsp.normalize_rms(tyre)
    if wet:
        y = y + 0.9 * sp * dsp.normalize_rms(dsp.highpass(_wn(m, rng), sr, 2500.0))
    return y


@recipe("car_passby",
        descriptions=["a car driving past on the road, approaching and then fading away",
                      "a vehicle whooshing by with its engine note dropping in pitch",
                      "a motorbike speeding past the listener",
                      "a truck rumbling by on the street",
                      "a race car zooming past at high speed"],
        keywords=["passby", "pass-by", "drives by", "drives past", "passing", "car", "vehicle", "zoom", "whoosh",
                  "speeds past", "drive by", "goes by", "motorbike", "truck"],
        track="fx", texture=False, stereo_width=0.0, handles_distance=True, default_duration_s=6.0)
def car_passby(req: SynthRequest) -> np.ndarray:
    sr, n, rng = req.sample_rate, req.n, req.rng
    dur = req.duration_s
    inten = float(np.clip(req.intensity, 0, 1))
    kind = _vehicle_kind(req)
    v = (13.0 + 17.0 * inten) * float(np.clip(req.rate, 0.3, 3.0))
    if req.has("fast", "speeding", "speeds", "race", "racing", "zooms", "zoom", "whizzes", "races", "roars past"):
        v *= 1.6
    if req.has("slow", "slowly", "crawls", "creeps"):
        v *= 0.55
    v = float(np.clip(v, 4.0, 90.0))
    d0 = {"close": 3.0, "medium": 7.0, "far": 25.0}.get(req.distance, 7.0) * rng.uniform(0.85, 1.15)
    if req.has("left to right", "from left"):
        sign0 = 1.0
    elif req.has("right to left", "from right"):
        sign0 = -1.0
    else:
        sign0 = float(rng.choice([-1.0, 1.0]))
    wet = req.has("wet", "rain", "puddle", "puddles", "splash", "rainy")
    m_cars = int(req.count) if req.count else 1
    if m_cars == 1:
        t0s = np.array([dur * rng.uniform(0.46, 0.54)])
    else:
        t0s = (np.arange(m_cars) + 0.5) / m_cars * dur + rng.uniform(-0.1, 0.1, m_cars) * dur / m_cars
    dec = dsp.low_rate_factor(sr, 4950.0, max_factor=4)
    lsr = sr // dec
    nl = -(-n // dec)
    out = np.zeros((2, nl))
    W = max(3.0, 25.0 * d0 / v)
    for j, t0 in enumerate(t0s):
        sign = sign0 if (m_cars == 1 or j % 2 == 0 or rng.random() < 0.5) else -sign0
        a = max(0.0, t0 - W) if m_cars > 1 else 0.0
        b = min(dur, t0 + W) if m_cars > 1 else dur
        s0, s1 = int(a * lsr), min(nl, int(np.ceil(b * lsr)))
        m = s1 - s0
        if m <= 8:
            continue
        pre = int(np.ceil(np.hypot(v * max(t0 - a, b - t0), d0) / SPEED_OF_SOUND * lsr)) + 4
        src = _car_source(m + pre, lsr, rng, kind=kind, v=v, inten=inten, wet=wet, cheap=False)
        seg = _doppler_pan(src, lsr, m, t0=t0 - a, v=v, d0=d0, sign=sign, air=1.0, pre=pre)
        if m_cars > 1:
            seg *= np.hanning(m)[None, :] ** 0.3
        out[:, s0:s1] += seg
    out = dsp.upsample(out, dec, n)
    return _hf_layer(out, sr, rng, cutoff_hz=0.42 * lsr, gain=0.2 * (1.6 if wet else 1.0))


def _hf_layer(out: np.ndarray, sr: int, rng, *, cutoff_hz: float, gain: float) -> np.ndarray:
    """Add full-rate air/tyre hiss above a low-rate render's band, following its loudness (per channel)."""
    n = out.shape[-1]
    hop = _hop(sr)
    k = _ctl_len(n, hop)
    noise = (rng.random(n + 7919, dtype=np.float32) - np.float32(0.5)) * np.float32(3.4641016)  # float32: a hiss bed
    hiss = dsp.lowpass(dsp.highpass(noise, sr, min(cutoff_hz, 0.4 * sr)), sr, max(5000.0, cutoff_hz), order=1)
    for ch in range(out.shape[0]):
        e = np.sqrt(np.mean(out[ch, : (n // hop) * hop].reshape(-1, hop) ** 2, axis=1))
        e = np.concatenate([e, np.full(k - e.size, e[-1] if e.size else 0.0)])
        e = _onepole(e, int(round(sr / hop)), 0.05)
        out[ch] += gain * dsp.control_up(e, n, hop, hold=True) * hiss[ch * 7919: ch * 7919 + n]
    return out


# --- traffic ---------------------------------------------------------------------------------------------
def _horn(m: int, sr: int, rng, length_s: float) -> np.ndarray:
    """A car horn: two detuned square-ish tones (typ. ~400 + ~500 Hz), nasal speaker band."""
    f1 = rng.uniform(350.0, 450.0)
    f2 = f1 * rng.uniform(1.18, 1.28)
    ln = min(m, int(length_s * sr))
    y = np.zeros(m)
    amps = [1.0, 0.1, 0.4, 0.06, 0.25, 0.04, 0.15]
    tone = (_harmonics(np.full(ln, f1), sr, amps, start=rng.random())
            + _harmonics(np.full(ln, f2), sr, amps, start=rng.random()))
    env = np.minimum(1.0, np.minimum(np.arange(ln), ln - np.arange(ln)) / (0.01 * sr))
    y[:ln] = np.tanh(1.5 * tone) * env
    return dsp.bandpass(y, sr, 300.0, min(3500.0, 0.45 * sr))


@recipe("traffic",
        descriptions=["a busy road with cars passing continuously",
                      "steady traffic rushing by on a street",
                      "vehicles streaming along a highway, tyres hissing",
                      "the constant flow of cars and trucks with the odd horn",
                      "an urban road at rush hour"],
        keywords=["traffic", "road", "street", "highway", "motorway", "freeway", "cars", "vehicles", "rush hour",
                  "commute", "intersection", "avenue", "honking"],
        track="ambience", texture=True, stereo_width=0.0, handles_distance=True, default_duration_s=12.0)
def traffic(req: SynthRequest) -> np.ndarray:
    sr, n, rng = req.sample_rate, req.n, req.rng
    dur = req.duration_s
    inten = float(np.clip(req.intensity, 0, 1))
    dec = dsp.low_rate_factor(sr, 3150.0, max_factor=8)
    lsr = sr // dec
    nl = -(-n // dec)
    dist = {"close": 1.0, "medium": 1.8, "far": 5.0}.get(req.distance, 1.8)
    highway = req.has("highway", "motorway", "freeway", "interstate", "expressway")
    busy = req.has("busy", "heavy", "rush", "rush hour", "jam", "congested", "hectic")
    lam = (0.25 + 0.7 * inten) * (1.4 if busy else 1.0) * float(np.clip(req.rate, 0.3, 3.0))
    W = 3.5
    if req.count:
        t0s = (np.arange(req.count) + 0.5) / req.count * dur + rng.uniform(-0.2, 0.2, req.count) * dur / req.count
    else:
        t0s = np.sort(rng.uniform(-W * 0.6, dur + W * 0.6, rng.poisson(lam * (dur + 1.2 * W)) + 1))
    kinds = np.array(["car", "car", "car", "car", "car", "car", "truck", "bike", "sport", "car"])
    tyre_all = dsp.bandpass(_pinkish(nl + int(2 * W * lsr) + 4096, rng), lsr, 260.0, 2400.0)
    out = np.zeros((2, nl))
    for t0 in t0s:
        lane = int(rng.integers(0, 2))
        d0 = (rng.uniform(3.5, 6.0) if lane == 0 else rng.uniform(8.0, 13.0)) * dist
        sign = 1.0 if lane == 0 else -1.0
        v = rng.uniform(9.0, 16.0) * (1.9 if highway else 1.0) * (1 + 0.3 * inten)
        kind = str(kinds[rng.integers(kinds.size)])
        a, b = max(0.0, t0 - W), min(dur, t0 + W)
        s0, s1 = int(a * lsr), min(nl, int(np.ceil(b * lsr)))
        m = s1 - s0
        if m <= 16:
            continue
        pre = int(np.ceil(np.hypot(v * W, d0) / SPEED_OF_SOUND * lsr)) + 4
        off = int(rng.integers(0, tyre_all.size - (m + pre)))
        src = _car_source(m + pre, lsr, rng, kind=kind, v=v, inten=inten * 0.7, wet=False, cheap=True,
                          tyre=tyre_all[off:off + m + pre])
        seg = _doppler_pan(src, lsr, m, t0=t0 - a, v=v, d0=d0, sign=sign, air=1.0, pre=pre)
        fade = np.minimum(1.0, np.minimum(np.arange(m), m - 1 - np.arange(m)) / (0.4 * lsr))
        out[:, s0:s1] += seg * fade * rng.uniform(0.6, 1.0)
    # distant road rumble: the city's broadband roar, independent per channel
    car_rms = dsp.rms(out)
    ref = car_rms if car_rms > 0 else 1.0
    lh = _hop(lsr)
    lk = _ctl_len(nl, lh)
    for ch in range(2):
        rum = dsp.lowpass(_brownish(nl, lsr, rng, 40.0), lsr, 350.0) + 0.4 * dsp.bandpass(_pinkish(nl, rng), lsr, 150.0, 1200.0)
        out[ch] += (0.3 + 0.15 * dist) * ref * dsp.normalize_rms(rum) * dsp.control_up(dsp.smooth_noise(lk, lsr / lh, 0.1, rng, lo=0.7, hi=1.0), nl, lh, hold=True)
    # horns
    hr = (0.05 + 0.06 * inten) * (4.0 if req.has("horn", "horns", "honk", "honking", "honks", "jam") else 1.0)
    for th in dsp.poisson_times(dur, hr, rng):
        ln = rng.uniform(0.15, 0.7)
        reps = int(rng.integers(1, 3))
        s0 = int(th * lsr)
        if s0 >= nl:
            continue
        hseg = _horn(nl - s0, lsr, rng, ln)
        if reps == 2:
            gap = int((ln + rng.uniform(0.08, 0.2)) * lsr)
            if gap < nl - s0:
                hseg[gap:] += hseg[: nl - s0 - gap]
        pan = rng.uniform(0.15, 0.85)
        g = rng.uniform(0.25, 0.7) / dist ** 0.5 * ref * 4.0
        out[0, s0:] += g * np.cos(0.5 * np.pi * pan) * hseg
        out[1, s0:] += g * np.sin(0.5 * np.pi * pan) * hseg
    out = dsp.upsample(out.astype(np.float32), dec, n)
    # full-rate tyre hiss above the low-rate band, following the cars' loudness
    return _hf_layer(out, sr, rng, cutoff_hz=0.42 * lsr, gain=0.25 / dist)


# --- train ---------------------------------------------------------------------------------------------
def _clacks(n: int, sr: int, rng, times: np.ndarray, gains: np.ndarray, bright: float = 1.0) -> np.ndarray:
    """Wheel-over-joint impacts: an impulse per axle -> a few damped steel modes of the wheel/rail
    (decaying-sine filters) + a short noise tick; per-impact level and timing jitter."""
    ok = (times >= 0) & (times < n / sr)
    times, gains = times[ok], gains[ok]
    if times.size == 0:
        return np.zeros(n)
    imp = dsp.impulse_train(n, sr, times, gains * rng.uniform(0.7, 1.1, times.size))
    y = np.zeros(n)
    for f, d, a in ((rng.uniform(280, 380), 0.03, 1.0), (rng.uniform(750, 1000), 0.018, 0.7),
                    (rng.uniform(1800, 2600), 0.01, 0.45 * bright), (rng.uniform(3800, 5200), 0.006, 0.3 * bright)):
        y += a * _decaying_sine_filter(imp, sr, f, 6.9 * d)
    tick = _wn(n, rng) * _onepole(imp, sr, 0.0015)
    return y + 0.4 * bright * tick


@recipe("train",
        descriptions=["a train rolling along the tracks with a clickety-clack rhythm",
                      "a freight train rumbling past a level crossing",
                      "a locomotive sounding its horn as it approaches",
                      "riding inside a railway carriage over jointed rails",
                      "a steam engine chugging along and blowing its whistle"],
        keywords=["train", "railway", "railroad", "locomotive", "rails", "tracks", "clickety-clack", "freight",
                  "carriage", "subway", "tram", "steam train", "choo-choo", "whistle"],
        track="fx", texture=True, stereo_width=0.3, default_duration_s=12.0)
def train(req: SynthRequest) -> np.ndarray:
    n_out = req.n
    dec = dsp.low_rate_factor(req.sample_rate, 9000.0, max_factor=2)  # content sits below the reduced Nyquist
    sr, rng = req.sample_rate // dec, req.rng
    n = -(-n_out // dec)
    dur = req.duration_s
    hop = _hop(sr)
    k = _ctl_len(n, hop)
    cr = sr / hop
    tc = np.arange(k) / cr
    inten = float(np.clip(req.intensity, 0, 1))
    steam = req.has("steam", "chug", "chugging", "chuff", "chuffing", "choo-choo", "choo", "puffing", "vintage")
    inside = req.has("inside", "aboard", "on board", "onboard", "in a train", "on a train", "in the carriage",
                     "passenger", "riding", "compartment", "cabin", "seat")
    v = (12.0 + 18.0 * inten) * float(np.clip(req.rate, 0.3, 3.0)) * (0.6 if steam else 1.0)
    car_len = rng.uniform(18.0, 24.0)
    rail_len = rng.uniform(18.0, 25.0)
    a_off, axle = rng.uniform(2.2, 3.0), rng.uniform(2.3, 2.7)
    car_axles = np.array([a_off - axle / 2, a_off + axle / 2, car_len - a_off - axle / 2, car_len - a_off + axle / 2])
    loud = np.ones(k)
    if inside:
        # own carriage's two bogies over each rail joint: da-dum ....... da-dum
        rel = car_axles - car_len / 2
        nj = int(dur * v / rail_len) + 3
        joints = np.arange(-1, nj) * rail_len + rng.uniform(0, rail_len)
        times = ((joints[:, None] + rel[None, :]) / v).ravel()
        gains = np.tile(np.array([0.9, 1.0, 1.0, 0.9]), joints.size)
        times = times + rng.normal(0, 0.002, times.size)
        clk = _clacks(n, sr, rng, times, gains, bright=0.5)
        clk = dsp.lowpass(clk, sr, 2500.0)
        roll = dsp.lowpass(_brownish(n, sr, rng, 30.0), sr, 250.0)
        rattle = dsp.bandpass(_wn(n, rng), sr, 400.0, 2000.0) * dsp.control_up(dsp.smooth_noise(k, cr, 4.0, rng, lo=0.3, hi=1.0), n, hop, hold=True)
        y = 0.7 * dsp.normalize_rms(roll) + 0.2 * dsp.normalize_rms(rattle) + 4.0 * clk / (np.max(np.abs(clk)) + 1e-9)
    else:
        # trackside: the locomotive passes early, then its cars; joints ahead and behind ring fainter
        t_loco = rng.uniform(0.12, 0.2) * dur
        ncar = int((dur - t_loco) * v / car_len) + 2
        pos = (np.arange(ncar)[:, None] * car_len + car_axles[None, :]).ravel()
        times_list, gains_list = [], []
        for j, gj in ((0, 1.0), (-1, 0.22), (1, 0.22)):
            times_list.append(t_loco + (pos + j * rail_len) / v + abs(j) * rail_len / SPEED_OF_SOUND)
            gains_list.append(np.full(pos.size, gj))
        times = np.concatenate(times_list) + rng.normal(0, 0.0015, pos.size * 3)
        gains = np.concatenate(gains_list)
        clk = _clacks(n, sr, rng, times, gains, bright=1.0)
        approach = np.clip(1.0 - (t_loco - tc) / max(t_loco, 1e-3), 0, 1) ** 2
        loud = np.where(tc < t_loco, 0.1 + 0.9 * approach, 1.0)
        # rolling roar swells as each bogie goes by (the car-length rhythm under the clacks)
        bog = dsp.impulse_train(k, cr, t_loco + pos[pos.size * 0:][::2] / v)
        bog = _onepole(_onepole(bog, int(round(cr)), 0.06), int(round(cr)), 0.06)
        bog = bog / (bog.max() + 1e-9)
        roll = dsp.bandpass(_pinkish(n, rng), sr, 200.0, 2200.0) * dsp.control_up(0.45 + bog, n, hop, hold=True)
        rum = dsp.lowpass(_brownish(n, sr, rng, 25.0), sr, 160.0)
        sing = dsp.bandpass(_wn(n, rng), sr, 3000.0, min(7000.0, 0.45 * sr)) * dsp.control_up(
            np.clip((tc - 0.0) / max(t_loco, 1e-3), 0, 1) * (tc < t_loco * 1.2), n, hop, hold=True)
        y = (0.55 * dsp.normalize_rms(roll) + 0.7 * dsp.normalize_rms(rum)) * dsp.control_up(loud, n, hop, hold=True) + 3.0 * clk / (np.max(np.abs(clk)) + 1e-9)
        y = y + 0.1 * dsp.normalize_rms(sing)
        # the locomotive: diesel engine (or steam chuffs), loudest as it passes
        lg = 1.0 / np.sqrt(1.0 + ((tc - t_loco) * v / 10.0) ** 2)
        if not steam:
            rpm = np.full(k, rng.uniform(850.0, 1000.0) * (0.8 + 0.4 * inten)) * (1 + 0.02 * (dsp.smooth_noise(k, cr, 0.3, rng) - 0.5))
            eng = _engine_core(dsp.control_up(rpm, n, hop, hold=True), sr, rng, cyl=12, pipe_hz=60.0, load=0.7, diesel=True, cheap=True)
            y = y + 1.4 * dsp.normalize_rms(eng) * dsp.control_up(lg, n, hop, hold=True)
    if steam:
        wheel = 1.75
        chuff_hz = 4.0 * v / (np.pi * wheel)
        ccyc = _cycles(np.full(n, chuff_hz), sr, rng.random())
        kk = np.floor(ccyc)
        fr = ccyc - kk
        ki = (kk - kk[0]).astype(np.int64)
        amp = (1.0 + 0.25 * rng.standard_normal(int(ki[-1]) + 2))[ki] * np.array([1.0, 0.7, 0.9, 0.6])[ki % 4]
        env = np.exp(-fr * 5.0) * amp
        ch = dsp.bandpass(_wn(n, rng) * env, sr, 250.0, 2500.0) + 0.5 * dsp.lowpass(env - env.mean(), sr, 120.0)
        lgs = 1.0 if inside else dsp.control_up(0.35 + 0.65 * lg, n, hop, hold=True)
        y = y + 1.3 * dsp.normalize_rms(ch) * lgs
    # horn / whistle cue
    if req.has("horn", "horns", "whistle", "whistles", "whistling", "honk", "honks", "hoot", "toot", "blares",
               "blast", "blasts", "sounding"):
        m = int(req.count) if req.count else 2
        lens = np.array([rng.uniform(1.0, 1.8) if (i % 2 == 0 or m == 1) else rng.uniform(0.4, 0.8) for i in range(m)])
        starts = np.cumsum(np.concatenate([[rng.uniform(0.05, 0.12) * dur], lens[:-1] + rng.uniform(0.25, 0.45, m - 1)]))
        if starts[-1] + lens[-1] > 0.95 * dur:
            s = 0.95 * dur / (starts[-1] + lens[-1])
            starts, lens = starts * s, lens * s
        if steam:
            fr0 = rng.uniform(420.0, 520.0)
            chord = fr0 * np.array([1.0, 1.19, 1.5])
        else:
            chord = np.array([311.1, 370.0, 440.0, 554.4, 740.0])[np.sort(rng.choice(5, 3, replace=False))]
            chord *= rng.uniform(0.97, 1.03)
        gt = _gate(n, sr, starts, lens, tau_s=0.04)
        horn = np.zeros(n, dtype=np.float32)
        for f in chord:
            fa = np.full(n, f) * (1 + 0.003 * (dsp.control_up(dsp.smooth_noise(k, cr, 5.0, rng), n, hop, hold=True) - 0.5))
            if steam:
                horn += _harmonics(fa, sr, [1.0, 0.3, 0.1])
            else:
                horn += _harmonics(fa, sr, [1.0, 0.7, 0.5, 0.35, 0.25, 0.18, 0.12, 0.08])
        horn = horn.astype(np.float64)
        if steam:
            breath = sum(dsp.resonator(_wn(n, rng), sr, f, 25.0) for f in chord)
            horn = dsp.normalize_rms(horn) + 0.5 * dsp.normalize_rms(breath)
        else:
            horn = np.tanh(1.2 * dsp.normalize_rms(dsp.bandpass(horn, sr, 250.0, 4000.0)))
        y = y + (2.5 + 1.0 * inten) * horn * gt
    return dsp.upsample(y, dec, n_out)


# --- city ambience -----------------------------------------------------------------------------------
def _fallback_murmur(n: int, sr: int, rng) -> np.ndarray:
    """Speech-shaped noise with syllabic (3-6 Hz) modulation; only used if crowd_murmur is missing."""
    hop = _hop(sr)
    k = _ctl_len(n, hop)
    cr = sr / hop
    out = []
    for _ in range(2):
        x = dsp.bandpass(_pinkish(n, rng), sr, 200.0, 2000.0)
        am = dsp.control_up(dsp.smooth_noise(k, cr, 4.5, rng, lo=0.3, hi=1.0), n, hop, hold=True)
        out.append(dsp.normalize_rms(x) * am)
    return np.stack(out)


@recipe("city_ambience",
        descriptions=["the bustling background of a city street",
                      "downtown ambience with traffic, distant voices and the odd siren",
                      "an urban soundscape of cars, people and far-off horns",
                      "a busy town centre during the day",
                      "the constant drone of a metropolis outside the window"],
        keywords=["city", "urban", "downtown", "street", "town", "metropolis", "cityscape", "busy street",
                  "city ambience", "sidewalk", "pavement", "square"],
        track="ambience", texture=True, stereo_width=0.0, handles_distance=True, default_duration_s=15.0)
def city_ambience(req: SynthRequest) -> np.ndarray:
    sr, n, rng = req.sample_rate, req.n, req.rng
    dur = req.duration_s
    inten = float(np.clip(req.intensity, 0, 1))
    night = req.has("night", "late", "quiet", "sleeping", "distant", "far")
    hop = _hop(sr)
    k = _ctl_len(n, hop)
    cr = sr / hop
    dist = "far" if night or req.distance == "far" else "medium"
    tr = layer_safe("traffic", req, intensity=(0.25 if night else 0.35 + 0.45 * inten), distance=dist, count=None)
    tr_rms = dsp.rms(tr) + 1e-9
    y = tr / tr_rms
    # distant voices: the crowd layer, thinned out and dulled by distance
    if "crowd_murmur" in REGISTRY:
        cw = layer_safe("crowd_murmur", req, intensity=0.3 + 0.3 * inten, count=None, params={"dull_hz": 2200.0})
    else:
        cw = dsp.lowpass(_fallback_murmur(n, sr, rng), sr, 2200.0, order=2)
    crowd_g = (0.08 if night else 0.3 + 0.15 * inten)
    y += crowd_g * cw / (dsp.rms(cw) + 1e-9) * dsp.control_up(dsp.smooth_noise(k, cr, 0.05, rng, lo=0.6, hi=1.0), n, hop, hold=True)
    # city rumble (HVAC, far traffic): low, wide, independent channels
    # (rendered at a low rate: it sits below 200 Hz)
    dec = dsp.low_rate_factor(sr, 450.0, max_factor=8)
    m = -(-n // dec)
    rumble = np.stack([dsp.lowpass(_brownish(m, sr // dec, rng, 30.0), sr // dec, 200.0) for _ in range(2)])
    y += 0.35 * dsp.upsample(rumble.astype(np.float32), dec, n)
    # a rare far-off siren
    p_siren = dur / 40.0 + (1.0 if req.has("siren", "sirens", "emergency", "police") else 0.0)
    n_sir = min(rng.poisson(p_siren), 2) if p_siren < 1 else max(1, min(rng.poisson(p_siren), 3))
    if n_sir and "siren" in REGISTRY:
        for _ in range(n_sir):
            seg = float(min(dur, rng.uniform(4.0, 9.0)))
            sreq = sub_request(req, duration_s=seg, caption="distant siren", words=frozenset({"distant", "siren"}),
                               count=None, rate=1.0)
            s = np.asarray(REGISTRY["siren"].synth(sreq), dtype=np.float64)
            s = s.mean(axis=0) if s.ndim == 2 else s
            ms = s.size
            s = dsp.lowpass(s, sr, 1600.0) * np.hanning(ms) ** 0.7
            st = int(rng.uniform(0.0, max(dur - seg, 0.0)) * sr)
            pan = rng.uniform(0.15, 0.85)
            g = rng.uniform(0.15, 0.3) / (dsp.rms(s) + 1e-9)
            e = min(n, st + ms)
            y[0, st:e] += g * np.cos(0.5 * np.pi * pan) * s[: e - st]
            y[1, st:e] += g * np.sin(0.5 * np.pi * pan) * s[: e - st]
    return y


def layer_safe(recipe_id: str, req: SynthRequest, **changes) -> np.ndarray:
    """layer() for a composite: same contract, (2, n)."""
    from .base import layer
    return layer(recipe_id, req, **changes)
