"""Radio, walkie-talkie, intercom and PA: static, tuning, transmissions.

Everything goes through a small speaker: band-limited (about 300 Hz - 3.4 kHz) with a
little saturation. Layers, picked by caption cues:

- static: band-limited noise with a slowly fluctuating level plus impulsive crackles
  (Poisson clusters of sub-millisecond clicks, heavy-tailed amplitudes: a high crest
  factor, unlike the even hiss of wind or rain);
- tuning between stations: as the dial sweeps, each station passes through as a
  heterodyne whistle gliding down to zero beat and back up, with a burst of the station
  (music-like harmonic tones or speech-like babble) near the centre, static between;
- voice over the radio / dispatch chatter: speech-like babble (a glottal source with an
  intonation contour through formants that change every syllable, 4-6 syllables per
  second, in phrases) with static underneath;
- walkie-talkie: transmissions keyed on with a click, a phrase of babble in static, then
  the squelch tail, a burst of hiss cut off abruptly ("kssht"), silence between;
- intercom / PA: babble through a boomier horn, mains hum, hardly any static.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _nature_dsp as nd
from . import _voice as V
from .base import SynthRequest, recipe

_VOWELS = [V.Vowel((730.0, 1090.0, 2440.0), (90.0, 110.0, 170.0)),
           V.Vowel((530.0, 1840.0, 2480.0), (60.0, 100.0, 140.0)),
           V.Vowel((270.0, 2290.0, 3010.0), (60.0, 90.0, 150.0)),
           V.Vowel((570.0, 840.0, 2410.0), (70.0, 100.0, 150.0)),
           V.Vowel((300.0, 870.0, 2240.0), (60.0, 90.0, 150.0)),
           V.Vowel((660.0, 1720.0, 2410.0), (80.0, 110.0, 160.0))]


def _speaker(x: np.ndarray, sr: int, lo: float = 320.0, hi: float = 3200.0, drive: float = 1.5) -> np.ndarray:
    """A small speaker: steep band-pass and a little saturation."""
    y = dsp.bandpass(x, sr, lo, hi, order=4)
    y = dsp.soft_clip(y / (np.max(np.abs(y)) + 1e-12), drive)
    return dsp.bandpass(y, sr, lo, hi, order=3)


def _babble(n: int, sr: int, rng, spans, *, female: bool = False) -> np.ndarray:
    """Speech-like babble filling the (start_s, end_s) spans: phrases of syllables."""
    sri = V.internal_rate(sr, 4000.0)
    times, lens = [], []
    for a, b in spans:
        t = a + rng.uniform(0.0, 0.1)
        while t < b - 0.12:
            d = rng.uniform(0.1, 0.24)
            times.append(t)
            lens.append(min(d, b - t))
            t += d + rng.uniform(0.01, 0.07)
            if rng.random() < 0.08:   # a breath between words
                t += rng.uniform(0.15, 0.35)
    if not times:
        return np.zeros(n)
    base = rng.uniform(190, 240) if female else rng.uniform(100, 140)
    total = times[-1] + 1.0
    knots = rng.uniform(0.85, 1.2, int(total * 2) + 3)     # intonation: slow drift

    def syl(i):
        t0, d = times[i], lens[i]
        k0 = float(np.interp(t0 * 2, np.arange(knots.size), knots))
        f0 = lambda u: base * k0 * (1.05 - 0.1 * u)
        env = lambda u: V.ramp(u, 0.0, 0.15) * (1 - V.ramp(u, 0.7, 1.0))
        a, b = rng.integers(0, len(_VOWELS), 2)
        ph = V.Phonation(jitter=0.02, rough=0.05, breath=0.15, tilt_hz=2500.0)
        y = V.voice_call(sri, rng, d, f0, env, ph, _VOWELS[a], _VOWELS[b], mix=lambda u: V.ramp(u, 0.2, 0.8))
        if rng.random() < 0.5:   # a consonant: a short fricative burst at the onset
            L = min(int(0.04 * sri), y.size)
            fr = rng.standard_normal(L) * np.hanning(2 * L)[L:] * 0.5 * np.max(np.abs(y))
            y[:L] += fr
        return y

    gains = rng.uniform(0.6, 1.0, len(times))
    return V.render_calls(n, sr, sri, times, gains, syl)


def _tones(n: int, sr: int, rng, spans) -> np.ndarray:
    """Music-like fragments: a few harmonic notes on a scale, for a station heard in passing."""
    out = np.zeros(n)
    scale = np.array([0, 2, 4, 5, 7, 9, 11, 12])
    for a, b in spans:
        root = rng.uniform(180, 330)
        t = a
        while t < b - 0.05:
            d = min(rng.choice([0.15, 0.25, 0.35]), b - t)
            L = int(d * sr)
            if L < 32:
                break
            tt = np.arange(L) / sr
            f = root * 2 ** (rng.choice(scale) / 12)
            note = sum((0.6 ** h) * np.sin(2 * np.pi * f * (h + 1) * tt) for h in range(5))
            note *= np.minimum(tt / 0.01, 1) * np.exp(-tt / (0.6 * d + 0.05))
            dsp.place_signal(out, note, int(t * sr), rng.uniform(0.6, 1.0))
            t += d
    return out


def _static(n: int, sr: int, rng, amount: float, crackle_rate: float) -> np.ndarray:
    """Band-limited hiss with a fluctuating level plus impulsive crackles, ~unit RMS hiss."""
    hiss = dsp.bandpass(nd.noise(n, rng).astype(np.float64), sr, 350.0, 3300.0, order=3)
    lvl = dsp.control_up(nd.ctrl(n, sr, 1.5, rng, 0.5, 1.0) * nd.ctrl(n, sr, 0.2, rng, 0.6, 1.0), n,
                         sr / nd.CTRL_RATE)
    y = amount * hiss / (dsp.rms(hiss) + 1e-12) * lvl
    tc = dsp.poisson_times(n / sr, crackle_rate, rng)
    if tc.size:
        m = 1 + rng.poisson(2.0, tc.size)          # clusters of clicks
        ts = np.repeat(tc, m) + np.concatenate([np.r_[0.0, np.sort(rng.uniform(0, 0.02, k - 1))] for k in m])
        k = ts.size
        L = int(0.004 * sr)
        tt = (np.arange(L) / sr)[None, :]
        amp = np.minimum(rng.pareto(2.0, k) + 0.5, 6.0)[:, None] * rng.choice([-1.0, 1.0], (k, 1))
        clicks = amp * np.exp(-tt / rng.uniform(0.0002, 0.0008, (k, 1))) * (1 + 0.5 * rng.standard_normal((k, L)))
        cr = dsp.scatter_grains(n, sr, ts, clicks, guard=True)
        cr = dsp.bandpass(cr, sr, 400.0, 3500.0, order=3)
        y += cr * (4.0 * max(amount, 0.15)) / (np.percentile(np.abs(cr), 99.9) + 1e-12)
    return y


def _whistles(n: int, sr: int, rng, centres, width_s) -> np.ndarray:
    """Heterodyne whistles: for each station centre, a sine gliding from ~3 kHz down to
    zero beat and back up as the dial sweeps past."""
    t = np.arange(n) / sr
    out = np.zeros(n)
    for c, w in zip(centres, width_s):
        x = (t - c) / w
        on = np.abs(x) < 1.0
        if not on.any():
            continue
        f = 60.0 + 2900.0 * np.abs(x[on]) ** 1.3
        ph = np.cumsum(f) / sr
        out[on] += np.sin(2 * np.pi * ph) * (1 - np.abs(x[on])) ** 0.5 * 0.35
    return out


@recipe("radio",
        descriptions=["radio static crackling and hissing",
                      "a radio being tuned between stations, whistles and snatches of voices",
                      "a walkie-talkie crackling with a voice and a squelch",
                      "a voice over the radio through static",
                      "police radio chatter from a dispatcher",
                      "a crackly announcement over an intercom or public address system"],
        keywords=["radio", "radios", "walkie-talkie", "walkie-talkies", "walkie talkie", "walkie", "intercom",
                  "radio static", "static on the radio", "radio crackling", "radio crackles", "radio crackle",
                  "radio tuning", "tuning the radio", "between stations", "shortwave", "short-wave",
                  "cb radio", "two-way radio", "transceiver", "squelch", "ham radio", "police radio", "tannoy",
                  "public address", "pa system", "pa announcement", "over the radio", "over the intercom",
                  "radio chatter", "radio transmission", "dispatch", "dispatcher", "static", "crackling static",
                  "static crackles", "static crackling", "white noise", "tv static", "walkie-talkie crackles",
                  "walkie-talkie crackling", "transistor radio", "wireless set", "radio dial"],
        track="fx", texture=True, stereo_width=0.0, default_duration_s=6.0)
def radio(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    inten = float(np.clip(req.intensity, 0.0, 1.0))
    walkie = req.has("walkie", "walkie-talkie", "walkie-talkies", "walkie talkie", "two-way", "cb", "transceiver",
                     "squelch", "police radio", "over and out", "roger", "handheld radio")
    tuning = req.has("tuning", "tuned", "tunes", "between stations", "dial", "scanning", "searching", "shortwave",
                     "short-wave", "station", "stations")
    pa = req.has("intercom", "tannoy", "public address", "pa", "loudspeaker", "announcement", "announcer")
    voice = req.has("voice", "voices", "talking", "speaking", "speaks", "chatter", "dispatch", "dispatcher",
                    "transmission", "message", "broadcast", "pilot", "announcement", "announcer", "news")
    female = req.has("woman", "female", "she", "her")
    static_only = not (walkie or tuning or pa or voice)
    amount = 0.4 + 0.6 * inten

    if walkie:
        # transmissions: click, phrase of babble in static, squelch tail; quiet between
        spans, t = [], rng.uniform(0.05, 0.3)
        while t < dur - 0.5 or not spans:
            d = min(rng.uniform(1.2, 3.0), max(dur - t - 0.35, 0.2))
            spans.append((t, t + d))
            t += d + 0.35 + rng.uniform(0.8, 2.5)
            if t >= dur - 0.5:
                break
        gate = np.zeros(n)
        tail = np.zeros(n)
        for a, b in spans:
            i0, i1 = int(a * sr), min(int(b * sr), n)
            gate[i0:i1] = 1.0
            j1 = min(i1 + int(rng.uniform(0.15, 0.3) * sr), n)   # squelch tail
            tail[i1:j1] = 1.0
        gate = dsp.lowpass(gate, sr, 300.0, order=1)
        stat = _static(n, sr, rng, 0.25 + 0.3 * inten, 6.0 + 10.0 * inten)
        speech = _babble(n, sr, rng, [(a + 0.08, b - 0.05) for a, b in spans], female=female)
        speech = speech / (np.max(np.abs(speech)) + 1e-12) * 3.0
        hiss = dsp.bandpass(nd.noise(n, rng).astype(np.float64), sr, 500.0, 4000.0, order=2) * 1.4
        clicks = np.zeros(n)
        L = int(0.01 * sr)
        click = np.exp(-np.arange(L) / (0.0015 * sr)) * rng.standard_normal(L)
        for a, b in spans:
            dsp.place_signal(clicks, click, int(a * sr), 4.0)
            dsp.place_signal(clicks, click, int(b * sr), 3.0)
        y = (speech + stat) * gate + hiss * tail + clicks + 0.02 * stat
        return _speaker(y, sr, 350.0, 3000.0, 1.8)

    if tuning:
        k = max(1, int(dur / rng.uniform(1.5, 2.5)))
        centres = np.sort(rng.uniform(0.3, max(dur - 0.3, 0.35), k))
        widths = rng.uniform(0.3, 0.6, k)
        stat = _static(n, sr, rng, amount, 15.0 + 20.0 * inten)
        wh = _whistles(n, sr, rng, centres, widths)
        on = [(max(c - 0.25 * w, 0.0), min(c + 0.25 * w + rng.uniform(0.1, 0.4), dur)) for c, w in zip(centres, widths)]
        music_spans = [s for i, s in enumerate(on) if i % 2 == 0]
        talk_spans = [s for i, s in enumerate(on) if i % 2 == 1]
        st = _tones(n, sr, rng, music_spans)
        st = st / (np.max(np.abs(st)) + 1e-12) * 2.0 if np.any(st) else st
        sp = _babble(n, sr, rng, talk_spans, female=female)
        sp = sp / (np.max(np.abs(sp)) + 1e-12) * 2.5 if np.any(sp) else sp
        # static ducks where a station comes in clear
        t = np.arange(n) / sr
        clear = np.zeros(n)
        for a, b in on:
            clear = np.maximum(clear, np.clip(1 - np.abs(t - 0.5 * (a + b)) / (0.5 * (b - a) + 0.05), 0, 1))
        y = stat * (1 - 0.6 * clear) + (st + sp) * clear ** 0.5 + wh * dsp.rms(stat) * 3.0
        return _speaker(y, sr, 300.0, 3400.0, 1.3)

    if pa:
        spans, t = [], rng.uniform(0.2, 0.5)
        while t < dur - 0.6 or not spans:
            d = min(rng.uniform(1.5, 4.0), max(dur - t - 0.1, 0.3))
            spans.append((t, t + d))
            t += d + rng.uniform(0.6, 1.5)
        speech = _babble(n, sr, rng, spans, female=female)
        speech = speech / (np.max(np.abs(speech)) + 1e-12)
        tt = np.arange(n) / sr
        hum = sum(0.5 ** h * np.sin(2 * np.pi * 50.0 * (2 * h + 1) * tt) for h in range(1, 5)) * 0.02
        stat = _static(n, sr, rng, 0.03 + 0.05 * inten, 2.0 + 3.0 * inten)
        y = speech + hum + stat
        y = y + 0.3 * np.roll(y, int(0.045 * sr)) + 0.15 * np.roll(y, int(0.11 * sr))   # the horn in a hall
        return _speaker(y, sr, 280.0, 3400.0, 2.0)

    stat = _static(n, sr, rng, amount, (12.0 + 25.0 * inten) * float(np.clip(req.rate, 0.5, 2.0)))
    if voice:
        speech = _babble(n, sr, rng, [(0.1, dur - 0.1)], female=female)
        speech = speech / (np.max(np.abs(speech)) + 1e-12) * 3.0
        fade = dsp.control_up(nd.ctrl(n, sr, 0.5, rng, 0.4, 1.0), n, sr / nd.CTRL_RATE)   # reception fading
        return _speaker(speech * fade + stat, sr, 320.0, 3200.0, 1.6)
    # static alone: now and then a faint drifting station underneath
    y = stat
    if static_only and dur > 3.0 and rng.random() < 0.6:
        a = rng.uniform(0.5, dur - 2.0)
        y = y + _whistles(n, sr, rng, [a + 0.8], [rng.uniform(0.6, 1.2)]) * 0.3 * dsp.rms(stat) * 3
    return _speaker(y, sr, 320.0, 3300.0, 1.0)
