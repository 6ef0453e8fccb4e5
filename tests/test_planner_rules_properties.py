"""Property tests: any story text and any duration give a valid, fully covered timeline."""
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.timeline import MAX_STORY_CHARS
from tests.test_planner_rules import covered

WORDS = ("rain", "thunder", "then", "while", "dog", "barks", "door", "creaks", "for", "ten", "seconds", "the",
         "suddenly", "music", "eerie", "stops", "twice", "in", "city", "after", "before", "no", "and", ",", ".", "\n\n")


def _valid(story: str, duration: float) -> None:
    if not story.strip():
        return
    tl = engine.plan(story, duration)
    assert tl.duration_s == duration and tl.events
    assert all(0 <= e.start_s < duration and e.end_s <= duration + 1e-6 and e.duration_s > 0 for e in tl.events)
    assert covered(tl, tol_s=0.002)
    assert len(tl.tracks) <= 16 and {e.track for e in tl.events} <= {t.id for t in tl.tracks}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=400), st.floats(min_value=1, max_value=3600, allow_nan=False))
def test_any_unicode_text(story, duration):
    _valid(story, duration)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=200), st.floats(min_value=1, max_value=3600))
def test_story_like_word_soup(words, duration):
    _valid(" ".join(words), duration)


@settings(max_examples=5, deadline=None)
@given(st.sampled_from(["A dog barks while rain falls. ", "thunder then a door creaks and a bell tolls twelve times ",
                        "".join(string.punctuation) + " ", "é漢字🙂 "]), st.floats(min_value=1, max_value=3600))
def test_story_at_the_length_limit(unit, duration):
    story = (unit * (MAX_STORY_CHARS // len(unit) + 1))[:MAX_STORY_CHARS]
    _valid(story, duration)
