"""The editable timeline table: Timeline <-> rows, and row edits (add, delete,
duplicate). A bad cell raises StudioError naming the row and column; nothing is
silently fixed."""
from __future__ import annotations

from typing import Any

from engine.errors import ValidationError
from engine.timeline import MAX_EVENTS, Timeline

from .state import StudioError, fail

COLUMNS = ["id", "caption", "start_s", "duration_s", "track", "gain_db", "pan", "fade_in_s", "fade_out_s",
           "seed", "locked"]
DATATYPES = ["str", "str", "number", "number", "str", "number", "number", "number", "number", "number", "bool"]
STATUS_COLUMN = "status"     # shown, derived (rendered / stale / not rendered), ignored on input
HEADERS = COLUMNS + [STATUS_COLUMN]
HEADER_TYPES = DATATYPES + ["str"]


def to_rows(tl: Timeline, status: dict[str, str] | None = None) -> list[list[Any]]:
    status = status or {}
    return [[getattr(e, c) for c in COLUMNS] + [status.get(e.id, "")] for e in tl.events]


def _cell(v: Any, col: str, row: int) -> Any:
    """Table cells arrive as str/float/None depending on the browser; coerce by column."""
    kind = DATATYPES[COLUMNS.index(col)]
    if kind == "number":
        if isinstance(v, str):
            v = v.strip()
            try:
                v = float(v) if v else None
            except ValueError:
                raise ValidationError(f"row {row + 1} {col}", f"must be a number (got {v[:20]!r})") from None
        if v is None:
            raise ValidationError(f"row {row + 1} {col}", "must not be empty")
        if col == "seed" and isinstance(v, float) and v.is_integer():
            v = int(v)
        return v
    if kind == "bool":
        if isinstance(v, str):
            word = v.strip().lower()
            if word not in _TRUE + _FALSE:
                raise ValidationError(f"row {row + 1} {col}", f"must be true or false (got {v[:20]!r})")
            return word in _TRUE
        if v is None or isinstance(v, (bool, int, float)) and v in (0, 1):
            return bool(v)
        raise ValidationError(f"row {row + 1} {col}", f"must be true or false (got {type(v).__name__})")
    if v is None:
        return ""
    if isinstance(v, bool) or not isinstance(v, (str, int, float)):  # a list or object is not a text cell
        raise ValidationError(f"row {row + 1} {col}", f"must be text (got {type(v).__name__})")
    return str(v)


_TRUE = ("true", "1", "yes", "y", "x")
_FALSE = ("false", "0", "no", "n", "")


MAX_ROWS = MAX_EVENTS  # a longer table cannot be a valid timeline


def _as_lists(rows: Any) -> list[list[Any]]:
    if isinstance(rows, dict) and "data" in rows:  # gradio_client sends {"headers", "data"}
        rows = rows["data"]
    if hasattr(rows, "values") and hasattr(rows, "columns"):  # a pandas DataFrame
        rows = rows.values.tolist()
    if rows is None:
        return []
    if not isinstance(rows, (list, tuple)):
        raise StudioError(f"table: must be a list of rows (got {type(rows).__name__})")
    if len(rows) > MAX_ROWS:
        raise StudioError(f"table: has {len(rows)} rows, at most {MAX_ROWS}")
    for i, r in enumerate(rows):
        if not isinstance(r, (list, tuple)) or len(r) > len(HEADERS):
            raise StudioError(f"row {i + 1}: must be a list of at most {len(HEADERS)} cells")
    return [list(r) for r in rows]


def apply_rows(base: Timeline, rows: Any) -> Timeline:
    """The timeline with the table's rows as its events, validated as a whole. Fields
    the table does not show (tone, cues, recipe, take) are kept by event id."""
    old = {e.id: e for e in base.events}
    events = []
    try:
        for i, r in enumerate(_as_lists(rows)):
            if all(c in (None, "") for c in r):
                continue
            rec = {c: _cell(r[j] if j < len(r) else None, c, i) for j, c in enumerate(COLUMNS)}
            prev = old.get(rec["id"])
            if prev is not None:
                rec = {**prev.to_json(), **rec}
            events.append(rec)
        return base.replace(events=events)
    except ValidationError as e:
        raise fail(e) from None


def _new_id(tl: Timeline) -> str:
    used = {e.id for e in tl.events}
    n = len(used) + 1
    while f"e{n}" in used:
        n += 1
    return f"e{n}"


def add_event(tl: Timeline, after: str = "") -> Timeline:
    """A new fx event (5 s or less, starting where ``after`` ends or at 0)."""
    start = 0.0
    if after:
        start = min(tl.event(after).end_s, tl.duration_s - 0.5)
    dur = min(5.0, tl.duration_s - start)
    ev = {"id": _new_id(tl), "caption": "a new sound", "start_s": round(start, 3), "duration_s": round(dur, 3),
          "track": "fx" if any(t.id == "fx" for t in tl.tracks) else tl.tracks[0].id}
    try:
        return tl.replace(events=[*tl.events, ev])
    except ValidationError as e:
        raise fail(e) from None


def delete_event(tl: Timeline, event_id: str) -> Timeline:
    _require(tl, event_id)
    return tl.replace(events=[e for e in tl.events if e.id != event_id])


def duplicate_event(tl: Timeline, event_id: str) -> Timeline:
    """A copy right after the original (same caption, seed, take), with a new id."""
    src = _require(tl, event_id)
    copy = dict(src.to_json(), id=_new_id(tl), locked=False)
    events = []
    for e in tl.events:
        events.append(e)
        if e.id == event_id:
            events.append(copy)
    return tl.replace(events=events)


def _require(tl: Timeline, event_id: str):
    if not event_id:
        raise StudioError("select an event first (click its row)")
    try:
        return tl.event(event_id)
    except ValidationError as e:
        raise fail(e) from None
