"""Class descriptors and modifier behaviour of the machine and vehicle recipes
(machines.py, vehicles.py). Every check has a known answer and can fail."""
import numpy as np
import pytest
from scipy import signal

from engine import analysis as A
from engine.rendering.procedural.recipes import REGISTRY
from engine.rendering.procedural.synth import synthesize

SR = 44100
IDS = ["car_engine", "car_passby", "traffic", "train", "helicopter", "jet", "motor_hum", "siren", "alarm_beep",
       "phone_ring", "kettle_whistle", "room_tone", "city_ambience"]


def peak_hz(y, lo, hi, nperseg=16384):
    f, p = A.power_spectrum(y, SR, nperseg=nperseg)
    band = (f >= lo) & (f < hi)
    return float(f[band][np.argmax(p[band])])


def peakiness_db(y, lo, hi):
    """Strongest PSD bin over the mean PSD within a band: ~5-10 dB for noise, 20+ for a tone."""
    f, p = A.power_spectrum(y, SR, nperseg=8192)
    band = (f >= lo) & (f < hi)
    return float(10 * np.log10(p[band].max() / p[band].mean()))


def env_db(y, hop_s=0.05):
    e, _ = A.envelope(y, SR, hop_s=hop_s)
    return 20 * np.log10(e / e.max() + 1e-9)


def bursts(y, *, hop_s=0.01, thresh_db=-25.0, min_gap_s=0.3):
    """Number of separate loud segments (rings, beeps): runs above thresh, gaps >= min_gap_s merged."""
    e = env_db(y, hop_s)
    on = e > thresh_db
    idx = np.flatnonzero(on)
    if idx.size == 0:
        return 0
    gaps = np.diff(idx) * hop_s
    return int(1 + np.sum(gaps >= min_gap_s))


def pitch_track(y, lo, hi, hop_s=0.02):
    """Strongest STFT bin between lo and hi per frame (Hz)."""
    m = A.to_mono(y)
    f, t, z = signal.stft(m, fs=SR, nperseg=4096, noverlap=4096 - int(hop_s * SR))
    band = (f >= lo) & (f < hi)
    return f[band][np.argmax(np.abs(z[band]), axis=0)], t


def test_all_registered_and_other_rates_do_not_crash():
    for rid in IDS:
        assert rid in REGISTRY
        assert 4 <= len(REGISTRY[rid].descriptions) <= 6
        for sr in (22050, 48000):
            y = synthesize(rid, 1.0, sr, 3)
            assert y.shape == (2, sr) and np.all(np.isfinite(y))
            assert np.sqrt(np.mean(y.astype(np.float64) ** 2)) > 1e-3
    assert REGISTRY["car_passby"].handles_distance


# --- car_engine -------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_engine_idle_fires_at_rpm_over_60_times_cyl_over_2(seed):
    y = synthesize("car_engine", 4.0, SR, seed, caption="a car engine idling")
    # 4 cylinders at ~760-880 rpm -> 25-30 firings per second; almost all energy low
    assert 24.0 <= peak_hz(y, 10, 60) <= 31.0
    assert A.band_energy_fraction(y, SR, 0, 500) > 0.9


def test_engine_v8_fires_faster_at_idle():
    y = synthesize("car_engine", 4.0, SR, 2, caption="a v8 muscle car idling")
    assert 48.0 <= peak_hz(y, 20, 80) <= 58.0  # 8 cyl at ~725-835 rpm


def test_engine_revs_count_and_brightness():
    idle = synthesize("car_engine", 6.0, SR, 4, caption="engine idling")
    for m in (2, 4):
        rev = synthesize("car_engine", 6.0, SR, 4, caption="revving the engine", count=m)
        pk, _ = signal.find_peaks(env_db(rev), prominence=6)
        assert len(pk) == m
    assert A.spectral_centroid_hz(rev, SR) > 1.5 * A.spectral_centroid_hz(idle, SR)


def test_engine_acceleration_raises_firing_rate():
    y = synthesize("car_engine", 8.0, SR, 5, caption="the car accelerates hard")
    f1, _ = pitch_track(y[:, :SR], 15, 120)
    early = np.median(pitch_track(y[:, :int(0.6 * SR)], 15, 400)[0])
    late = np.median(pitch_track(y[:, int(2.0 * SR):int(3.0 * SR)], 15, 400)[0])
    assert late > 2.0 * early


# --- car_passby -------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2])
def test_passby_geometry_pan_and_doppler(seed):
    y = synthesize("car_passby", 8.0, SR, seed, caption="a car drives past from left to right")
    e = env_db(y)
    assert 0.35 < np.argmax(e) / e.size < 0.65          # closest approach near the middle
    assert e[:10].mean() < -12 and e[-10:].mean() < -12  # far away at both ends
    L, R = y[0].astype(np.float64), y[1].astype(np.float64)
    h = y.shape[1] // 3
    assert 10 * np.log10(np.sum(L[:h] ** 2) / np.sum(R[:h] ** 2)) > 6     # starts on the left
    assert 10 * np.log10(np.sum(L[-h:] ** 2) / np.sum(R[-h:] ** 2)) < -6  # ends on the right
    c = int(np.argmax(e) * 0.05 * SR)
    w, g = int(1.2 * SR), int(0.4 * SR)
    before = peak_hz(y[:, c - g - w:c - g], 20, 300)
    after = peak_hz(y[:, c + g:c + g + w], 20, 300)
    assert before / after > 1.05  # Doppler: the engine note drops as it passes


def test_passby_count_gives_that_many_vehicles():
    y = synthesize("car_passby", 12.0, SR, 3, count=3)
    pk, _ = signal.find_peaks(env_db(y, 0.1), prominence=8)
    assert len(pk) == 3


# --- traffic ------------------------------------------------------------------------------------------
def test_traffic_is_continuous_and_low_mid():
    y = synthesize("traffic", 12.0, SR, 1)
    e = env_db(y, 0.5)
    assert e.min() > -20                      # a continuous bed, never drops out
    assert A.band_energy_fraction(y, SR, 20, 2500) > 0.85
    assert 100 < A.spectral_centroid_hz(y, SR) < 1500
    assert np.corrcoef(y[0], y[1])[0, 1] < 0.95  # cars move across a stereo field


def test_traffic_heavier_means_more_pass_bys():
    def n_peaks(inten):
        tot = 0
        for s in (1, 2):
            y = synthesize("traffic", 12.0, SR, s, intensity=inten, distance="close")
            tot += len(signal.find_peaks(env_db(y, 0.1), prominence=4)[0])
        return tot
    assert n_peaks(1.0) > n_peaks(0.0)


# --- train ---------------------------------------------------------------------------------------------
def test_train_clacks_follow_speed():
    slow = synthesize("train", 8.0, SR, 2, rate=0.6)
    fast = synthesize("train", 8.0, SR, 2, rate=1.6)
    # the strongest rhythm is one car length (18-24 m) per period: 12.6 m/s vs 33.6 m/s
    ps, s_slow = A.dominant_period_s(slow[:, 2 * SR:], SR, min_s=0.8, max_s=2.5)
    pf, s_fast = A.dominant_period_s(fast[:, 2 * SR:], SR, min_s=0.3, max_s=1.2)
    assert 1.35 <= ps <= 2.0 and 0.5 <= pf <= 0.78 and min(s_slow, s_fast) > 0.15
    assert A.onset_rate_hz(slow, SR) > 1.0  # a rhythm of wheel impacts, not a steady noise


def test_train_onboard_rhythm_period_is_rail_length_over_speed():
    y = synthesize("train", 10.0, SR, 3, caption="riding inside a train carriage", intensity=0.5)
    per, strength = A.dominant_period_s(y, SR, min_s=0.4, max_s=3.0)
    # rails 18-25 m at 21 m/s -> one da-dum pair every 0.85-1.2 s
    # (a periodic envelope also peaks at twice its period: accept either)
    assert (0.8 <= per <= 1.25 or 0.8 <= per / 2 <= 1.25) and strength > 0.2


def test_train_horn_cue_adds_a_chord():
    plain = synthesize("train", 6.0, SR, 4)
    horn = synthesize("train", 6.0, SR, 4, caption="a train blows its horn", count=1)
    assert peakiness_db(horn, 250, 1600) > peakiness_db(plain, 250, 1600) + 3
    assert A.band_energy_fraction(horn, SR, 280, 800) > 1.5 * A.band_energy_fraction(plain, SR, 280, 800)
    assert 280 <= peak_hz(horn, 250, 1600) <= 1500


# --- helicopter ----------------------------------------------------------------------------------------
def test_helicopter_blade_pass_rhythm():
    y = synthesize("helicopter", 6.0, SR, 1)
    per, strength = A.dominant_period_s(y, SR, min_s=0.1, max_s=0.5)
    assert 1 / 7.2 <= per <= 1 / 4.2 and strength > 0.3
    assert A.band_energy_fraction(y, SR, 20, 300) > 0.4  # thumping


def test_helicopter_bigger_rotor_is_slower():
    small = A.dominant_period_s(synthesize("helicopter", 6.0, SR, 2, size=0.0), SR, min_s=0.1, max_s=0.5)[0]
    big = A.dominant_period_s(synthesize("helicopter", 6.0, SR, 2, size=1.0), SR, min_s=0.1, max_s=0.5)[0]
    assert big > 1.2 * small


# --- jet ---------------------------------------------------------------------------------------------
def test_jet_flyover_swells_and_is_broadband():
    y = synthesize("jet", 12.0, SR, 1)
    e = env_db(y, 0.1)
    assert 0.3 < np.argmax(e) / e.size < 0.7
    assert e[:10].mean() < -10 and e[-10:].mean() < -8
    assert A.spectral_flatness(y, SR, 100, 4000) > 0.05   # a roar, not a tone
    assert A.band_energy_fraction(y, SR, 50, 2000) > 0.6


def test_jet_taxi_is_steady_and_whiny():
    y = synthesize("jet", 6.0, SR, 2, caption="a jet taxiing on the runway")
    e = env_db(y, 0.25)
    assert e.min() > -6
    assert peak_hz(y, 1000, 6000) > 1200  # the fan whine partial stands out above the roar


# --- motor_hum ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("caption,f", [("an electrical transformer hum", 100.0), ("a 60 hz hum from the mains", 120.0)])
def test_mains_hum_is_twice_mains(caption, f):
    y = synthesize("motor_hum", 4.0, SR, 1, caption=caption)
    assert abs(peak_hz(y, 30, 1000) - f) < 3
    assert A.tonality_db(y, SR) > 30


def test_fan_is_blade_modulated_air():
    y = synthesize("motor_hum", 6.0, SR, 2, caption="an electric fan whirring")
    assert A.spectral_flatness(y, SR, 100, 3000) > A.spectral_flatness(
        synthesize("motor_hum", 6.0, SR, 2, caption="transformer hum"), SR, 100, 3000) * 5
    assert A.band_energy_fraction(y, SR, 0, 4000) > 0.9


def test_machinery_count_of_clanks():
    y = synthesize("motor_hum", 6.0, SR, 3, caption="factory machinery", count=5)
    # (the hum's ripple would swamp a 2 ms envelope: look for the clanks above 800 Hz)
    hp = signal.sosfilt(signal.butter(4, 800, "highpass", fs=SR, output="sos"), A.to_mono(y))
    on = A.onset_times(hp, SR, min_gap_s=0.3)
    assert np.sum(on > 0.1) == 5  # (the take's own start is not a clank)


# --- siren ---------------------------------------------------------------------------------------------
def test_siren_wail_sweeps_widely():
    y = synthesize("siren", 10.0, SR, 1)
    f, _ = pitch_track(y, 350, 2000)
    assert np.percentile(f, 95) - np.percentile(f, 5) > 500


def test_siren_hilo_is_two_tones_a_fourth_apart():
    y = synthesize("siren", 6.0, SR, 2, caption="a european two-tone ambulance siren")
    f, _ = pitch_track(y, 350, 750)
    lo, hi = np.percentile(f, 20), np.percentile(f, 80)
    assert 1.25 < hi / lo < 1.42
    mid = (f > lo * 1.06) & (f < hi / 1.06)
    assert np.mean(mid) < 0.15  # almost never in between: stepped, not swept


def test_siren_yelp_is_fast():
    y = synthesize("siren", 6.0, SR, 3, caption="police siren yelp")
    f, _ = pitch_track(y, 350, 2000, hop_s=0.01)
    ac = np.correlate(f - f.mean(), f - f.mean(), "full")[f.size - 1:]
    lag = np.argmax(ac[10:100]) + 10  # frames of 10 ms
    assert 0.2 <= lag * 0.01 <= 0.4


# --- alarm_beep ------------------------------------------------------------------------------------
@pytest.mark.parametrize("count", [1, 3, 7])
def test_alarm_beep_count_exact(count):
    y = synthesize("alarm_beep", 4.0, SR, count, count=count)
    assert len(A.onset_times(y, SR)) == count


def test_smoke_alarm_is_shrill_three_beep_pattern():
    y = synthesize("alarm_beep", 8.0, SR, 2, caption="the smoke alarm goes off")
    assert abs(peak_hz(y, 1000, 8000) - 3200) < 300
    on = A.onset_times(y, SR)
    d = np.round(np.diff(on), 1)
    assert np.sum(d == 1.0) >= 3 and np.sum(d == 2.0) >= 1  # 1 s apart in threes, then a longer pause


# --- phone_ring ------------------------------------------------------------------------------------
@pytest.mark.parametrize("caption", ["an old telephone rings", "a mobile phone ringtone"])
@pytest.mark.parametrize("count", [2, 3])
def test_phone_ring_count(caption, count):
    y = synthesize("phone_ring", 10.0, SR, count, caption=caption, count=count)
    assert bursts(y, min_gap_s=0.6) == count


def test_classic_bell_is_hammered_at_about_20_hz():
    y = synthesize("phone_ring", 3.0, SR, 1, caption="an old rotary telephone ringing")
    e, fr = A.envelope(y[:, int(0.3 * SR):int(1.8 * SR)], SR, hop_s=0.002)
    e = e - e.mean()
    f, p = signal.periodogram(e, fs=fr)
    fpk = f[(f > 10) & (f < 60)][np.argmax(p[(f > 10) & (f < 60)])]
    assert 15 <= fpk <= 48  # each strike (2 gongs at ~20 Hz)
    assert 900 <= peak_hz(y, 500, 3000) <= 1450


def test_modern_ringtone_is_a_melody():
    y = synthesize("phone_ring", 6.0, SR, 2, caption="a cell phone ringtone", count=2)
    assert len(A.onset_times(y, SR)) >= 8  # several notes per ring
    assert A.tonality_db(y, SR) > 30


# --- kettle_whistle ---------------------------------------------------------------------------------
def test_kettle_boils_then_whistles():
    y = synthesize("kettle_whistle", 8.0, SR, 1)
    first, last = y[:, :int(2.4 * SR)], y[:, int(5.6 * SR):]
    assert peakiness_db(last, 500, 6000) > peakiness_db(first, 500, 6000) + 10
    assert 1100 <= peak_hz(last, 500, 6000) <= 3000
    e = env_db(y, 0.25)
    assert e[-8:].mean() > e[:4].mean() + 10  # it gets louder as it comes to the boil


def test_kettle_whistle_pitch_rises():
    y = synthesize("kettle_whistle", 10.0, SR, 2)
    a = peak_hz(y[:, int(5.0 * SR):int(6.5 * SR)], 800, 4000)
    b = peak_hz(y[:, int(8.5 * SR):], 800, 4000)
    assert b > a * 1.03


# --- room_tone ---------------------------------------------------------------------------------
def test_room_tone_is_quiet_low_and_steady():
    y = synthesize("room_tone", 8.0, SR, 1)
    assert A.spectral_centroid_hz(y, SR) < 500
    assert A.band_energy_fraction(y, SR, 0, 1000) > 0.85
    e = env_db(y, 0.5)
    assert np.std(e) < 2.0
    assert np.corrcoef(y[0], y[1])[0, 1] < 0.5  # diffuse


def test_room_tone_bigger_room_is_darker():
    small = synthesize("room_tone", 4.0, SR, 2, size=0.0)
    big = synthesize("room_tone", 4.0, SR, 2, size=1.0)
    assert A.spectral_centroid_hz(big, SR) < 0.8 * A.spectral_centroid_hz(small, SR)


# --- city_ambience ------------------------------------------------------------------------------
def test_city_ambience_is_a_wide_continuous_bed_with_voices():
    y = synthesize("city_ambience", 10.0, SR, 1)
    e = env_db(y, 0.5)
    assert e.min() > -15
    assert np.corrcoef(y[0], y[1])[0, 1] < 0.9
    tr = synthesize("traffic", 10.0, SR, 1, intensity=0.5)
    # the voices add speech-band energy over the road alone
    assert A.band_energy_fraction(y, SR, 300, 2000) > A.band_energy_fraction(tr, SR, 300, 2000)


def test_city_siren_cue_adds_a_siren():
    plain = synthesize("city_ambience", 10.0, SR, 5, caption="a quiet city street")
    sir = synthesize("city_ambience", 10.0, SR, 5, caption="a city street, sirens in the distance")
    assert A.tonality_db(sir, SR) > A.tonality_db(plain, SR) + 3 or \
        A.band_energy_fraction(sir, SR, 500, 1600) > A.band_energy_fraction(plain, SR, 500, 1600) * 1.2
