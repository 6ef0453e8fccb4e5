"""Wheels rolling on a floor: a suitcase, a trolley or cart, a skateboard, a pram.

Model. Two layers driven by one speed curve v(t) (m/s, slowly wandering, ramps in and
out only as the renderer's fades do). (1) The rolling roar: the wheel tread's roughness
on the floor is band-limited noise whose level and band rise with speed, amplitude-
modulated at the wheel's rotation rate (v / circumference: flat spots, a wobbling
caster). (2) The joints: every time an axle crosses a tile joint or a slab crack the
wheels drop and hit its far edge, a click (1-4 kHz tick) with a thunk through the
body (suitcase shell, cart frame, skateboard deck modes). Joints are spacing s apart,
so clicks come at v / s per axle; a second axle follows the first by wheelbase / v
(the skateboard's "clack-clack", a trolley's "da ... dum"). A trolley's basket rattles
(dense metal chatter that follows the roar); carpet swallows the joints and the highs.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _nature_dsp as nd
from .base import SynthRequest, recipe

# vehicle: speed m/s, wheel diameter m, wheelbase m (0: one axle), body modes Hz, rattle
_KINDS = {
    "suitcase": dict(v=1.2, d=0.05, base=0.0, modes=(180.0, 410.0, 760.0), rattle=0.1, bright=1.0),
    "trolley": dict(v=1.3, d=0.10, base=0.75, modes=(140.0, 520.0, 1300.0), rattle=0.8, bright=1.2),
    "skateboard": dict(v=3.5, d=0.055, base=0.42, modes=(95.0, 230.0, 480.0), rattle=0.05, bright=0.8),
    "pram": dict(v=1.1, d=0.18, base=0.6, modes=(120.0, 300.0, 650.0), rattle=0.3, bright=0.6),
}
_WORDS = {
    "skateboard": ("skateboard", "skateboards", "skateboarding", "skateboarder", "skater", "longboard",
                   "roller skates", "rollerskates", "rollerblades", "scooter"),
    "trolley": ("trolley", "trolleys", "cart", "carts", "shopping cart", "trolly", "wagon", "dolly", "hand truck",
                "food cart", "drinks trolley", "tea trolley", "supermarket", "aisle"),
    "pram": ("pram", "stroller", "pushchair", "buggy", "wheelchair", "wheelbarrow"),
    "suitcase": ("suitcase", "suitcases", "luggage", "baggage", "wheelie", "carry-on", "roller bag"),
}


def _kind(req: SynthRequest) -> str:
    for k in ("skateboard", "trolley", "pram", "suitcase"):
        if req.has(*_WORDS[k]):
            return k
    return "suitcase"


def _clicks(n: int, sr: int, times, amps, rng: np.random.Generator, modes, bright: float,
            soft: bool) -> np.ndarray:
    """One click per wheel-over-joint: a short bright tick plus the body's thunk (modes
    fixed per take, each hit a little detuned). (n,)."""
    times = np.asarray(times, dtype=np.float64)
    k = times.size
    if k == 0:
        return np.zeros(n)
    L = int(0.09 * sr)
    t = (np.arange(L) / sr)[None, :]
    g = np.zeros((k, L))
    for j, (f, a) in enumerate(zip(modes, (1.0, 0.55, 0.3))):
        fj = min(f, 0.45 * sr) * rng.uniform(0.96, 1.04, (k, 1))
        g += a * np.sin(2 * np.pi * fj * t) * np.exp(-t / (0.025 / (1 + j)))
    m = int(0.004 * sr)
    tick = rng.standard_normal((k, m)) * np.exp(-np.arange(m) / (0.0007 * sr))[None, :]
    tick = dsp.bandpass(tick, sr, 900.0, min(5000.0 * bright, 0.45 * sr), order=2)
    tick /= np.abs(tick).max(axis=1, keepdims=True) + 1e-9
    g[:, :m] += (0.15 if soft else 0.9 * bright) * tick
    g *= np.asarray(amps, dtype=np.float64)[:, None]
    return dsp.scatter_grains(n, sr, times, g.astype(np.float32))


@recipe("rolling",
        descriptions=["suitcases rolling across a tiled floor, wheels clicking over the joints",
                      "a wheeled trolley rattling down a supermarket aisle",
                      "a skateboard rolling along the pavement, clacking over the cracks",
                      "pulling a wheelie suitcase through an airport terminal",
                      "a shopping cart pushed across a car park",
                      "a pram's wheels trundling along the pavement"],
        keywords=["suitcase", "suitcases", "luggage", "wheelie", "trolley", "trolleys", "shopping cart",
                  "skateboard", "skateboarding", "skateboarder", "longboard", "pram", "stroller", "pushchair",
                  "wheelchair", "trundling", "trundle", "casters", "castors", "wheels rolling", "wheeled", "roller skates", "rollerblades", "rolling luggage"],
        track="fx", texture=False, stereo_width=0.3, default_duration_s=5.0)
def rolling(req: SynthRequest) -> np.ndarray:
    sr, n, rng, dur = req.sample_rate, req.n, req.rng, req.duration_s
    kind = _kind(req)
    p = _KINDS[kind]
    carpet = req.surface == "carpet" or req.has("carpet", "carpeted", "rug")
    # outdoor, gritty ground (tiles, marble and corridors are smooth floors with joints)
    rough = req.surface in ("gravel", "sand") or req.has("pavement", "sidewalk", "street", "asphalt", "concrete",
                                                         "cobbles", "cobblestones", "car park", "road", "path")
    cobbles = req.has("cobbles", "cobblestones", "cobbled", "cobblestone")
    wood = req.surface == "wood"
    # joint spacing: tiles ~0.3-0.6 m, pavement slabs ~0.6-1.2 m, cobbles ~0.1-0.15 m, boards ~0.12 m
    if cobbles:
        spacing = rng.uniform(0.10, 0.15)
    elif wood:
        spacing = rng.uniform(0.10, 0.16)
    elif rough or kind == "skateboard":
        spacing = rng.uniform(0.6, 1.2)
    else:
        spacing = rng.uniform(0.3, 0.6)
    inten = float(np.clip(req.intensity, 0.0, 1.0))
    speed = float(np.clip(req.rate, 0.3, 2.5))
    v_mean = p["v"] * speed * (0.85 + 0.3 * inten)

    # speed curve on the control grid: a slow wander (steps, pushes), never a loop
    tc = nd.ctrl_grid(n, sr)
    v = v_mean * nd.ctrl(n, sr, 0.4, rng, 0.8, 1.15)
    if kind == "skateboard":  # a push every few seconds, then coasting
        for tp in dsp.regular_times(dur, rng.uniform(2.5, 3.5), start_s=rng.uniform(0.5, 1.5), jitter=0.15, rng=rng):
            v = v * (1.0 + 0.18 * nd.bump(tc, tp, 0.25, 1.5))
    up = lambda c: dsp.control_up(c, n, sr / nd.CTRL_RATE)  # noqa: E731
    x = np.concatenate([[0.0], np.cumsum(v[:-1]) / nd.CTRL_RATE])   # distance travelled (m)

    # 1. rolling roar: band-limited noise, level and brightness with speed
    vr = v / p["v"]
    roar = nd.pink(n, rng)
    hi = (900.0 if carpet else (2600.0 if rough else 1800.0)) * (0.8 + 0.4 * float(np.mean(vr)))
    roar = dsp.bandpass(roar, sr, 70.0 if kind == "skateboard" else 110.0, min(hi, 0.45 * sr), order=2)
    if rough:  # grit: a granular top on the roar
        grit = dsp.highpass(nd.noise(n, rng) * (rng.random(n) < 0.05), sr, 1500.0)
        roar = roar + 0.8 * dsp.normalize_rms(grit, dsp.rms(roar))
    rot = x / (np.pi * p["d"])                         # wheel turns
    wob = 1.0 + 0.15 * np.sin(2 * np.pi * rot + rng.uniform(0, 6.3)) + 0.1 * np.sin(4 * np.pi * rot)
    roar = roar * up(np.clip(vr, 0, None) ** 1.5 * wob)

    # 2. joint clicks: each axle over each joint; a second axle follows by wheelbase / v
    out = dsp.normalize_rms(roar, 1.0)
    if not carpet:
        joints = np.arange(rng.uniform(0.0, spacing), x[-1], spacing)
        # time at which the front axle reaches each joint (x is monotonic)
        tj = np.interp(joints, x, tc)
        axles = [0.0] + ([p["base"]] if p["base"] > 0 else [])
        ts, amps = [], []
        for i, off in enumerate(axles):
            ta = np.interp(joints + off, x, tc) if off else tj
            ta = ta[(joints + off) <= x[-1]]
            ts.append(ta + rng.normal(0, 0.002, ta.size))
            a = (1.0 if i == 0 else 0.8) * rng.uniform(0.6, 1.0, ta.size)
            amps.append(a * np.interp(ta, tc, np.clip(vr, 0, 2)) ** 0.7)
        times, amp = np.concatenate(ts), np.concatenate(amps)
        keep = (times > 0.0) & (times < dur - 0.02)
        clk = _clicks(n, sr, times[keep], amp[keep], rng, p["modes"], p["bright"], soft=wood and not cobbles)
        if clk.any():
            # each click stands the same height over the roar, however many there are
            out = out + clk * ((20.0 if kind == "skateboard" else 16.0) * (0.8 + 0.5 * inten) / np.abs(clk).max())
    else:
        out = dsp.lowpass(out, sr, 900.0)

    # 3. rattle: a basket / loose parts chattering with the roar (trolleys most of all)
    if p["rattle"] > 0:
        rate = 60.0 * speed
        tr = nd.thin(dsp.poisson_times(dur, rate, rng), 0.3 + 0.7 * np.clip(vr, 0, 1), rng)
        Lr = int(0.006 * sr)
        gr = rng.standard_normal((tr.size, Lr)) * np.exp(-np.arange(Lr) / (0.0012 * sr))[None, :]
        gr *= rng.uniform(0.2, 1.0, (tr.size, 1)) ** 2
        rat = dsp.scatter_grains(n, sr, tr, gr.astype(np.float32), guard=True)
        rat = dsp.bandpass(rat, sr, 1800.0, min(6500.0, 0.45 * sr))
        if carpet:
            rat *= 0.5
        if rat.any():
            out = out + dsp.normalize_rms(rat, p["rattle"] * (1.0 if req.has("rattling", "rattle", "rattles",
                                                                               "clattering") else 0.6))
    return out
