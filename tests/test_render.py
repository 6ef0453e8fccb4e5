"""Rendering through the public API: exact lengths, determinism, provenance, single re-render."""
import numpy as np
import pytest

import engine
from engine import Timeline, ValidationError
from tests.conftest import project


def test_render_exact_lengths_and_provenance():
    tl = Timeline.from_json(project())
    takes = engine.render(tl)
    assert set(takes) == {"e1", "e2"}
    for e in tl.events:
        t = takes[e.id]
        assert t.audio.dtype == np.float32 and t.audio.shape == (2, round(e.duration_s * tl.sample_rate))
        assert t.sample_rate == tl.sample_rate and np.all(np.isfinite(t.audio))
        assert 20 * np.log10(np.abs(t.audio).max()) <= -1.0 + 1e-4
        p = t.provenance
        assert p["backend"] == "procedural" and p["seed"] == e.seed and p["recipe"] and p["space"] == "room"
    assert takes["e1"].provenance["recipe"] == "rain"
    assert takes["e2"].provenance["recipe"] == "door_creak"


def test_same_project_renders_same_bytes_and_seed_changes_take():
    tl = Timeline.from_json(project())
    a, b = engine.render(tl), engine.render(Timeline.from_json(tl.to_json()))
    assert all(a[k].audio.tobytes() == b[k].audio.tobytes() for k in a)
    c = engine.render(tl.with_event("e2", seed=99), only=["e2"])
    assert c["e2"].audio.tobytes() != a["e2"].audio.tobytes()


def test_rerender_one_event_keeps_residual_and_others():
    tl = Timeline.from_json(project())
    r = engine.get_renderer("procedural")
    res = r.residual(tl)
    before = engine.render(tl, r, residual=res)
    edited = tl.with_event("e2", caption="three knocks on a wooden door")
    after = engine.render(edited, r, only=["e2"], residual=res)
    assert set(after) == {"e2"} and after["e2"].provenance["recipe"] == "door_knock"
    assert after["e2"].provenance["residual_key"] == before["e1"].provenance["residual_key"]
    again = engine.render(edited, r, only=["e1"], residual=res)
    assert again["e1"].audio.tobytes() == before["e1"].audio.tobytes()


def test_progress_cancel_and_errors():
    tl = Timeline.from_json(project())
    seen = []
    engine.render(tl, progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    flag = engine.CancelFlag()
    flag.set()
    with pytest.raises(engine.RenderCancelled):
        engine.render(tl, cancel=flag)
    with pytest.raises(ValidationError, match="renderer"):
        engine.render(tl, "nope")
    with pytest.raises(ValidationError, match="only"):
        engine.render(tl, only=["zzz"])


def test_match_contract():
    m = engine.match("a torrential downpour drumming on the ground")
    assert m["recipe"] == "rain" and 0 < m["score"] <= 1 and isinstance(m["params"], dict)
    assert m["params"]["intensity"] > 0.8
    with pytest.raises(ValidationError):
        engine.match("   ")
