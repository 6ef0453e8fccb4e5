"""Class descriptors and caption cues of the steam / compressed-air hiss recipe (steam.py).
Every check has a known answer and can fail: a tone, a click train or a flat envelope
would not pass."""
import numpy as np
import pytest

from engine import analysis as A
from engine.rendering.procedural import modifiers
from engine.rendering.procedural.recipes import REGISTRY
from engine.rendering.procedural.synth import synthesize as _synthesize

SR = 44100
SEEDS = [1, 2, 3]


def synthesize(rid, dur, sr, seed, caption=""):
    """As the renderer calls a recipe: the caption and the modifiers parsed from it."""
    return _synthesize(rid, dur, sr, seed, caption=caption, **modifiers.parse(caption))


def env_db(y, hop_s=0.01):
    e, _ = A.envelope(y, SR, hop_s=hop_s)
    return 20 * np.log10(e / e.max() + 1e-9)


def bursts(y, *, hop_s=0.01, thresh_db=-25.0, min_gap_s=0.15):
    """Separate loud segments: frames above thresh_db, gaps shorter than min_gap_s merged."""
    idx = np.flatnonzero(env_db(y, hop_s) > thresh_db)
    return 0 if idx.size == 0 else int(1 + np.sum(np.diff(idx) * hop_s >= min_gap_s))


def test_registered_as_an_fx_event_and_other_rates_do_not_crash():
    r = REGISTRY["steam_hiss"]
    assert r.track == "fx" and not r.texture and 4 <= len(r.descriptions) <= 6
    for sr in (22050, 48000):
        for cap in ("steam hissing", "air brakes hissing", "an espresso machine hisses"):
            y = synthesize("steam_hiss", 1.0, sr, 3, caption=cap)
            assert y.shape == (2, sr) and np.all(np.isfinite(y))
            assert np.sqrt(np.mean(y.astype(np.float64) ** 2)) > 1e-3


@pytest.mark.parametrize("seed", SEEDS)
def test_jet_noise_is_high_broadband_noise_with_a_little_body(seed):
    y = synthesize("steam_hiss", 4.0, SR, seed, caption="steam hissing")
    assert 4000.0 < A.spectral_centroid_hz(y, SR) < 7000.0            # measured ~5.1-5.6 kHz
    assert A.band_energy_fraction(y, SR, 2000, 10000) > 0.85          # ~0.91-0.93
    body = A.band_energy_fraction(y, SR, 100, 800)                     # ~0.01: present, not a rumble
    assert 0.003 < body < 0.05
    # noise, not a tone: flat inside its band, an order of magnitude flatter than the kettle's whistle
    flat = A.spectral_flatness(y, SR, 1500, 10000)                     # ~0.43-0.55
    kettle = A.spectral_flatness(synthesize("kettle_whistle", 8.0, SR, seed, caption="a kettle whistling"),
                                 SR, 1500, 10000)                      # ~0.06
    assert flat > 0.35 and flat > 4 * kettle


@pytest.mark.parametrize("seed", SEEDS)
def test_nozzle_size_sets_the_pitch_of_the_jet(seed):
    cen = lambda cap: A.spectral_centroid_hz(synthesize("steam_hiss", 4.0, SR, seed, caption=cap), SR)  # noqa: E731
    loco = cen("steam hissing from a locomotive's valves")             # ~3.2-3.5 kHz
    plain = cen("steam hissing")                                       # ~5.1-5.6 kHz
    tyre = cen("a tyre hissing as air leaks out")                      # ~7.6-8.5 kHz
    assert loco < 0.8 * plain and tyre > 1.2 * plain


@pytest.mark.parametrize("seed", SEEDS)
def test_release_sustains_with_flutter_and_a_puff_is_short(seed):
    steady = synthesize("steam_hiss", 4.0, SR, seed, caption="steam hissing")
    puff = synthesize("steam_hiss", 4.0, SR, seed, caption="a short puff of steam")
    assert np.mean(env_db(steady) > -20) > 0.7                          # ~0.83-0.95 of the take
    assert np.mean(env_db(puff) > -20) < 0.15                           # ~0.06-0.10
    assert A.decay_time_s(puff, SR) < 0.6
    # the sustain flutters (slow random amplitude), but is not chopped into pieces
    e, _ = A.envelope(steady, SR, hop_s=0.05)
    mid = e[10:60]                                                      # 0.5-3.0 s
    assert 0.04 < mid.std() / mid.mean() < 0.3                          # ~0.10-0.12
    # fast attack: from -30 dB to within 6 dB of the peak in a few tens of ms
    for y in (steady, puff):
        d = env_db(y, 0.005)
        assert np.flatnonzero(d > -6)[0] - np.flatnonzero(d > -30)[0] <= 8   # <= 40 ms


@pytest.mark.parametrize("seed", SEEDS)
def test_air_brakes_burst_then_fall_quieter_and_darker(seed):
    y = synthesize("steam_hiss", 4.0, SR, seed, caption="air brakes hissing")
    m = A.to_mono(y)
    e, fr = A.envelope(y, SR, hop_s=0.01)
    i = int(np.argmax(e) / fr * SR)
    head, tail = m[i:i + int(0.3 * SR)], m[i + int(0.6 * SR):i + int(1.2 * SR)]
    assert A.spectral_centroid_hz(tail, SR) < 0.9 * A.spectral_centroid_hz(head, SR)   # ~-20 %
    late = m[i + int(1.0 * SR):i + int(1.2 * SR)]
    assert 20 * np.log10(A.envelope(late, SR, hop_s=0.2)[0].max() / e.max()) < -12      # ~-18..-23 dB
    assert np.mean(env_db(y) > -20) < 0.4                                              # one burst, not a bed


@pytest.mark.parametrize("caption,k", [("three puffs of steam", 3), ("two short bursts of compressed air", 2),
                                       ("steam hisses four times", 4)])
def test_counted_bursts_are_honoured(caption, k):
    for seed in SEEDS:
        assert bursts(synthesize("steam_hiss", 6.0, SR, seed, caption=caption)) == k, seed


@pytest.mark.parametrize("seed", SEEDS)
def test_espresso_gurgles_and_pressure_cooker_pulses(seed):
    plain = synthesize("steam_hiss", 4.0, SR, seed, caption="steam hissing")
    esp = synthesize("steam_hiss", 4.0, SR, seed, caption="an espresso machine hisses")
    assert A.band_energy_fraction(esp, SR, 100, 1000) > 3 * A.band_energy_fraction(plain, SR, 100, 1000)
    cooker = synthesize("steam_hiss", 4.0, SR, seed, caption="a pressure cooker hissing")
    period, corr = A.dominant_period_s(cooker, SR, min_s=0.12, max_s=0.6)
    assert 0.15 <= period <= 0.35 and corr > 0.3                       # the weight rocks 3-6 times a second


def test_deterministic_per_seed_and_exact_length():
    for cap in ("steam hissing", "air brakes hissing", "a pressure cooker hissing"):
        a = synthesize("steam_hiss", 2.5, SR, 5, caption=cap)
        b = synthesize("steam_hiss", 2.5, SR, 5, caption=cap)
        c = synthesize("steam_hiss", 2.5, SR, 6, caption=cap)
        assert a.shape == (2, round(2.5 * SR)) and a.tobytes() == b.tobytes()
        assert not np.allclose(a, c, atol=1e-4)
        assert A.peak_dbfs(a) <= -1.0 + 1e-4
