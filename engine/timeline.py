"""The project data: Timeline, SoundEvent, Track, Context, and their versioned JSON form.

Validation happens once, here, where data enters (file, CLI, LLM output, UI table).
Anything that does not fit raises :class:`ValidationError` naming the field path and the
reason; nothing else escapes ``Timeline.from_json``. The objects are frozen: edits make
new timelines (``with_event``, ``replace``), so a half-applied change cannot exist.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import ValidationError

FORMAT_VERSION = 1
MAX_DURATION_S = 3600.0
MAX_EVENTS = 500
MAX_TRACKS = 16
MAX_CAPTION_CHARS = 500
MAX_STORY_CHARS = 20_000
MAX_TEXT_CHARS = 2_000
MAX_JSON_BYTES = 5_000_000
SAMPLE_RATES = (8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000)
DEFAULT_TRACKS = ("ambience", "fx", "music")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TIME_EPS_S = 1e-6


def derive_seed(event_id: str) -> int:
    """A stable 32-bit seed from an event id (same on every machine and run)."""
    return int.from_bytes(hashlib.sha256(event_id.encode("utf-8")).digest()[:4], "big")


# --- field readers: each returns a clean value or raises ValidationError ------------
def _number(v: Any, path: str, *, lo: float | None = None, hi: float | None = None,
            lo_open: bool = False) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValidationError(path, f"must be a number (got {type(v).__name__})")
    x = float(v)
    if not math.isfinite(x):
        raise ValidationError(path, f"must be a finite number (got {v!r})")
    if lo is not None and (x <= lo if lo_open else x < lo):
        raise ValidationError(path, f"must be {'>' if lo_open else '>='} {lo:g} (got {x:g})")
    if hi is not None and x > hi:
        raise ValidationError(path, f"must be <= {hi:g} (got {x:g})")
    return x


def _int(v: Any, path: str, *, lo: int, hi: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, float) and v.is_integer() and math.isfinite(v):
            v = int(v)
        else:
            raise ValidationError(path, f"must be an integer (got {v!r})"[:200])
    if not lo <= v <= hi:
        raise ValidationError(path, f"must be between {lo} and {hi} (got {v})")
    return v


def _text(v: Any, path: str, *, max_chars: int, required: bool = False) -> str:
    if not isinstance(v, str):
        raise ValidationError(path, f"must be a string (got {type(v).__name__})")
    if _CONTROL.search(v):
        raise ValidationError(path, "must not contain control characters")
    s = v.strip()
    if required and not s:
        raise ValidationError(path, "must not be empty")
    if len(s) > max_chars:
        raise ValidationError(path, f"is too long ({len(s)} characters, at most {max_chars})")
    return s


def _ident(v: Any, path: str) -> str:
    if not isinstance(v, str) or not ID_PATTERN.match(v):
        shown = repr(v)[:40]
        raise ValidationError(path, f"must be 1-64 letters, digits, '-' or '_' starting with a letter or digit (got {shown})")
    return v


def _bool(v: Any, path: str) -> bool:
    if not isinstance(v, bool):
        raise ValidationError(path, f"must be true or false (got {v!r})"[:200])
    return v


def _object(v: Any, path: str, allowed: set[str], required: set[str] = frozenset()) -> dict:
    if not isinstance(v, dict):
        raise ValidationError(path or "project", f"must be an object (got {type(v).__name__})")
    for k in v:
        if not isinstance(k, str) or k not in allowed:
            where = f"{path}.{k}" if path else str(k)
            raise ValidationError(where[:120], f"unknown field (allowed: {', '.join(sorted(allowed))})")
    for k in sorted(required):
        if k not in v:
            raise ValidationError(f"{path}.{k}" if path else k, "is required")
    return v


def _list(v: Any, path: str, max_items: int) -> list:
    if not isinstance(v, list):
        raise ValidationError(path, f"must be a list (got {type(v).__name__})")
    if len(v) > max_items:
        raise ValidationError(path, f"has {len(v)} items, at most {max_items} allowed")
    return v


# --- the data ----------------------------------------------------------------------
@dataclass(frozen=True)
class Context:
    """Story-level context every event shares (AudioStory's residual/global cues)."""
    setting: str = ""
    mood: str = ""
    residual: str = ""
    space: str = ""      # acoustic space override for the procedural renderer ("" = from setting)

    @classmethod
    def from_json(cls, d: Any, path: str = "context") -> "Context":
        d = _object(d, path, {f.name for f in dataclasses.fields(cls)})
        return cls(**{k: _text(v, f"{path}.{k}", max_chars=MAX_TEXT_CHARS) for k, v in d.items()})


@dataclass(frozen=True)
class Track:
    id: str
    gain_db: float = 0.0
    mute: bool = False
    solo: bool = False

    @classmethod
    def from_json(cls, d: Any, path: str) -> "Track":
        d = _object(d, path, {"id", "gain_db", "mute", "solo"}, {"id"})
        return cls(id=_ident(d["id"], f"{path}.id"),
                   gain_db=_number(d.get("gain_db", 0.0), f"{path}.gain_db", lo=-60, hi=24),
                   mute=_bool(d.get("mute", False), f"{path}.mute"),
                   solo=_bool(d.get("solo", False), f"{path}.solo"))


@dataclass(frozen=True)
class SoundEvent:
    id: str
    caption: str
    start_s: float
    duration_s: float
    track: str = "fx"
    gain_db: float = 0.0
    pan: float = 0.0
    fade_in_s: float = 0.05
    fade_out_s: float = 0.05
    seed: int = 0
    tone: str = ""           # per-event tone/mood cue
    cues: str = ""           # contextual cues from the planner (why/how this sound occurs)
    recipe: str = ""         # procedural recipe pin ("" = match the caption)
    locked: bool = False     # a locked event is never re-rendered by "render all"
    take: str = ""           # id of the chosen take ("" = latest)

    @property
    def end_s(self) -> float:
        return self.start_s + self.duration_s

    @classmethod
    def from_json(cls, d: Any, path: str, *, total_s: float, tracks: set[str]) -> "SoundEvent":
        d = _object(d, path, EVENT_FIELDS, {"id", "caption", "start_s", "duration_s"})
        eid = _ident(d["id"], f"{path}.id")
        start = _number(d["start_s"], f"{path}.start_s", lo=0.0)
        dur = _number(d["duration_s"], f"{path}.duration_s", lo=0.0, lo_open=True)
        if start >= total_s:
            raise ValidationError(f"{path}.start_s", f"must be before the end of the timeline ({total_s:g} s), got {start:g}")
        if start + dur > total_s + TIME_EPS_S:
            raise ValidationError(f"{path}.duration_s",
                                  f"event ends at {start + dur:g} s, after the end of the timeline ({total_s:g} s)")
        track = _ident(d.get("track", "fx"), f"{path}.track")
        if track not in tracks:
            raise ValidationError(f"{path}.track", f"unknown track {track!r} (tracks: {', '.join(sorted(tracks))})")
        fin = _number(d.get("fade_in_s", min(0.05, dur / 2)), f"{path}.fade_in_s", lo=0.0)
        fout = _number(d.get("fade_out_s", min(0.05, dur / 2)), f"{path}.fade_out_s", lo=0.0)
        if fin + fout > dur + TIME_EPS_S:
            raise ValidationError(f"{path}.fade_in_s", f"fade_in_s + fade_out_s ({fin + fout:g} s) exceeds duration_s ({dur:g} s)")
        recipe = d.get("recipe", "")
        if recipe != "":
            recipe = _ident(recipe, f"{path}.recipe")
        take = d.get("take", "")
        if take != "":
            take = _ident(take, f"{path}.take")
        return cls(
            id=eid,
            caption=_text(d["caption"], f"{path}.caption", max_chars=MAX_CAPTION_CHARS, required=True),
            start_s=start, duration_s=dur, track=track,
            gain_db=_number(d.get("gain_db", 0.0), f"{path}.gain_db", lo=-60, hi=24),
            pan=_number(d.get("pan", 0.0), f"{path}.pan", lo=-1, hi=1),
            fade_in_s=fin, fade_out_s=fout,
            seed=_int(d["seed"], f"{path}.seed", lo=0, hi=2**32 - 1) if "seed" in d else derive_seed(eid),
            tone=_text(d.get("tone", ""), f"{path}.tone", max_chars=200),
            cues=_text(d.get("cues", ""), f"{path}.cues", max_chars=MAX_TEXT_CHARS),
            recipe=recipe, locked=_bool(d.get("locked", False), f"{path}.locked"), take=take,
        )

    def to_json(self) -> dict:
        return {f: getattr(self, f) for f in EVENT_FIELD_ORDER}


EVENT_FIELD_ORDER = ("id", "caption", "start_s", "duration_s", "track", "gain_db", "pan", "fade_in_s",
                     "fade_out_s", "seed", "tone", "cues", "recipe", "locked", "take")
EVENT_FIELDS = set(EVENT_FIELD_ORDER)
TOP_FIELDS = {"version", "story", "duration_s", "sample_rate", "context", "tracks", "events",
              "reasoning", "planner", "warnings", "provenance"}


@dataclass(frozen=True)
class Timeline:
    story: str
    duration_s: float
    sample_rate: int = 44100
    context: Context = field(default_factory=Context)
    tracks: tuple[Track, ...] = tuple(Track(t) for t in DEFAULT_TRACKS)
    events: tuple[SoundEvent, ...] = ()
    reasoning: str = ""              # the planner's "think" step, kept with the plan
    planner: str = ""                # which planner produced it
    warnings: tuple[str, ...] = ()   # visible notes (e.g. an LLM fell back to rules)
    provenance: dict = field(default_factory=dict, compare=False)  # free-form, JSON-safe
    version: int = FORMAT_VERSION

    # -- construction ----------------------------------------------------------------
    @classmethod
    def from_json(cls, data: dict | str | bytes) -> "Timeline":
        """Parse and validate a project document; raises ValidationError only."""
        if isinstance(data, (str, bytes, bytearray)):
            if len(data) > MAX_JSON_BYTES:
                raise ValidationError("project", f"is too large ({len(data)} bytes, at most {MAX_JSON_BYTES})")
            try:
                data = json.loads(data)
            except json.JSONDecodeError as e:
                raise ValidationError("project", f"not valid JSON (line {e.lineno} column {e.colno}: {e.msg})") from None
            except RecursionError:
                raise ValidationError("project", "JSON is nested too deeply") from None
            except (UnicodeDecodeError, ValueError) as e:
                raise ValidationError("project", f"not valid JSON ({str(e)[:100]})") from None
        try:
            return cls._from_dict(data)
        except ValidationError:
            raise
        except RecursionError:
            raise ValidationError("project", "nested too deeply") from None

    @classmethod
    def _from_dict(cls, d: Any) -> "Timeline":
        d = _object(d, "", TOP_FIELDS, {"duration_s"})
        version = _int(d.get("version", FORMAT_VERSION), "version", lo=1, hi=10**6)
        if version != FORMAT_VERSION:
            raise ValidationError("version", f"unsupported project version {version} (this build reads {FORMAT_VERSION})")
        total = _number(d["duration_s"], "duration_s", lo=0.0, lo_open=True, hi=MAX_DURATION_S)
        sr = _int(d.get("sample_rate", 44100), "sample_rate", lo=1, hi=10**6)
        if sr not in SAMPLE_RATES:
            raise ValidationError("sample_rate", f"must be one of {', '.join(map(str, SAMPLE_RATES))} (got {sr})")
        raw_tracks = _list(d.get("tracks", [{"id": t} for t in DEFAULT_TRACKS]), "tracks", MAX_TRACKS)
        tracks = tuple(Track.from_json(t, f"tracks[{i}]") for i, t in enumerate(raw_tracks))
        if not tracks:
            raise ValidationError("tracks", "must name at least one track")
        _unique([t.id for t in tracks], "tracks")
        track_ids = {t.id for t in tracks}
        raw_events = _list(d.get("events", []), "events", MAX_EVENTS)
        events = tuple(SoundEvent.from_json(e, f"events[{i}]", total_s=total, tracks=track_ids)
                       for i, e in enumerate(raw_events))
        _unique([e.id for e in events], "events")
        warnings = _list(d.get("warnings", []), "warnings", 50)
        prov = d.get("provenance", {})
        if not isinstance(prov, dict):
            raise ValidationError("provenance", f"must be an object (got {type(prov).__name__})")
        try:
            prov_size = len(json.dumps(prov, allow_nan=False))
        except (TypeError, ValueError, RecursionError):
            raise ValidationError("provenance", "must be plain JSON without NaN or infinity") from None
        if prov_size > 200_000:
            raise ValidationError("provenance", "is too large")
        return cls(
            story=_text(d.get("story", ""), "story", max_chars=MAX_STORY_CHARS),
            duration_s=total, sample_rate=sr,
            context=Context.from_json(d.get("context", {})),
            tracks=tracks, events=events,
            reasoning=_text(d.get("reasoning", ""), "reasoning", max_chars=MAX_STORY_CHARS),
            planner=_text(d.get("planner", ""), "planner", max_chars=200),
            warnings=tuple(_text(w, f"warnings[{i}]", max_chars=MAX_TEXT_CHARS) for i, w in enumerate(warnings)),
            provenance=prov, version=version,
        )

    # -- serialisation ---------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "version": self.version, "story": self.story, "duration_s": self.duration_s,
            "sample_rate": self.sample_rate, "context": dataclasses.asdict(self.context),
            "tracks": [dataclasses.asdict(t) for t in self.tracks],
            "events": [e.to_json() for e in self.events],
            "reasoning": self.reasoning, "planner": self.planner, "warnings": list(self.warnings),
            "provenance": self.provenance,
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    # -- queries and edits (every edit re-validates the whole document) ----------------
    @property
    def n_samples(self) -> int:
        return int(round(self.duration_s * self.sample_rate))

    def event(self, event_id: str) -> SoundEvent:
        for e in self.events:
            if e.id == event_id:
                return e
        raise ValidationError("event", f"no event with id {event_id!r}"[:120])

    def track(self, track_id: str) -> Track:
        for t in self.tracks:
            if t.id == track_id:
                return t
        raise ValidationError("track", f"no track with id {track_id!r}"[:120])

    def replace(self, **changes) -> "Timeline":
        """A new, validated timeline with top-level fields changed (events as dicts or SoundEvents)."""
        d = self.to_dict()
        for k, v in changes.items():
            if k == "events":
                v = [e.to_json() if isinstance(e, SoundEvent) else e for e in v]
            elif k == "tracks":
                v = [dataclasses.asdict(t) if isinstance(t, Track) else t for t in v]
            elif k == "context" and isinstance(v, Context):
                v = dataclasses.asdict(v)
            elif k == "warnings":
                v = list(v)
            d[k] = v
        return Timeline.from_json(d)

    def with_event(self, event_id: str, **changes) -> "Timeline":
        """A new timeline where one event's fields are changed, validated as a whole."""
        self.event(event_id)
        events = [dict(e.to_json(), **changes) if e.id == event_id else e.to_json() for e in self.events]
        return self.replace(events=events)


def _unique(ids: list[str], path: str) -> None:
    seen: set[str] = set()
    for i, x in enumerate(ids):
        if x in seen:
            raise ValidationError(f"{path}[{i}].id", f"duplicate id {x!r}")
        seen.add(x)
