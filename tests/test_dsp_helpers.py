"""The shared helpers that the recipe files used to re-invent privately."""
import numpy as np
from scipy import signal

from engine.rendering.procedural import dsp

SR = 44100


def test_denormal_guard_is_inaudible():
    x = dsp.impulse_train(SR, SR, [0.1, 0.5], [1.0, -0.5])
    sos = signal.butter(4, 300.0, fs=SR, output="sos")
    a, b = signal.sosfilt(sos, x), signal.sosfilt(sos, dsp.denormal_guard(x))
    assert np.max(np.abs(a - b)) < 1e-6
    assert np.array_equal(dsp.denormal_floor(100), dsp.denormal_floor(100))  # deterministic


def test_overlap_add_places_grains_at_exact_samples():
    g = np.array([[1.0, 2.0, 3.0], [10.0, 20.0, 30.0], [5.0, 5.0, 5.0]])
    y = dsp.overlap_add(10, [2, 3, 8], g)
    assert np.allclose(y, [0, 0, 1, 12, 23, 30, 0, 0, 5, 5])  # overlap summed, tail cut at n
    y = dsp.overlap_add(5, [-1, 4], g[:2])                    # a grain starting before 0 is clipped
    assert np.allclose(y, [2, 3, 0, 0, 10])
    dense = dsp.overlap_add(100, np.zeros(60, int), np.ones((60, 4)))  # bincount path
    assert np.allclose(dense[:4], 60) and not dense[4:].any()


def test_scatter_grains_uses_seconds_and_guard():
    y = dsp.scatter_grains(100, 10, [1.0, 5.0], np.ones((2, 2)), guard=True)
    assert np.allclose(y[[10, 11, 50, 51]], 1.0) and np.max(np.abs(np.delete(y, [10, 11, 50, 51]))) < 1e-12


def test_low_rate_and_upsample():
    assert dsp.low_rate_factor(44100, 4950.0) == 4
    assert dsp.low_rate_factor(44100, 9000.0, max_factor=2) == 2
    assert dsp.low_rate_factor(22050, 9000.0) == 1
    y = dsp.upsample(np.sin(2 * np.pi * 100 * np.arange(1000) / 11025), 4, 3999)
    assert y.shape == (3999,)
    t = np.arange(3999) / SR
    assert np.max(np.abs(y[200:-200] - np.sin(2 * np.pi * 100 * t[200:-200]))) < 0.02


def test_control_up_linear_and_hold():
    assert np.allclose(dsp.control_up([0.0, 1.0, 2.0], 5, 2), [0, 0.5, 1, 1.5, 2])
    assert np.allclose(dsp.control_up([1.0, 2.0], 3, 2, hold=True), [1, 1, 2])


def test_rms_helpers():
    x = np.array([3.0, -3.0, 3.0, -3.0])
    assert dsp.rms(x) == 3.0 and dsp.rms(x.astype(np.float32)) == 3.0 and dsp.rms(np.zeros(0)) == 0.0
    assert np.isclose(dsp.rms(dsp.normalize_rms(x, 0.5)), 0.5)
    assert dsp.normalize_rms(x.astype(np.float32)).dtype == np.float32
