"""Descriptor tests with known answers for the animal recipes (birds, insects, frogs,
dog_bark, cat_meow, horse_hooves, rooster, owl)."""
import numpy as np
import pytest

from engine import analysis as A
from engine.rendering.procedural.synth import synthesize

SR = 44100


def band(y, lo, hi):
    return A.band_energy_fraction(y, SR, lo, hi)


def active_fraction(y, db=-30.0):
    env, _ = A.envelope(y, SR, hop_s=0.02)
    return float(np.mean(20 * np.log10(env / env.max() + 1e-12) > db))


# --- birds -------------------------------------------------------------------------
def test_birds_are_high_pitched_chirps():
    y = synthesize("birds", 8.0, SR, 1)
    assert 2000 < A.spectral_centroid_hz(y, SR) < 7000
    assert band(y, 1500, 9500) > 0.85
    assert A.onset_rate_hz(y, SR) > 0.5          # discrete syllables, not a drone


def test_dawn_chorus_is_denser_than_a_single_bird():
    one = synthesize("birds", 8.0, SR, 2, caption="a single bird singing")
    many = synthesize("birds", 8.0, SR, 2, caption="a dawn chorus of many birds")
    assert active_fraction(many) > active_fraction(one) + 0.1


@pytest.mark.parametrize("count", [3, 6])
def test_birds_count_is_exact_chirps(count):
    y = synthesize("birds", 4.0, SR, 3, count=count, caption="a bird chirping")
    assert len(A.onset_times(y, SR)) == count


# --- insects -----------------------------------------------------------------------
def test_crickets_concentrated_near_4_5_khz_in_pulses():
    y = synthesize("insects", 6.0, SR, 1, caption="crickets at night")
    assert band(y, 3000, 6000) > 0.8
    assert A.onset_rate_hz(y, SR) > 1.0


def test_fly_buzz_is_a_low_harmonic_saw_not_a_cricket():
    fly = synthesize("insects", 4.0, SR, 1, caption="a fly buzzing around")
    crick = synthesize("insects", 4.0, SR, 1, caption="crickets")
    assert A.spectral_centroid_hz(fly, SR) < 0.5 * A.spectral_centroid_hz(crick, SR)
    assert band(fly, 150, 3000) > 0.7
    mos = synthesize("insects", 4.0, SR, 1, caption="a mosquito whining")
    assert A.spectral_centroid_hz(mos, SR) > A.spectral_centroid_hz(fly, SR)


# --- frogs -------------------------------------------------------------------------
def test_bullfrog_is_lower_than_tree_frogs():
    bull = synthesize("frogs", 6.0, SR, 1, caption="a bullfrog croaking")
    tree = synthesize("frogs", 6.0, SR, 1, caption="tree frogs ribbit")
    assert A.spectral_centroid_hz(bull, SR) < 1000 < A.spectral_centroid_hz(tree, SR)
    assert A.onset_rate_hz(tree, SR) > 0.3


def test_frog_croaks_are_pulse_trains():
    """A croak is a train of glottal-like pulses: its envelope is periodic at the pulse rate."""
    y = synthesize("frogs", 3.0, SR, 4, count=2, caption="a bullfrog")
    period, strength = A.dominant_period_s(y, SR, min_s=0.006, max_s=0.03)
    assert 1 / 0.03 < 1 / period < 1 / 0.006 and strength > 0.2


# --- dog ---------------------------------------------------------------------------
@pytest.mark.parametrize("count,caption", [(1, "a dog barks"), (3, "a big dog barking"), (5, "a small dog yapping")])
def test_dog_bark_count_exact(count, caption):
    y = synthesize("dog_bark", 5.0, SR, 7, count=count, caption=caption)
    assert len(A.onset_times(y, SR)) == count


def test_big_dog_is_lower_than_small_dog():
    big = synthesize("dog_bark", 4.0, SR, 3, count=3, caption="a big dog barking")
    small = synthesize("dog_bark", 4.0, SR, 3, count=3, caption="a small dog yapping")
    assert A.spectral_centroid_hz(big, SR) < A.spectral_centroid_hz(small, SR)
    assert band(big, 150, 4000) > 0.8          # voiced bark energy, not hiss


# --- cat ---------------------------------------------------------------------------
def test_cat_meow_is_tonal_voice_with_exact_count():
    y = synthesize("cat_meow", 6.0, SR, 2, count=3)
    assert len(A.onset_times(y, SR)) == 3
    assert 400 < A.spectral_centroid_hz(y, SR) < 3000
    assert A.spectral_flatness(y, SR) < 0.05   # harmonic, not noise


def test_purr_is_low_and_continuous():
    purr = synthesize("cat_meow", 4.0, SR, 2, caption="a cat purring")
    assert band(purr, 0, 1000) > 0.9
    assert active_fraction(purr) > 0.6


# --- horse -------------------------------------------------------------------------
def test_hooves_count_exact_and_walk_is_four_beat():
    y = synthesize("horse_hooves", 5.0, SR, 1, count=8, caption="a horse walking on cobblestones")
    on = A.onset_times(y, SR)
    assert len(on) == 8
    gaps = np.diff(on)
    assert np.std(gaps) / np.mean(gaps) < 0.25   # walk: four even beats per stride


def test_gallop_is_faster_than_walk_and_soft_ground_is_duller():
    walk = synthesize("horse_hooves", 8.0, SR, 2, caption="a horse walking on a road")
    gallop = synthesize("horse_hooves", 8.0, SR, 2, caption="a horse galloping on the road")
    assert A.onset_rate_hz(gallop, SR) > 1.15 * A.onset_rate_hz(walk, SR)
    stride, strength = A.dominant_period_s(gallop, SR, min_s=0.3, max_s=1.5)
    assert 0.38 < stride < 0.55 and strength > 0.3          # a fast, strongly periodic stride
    turf = synthesize("horse_hooves", 8.0, SR, 2, caption="a horse walking on grass")
    assert A.spectral_centroid_hz(turf, SR) < A.spectral_centroid_hz(walk, SR)


# --- rooster -----------------------------------------------------------------------
def test_rooster_crow_count_and_syllables():
    y = synthesize("rooster", 8.0, SR, 3, count=2)
    assert len(A.onset_times(y, SR, min_gap_s=0.5)) == 2        # two crows
    assert len(A.onset_times(y, SR)) >= 6                       # each crow: several syllables
    assert 600 < A.spectral_centroid_hz(y, SR) < 3500
    assert A.spectral_flatness(y, SR) < 0.05


# --- owl ---------------------------------------------------------------------------
@pytest.mark.parametrize("count", [1, 5])
def test_owl_hoot_count_low_and_tonal(count):
    y = synthesize("owl", 8.0, SR, 5, count=count)
    assert len(A.onset_times(y, SR)) == count
    assert A.spectral_centroid_hz(y, SR) < 700
    assert A.tonality_db(y, SR) > 30
