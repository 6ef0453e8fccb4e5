"""Machines and signals: motors, rotors, turbines, sirens, beepers, phones, kettles, room tone.

Models (Farnell, *Designing Sound*, the machines and "artificial" chapters):
- motor_hum: mains magnetostriction (2 x 50/60 Hz and harmonics, a soft-clipped buzz) plus the
  rotor's own rotation harmonics; a fan adds blade-pass harmonics and blade-modulated air noise,
  a fridge a compressor with rattle, machinery a mechanical cycle of clanks and a gear whine.
- helicopter: blade-pass clock (4.5-7 Hz) -> low thump + blade slap + rotor noise gated by blade
  passage; tail rotor buzz at ~5x; turbine whine partials; optional fly-over geometry.
- jet: shaped broadband roar + fan whine partials seen through a fly-over (Doppler, 1/r, air
  absorption, pan), rear-arc roar and crackle after the pass; take-off and taxi cues.
- siren: swept (wail / yelp) or two-tone (hi-lo) square-ish tone -> horn-speaker band-limit + tanh.
- alarm_beep / phone_ring: tones from the device's spec and cadence; the classic phone is a
  hammer at 20 Hz striking two small modal gongs; modern is a speaker ringtone melody or a buzz.
- kettle_whistle: rising nucleate-boiling noise and bubble pops, then a breathy whistle tone whose
  pitch and level rise with the steam pressure.
- room_tone: low-passed pink air + ventilation + faint mains hum, very slow drift.

Shared private helpers (``_wn``, ``_pinkish``, ``_scatter`` ...) live here; ``vehicles.py``
imports them. All loops are per event (few) or vectorised.
"""
from __future__ import annotations

import numpy as np
from scipy import signal

from .. import dsp
from .base import SynthRequest, recipe

TWO_PI = 2.0 * np.pi


# --- private helpers (cheap building blocks; no per-sample Python loops) -----------------------
def _wn(n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-variance white noise (uniform: ~4x cheaper than Gaussian, sounds the same)."""
    return (rng.random(n) - 0.5) * 3.4641016


_PINK_B = np.array([0.049922035, -0.095993537, 0.050612699, -0.004408786])
_PINK_A = np.array([1.0, -2.494956002, 2.017265875, -0.522189400])


def _pinkish(n: int, rng: np.random.Generator) -> np.ndarray:
    """Pink noise by a 3-pole 1/f filter (Kellet-style), unit RMS."""
    return dsp.normalize_rms(signal.lfilter(_PINK_B, _PINK_A, _wn(n, rng)))


def _brownish(n: int, sample_rate: int, rng: np.random.Generator, corner_hz: float = 20.0) -> np.ndarray:
    """Brown noise: a leaky integrator (flat below corner_hz, 1/f^2 above), unit RMS."""
    p = np.exp(-TWO_PI * corner_hz / sample_rate)
    x = signal.lfilter([1.0 - p], [1.0, -p], _wn(n, rng))
    x -= x.mean()
    return dsp.normalize_rms(x)


def _hop(sample_rate: int) -> int:
    """Control-rate decimation (~1.4 kHz control rate)."""
    return max(8, int(round(sample_rate / 1378.0)))


def _ctl_len(n: int, hop: int) -> int:
    return n // hop + 2


def _cycles(freq_hz: np.ndarray, sample_rate: int, start: float = 0.0) -> np.ndarray:
    """Running phase in cycles of an oscillator with per-sample frequency."""
    return np.cumsum(np.asarray(freq_hz, dtype=np.float64)) / sample_rate + start


def _sin_c(cyc) -> np.ndarray:
    """sin(2 pi cyc), wrapped and evaluated in float32 (SIMD: ~15x faster than float64 sin)."""
    c = np.asarray(cyc, dtype=np.float64)
    return np.sin((TWO_PI * (c - np.floor(c))).astype(np.float32))


def _harmonics(freq_hz, sample_rate: int, amps, *, start: float = 0.0, cyc=None) -> np.ndarray:
    """Additive harmonic tone (float32) with per-sample fundamental; partials above 0.45 sr are muted."""
    if cyc is None:
        cyc = _cycles(freq_hz, sample_rate, start)
    ph = (TWO_PI * (cyc - np.floor(cyc))).astype(np.float32)  # integer multiples stay exact
    f = np.asarray(freq_hz, dtype=np.float64)
    fmax = float(np.max(f)) if f.size else 0.0
    lim = 0.45 * sample_rate
    out = np.zeros(cyc.shape[-1], dtype=np.float32)
    for k, a in enumerate(amps, start=1):
        if a == 0:
            continue
        if k * float(np.min(f)) >= lim:
            break
        s = np.sin(ph * np.float32(k))
        if k * fmax >= lim:
            s *= (k * f < lim)
        out += np.float32(a) * s
    return out


def _onepole(x: np.ndarray, sample_rate: int, tau_s: float) -> np.ndarray:
    """One-pole smoother (exponential attack/release), e.g. to round a gate."""
    p = np.exp(-1.0 / max(tau_s * sample_rate, 1e-3))
    return signal.lfilter([1.0 - p], [1.0, -p], dsp.denormal_guard(x))


def _gate(n: int, sample_rate: int, starts_s, lengths_s, *, tau_s: float = 0.002) -> np.ndarray:
    """0/1 gate (rounded edges) that is on for each (start, length)."""
    d = np.zeros(n + 1)
    s = np.clip(np.round(np.asarray(starts_s) * sample_rate).astype(np.int64), 0, n)
    e = np.clip(np.round((np.asarray(starts_s) + np.asarray(lengths_s)) * sample_rate).astype(np.int64), 0, n)
    np.add.at(d, s, 1.0)
    np.add.at(d, e, -1.0)
    g = np.minimum(np.cumsum(d)[:n], 1.0)
    return _onepole(g, sample_rate, tau_s) if tau_s > 0 else g


def _decaying_sine_filter(x: np.ndarray, sample_rate: int, freq_hz: float, t60_s: float) -> np.ndarray:
    """Two-pole filter whose impulse response is exp(-6.9 t/T60) sin(2 pi f t): one struck mode."""
    if freq_hz >= 0.47 * sample_rate:
        return np.zeros_like(x)
    r = np.exp(-6.907755 / (max(t60_s, 1e-4) * sample_rate))
    w = TWO_PI * freq_hz / sample_rate
    return signal.lfilter([0.0, r * np.sin(w)], [1.0, -2 * r * np.cos(w), r * r], dsp.denormal_guard(x))


def _fit_times(times: np.ndarray, lengths: np.ndarray, duration_s: float, *, margin_s: float = 0.05):
    """Squeeze an event schedule so that every event ends inside the take."""
    if times.size == 0:
        return times, lengths
    end = float(np.max(times + lengths))
    avail = max(duration_s - margin_s, 0.05)
    if end > avail:
        k = avail / end
        times, lengths = times * k, np.maximum(lengths * k, 0.02)
    return times, lengths


# --- motor_hum -----------------------------------------------------------------------------------
def _mains_hz(req: SynthRequest) -> float:
    if req.has("60", "60hz", "60-hz", "american", "us", "usa", "america", "canada", "canadian", "japan"):
        return 60.0
    return 50.0


@recipe("motor_hum",
        descriptions=["the steady electrical hum of a running motor",
                      "a transformer buzzing at mains frequency",
                      "an electric fan whirring in a room",
                      "a refrigerator compressor humming in a quiet kitchen",
                      "industrial machinery droning in a factory hall",
                      "a low mechanical drone of equipment running continuously"],
        keywords=["hum", "humming", "thrum", "thrumming", "throbbing", "motor", "buzz", "buzzing", "transformer", "fan", "fridge", "refrigerator",
                  "compressor", "machinery", "machine", "generator", "pump", "drone", "whirr", "whirring",
                  "appliance", "factory", "ventilator", "electrical"],
        track="fx", texture=True, stereo_width=0.2, default_duration_s=8.0)
def motor_hum(req: SynthRequest) -> np.ndarray:
    n_out = req.n
    dec = dsp.low_rate_factor(req.sample_rate, 4950.0, max_factor=4)  # content sits below the reduced Nyquist
    sr, rng = req.sample_rate // dec, req.rng
    n = -(-n_out // dec)
    hop = _hop(sr)
    k = _ctl_len(n, hop)
    cr = sr / hop
    mains = _mains_hz(req)
    inten = float(np.clip(req.intensity, 0, 1))
    if req.has("fan", "fans", "ventilator", "extractor", "ceiling fan", "air conditioner", "aircon",
               "air conditioning", "hvac", "blower", "cooling"):
        mode = "fan"
    elif req.has("fridge", "refrigerator", "freezer", "compressor", "icebox"):
        mode = "fridge"
    elif req.has("machinery", "machine", "machines", "factory", "industrial", "generator", "pump", "mill",
                 "workshop", "plant", "conveyor", "press", "engine room"):
        mode = "machinery"
    elif req.has("transformer", "mains", "electrical", "electric hum", "power line", "substation", "neon",
                 "fluorescent", "ballast", "buzz", "buzzing"):
        mode = "electrical"
    else:
        mode = "motor"

    wob = dsp.control_up(dsp.smooth_noise(k, cr, 0.4, rng, lo=0.85, hi=1.15), n, hop, hold=True)
    # mains magnetostriction: 2x mains dominant with a clipped, buzzy harmonic series
    f2 = np.full(n, 2 * mains) * (1 + 0.0005 * (dsp.control_up(dsp.smooth_noise(k, cr, 0.2, rng), n, hop, hold=True) - 0.5))
    cyc = _cycles(f2, sr, rng.random())
    buzz = 0.6 + 0.6 * inten if mode == "electrical" else 0.3
    hum = _harmonics(f2, sr, [1.0, 0.35 * buzz, 0.5 * buzz, 0.15 * buzz, 0.3 * buzz, 0.08, 0.18 * buzz,
                              0.05, 0.1 * buzz], cyc=cyc)
    hum = hum + 0.25 * _sin_c(0.5 * cyc + 0.13)  # the weaker mains fundamental
    hum = np.tanh((1.0 + 2.0 * buzz) * hum) * wob
    air = _pinkish(n, rng)
    if mode == "electrical":
        y = dsp.normalize_rms(hum) + 0.03 * dsp.highpass(air, sr, 2000.0)
        return dsp.upsample(y, dec, n_out)

    # rotor: slip speed slightly under synchronous speed (2-pole motor: ~ mains - 1..3 Hz)
    rot_hz = (mains - rng.uniform(1.0, 3.0)) * (0.5 if mode in ("fan", "fridge") else 1.0) * np.clip(req.rate, 0.5, 2)
    frot = np.full(n, rot_hz) * (1 + 0.004 * (dsp.control_up(dsp.smooth_noise(k, cr, 0.5, rng), n, hop, hold=True) - 0.5))
    rcyc = _cycles(frot, sr, rng.random())
    rotor = _harmonics(frot, sr, [1.0, 0.5, 0.3, 0.25, 0.12, 0.1, 0.06], cyc=rcyc)
    bearing = dsp.bandpass(_wn(n, rng), sr, 1500.0, 6000.0) * (0.8 + 0.2 * _sin_c(rcyc))
    if mode == "fan":
        blades = int(rng.integers(3, 6))
        bp = frot * blades
        bcyc = rcyc * blades
        blade_env = 0.5 + 0.5 * _sin_c(bcyc)
        whoosh = dsp.bandpass(air, sr, 150.0, 2500.0) * (0.55 + 0.45 * blade_env ** 2)
        tone = _harmonics(bp, sr, [1.0, 0.4, 0.2, 0.1], cyc=bcyc)
        y = (1.0 * dsp.normalize_rms(whoosh) * (0.7 + 0.3 * wob) + 0.35 * dsp.normalize_rms(tone) + 0.12 * dsp.normalize_rms(hum)
             + 0.1 * dsp.normalize_rms(rotor) + 0.03 * dsp.normalize_rms(bearing))
        return dsp.upsample(y, dec, n_out)
    if mode == "fridge":
        rattle = dsp.bandpass(_wn(n, rng), sr, 600.0, 3000.0) * np.maximum(_sin_c(rcyc * 2), 0) ** 6
        gurgle_t = dsp.poisson_times(req.duration_s, 0.5, rng)
        glen = int(0.25 * sr)
        tg = np.arange(glen) / sr
        gf = rng.uniform(300, 900, (gurgle_t.size, 1)) * (1 + 2.0 * tg[None, :])
        gr = np.sin(TWO_PI * np.cumsum(gf, axis=1) / sr) * np.exp(-tg / 0.05)[None, :] * rng.uniform(0.2, 1, (gurgle_t.size, 1))
        gurgle = dsp.overlap_add(n, np.round(gurgle_t * sr), gr)
        comp = np.tanh(2.5 * dsp.normalize_rms(rotor) * 0.5 + dsp.normalize_rms(hum) * 0.5)
        y = (dsp.normalize_rms(comp) + 0.15 * dsp.normalize_rms(rattle) + 0.08 * gurgle + 0.05 * dsp.normalize_rms(dsp.lowpass(air, sr, 400.0))) * wob
        return dsp.upsample(y, dec, n_out)
    if mode == "machinery":
        period = rng.uniform(0.6, 1.4) / np.clip(req.rate, 0.3, 3)
        times = dsp.regular_times(req.duration_s, period, start_s=rng.uniform(0, period), jitter=0.02, rng=rng)
        if req.count:
            times = (np.arange(req.count) + 0.5) / req.count * req.duration_s
        ln = int(0.25 * sr)
        tt = np.arange(ln) / sr
        clank = np.zeros((times.size, ln))
        for j, f in enumerate((180.0, 460.0, 1130.0, 2270.0)):
            fj = f * rng.uniform(0.95, 1.05, (times.size, 1))
            clank += (1.0 / (j + 1)) * np.exp(-tt / (0.08 / (j + 1)))[None, :] * np.sin(TWO_PI * fj * tt[None, :])
        clank *= rng.uniform(0.7, 1.0, (times.size, 1))
        clanks = dsp.overlap_add(n, np.round(times * sr), clank)
        whine = _sin_c(rcyc * rng.integers(17, 41)) * 0.5
        rumble = dsp.lowpass(_brownish(n, sr, rng), sr, 150.0)
        y = (dsp.normalize_rms(hum) * 0.2 + dsp.normalize_rms(rotor) * 0.35 + 0.2 * dsp.normalize_rms(rumble) + 0.03 * whine + 0.04 * dsp.normalize_rms(bearing)
             + (0.6 + 0.8 * inten) * clanks / (np.max(np.abs(clanks)) + 1e-9) * 8.0)
        return dsp.upsample(y, dec, n_out)
    # plain motor
    y = dsp.normalize_rms(hum) * 0.7 + dsp.normalize_rms(rotor) * 0.8 + 0.06 * dsp.normalize_rms(bearing) + 0.05 * dsp.normalize_rms(dsp.lowpass(air, sr, 800.0))
    return dsp.upsample(y * wob, dec, n_out)


# --- helicopter ----------------------------------------------------------------------------------
def _is_passing(req: SynthRequest) -> bool:
    return req.has("pass", "passes", "passing", "past", "flyover", "fly-over", "flies over", "flying over",
                   "overhead", "flies by", "fly by", "flyby", "goes by", "drives by", "drives past", "whooshes",
                   "approaches", "approaching", "passing by")


@recipe("helicopter",
        descriptions=["the rhythmic chopping thump of rotor blades overhead",
                      "a chopper hovering with whup-whup blade slap and turbine whine",
                      "a rescue helicopter flying over the area",
                      "rotor wash beating the air as an aircraft hovers",
                      "a news chopper circling above the city"],
        keywords=["helicopter", "chopper", "rotor", "rotors", "blades", "hover", "hovering", "heli",
                  "whirlybird", "medevac"],
        track="fx", texture=True, stereo_width=0.15, default_duration_s=8.0)
def helicopter(req: SynthRequest) -> np.ndarray:
    n_out = req.n
    dec = dsp.low_rate_factor(req.sample_rate, 9000.0, max_factor=2)  # content sits below the reduced Nyquist
    sr, rng = req.sample_rate // dec, req.rng
    n = -(-n_out // dec)
    hop = _hop(sr)
    k = _ctl_len(n, hop)
    cr = sr / hop
    inten = float(np.clip(req.intensity, 0, 1))
    size = float(np.clip(req.size, 0, 1))
    if req.has("large", "military", "chinook", "big", "heavy", "huge"):
        size = max(size, 0.85)
    if req.has("small", "light", "tiny", "toy", "drone"):
        size = min(size, 0.15)
    f_bp = (6.6 - 2.0 * size) * rng.uniform(0.95, 1.05) * float(np.clip(req.rate, 0.75, 1.35) ** 0.3)
    fb = f_bp * (1 + 0.01 * (dsp.control_up(dsp.smooth_noise(k, cr, 0.3, rng), n, hop, hold=True) - 0.5))
    cyc = _cycles(fb, sr, rng.random())
    kk = np.floor(cyc)
    frac = cyc - kk
    ki = (kk - kk[0]).astype(np.int64)
    nb = int(ki[-1]) + 2
    blades = 2 if size < 0.5 else 4
    track = 1 + 0.12 * rng.standard_normal(blades)
    a = track[np.arange(nb) % blades] * (1 + 0.06 * rng.standard_normal(nb))
    a_s = a[ki]
    thump_p = a_s * np.exp(-frac * 22.0)
    slap_p = a_s * np.exp(-frac * 70.0)
    body_env = 0.35 + 0.65 * np.exp(-frac * 5.0)
    thump = dsp.resonator(thump_p, sr, 55.0 + 40 * (1 - size), 1.6) + 0.8 * dsp.lowpass(thump_p, sr, 180.0)
    noise = _wn(n, rng)
    slap = dsp.bandpass(noise * slap_p, sr, 350.0, 2600.0)
    rotor_air = dsp.lowpass(_pinkish(n, rng), sr, 900.0) * body_env
    # tail rotor: ~5x the blade rate, a buzzy saw
    tcyc = cyc * rng.uniform(4.6, 6.0)
    saw = 2.0 * (tcyc - np.floor(tcyc)) - 1.0
    tail = dsp.bandpass(saw, sr, 90.0, 1400.0) * (0.8 + 0.2 * _sin_c(cyc))
    # turbine whine: two beating partials + hiss
    ft = min(rng.uniform(4500.0, 7000.0), 0.4 * sr)
    fturb = np.full(n, ft) * (1 + 0.006 * (dsp.control_up(dsp.smooth_noise(k, cr, 0.2, rng), n, hop, hold=True) - 0.5))
    tc = _cycles(fturb, sr)
    whine = _sin_c(tc) + 0.6 * _sin_c(tc * 1.013 + 0.3) + 0.25 * _sin_c(tc * 0.5)
    hiss = dsp.highpass(noise, sr, 3500.0)
    y = (1.0 * dsp.normalize_rms(thump) + (0.35 + 0.5 * inten) * dsp.normalize_rms(slap) + 0.45 * dsp.normalize_rms(rotor_air)
         + 0.22 * dsp.normalize_rms(tail) + 0.06 * whine + 0.05 * hiss)
    if _is_passing(req):
        from .vehicles import _doppler_pan
        v = rng.uniform(35.0, 60.0)
        d0 = {"close": 25.0, "medium": 60.0, "far": 150.0}.get(req.distance, 60.0)
        return dsp.upsample(_doppler_pan(y, sr, n, t0=req.duration_s * rng.uniform(0.45, 0.55), v=v, d0=d0,
                            sign=rng.choice([-1.0, 1.0]), air=1.5, floor=0.08), dec, n_out)
    return dsp.upsample(y * (0.85 + 0.15 * dsp.control_up(dsp.smooth_noise(k, cr, 0.15, rng), n, hop, hold=True)), dec, n_out)


# --- jet -----------------------------------------------------------------------------------------
@recipe("jet",
        descriptions=["a jet aircraft roaring overhead as it flies past",
                      "a fighter plane screaming low across the sky",
                      "an airliner taking off with a thunderous roar",
                      "the whine and rumble of jet engines",
                      "a plane flying over, the roar swelling and fading"],
        keywords=["jet", "jets", "plane", "airplane", "aeroplane", "aircraft", "airliner", "fighter", "flyover",
                  "takeoff", "afterburner", "turbine", "turbofan", "airport", "runway", "rocket", "rockets",
                  "rocket launch", "blast off", "blasts off", "liftoff", "lift off", "lifts off"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=10.0)
def jet(req: SynthRequest) -> np.ndarray:
    n_out = req.n
    dec = dsp.low_rate_factor(req.sample_rate, 9000.0, max_factor=2)  # content sits below the reduced Nyquist
    sr, rng = req.sample_rate // dec, req.rng
    n = -(-n_out // dec)
    dur = req.duration_s
    hop = _hop(sr)
    k = _ctl_len(n, hop)
    cr = sr / hop
    inten = float(np.clip(req.intensity, 0, 1))
    takeoff = req.has("takeoff", "take-off", "taking off", "takes off", "afterburner", "launch", "departing",
                      "departs", "lifts off")
    taxi = req.has("taxi", "taxiing", "idle", "idling", "idles", "spooling", "spool", "ground", "parked", "starts up")
    fighter = req.has("fighter", "military", "f-16", "f16", "afterburner", "low", "airshow", "supersonic")
    tc = np.arange(k) * hop / sr
    fw0 = rng.uniform(2300.0, 3600.0) * (1.2 if fighter else 1.0)
    if taxi and not takeoff:
        spool = np.full(k, 0.45)
    elif takeoff:
        t_on = 0.12 * dur
        spool = 0.45 + 0.55 * np.clip((tc - t_on) / max(0.25 * dur, 0.3), 0, 1) ** 0.7
    else:
        spool = np.full(k, 1.0)
    spool = spool * (1 + 0.01 * (dsp.smooth_noise(k, cr, 0.5, rng) - 0.5))
    fw = dsp.control_up(fw0 * (0.55 + 0.45 * spool), n, hop, hold=True)
    wcyc = _cycles(fw, sr, rng.random())
    whine = _sin_c(wcyc) + 0.5 * _sin_c(wcyc * 2.0 + 0.2) + 0.3 * _sin_c(wcyc * 0.37)
    whine = whine * (np.asarray(fw) < 0.45 * sr)
    pk = _pinkish(n, rng)
    br = _brownish(n, sr, rng, 30.0)
    roar = dsp.lowpass(pk, sr, 2500.0, order=2) + 0.6 * br
    hiss = dsp.highpass(pk, sr, 4000.0)
    sp = dsp.control_up(spool, n, hop, hold=True)
    src = (dsp.normalize_rms(roar) * (0.3 + 0.7 * sp ** 2) + (0.25 if taxi and not takeoff else 0.12) * whine
           + 0.12 * dsp.normalize_rms(hiss) * sp)
    if taxi and not takeoff:
        return dsp.upsample(src * (0.9 + 0.1 * dsp.control_up(dsp.smooth_noise(k, cr, 0.2, rng), n, hop, hold=True)), dec, n_out)
    # crackle (shock-associated noise) in the rear arc / at full thrust
    ct = dsp.poisson_times(dur, 40.0 + 60.0 * inten, rng)
    gl = max(8, int(0.004 * sr))
    g = rng.standard_normal((ct.size, gl)) * np.exp(-np.arange(gl) / (0.0012 * sr))[None, :]
    crack = dsp.highpass(dsp.overlap_add(n, np.round(ct * sr), g), sr, 700.0)
    from .vehicles import _doppler_pan
    if takeoff:
        # the aircraft rolls and climbs away: recedes in the second half
        v = rng.uniform(60.0, 80.0)
        t0 = dur * rng.uniform(0.5, 0.6)
        d0 = {"close": 60.0, "medium": 120.0, "far": 300.0}.get(req.distance, 120.0)
    else:
        v = rng.uniform(120.0, 200.0) if fighter else rng.uniform(70.0, 110.0)
        t0 = dur * rng.uniform(0.45, 0.55)
        d0 = {"close": 80.0, "medium": 160.0, "far": 400.0}.get(req.distance, 160.0)
    sign = float(rng.choice([-1.0, 1.0]))
    t = np.arange(n) / sr
    behind = 1.0 / (1.0 + np.exp(-(t - t0) * v / (0.6 * d0)))  # 0 approaching .. 1 receding
    src = src * (0.8 + 0.7 * behind) + (0.4 + 0.6 * inten) * 0.5 * dsp.normalize_rms(crack) * behind * sp
    return dsp.upsample(_doppler_pan(src, sr, n, t0=t0, v=v, d0=d0, sign=sign, air=2.0, floor=0.05), dec, n_out)


# --- siren ---------------------------------------------------------------------------------------
def _siren_mode(req: SynthRequest) -> str:
    if req.has("hi-lo", "hi lo", "hilo", "two-tone", "two tone", "nee-naw", "nee naw", "european", "europe",
               "british", "uk", "london", "french", "paris", "german", "germany", "italian", "martinshorn"):
        return "hilo"
    if req.has("yelp", "yelping", "rapid", "fast"):
        return "yelp"
    if req.has("chase", "pursuit", "responding", "urgent", "speeding"):
        return "mixed"
    return "wail"


def _siren_freq(mode: str, k: int, cr: float, rng: np.random.Generator, rate: float) -> np.ndarray:
    tc = np.arange(k) / cr
    lo, hi = rng.uniform(600.0, 700.0), rng.uniform(1350.0, 1550.0)
    rate = float(np.clip(rate, 0.4, 2.5))

    def swept(period, rise):
        u = (tc / period + rng.random()) % 1.0
        up = np.sin(0.5 * np.pi * np.minimum(u / rise, 1.0))
        down = np.cos(0.5 * np.pi * np.clip((u - rise) / (1 - rise), 0, 1))
        s = np.where(u < rise, up, down)
        return lo + (hi - lo) * s

    if mode == "hilo":
        f_lo = rng.uniform(420.0, 470.0)
        f_hi = f_lo * rng.uniform(1.31, 1.36)
        period = rng.uniform(1.0, 1.4) / rate
        u = (tc / period + rng.choice([0.0, 0.5])) % 1.0
        f = np.where(u < 0.5, f_hi, f_lo)
        return _onepole(f, int(round(cr)), 0.012)
    if mode == "yelp":
        return swept(rng.uniform(0.26, 0.34) / rate, 0.8)
    if mode == "mixed":
        w = swept(rng.uniform(4.0, 5.0) / rate, 0.55)
        y = swept(rng.uniform(0.26, 0.34) / rate, 0.8)
        sel = (tc > 0.4 * tc[-1]) & (tc < 0.8 * tc[-1])
        return _onepole(np.where(sel, y, w), int(round(cr)), 0.01)
    return swept(rng.uniform(4.0, 5.5) / rate, 0.55)


@recipe("siren",
        descriptions=["an emergency vehicle siren wailing up and down",
                      "a police car racing past with its siren blaring",
                      "an ambulance with a two-tone nee-naw warning",
                      "a fire engine's siren rising and falling in pitch",
                      "an air-raid style warning tone sweeping slowly"],
        keywords=["siren", "sirens", "police", "ambulance", "fire engine", "firetruck", "wail", "wailing",
                  "yelp", "nee-naw", "emergency", "cop", "cops", "patrol"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=6.0)
def siren(req: SynthRequest) -> np.ndarray:
    sr, n, rng = req.sample_rate, req.n, req.rng
    hop = _hop(sr)
    k = _ctl_len(n, hop)
    cr = sr / hop
    mode = _siren_mode(req)
    f = dsp.control_up(_siren_freq(mode, k, cr, rng, req.rate), n, hop, hold=True)
    f = f * (1 + 0.002 * (dsp.control_up(dsp.smooth_noise(k, cr, 3.0, rng), n, hop, hold=True) - 0.5))
    # square-ish electronic driver: odd-dominant harmonic series, band-limited
    tone = _harmonics(f, sr, [1.0, 0.06, 0.33, 0.04, 0.2, 0.03, 0.14, 0.02, 0.1], start=rng.random())
    # horn loudspeaker: band-limit, a couple of horn resonances, light driver distortion
    y = dsp.bandpass(tone.astype(np.float64), sr, 330.0, 5000.0)
    y = y + 0.5 * dsp.resonator(y, sr, rng.uniform(1700.0, 2300.0), 2.0)
    y = np.tanh(1.8 * dsp.normalize_rms(y)) + 0.01 * _wn(n, rng)
    if _is_passing(req):
        from .vehicles import _doppler_pan
        v = rng.uniform(14.0, 25.0)
        d0 = {"close": 6.0, "medium": 15.0, "far": 60.0}.get(req.distance, 15.0)
        return _doppler_pan(y, sr, n, t0=req.duration_s * rng.uniform(0.45, 0.55), v=v, d0=d0,
                            sign=float(rng.choice([-1.0, 1.0])), air=1.0, floor=0.1)
    return y


# --- alarm_beep ----------------------------------------------------------------------------------
def _beep_schedule(mode: str, dur: float, count: int | None, rng, rate: float):
    """(start times, lengths) of the beeps for a device pattern."""
    rate = float(np.clip(rate, 0.4, 2.5))
    if mode == "smoke":     # temporal-three: 3 x (0.5 on, 0.5 off), then 1.5 s off
        unit = [(0.0, 0.5), (1.0, 0.5), (2.0, 0.5)]
        period = 4.0
    elif mode == "chirp":   # low-battery chirp
        unit = [(0.0, 0.06)]
        period = 3.0
    elif mode == "reverse":
        unit = [(0.0, 0.5)]
        period = 1.0
    elif mode == "timer":
        unit = [(0.0, 0.3), (0.55, 0.3), (1.1, 0.3)]
        period = 3.0
    else:                   # digital alarm clock: 4 quick beeps per second
        unit = [(0.0, 0.075), (0.14, 0.075), (0.28, 0.075), (0.42, 0.075)]
        period = 1.0
    unit = [(a / rate, b / rate) for a, b in unit]
    period /= rate
    start = rng.uniform(0.05, 0.2) if dur > 0.6 else 0.02
    ts, ls = [], []
    c = 0
    while True:
        for a, b in unit:
            t = start + c * period + a
            if count is not None:
                if len(ts) >= count:
                    break
            elif t + 0.5 * b > dur:
                break
            ts.append(t)
            ls.append(b)
        else:
            c += 1
            if count is None and start + c * period > dur:
                break
            continue
        break
    ts, ls = np.asarray(ts), np.asarray(ls)
    if count is not None:
        ts, ls = _fit_times(ts, ls, dur)
    return ts, ls


@recipe("alarm_beep",
        descriptions=["a digital alarm clock beeping insistently",
                      "a smoke detector sounding its shrill three-beep alarm",
                      "an electronic beeper going off repeatedly",
                      "a piercing high-pitched warning beep pattern",
                      "a kitchen timer beeping that the food is ready"],
        keywords=["alarm", "beep", "beeping", "beeps", "alarm clock", "smoke alarm", "smoke detector", "detector",
                  "timer", "beeper", "buzzer", "wake", "reversing", "microwave", "flatline", "flatlines",
                  "flatlining", "monitor beeping", "heart monitor"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=5.0)
def alarm_beep(req: SynthRequest) -> np.ndarray:
    sr, n, rng = req.sample_rate, req.n, req.rng
    if req.has("smoke", "fire alarm", "detector", "carbon monoxide", "evacuate"):
        mode, f0 = "smoke", rng.uniform(3050.0, 3400.0)
    elif req.has("chirp", "chirps", "low battery", "battery"):
        mode, f0 = "chirp", rng.uniform(3000.0, 3500.0)
    elif req.has("reversing", "reverse", "backing", "backs up", "truck reversing", "forklift"):
        mode, f0 = "reverse", rng.uniform(1000.0, 1250.0)
    elif req.has("microwave", "timer", "oven", "kitchen", "done", "finished", "ready"):
        mode, f0 = "timer", rng.uniform(1800.0, 2600.0)
    else:
        mode, f0 = "clock", float(rng.choice([2048.0, 2600.0, 3000.0, 3500.0])) * rng.uniform(0.98, 1.02)
    f0 = min(f0, 0.4 * sr)
    ts, ls = _beep_schedule(mode, req.duration_s, req.count, rng, req.rate)
    gate = _gate(n, sr, ts, ls, tau_s=0.0015)
    f = np.full(n, f0)
    # piezo: a square-ish drive with its own resonance; a little pitch instability
    tone = _harmonics(f, sr, [1.0, 0.0, 0.3, 0.0, 0.15, 0.0, 0.08], start=rng.random()).astype(np.float64)
    tone = tone + 0.3 * dsp.resonator(tone, sr, f0 * 1.02, 8.0)
    y = np.tanh(1.5 * tone) * gate
    return y + 1e-4 * _wn(n, rng)


# --- phone_ring ----------------------------------------------------------------------------------
def _ring_schedule(dur: float, count: int | None, period: float, on: float, rng):
    start = rng.uniform(0.05, 0.2) if dur > 1.0 else 0.02
    if count is None:
        m = max(1, int(np.floor((dur - start - 0.3) / period)) + 1)
    else:
        m = int(count)
    if m > 1:
        period = min(period, (dur - start - min(on, 0.6 * period) - 0.05) / (m - 1))
        period = max(period, 0.25)
    on_eff = min(on, 0.6 * period) if m > 1 else min(on, max(dur - start - 0.05, 0.1))
    ts = start + period * np.arange(m)
    ls = np.full(m, on_eff)
    if count is not None:
        ts, ls = _fit_times(ts, ls, dur)
    return ts, ls


def _bell_ringer(n, sr, rng, ts, ls, uk: bool) -> np.ndarray:
    """Electromechanical ringer: a hammer at ~20 Hz alternately striking two small gongs."""
    out = np.zeros(n)
    fa = rng.uniform(1000.0, 1200.0)
    fb = fa * rng.uniform(1.08, 1.16)
    ratios = np.array([1.0, 2.32, 4.25, 6.63])
    t60 = np.array([0.9, 0.5, 0.3, 0.18])
    amps = np.array([1.0, 0.6, 0.35, 0.2])
    fr = rng.uniform(18.0, 22.0)
    tail = int(1.0 * sr)
    for t, L in zip(ts, ls):
        bursts = [(t, L)]
        if uk:  # "brr-brr": two short bursts per ring
            b = min(0.4, L * 0.4)
            bursts = [(t, b), (t + b + min(0.2, L * 0.2), b)]
        s0 = int(round(t * sr))
        w = min(n - s0, int(L * sr) + tail)
        if w <= 0:
            continue
        imp = np.zeros((2, w))
        for bt, bl in bursts:
            m = max(1, int(bl * 2 * fr))
            st = (bt - t) + np.arange(m) / (2 * fr) + rng.normal(0, 0.0008, m)
            a = (1 + 0.15 * rng.standard_normal(m)) * np.minimum(1.0, (np.arange(m) + 1) / 3.0)
            idx = np.clip(np.round(st * sr).astype(np.int64), 0, w - 1)
            np.add.at(imp[0], idx[0::2], a[0::2])
            np.add.at(imp[1], idx[1::2], a[1::2])
        ring = np.zeros(w)
        for row, f in ((0, fa), (1, fb)):
            for r, d, a in zip(ratios, t60, amps):
                ring += a * _decaying_sine_filter(imp[row], sr, f * r * rng.uniform(0.995, 1.005), d)
        # hammer click / rattle on each strike
        ring += 0.4 * dsp.highpass(imp[0] + imp[1], sr, 3000.0)
        out[s0:s0 + w] += ring
    return out


def _ringtone(n, sr, rng, ts, ls) -> np.ndarray:
    """A speaker ringtone: a short marimba-like melody, the same tune every ring (as phones do)."""
    scale = np.array([0, 2, 4, 7, 9, 12, 14, 16])
    root = 72 + int(rng.integers(0, 8))
    m = int(rng.integers(5, 9))
    notes = root + scale[rng.integers(0, scale.size, m)]
    step = rng.uniform(0.11, 0.17)
    rel = np.arange(m) * step
    rel = rel + np.where(np.arange(m) >= m // 2, step * 0.5, 0.0)  # two phrases
    freqs = 440.0 * 2 ** ((notes - 69) / 12.0)
    L = int(0.35 * sr)
    tt = np.arange(L) / sr
    starts, gf = [], []
    for t, on in zip(ts, ls):
        sc = min(1.0, on / (rel[-1] + step))
        for r, f in zip(rel * sc, freqs):
            starts.append(t + r)
            gf.append(f)
    starts = np.asarray(starts)
    gf = np.asarray(gf)[:, None]
    env = (np.minimum(tt / 0.003, 1.0) * np.exp(-tt / 0.05) * np.clip((step * 0.9 - tt) / 0.01, 0, 1))[None, :]
    ok4 = (4 * gf < 0.45 * sr)
    g = env * (np.sin(TWO_PI * gf * tt[None, :]) + 0.3 * ok4 * np.sin(TWO_PI * 4 * gf * tt[None, :])
               * np.exp(-tt / 0.03)[None, :])
    y = dsp.overlap_add(n, np.round(starts * sr), g)
    y = dsp.bandpass(y, sr, 450.0, min(7000.0, 0.45 * sr))  # tiny phone speaker
    return np.tanh(1.5 * dsp.normalize_rms(y))


def _vibrate(n, sr, rng, ts, ls) -> np.ndarray:
    f = rng.uniform(150.0, 220.0)
    gate = _gate(n, sr, ts, ls, tau_s=0.02)
    cyc = _cycles(np.full(n, f), sr)
    motor = _harmonics(np.full(n, f), sr, [1.0, 0.5, 0.4, 0.2, 0.15], cyc=cyc)
    rattle = dsp.bandpass(_wn(n, rng), sr, 800.0, 4000.0) * np.maximum(_sin_c(cyc), 0) ** 8
    return (dsp.normalize_rms(motor) + 0.6 * dsp.normalize_rms(rattle)) * gate


@recipe("phone_ring",
        descriptions=["an old telephone ringing with a metal bell",
                      "a mobile phone playing its ringtone",
                      "a landline ringing in an empty office",
                      "a cell phone buzzing and chiming with an incoming call",
                      "the insistent trill of a desk phone waiting to be answered"],
        keywords=["phone", "telephone", "ring", "ringing", "rings", "ringtone", "cellphone", "mobile",
                  "landline", "smartphone", "call", "incoming call"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=8.0)
def phone_ring(req: SynthRequest) -> np.ndarray:
    sr, n, rng = req.sample_rate, req.n, req.rng
    rate = float(np.clip(req.rate, 0.5, 2.0))
    if req.has("vibrate", "vibrates", "vibrating", "vibration", "buzzes", "buzzing", "silent mode"):
        ts, ls = _ring_schedule(req.duration_s, req.count, 1.6 / rate, 0.9 / rate, rng)
        return _vibrate(n, sr, rng, ts, ls)
    if req.has("mobile", "cell", "cellphone", "smartphone", "ringtone", "iphone", "android", "digital",
               "modern", "cell phone", "mobile phone"):
        ts, ls = _ring_schedule(req.duration_s, req.count, 2.6 / rate, 1.6 / rate, rng)
        return _ringtone(n, sr, rng, ts, ls)
    uk = req.has("british", "uk", "english", "london", "double ring", "brr-brr")
    if uk:
        ts, ls = _ring_schedule(req.duration_s, req.count, 3.0 / rate, 1.0 / rate, rng)
    else:
        ts, ls = _ring_schedule(req.duration_s, req.count, 6.0 / rate, 2.0 / rate, rng)
    return _bell_ringer(n, sr, rng, ts, ls, uk) + 1e-5 * _wn(n, rng)


# --- kettle_whistle ------------------------------------------------------------------------------
@recipe("kettle_whistle",
        descriptions=["a kettle coming to the boil and starting to whistle",
                      "a stovetop kettle shrieking as the water boils",
                      "water rumbling in a pot then a shrill steam whistle",
                      "a whistling teakettle on the stove"],
        keywords=["kettle", "teakettle", "whistle", "whistling", "boil", "boiling", "steam", "stove", "tea"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=8.0)
def kettle_whistle(req: SynthRequest) -> np.ndarray:
    sr, n, rng = req.sample_rate, req.n, req.rng
    dur = req.duration_s
    hop = _hop(sr)
    k = _ctl_len(n, hop)
    cr = sr / hop
    inten = float(np.clip(req.intensity, 0, 1))
    tc = np.arange(k) / cr
    already = req.has("whistling", "shrieking", "screaming", "shrill")
    t_w = (0.12 if already else rng.uniform(0.38, 0.48)) * dur
    boil = np.clip(tc / max(t_w, 1e-3), 0, 1) ** 1.5 if not already else np.ones(k)
    boil = np.maximum(boil, 0.15)
    b_s = dsp.control_up(boil, n, hop, hold=True)
    # nucleate boiling: a band of noise that rises and brightens + bubble pops (dense toward the boil)
    wn = _wn(n, rng)
    lowb = dsp.bandpass(wn, sr, 150.0, 900.0)
    hib = dsp.bandpass(wn, sr, 900.0, 4000.0)
    flick = dsp.control_up(dsp.smooth_noise(k, cr, 8.0, rng, lo=0.4, hi=1.0), n, hop, hold=True)
    bed = (dsp.normalize_rms(lowb) * (0.4 + 0.6 * b_s) + dsp.normalize_rms(hib) * b_s ** 2) * flick * b_s
    lam = 15.0 + 45.0 * inten
    bt = dsp.poisson_times(dur, lam, rng)
    keep = rng.random(bt.size) < np.interp(bt, tc, boil) ** 1.5
    bt = bt[keep]
    L = int(0.02 * sr)
    tt = np.arange(L) / sr
    bf = rng.uniform(350.0, 1500.0, (bt.size, 1))
    bubbles = np.sin(TWO_PI * bf * (tt + 60.0 * tt ** 2)[None, :]) * np.exp(-tt / 0.006)[None, :]
    bubbles *= rng.uniform(0.2, 1.0, (bt.size, 1))
    pops = dsp.overlap_add(n, np.round(bt * sr), bubbles)
    boil_sig = 0.5 * bed + 0.6 * pops / (dsp.rms(pops) + 1e-9) * 0.3
    # whistle: pressure builds after t_w; the tone sputters in, then rises in pitch and level
    p = np.clip((tc - t_w) / max(0.35 * dur, 0.3), 0, 1)
    f0 = rng.uniform(1500.0, 2300.0) * (1.15 - 0.3 * float(np.clip(req.size, 0, 1)))
    f0 = min(f0, 0.3 * sr)
    fcurve = f0 * (0.9 + 0.18 * p ** 0.7) * (1 + 0.004 * (dsp.smooth_noise(k, cr, 12.0, rng) - 0.5))
    amp = p ** 0.8
    sput = np.clip((tc - t_w) / 0.8, 0, 1)
    amp = amp * np.where(sput < 1, 0.5 + 0.5 * (dsp.smooth_noise(k, cr, 9.0, rng) > 0.5), 1.0)
    amp = _onepole(amp, int(round(cr)), 0.02)
    fa = dsp.control_up(fcurve, n, hop, hold=True)
    cyc = _cycles(fa, sr, rng.random())
    tone = _sin_c(cyc) + 0.08 * _sin_c(2 * cyc) * (2 * fa < 0.45 * sr) + 0.3 * _sin_c(cyc * 1.006)
    breath = dsp.resonator(wn, sr, float(np.mean(fcurve[-k // 4:])), 12.0)
    whistle = (dsp.normalize_rms(tone) + 0.25 * dsp.normalize_rms(breath)) * dsp.control_up(amp, n, hop, hold=True)
    return boil_sig + (0.8 + 0.6 * inten) * whistle


# --- room_tone -----------------------------------------------------------------------------------
@recipe("room_tone",
        descriptions=["the quiet background air of an empty room",
                      "near silence indoors with a faint hum of the building",
                      "the still ambience of an office after hours",
                      "a hushed interior with only soft ventilation noise",
                      "quiet indoor presence with nothing happening"],
        keywords=["room tone", "roomtone", "room", "silence", "quiet", "ambience", "presence", "interior",
                  "indoors", "still", "hush", "hvac", "ventilation"],
        track="ambience", texture=True, stereo_width=0.8, default_duration_s=10.0)
def room_tone(req: SynthRequest) -> np.ndarray:
    n_out = req.n
    dec = dsp.low_rate_factor(req.sample_rate, 4950.0, max_factor=4)  # content sits below the reduced Nyquist
    sr, rng = req.sample_rate // dec, req.rng
    n = -(-n_out // dec)
    hop = _hop(sr)
    k = _ctl_len(n, hop)
    cr = sr / hop
    size = float(np.clip(req.size, 0, 1))
    cut = 550.0 - 300.0 * size
    vent = 0.12 + (0.35 if req.has("hvac", "ventilation", "air conditioning", "vent", "office", "server",
                                    "air con", "aircon") else 0.0)
    drift = dsp.control_up(dsp.smooth_noise(k, cr, 0.08, rng, lo=0.85, hi=1.1), n, hop, hold=True)
    chans = []
    for _ in range(2):
        pk = _pinkish(n, rng)
        air = dsp.lowpass(pk, sr, cut, order=2)
        ven = dsp.bandpass(pk, sr, 200.0, 3000.0)
        chans.append(dsp.normalize_rms(air) + vent * dsp.normalize_rms(ven))
    mains = _mains_hz(req)
    f = np.full(n, 2 * mains)
    cyc = _cycles(f, sr, rng.random())
    hum = _harmonics(f, sr, [1.0, 0.3, 0.2], cyc=cyc) + 0.5 * _sin_c(0.5 * cyc)
    hum_g = 0.04 + (0.06 if req.has("hum", "fridge", "fluorescent", "electrical") else 0.0)
    y = dsp.upsample(np.stack([c * drift + hum_g * hum for c in chans]), dec, n_out)
    return y + 0.01 * _wn(2 * n_out, rng).reshape(2, n_out)  # a faint full-band air floor
