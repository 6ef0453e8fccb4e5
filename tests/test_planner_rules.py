"""The rules planner scored on hand-written stories: the tuning set
(tests/data/planner_stories.json), a held-out set written before the second tuning
pass (tests/data/planner_stories_heldout.json) and a third held-out set of new genres and
phrasings (tests/data/planner_stories_heldout2.json), on which only general causes were
fixed, never its stories one by one. All three must pass the same thresholds.

Each story lists the sound concepts a sound designer would expect, in story order,
the pairs that must sound together, whether music is asked for, and explicit timings;
held-out stories also name the bed expected at given times, captions that must not
appear (a noun read as a sound: "keeps watch" is no clock) and the acceptable moods.
The thresholds are set so that a planner which only keeps clauses containing catalog
keywords (the first rules planner) fails them."""
import json
import re
from pathlib import Path

import pytest

import engine

SETS = {name: json.loads((Path(__file__).parent / "data" / f"planner_stories{name}.json").read_text())["stories"]
        for name in ("", "_heldout", "_heldout2")}
DATA = SETS[""]
HELDOUT = SETS["_heldout"]
_WORD = re.compile(r"[a-z0-9]+")


def _matches(caption: str, words) -> bool:
    toks = _WORD.findall(caption.lower())
    return any(t.startswith(w) for w in words for t in toks)


def _first(tl, concept):
    hits = [e for e in tl.events if _matches(e.caption, concept["words"])]
    return min(hits, key=lambda e: e.start_s) if hits else None


def covered(tl, tol_s: float = 1e-3) -> bool:
    """True when the union of all events covers [0, duration] without gaps."""
    t = 0.0
    for e in sorted(tl.events, key=lambda e: e.start_s):
        if e.start_s > t + tol_s:
            return False
        t = max(t, e.end_s)
    return t >= tl.duration_s - tol_s


def score_story(tl, spec) -> dict:
    expect = spec["expect"]
    firsts = {c["name"]: _first(tl, c) for c in expect}
    found = [c for c in expect if firsts[c["name"]] is not None]
    simultaneous = {frozenset(p) for p in spec["overlaps"]}
    pairs = [(a, b) for i, a in enumerate(found) for b in found[i + 1:]
             if frozenset((a["name"], b["name"])) not in simultaneous]
    in_order = sum(firsts[a["name"]].start_s <= firsts[b["name"]].start_s + 0.5 for a, b in pairs)
    overlaps_ok = 0
    for a, b in spec["overlaps"]:
        ca, cb = (next(c for c in expect if c["name"] == n) for n in (a, b))
        ea = [e for e in tl.events if _matches(e.caption, ca["words"])]
        eb = [e for e in tl.events if _matches(e.caption, cb["words"])]
        overlaps_ok += any(x.track != y.track and min(x.end_s, y.end_s) - max(x.start_s, y.start_s) > 0.2
                           for x in ea for y in eb)
    recipes_ok = recipes_n = 0
    for c in found:
        if c.get("recipes"):
            recipes_n += 1
            recipes_ok += engine.match(firsts[c["name"]].caption)["recipe"] in c["recipes"]
    beds_ok = 0
    for b in spec.get("beds", []):
        here = [e.caption for e in tl.events if e.track.startswith("ambience") and e.start_s <= b["at"] < e.end_s]
        beds_ok += ((not b["words"] or any(_matches(c, b["words"]) for c in here))
                    and not any(_matches(c, b["not"]) for c in here))
    wrong = [e.caption for e in tl.events for rx in spec.get("absent", []) if re.search(rx, e.caption.lower())]
    timing_ok = all(firsts[t["name"]] is not None and abs(firsts[t["name"]].start_s - t["start"]) <= t["tolerance"]
                    for t in spec.get("timing", []))
    return {"recall": len(found) / len(expect) if expect else 1.0,
            "order": in_order / len(pairs) if pairs else 1.0,
            "overlaps": (overlaps_ok, len(spec["overlaps"])),
            "recipes": (recipes_ok, recipes_n),
            "music": any(e.track.startswith("music") for e in tl.events) == spec["music"],
            "coverage": covered(tl), "timing": timing_ok,
            "beds": (beds_ok, len(spec.get("beds", []))), "absent": wrong,
            "mood": tl.context.mood in spec["mood"] if "mood" in spec else None,
            "missing": [c["name"] for c in expect if firsts[c["name"]] is None]}


@pytest.fixture(scope="module", params=list(SETS), ids=["tuning", "heldout", "heldout2"])
def scores(request):
    return {s["id"]: score_story(engine.plan(s["story"], s["duration"]), s) for s in SETS[request.param]}


def test_story_set_is_varied():
    assert len(DATA) >= 20
    assert len({s["genre"] for s in DATA}) >= 12
    durations = [s["duration"] for s in DATA]
    assert min(durations) <= 10 and max(durations) >= 300
    assert any("\n\n" in s["story"] for s in DATA) and any(not s["expect"] for s in DATA)
    assert len(HELDOUT) >= 15 and len({s["genre"] for s in HELDOUT}) >= 15
    assert not {s["story"] for s in HELDOUT} & {s["story"] for s in DATA}


def test_concept_recall(scores):
    recall = [s["recall"] for s in scores.values()]
    report = {k: s["missing"] for k, s in scores.items() if s["missing"]}
    assert sum(recall) / len(recall) >= 0.9, report
    assert min(recall) >= 0.6, report


def test_story_order(scores):
    order = [s["order"] for s in scores.values()]
    assert sum(order) / len(order) >= 0.93, {k: s["order"] for k, s in scores.items() if s["order"] < 1}
    assert min(order) >= 0.75


def test_simultaneous_sounds_overlap_on_different_tracks(scores):
    ok = sum(s["overlaps"][0] for s in scores.values())
    n = sum(s["overlaps"][1] for s in scores.values())
    assert ok / n >= 0.85, {k: s["overlaps"] for k, s in scores.items() if s["overlaps"][0] < s["overlaps"][1]}


def test_music_only_when_asked(scores):
    wrong = [k for k, s in scores.items() if not s["music"]]
    assert len(wrong) <= 1, wrong


def test_coverage_and_explicit_timing(scores):
    assert all(s["coverage"] for s in scores.values()), [k for k, s in scores.items() if not s["coverage"]]
    assert all(s["timing"] for s in scores.values()), [k for k, s in scores.items() if not s["timing"]]


def test_captions_render_as_sensible_recipes(scores):
    ok = sum(s["recipes"][0] for s in scores.values())
    n = sum(s["recipes"][1] for s in scores.values())
    assert ok / n >= 0.8, {k: s["recipes"] for k, s in scores.items() if s["recipes"][0] < s["recipes"][1]}


def test_beds_suit_the_setting_and_follow_scene_changes(scores):
    ok = sum(s["beds"][0] for s in scores.values())
    n = sum(s["beds"][1] for s in scores.values())
    assert not n or ok / n >= 0.9, {k: s["beds"] for k, s in scores.items() if s["beds"][0] < s["beds"][1]}


def test_nouns_used_as_objects_make_no_sound(scores):
    wrong = {k: s["absent"] for k, s in scores.items() if s["absent"]}
    assert len(wrong) <= 1, wrong


def test_mood_from_genre_and_sounds(scores):
    judged = {k: s["mood"] for k, s in scores.items() if s["mood"] is not None}
    assert not judged or sum(judged.values()) / len(judged) >= 0.85, [k for k, v in judged.items() if not v]


_PLOT = re.compile(r"\b(he|she|his|him|hers|they|them|their|i|we|you|because|waited|remembers?|suddenly|then|"
                   r"finally|meanwhile|until)\b")
_ARTICLE_SPAN = re.compile(r"\b(an?) ((?:[a-z'-]+ ){0,3}?[a-z'-]+?)(?= [a-z-]+ing\b| (?:of|in|on|at|with|from|against|"
                           r"over|into|across|along|and|through|once|twice|two|three|four|five|six|twelve)\b|,|$)")
_NOT_PLURAL = ("ss", "us", "is", "as", "'s")
_PLURALS = frozenset("people children men women mice geese sheep cattle".split())
_FUNCTION = frozenset("a an the of in on at with and from over into its".split())


def caption_problems(caption: str) -> list[str]:
    """Why a caption is not a well-formed sound description: plot words, a content word
    twice ('children murmur of children'), an article that does not agree ('a lasers',
    'a explosion')."""
    low = caption.lower()
    out = []
    if len(low.split()) > 16 or _PLOT.search(low):
        out.append("plot or too long")
    words = re.findall(r"[a-z']+", low)
    content = [w for w in words if len(w) > 3 and w not in _FUNCTION]
    if len(set(content)) < len(content):
        out.append("doubled word")
    for m in _ARTICLE_SPAN.finditer(low):
        span = m.group(2).split()
        first = span[0]
        vowel = first[0] in "aeiou" and not first.startswith(("one", "uni", "use", "eu"))
        if (m.group(1) == "a") == vowel and first[0].isalpha():
            out.append(f"'{m.group(1)} {first}'")
        if any(w in _PLURALS or (w.endswith("s") and not w.endswith(_NOT_PLURAL)) for w in span):
            out.append(f"'{m.group(1)}' before a plural in '{m.group(0)}'")
    return out


def test_caption_checker_knows_its_answers():
    for bad in ("children murmur of children in the distance", "a lasers fire crackling", "a explosion",
                "an dog barking", "he knocks on the door", "suddenly a door slams"):
        assert caption_problems(bad), bad
    for good in ("a dog barking", "an old door creaking open", "lasers firing", "a ship's hull creaking",
                 "a busy city street, distant traffic and voices", "a bell tolling twelve times far away",
                 "a unicorn galloping", "heavy rain and gusting wind", "knocking on a steel door three times"):
        assert not caption_problems(good), (good, caption_problems(good))


def test_captions_are_well_formed_sounds_not_plot():
    for s in DATA + HELDOUT:
        tl = engine.plan(s["story"], s["duration"])
        for e in tl.events:
            assert not caption_problems(e.caption), (s["id"], e.caption, caption_problems(e.caption))


def test_counts_distance_and_material_reach_the_caption():
    tl = engine.plan("The visitor knocks three times on the oak door. Far away, a bell tolls twelve times. "
                     "Boots crunch on gravel.", 20)
    caps = [e.caption for e in tl.events if e.track.startswith("fx")]
    assert any("knock" in c and "three times" in c for c in caps), caps
    assert any("bell" in c and "twelve times" in c and "far away" in c for c in caps), caps
    assert any("gravel" in c for c in caps), caps
    assert engine.match(next(c for c in caps if "knock" in c))["params"].get("count") == 3


def test_order_words_reverse_and_overlap():
    tl = engine.plan("The dog barks after the door slams. While the kettle whistles, the phone rings.", 20)
    start = {k: next(e.start_s for e in tl.events if k in e.caption) for k in ("dog", "slam", "kettle", "phone")}
    assert start["slam"] < start["dog"] < start["kettle"]
    kettle, phone = (next(e for e in tl.events if k in e.caption) for k in ("kettle", "phone"))
    assert kettle.track != phone.track and min(kettle.end_s, phone.end_s) > max(kettle.start_s, phone.start_s)


def test_stopped_bed_ends_and_scene_change_swaps_the_bed():
    tl = engine.plan("Rain falls on the forest. The rain stops. The next morning, in the busy city, traffic flows.", 60)
    rain = next(e for e in tl.events if "rain" in e.caption)
    city = [e for e in tl.events if e.track.startswith("ambience") and ("city" in e.caption or "traffic" in e.caption)]
    assert city and 15 < min(e.start_s for e in city) < 40       # the city scene starts after the rain scene
    assert rain.end_s < min(e.start_s for e in city)              # and the rain stopped before it


def test_negated_sounds_are_left_out():
    tl = engine.plan("No dog barks tonight. The clock ticks.", 10)
    assert not any("dog" in e.caption for e in tl.events)
    assert any("clock" in e.caption for e in tl.events)


def _beds_at(tl, t):
    return [e for e in tl.events if e.track.startswith("ambience") and e.start_s <= t < e.end_s]


def test_homographs_are_read_from_their_neighbours():
    tl = engine.plan("The guards fire their rifles and a grenade rocks the bunker.", 20)
    caps = [e.caption for e in tl.events]
    assert not any("crackl" in c or "fire crackling" in c for c in caps), caps       # 'fire' is the verb
    assert any("rifle" in c for c in caps) and any("grenade" in c for c in caps), caps
    tl = engine.plan("Something scratches at the bark of an elm. The boxers circle each other in the ring.", 20)
    caps = [e.caption for e in tl.events]
    assert not any("dog" in c or "barking" in c or "ringing" in c for c in caps), caps
    tl = engine.plan("A mine explodes and rocks the freighter.", 10)                 # the object of a silent verb
    assert not any("ship" in e.caption or "freighter" in e.caption for e in tl.events)


def test_adjectives_and_place_nouns_pick_the_bed():
    tl = engine.plan("It was a cold and stormy evening.", 10)
    assert any("storm" in e.caption for e in _beds_at(tl, 5)), [e.caption for e in tl.events]
    tl = engine.plan("She hurries down a rainy street.", 10)
    beds = " | ".join(e.caption for e in _beds_at(tl, 5))
    assert "rain" in beds and "city" in beds and "countryside" not in beds, beds


def test_the_fallback_bed_suits_the_setting():
    tl = engine.plan("Aboard the starship, the captain waits.", 10)
    assert any("spacecraft" in e.caption or "starship" in e.caption for e in _beds_at(tl, 5))
    tl = engine.plan("A police siren wails. He waits at the corner.", 20)
    beds = " | ".join(e.caption for e in _beds_at(tl, 15))
    assert "city" in beds and "breeze" not in beds, beds


def test_a_new_day_and_a_silence_replace_the_bed():
    tl = engine.plan("A storm lashes the cabin, then morning comes and a cockerel crows.", 30)
    storm = next(e for e in tl.events if "storm" in e.caption)
    crow = next(e for e in tl.events if "crow" in e.caption)
    assert storm.end_s <= crow.start_s and any("morning" in e.caption for e in _beds_at(tl, 29))
    tl = engine.plan("The tavern roars with laughter and song. Then silence. A glass shatters.", 30)
    late = _beds_at(tl, 29)
    assert late and all("tavern" not in e.caption and "busy" not in e.caption for e in late), late
    assert all(e.gain_db <= -10 for e in late)
    tl = engine.plan("Rain drums on the roof. When the storm passes, a blackbird sings.", 30)
    assert not any("rain" in e.caption for e in _beds_at(tl, 29))


def test_music_captions_carry_the_mood_and_the_mood_follows_genre_and_sounds():
    tl = engine.plan("The heralds raise their trumpets and a fanfare sounds as the queen arrives.", 20)
    assert tl.context.mood == "epic" and any("fanfare" in e.caption for e in tl.events if e.track.startswith("music"))
    tl = engine.plan("At the funeral a lone violin plays.", 20)
    assert any("sad" in e.caption and "violin" in e.caption for e in tl.events)
    assert engine.plan("The thieves creep past the sleeping guard.", 10).context.mood == "tense"
    assert engine.plan("Knights parade through the square while the crowd cheers.", 10).context.mood == "epic"
