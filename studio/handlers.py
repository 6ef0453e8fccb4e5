"""Studio actions as plain functions over the project state (a Timeline as its JSON
dict). Tested without a browser; layout.py wires each one to an API endpoint.

Every user error raises ``StudioError`` (one line) and leaves the state untouched;
every change is autosaved (see state.py). Takes live in the content-addressed take
store; ``SoundEvent.take`` is the chosen take id and ``provenance.studio.kept`` the
takes kept per event for A/B."""
from __future__ import annotations

import hashlib
import json
import math
import secrets
import zipfile
from pathlib import Path
from typing import Any, Callable, Optional

import engine
from engine.errors import ValidationError
from engine.export import write_audio
from engine.paths import sub_dir
from engine.takes import event_signature, render_missing, residual_from_json, residual_to_json
from engine.timeline import ID_PATTERN, Timeline

from . import state as S
from . import table as T
from .services import SERVICES
from .state import StudioError

COLUMNS, DATATYPES = T.COLUMNS, T.DATATYPES
MIX_DEFAULTS = {"crossfade_s": 0.0, "ducking": True, "loudness_lufs": -16.0, "true_peak_db": -1.0}
EXPORT_FORMATS = ["wav", "wav16", "wav32f", "flac", "ogg", "mp3"]


# -- helpers -------------------------------------------------------------------------
def _number(v: Any, name: str) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise StudioError(f"{name}: must be a number (got {str(v)[:20]!r})") from None
    if not math.isfinite(x):
        raise StudioError(f"{name}: must be a finite number")
    return x


def _edited(state: Any, rows: Any) -> Timeline:
    """The state's timeline with the table's rows applied (rows=None: as is)."""
    tl = S.load(state)
    return tl if rows is None else T.apply_rows(tl, rows)


def event_status(tl: Timeline) -> dict[str, str]:
    """Per event: "rendered", "stale" (edited since its take) or "not rendered"."""
    store = SERVICES.store()
    out = {}
    for e in tl.events:
        try:
            meta = store.intact_meta(e.take) if e.take else None  # a damaged take counts as missing
            signature = meta.get("signature") if meta else None
        except ValidationError:  # a malformed take id counts as missing too
            signature = None
        out[e.id] = "not rendered" if signature is None else "rendered" if signature == event_signature(e) else "stale"
    return out


def rows_for(tl: Timeline) -> list[list[Any]]:
    return T.to_rows(tl, event_status(tl))


def _view(tl: Timeline, status: str) -> tuple[dict, list, str]:
    return S.commit(tl), rows_for(tl), status


def take_audio_path(take_id: str) -> Optional[str]:
    """A float32 WAV of a stored take for the player (generated name, app folder)."""
    store = SERVICES.store()
    if not take_id or not store.has(take_id):
        return None
    p = sub_dir("renders") / "takes" / f"{take_id}.wav"
    if not p.is_file():
        p.parent.mkdir(parents=True, exist_ok=True)
        try:
            t = store.get(take_id)
        except ValidationError as e:  # a damaged take: a one-line message, not a crash
            raise S.fail(e) from None
        write_audio(p, t.audio, t.sample_rate, "wav32f")
    return str(p)


def _kept(tl: Timeline) -> dict[str, list[str]]:
    """provenance.studio.kept as {event id: [take id, ...]}; anything else in a
    (hand-edited or forged) project is ignored."""
    kept = S.meta(tl).get("kept")
    if not isinstance(kept, dict):
        return {}
    return {k: [t for t in v if isinstance(t, str)] for k, v in kept.items() if isinstance(v, list)}


def _keep(tl: Timeline, event_id: str, take_id: str) -> Timeline:
    """Record take_id among the event's kept takes (oldest dropped past MAX_KEPT)."""
    kept = _kept(tl)
    ids = [t for t in kept.get(event_id, []) if t != take_id] + [take_id]
    kept[event_id] = ids[-S.MAX_KEPT:]
    kept = {k: v for k, v in kept.items() if any(e.id == k for e in tl.events)}
    return S.with_meta(tl, kept=kept)


def kept_takes(tl: Timeline, event_id: str) -> list[str]:
    store = SERVICES.store()
    ids = [t for t in _kept(tl).get(event_id, []) if ID_PATTERN.match(t) and store.has(t)]
    take = tl.event(event_id).take
    if take and take not in ids and store.has(take):
        ids.append(take)
    return ids


def _residual(tl: Timeline, renderer_name: str, r) -> tuple[Timeline, Any]:
    """The residual context stored with the project (rebuilt bit-identically), or a
    new one computed and stored when there is none for this renderer."""
    m = S.meta(tl)
    if isinstance(m.get("residual"), dict) and m.get("renderer") == renderer_name:
        try:
            res = residual_from_json(m["residual"])
            if res.sample_rate == tl.sample_rate:
                return tl, res
        except ValidationError:
            pass
    res = r.residual(tl)
    return S.with_meta(tl, residual=residual_to_json(res), renderer=renderer_name), res


def _choice(v: Any, name: str, default: str) -> str:
    """A planner or renderer name from a client: a plain identifier (the registry
    then says whether it exists)."""
    if v is None or v == "":
        return default
    if not isinstance(v, str) or not ID_PATTERN.match(v):
        raise StudioError(f"{name}: must be a registered name (got {str(v)[:20]!r})")
    return v


def _named(tl: Timeline) -> Timeline:
    return tl if S.name_of(tl) else S.fresh(tl)


# -- story ---------------------------------------------------------------------------
def planner_names() -> list[str]:
    from engine.planning import PLANNERS
    return sorted(PLANNERS)


def renderer_names() -> list[str]:
    from engine.rendering import RENDERERS
    return sorted(RENDERERS)


def _strip_secret(obj: Any, secret: str) -> Any:
    if isinstance(obj, dict):
        return {k: _strip_secret(v, secret) for k, v in obj.items() if k != "api_key"}
    if isinstance(obj, list):
        return [_strip_secret(v, secret) for v in obj]
    return "***" if secret and obj == secret else obj


def plan(story: str, duration_s: Any, planner: str = "rules", model: str = "", base_url: str = "",
         api_key: str = "") -> tuple[dict, list, str, str]:
    """Plan a story: (state, rows, reasoning, status). Planner options are passed to
    the planner; the api key never enters the project."""
    d = _number(duration_s, "duration_s")
    options = {k: v.strip() for k, v in (("model", model), ("base_url", base_url), ("api_key", api_key))
               if isinstance(v, str) and v.strip()}
    try:
        tl = engine.plan(story, d, planner=_choice(planner, "planner", "rules"), **options)
    except (ValidationError, engine.BackendUnavailable, TypeError) as e:
        raise S.fail(e) from None
    if api_key:
        tl = tl.replace(provenance=_strip_secret(tl.provenance, api_key.strip()))
    tl = S.fresh(tl)
    status = f"planned {len(tl.events)} events over {tl.duration_s:g} s ({tl.planner or planner})"
    if tl.warnings:
        status += " — " + "; ".join(tl.warnings)
    st, rows, status = _view(tl, status)
    return st, rows, tl.reasoning, status


# -- timeline table --------------------------------------------------------------------
def edit_table(state: Any, rows: Any) -> tuple[dict, str]:
    """Validate the edited table inline: (new state, "") or (old state, "⚠ message")."""
    try:
        tl = _edited(state, rows)
    except StudioError as e:
        return state, f"⚠ {e}"
    return S.commit(tl), ""


def add_row(state: Any, rows: Any, event_id: str = "") -> tuple[dict, list, str]:
    tl = _edited(state, rows)
    tl = T.add_event(tl, event_id if event_id and any(e.id == event_id for e in tl.events) else "")
    return _view(tl, f"added {tl.events[-1].id}")


def delete_row(state: Any, rows: Any, event_id: str) -> tuple[dict, list, str]:
    tl = T.delete_event(_edited(state, rows), event_id)
    return _view(tl, f"deleted {event_id}")


def duplicate_row(state: Any, rows: Any, event_id: str) -> tuple[dict, list, str]:
    tl = T.duplicate_event(_edited(state, rows), event_id)
    new = [e.id for e in tl.events if e.id not in {r.id for r in S.load(state).events}]
    return _view(tl, f"duplicated {event_id} as {new[-1] if new else '?'}")


# -- rendering -----------------------------------------------------------------------
def render_all(state: Any, rows: Any = None, renderer: str = "procedural",
               progress: Optional[Callable[[float, str], None]] = None) -> tuple[dict, list, str]:
    """Give every event a take, rendering only the missing ones; finished takes are
    stored and autosaved one by one, so a cancel keeps them. (state, rows, status)."""
    return _render(_edited(state, rows), None, renderer, progress)


def _render(tl: Timeline, only: Optional[list[str]], renderer: str, progress) -> tuple[dict, list, str]:
    if not tl.events:
        raise StudioError("the timeline has no events to render")
    renderer = _choice(renderer, "renderer", "procedural")
    try:
        r = SERVICES.renderer(renderer)
        tl, res = _residual(_named(tl), renderer, r)
    except (ValidationError, engine.BackendUnavailable) as e:
        raise S.fail(e) from None
    S.commit(tl)
    box = [tl]

    def on_take(event_id: str, take_id: str) -> None:
        box[0] = _keep(box[0].with_event(event_id, take=take_id), event_id, take_id)
        S.commit(box[0])

    flag = SERVICES.cancel_flag(S.name_of(tl))
    flag.clear()
    try:
        with SERVICES.rendering():
            result = render_missing(tl, r, SERVICES.store(), res, only=only, progress=progress, cancel=flag,
                                    on_take=on_take)
    except (ValidationError, engine.BackendUnavailable) as e:
        raise S.fail(e) from None
    finally:
        flag.clear()
    tl = box[0]
    status = f"rendered {len(result.rendered)}, reused {len(result.reused)} from the take store"
    if result.cancelled:
        status = f"cancelled — kept {len(result.take_ids)} of {len(only or tl.events)} events; " + status
    fallbacks = [eid for eid, t in result.takes.items() if t.provenance.get("fallback")]
    if fallbacks:
        status += f" — low-confidence matches (closest texture used): {', '.join(fallbacks)}"
    return _view(tl, status)


def cancel_render(state: Any) -> str:
    """Ask the running render of this project to stop after the current event."""
    tl = S.load(state)
    if not S.name_of(tl):
        return "nothing to cancel"
    SERVICES.cancel_flag(S.name_of(tl)).set()
    return "cancelling after the current event…"


# -- event inspector -------------------------------------------------------------------
def select_event(state: Any, event_id: str) -> tuple[Optional[str], list[str], str, bool, str]:
    """(take audio, kept take ids, chosen take id, locked, info) for one event."""
    tl = S.load(state)
    ev = T._require(tl, event_id)
    st = event_status(tl)[ev.id]
    info = (f"**{ev.id}** — {ev.caption} · {ev.start_s:g}–{ev.end_s:g} s on {ev.track} · seed {ev.seed} · "
            f"{st}{' · locked' if ev.locked else ''}")
    return take_audio_path(ev.take), kept_takes(tl, ev.id), ev.take, ev.locked, info


def render_event(state: Any, rows: Any, event_id: str, new_seed: bool = False, renderer: str = "procedural",
                 progress=None) -> tuple[dict, list, Optional[str], list[str], str, str]:
    """Re-render one event with the stored residual (every other take untouched),
    with its seed or a new random one. (state, rows, take audio, kept, chosen, status)."""
    tl = _edited(state, rows)
    ev = T._require(tl, event_id)
    if ev.locked:
        raise StudioError(f"{ev.id} is locked: unlock it to re-render")
    if new_seed:
        tl = tl.with_event(ev.id, seed=secrets.randbelow(2**32))
    st, rows_out, status = _render(tl, [ev.id], renderer, progress)
    tl = S.load(st)
    ev = tl.event(event_id)
    return st, rows_out, take_audio_path(ev.take), kept_takes(tl, ev.id), ev.take, f"{ev.id} (seed {ev.seed}): {status}"


def preview_take(take_id: str) -> Optional[str]:
    """Audio of any stored take (A/B listening) without choosing it."""
    if not isinstance(take_id, str) or not take_id:
        return None
    try:
        return take_audio_path(take_id)
    except ValidationError as e:
        raise S.fail(e) from None


def choose_take(state: Any, event_id: str, take_id: str) -> tuple[dict, list, Optional[str], str]:
    """Make a kept take the event's take; the event's seed follows the take."""
    tl = S.load(state)
    ev = T._require(tl, event_id)
    if take_id not in kept_takes(tl, ev.id):
        raise StudioError(f"{str(take_id)[:20]!r} is not a kept take of {ev.id}")
    try:
        seed = SERVICES.store().meta(take_id)["provenance"].get("seed", ev.seed)
    except ValidationError as e:
        raise S.fail(e) from None
    changes = {"take": take_id}
    if isinstance(seed, int) and 0 <= seed < 2**32:
        changes["seed"] = seed
    tl = tl.with_event(ev.id, **changes)
    st, rows, _ = _view(tl, "")
    return st, rows, take_audio_path(take_id), f"{ev.id}: take {take_id} chosen"


def set_locked(state: Any, rows: Any, event_id: str, locked: bool) -> tuple[dict, list, str]:
    tl = _edited(state, rows)
    ev = T._require(tl, event_id)
    tl = tl.with_event(ev.id, locked=bool(locked))
    return _view(tl, f"{ev.id} {'locked' if locked else 'unlocked'}")


# -- mixing and export ---------------------------------------------------------------
def _settings(crossfade_s, ducking, loudness_lufs, true_peak_db) -> dict:
    s = {"crossfade_s": _number(crossfade_s, "crossfade_s"), "ducking": bool(ducking),
         "loudness_lufs": _number(loudness_lufs, "loudness_lufs"), "true_peak_db": _number(true_peak_db, "true_peak_db")}
    if not 0 <= s["crossfade_s"] <= 10:
        raise StudioError("crossfade_s: must be between 0 and 10 seconds")
    return s


def with_crossfades(tl: Timeline, crossfade_s: float) -> Timeline:
    """Every event's edge fades at least ``crossfade_s`` (equal-power in the mixer, so
    butting events cross-fade), shortened to fit events shorter than two fades."""
    if crossfade_s <= 0:
        return tl
    events = []
    for e in tl.events:
        fi, fo = max(e.fade_in_s, crossfade_s), max(e.fade_out_s, crossfade_s)
        scale = min(1.0, e.duration_s / (fi + fo))
        events.append(dict(e.to_json(), fade_in_s=fi * scale, fade_out_s=fo * scale))
    return tl.replace(events=events)


def _mix_key(tl: Timeline, settings: dict) -> str:
    blob = json.dumps({"events": [e.to_json() for e in tl.events], "tracks": tl.to_dict()["tracks"],
                       "s": settings}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _mixdown(tl: Timeline, settings: dict):
    """(mixdown, takes, warnings) of the chosen takes; unrendered events stay silent."""
    store = SERVICES.store()
    takes = {e.id: store.get(e.take, e.id) for e in tl.events if e.take and store.has(e.take)}
    if not takes:
        raise StudioError("nothing rendered yet: click Render first")
    name = S.name_of(tl)
    key = _mix_key(tl, settings)
    last_key, last = SERVICES.last_mix(name)
    if last is not None and last_key == key:
        return last, takes
    mixed_tl = with_crossfades(tl, settings["crossfade_s"])
    kwargs = {"allow_missing": True, "ducking": settings["ducking"]}
    cache = SERVICES.mix_cache(name)
    if cache is not None:
        kwargs["cache"] = cache
    try:
        mixdown = engine.mix(mixed_tl, takes, loudness_lufs=settings["loudness_lufs"],
                             true_peak_db=settings["true_peak_db"], **kwargs)
    except ValidationError as e:
        raise S.fail(e) from None
    SERVICES.remember_mix(name, key, mixdown)
    return mixdown, takes


def mix(state: Any, crossfade_s: Any = 0.0, ducking: bool = True, loudness_lufs: Any = -16.0,
        true_peak_db: Any = -1.0) -> tuple[dict, str, str]:
    """Mix the chosen takes: (state, mix audio path, status)."""
    tl = _named(S.load(state))
    settings = _settings(crossfade_s, ducking, loudness_lufs, true_peak_db)
    tl = S.with_meta(tl, mix=settings)
    mixdown, _ = _mixdown(tl, settings)
    folder = sub_dir("renders") / S.name_of(tl)
    folder.mkdir(exist_ok=True)
    path = write_audio(folder / "mix.wav", mixdown.audio, tl.sample_rate, "wav16")
    status = (f"mixed {len(mixdown.event_segments)} events: {mixdown.info['output_lufs']:.1f} LUFS, "
              f"true peak {mixdown.info['true_peak_db']:.1f} dBTP")
    stale = [k for k, v in event_status(tl).items() if v != "rendered"]
    if stale:
        status += f" — not up to date: {', '.join(stale)} (render to update)"
    return S.commit(tl), str(path), status


def export(state: Any, fmt: str = "wav", crossfade_s: Any = 0.0, ducking: bool = True,
           loudness_lufs: Any = -16.0, true_peak_db: Any = -1.0) -> tuple[list[str], str]:
    """Mix, stems zip, project JSON, OTIO, RPP and one bundle, in a new folder with a
    generated name: (paths, status)."""
    if fmt not in EXPORT_FORMATS:
        raise StudioError(f"format: choose one of {', '.join(EXPORT_FORMATS)}")
    tl = _named(S.load(state))
    mixdown, takes = _mixdown(tl, _settings(crossfade_s, ducking, loudness_lufs, true_peak_db))
    out = SERVICES.new_output_dir("exports")
    try:
        written = engine.export(tl, mixdown, out, fmt=fmt, takes=takes)
    except ValidationError as e:
        raise S.fail(e) from None
    stems_zip = out / "stems.zip"
    with zipfile.ZipFile(stems_zip, "w", compression=zipfile.ZIP_STORED) as z:
        for p in written:
            if p.parent.name in ("stems", "tracks"):
                z.write(p, p.relative_to(out).as_posix())
    by_name = {p.name: p for p in written}
    picks = [written[0], stems_zip] + [by_name[n] for n in ("project.json", "timeline.otio", "session.rpp", "bundle.zip")
                                       if n in by_name]
    return [str(p) for p in picks], f"exported {len(written)} files ({fmt})"


# -- project -------------------------------------------------------------------------
def save_project(state: Any) -> tuple[str, str]:
    """The project JSON as a download (and autosaved): (path, status)."""
    tl = _named(S.load(state))
    S.commit(tl)
    path = SERVICES.new_output_dir("exports") / "project.json"
    engine.save_project(tl, path)
    return str(path), "project saved"


def _opened(tl: Timeline, status: str) -> tuple[dict, list, str, str, float, str]:
    st, rows, status = _view(tl, status)
    return st, rows, tl.reasoning, tl.story, tl.duration_s, status


def load_project(file: Any) -> tuple[dict, list, str, str, float, str]:
    """An uploaded project JSON: (state, rows, reasoning, story, duration, status)."""
    tl = S.fresh(S.read_upload(file))
    return _opened(tl, f"loaded a project with {len(tl.events)} events")


def recent_projects() -> list[tuple[str, str]]:
    return S.recent()


def open_project(name: str) -> tuple[dict, list, str, str, float, str]:
    tl = S.open_recent(name)
    tl = S.with_meta(tl, name=name)
    return _opened(tl, f"reopened {name}")


def load_preset(index: Any) -> tuple[dict, list, str, str, float, str]:
    """A preset from presets/: its hand-tuned timeline if it has one, else planned."""
    from .presets import PRESETS
    try:
        p = PRESETS()[int(index)]
    except (TypeError, ValueError, IndexError, OverflowError):
        raise StudioError("choose a preset from the gallery") from None
    if p.timeline is not None:
        return _opened(S.fresh(p.timeline), f"preset “{p.title}”: {len(p.timeline.events)} hand-placed events")
    st, rows, reasoning, status = plan(p.story, p.duration_s)
    return st, rows, reasoning, p.story, p.duration_s, f"preset “{p.title}”: {status}"


def timeline_view(state: Any):
    """The timeline picture (matplotlib Figure), with the last mix if there is one."""
    from .plot import figure
    if not state:
        return None
    try:
        tl = Timeline.from_json(state)
    except ValidationError:
        return None
    key, mixdown = SERVICES.last_mix(S.name_of(tl))
    audio = mixdown.audio if mixdown is not None and mixdown.audio.shape[-1] == tl.n_samples else None
    settings = S.meta(tl).get("mix", MIX_DEFAULTS)
    current = key == _mix_key(tl, settings) if isinstance(settings, dict) else False
    return figure(tl, event_status(tl), audio, mix_current=current)
