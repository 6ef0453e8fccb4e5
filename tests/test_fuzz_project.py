"""Mutation fuzzer over the project loader.

Start from a rich, valid project and apply random structural mutations (delete, retype,
duplicate, deep-nest, path-like and control-character strings) and byte-level ones
(truncate, flip, splice invalid UTF-8). Every mutant either loads into a sane Timeline
or raises ValidationError with a one-line message naming a field: never another
exception, never a half-valid timeline."""
from __future__ import annotations

import copy
import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import ValidationError, load_project
from engine.timeline import ID_PATTERN, MAX_CAPTION_CHARS, MAX_EVENTS, Timeline

SEED_PROJECT = {
    "version": 1, "story": "a storm rolls over a farmhouse at night, then dawn breaks and a rooster crows",
    "duration_s": 30.0, "sample_rate": 44100,
    "context": {"setting": "farmhouse at night", "mood": "tense", "residual": "rain on tin"},
    "tracks": [{"id": "ambience", "gain_db": -3.0}, {"id": "fx"}, {"id": "music", "mute": True}],
    "events": [
        {"id": "e1", "caption": "heavy rain on a tin roof", "start_s": 0.0, "duration_s": 20.0,
         "track": "ambience", "gain_db": -2.0, "pan": 0.0, "fade_in_s": 0.5, "fade_out_s": 1.0, "seed": 123},
        {"id": "e2", "caption": "distant thunder rumbles", "start_s": 4.0, "duration_s": 6.0, "track": "fx",
         "pan": -0.4, "seed": 7, "locked": True},
        {"id": "e3", "caption": "a rooster crows twice", "start_s": 22.0, "duration_s": 4.0, "track": "fx"},
    ],
    "reasoning": "rain first, thunder over it, dawn last", "planner": "rules", "warnings": ["note"],
}

NASTY_VALUES = [None, True, False, 0, -1, 1e308, -1e308, float("nan"), float("inf"), 2**70, "", " ", "x" * 10_000,
                "../../etc/passwd", "/etc/passwd", "C:\\Windows\\win.ini", "e1\x00", "\u202e\u200b", "🎵" * 5, [],
                {}, [[[[[]]]]], {"a": {"b": {"c": {}}}}, "1e3", "NaN", 3.5, -0.0]

value_st = st.sampled_from(NASTY_VALUES) | st.text(max_size=40) | st.floats() | st.integers()


def _paths(node, prefix=()):
    """Every (container path) in the document, so a mutation can target any level."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def _fresh(value):
    """A drawn value is placed by copy: a later mutation inside it must never change the
    shared NASTY_VALUES (hypothesis would then see data generation change between runs)."""
    return copy.deepcopy(value)


@st.composite
def mutated_documents(draw):
    doc = copy.deepcopy(SEED_PROJECT)
    for _ in range(draw(st.integers(1, 4))):
        paths = list(_paths(doc))
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["set", "delete", "add_key", "duplicate", "nest", "swap_type"]))
        if not path:
            if op == "set":
                doc = _fresh(draw(value_st))
                break
            continue
        parent, key = _get(doc, path[:-1]), path[-1]
        if op == "set":
            parent[key] = _fresh(draw(value_st))
        elif op == "delete":
            del parent[key]
        elif op == "add_key" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = _fresh(draw(value_st))
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif op == "nest":
            v = parent[key]
            for _ in range(draw(st.integers(1, 60))):
                v = [v]
            parent[key] = v
        elif op == "swap_type":
            v = parent[key]
            parent[key] = str(v) if not isinstance(v, str) else ([v] if draw(st.booleans()) else len(v))
        if not isinstance(doc, (dict, list)):
            break
    return doc


def _assert_sane(tl: Timeline) -> None:
    assert 0 < tl.duration_s <= 3600 and math.isfinite(tl.duration_s)
    assert len(tl.events) <= MAX_EVENTS
    tracks = {t.id for t in tl.tracks}
    ids = [e.id for e in tl.events]
    assert len(ids) == len(set(ids))
    for e in tl.events:
        assert ID_PATTERN.match(e.id), e.id  # no path-like ids ever reach the renderer or the file system
        assert e.track in tracks
        assert 0 < len(e.caption) <= MAX_CAPTION_CHARS and e.caption.strip()
        for x in (e.start_s, e.duration_s, e.gain_db, e.pan, e.fade_in_s, e.fade_out_s):
            assert math.isfinite(x)
        assert 0 <= e.start_s and e.duration_s > 0 and e.end_s <= tl.duration_s + 1e-6
    # what loaded must survive its own round trip unchanged
    assert Timeline.from_json(tl.to_json()) == tl


def _load_or_reject(data) -> None:
    try:
        tl = Timeline.from_json(data)
    except ValidationError as e:
        msg = str(e)
        assert msg and "\n" not in msg and len(msg) < 400
        assert "Traceback" not in msg
        return
    _assert_sane(tl)


def test_the_seed_project_is_valid():
    _assert_sane(Timeline.from_json(SEED_PROJECT))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_structural_mutants_load_or_raise_validation_error(doc):
    _load_or_reject(doc)
    try:
        text = json.dumps(doc, allow_nan=True)
    except (ValueError, RecursionError):
        return
    _load_or_reject(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_byte_level_mutants_load_or_raise_validation_error(tmp_path_factory, data):
    raw = bytearray(json.dumps(SEED_PROJECT).encode())
    op = data.draw(st.sampled_from(["truncate", "flip", "splice", "insert"]))
    i = data.draw(st.integers(0, len(raw) - 1))
    if op == "truncate":
        raw = raw[:i]
    elif op == "flip":
        raw[i] ^= data.draw(st.integers(1, 255))
    elif op == "splice":
        raw[i:i] = data.draw(st.sampled_from([b"\xff\xfe", b"\xc3", b"\x00", b"\x1b[31m", b"\\ud800", b"}", b"]"]))
    else:
        raw[i:i] = data.draw(st.binary(min_size=1, max_size=16))
    path = tmp_path_factory.mktemp("fuzz") / "p.json"
    path.write_bytes(bytes(raw))
    try:
        tl = load_project(path)
    except ValidationError as e:
        assert "\n" not in str(e)
        return
    _assert_sane(tl)


def test_deep_nesting_is_a_validation_error_not_a_recursion_error():
    deep = "[" * 100_000 + "]" * 100_000
    for text in (deep, '{"duration_s": 10, "events": ' + deep + "}"):
        try:
            Timeline.from_json(text)
        except ValidationError as e:
            assert "\n" not in str(e)
        else:  # pragma: no cover - a list of lists is never a project
            raise AssertionError("a deeply nested document loaded")


def test_path_like_ids_and_names_are_rejected_with_the_field_named():
    for bad in ("../../etc/passwd", "/etc/passwd", "a/b", "..", "e1\x00", "C:\\x", " e1"):
        doc = copy.deepcopy(SEED_PROJECT)
        doc["events"][0]["id"] = bad
        try:
            Timeline.from_json(doc)
        except ValidationError as e:
            assert "events[0].id" in str(e)
        else:
            raise AssertionError(f"id {bad!r} loaded")
        doc = copy.deepcopy(SEED_PROJECT)
        doc["tracks"][0]["id"] = bad
        try:
            Timeline.from_json(doc)
        except ValidationError as e:
            assert "tracks[0].id" in str(e)
        else:
            raise AssertionError(f"track id {bad!r} loaded")


def test_control_characters_in_user_keys_and_values_never_break_the_one_line_message():
    for doc in ({**SEED_PROJECT, "\n": None}, {**SEED_PROJECT, "story\u2028x": 1},
                {**SEED_PROJECT, "tracks": [{"id": "a\nb"}]}):
        try:
            Timeline.from_json(doc)
        except ValidationError as e:
            assert "\n" not in str(e) and "\u2028" not in str(e) and ("\\n" in str(e) or "\\u2028" in str(e))
        else:
            raise AssertionError("loaded")
