"""The rules planner's contract: a valid timeline covering the request, in story order."""
import pytest

import engine
from engine import ValidationError
from tests.conftest import STORM


def test_storm_story_plan():
    tl = engine.plan(STORM, 30)
    assert tl.duration_s == 30 and tl.planner == "rules" and tl.reasoning
    recipes = {engine.match(e.caption)["recipe"] for e in tl.events}
    assert {"rain", "thunder", "door_creak", "dog_bark"} <= recipes
    beds = [e for e in tl.events if e.track == "ambience"]
    assert beds and min(e.start_s for e in beds) == 0
    fx = sorted((e for e in tl.events if e.track.startswith("fx")), key=lambda e: e.start_s)
    order = [engine.match(e.caption)["recipe"] for e in fx]
    assert order.index("thunder") < order.index("door_creak") <= order.index("dog_bark")
    assert all(0 <= e.start_s and e.end_s <= 30 + 1e-6 for e in tl.events)
    assert tl.context.mood == "tense" and "farmhouse" in tl.context.setting


@pytest.mark.parametrize("story,dur", [("", 10), ("rain", 0), ("rain", -1), ("rain", float("nan")), ("x" * 30000, 10)])
def test_bad_requests(story, dur):
    with pytest.raises(ValidationError):
        engine.plan(story, dur)
