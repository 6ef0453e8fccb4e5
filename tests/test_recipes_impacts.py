"""Class descriptors with known answers for the impact / mechanical recipes (impacts.py)."""
import numpy as np
import pytest
from scipy import signal

from engine import analysis
from engine.rendering.procedural.synth import synthesize

SR = 44100


def mono(y):
    return analysis.to_mono(y).astype(np.float64)


def onsets(y, **kw):
    return analysis.onset_times(y, SR, **kw)


def hp(y, hz):
    sos = signal.butter(4, hz, "highpass", fs=SR, output="sos")
    return signal.sosfilt(sos, mono(y))


def coarse_onsets(y, *, hop_s=0.05, look_s=0.5, rise_db=20.0):
    """Big events on a coarse envelope: a rise of rise_db over the minimum of the last look_s."""
    env, fr = analysis.envelope(y, SR, hop_s=hop_s)
    db = 20 * np.log10(env / env.max() + 1e-9)
    k = max(1, int(look_s * fr))
    out, last = [], -1e9
    for i in range(1, db.size):
        if db[i] - db[max(0, i - k):i].min() >= rise_db and db[i] > -40 and i - last > k:
            out.append(i / fr)
            last = i
    return np.asarray(out)


def smooth_peaks(y, *, hop_s=0.02, smooth_s=0.15, rel_db=-20.0, min_gap_s=0.4):
    """Peaks of a smoothed envelope: the count of slow events (whooshes, creaks)."""
    env, fr = analysis.envelope(y, SR, hop_s=hop_s)
    k = max(1, int(smooth_s * fr))
    env = np.convolve(env, np.ones(k) / k, mode="same")
    thr = env.max() * 10 ** (rel_db / 20)
    p, _ = signal.find_peaks(env, height=thr, distance=int(min_gap_s * fr), prominence=thr)
    return p / fr


# --- door_knock --------------------------------------------------------------------------
@pytest.mark.parametrize("count,seed", [(None, 1), (3, 2), (5, 3), (7, 4), (2, 5)])
def test_door_knock_exact_count(count, seed):
    y = synthesize("door_knock", 4.0 if count is None or count < 6 else 8.0, SR, seed, count=count)
    t = onsets(y)
    assert len(t) == (3 if count is None else count)
    # a natural rhythm: knocks within a group 0.12-0.45 s apart
    assert 0.12 < np.min(np.diff(t)) < 0.45


def test_door_knock_is_a_low_wooden_knock_and_metal_rings_brighter_longer():
    wood = synthesize("door_knock", 3.0, SR, 8, count=3)
    metal = synthesize("door_knock", 3.0, SR, 8, count=3, surface="metal", caption="knocking on a metal door")
    assert analysis.band_energy_fraction(wood, SR, 60, 1000) > 0.7
    assert analysis.spectral_centroid_hz(metal, SR) > 1.5 * analysis.spectral_centroid_hz(wood, SR)
    one_w = synthesize("door_knock", 2.0, SR, 8, count=1)
    one_m = synthesize("door_knock", 2.0, SR, 8, count=1, surface="metal")
    assert analysis.decay_time_s(one_m, SR) > 2 * analysis.decay_time_s(one_w, SR)


def test_door_knock_long_take_repeats_groups():
    y = synthesize("door_knock", 20.0, SR, 9)
    t = onsets(y)
    assert len(t) >= 6
    assert np.max(np.diff(t)) > 2.0        # waits between groups of knocks


# --- door_slam -----------------------------------------------------------------------------
def test_door_slam_low_thump_plus_latch_click():
    y = synthesize("door_slam", 2.5, SR, 3)
    assert analysis.band_energy_fraction(y, SR, 30, 300) > 0.5
    t = onsets(y)
    assert len(t) == 1
    i = int(t[0] * SR)
    win = mono(y)[i: i + int(0.06 * SR)]
    later = mono(y)[i + int(0.3 * SR): i + int(0.36 * SR)]
    hi_now = analysis.band_energy_fraction(win, SR, 2000, 8000)
    hi_later = analysis.band_energy_fraction(later, SR, 2000, 8000)
    assert hi_now > 0.003 and hi_now > 3 * hi_later   # the latch clicks only at the impact


@pytest.mark.parametrize("count", [2, 4])
def test_door_slam_count(count):
    y = synthesize("door_slam", 8.0, SR, 4, count=count)
    assert len(onsets(y, min_gap_s=0.2)) == count


# --- door_creak ----------------------------------------------------------------------------
FORMANTS = (62.5, 125, 250, 395, 560, 790)
BETWEEN = (90, 185, 320, 475, 670)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_door_creak_wood_formants_and_rusty_is_higher(seed):
    y = synthesize("door_creak", 4.0, SR, seed)
    f, p = analysis.power_spectrum(y, SR)
    assert analysis.band_energy_fraction(y, SR, 50, 900) > 0.45

    def level(centres):
        return np.mean([p[(f > c * 0.95) & (f < c * 1.05)].mean() for c in centres])
    assert level(FORMANTS) > 2.5 * level(BETWEEN)    # energy sits on the wood formants
    rusty = synthesize("door_creak", 4.0, SR, seed, caption="a rusty hinge squeaking")
    assert analysis.spectral_centroid_hz(rusty, SR) > analysis.spectral_centroid_hz(y, SR)
    assert analysis.band_energy_fraction(rusty, SR, 50, 900) < analysis.band_energy_fraction(y, SR, 50, 900) - 0.1


def test_door_creak_count_and_force():
    y = synthesize("door_creak", 10.0, SR, 5, count=3)
    assert len(smooth_peaks(y, smooth_s=0.5, min_gap_s=1.0, rel_db=-12)) == 3
    soft = synthesize("door_creak", 4.0, SR, 6, intensity=0.1)
    hard = synthesize("door_creak", 4.0, SR, 6, intensity=1.0)
    # more force -> faster stick-slip -> more high-frequency energy
    assert analysis.spectral_centroid_hz(hard, SR) > analysis.spectral_centroid_hz(soft, SR)


# --- clock_tick ----------------------------------------------------------------------------
def test_clock_tick_periodic_at_one_per_second_and_metallic():
    y = synthesize("clock_tick", 10.0, SR, 1)
    period, strength = analysis.dominant_period_s(y, SR, min_s=0.3, max_s=1.5)
    assert abs(period - 1.0) < 0.03 and strength > 0.5
    assert analysis.band_energy_fraction(y, SR, 2000, 9000) > 0.5
    assert 0.8 < analysis.onset_rate_hz(y, SR) < 1.2


def test_clock_tick_fast_and_grandfather_and_count():
    fast = synthesize("clock_tick", 6.0, SR, 2, caption="a clock ticking fast", rate=1.6)
    period, _ = analysis.dominant_period_s(fast, SR, min_s=0.1, max_s=0.6)
    assert period < 0.4
    grand = synthesize("clock_tick", 6.0, SR, 2, caption="a grandfather clock ticking")
    wall = synthesize("clock_tick", 6.0, SR, 2)
    assert analysis.spectral_centroid_hz(grand, SR) < analysis.spectral_centroid_hz(wall, SR)
    assert len(onsets(synthesize("clock_tick", 6.0, SR, 3, count=4))) == 4


def test_clock_tick_tick_and_tock_differ():
    y = mono(synthesize("clock_tick", 8.0, SR, 4))
    t = onsets(y)
    cents = [analysis.spectral_centroid_hz(y[int(s * SR): int((s + 0.03) * SR)], SR) for s in t[:6]]
    ticks, tocks = np.mean(cents[0::2]), np.mean(cents[1::2])
    assert abs(ticks - tocks) / max(ticks, tocks) > 0.05


# --- glass_break ---------------------------------------------------------------------------
def test_glass_break_bright_then_tinkles():
    y = synthesize("glass_break", 4.0, SR, 1)
    assert analysis.spectral_centroid_hz(y, SR) > 3000
    assert analysis.band_energy_fraction(y, SR, 2000, 12000) > 0.6
    t = onsets(y, min_gap_s=0.03, threshold_db=8.0)
    assert np.sum(t > 0.4) >= 4          # sparse shards landing after the break
    m = mono(y)
    assert analysis.dc_offset(m) < 1e-3
    assert np.abs(m[: int(0.3 * SR)]).max() > 2 * np.abs(m[int(1.5 * SR):]).max()


def test_glass_break_intensity_means_more_shards():
    lo = synthesize("glass_break", 4.0, SR, 5, intensity=0.1)
    hi = synthesize("glass_break", 4.0, SR, 5, intensity=1.0)
    count = lambda y: len(onsets(hp(y, 3000), min_gap_s=0.02, threshold_db=8.0))
    assert count(hi) > count(lo)


# --- explosion -----------------------------------------------------------------------------
def test_explosion_low_long_and_bigger_is_lower_longer():
    y = synthesize("explosion", 6.0, SR, 1)
    assert analysis.band_energy_fraction(y, SR, 10, 250) > 0.5
    assert analysis.decay_time_s(y, SR) > 1.0
    small = synthesize("explosion", 8.0, SR, 2, size=0.1, intensity=0.2)
    big = synthesize("explosion", 8.0, SR, 2, size=0.95, intensity=1.0)
    assert analysis.decay_time_s(big, SR) > analysis.decay_time_s(small, SR)
    # the falling low-pass: the first 100 ms are much brighter than 1-2 s later
    m = mono(y)
    i = int(np.argmax(np.abs(m)))
    early = analysis.spectral_centroid_hz(m[i: i + int(0.1 * SR)], SR)
    late = analysis.spectral_centroid_hz(m[i + SR: i + 2 * SR], SR)
    assert early > 2 * late


def test_explosion_count():
    for count in (1, 2, 3):
        y = synthesize("explosion", 12.0, SR, 3, count=count)
        assert len(coarse_onsets(y)) == count


# --- gunshot -------------------------------------------------------------------------------
@pytest.mark.parametrize("count", [1, 3, 6])
def test_gunshot_count_exact(count):
    y = synthesize("gunshot", 6.0, SR, count, count=count)
    assert len(onsets(y)) == count


def test_gunshot_echo_tail_and_indoor_shorter():
    out = synthesize("gunshot", 4.0, SR, 2, count=1)
    ind = synthesize("gunshot", 4.0, SR, 2, count=1, indoor=True)
    m = mono(out)
    i = int(np.argmax(np.abs(m)))
    tail = np.sqrt(np.mean(m[i + int(0.6 * SR): i + int(1.0 * SR)] ** 2))
    assert tail > 10 ** (-50 / 20) * np.abs(m).max()       # an audible echo tail...
    assert tail < 10 ** (-12 / 20) * np.abs(m).max()       # ...well below the blast
    assert analysis.decay_time_s(out, SR, 40) > analysis.decay_time_s(ind, SR, 40)
    assert analysis.spectral_flatness(out, SR) > 0.05     # a noisy blast, not a tone


def test_machine_gun_is_a_fast_burst():
    y = synthesize("gunshot", 4.0, SR, 3, caption="machine gun fire")
    t = onsets(y)
    assert len(t) >= 6
    assert np.median(np.diff(t)) < 0.15


# --- impact_thud ---------------------------------------------------------------------------
def test_impact_thud_low_and_surface_changes_spectrum():
    y = synthesize("impact_thud", 2.0, SR, 1)
    assert analysis.band_energy_fraction(y, SR, 20, 250) > 0.7
    assert len(onsets(y)) == 1
    carpet = synthesize("impact_thud", 2.0, SR, 2, surface="carpet")
    concrete = synthesize("impact_thud", 2.0, SR, 2, surface="concrete")
    metal = synthesize("impact_thud", 2.0, SR, 2, surface="metal")
    c = [analysis.spectral_centroid_hz(x, SR) for x in (carpet, concrete, metal)]
    assert c[0] < c[1] < c[2]


def test_impact_thud_count_and_heavier_is_lower():
    y = synthesize("impact_thud", 6.0, SR, 3, count=4)
    assert len(onsets(y)) == 4
    light = synthesize("impact_thud", 2.0, SR, 4, size=0.1, intensity=0.2)
    heavy = synthesize("impact_thud", 2.0, SR, 4, size=0.95, intensity=1.0)
    assert analysis.spectral_centroid_hz(heavy, SR) < analysis.spectral_centroid_hz(light, SR)


# --- whoosh --------------------------------------------------------------------------------
def test_whoosh_noise_with_swept_centre_and_pan():
    y = synthesize("whoosh", 1.5, SR, 1, count=1)
    m = mono(y)
    assert analysis.spectral_flatness(y, SR, 200, 8000) > 0.02   # noise, not a tone
    env, fr = analysis.envelope(y, SR, hop_s=0.01)
    i = int(np.argmax(env))
    w = int(0.06 * SR)
    pk = int(i / fr * SR)
    mid = analysis.spectral_centroid_hz(m[pk - w // 2: pk + w // 2], SR)
    on = np.flatnonzero(env > env.max() * 0.1)
    edge = analysis.spectral_centroid_hz(m[int(on[0] / fr * SR): int(on[0] / fr * SR) + w], SR)
    assert mid > 1.3 * edge          # the band sweeps up as the object passes
    l, r = y[0].astype(float), y[1].astype(float)
    a, b = int(on[0] / fr * SR), int(on[-1] / fr * SR)
    first = np.sum(l[a:a + w] ** 2) / (np.sum(r[a:a + w] ** 2) + 1e-12)
    last = np.sum(l[b - w:b] ** 2) / (np.sum(r[b - w:b] ** 2) + 1e-12)
    assert (first - 1) * (last - 1) < 0   # it crosses the stereo field


def test_whoosh_count_and_size():
    y = synthesize("whoosh", 6.0, SR, 2, count=3)
    assert len(smooth_peaks(y, smooth_s=0.1, min_gap_s=0.5)) == 3
    small = synthesize("whoosh", 2.0, SR, 3, count=1, size=0.1)
    big = synthesize("whoosh", 2.0, SR, 3, count=1, size=0.95)
    assert analysis.spectral_centroid_hz(big, SR) < analysis.spectral_centroid_hz(small, SR)


# --- every recipe here: other sample rates ------------------------------------------------
@pytest.mark.parametrize("rid", ["door_creak", "door_knock", "door_slam", "clock_tick", "glass_break",
                                 "explosion", "gunshot", "impact_thud", "whoosh"])
@pytest.mark.parametrize("sr", [22050, 48000])
def test_other_sample_rates(rid, sr):
    y = synthesize(rid, 2.0, sr, 1)
    assert y.shape == (2, 2 * sr) and np.all(np.isfinite(y))
    assert np.sqrt(np.mean(y.astype(float) ** 2)) > 10 ** (-45 / 20)
    # nothing folded down near Nyquist: the top 5 % of the band holds almost no energy
    assert analysis.band_energy_fraction(y, sr, 0.45 * sr, sr / 2) < 0.02
