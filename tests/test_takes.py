"""The content-addressed take store and render_missing (render only what is missing)."""
import numpy as np
import pytest

import engine
from engine.errors import ValidationError
from engine.progress import CancelFlag
from engine.rendering import Take
from engine.takes import (TakeStore, event_signature, render_missing, residual_from_json, residual_to_json,
                          take_key)
from engine.timeline import Timeline
from tests.conftest import project


def _tl(**over):
    d = project(**over)
    d["events"] = [
        {"id": "e1", "caption": "heavy rain on a tin roof", "start_s": 0.0, "duration_s": 3.0, "track": "ambience",
         "seed": 1},
        {"id": "e2", "caption": "a door creaks open", "start_s": 1.0, "duration_s": 1.5, "track": "fx", "seed": 2},
        {"id": "e3", "caption": "a dog barks twice", "start_s": 3.0, "duration_s": 1.0, "track": "fx", "seed": 3},
    ]
    return Timeline.from_json(d)


@pytest.fixture
def store(tmp_path):
    return TakeStore(tmp_path / "takes")


@pytest.fixture(scope="module")
def renderer():
    return engine.get_renderer("procedural")


def test_put_get_round_trip_is_bitwise_and_atomic(store, rng):
    audio = rng.standard_normal((2, 1000)).astype(np.float32)
    tid = store.put(Take("e1", audio, 22050, {"seed": 7}), "tabc", signature="sig")
    assert tid == "tabc" and store.has("tabc") and not store.has("tother")
    back = store.get("tabc", "e9")
    assert back.event_id == "e9" and back.sample_rate == 22050 and back.provenance["seed"] == 7
    assert back.audio.dtype == np.float32 and back.audio.tobytes() == audio.tobytes()
    assert store.meta("tabc")["signature"] == "sig"
    assert sorted(p.name for p in store.root.iterdir()) == ["tabc.json", "tabc.npy"]  # no temp files left


def test_store_rejects_paths_as_ids(store):
    for bad in ("../x", "a/b", "", ".hidden"):
        with pytest.raises(ValidationError):
            store.has(bad)


def test_audio_without_metadata_is_not_a_take(store, rng):
    """The JSON is written last: audio alone (a render killed between the two writes) is missing."""
    np.save(store.root / "thalf.npy", rng.standard_normal((2, 10)).astype(np.float32))
    assert not store.has("thalf")


def test_take_key_equals_the_renderers_take_id(renderer):
    tl = _tl()
    res = renderer.residual(tl)
    for ev in tl.events:
        assert take_key(renderer, ev, res) == renderer.render(ev, res).take_id


def test_residual_json_round_trip_keeps_the_key(renderer):
    res = renderer.residual(_tl())
    back = residual_from_json(residual_to_json(res))
    assert back.key == res.key and back == res


def test_render_missing_renders_each_take_once(store, renderer):
    tl = _tl()
    res = renderer.residual(tl)
    first = render_missing(tl, renderer, store, res)
    assert first.rendered == ["e1", "e2", "e3"] and first.reused == []
    again = render_missing(tl, renderer, store, res)
    assert again.rendered == [] and again.reused == ["e1", "e2", "e3"]
    assert again.take_ids == first.take_ids
    for eid in first.takes:
        assert again.takes[eid].audio.tobytes() == first.takes[eid].audio.tobytes()


def test_editing_one_caption_renders_only_that_event(store, renderer):
    tl = _tl()
    res = renderer.residual(tl)
    before = render_missing(tl, renderer, store, res)
    edited = tl.with_event("e2", caption="a heavy door slams shut")
    after = render_missing(edited, renderer, store, res)
    assert after.rendered == ["e2"] and after.reused == ["e1", "e3"]
    assert after.take_ids["e2"] != before.take_ids["e2"]
    for eid in ("e1", "e3"):
        assert after.takes[eid].audio.tobytes() == before.takes[eid].audio.tobytes()


def test_locked_event_keeps_its_take_after_an_edit(store, renderer):
    tl = _tl()
    res = renderer.residual(tl)
    first = render_missing(tl, renderer, store, res)
    locked = tl.with_event("e3", take=first.take_ids["e3"], locked=True, caption="a cat meows")
    again = render_missing(locked, renderer, store, res)
    assert again.rendered == [] and again.take_ids["e3"] == first.take_ids["e3"]


def test_a_crashed_render_keeps_finished_takes(store, renderer):
    tl = _tl()
    res = renderer.residual(tl)

    class Crashes:
        name, model = renderer.name, renderer.model

        def __init__(self):
            self.calls = 0

        def plan_event(self, ev, r):
            return renderer.plan_event(ev, r)

        def residual(self, t):
            return renderer.residual(t)

        def render(self, ev, r):
            self.calls += 1
            if self.calls == 3:
                raise KeyboardInterrupt  # the process being killed mid-render
            return renderer.render(ev, r)

    with pytest.raises(KeyboardInterrupt):
        render_missing(tl, Crashes(), store, res)
    resumed = render_missing(tl, renderer, store, res)
    assert resumed.reused == ["e1", "e2"] and resumed.rendered == ["e3"]


def test_cancel_between_events_keeps_what_finished(store, renderer):
    tl = _tl()
    res = renderer.residual(tl)
    flag = CancelFlag()
    seen = []

    def on_take(eid, tid):
        seen.append((eid, tid))
        flag.set()

    out = render_missing(tl, renderer, store, res, cancel=flag, on_take=on_take)
    assert out.cancelled and out.rendered == ["e1"] and seen == [("e1", out.take_ids["e1"])]
    assert store.has(out.take_ids["e1"])


def test_signature_tracks_render_fields_only():
    ev = _tl().event("e2")
    assert event_signature(ev) == event_signature(ev.__class__(**{**ev.__dict__, "gain_db": -6.0}))
    assert event_signature(ev) != event_signature(ev.__class__(**{**ev.__dict__, "seed": 99}))


def test_reuse_goes_through_the_index_without_matching(store, renderer):
    tl = _tl()
    res = renderer.residual(tl)
    render_missing(tl, renderer, store, res)

    class NoMatching:
        name, model = renderer.name, renderer.model

        def plan_event(self, ev, r):
            raise AssertionError("caption matching was not needed")

        def render(self, ev, r):
            raise AssertionError("nothing needed rendering")

    again = render_missing(tl, NoMatching(), store, res)
    assert again.reused == ["e1", "e2", "e3"]
