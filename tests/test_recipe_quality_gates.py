"""Technical quality gates that every procedural recipe must pass, whatever it is."""
import numpy as np
import pytest

from engine import analysis
from engine.rendering.procedural.recipes import catalog
from engine.rendering.procedural.synth import synthesize

SR = 44100
RECIPES = sorted(catalog())


@pytest.mark.parametrize("recipe_id", RECIPES)
@pytest.mark.parametrize("duration_s,seed", [(1.0, 1), (20.0, 7)])
def test_recipe_gates(recipe_id, duration_s, seed):
    y = synthesize(recipe_id, duration_s, SR, seed)
    assert y.dtype == np.float32 and y.shape == (2, round(duration_s * SR))
    assert np.all(np.isfinite(y))
    assert analysis.peak_dbfs(y) <= -1.0 + 1e-4
    assert analysis.dc_offset(y) < 1e-3
    # not silent: at least -45 dBFS RMS over the whole take
    assert 20 * np.log10(np.sqrt(np.mean(y.astype(np.float64) ** 2)) + 1e-12) > -45
    # edge fades: the first and last samples are (near) zero
    assert np.max(np.abs(y[:, 0])) < 1e-3 and np.max(np.abs(y[:, -1])) < 1e-2


@pytest.mark.parametrize("recipe_id", RECIPES)
def test_seed_determinism_and_variation(recipe_id):
    a = synthesize(recipe_id, 2.0, SR, 11)
    b = synthesize(recipe_id, 2.0, SR, 11)
    c = synthesize(recipe_id, 2.0, SR, 12)
    assert a.tobytes() == b.tobytes()
    assert not np.allclose(a, c, atol=1e-4)


@pytest.mark.parametrize("recipe_id", RECIPES)
def test_long_takes_do_not_loop(recipe_id):
    """The first and second 5 s halves of a 10 s take must not be the same waveform."""
    y = analysis.to_mono(synthesize(recipe_id, 10.0, SR, 3)).astype(np.float64)
    h = y.size // 2
    a, b = y[:h], y[h:2 * h]
    corr = np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12)
    assert corr < 0.9
