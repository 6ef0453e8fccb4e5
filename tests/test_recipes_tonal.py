"""Class descriptors with known answers for the tonal recipes (tonal.py): bells, chimes,
sfxr game sounds and the mood-led music bed."""
import numpy as np
import pytest
from scipy import signal

from engine import analysis
from engine.rendering.procedural.synth import synthesize

SR = 44100


def mono(y):
    return analysis.to_mono(y).astype(np.float64)


def hp(y, hz):
    sos = signal.butter(4, hz, "highpass", fs=SR, output="sos")
    return signal.sosfilt(sos, mono(y))


def coarse_onsets(y, *, hop_s=0.02, look_s=0.3, rise_db=20.0, floor_db=-40.0):
    """Events on a coarse envelope (robust to the beating of long rings): a rise of rise_db
    over the minimum of the last look_s, at least look_s after the previous event."""
    env, fr = analysis.envelope(y, SR, hop_s=hop_s)
    db = 20 * np.log10(env / env.max() + 1e-9)
    k = max(1, int(look_s * fr))
    out, last = [], -10 ** 9
    for i in range(1, db.size):
        if db[i] - db[max(0, i - k):i].min() >= rise_db and db[i] > floor_db and i - last > k:
            out.append(i / fr)
            last = i
    return np.asarray(out)


def peak_freq(x, lo=50.0, hi=12000.0):
    """Frequency of the strongest spectral peak of a short segment."""
    x = np.asarray(x, dtype=np.float64) * np.hanning(len(x))
    spec = np.abs(np.fft.rfft(x, 1 << 16))
    f = np.fft.rfftfreq(1 << 16, 1 / SR)
    band = (f >= lo) & (f < hi)
    return float(f[band][np.argmax(spec[band])])


def event_span(y, rel_db=-30.0):
    """(first, last) sample where the 5 ms envelope is within rel_db of its max."""
    env, fr = analysis.envelope(y, SR, hop_s=0.005)
    on = np.flatnonzero(env > env.max() * 10 ** (rel_db / 20))
    return int(on[0] / fr * SR), int((on[-1] + 1) / fr * SR)


# --- church_bell ---------------------------------------------------------------------------
def test_church_bell_tonal_long_decay_with_partials():
    y = synthesize("church_bell", 10.0, SR, 1, count=1)
    assert analysis.tonality_db(y, SR) > 40
    assert analysis.decay_time_s(y, SR) > 3.0
    # the hum (0.5 x strike) outlasts everything: late in the ring the spectrum's strongest
    # peak lies well below the early strongest peak
    m = mono(y)
    early = peak_freq(m[int(0.05 * SR): int(0.5 * SR)], 60, 3000)
    late = peak_freq(m[int(6 * SR): int(8 * SR)], 60, 3000)
    assert late < early
    assert 60 < late < 400


@pytest.mark.parametrize("count", [3, 12])
def test_church_bell_tolls_exact(count):
    y = synthesize("church_bell", 20.0, SR, 2, count=count, caption=f"a bell tolls {count} times")
    assert len(coarse_onsets(hp(y, 1500))) == count


def test_church_bell_size_and_beating():
    big = synthesize("church_bell", 6.0, SR, 3, count=1, size=0.95)
    small = synthesize("church_bell", 6.0, SR, 3, count=1, size=0.05)
    assert analysis.spectral_centroid_hz(big, SR) < analysis.spectral_centroid_hz(small, SR)
    # detuned partial pairs beat: the slow envelope of the ring is modulated, not a clean exp
    env, fr = analysis.envelope(big, SR, hop_s=0.01)
    seg = np.log(env[int(1 * fr): int(5 * fr)] + 1e-12)
    trend = np.polyval(np.polyfit(np.arange(seg.size), seg, 1), np.arange(seg.size))
    assert np.std(seg - trend) > 0.05


# --- wind_chimes ---------------------------------------------------------------------------
def test_wind_chimes_tonal_bright_and_sparse_strikes():
    y = synthesize("wind_chimes", 10.0, SR, 1)
    assert analysis.tonality_db(y, SR) > 30
    assert 500 < analysis.spectral_centroid_hz(y, SR) < 6000
    n = len(analysis.onset_times(y, SR))
    assert 3 <= n <= 120
    # free-bar partials: a strong peak near 2.756x some strong lower peak
    f, p = analysis.power_spectrum(y, SR, nperseg=16384)
    peaks, _ = signal.find_peaks(p, height=p.max() * 1e-3)
    fp = f[peaks]
    assert any(np.any(np.abs(fp / f0 - 2.756) < 0.03) for f0 in fp[fp < 3000])


def test_wind_chimes_more_wind_more_strikes():
    calm = synthesize("wind_chimes", 15.0, SR, 4, intensity=0.1)
    windy = synthesize("wind_chimes", 15.0, SR, 4, intensity=1.0)
    count = lambda y: len(analysis.onset_times(hp(y, 2000), SR, threshold_db=8.0))
    assert count(windy) > 1.5 * count(calm)


def test_wind_chimes_long_take_is_not_a_loop():
    y = mono(synthesize("wind_chimes", 20.0, SR, 5))
    a, b = y[: 10 * SR], y[10 * SR: 20 * SR]
    assert abs(np.dot(a, b)) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12) < 0.3


# --- laser ---------------------------------------------------------------------------------
def test_laser_is_a_fast_falling_sweep():
    for seed in (1, 2, 3):
        y = mono(synthesize("laser", 1.0, SR, seed, count=1))
        a, b = event_span(y)
        assert (b - a) / SR < 0.6                         # a short pew
        w = int(0.02 * SR)
        early = peak_freq(y[a: a + w], 60, 8000)
        late = peak_freq(y[a + int(0.08 * SR): a + int(0.08 * SR) + w], 60, 8000)
        assert late < 0.7 * early                        # pitch falls fast


@pytest.mark.parametrize("count", [1, 4])
def test_laser_count(count):
    y = synthesize("laser", 3.0, SR, 5, count=count)
    assert len(analysis.onset_times(y, SR)) == count


# --- ui_blip -------------------------------------------------------------------------------
def test_ui_blip_short_and_tonal():
    y = synthesize("ui_blip", 1.0, SR, 1, count=1)
    a, b = event_span(y)
    assert (b - a) / SR < 0.45
    assert analysis.tonality_db(y, SR) > 25


def test_ui_blip_coin_jumps_up_and_error_is_low():
    for seed in (1, 2):
        y = mono(synthesize("ui_blip", 1.0, SR, seed, count=1, caption="coin pickup"))
        a, b = event_span(y)
        w = int(0.025 * SR)
        first = peak_freq(y[a: a + w], 200, 6000)
        second = peak_freq(y[b - 2 * w: b - w], 200, 6000)
        assert second > 1.15 * first                      # the arpeggio step up
    err = synthesize("ui_blip", 1.0, SR, 3, count=1, caption="error buzz")
    ok = synthesize("ui_blip", 1.0, SR, 3, count=1, caption="menu click")
    assert peak_freq(mono(err), 50, 8000) < 400 < peak_freq(mono(ok), 50, 8000)


@pytest.mark.parametrize("count", [2, 5])
def test_ui_blip_count(count):
    y = synthesize("ui_blip", 4.0, SR, 6, count=count)
    assert len(analysis.onset_times(y, SR)) == count


# --- power_up ------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_power_up_rises(seed):
    y = mono(synthesize("power_up", 2.0, SR, seed, count=1))
    a, b = event_span(y, rel_db=-20)
    w = int(0.04 * SR)
    first = peak_freq(y[a: a + w], 100, 10000)
    last = peak_freq(y[b - 2 * w: b - w], 100, 10000)
    assert last > 1.4 * first


def test_power_up_count_and_rate():
    y = synthesize("power_up", 8.0, SR, 7, count=3)
    env, fr = analysis.envelope(y, SR, hop_s=0.02)
    active = env > env.max() * 0.05
    starts = np.flatnonzero(active[1:] & ~active[:-1])
    assert len(starts) + int(active[0]) == 3
    slow = mono(synthesize("power_up", 3.0, SR, 8, count=1, rate=0.6))
    fast = mono(synthesize("power_up", 3.0, SR, 8, count=1, rate=1.8))
    span = lambda y: np.subtract(*event_span(y, -25)[::-1])
    assert span(fast) < span(slow)


# --- music_pad -----------------------------------------------------------------------------
def chroma(x):
    """12-bin pitch-class energy of a segment (50-2000 Hz)."""
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
    f = np.fft.rfftfreq(len(x), 1 / SR)
    ok = (f > 50) & (f < 2000)
    pc = np.round(12 * np.log2(f[ok] / 440.0)).astype(int) % 12
    c = np.bincount(pc, weights=spec[ok], minlength=12)
    return c / (c.sum() + 1e-20)


def test_music_pad_is_tonal_music_and_changes_chords():
    y = synthesize("music_pad", 30.0, SR, 1, mood="calm")
    assert analysis.tonality_db(y, SR) > 30
    m = mono(y)
    segs = [chroma(m[int(t * SR): int((t + 3) * SR)]) for t in (1, 9, 17, 25)]
    dists = [np.abs(a - b).sum() for i, a in enumerate(segs) for b in segs[i + 1:]]
    assert max(dists) > 0.4        # the harmony moves: long takes are not one chord
    # a handful of pitch classes dominate (chords, not noise)
    assert np.sort(segs[0])[-4:].sum() > 0.6


def test_music_pad_moods_differ():
    get = lambda mood: synthesize("music_pad", 16.0, SR, 2, mood=mood)
    calm, happy, sad, tense, epic = (get(m) for m in ("calm", "happy", "sad", "tense", "epic"))
    c = {k: analysis.spectral_centroid_hz(v, SR) for k, v in
         dict(calm=calm, happy=happy, sad=sad, tense=tense, epic=epic).items()}
    assert c["happy"] > c["calm"] > c["sad"]
    # tense sits on a low drone
    assert analysis.band_energy_fraction(tense, SR, 20, 150) > analysis.band_energy_fraction(calm, SR, 20, 150)
    # happy moves faster (arpeggios): more onsets in the upper band than calm
    on = lambda y: len(coarse_onsets(hp(y, 500), look_s=0.1, rise_db=6.0, floor_db=-30.0))
    assert on(happy) > on(calm) + 10
    # epic has drum hits: many sharp rises in the low band, where the calm bed is smooth
    sos = signal.butter(4, 150, "lowpass", fs=SR, output="sos")
    hits = lambda y: len(coarse_onsets(signal.sosfilt(sos, mono(y)), look_s=0.2, rise_db=6.0, floor_db=-30.0))
    assert hits(epic) >= 12 and hits(calm) <= 8


def test_music_pad_caption_cue_picks_mood():
    a = synthesize("music_pad", 10.0, SR, 3, caption="sad melancholy piano-like score")
    b = synthesize("music_pad", 10.0, SR, 3, mood="sad")
    assert np.allclose(a, b)


# --- every recipe here: other sample rates ------------------------------------------------
@pytest.mark.parametrize("rid", ["church_bell", "wind_chimes", "laser", "ui_blip", "power_up", "music_pad"])
@pytest.mark.parametrize("sr", [22050, 48000])
def test_other_sample_rates(rid, sr):
    y = synthesize(rid, 2.0, sr, 1)
    assert y.shape == (2, 2 * sr) and np.all(np.isfinite(y))
    assert np.sqrt(np.mean(y.astype(float) ** 2)) > 10 ** (-45 / 20)
    assert analysis.band_energy_fraction(y, sr, 0.45 * sr, sr / 2) < 0.02
