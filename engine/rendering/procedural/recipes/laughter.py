"""Laughter: a person laughing, chuckling, giggling or cackling; a crowd or audience laughing.

Model: source-filter voice (``_voice``). Spontaneous laughter (Bachorowski, Smoski & Owren
2001; Provine 1996) is a train of "ha" syllables on one exhalation: each an aspirated /h/
onset into a short voiced vowel, 4-6 syllables a second, with f0 well above the speaking
range (men ~250-300 Hz, women ~400 Hz) that falls across the bout; bouts are separated by
an audible inhalation. Variants from the caption: a chuckle is low-effort, slow, breathy
and closed-mouthed ("heh-heh"); a giggle is high, fast, on /i/ ("hee-hee"); a cackle is a
high, rough, nasal "ah-HA-ha-ha-ha..." with long bouts; a baby's giggle is a child's tract
at infant pitch. A crowd / audience is several independent laughers summed across the
stereo field. The speaker (man, woman, child) is read from the caption as voices.py does.
"""
from __future__ import annotations

import numpy as np

from .. import dsp
from . import _voice as V
from .base import SynthRequest, layer, recipe
from .voices import _SPEAKERS, _VOWELS, _speaker

# a nasal, pinched /a/ (extra low nasal pole, narrow upper formants): the cackle's twang
_NASAL_A = V.Vowel((280.0, 820.0, 1350.0, 2700.0, 3500.0), (80.0, 110.0, 120.0, 140.0, 220.0))
_SCHWA = V.Vowel((600.0, 1350.0, 2450.0, 3450.0), (100.0, 130.0, 200.0, 300.0))


def _style(req: SynthRequest) -> str:
    if req.has("cackle", "cackles", "cackling", "cackled", "witch", "hag", "crone", "maniacal", "evil laugh",
               "villain", "mwahaha", "muahaha"):
        return "cackle"
    if req.has("giggle", "giggles", "giggling", "giggled", "titter", "titters", "tittering", "tee-hee", "teehee"):
        return "giggle"
    if req.has("chuckle", "chuckles", "chuckling", "chuckled", "snicker", "snickers", "snickering", "snigger",
               "sniggering", "chortle", "chortles", "chortling", "quietly", "softly"):
        return "chuckle"
    if req.has("guffaw", "guffaws", "guffawing", "roar", "roars", "roaring", "belly laugh", "hysterical",
               "hysterically", "uproarious", "howls", "howling", "loudly"):
        return "guffaw"
    return "laugh"


def _is_crowd(req: SynthRequest) -> bool:
    return req.has("crowd", "audience", "people", "everyone", "group", "friends", "children", "kids", "men",
                   "women", "guests", "spectators", "class", "room full", "all laugh", "they laugh", "tavern",
                   "patrons", "sitcom", "laugh track")


# style -> (syllable rate Hz, syllables per bout, f0 multiple of the speaking f0, fall over the bout,
#           voiced fraction of the syllable, vowel key, phonation)
_STYLES = {
    "laugh":   ((4.3, 5.4), (4, 8), (1.7, 2.1), 0.32, 0.55, "a", V.Phonation(jitter=0.02, sub=0.05, rough=0.1, breath=0.18)),
    "guffaw":  ((3.8, 4.8), (5, 9), (1.8, 2.2), 0.35, 0.6, "a", V.Phonation(jitter=0.025, sub=0.15, rough=0.2, breath=0.15)),
    "chuckle": ((3.6, 4.6), (3, 5), (1.15, 1.35), 0.2, 0.45, "schwa", V.Phonation(jitter=0.02, sub=0.05, rough=0.05, breath=0.25, tilt_hz=1500.0)),
    "giggle":  ((5.8, 7.2), (4, 9), (2.0, 2.4), 0.25, 0.45, "i", V.Phonation(jitter=0.015, sub=0.0, rough=0.05, breath=0.25)),
    "cackle":  ((5.0, 6.2), (8, 14), (2.3, 2.8), 0.3, 0.6, "nasal", V.Phonation(jitter=0.03, sub=0.25, rough=0.28, breath=0.1)),
}


def _vowel(key: str, k: float) -> V.Vowel:
    base = {"nasal": _NASAL_A, "schwa": _SCHWA}.get(key) or _VOWELS[key]
    return base.scaled(k)


CROWD_POOL = 5  # distinct synthesised laughers in a crowd; the rest are time-shifted copies


def _laugher(req: SynthRequest, rng, sri: int, ni: int, *, style: str, who: str, k: float, f_lo: float,
             f_hi: float, count: int | None, start: float, density: float = 1.0) -> np.ndarray:
    """One person's laughter over ni samples at rate sri: bouts of "ha" syllables with
    an inhalation before each following bout."""
    dur = ni / sri
    (r_lo, r_hi), (m_lo, m_hi), (fm_lo, fm_hi), fall, voiced, vkey, ph = _STYLES[style]
    r = float(np.clip(req.rate, 0.6, 1.6))
    effort = 0.6 + 0.4 * float(np.clip(req.intensity, 0.0, 1.0))
    vow = _vowel(vkey, k)
    out = np.zeros(ni)
    t, bouts = start, 0
    while t < dur - 0.15 and (count is None or bouts < count):
        rate = rng.uniform(r_lo, r_hi) * r
        m = int(rng.integers(m_lo, m_hi + 1))
        if count is None and bouts == 0 and dur < 2.0:
            m = max(2, min(m, int((dur - t - 0.1) * rate)))
        f_start = rng.uniform(f_lo, f_hi) * rng.uniform(fm_lo, fm_hi)
        per = 1.0 / rate
        o = t
        for j in range(m):
            if o > dur - 0.06:
                break
            u_b = j / max(m - 1, 1)
            lead = style == "cackle" and j == 0
            d = per * voiced * rng.uniform(0.85, 1.15) * (2.2 if lead else 1.0)
            f_syl = f_start * (1.0 - fall * u_b) * (0.9 if lead else 1.0)
            # each "ha": a quick rise then a fall; the cackle's lead "ah-" glides up
            glide = 0.18 if lead else -0.12
            f0 = lambda u, b=f_syl, g=glide: b * (1.0 + g * u + 0.05 * np.sin(np.pi * np.minimum(u / 0.3, 1.0)))
            env = V.swell(0.12, 0.55, 0.9)
            y = V.voice_call(sri, rng, d, f0, env, ph, vow)
            g = rng.uniform(0.8, 1.0) * (1.0 - 0.35 * u_b) * effort
            # aspirated /h/ onset: breath noise through the coming vowel's tract
            hl = int(rng.uniform(0.025, 0.04) * sri)
            h = V.vowel_filter(rng.standard_normal(hl) * np.hanning(hl) ** 0.7, sri, vow)
            h = np.diff(h, prepend=0.0)
            dsp.place_signal(out, h / (np.max(np.abs(h)) + 1e-12), int(round((o - 0.6 * hl / sri) * sri)),
                             0.18 * g * (1.2 if style == "chuckle" else 1.0))
            dsp.place_signal(out, y / (np.max(np.abs(y)) + 1e-12), int(round(o * sri)), g)
            o += per * rng.uniform(0.92, 1.08) * (1.6 if lead else 1.0) * (1.0 + 0.25 * u_b * (style != "giggle"))
        bouts += 1
        # inhale, then a pause before the next bout (longer when laughing sparsely)
        inh = rng.uniform(0.25, 0.45)
        if o + inh < dur:
            gp = V.gasp(sri, rng, inh, centre_hz=1800.0 * k * rng.uniform(0.9, 1.1), pieces=1)
            dsp.place_signal(out, gp, int(round((o + 0.05) * sri)), 0.12 * effort)
        t = o + inh + rng.uniform(0.15, 0.9) / density
    return out


@recipe("laugh",
        descriptions=["a woman laughing heartily",
                      "a man laughing out loud, ha ha ha",
                      "a child giggling with delight",
                      "a witch cackling wickedly",
                      "an old man chuckling softly to himself",
                      "a theatre audience bursts into laughter at a joke",
                      "a baby giggling"],
        keywords=["laugh", "laughs", "laughing", "laughed", "laughter", "chuckle", "chuckles", "chuckling",
                  "chuckled", "giggle", "giggles", "giggled", "cackle", "cackles", "cackling", "cackled",
                  "guffaw", "guffaws", "guffawing", "chortle", "chortling", "snicker", "snickering", "snigger",
                  "titter", "tittering", "ha-ha", "haha", "hahaha", "tee-hee", "mwahaha", "belly laugh",
                  "evil laugh", "maniacal laugh", "burst out laughing", "bursts out laughing",
                  "woman laughing", "woman laughs", "man laughing", "man laughs", "girl laughing", "boy laughing",
                  "someone laughing", "someone laughs", "witch cackling", "witch cackles", "baby giggling",
                  "baby giggles", "girl giggling", "crowd laughing", "crowd laughs", "audience laughing",
                  "audience laughs", "audience laughter", "people laughing", "roars with laughter",
                  "roar with laughter", "laugh track"],
        track="fx", texture=False, stereo_width=0.0, default_duration_s=4.0)
def laugh(req: SynthRequest) -> np.ndarray:
    rng, sr, n, dur = req.rng, req.sample_rate, req.n, req.duration_s
    sri = V.internal_rate(sr, 9000.0)
    factor = sr // sri
    ni = -(-n // factor)
    style = _style(req)
    baby = req.has("baby", "babies", "infant", "toddler", "newborn")
    if _is_crowd(req) and not baby:
        nv = int(5 + round(7 * float(np.clip(0.5 * req.size + 0.5 * req.intensity, 0, 1))))
        chat = req.has("chatting", "chatter", "chattering", "talking", "conversation", "conversations", "murmur",
                       "murmuring", "party", "pub", "bar", "tavern", "restaurant", "walla", "banter")
        long_bed = dur > 12.0  # a crowd laughing for longer than a joke's reaction: laughs rise from walla
        chat = chat or long_bed
        if chat:   # laughter inside a talking crowd: fewer laughers over the crowd_murmur bed
            nv = max(3, nv // 2)
        out = np.zeros((2, ni))
        pool: list[np.ndarray] = []
        for i in range(nv):
            if i < CROWD_POOL:
                who = "child" if req.has("children", "kids") else ("female" if rng.random() < 0.5 else "male")
                k, (lo, hi) = _SPEAKERS[who]
                st = style if style != "cackle" else "laugh"
                if rng.random() < 0.3:
                    st = "chuckle" if st == "laugh" else st
                v = _laugher(req, rng, sri, ni, style=st, who=who, k=k * rng.uniform(0.95, 1.05), f_lo=lo,
                             f_hi=hi, count=None, start=rng.uniform(0.0, 0.6), density=0.35 if long_bed else 0.7)
                pool.append(v)
            else:  # further laughers reuse a pooled voice at another time offset (cost grows with the pool only)
                v = np.roll(pool[i % CROWD_POOL], int(rng.integers(sri // 2, max(sri, ni - sri // 2))))
            near = rng.random() < 0.4
            g = rng.uniform(0.6, 1.0) if near else rng.uniform(0.2, 0.45)
            pan = rng.uniform(0.1, 0.9)
            out[0] += g * np.cos(0.5 * np.pi * pan) * v
            out[1] += g * np.sin(0.5 * np.pi * pan) * v
        y = dsp.upsample(out, factor, n)
        if chat:
            bed = layer("crowd_murmur", req)
            y = y + 1.2 * bed * (dsp.rms(y) / (dsp.rms(bed) + 1e-12))
        return y + 1e-5 * rng.standard_normal((2, n))
    if baby:
        who, k, (lo, hi) = "child", 1.5, (300.0, 380.0)
        style = "giggle" if style in ("laugh", "giggle") else style
    else:
        who = _speaker(req, rng, p_female=0.9 if style == "cackle" else (0.7 if style == "giggle" else 0.5))
        k, (lo, hi) = _SPEAKERS[who]
    if style == "cackle" and who == "male":
        lo, hi = lo * 1.3, hi * 1.3     # a villain's cackle sits high in his range
    out = _laugher(req, rng, sri, ni, style=style, who=who, k=k, f_lo=lo, f_hi=hi, count=req.count,
                   start=rng.uniform(0.03, 0.15))
    return dsp.upsample(out, factor, n) + 1e-5 * rng.standard_normal(n)
