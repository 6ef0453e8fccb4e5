"""Descriptor tests with known answers for the human/body recipes (footsteps, typing,
paper_rustle, heartbeat, breathing, crowd_murmur, applause)."""
import numpy as np
import pytest
from scipy.signal import find_peaks

from engine import analysis as A
from engine.rendering.procedural.synth import synthesize

SR = 44100


def band(y, lo, hi):
    return A.band_energy_fraction(y, SR, lo, hi)


def loud_peaks(y, min_dist_s, height_db=-20.0, hop_s=0.01):
    """Peaks of a smoothed envelope (dB) at least min_dist_s apart: counts gestures
    (heart beats, breaths) that consist of several sub-events."""
    env, fr = A.envelope(y, SR, hop_s=hop_s)
    k = max(1, int(0.06 * fr))
    env = np.convolve(env, np.ones(k) / k, mode="same")
    db = 20 * np.log10(env / env.max() + 1e-12)
    p, _ = find_peaks(db, height=height_db, distance=max(1, int(min_dist_s * fr)))
    return p / fr


# --- footsteps ---------------------------------------------------------------------
@pytest.mark.parametrize("surface", ["concrete", "wood", "metal", "grass", "dirt"])
@pytest.mark.parametrize("count", [3, 6])
def test_footsteps_count_exact(surface, count):
    y = synthesize("footsteps", 5.0, SR, 4, count=count, surface=surface, caption="someone walking")
    assert len(A.onset_times(y, SR)) == count


@pytest.mark.parametrize("surface", ["gravel", "snow", "leaves", "sand", "carpet", "mud"])
def test_footsteps_count_exact_running_granular(surface):
    y = synthesize("footsteps", 4.0, SR, 2, count=5, surface=surface, caption="running")
    assert len(A.onset_times(y, SR)) == 5


def test_running_is_faster_than_walking():
    walk = synthesize("footsteps", 8.0, SR, 1, caption="a man walking down the street")
    run = synthesize("footsteps", 8.0, SR, 1, caption="a man running down the street")
    rw, rr = A.onset_rate_hz(walk, SR), A.onset_rate_hz(run, SR)
    assert 1.2 < rw < 2.6 and rr > 1.4 * rw


def test_surface_changes_the_spectrum():
    c = {s: synthesize("footsteps", 6.0, SR, 3, surface=s, caption="walking")
         for s in ("carpet", "wood", "concrete", "gravel", "snow")}
    cent = {s: A.spectral_centroid_hz(y, SR) for s, y in c.items()}
    assert cent["carpet"] < 700                      # muffled thuds
    assert cent["carpet"] < cent["wood"] < cent["concrete"]
    assert cent["snow"] < cent["gravel"]             # snow crunch is low-passed
    assert band(c["gravel"], 1000, 8000) > 0.5       # many small high grains
    # gravel is grainy (noise-like), wood rings (tonal modes)
    assert A.spectral_flatness(c["gravel"], SR) > 2 * A.spectral_flatness(c["wood"], SR)


def test_heavier_steps_are_lower_and_thumpier():
    light = synthesize("footsteps", 6.0, SR, 5, intensity=0.1, surface="concrete", caption="walking")
    heavy = synthesize("footsteps", 6.0, SR, 5, intensity=1.0, surface="concrete", caption="heavy boots walking")
    assert band(heavy, 0, 250) > band(light, 0, 250)


# --- typing ------------------------------------------------------------------------
def test_typing_is_fast_clicks():
    y = synthesize("typing", 6.0, SR, 1)
    assert A.onset_rate_hz(y, SR) > 4.0
    assert band(y, 1000, 12000) > 0.4


@pytest.mark.parametrize("count", [4, 9])
def test_typing_count_exact_keystrokes(count):
    y = synthesize("typing", 5.0, SR, 2, count=count)
    assert len(A.onset_times(y, SR, min_gap_s=0.15)) == count   # press (+ soft release) = one key


def test_typewriter_rings_a_bell():
    y = synthesize("typing", 10.0, SR, 3, caption="an old typewriter clacking")
    f, p = A.power_spectrum(y, SR, nperseg=8192)
    bell = (f > 2800) & (f < 3000)
    ref = (f > 2000) & (f < 2700)
    assert p[bell].max() > 5 * np.median(p[ref])       # the ~2.9 kHz bell partial stands out
    kb = synthesize("typing", 10.0, SR, 3, caption="typing on a laptop")
    assert A.onset_rate_hz(kb, SR) > A.onset_rate_hz(y, SR)   # typewriters are slower


# --- paper -------------------------------------------------------------------------
def test_paper_is_bright_noise():
    y = synthesize("paper_rustle", 6.0, SR, 1)
    assert A.spectral_centroid_hz(y, SR) > 2500
    assert A.spectral_flatness(y, SR) > 0.1


def test_crumpling_crackles_more_than_page_turns():
    cr = synthesize("paper_rustle", 6.0, SR, 2, caption="crumpling a sheet of paper")
    pg = synthesize("paper_rustle", 6.0, SR, 2, caption="turning the pages of a book")
    env_c, _ = A.envelope(cr, SR, hop_s=0.002)
    env_p, _ = A.envelope(pg, SR, hop_s=0.002)
    # crackle = spiky envelope: high frame-to-frame variation relative to level
    spik = lambda e: np.mean(np.abs(np.diff(e))) / (np.mean(e) + 1e-12)  # noqa: E731
    assert spik(env_c) > spik(env_p)


# --- heartbeat ---------------------------------------------------------------------
def test_heartbeat_is_low_and_periodic():
    y = synthesize("heartbeat", 8.0, SR, 1)
    assert band(y, 0, 200) > 0.95
    period, strength = A.dominant_period_s(y, SR, min_s=0.5, max_s=1.5)
    assert 0.75 < period < 1.05 and strength > 0.4      # ~66 bpm


def test_racing_heart_is_faster():
    calm = synthesize("heartbeat", 8.0, SR, 2, caption="a calm resting heartbeat")
    race = synthesize("heartbeat", 8.0, SR, 2, caption="a racing heart pounding")
    pc, _ = A.dominant_period_s(calm, SR, min_s=0.35, max_s=1.6)
    pr, _ = A.dominant_period_s(race, SR, min_s=0.35, max_s=1.6)
    assert pr < 0.7 * pc


@pytest.mark.parametrize("count", [3, 6])
def test_heartbeat_count_exact(count):
    y = synthesize("heartbeat", 7.0, SR, 3, count=count)
    assert len(loud_peaks(y, 0.5, height_db=-12)) == count        # lub-dub pairs


# --- breathing ---------------------------------------------------------------------
def test_breathing_is_filtered_noise_cycles():
    y = synthesize("breathing", 10.0, SR, 1)
    assert A.spectral_flatness(y, SR) > 0.05
    assert band(y, 200, 6000) > 0.8
    period, _ = A.dominant_period_s(y, SR, min_s=1.5, max_s=4.0)
    assert 2.5 < period < 4.0


def test_panting_is_faster_and_louder():
    calm = synthesize("breathing", 8.0, SR, 2, caption="calm breathing")
    pant = synthesize("breathing", 8.0, SR, 2, caption="heavy panting, out of breath")
    assert A.onset_rate_hz(pant, SR) > 2.5 * A.onset_rate_hz(calm, SR)
    rms = lambda y: float(np.sqrt(np.mean(y.astype(float) ** 2)))  # noqa: E731
    assert rms(pant) > rms(calm)


def test_breathing_count_exact():
    y = synthesize("breathing", 12.0, SR, 4, count=4)
    assert len(loud_peaks(y, 2.0, height_db=-15)) == 4


# --- crowd -------------------------------------------------------------------------
def test_crowd_is_speech_band_babble():
    y = synthesize("crowd_murmur", 8.0, SR, 1)
    assert 400 < A.spectral_centroid_hz(y, SR) < 2500
    assert band(y, 100, 4000) > 0.85
    # syllabic modulation at 3-8 Hz in the envelope (speech-like), not a steady hiss
    env, fr = A.envelope(y, SR, hop_s=0.01)
    e = env - env.mean()
    spec = np.abs(np.fft.rfft(e)) ** 2
    f = np.fft.rfftfreq(e.size, 1 / fr)
    assert spec[(f > 2) & (f < 8)].sum() > spec[(f > 15) & (f < 40)].sum()


def test_crowd_voices_have_formants():
    y = synthesize("crowd_murmur", 8.0, SR, 2)
    assert A.spectral_flatness(y, SR, 100, 4000) < 0.5     # voiced and formant-shaped, not white


def test_bigger_crowd_is_smoother():
    small = synthesize("crowd_murmur", 8.0, SR, 3, intensity=0.1, size=0.1)
    big = synthesize("crowd_murmur", 8.0, SR, 3, intensity=1.0, size=1.0, caption="a huge crowd")
    cv = lambda y: float(np.std(A.envelope(y, SR, hop_s=0.05)[0]) / np.mean(A.envelope(y, SR, hop_s=0.05)[0]))  # noqa: E731
    assert cv(big) < cv(small)


# --- applause ----------------------------------------------------------------------
def test_applause_is_dense_claps_in_the_clap_band():
    y = synthesize("applause", 6.0, SR, 1)
    assert 1500 < A.spectral_centroid_hz(y, SR) < 5000
    assert A.spectral_flatness(y, SR) > 0.1


@pytest.mark.parametrize("count", [1, 4, 7])
def test_applause_count_exact_claps(count):
    y = synthesize("applause", 5.0, SR, 2, count=count)
    assert len(A.onset_times(y, SR)) == count


def test_crowd_size_raises_clap_density():
    few = synthesize("applause", 6.0, SR, 3, caption="a polite smattering of applause", intensity=0.2, size=0.1)
    many = synthesize("applause", 6.0, SR, 3, caption="thunderous standing ovation", intensity=1.0, size=1.0)
    # a few clappers leave gaps between claps; a big crowd fills them in
    frac = lambda y, db: float(np.mean(20 * np.log10(A.envelope(y, SR, hop_s=0.005)[0] / A.envelope(y, SR, hop_s=0.005)[0].max() + 1e-12) > db))  # noqa: E731
    assert frac(many, -20) > frac(few, -20) + 0.2
    assert A.onset_rate_hz(few, SR) > 1.0
