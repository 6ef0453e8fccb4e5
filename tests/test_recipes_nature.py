"""Descriptor tests with known answers for the nature recipes (nature.py, nature_water.py):
each class has the spectrum / rhythm its physics implies, and its modifiers move the
sound the way a sound designer would expect."""
import numpy as np
import pytest
from scipy import signal
from scipy.ndimage import median_filter

from engine import analysis as A
from engine.rendering.procedural import dsp
from engine.rendering.procedural.recipes import REGISTRY
from engine.rendering.procedural.synth import synthesize

SR = 44100
NATURE = ["rain", "thunder", "wind", "ocean_waves", "stream", "water_drips", "pouring", "fire", "underwater",
          "cave_ambience", "forest_ambience"]


def mono(y):
    return A.to_mono(y).astype(np.float64)


def crest(y):
    m = mono(y)
    return float(np.max(np.abs(m)) / (np.sqrt(np.mean(m * m)) + 1e-12))


def cent(y):
    return A.spectral_centroid_hz(y, SR)


def test_registered_with_metadata():
    for rid in NATURE:
        rec = REGISTRY[rid]
        assert 4 <= len(rec.descriptions) <= 6 and len(rec.keywords) >= 4
    assert REGISTRY["thunder"].handles_distance


@pytest.mark.parametrize("rid", NATURE)
@pytest.mark.parametrize("sr", [22050, 48000])
def test_other_sample_rates(rid, sr):
    y = synthesize(rid, 1.5, sr, 5)
    assert y.shape == (2, round(1.5 * sr)) and np.all(np.isfinite(y))
    # nothing piles up against Nyquist (aliasing / runaway highs)
    assert A.band_energy_fraction(y, sr, 0.45 * sr, sr / 2) < 0.05


# --------------------------------------------------------------------------- rain
def test_rain_is_broadband_and_bright():
    y = synthesize("rain", 4.0, SR, 1, intensity=0.6)
    assert A.spectral_flatness(y, SR) > 0.2
    assert cent(y) > 2500
    assert A.band_energy_fraction(y, SR, 0, 300) < 0.05


def test_heavier_rain_is_denser():
    light = synthesize("rain", 4.0, SR, 2, caption="a light drizzle", intensity=0.2)
    heavy = synthesize("rain", 4.0, SR, 2, caption="a torrential downpour", intensity=0.9)
    # sparse drops -> peaky; a downpour is a dense continuous roar
    assert crest(light) > 1.6 * crest(heavy)
    # at the same peak ceiling the downpour carries far more energy
    assert np.sqrt(np.mean(mono(heavy) ** 2)) > 3.0 * np.sqrt(np.mean(mono(light) ** 2))
    # a drizzle's individual drops are countable onsets
    assert A.onset_rate_hz(light, SR) > 3.0


def test_rain_tin_roof_rings_metal_modes():
    plain = synthesize("rain", 4.0, SR, 3, caption="rain falling")
    tin = synthesize("rain", 4.0, SR, 3, caption="rain on a tin roof")
    assert A.tonality_db(tin, SR) > A.tonality_db(plain, SR) + 4.0


def test_rain_window_hears_the_rest_muffled():
    plain = synthesize("rain", 4.0, SR, 4, caption="rain falling")
    window = synthesize("rain", 4.0, SR, 4, caption="rain against the window")
    assert A.band_energy_fraction(window, SR, 100, 500) > 5 * A.band_energy_fraction(plain, SR, 100, 500)


# ------------------------------------------------------------------------ thunder
def _attack_s(y):
    env, fr = A.envelope(y, SR, hop_s=0.01)
    i = int(np.argmax(env))
    return (i - np.flatnonzero(env > 0.1 * env[i])[0]) / fr


@pytest.mark.parametrize("seed", [1, 2])
def test_thunder_close_crack_vs_distant_rumble(seed):
    close = synthesize("thunder", 8.0, SR, seed, distance="close")
    far = synthesize("thunder", 8.0, SR, seed, distance="far")
    assert A.band_energy_fraction(far, SR, 0, 200) > 0.85          # distant: all rumble
    assert A.band_energy_fraction(close, SR, 1000, 20000) > 5 * A.band_energy_fraction(far, SR, 1000, 20000)
    assert cent(close) > 2.5 * cent(far)
    assert _attack_s(close) < 0.3 < 0.8 < _attack_s(far)            # crack vs slow swell


def test_thunder_rolls_on():
    y = synthesize("thunder", 10.0, SR, 3, distance="medium")
    assert A.decay_time_s(y, SR, drop_db=30.0) > 1.5
    assert A.band_energy_fraction(y, SR, 20, 250) > 0.6


def test_thunder_caption_distance_cue():
    y = synthesize("thunder", 8.0, SR, 4, caption="distant thunder")
    assert A.band_energy_fraction(y, SR, 0, 200) > 0.85


# --------------------------------------------------------------------------- wind
def _peakiness_db(y, lo=250.0, hi=2500.0):
    f, p = signal.welch(mono(y), SR, nperseg=4096)
    r = p / median_filter(p, 41)
    band = (f >= lo) & (f < hi)
    return 10 * np.log10(r[band].max())


def test_wind_low_band_and_gusty():
    y = synthesize("wind", 20.0, SR, 1)
    assert cent(y) < 1500
    env, _ = A.envelope(y, SR, hop_s=0.25)
    assert env.std() / env.mean() > 0.2                               # it rises and falls


def test_stronger_wind_is_brighter():
    for seed in (2, 3):
        breeze = synthesize("wind", 8.0, SR, seed, caption="a gentle breeze", intensity=0.2)
        gale = synthesize("wind", 8.0, SR, seed, caption="a gale", intensity=0.9)
        assert cent(gale) > 1.3 * cent(breeze)


def test_howling_wind_has_narrow_resonances():
    plain = np.mean([_peakiness_db(synthesize("wind", 8.0, SR, s)) for s in (1, 2)])
    howl = np.mean([_peakiness_db(synthesize("wind", 8.0, SR, s, caption="howling wind")) for s in (1, 2)])
    assert howl > plain + 2.0


# -------------------------------------------------------------------- ocean_waves
def _swells(y):
    env, fr = A.envelope(y, SR, hop_s=0.1)
    env = np.convolve(env, np.ones(10) / 10, "same")
    peaks, _ = signal.find_peaks(20 * np.log10(env + 1e-9), prominence=3, distance=int(2 * fr))
    return len(peaks)


def test_ocean_swells_and_rate():
    base = synthesize("ocean_waves", 40.0, SR, 1)
    fast = synthesize("ocean_waves", 40.0, SR, 1, rate=2.0)
    assert 3 <= _swells(base) <= 10                                   # ~6-12 s wave period
    assert _swells(fast) >= _swells(base) + 2
    env, _ = A.envelope(base, SR, hop_s=0.5)
    assert env.max() / np.percentile(env, 10) > 2.5                   # crash vs trough
    assert A.band_energy_fraction(base, SR, 0, 2000) > 0.8


def test_ocean_lapping_is_quicker_than_storm_surf():
    calm = sum(_swells(synthesize("ocean_waves", 40.0, SR, s, caption="gentle lapping", intensity=0.2)) for s in (2, 3))
    storm = sum(_swells(synthesize("ocean_waves", 40.0, SR, s, caption="stormy surf", intensity=0.9)) for s in (2, 3))
    assert calm > storm


# ------------------------------------------------------------------------- stream
def test_stream_bubbly_midband_and_continuous():
    y = synthesize("stream", 4.0, SR, 1, caption="a babbling brook")
    assert 400 < cent(y) < 2500
    env, _ = A.envelope(y, SR, hop_s=0.05)
    assert np.mean(env > 0.1 * np.median(env)) > 0.98                # never goes quiet


def test_river_is_deeper_than_brook():
    brook = synthesize("stream", 4.0, SR, 2, caption="a babbling brook")
    river = synthesize("stream", 4.0, SR, 2, caption="a wide river")
    assert cent(river) < 0.7 * cent(brook)
    assert A.band_energy_fraction(river, SR, 0, 500) > A.band_energy_fraction(brook, SR, 0, 500) + 0.2


# -------------------------------------------------------------------- water_drips
@pytest.mark.parametrize("count", [1, 3, 5, 8])
def test_drips_count_exact(count):
    y = synthesize("water_drips", 4.0, SR, count, count=count)
    assert len(A.onset_times(y, SR)) == count


def test_drip_pitch_rises():
    y = mono(synthesize("water_drips", 1.0, SR, 3, count=1))
    t0 = A.onset_times(y, SR)[0]

    def peak_hz(a, b):
        seg = y[int((t0 + a) * SR): int((t0 + b) * SR)]
        spec = np.abs(np.fft.rfft(seg * np.hanning(seg.size), 8192))
        f = np.fft.rfftfreq(8192, 1 / SR)
        spec[f < 300] = 0
        return f[np.argmax(spec)]
    assert peak_hz(0.035, 0.07) > 1.3 * peak_hz(0.003, 0.02)


def test_drips_default_sparse_and_metal_rings_longer():
    y = synthesize("water_drips", 10.0, SR, 4)
    assert 0.3 <= A.onset_rate_hz(y, SR) <= 3.0
    plain = synthesize("water_drips", 2.0, SR, 5, count=1)
    sink = synthesize("water_drips", 2.0, SR, 5, count=1, surface="metal")
    assert A.decay_time_s(sink, SR, 30) > A.decay_time_s(plain, SR, 30)


# ------------------------------------------------------------------------ pouring
def test_pouring_pitch_rises_as_vessel_fills():
    for seed in (1, 2):
        y = synthesize("pouring", 5.0, SR, seed, caption="pouring water into a glass")
        q = y.shape[1] // 4
        assert cent(y[:, -q:]) > 1.5 * cent(y[:, :q])


def test_bigger_vessel_is_lower():
    glass = synthesize("pouring", 5.0, SR, 3, caption="pouring water into a glass")
    bucket = synthesize("pouring", 5.0, SR, 3, caption="pouring water into a bucket")
    q = glass.shape[1] // 4
    assert cent(bucket[:, :q]) < 0.9 * cent(glass[:, :q])


# --------------------------------------------------------------------------- fire
def test_fire_crackles_over_a_body():
    y = synthesize("fire", 8.0, SR, 1)
    hp = dsp.highpass(mono(y), SR, 2000.0, order=4)
    assert 1.0 < A.onset_rate_hz(hp, SR) < 30.0                       # discrete crackles
    assert A.band_energy_fraction(y, SR, 1000, 8000) > 0.08           # snaps ring 1-6 kHz
    assert A.band_energy_fraction(y, SR, 40, 700) > 0.2               # lapping roar underneath


def test_fiercer_fire_crackles_more():
    rate = lambda i: np.mean([A.onset_rate_hz(dsp.highpass(mono(synthesize("fire", 8.0, SR, s, intensity=i)),
                                                           SR, 2000.0, order=4), SR) for s in (1, 2, 3)])
    assert rate(0.9) > 1.3 * rate(0.1)


# --------------------------------------------------------------------- underwater
def test_underwater_is_muffled_and_low():
    y = synthesize("underwater", 8.0, SR, 1)
    assert A.band_energy_fraction(y, SR, 0, 500) > 0.85
    assert A.band_energy_fraction(y, SR, 2000, 20000) < 0.01
    assert cent(y) < 500


def test_diver_adds_bubble_bursts():
    plain = np.mean([A.band_energy_fraction(synthesize("underwater", 12.0, SR, s), SR, 200, 1500) for s in (2, 3)])
    diver = np.mean([A.band_energy_fraction(synthesize("underwater", 12.0, SR, s, caption="a scuba diver breathing"),
                                            SR, 200, 1500) for s in (2, 3)])
    assert diver > 1.5 * plain


# ------------------------------------------------------------------ cave_ambience
def test_cave_has_drips_low_air_and_its_own_echoes():
    wet = synthesize("cave_ambience", 12.0, SR, 1)
    dry = synthesize("cave_ambience", 12.0, SR, 1, echo=False)
    assert 0.2 < A.onset_rate_hz(dry, SR) < 4.0                        # sparse drips
    assert A.onset_rate_hz(wet, SR) > 1.4 * A.onset_rate_hz(dry, SR)  # discrete echoes
    assert A.band_energy_fraction(dry, SR, 20, 200) > 0.03            # cold low air
    # the tail fills the gaps between drips: far more time spent within 15 dB of the peak
    def near_peak(y):
        db = 20 * np.log10(A.envelope(y, SR, hop_s=0.02)[0] + 1e-9)
        return np.mean(db > db.max() - 15)
    assert near_peak(wet) > 2.0 * near_peak(dry)


# ---------------------------------------------------------------- forest_ambience
def test_forest_layers_birds_and_insects():
    assert "birds" in REGISTRY and "insects" in REGISTRY
    day = synthesize("forest_ambience", 8.0, SR, 1)
    assert A.band_energy_fraction(day, SR, 1500, 9000) > 0.5           # song and chirps live here
    assert A.onset_rate_hz(day, SR) > 0.5                              # discrete calls
    night = synthesize("forest_ambience", 8.0, SR, 1, caption="a forest at night")
    assert A.tonality_db(night, SR) > A.tonality_db(day, SR) + 2.0     # a steady cricket chorus


def test_forest_windy_rustles_more():
    calm = synthesize("forest_ambience", 8.0, SR, 2)
    windy = synthesize("forest_ambience", 8.0, SR, 2, caption="a windy forest, leaves rustling")
    assert A.spectral_flatness(windy, SR) > A.spectral_flatness(calm, SR)
