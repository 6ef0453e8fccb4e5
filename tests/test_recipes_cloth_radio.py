"""Descriptor tests with known answers for flap (cloth in wind), cluck (hens), radio
(static / tuning / walkie-talkie / voice) and match_strike, plus matcher routing."""
import numpy as np
import pytest
from scipy import stats

from engine import analysis as A
from engine import match
from engine.rendering.procedural.synth import synthesize

SR = 44100
NEW = ["flap", "cluck", "radio", "match_strike"]


def flutter_hz(y):
    """Strongest envelope modulation between 2 and 40 Hz (the slow gust curve excluded)."""
    env, fr = A.envelope(y, SR, hop_s=0.005)
    e = env - env.mean()
    sp = np.abs(np.fft.rfft(e * np.hanning(e.size))) ** 2
    f = np.fft.rfftfreq(e.size, 1 / fr)
    m = (f > 2) & (f < 40)
    return float(f[m][np.argmax(sp[m])])


def voiced_pitches(y):
    """Autocorrelation f0 (150-900 Hz) of the loud 30 ms frames."""
    m = A.to_mono(y).astype(np.float64)
    L = int(0.03 * SR)
    frames = m[: m.size // L * L].reshape(-1, L)
    rms = np.sqrt(np.mean(frames ** 2, axis=1))
    out = []
    for x in frames[rms > 0.3 * rms.max()]:
        x = x - x.mean()
        ac = np.correlate(x, x, "full")[L - 1:]
        ac /= ac[0] + 1e-20
        lo, hi = int(SR / 900), int(SR / 150)
        j = lo + int(np.argmax(ac[lo:hi]))
        if ac[j] > 0.4:
            out.append(SR / j)
    return np.asarray(out)


# --- common contract -----------------------------------------------------------------
@pytest.mark.parametrize("rid,caption", [("flap", "a flag flapping"), ("cluck", "hens clucking"),
                                         ("radio", "a walkie-talkie crackles"), ("radio", "a radio tuning"),
                                         ("match_strike", "a match being struck")])
def test_deterministic_exact_length_no_clip(rid, caption):
    a = synthesize(rid, 3.3, SR, 5, caption=caption)
    b = synthesize(rid, 3.3, SR, 5, caption=caption)
    assert a.shape == (2, round(3.3 * SR)) and a.tobytes() == b.tobytes()
    assert np.all(np.isfinite(a)) and A.peak_dbfs(a) <= -1.0 + 1e-4


# --- flap ----------------------------------------------------------------------------
@pytest.mark.parametrize("caption", ["a flag flapping on a pole", "sails flapping", "kites flapping in the wind",
                                     "laundry flapping on the line"])
@pytest.mark.parametrize("seed", [1, 2])
def test_flap_flutter_rate_in_4_to_15_hz(caption, seed):
    y = synthesize("flap", 10.0, SR, seed, caption=caption)
    assert 4.0 <= flutter_hz(y) <= 15.0
    assert A.band_energy_fraction(y, SR, 250, 5000) > 0.8


def test_heavy_sail_is_lower_and_slower_than_a_kite():
    sail = synthesize("flap", 10.0, SR, 3, caption="canvas sails flapping")
    kite = synthesize("flap", 10.0, SR, 3, caption="a kite flapping")
    assert flutter_hz(sail) < flutter_hz(kite)
    assert A.spectral_centroid_hz(sail, SR) < A.spectral_centroid_hz(kite, SR)


# --- cluck ---------------------------------------------------------------------------
@pytest.mark.parametrize("count", [3, 5])
def test_cluck_count_is_exact(count):
    y = synthesize("cluck", 5.0, SR, 7, count=count, caption="a hen clucking")
    assert len(A.onset_times(y, SR)) == count


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cluck_is_voiced_in_the_hen_range(seed):
    y = synthesize("cluck", 6.0, SR, seed, caption="a chicken clucking")
    p = voiced_pitches(y)
    assert p.size >= 5
    assert 280 < np.median(p) < 650
    assert A.onset_rate_hz(y, SR) > 0.5     # a series of short notes, not a drone


def test_several_hens_are_denser_and_stereo():
    one = synthesize("cluck", 8.0, SR, 4, caption="a chicken clucking")
    many = synthesize("cluck", 8.0, SR, 4, caption="hens clucking in the yard")
    assert A.onset_rate_hz(many, SR) > A.onset_rate_hz(one, SR)
    assert not np.allclose(many[0], many[1], atol=1e-3)


# --- radio ---------------------------------------------------------------------------
@pytest.mark.parametrize("caption", ["a radio crackling with static", "a radio tuning between stations",
                                     "a walkie-talkie crackles", "a voice over the radio"])
def test_radio_is_band_limited(caption):
    y = synthesize("radio", 8.0, SR, 1, caption=caption)
    assert A.band_energy_fraction(y, SR, 5000, SR / 2) < 0.01
    assert A.band_energy_fraction(y, SR, 0, 200) < 0.01


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_radio_static_has_impulsive_crackles(seed):
    m = A.to_mono(synthesize("radio", 8.0, SR, seed, caption="radio static crackling")).astype(np.float64)
    crest = np.abs(m).max() / np.sqrt(np.mean(m ** 2))
    assert crest > 7.0                       # gaussian hiss alone is ~4.5
    assert stats.kurtosis(m) > 1.0           # heavy tails (excess kurtosis; gaussian = 0)


def test_walkie_talkie_has_gaps_between_transmissions():
    y = synthesize("radio", 10.0, SR, 2, caption="a walkie-talkie crackles")
    env, _ = A.envelope(y, SR, hop_s=0.02)
    db = 20 * np.log10(env / env.max() + 1e-12)
    assert np.mean(db < -25) > 0.1           # quiet between "over"s
    assert np.mean(db > -15) > 0.2


# --- match ---------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_match_is_a_broadband_strike_then_a_quieter_flame(seed):
    y = synthesize("match_strike", 3.0, SR, seed, caption="a match being struck")
    m = A.to_mono(y).astype(np.float64)
    t0 = A.onset_times(y, SR)[0]
    assert t0 < 0.4
    i0 = int(t0 * SR)
    strike, flame = m[i0:i0 + int(0.4 * SR)], m[i0 + int(1.0 * SR):i0 + int(2.0 * SR)]
    r_s, r_f = np.sqrt(np.mean(strike ** 2)), np.sqrt(np.mean(flame ** 2))
    assert 20 * np.log10(r_s / r_f) > 6.0                        # the flame is quieter...
    assert 20 * np.log10(r_f / np.abs(m).max()) > -45.0          # ...but still there
    assert A.spectral_centroid_hz(strike, SR) > 2000 and A.spectral_flatness(strike, SR) > 0.15


# --- matcher -------------------------------------------------------------------------
@pytest.mark.parametrize("caption,expected", [
    ("kites flapping in the wind", "flap"), ("sails flapping", "flap"), ("a flag flapping on a pole", "flap"),
    ("laundry flapping on the line", "flap"), ("hens clucking in the yard", "cluck"), ("a chicken clucking", "cluck"),
    ("a radio crackling with static", "radio"), ("a radio tuning between stations", "radio"),
    ("a walkie-talkie crackles", "radio"), ("a match being struck", "match_strike"),
    ("lighting a match", "match_strike"),
    # protected captions of other recipes
    ("wind howling", "wind"), ("birds flapping their wings", "birds"), ("birds singing", "birds"),
    ("a fire crackling", "fire"), ("a campfire crackles", "fire"), ("music playing", "music_pad"),
    ("a piano plays", "music_pad"), ("a rooster crowing", "rooster"), ("cock-a-doodle-doo", "rooster"),
    ("rain pattering", "rain"), ("insects buzzing", "insects"), ("an alarm beeping", "alarm_beep"),
])
def test_matcher_routes_captions(caption, expected):
    r = match(caption)
    assert r["recipe"] == expected and not r["fallback"]


def test_static_electricity_does_not_crash():
    assert match("static electricity crackles")["recipe"]
