"""Studio actions as plain functions: (inputs) -> (outputs). Tested without a browser.

The UI state is a Timeline as its JSON dict. Every user error becomes a one-line
message (``StudioError``) and leaves the state untouched."""
from __future__ import annotations

import json
from typing import Any

import engine
from engine.errors import ValidationError
from engine.timeline import Timeline

from .services import SERVICES

COLUMNS = ["id", "caption", "start_s", "duration_s", "track", "gain_db", "pan", "fade_in_s", "fade_out_s",
           "seed", "locked"]
DATATYPES = ["str", "str", "number", "number", "str", "number", "number", "number", "number", "number", "bool"]


class StudioError(Exception):
    """A one-line message for the user."""


def timeline_to_rows(tl: Timeline) -> list[list[Any]]:
    return [[getattr(e, c) for c in COLUMNS] for e in tl.events]


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
            return v.strip().lower() in ("true", "1", "yes", "y", "x")
        return bool(v)
    return "" if v is None else str(v)


def rows_to_timeline(state: dict | None, rows: Any) -> Timeline:
    """Apply the edited table to the timeline in state; validated as a whole."""
    if not state:
        raise StudioError("plan a story first")
    base = Timeline.from_json(state)
    if hasattr(rows, "values") and hasattr(rows, "columns"):  # a pandas DataFrame
        rows = rows.values.tolist()
    events = []
    old = {e.id: e for e in base.events}
    try:
        for i, r in enumerate(rows or []):
            if r is None or all(c in (None, "") for c in r):
                continue
            rec = {c: _cell(r[j] if j < len(r) else None, c, i) for j, c in enumerate(COLUMNS)}
            prev = old.get(rec["id"])
            if prev is not None:  # keep fields the table does not show
                rec = {**prev.to_json(), **rec}
            events.append(rec)
        return base.replace(events=events)
    except ValidationError as e:
        raise StudioError(str(e)) from None


def plan(story: str, duration_s: Any, planner: str = "rules") -> tuple[dict, list, str, str]:
    try:
        d = float(duration_s) if not isinstance(duration_s, (int, float)) else duration_s
    except (TypeError, ValueError):
        raise StudioError("duration_s: must be a number of seconds") from None
    try:
        tl = engine.plan(story, d, planner=planner)
    except ValidationError as e:
        raise StudioError(str(e)) from None
    status = f"planned {len(tl.events)} events over {tl.duration_s:g} s ({tl.planner})"
    if tl.warnings:
        status += " — " + "; ".join(tl.warnings)
    return tl.to_dict(), timeline_to_rows(tl), tl.reasoning, status


def render_all(state: dict | None, rows: Any, loudness_lufs: float = -16.0, true_peak_db: float = -1.0,
               progress=None) -> tuple[dict, str, list[str], str]:
    """Render every event, mix, export; returns (state, mix path, download paths, status)."""
    tl = rows_to_timeline(state, rows)
    if not tl.events:
        raise StudioError("the timeline has no events to render")
    try:
        takes = engine.render(tl, SERVICES.renderer("procedural"), progress=progress)
        mixdown = engine.mix(tl, takes, loudness_lufs=loudness_lufs, true_peak_db=true_peak_db)
        out = SERVICES.new_output_dir()
        paths = engine.export(tl, mixdown, out, takes=takes)
    except ValidationError as e:
        raise StudioError(str(e)) from None
    fallbacks = [eid for eid, t in takes.items() if t.provenance.get("fallback")]
    status = (f"rendered {len(takes)} events, {mixdown.info['output_lufs']:.1f} LUFS, "
              f"true peak {mixdown.info['true_peak_db']:.1f} dBTP")
    if fallbacks:
        status += f" — low-confidence matches (closest texture used): {', '.join(fallbacks)}"
    mix_path = str(paths[0])
    project_path = str(out / "project.json")
    return tl.to_dict(), mix_path, [mix_path, project_path], status


def timeline_json(state: dict | None) -> str:
    return json.dumps(state or {}, indent=2)
