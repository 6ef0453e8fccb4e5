"""From an LLM's answer text to a valid Timeline: parse, then repair. Pure functions.

``parse_answer`` takes raw model text (code fences, a ``<think>`` preamble, prose
around the object, a truncated tail) and returns the JSON value in it.
``repair_answer`` takes any JSON-ish value and either returns a valid Timeline plus
the list of fixes it made, or raises :class:`ValidationError` saying why the answer
cannot be used. It never raises anything else. Fixes: times clamped into
[0, duration], overlapping and zero-length events re-timed, empty captions dropped,
missing optional fields filled, unknown tracks mapped to ``fx``.
"""
from __future__ import annotations

import json
import math
import re
from collections import deque
from dataclasses import dataclass
from typing import Any

from ..errors import ValidationError
from ..timeline import (MAX_CAPTION_CHARS, MAX_EVENTS, MAX_STORY_CHARS, MAX_TEXT_CHARS, Timeline)
from .prompt import TRACKS

MIN_EVENT_S = 0.1          # shorter events are stretched to this
DEFAULT_FX_S = 3.0         # an fx event without a usable duration
MAX_OVERLAP_S = 2.0        # same-track overlap kept as a crossfade; more is re-timed
TRACK_ALIASES = {
    "ambience": "ambience", "ambient": "ambience", "ambiance": "ambience", "background": "ambience",
    "bed": "ambience", "atmosphere": "ambience", "atmos": "ambience", "environment": "ambience",
    "fx": "fx", "sfx": "fx", "effect": "fx", "effects": "fx", "foley": "fx", "sound": "fx",
    "music": "music", "score": "music", "soundtrack": "music", "underscore": "music",
}
_FENCE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)(?:```|\Z)", re.S)
_THINK = re.compile(r"<think>.*?(?:</think>|\Z)", re.S | re.I)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_NUMBER = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(?:s|sec|secs|seconds?)?\s*$", re.I)


@dataclass(frozen=True)
class Repaired:
    timeline: Timeline
    fixes: tuple[str, ...]       # one line per change made to the answer


# --- parsing ------------------------------------------------------------------------
def parse_answer(text: Any) -> Any:
    """The JSON value in a model's answer; raises ValidationError('answer', ...) if none."""
    if not isinstance(text, str):
        raise ValidationError("answer", f"expected text (got {type(text).__name__})")
    if len(text) > 1_000_000:
        raise ValidationError("answer", "is too long")
    body = _THINK.sub("", text).strip()
    fence = _FENCE.search(body)
    if fence:
        body = fence.group(1).strip()
    obj, arr = body.find("{"), body.find("[")
    if obj < 0 and arr < 0:
        raise ValidationError("answer", f"no JSON object in the answer ({_preview(text)})")
    starts = [arr, obj] if 0 <= arr < obj or obj < 0 else [obj]   # a bare event list, or "[note] {...}"
    errors = []
    for start in (i for i in starts if i >= 0):
        try:
            value, _ = json.JSONDecoder().raw_decode(body[start:])   # prose after the object is ignored
            return value
        except RecursionError:
            raise ValidationError("answer", "JSON is nested too deeply") from None
        except ValueError as e:
            errors.append(f"{e.msg} at character {e.pos}")
            salvaged = _close_truncated(body[start:])
            if salvaged is not None:
                return salvaged
    raise ValidationError("answer", f"not valid JSON ({errors[0]})")


def _preview(text: str) -> str:
    t = " ".join(text.split())
    return repr(t[:60] + ("..." if len(t) > 60 else ""))


def _close_truncated(body: str, tries: int = 32) -> Any:
    """A cut-off answer, kept up to one of its last complete values and closed, so the
    events written before the cut survive. None if no cut point gives valid JSON."""
    if len(body) > 200_000:
        return None
    cuts: deque[tuple[int, str]] = deque(maxlen=tries)   # (position, closers needed after it)
    stack: list[str] = []
    in_str = esc = False
    for i, c in enumerate(body):
        if in_str:
            if esc:
                esc = False
            elif c == "\\":
                esc = True
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c in "{[":
            stack.append("}" if c == "{" else "]")
        elif c in "}]":
            if not stack or stack.pop() != c:
                break
            cuts.append((i, "".join(reversed(stack))))
    for i, closers in reversed(cuts):
        try:
            return json.loads(body[:i + 1] + closers)
        except (ValueError, RecursionError):
            continue
    return None


# --- field readers: tolerant, never raising ---------------------------------------
def _num(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, str):
        m = _NUMBER.match(v)
        v = m.group(1) if m else None
    try:
        x = float(v) if v is not None else None
    except (TypeError, ValueError, OverflowError):
        return None
    return x if x is not None and math.isfinite(x) else None


def _str(v: Any, limit: int) -> str:
    if not isinstance(v, str):
        return ""
    v = v.encode("utf-8", "ignore").decode("utf-8")   # lone surrogates cannot be saved
    s = " ".join(_CONTROL.sub(" ", v).split())
    return s[:limit].strip()


def _first(d: dict, *keys: str) -> Any:
    for k in keys:
        if k in d:
            return d[k]
    return None


# --- repair ----------------------------------------------------------------------------
def repair_answer(answer: Any, *, story: str, duration_s: float, sample_rate: int = 44100,
                  planner: str = "llm") -> Repaired:
    """A valid Timeline from an LLM answer ``{reasoning, setting, mood, events: [...]}``
    (a bare event list is accepted too), or ValidationError naming what is unusable."""
    try:
        return _repair(answer, story=story, duration_s=float(duration_s), sample_rate=sample_rate, planner=planner)
    except ValidationError:
        raise
    except RecursionError:
        raise ValidationError("answer", "nested too deeply") from None


def _repair(answer: Any, *, story: str, duration_s: float, sample_rate: int, planner: str) -> Repaired:
    fixes: list[str] = []
    if isinstance(answer, list):
        answer = {"events": answer}
        fixes.append("the answer was a bare event list")
    if not isinstance(answer, dict):
        raise ValidationError("answer", f"must be a JSON object with an events list (got {type(answer).__name__})")
    raw = answer.get("events")
    if not isinstance(raw, list):
        got = "missing" if raw is None else f"a {type(raw).__name__}"
        raise ValidationError("answer.events", f"must be a list of events ({got})")
    if len(raw) > MAX_EVENTS:
        fixes.append(f"kept the first {MAX_EVENTS} of {len(raw)} events")
        raw = raw[:MAX_EVENTS]
    events = []
    for i, ev in enumerate(raw):
        e = _event(ev, i, duration_s, fixes)
        if e is not None:
            events.append(e)
    if not events:
        raise ValidationError("answer.events", f"no usable event among {len(raw)} (each needs a caption and a time)")
    events = _retime_overlaps(events, duration_s, fixes)
    events.sort(key=lambda e: (e["start_s"], TRACKS.index(e["track"])))
    for k, e in enumerate(events, 1):
        e["id"] = f"e{k}"
        _finish(e)
    setting = _str(answer.get("setting"), 200)
    mood = _str(answer.get("mood"), 60)
    doc = {
        "version": 1, "story": story[:MAX_STORY_CHARS], "duration_s": duration_s, "sample_rate": sample_rate,
        "context": {"setting": setting, "mood": mood,
                    "residual": f"{mood + ' ' if mood else ''}scene{' at ' + setting if setting else ''}"[:MAX_TEXT_CHARS]},
        "tracks": [{"id": t} for t in TRACKS],
        "events": events, "reasoning": _str(answer.get("reasoning"), MAX_STORY_CHARS), "planner": planner,
    }
    return Repaired(Timeline.from_json(doc), tuple(fixes))


def _event(ev: Any, i: int, total: float, fixes: list[str]) -> dict | None:
    where = f"events[{i}]"
    if not isinstance(ev, dict):
        fixes.append(f"{where}: dropped (not an object)")
        return None
    caption = _str(_first(ev, "caption", "description", "sound"), MAX_CAPTION_CHARS)
    if not caption:
        fixes.append(f"{where}: dropped (empty caption)")
        return None
    track_raw = ev.get("track")
    track = TRACK_ALIASES.get(track_raw.strip().lower(), "") if isinstance(track_raw, str) else ""
    if not track:
        track = "fx"
        if track_raw is not None:
            fixes.append(f"{where}: unknown track {str(track_raw)[:20]!r} -> fx")
    start = _num(_first(ev, "start_s", "start"))
    dur = _num(_first(ev, "duration_s", "duration"))
    end = _num(_first(ev, "end_s", "end"))
    if start is None:
        if dur is None or end is None:
            fixes.append(f"{where}: dropped (no usable start time)")
            return None
        start = end - dur
    if (dur is None or dur <= 0) and end is not None and start is not None and end > start:
        dur = end - start
    if start < 0 or start > total - MIN_EVENT_S:
        new = min(max(start, 0.0), max(total - MIN_EVENT_S, 0.0))
        fixes.append(f"{where}: start {start:g} s moved to {new:g} s")
        start = new
    if dur is None or dur <= 0:
        dur = total - start if track != "fx" else min(DEFAULT_FX_S, total - start)
        fixes.append(f"{where}: missing or zero duration -> {dur:g} s")
    if start + dur > total:
        fixes.append(f"{where}: ended at {start + dur:g} s, trimmed to the {total:g} s timeline")
        dur = total - start
    if dur < MIN_EVENT_S:
        dur = MIN_EVENT_S
    out = {"caption": caption, "start_s": start, "duration_s": dur, "track": track}
    gain, pan = _num(ev.get("gain_db")), _num(ev.get("pan"))
    if gain is not None:
        out["gain_db"] = min(max(gain, -60.0), 24.0)
    if pan is not None:
        out["pan"] = min(max(pan, -1.0), 1.0)
    for k, limit in (("tone", 200), ("cues", MAX_TEXT_CHARS)):
        text = _str(ev.get(k), limit)
        if text:
            out[k] = text
    return out


def _retime_overlaps(events: list[dict], total: float, fixes: list[str]) -> list[dict]:
    """On each track an event that starts inside the previous one and overlaps it by more
    than a short crossfade (stacked or duplicated events) moves to start where the
    previous one ends; an event that no longer fits is dropped. Events wholly inside a
    longer one (a layer within a bed) are left as they are."""
    kept = []
    for track in TRACKS:
        prev = None
        for e in sorted((e for e in events if e["track"] == track), key=lambda e: (e["start_s"], -e["duration_s"])):
            if prev is not None:
                p_end, e_end = prev["start_s"] + prev["duration_s"], e["start_s"] + e["duration_s"]
                allowed = min(MAX_OVERLAP_S, prev["duration_s"] / 2, e["duration_s"] / 2)
                if e_end <= p_end:
                    kept.append(e)
                    continue
                if p_end - e["start_s"] > allowed + 1e-9:
                    new_start = p_end - allowed
                    if total - new_start < MIN_EVENT_S:
                        fixes.append(f"dropped {e['caption'][:40]!r}: overlaps an earlier {track} event and does not fit after it")
                        continue
                    fixes.append(f"{e['caption'][:40]!r} re-timed from {e['start_s']:g} s to {new_start:g} s "
                                 f"(overlapped an earlier {track} event)")
                    e["start_s"] = new_start
                    e["duration_s"] = min(e["duration_s"], total - new_start)
            kept.append(e)
            prev = e
    return kept


def _finish(e: dict) -> None:
    """Millisecond start times, an end that stays where it was, fades that fit."""
    end = e["start_s"] + e["duration_s"]
    e["start_s"] = round(e["start_s"], 3)
    e["duration_s"] = round(end - e["start_s"], 6)
    fade = min(1.0 if e["track"] != "fx" else 0.05, e["duration_s"] / 4)
    e.setdefault("fade_in_s", round(fade, 6))
    e.setdefault("fade_out_s", round(fade, 6))
