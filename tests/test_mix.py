"""The mixer with known answers: equal-power joins, exact lengths, loudness, true peak, stems."""
import numpy as np
import pytest

from engine import Take, Timeline, ValidationError, mix
from engine.mixing.master import integrated_lufs, limit, true_peak_db
from engine.mixing.placement import fade_curve, pan_gains

SR = 22050


def _tl(events, duration_s=10.0, **kw):
    return Timeline.from_json({"duration_s": duration_s, "sample_rate": SR, "events": events, **kw})


def _noise_take(eid, dur, seed, sr=SR):
    rng = np.random.default_rng(seed)
    return Take(eid, (0.1 * rng.standard_normal((2, round(dur * sr)))).astype(np.float32), sr)


def test_equal_power_curves_sum_to_unit_power():
    k = 1000
    a, b = fade_curve(k, fade_in=False), fade_curve(k, fade_in=True)
    assert np.allclose(a ** 2 + b ** 2, 1.0, atol=1e-12)
    for p in np.linspace(-1, 1, 9):
        gl, gr = pan_gains(p)
        assert gl ** 2 + gr ** 2 == pytest.approx(2.0)
    assert pan_gains(0) == pytest.approx((1.0, 1.0))


def test_crossfade_keeps_power_of_uncorrelated_noise():
    """Two noise takes overlapping by 2 s on one track: short-term power across the
    join stays within +-0.5 dB of the material's (a linear fade would dip ~3 dB)."""
    tl = _tl([{"id": "a", "caption": "x", "start_s": 0, "duration_s": 6, "track": "fx", "fade_in_s": 0, "fade_out_s": 0},
              {"id": "b", "caption": "y", "start_s": 4, "duration_s": 6, "track": "fx", "fade_in_s": 0, "fade_out_s": 0}])
    m = mix(tl, {"a": _noise_take("a", 6, 1), "b": _noise_take("b", 6, 2)}, loudness_lufs=None, true_peak_db=None)
    x = m.premaster[0].astype(np.float64)
    win = int(0.25 * SR)
    frames = x[: x.size // win * win].reshape(-1, win)
    p_db = 10 * np.log10(np.mean(frames ** 2, axis=1))
    ref = 10 * np.log10(0.01)
    inner = p_db[1:-1]  # whole timeline, edges included except the first/last frame
    assert np.max(np.abs(inner - ref)) < 0.5


def test_no_click_at_join():
    """Second-difference energy around the join is comparable to the material's own."""
    t = np.arange(round(6 * SR)) / SR
    tone = lambda f: Take("x", np.stack([0.3 * np.sin(2 * np.pi * f * t)] * 2).astype(np.float32), SR)
    tl = _tl([{"id": "a", "caption": "x", "start_s": 0, "duration_s": 6, "fade_in_s": 0, "fade_out_s": 0},
              {"id": "b", "caption": "y", "start_s": 4, "duration_s": 6, "fade_in_s": 0, "fade_out_s": 0}])
    m = mix(tl, {"a": tone(220.0), "b": tone(330.0)}, loudness_lufs=None, true_peak_db=None)
    x = m.premaster[0].astype(np.float64)
    d2 = np.diff(x, 2) ** 2
    join = round(4 * SR)
    around = d2[join - 220: join + 220].mean()
    material = d2[round(1 * SR): round(3 * SR)].mean()
    assert around < 2.0 * material
    # and a hard cut (no crossfade) really is a click by the same measure
    y = np.concatenate([0.3 * np.sin(2 * np.pi * 220 * t[: join]), 0.3 * np.sin(2 * np.pi * 330 * t[: join] + 1.3)])
    d2y = np.diff(y, 2) ** 2
    assert d2y[join - 5: join + 5].max() > 10 * d2y[: join - 10].max()


def test_exact_length_loudness_and_true_peak():
    tl = _tl([{"id": "a", "caption": "x", "start_s": 0.3333, "duration_s": 7.1234}], duration_s=9.87654)
    rng = np.random.default_rng(3)
    n = round(7.1234 * SR)
    music = np.stack([np.sin(2 * np.pi * 440 * np.arange(n) / SR) * (0.5 + 0.5 * np.sin(np.arange(n) / SR))] * 2)
    spikes = music + 0.9 * (rng.random((2, n)) < 0.0005)
    for audio in (music, spikes, 0.2 * rng.standard_normal((2, n))):
        m = mix(tl, {"a": Take("a", audio.astype(np.float32), SR)}, loudness_lufs=-16, true_peak_db=-1)
        assert m.audio.shape == (2, round(9.87654 * SR)) and m.audio.dtype == np.float32
        assert integrated_lufs(m.audio, SR) == pytest.approx(-16.0, abs=0.5)
        assert true_peak_db(m.audio) <= -1.0 + 1e-3


def test_limiter_catches_intersample_peaks():
    # a sine at fs/4 with 45-degree phase: samples at 0.707, true peak 1.0
    n = SR
    x = np.stack([np.sin(2 * np.pi * (SR / 4) * np.arange(n) / SR + np.pi / 4)] * 2)
    assert np.max(np.abs(x)) == pytest.approx(0.7071, abs=1e-3)
    from engine.mixing.master import true_peak_envelope
    assert 20 * np.log10(true_peak_envelope(x)[1000:-1000].max()) == pytest.approx(0.0, abs=0.05)
    y = limit(x, SR, -1.0)
    assert true_peak_db(y) <= -1.0 + 1e-3


def test_stems_sum_to_premaster_and_mute_solo():
    evs = [{"id": "a", "caption": "x", "start_s": 0, "duration_s": 10, "track": "ambience"},
           {"id": "b", "caption": "y", "start_s": 2, "duration_s": 3, "track": "fx", "pan": -0.5, "gain_db": -6},
           {"id": "c", "caption": "z", "start_s": 1, "duration_s": 8, "track": "music"}]
    takes = {"a": _noise_take("a", 10, 1), "b": _noise_take("b", 3, 2), "c": _noise_take("c", 8, 3)}
    m = mix(_tl(evs), takes)
    assert np.allclose(sum(m.stems.values()), m.premaster, atol=1e-6)
    s0, seg = m.event_segments["b"]
    assert s0 == 2 * SR and seg.shape == (2, 3 * SR)
    muted = _tl(evs, tracks=[{"id": "ambience", "mute": True}, {"id": "fx"}, {"id": "music"}])
    m2 = mix(muted, takes, loudness_lufs=None, true_peak_db=None)
    assert np.allclose(m2.premaster, m2.stems["fx"] + m2.stems["music"], atol=1e-6)
    solo = _tl(evs, tracks=[{"id": "ambience"}, {"id": "fx", "solo": True}, {"id": "music"}])
    m3 = mix(solo, takes, loudness_lufs=None, true_peak_db=None)
    assert np.allclose(m3.premaster, m3.stems["fx"], atol=1e-6)


def test_missing_take_and_bad_targets_are_clear_errors():
    tl = _tl([{"id": "a", "caption": "x", "start_s": 0, "duration_s": 1}])
    with pytest.raises(ValidationError, match="takes\\[a\\]"):
        mix(tl, {})
    with pytest.raises(ValidationError, match="loudness_lufs"):
        mix(tl, {"a": _noise_take("a", 1, 1)}, loudness_lufs=float("nan"))
    m = mix(tl, {}, allow_missing=True)
    assert m.audio.shape == (2, 10 * SR) and m.warnings


@pytest.mark.parametrize("sr", [8000, 11025, 22050, 44100, 48000])
def test_fast_loudness_meter_equals_pyloudnorm(sr):
    """Our vectorised BS.1770 gate must give pyloudnorm's answer (the reference)."""
    import pyloudnorm
    rng = np.random.default_rng(sr)
    n = int(sr * 6.3)
    x = rng.standard_normal((2, n)) * np.linspace(0.01, 0.5, n)
    x[:, : n // 3] *= 0.001  # a quiet stretch the relative gate must drop
    assert integrated_lufs(x, sr) == pytest.approx(pyloudnorm.Meter(sr).integrated_loudness(x.T), abs=1e-6)
    assert integrated_lufs(np.zeros((2, n)), sr) == float("-inf")
    assert integrated_lufs(x[:, : int(0.3 * sr)], sr) == float("-inf")
