"""Every preset in presets/ loads, is a valid project (or plans into one) and renders."""
import pytest

import engine
from studio.presets import PRESET_DIR, PRESETS, read_preset

TITLES = ["Storm at the farm", "Haunted house", "Space battle", "Seaside morning", "City chase", "Forest dawn",
          "Cartoon chase", "Thriller"]


def test_gallery_has_the_eight_presets_in_order():
    assert [p.title for p in PRESETS()][:8] == TITLES
    assert len(list(PRESET_DIR.glob("*.json"))) == len(PRESETS()) >= 8


@pytest.mark.parametrize("index", range(len(TITLES)))
def test_preset_plans_and_renders(index):
    p = PRESETS()[index]
    tl = p.timeline if p.timeline is not None else engine.plan(p.story, p.duration_s)
    assert tl.story == p.story and tl.duration_s == p.duration_s and len(tl.events) >= 4
    tl = tl.replace(sample_rate=16000)  # a cheaper render; the matching and recipes are the same
    takes = engine.render(tl)
    assert set(takes) == {e.id for e in tl.events}
    for e in tl.events:
        assert takes[e.id].audio.shape == (2, round(e.duration_s * 16000))
        assert abs(takes[e.id].audio).max() > 1e-3, e.caption
    if p.timeline is not None:  # hand-tuned: every caption found a confident recipe
        assert not [e.id for e in tl.events if takes[e.id].provenance.get("fallback")]


def test_a_bad_preset_is_an_error_not_skipped(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "x", "story": "", "duration_s": 10}')
    with pytest.raises(engine.ValidationError, match="story"):
        read_preset(bad)
    bad.write_text('{"title": "x", "story": "rain", "duration_s": 10, "timeline": {"events": [{"id": "e1"}]}}')
    with pytest.raises(engine.ValidationError, match="events"):
        read_preset(bad)
