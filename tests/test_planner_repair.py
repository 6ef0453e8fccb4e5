"""LLM answers -> valid timelines: parsing (fences, prose, truncation) and repair
(clamping, re-timing, dropping, track mapping), with known answers and property tests."""
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Timeline, ValidationError
from engine.planning.prompt import EXAMPLE_ANSWER
from engine.planning.repair import DEFAULT_FX_S, MIN_EVENT_S, parse_answer, repair_answer

GOOD = json.dumps(EXAMPLE_ANSWER)


def fix(answer, duration_s=20.0):
    return repair_answer(answer, story="a story", duration_s=duration_s, planner="test")


def ev(caption="a dog barks", start_s=1.0, duration_s=2.0, track="fx", **more):
    return {"caption": caption, "start_s": start_s, "duration_s": duration_s, "track": track, **more}


# --- parsing ------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    GOOD,
    f"```json\n{GOOD}\n```",
    f"Here is the plan:\n```\n{GOOD}\n```\nEnjoy!",
    f"<think>The user wants a beach. {{not json}}</think>\n{GOOD}",
    f"Sure! {GOOD} Let me know if you want changes.",
])
def test_parse_finds_the_object(text):
    assert parse_answer(text) == EXAMPLE_ANSWER


def test_parse_bare_list_and_truncated_answers():
    assert parse_answer('[{"caption": "rain", "start_s": 0}]') == [{"caption": "rain", "start_s": 0}]
    cut = GOOD[:GOOD.index('"footsteps')]          # cut inside the third event
    salvaged = parse_answer(cut)
    assert [e["caption"] for e in salvaged["events"]] == [e["caption"] for e in EXAMPLE_ANSWER["events"][:2]]
    assert salvaged["mood"] == "calm"
    fenced_cut = "```json\n" + GOOD[:-30]           # unclosed fence, truncated object
    assert len(parse_answer(fenced_cut)["events"]) == 2


@pytest.mark.parametrize("text,reason", [
    ("I cannot help with that.", "no JSON object"),
    ('{"events": [', "not valid JSON"),
    ("{'events': []}", "not valid JSON"),
    (None, "expected text"),
])
def test_parse_rejects_with_reason(text, reason):
    with pytest.raises(ValidationError, match=reason):
        parse_answer(text)


# --- repair: known answers ------------------------------------------------------------
def test_good_answer_passes_unchanged():
    r = fix(EXAMPLE_ANSWER)
    assert r.fixes == ()
    tl = r.timeline
    assert [(e.id, e.caption, e.start_s, e.duration_s, e.track) for e in tl.events] == [
        ("e1", "gentle waves breaking on a sandy shore", 0.0, 20.0, "ambience"),
        ("e2", "a seagull cries overhead", 3.0, 2.0, "fx"),
        ("e3", "footsteps crunching on sand", 8.0, 6.0, "fx")]
    assert tl.context.setting == "beach at dawn" and tl.context.mood == "calm"
    assert tl.reasoning.startswith("Three events") and tl.planner == "test"
    assert tl.events[0].fade_in_s == 1.0 and tl.events[1].fade_in_s == 0.05   # filled per track


def test_times_are_clamped_into_the_timeline():
    r = fix({"events": [ev(start_s=-3, duration_s=2), ev("a bell", start_s=18, duration_s=10),
                        ev("a horn", start_s=50, duration_s=1)]}, duration_s=20)
    got = {e.caption: (e.start_s, e.duration_s) for e in r.timeline.events}
    assert got["a dog barks"] == (0.0, 2.0)
    assert got["a bell"] == (18.0, 2.0)
    assert got["a horn"] == (pytest.approx(20 - MIN_EVENT_S), pytest.approx(MIN_EVENT_S))
    assert len(r.fixes) == 4 and any("moved to 0" in f for f in r.fixes)


def test_zero_length_and_missing_durations_get_defaults():
    r = fix({"events": [ev("a door slams", start_s=5, duration_s=0), ev("rain", start_s=2, duration_s=None, track="ambience"),
                        {"caption": "a gong", "start": 12, "end": 15.5}]}, duration_s=20)
    got = {e.caption: (e.start_s, e.duration_s, e.track) for e in r.timeline.events}
    assert got["a door slams"] == (5.0, DEFAULT_FX_S, "fx")
    assert got["rain"] == (2.0, 18.0, "ambience")           # a bed runs to the end
    assert got["a gong"] == (12.0, 3.5, "fx")                # start/end aliases


def test_tracks_are_mapped_and_unknown_ones_go_to_fx():
    r = fix({"events": [ev(track="SFX"), ev("wind", track="background"), ev("a theme", track="score"),
                        ev("a snare", track="drums"), ev("a cat", track=None)]})
    got = {e.caption: e.track for e in r.timeline.events}
    assert got == {"a dog barks": "fx", "wind": "ambience", "a theme": "music", "a snare": "fx", "a cat": "fx"}
    assert r.fixes == ("events[3]: unknown track 'drums' -> fx",)


def test_unusable_events_are_dropped_and_strings_cleaned():
    r = fix({"events": [ev("   "), ev(""), "rain", 42, ev(None), ev("a\x00 dog\n barks", start_s="4.5s"),
                        ev("no time", start_s=None), ev("nan time", start_s=float("nan")),
                        ev("huge", start_s=10 ** 400), ev("bool", start_s=True)],
             "reasoning": "ok\x07", "setting": ["not", "text"], "mood": 3})
    tl = r.timeline
    assert [(e.caption, e.start_s) for e in tl.events] == [("a dog barks", 4.5)]
    assert tl.reasoning == "ok" and tl.context.setting == "" and tl.context.mood == ""
    assert sum("dropped" in f for f in r.fixes) == 9


def test_stacked_events_on_one_track_are_retimed():
    # two beds stacked near 0 s on ambience: the later moves to where the first ends, minus a 2 s crossfade
    r = fix({"events": [ev("rain", 0, 10, "ambience"), ev("wind", 0.5, 15, "ambience"),
                        ev("a clock ticks", 2, 3, "ambience"),            # wholly inside rain: a layer, kept
                        ev("a dog barks", 1, 2), ev("a dog barks again", 1.5, 2)]}, duration_s=30)
    got = {e.caption: (e.start_s, e.duration_s) for e in r.timeline.events}
    assert got["rain"] == (0.0, 10.0) and got["wind"] == (8.0, 15.0) and got["a clock ticks"] == (2.0, 3.0)
    assert got["a dog barks again"] == (2.0, 2.0)   # allowed overlap: half the shorter event (1 s)
    assert sum("re-timed" in f for f in r.fixes) == 2
    starts = [e.start_s for e in r.timeline.events]
    assert starts == sorted(starts) and [e.id for e in r.timeline.events] == [f"e{i}" for i in range(1, 6)]


def test_event_that_cannot_fit_after_its_overlap_is_dropped():
    # overlap allowed: half the short one (0.05 s) -> it would start at 19.93 s, leaving < MIN_EVENT_S
    r = fix({"events": [ev("rain", 0, 19.98, "ambience"), ev("a beep", 19.9, 0.1, "ambience")]}, duration_s=20)
    assert [e.caption for e in r.timeline.events] == ["rain"]
    assert any("does not fit" in f for f in r.fixes)


def test_bare_list_and_optional_fields():
    r = fix([ev(gain_db=-100, pan=3, tone="eerie", cues="x" * 5000, fade_in_s=9)])
    e = r.timeline.events[0]
    assert (e.gain_db, e.pan, e.tone, len(e.cues)) == (-60.0, 1.0, "eerie", 2000)
    assert e.fade_in_s == 0.05
    assert r.fixes == ("the answer was a bare event list",)


@pytest.mark.parametrize("answer,reason", [
    ("rain", "must be a JSON object"),
    ({"reasoning": "hmm"}, "events: must be a list"),
    ({"events": {"caption": "x"}}, "events: must be a list"),
    ({"events": []}, "no usable event"),
    ({"events": [ev(""), ev(start_s="soon")]}, "no usable event among 2"),
])
def test_unusable_answers_are_rejected_with_a_reason(answer, reason):
    with pytest.raises(ValidationError, match=reason):
        fix(answer)


# --- property tests -------------------------------------------------------------------
SCALARS = (st.none() | st.booleans() | st.integers(-10 ** 30, 10 ** 30) | st.floats(allow_nan=True)
           | st.text(max_size=12) | st.sampled_from(["3", "4.5s", "-1", "1e400", "ambience", "music", "sfx"]))
JSONISH = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=10)
TIME = st.floats(-5, 60) | st.integers(-5, 60) | SCALARS
EVENT = st.fixed_dictionaries(   # mostly event-shaped, with every field possibly wrong
    {"caption": st.text(min_size=1, max_size=20) | SCALARS, "start_s": TIME},
    optional={"duration_s": TIME, "end_s": TIME, "track": st.sampled_from(["ambience", "fx", "music", "drums", ""]) | JSONISH,
              "gain_db": TIME, "pan": TIME, "tone": JSONISH, "cues": JSONISH, "id": JSONISH, "extra": JSONISH})
ANSWER = st.fixed_dictionaries({"events": st.lists(EVENT | EVENT | JSONISH, max_size=8)},
                               optional={"reasoning": JSONISH, "setting": JSONISH, "mood": JSONISH})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=ANSWER | ANSWER | JSONISH, duration_s=st.floats(1, 120))
def test_any_answer_repairs_to_a_valid_timeline_or_is_rejected(answer, duration_s):
    try:
        r = repair_answer(answer, story="s", duration_s=duration_s)
    except ValidationError as e:
        assert e.reason
        return
    tl = r.timeline
    assert Timeline.from_json(tl.to_json()) == tl
    assert tl.events and all(0 <= e.start_s and e.end_s <= duration_s + 1e-6 and e.duration_s > 0 for e in tl.events)
    assert all(e.caption and e.track in ("ambience", "fx", "music") for e in tl.events)
    assert all(math.isfinite(e.gain_db) for e in tl.events)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200) | st.builds(lambda a, k: json.dumps(a)[:k], ANSWER, st.integers(0, 400)))
def test_any_text_parses_or_is_rejected(text):
    try:
        parse_answer(text)
    except ValidationError as e:
        assert e.field == "answer"
