"""The fast mixer's pieces against plain reference computations: in-place placement,
control-rate ducking, the gated true-peak limiter, the output loudness by linearity,
lazy event segments and the remix cache (bit-identical, untouched tracks reused)."""
import dataclasses

import numpy as np
import pytest
from scipy import signal

from engine import Take, Timeline, mix
from engine.mixing import MixCache
from engine.mixing.ducking import Ducking, apply_gain, gain_frames, gain_slice
from engine.mixing.master import (_polyphase, detector_gain_bound, integrated_lufs, limit, limit_inplace,
                                  true_peak_envelope)
from engine.mixing.placement import add_event, fade_curve

SR = 22050


def _reference_envelope(x: np.ndarray) -> np.ndarray:
    """The 4x detector written the plain way: each phase a float64 np.convolve."""
    x = np.atleast_2d(np.asarray(x, dtype=np.float64))
    ph = _polyphase()
    delay = (ph.shape[1] - 1) // 2
    n = x.shape[-1]
    peak = np.max(np.abs(x), axis=0)
    for h in ph[1:]:
        for ch in x:
            peak = np.maximum(peak, np.abs(np.convolve(ch, h)[delay: delay + n]))
    return peak


def _tp_db(x) -> float:
    return 20 * np.log10(_reference_envelope(x).max())


def _independent_tp_db(x) -> float:
    """A 4x true peak with scipy's own polyphase resampler (a different filter)."""
    return 20 * np.log10(np.abs(signal.resample_poly(np.atleast_2d(x).astype(np.float64), 4, 1, axis=-1)).max())


# --- placement -----------------------------------------------------------------------

@pytest.mark.parametrize("m,fi,fo,take_len,mono", [(1000, 100, 200, 1000, False), (1000, 700, 600, 1000, True),
                                                   (1000, 0, 0, 900, False), (1000, 1000, 1000, 1000, False),
                                                   (70000, 40000, 1, 70000, True), (500, 3, 0, 1200, False)])
def test_add_event_equals_full_envelope_reference(m, fi, fo, take_len, mono):
    rng = np.random.default_rng(m + fi)
    take = rng.standard_normal((1 if mono else 2, take_len)).astype(np.float32)
    coef = np.array([[0.7], [1.2]], dtype=np.float32)
    env = np.ones(m)
    env[:fi] *= fade_curve(fi, fade_in=True)
    env[m - fo:] *= fade_curve(fo, fade_in=False) if fo else 1.0
    padded = np.zeros((take.shape[0], m))
    padded[:, :min(m, take_len)] = take[:, :m]
    ref = padded * coef * env
    out = np.zeros((2, m + 50), dtype=np.float32)
    add_event(out, 50, take, coef, (fi, fo), m, 0)
    assert np.allclose(out[:, 50:], ref, atol=1e-6) and not out[:, :50].any()
    # written straight (fresh) or added in steps: the same bits
    for fresh in (0, 60, 50 + m // 2, 10 ** 9):
        o2 = np.zeros_like(out)
        add_event(o2, 50, take, coef, (fi, fo), m, fresh)
        assert np.array_equal(o2, out)


# --- ducking -------------------------------------------------------------------------

def test_duck_gain_interpolates_frame_gains_between_centres():
    rng = np.random.default_rng(0)
    hop, frames = 220, 50
    gain = np.r_[np.ones(5), rng.uniform(0.5, 1.0, frames - 10), np.ones(5)]
    n = hop * frames - 37
    ref = np.interp(np.arange(n), (np.arange(frames) + 0.5) * hop, gain)
    got = gain_slice(gain, hop, 0, n)
    assert got.dtype == np.float32 and np.allclose(got, ref, atol=1e-6)
    assert np.array_equal(gain_slice(gain, hop, 1234, 5678), got[1234:5678])
    assert np.all(got[: 4 * hop] == 1.0)  # unity frames give exactly 1.0
    x = rng.standard_normal((2, n)).astype(np.float32)
    assert np.array_equal(apply_gain(x, gain, hop, out=np.empty_like(x)), x * got)


def test_ducking_dips_beds_under_a_hit_and_recovers():
    sr = SR
    key = np.zeros((2, 4 * sr), dtype=np.float32)
    key[:, sr: sr + sr // 2] = 0.3
    gain, hop = gain_frames([key], sr, Ducking(depth_db=6.0))
    g = gain_slice(gain, hop, 0, key.shape[-1])
    assert g[: sr // 2].min() == 1.0
    assert 20 * np.log10(g[sr + sr // 4]) == pytest.approx(-6.0, abs=0.3)
    assert g[-100:].min() > g[sr + sr // 4]


# --- true peak and the limiter --------------------------------------------------------

def test_detector_matches_plain_convolution_and_its_bound_is_tight():
    rng = np.random.default_rng(1)
    x = (0.3 * rng.standard_normal((2, 5000))).astype(np.float32)
    assert np.allclose(true_peak_envelope(x), _reference_envelope(x), atol=1e-6)
    # the L1 bound: reached by the worst-case +-1 pattern, never exceeded
    ph = _polyphase()
    p = int(np.argmax(np.abs(ph).sum(axis=1)))
    worst = np.zeros(200)
    delay = (ph.shape[1] - 1) // 2
    worst[100 + delay - np.arange(ph.shape[1])] = np.sign(ph[p])
    assert _reference_envelope(worst).max() == pytest.approx(detector_gain_bound(), rel=1e-4)
    assert _reference_envelope(worst).max() <= detector_gain_bound()
    # the classic inter-sample over: fs/4 sine, 45 degree phase, samples at 0.707
    t = np.arange(4000)
    s = np.sin(2 * np.pi * t / 4 + np.pi / 4)
    over = 20 * np.log10(_reference_envelope(s)[500:-500].max() / np.abs(s).max())
    assert over == pytest.approx(3.01, abs=0.05) and over < 20 * np.log10(detector_gain_bound())


def _material(n, seed):
    rng = np.random.default_rng(seed)
    x = 0.05 * rng.standard_normal((2, n))
    hits = rng.choice(n - 200, 12, replace=False)
    for h in hits:  # sharp decaying clicks and a few fs/4 bursts: inter-sample overs
        x[:, h: h + 200] += 0.9 * np.exp(-np.arange(200) / 30.0) * np.sign(rng.standard_normal(200))
    # band-limited, as real audio is (a 4x meter under-reads energy right at Nyquist)
    x = signal.sosfiltfilt(signal.butter(8, 0.8, output="sos"), x, axis=-1)
    t = np.arange(n)
    x[:, n // 3: n // 3 + 2000] += 0.8 * np.sin(2 * np.pi * t[:2000] / 4 + np.pi / 4)
    return x.astype(np.float32)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gated_limiter_holds_the_ceiling_and_reports_the_exact_peak(seed):
    x = _material(3 * SR, seed)
    assert _tp_db(x) > 0.0
    y = x.copy()
    touched = []
    peak = limit_inplace(y, SR, -1.0, touched=touched)
    assert touched
    full = _reference_envelope(y)
    assert 20 * np.log10(full.max()) <= -1.0 + 1e-3
    assert peak == pytest.approx(full.max(), rel=1e-5)     # exact, though most blocks were skipped
    # a different 4x interpolator (scipy's, a longer filter) agrees to a tenth of a dB
    assert _independent_tp_db(y) <= -1.0 + 0.1
    outside = np.ones(y.shape[-1], bool)
    for lo, hi in touched:
        outside[lo:hi] = False
    assert np.array_equal(y[:, outside], x[:, outside])    # nothing changed outside the reported stretches


def test_limiter_peak_report_is_exact_when_nothing_is_limited():
    rng = np.random.default_rng(5)
    x = (0.08 * rng.standard_normal((2, 2 * SR))).astype(np.float32)
    t = np.arange(400)
    x[:, 9000:9400] += (0.3 * np.sin(2 * np.pi * t / 4 + np.pi / 4)).astype(np.float32)
    y = x.copy()
    peak = limit_inplace(y, SR, -1.0)
    assert np.array_equal(x, y)
    assert peak == pytest.approx(_reference_envelope(x).max(), rel=1e-5)


def test_float64_limit_keeps_dtype_and_ceiling():
    x = _material(SR, 3).astype(np.float64)
    y, peak = limit(x, SR, -2.0, return_peak=True)
    assert y.dtype == np.float64 and _tp_db(y) <= -2.0 + 1e-3


def test_output_loudness_by_linearity_equals_a_fresh_measurement():
    x = 0.2 * _material(6 * SR, 7)
    tl = Timeline.from_json({"duration_s": 6.0, "sample_rate": SR,
                             "events": [{"id": "a", "caption": "x", "start_s": 0, "duration_s": 6.0,
                                         "fade_in_s": 0, "fade_out_s": 0}]})
    m = mix(tl, {"a": Take("a", x, SR)}, loudness_lufs=-16.0, true_peak_db=-1.0)
    assert m.info["input_lufs"] == pytest.approx(integrated_lufs(m.premaster, SR), abs=1e-6)
    assert m.info["output_lufs"] == pytest.approx(integrated_lufs(m.audio, SR), abs=0.005)
    assert _tp_db(m.premaster) + m.info["gain_db"] > 1.0  # the limiter had work to do
    assert integrated_lufs(m.audio, SR) == pytest.approx(-16.0, abs=0.5)
    assert m.info["true_peak_db"] == pytest.approx(_tp_db(m.audio), abs=1e-3) and _tp_db(m.audio) <= -1.0 + 1e-3


# --- event segments and the remix cache -----------------------------------------------

def _story():
    evs = [{"id": "bed", "caption": "rain", "start_s": 0, "duration_s": 12, "track": "ambience"},
           {"id": "pad", "caption": "pad", "start_s": 1, "duration_s": 10, "track": "music", "gain_db": -3},
           {"id": "f1", "caption": "door", "start_s": 2, "duration_s": 3, "track": "fx", "pan": -0.4},
           {"id": "f2", "caption": "dog", "start_s": 4.5, "duration_s": 3, "track": "fx", "fade_in_s": 0,
            "fade_out_s": 0.2},
           {"id": "f3", "caption": "bell", "start_s": 8.25, "duration_s": 2.5, "track": "fx", "gain_db": 2}]
    tl = Timeline.from_json({"duration_s": 12.0, "sample_rate": SR, "events": evs,
                             "tracks": [{"id": "ambience", "gain_db": -2}, {"id": "fx"}, {"id": "music"}]})
    rng = np.random.default_rng(11)
    takes = {e.id: Take(e.id, (0.2 * rng.standard_normal((2, round(e.duration_s * SR)))).astype(np.float32), SR,
                        {"take_id": f"t-{e.id}"}) for e in tl.events}
    takes["pad"] = Take("pad", takes["pad"].audio[:1], SR)  # mono, no take id: keyed by its content hash
    return tl, takes


def test_event_segments_are_built_on_demand_and_sum_to_the_stems():
    tl, takes = _story()
    m = mix(tl, takes, loudness_lufs=None, true_peak_db=None)
    assert len(m.event_segments) == 5 and set(m.event_segments) == {"bed", "pad", "f1", "f2", "f3"}
    for track in ("ambience", "fx", "music"):
        total = np.zeros_like(m.premaster)
        for e in tl.events:
            if e.track == track:
                s0, seg = m.event_segments[e.id]
                total[:, s0:s0 + seg.shape[-1]] += seg
        assert np.allclose(total, m.stems[track], atol=1e-6)
    assert m.event_segments["f1"] is m.event_segments["f1"]


@pytest.mark.parametrize("ducking", [True, False])
def test_remix_after_one_edit_is_bit_identical_and_reuses_untouched_tracks(ducking):
    tl, takes = _story()
    cache = MixCache()
    first = mix(tl, takes, cache=cache, ducking=ducking)
    assert np.array_equal(first.audio, mix(tl, takes, ducking=ducking).audio)
    builds = cache.stats["track_built"]
    assert builds == 3
    # edit one fx event (louder, moved), and re-render another one (new take)
    edited = tl.replace(events=[dataclasses.replace(e, gain_db=-4.0, start_s=2.5) if e.id == "f1" else e
                                for e in tl.events])
    new_takes = dict(takes)
    new_takes["f3"] = Take("f3", (0.5 * takes["f3"].audio).astype(np.float32), SR, {"take_id": "t-f3-v2"})
    again = mix(edited, new_takes, cache=cache, ducking=ducking)
    fresh = mix(edited, new_takes, ducking=ducking)
    assert np.array_equal(again.audio, fresh.audio) and np.array_equal(again.premaster, fresh.premaster)
    for tid in fresh.stems:
        assert np.array_equal(again.stems[tid], fresh.stems[tid])
    assert cache.stats["track_built"] == builds + 1          # only fx was placed again
    assert cache.stats["track_reused"] == 2
    if not ducking:
        assert again.stems["ambience"] is first.stems["ambience"]
        assert again.stems["music"] is first.stems["music"]
    else:  # the beds were re-ducked under the new fx, not re-placed
        assert cache.stats["ducked_built"] == 4
    assert not again.stems["fx"].flags.writeable
    # an unchanged remix reuses everything
    mix(edited, new_takes, cache=cache, ducking=ducking)
    assert cache.stats["track_built"] == builds + 1


def test_loudness_target_is_met_even_when_the_limiter_takes_some_away():
    """Peaky material: normalising to -12 LUFS pushes the clicks far over the ceiling;
    the limiter's loss is made up, so the output still lands on the target."""
    x = 0.2 * _material(8 * SR, 9)
    tl = Timeline.from_json({"duration_s": 8.0, "sample_rate": SR,
                             "events": [{"id": "a", "caption": "x", "start_s": 0, "duration_s": 8.0,
                                         "fade_in_s": 0, "fade_out_s": 0}]})
    m = mix(tl, {"a": Take("a", x, SR)}, loudness_lufs=-12.0, true_peak_db=-1.0)
    assert m.info["gain_db"] > -12.0 - m.info["input_lufs"]  # more than plain normalisation
    assert integrated_lufs(m.audio, SR) == pytest.approx(-12.0, abs=0.1)
    assert _tp_db(m.audio) <= -1.0 + 1e-3


def test_takes_at_another_rate_or_length_are_resampled_or_fitted():
    tl = Timeline.from_json({"duration_s": 2.0, "sample_rate": SR,
                             "events": [{"id": "a", "caption": "x", "start_s": 0.5, "duration_s": 1.0, "fade_in_s": 0,
                                         "fade_out_s": 0}]})
    t = np.arange(SR * 2) / (2 * SR)
    tone = Take("a", (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[None], 2 * SR)  # mono, 44.1 kHz
    m = mix(tl, {"a": tone}, loudness_lufs=None, true_peak_db=None)
    assert not m.warnings
    seg = m.premaster[0, SR // 2 + 100: SR + SR // 2 - 100]
    assert np.sqrt(np.mean(seg.astype(np.float64) ** 2)) == pytest.approx(0.5 / np.sqrt(2), rel=0.01)
    short = Take("a", np.ones((2, SR // 2), np.float32), SR)
    m = mix(tl, {"a": short}, loudness_lufs=None, true_peak_db=None)
    assert m.warnings and m.premaster[0, SR // 2: SR].min() == 1.0 and not m.premaster[:, SR:].any()


def test_cache_resamples_each_take_once():
    """Takes at another rate: editing one event re-places its track from the cached
    resampled takes of the untouched events, and stays bit-identical."""
    tl, takes = _story()
    slow = {k: Take(k, signal.resample_poly(t.audio, 1, 2, axis=-1).astype(np.float32), SR // 2,
                    {"take_id": f"{k}-11k"}) for k, t in takes.items()}
    tl = tl.replace(events=[dataclasses.replace(e, fade_in_s=0.05, fade_out_s=0.05) for e in tl.events])
    cache = MixCache()
    mix(tl, slow, cache=cache)
    assert cache.stats["resampled_built"] == 5
    edited = tl.replace(events=[dataclasses.replace(e, pan=0.3) if e.id == "f2" else e for e in tl.events])
    m = mix(edited, slow, cache=cache)
    assert cache.stats["resampled_built"] == 5 and cache.stats["resampled_reused"] == 3  # f1, f2, f3 re-placed
    assert np.array_equal(m.audio, mix(edited, slow).audio)
