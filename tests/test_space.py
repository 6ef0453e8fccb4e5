"""One acoustic space per timeline, picked from the setting and held for every event."""
import numpy as np
import pytest

import engine
from engine import Timeline, analysis
from engine.rendering.procedural import space


@pytest.mark.parametrize("setting,name", [
    ("a farmhouse kitchen at night", "room"), ("deep in a limestone cave", "cave"),
    ("a gothic cathedral", "church"), ("a busy city street", "street"), ("the pine forest", "forest"),
    ("a coral reef underwater", "underwater"), ("an open meadow", "open_air"), ("", "open_air"),
])
def test_setting_picks_space(setting, name):
    assert space.choose_space(setting).name == name


def test_override_wins_and_ir_is_deterministic():
    assert space.choose_space("a cave", "room").name == "room"
    a = space.impulse_response("hall", 22050)
    b = space.impulse_response.__wrapped__("hall", 22050)
    assert np.array_equal(a, b)


def _knock_timeline(setting):
    return Timeline.from_json({"duration_s": 6, "sample_rate": 22050, "context": {"setting": setting},
                               "events": [{"id": "k", "caption": "a single knock on a door", "start_s": 0,
                                           "duration_s": 6, "recipe": "door_knock", "seed": 5}]})


def test_cave_rings_longer_than_open_air():
    cave = engine.render(_knock_timeline("a vast cave"))["k"]
    air = engine.render(_knock_timeline("an open field"))["k"]
    assert cave.provenance["space"] == "cave" and air.provenance["space"] == "open_air"
    assert analysis.decay_time_s(cave.audio, 22050) > 2 * analysis.decay_time_s(air.audio, 22050)


def test_underwater_is_muffled():
    tl = lambda s: Timeline.from_json({"duration_s": 4, "sample_rate": 22050, "context": {"setting": s},
                                        "events": [{"id": "r", "caption": "rain", "start_s": 0, "duration_s": 4,
                                                    "recipe": "rain", "seed": 1}]})
    under = engine.render(tl("underwater"))["r"].audio
    air = engine.render(tl("open field"))["r"].audio
    assert analysis.spectral_centroid_hz(under, 22050) < 0.5 * analysis.spectral_centroid_hz(air, 22050)
