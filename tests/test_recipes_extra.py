"""Descriptor tests with known answers for the voice, livestock, kitchen, blade, tyre and
cartoon recipes (scream, shout, baby_cry, cow_moo, sheep_bleat, sizzle, chopping,
sword_clang, tyre_screech, boing)."""
import numpy as np
import pytest
from scipy import signal

from engine import analysis as A
from engine.rendering.procedural.synth import synthesize
from test_recipes_animals import active_fraction

SR = 44100


# --- measurement helpers (each checked against a synthetic signal below) -------------
def pitch_track(y, sr=SR, *, fmin=60.0, fmax=1500.0, frame_s=0.04, hop_s=0.005, floor_db=-25.0):
    """Per-frame f0 (Hz) and clarity (normalised autocorrelation at the period) of the
    frames within floor_db of the loudest; NaN f0 for the other frames."""
    m = A.to_mono(y)
    L, H = int(frame_s * sr), int(hop_s * sr)
    k = 1 + (m.size - L) // H
    win = np.hanning(L)
    frames = np.lib.stride_tricks.sliding_window_view(m, L)[::H][:k] * win
    ac = np.fft.irfft(np.abs(np.fft.rfft(frames, 2 * L, axis=1)) ** 2, axis=1)[:, :L]
    w_ac = np.fft.irfft(np.abs(np.fft.rfft(win, 2 * L)) ** 2)[:L]
    ac = ac / (ac[:, :1] + 1e-20) / np.maximum(w_ac / w_ac[0], 1e-3)   # Boersma: undo the window's taper
    lo, hi = int(sr / fmax), int(sr / fmin)
    lag = lo + np.argmax(ac[:, lo:hi], axis=1)
    clarity = ac[np.arange(k), lag]
    # prefer the shortest lag that is nearly as strong (avoids octave-down errors)
    for div in (4, 3, 2):
        cand = np.round(lag / div).astype(int)
        ok = (cand >= lo) & (ac[np.arange(k), np.maximum(cand, 1)] > 0.9 * clarity)
        lag = np.where(ok, cand, lag)
    e = np.sqrt(np.mean(frames ** 2, axis=1))
    loud = 20 * np.log10(e / e.max() + 1e-12) > floor_db
    f0 = np.where(loud, sr / lag, np.nan)
    return f0, np.where(loud, clarity, np.nan), hop_s


def spectral_peaks(y, sr=SR, *, lo=100.0, hi=9000.0, top=8, nperseg=16384):
    f, p = A.power_spectrum(y, sr, nperseg=nperseg)
    band = (f >= lo) & (f < hi)
    idx, _ = signal.find_peaks(p * band, distance=8)
    idx = idx[np.argsort(p[idx])[::-1][:top]]
    return np.sort(f[idx])


def harmonic_fraction(freqs, tol=0.02, max_h=12):
    """Best fraction of the peaks lying within tol of an integer multiple of f0, over
    f0 = lowest peak / 1, 2, 3."""
    freqs = np.asarray(freqs)
    best = 0.0
    for d in (1, 2, 3):
        f0 = freqs[0] / d
        h = np.round(freqs / f0)
        ok = (h >= 1) & (h <= max_h) & (np.abs(freqs / (h * f0) - 1) < tol)
        best = max(best, float(np.mean(ok)))
    return best


def crackle_rate(y, sr=SR, k=5.0):
    """Tiny transients per second: 1 ms frames (above 2 kHz) whose peak exceeds k times
    the median frame RMS. White noise: ~0; a crackling texture: hundreds."""
    m = A.to_mono(y)
    h = signal.sosfilt(signal.butter(2, 2000, "highpass", fs=sr, output="sos"), m)
    L = int(0.001 * sr)
    fr = np.abs(h[: h.size // L * L]).reshape(-1, L)
    base = np.median(np.sqrt(np.mean(fr ** 2, axis=1)))
    return float(np.sum(fr.max(axis=1) > k * base) / (m.size / sr))


def test_helpers_on_known_signals():
    t = np.arange(SR) / SR
    saw = sum(np.sin(2 * np.pi * 150 * h * t) / h for h in range(1, 15))
    f0, clar, _ = pitch_track(saw)
    assert abs(np.nanmedian(f0) - 150) < 3 and np.nanmedian(clar) > 0.9
    assert harmonic_fraction(spectral_peaks(saw)) == 1.0
    bar = sum(np.sin(2 * np.pi * 500 * r * t) for r in (1.0, 2.756, 5.404, 8.933, 13.345))
    assert harmonic_fraction(spectral_peaks(bar)) < 0.5
    rng = np.random.default_rng(0)
    assert crackle_rate(rng.standard_normal(2 * SR)) < 2.0


# --- scream / shout ------------------------------------------------------------------
def test_scream_is_high_rough_and_rises_at_onset():
    y = synthesize("scream", 3.0, SR, 2, count=1, caption="a woman screams")
    f0, clar, hop = pitch_track(y, fmin=200.0, fmax=2000.0)
    voiced = np.flatnonzero(np.isfinite(f0))
    assert 500 < np.nanmedian(f0) < 1600
    start = f0[voiced[:4]].mean()
    peak = np.nanmax(f0[voiced[0]: voiced[0] + int(0.4 / hop)])
    assert peak > 1.2 * start                                    # the pitch leaps up at onset
    assert 1000 < A.spectral_centroid_hz(y, SR) < 4000
    assert A.band_energy_fraction(y, SR, 700, 5000) > 0.6       # bright, open-throated


def test_scream_count_and_man_lower_than_woman():
    y = synthesize("scream", 8.0, SR, 3, count=3, caption="a man screaming")
    assert len(A.onset_times(y, SR, min_gap_s=0.5)) == 3       # (each after its own gasp)
    man = np.nanmedian(pitch_track(y, fmin=150.0, fmax=2000.0)[0])
    woman = np.nanmedian(pitch_track(synthesize("scream", 8.0, SR, 3, count=3, caption="a woman screaming"),
                                     fmin=150.0, fmax=2000.0)[0])
    assert 280 < man < 0.8 * woman


def test_shout_is_a_voice_lower_than_a_scream():
    y = synthesize("shout", 6.0, SR, 4, count=2, caption="a man shouts hey")
    f0, clar, _ = pitch_track(y, fmin=80.0, fmax=800.0)
    assert 120 < np.nanmedian(f0) < 300 and np.nanmedian(clar) > 0.6   # voiced, periodic
    assert len(A.onset_times(y, SR, min_gap_s=0.6)) == 2
    call = synthesize("shout", 6.0, SR, 4, count=1, caption="someone calling out hello")
    assert len(A.onset_times(call, SR, min_gap_s=0.05)) >= 2           # several syllables


# --- baby cry / sob ------------------------------------------------------------------
def test_baby_cry_f0_bursts_and_pauses():
    y = synthesize("baby_cry", 10.0, SR, 1, caption="a baby crying")
    f0, clar, _ = pitch_track(y, fmin=150.0, fmax=1200.0)
    assert 300 < np.nanmedian(f0) < 600
    assert 1500 < A.spectral_centroid_hz(y, SR) < 5000
    assert 0.3 < active_fraction(y) < 0.95                             # breath pauses between bursts
    assert 0.3 < A.onset_rate_hz(y, SR, min_gap_s=0.3) < 2.0


@pytest.mark.parametrize("count", [2, 4])
def test_baby_cry_count_exact(count):
    y = synthesize("baby_cry", 8.0, SR, 5, count=count, caption="a baby crying")
    assert len(A.onset_times(y, SR, min_gap_s=0.3)) == count


def test_sobbing_adult_is_lower_and_breathier_than_a_baby():
    sob = synthesize("baby_cry", 8.0, SR, 2, caption="a woman sobbing")
    baby = synthesize("baby_cry", 8.0, SR, 2, caption="a baby crying")
    f_sob = np.nanmedian(pitch_track(sob, fmin=100.0, fmax=1200.0, floor_db=-20.0)[0])
    f_baby = np.nanmedian(pitch_track(baby, fmin=100.0, fmax=1200.0, floor_db=-20.0)[0])
    assert f_sob < 0.8 * f_baby
    assert active_fraction(sob) < active_fraction(baby)


# --- cow / sheep ---------------------------------------------------------------------
def test_cow_moo_low_harmonic_and_gliding():
    y = synthesize("cow_moo", 4.0, SR, 1, count=1, caption="a cow mooing")
    f0, clar, _ = pitch_track(y, fmin=50.0, fmax=400.0)
    assert 80 < np.nanmedian(f0) < 200
    assert np.nanmedian(clar) > 0.8                                    # strongly periodic
    v = f0[np.isfinite(f0)]
    assert np.nanmax(v) > 1.2 * v[-5:].mean()                          # the long falling glide
    assert A.spectral_centroid_hz(y, SR) < 1200
    fr, p = A.power_spectrum(y, SR, nperseg=8192)
    low = p[(fr > 60) & (fr < 2500)]
    assert A.band_energy_fraction(y, SR, 60, 2500) > 0.9 and low.max() > 100 * np.median(low)  # harmonic peaks


def test_cow_count_and_calf_higher_than_bull():
    y = synthesize("cow_moo", 10.0, SR, 2, count=3)
    assert len(A.onset_times(y, SR, min_gap_s=0.5)) == 3
    calf = np.nanmedian(pitch_track(synthesize("cow_moo", 4.0, SR, 3, count=1, caption="a calf mooing"),
                                    fmin=50.0, fmax=400.0)[0])
    bull = np.nanmedian(pitch_track(synthesize("cow_moo", 4.0, SR, 3, count=1, caption="a big bull"),
                                    fmin=50.0, fmax=400.0)[0])
    assert bull < 0.8 * calf


def _vibrato_hz(y, fmin, fmax):
    f0, _, hop = pitch_track(y, fmin=fmin, fmax=fmax, frame_s=0.03, hop_s=0.004, floor_db=-12.0)
    v = np.log(f0[np.isfinite(f0)])
    k = int(0.1 / hop)
    v = v - np.convolve(v, np.ones(k) / k, mode="same")   # remove the slow contour (< ~5 Hz)
    v = v[k:-k]
    spec = np.abs(np.fft.rfft(v * np.hanning(v.size), 4096))
    fr = np.fft.rfftfreq(4096, hop)
    band = (fr > 3) & (fr < 20)
    return float(fr[band][np.argmax(spec[band])])


def test_sheep_bleat_has_fast_vibrato():
    y = synthesize("sheep_bleat", 2.0, SR, 1, count=1, caption="a sheep bleating")
    f0, clar, _ = pitch_track(y, fmin=100.0, fmax=800.0)
    assert 170 < np.nanmedian(f0) < 420
    assert 5.5 < _vibrato_hz(y, 100.0, 800.0) < 11.0
    goat = synthesize("sheep_bleat", 2.0, SR, 1, count=1, caption="a goat bleating")
    assert _vibrato_hz(goat, 150.0, 900.0) > 8.5                    # goats tremble faster
    # a bleat rises from silence (> 20 dB); its own tremolo pulses do not
    assert len(A.onset_times(synthesize("sheep_bleat", 6.0, SR, 2, count=3), SR, min_gap_s=0.3,
                             threshold_db=20.0)) == 3


# --- sizzle / chopping ---------------------------------------------------------------
def test_sizzle_is_flat_bright_and_crackling():
    y = synthesize("sizzle", 6.0, SR, 1, caption="bacon sizzling in a pan")
    assert A.spectral_flatness(y, SR, 1000, 12000) > 0.5               # noise-like, no pitch
    assert A.spectral_centroid_hz(y, SR) > 4000
    assert A.band_energy_fraction(y, SR, 0, 800) < 0.05
    assert crackle_rate(y) > 100                                       # hundreds of tiny pops/s
    assert active_fraction(y) > 0.95                                   # a continuous bed
    hot = crackle_rate(synthesize("sizzle", 6.0, SR, 2, caption="hot oil spitting violently"))
    gentle = crackle_rate(synthesize("sizzle", 6.0, SR, 2, caption="gently simmering onions"))
    assert hot > 1.2 * gentle


@pytest.mark.parametrize("count", [3, 7])
def test_chopping_count_exact(count):
    y = synthesize("chopping", 5.0, SR, 4, count=count, caption="chopping carrots")
    assert len(A.onset_times(y, SR)) == count


def test_chopping_is_a_rhythmic_short_wooden_thock():
    y = synthesize("chopping", 8.0, SR, 1, caption="chopping vegetables on a board")
    period, strength = A.dominant_period_s(y, SR, min_s=0.1, max_s=1.0)
    assert 0.2 < period < 0.4 and strength > 0.3
    fast = synthesize("chopping", 8.0, SR, 1, caption="mincing herbs quickly")
    assert A.dominant_period_s(fast, SR, min_s=0.05, max_s=1.0)[0] < 0.6 * period
    one = synthesize("chopping", 2.0, SR, 1, count=1)
    assert A.decay_time_s(one, SR) < 0.3                               # a damped wooden board
    cleaver = synthesize("chopping", 8.0, SR, 1, caption="a cleaver chopping meat")
    assert A.spectral_centroid_hz(cleaver, SR) < A.spectral_centroid_hz(y, SR)  # no vegetable crunch


# --- sword ---------------------------------------------------------------------------
def test_sword_clang_inharmonic_and_long_ringing():
    y = synthesize("sword_clang", 4.0, SR, 1, count=1)
    assert A.decay_time_s(y, SR) > 1.0
    tail = y[:, int(0.3 * SR):]
    assert harmonic_fraction(spectral_peaks(tail, lo=300.0)) < 0.6
    assert A.tonality_db(tail, SR) > 30                                # ringing modes, not noise
    assert A.spectral_centroid_hz(y, SR) > 1500                        # bright metal


def test_sword_count_and_draw_is_a_rising_scrape():
    y = synthesize("sword_clang", 6.0, SR, 2, count=4, caption="swords clashing")
    assert len(A.onset_times(y, SR, min_gap_s=0.1)) == 4
    draw = synthesize("sword_clang", 2.0, SR, 2, caption="a sword drawn from its scabbard")
    assert A.decay_time_s(draw, SR) < A.decay_time_s(synthesize("sword_clang", 2.0, SR, 2, count=1), SR)
    env, fr = A.envelope(draw, SR, hop_s=0.05)
    i = int(np.argmax(env))
    assert i > 3 and env[1] < 0.5 * env[i]                             # grows along the slide


# --- tyres ---------------------------------------------------------------------------
def _peak_track(y, lo=800.0, hi=6000.0):
    f, t, s = signal.spectrogram(A.to_mono(y), fs=SR, nperseg=4096, noverlap=3072)
    band = (f >= lo) & (f < hi)
    e = s[band].sum(axis=0)
    live = e > 0.1 * e.max()
    return f[band][np.argmax(s[band], axis=0)][live]


def test_tyre_screech_narrowband_wandering_squeal():
    y = synthesize("tyre_screech", 3.0, SR, 1, caption="tyres screeching")
    assert A.band_energy_fraction(y, SR, 1000, 4000) > 0.6
    assert A.tonality_db(y, SR) > 25
    pk = _peak_track(y)
    assert 1000 < np.median(pk) < 2000
    assert np.std(pk) / np.mean(pk) > 0.01                             # the pitch wanders
    assert pk[-3:].mean() < 0.95 * np.median(pk)                        # and falls as the car stops
    brakes = _peak_track(synthesize("tyre_screech", 3.0, SR, 1, caption="brakes squealing"))
    assert np.median(brakes) > 1.5 * np.median(pk)


def test_tyre_screech_count():
    y = synthesize("tyre_screech", 8.0, SR, 3, count=2, caption="a car skids")
    assert len(A.onset_times(y, SR, min_gap_s=0.5)) == 2


# --- boing ---------------------------------------------------------------------------
def test_boing_pitch_bends_up_then_wobbles_and_decays():
    y = synthesize("boing", 1.5, SR, 1)
    f0, clar, hop = pitch_track(y, fmin=60.0, fmax=1000.0, frame_s=0.025, hop_s=0.003, floor_db=-40.0)
    v = np.flatnonzero(np.isfinite(f0))
    early = f0[v[0] + np.flatnonzero(clar[v[0]:] > 0.5)[0]]           # first clearly pitched frame
    settled = np.nanmedian(f0[v[0] + int(0.15 / hop): v[0] + int(0.3 / hop)])
    assert settled > 1.25 * early                                      # the upward bend after the pluck
    assert 4.0 < _vibrato_hz(y, 80.0, 1000.0) < 14.0                   # the wobble
    assert 0.4 < A.decay_time_s(y, SR) < 1.4


@pytest.mark.parametrize("count", [1, 3])
def test_boing_count_exact(count):
    y = synthesize("boing", 4.0, SR, 2, count=count)
    assert len(A.onset_times(y, SR)) == count
